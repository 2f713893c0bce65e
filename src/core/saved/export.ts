/**
 * Writes a model (its saved config and weights) in the layouts Keras and TF.js write:
 *  - `keras`: a Keras 3 `.keras` zip — metadata.json, config.json (with compile_config) and
 *    model.weights.h5 with `layers/<snake_case class>[_n]/vars/<i>` groups (every layer gets its
 *    `vars` group, weights or not; a Sequential's InputLayer is not among its layers), as
 *    keras/src/saving/saving_lib.py does;
 *  - `h5`: the Keras 2 legacy HDF5 — root attributes backend, keras_version, model_config,
 *    training_config; `model_weights` with `layer_names` and, per layer (sorted by name), a group
 *    with `weight_names` and datasets `<layer>/<weight>:0`, as legacy_h5_format.py does;
 *  - `tfjs`: a TF.js layers model — model.json (Keras 2 topology + weightsManifest) and one shard.
 * Every file records what it came from (`model_lens_source`). Files are written to a temporary
 * name and renamed, so a failed export leaves nothing half-written. Weights are read and written
 * one tensor at a time and the `.keras` zip is streamed from its weights file (zip-writer.ts), so
 * exporting a large model holds one tensor in memory, not the model.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigValue } from '../model/ir';
import { walkConfig, type ConfigLayer } from './config-layers';
import { createH5, h5ready, type Group } from './hdf5';
import { toKeras2Config, toKeras2Training, toKeras3Compile, toTfjsTopology } from './keras2-config';
import type { OptimizerState } from './optimizer-state';
import { keras3ModelKeys, withKerasModelClasses } from './model-classes';
import { keras3Layout } from './weight-names';
import { readTensor, type LayerWeights, type WeightStore } from './weights';
import { writeStoredZip, ZipWriteError } from './zip-writer';

type Obj = { [k: string]: ConfigValue };

export type ExportFormat = 'keras' | 'h5' | 'tfjs';

export interface ExportInput {
  /** The Keras model config ({class_name, config}) in either layout. */
  modelConfig: Obj;
  /** Keras 2 training_config or Keras 3 compile_config. */
  trainingConfig?: Obj;
  weights: WeightStore;
  /** Where it came from, recorded in the file. */
  source: string;
  /** Keras version of the source, when known (`3.1.1`). */
  kerasVersion?: string;
  /** The optimizer's saved state, carried into the export where the format holds it. */
  optimizer?: OptimizerState;
  /** Told what the export leaves out and why (e.g. an optimizer state the format cannot hold). */
  note?: (message: string) => void;
}

export class ExportError extends Error {}

export const MODEL_LENS_VERSION = '0.1.0';

export async function exportModel(input: ExportInput, format: ExportFormat, out: string): Promise<string> {
  const target = path.resolve(out);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (format === 'tfjs') return writeTfjs(input, target);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    if (format === 'h5') await writeH5(input, tmp);
    else await writeKeras(input, tmp);
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return target;
}

function byLayer(weights: WeightStore): Map<string, LayerWeights> {
  return new Map(weights.layers.map((l) => [l.layer, l]));
}

/** Values of a layer's tensors, checking every stored layer is used once. */
class WeightFeed {
  private readonly map: Map<string, LayerWeights>;
  private readonly used = new Set<string>();
  constructor(weights: WeightStore) {
    this.map = byLayer(weights);
  }
  /** The layer's tensors without marking them used. */
  peek(l: ConfigLayer): LayerWeights | undefined {
    return this.map.get(l.path.join('/'));
  }
  take(l: ConfigLayer): LayerWeights | undefined {
    const key = l.path.join('/');
    const w = this.map.get(key);
    if (w) this.used.add(key);
    return w;
  }
  finish(): void {
    const left = [...this.map.keys()].filter((k) => !this.used.has(k));
    if (left.length) throw new ExportError(`weights of ${left.map((k) => `'${k}'`).join(', ')} have no layer in the model config; nothing was written`);
  }
}

function f32(values: Float32Array): Float32Array {
  // A view into a larger buffer is copied so h5wasm writes exactly these values.
  return values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
}

// ---------------------------------------------------------------- Keras 3 .keras

async function writeKeras(input: ExportInput, tmp: string): Promise<void> {
  await h5ready();
  const weightsTmp = `${tmp}.weights.h5`;
  const config: Obj = { ...keras3ModelKeys(normalizedConfig(input.modelConfig)) };
  if (input.trainingConfig) config['compile_config'] = toKeras3Compile(input.trainingConfig);
  const feed = new WeightFeed(input.weights);
  const f = createH5(weightsTmp);
  try {
    const walk = (layers: ConfigLayer[], parentType: string) => {
      for (const l of layers) {
        if (l.type === 'InputLayer' && parentType === 'Sequential') continue;
        const g = ensureGroup(f, l.keras3Group);
        const vars = g.create_group('vars');
        const w = l.children ? undefined : feed.take(l);
        if (w) writeLayerVars(g, vars, l, w);
        if (l.children) walk(l.children, l.type);
      }
    };
    walk(walkConfig(config), String(config['class_name']));
    writeKeras3Optimizer(f, input);
    f.create_group('vars');
    feed.finish();
  } finally {
    f.close();
  }
  try {
    const meta = {
      keras_version: input.kerasVersion?.startsWith('3') ? input.kerasVersion : '3.1.1',
      date_saved: new Date().toISOString().replace('T', '@').slice(0, 19),
      model_lens_source: input.source,
      model_lens_version: MODEL_LENS_VERSION,
    };
    const enc = (s: string) => new TextEncoder().encode(s);
    try {
      writeStoredZip(tmp, [
        { name: 'metadata.json', bytes: enc(JSON.stringify(meta)) },
        { name: 'config.json', bytes: enc(JSON.stringify(config)) },
        { name: 'model.weights.h5', file: weightsTmp },
      ]);
    } catch (e) {
      if (e instanceof ZipWriteError) throw new ExportError(`${e.message}; nothing was written`);
      throw e;
    }
  } finally {
    fs.rmSync(weightsTmp, { force: true });
  }
}

/**
 * A layer's weights in a `.keras` file: its own `vars`, or, for weights its sub-layers hold (an
 * RNN's cell, Bidirectional's forward/backward layers, attention projections), the sub-layers'
 * groups — each path component with its own (empty) `vars`, as saving_lib writes every saveable.
 */
function writeLayerVars(g: Group, own: Group, l: ConfigLayer, w: LayerWeights): void {
  const put = (vars: Group, t: LayerWeights['tensors'][number], i: number) => vars.create_dataset({ name: String(i), data: f32(readTensor(t)), shape: t.shape, dtype: '<f4' });
  const layout = keras3Layout(l.type, l.config);
  if (!layout?.some((x) => x.group !== '')) {
    w.tensors.forEach((t, i) => put(own, t, i));
    return;
  }
  const need = layout.reduce((a, x) => a + x.names.length, 0);
  if (need !== w.tensors.length) throw new ExportError(`layer '${w.layer}' (${l.type}) has ${w.tensors.length} weights but Keras keeps ${need} for it (${layout.map((x) => `${x.group}: ${x.names.join(', ')}`).join('; ')}); nothing was written`);
  let at = 0;
  for (const x of layout) {
    let sub = g;
    for (const part of x.group.split('/')) {
      sub = sub.keys().includes(part) ? (sub.get(part) as Group) : sub.create_group(part);
      if (!sub.keys().includes('vars')) sub.create_group('vars');
    }
    const vars = sub.get('vars') as Group;
    x.names.forEach((_, i) => put(vars, w.tensors[at + i]!, i));
    at += x.names.length;
  }
}

/**
 * Keras 2.1 wrote a Sequential's layers as a bare list; both layouts want {name, layers}. A graph
 * model TF.js wrote as `Model` is `Functional`, as Keras 2.4+ and Keras 3 write it.
 */
function normalizedConfig(model: Obj): Obj {
  const c = model['config'];
  if (Array.isArray(c)) return { ...model, config: { name: 'sequential', layers: c } };
  return withKerasModelClasses(model, undefined);
}

function ensureGroup(f: Group, p: string): Group {
  let g = f;
  for (const part of p.split('/')) {
    g = g.keys().includes(part) ? (g.get(part) as Group) : g.create_group(part);
  }
  return g;
}

// ---------------------------------------------------------------- Keras 2 .h5

async function writeH5(input: ExportInput, tmp: string): Promise<void> {
  await h5ready();
  const config = toKeras2Config(normalizedConfig(input.modelConfig));
  const version = input.kerasVersion ?? '2.15.0';
  const f = createH5(tmp);
  try {
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('keras_version', version);
    f.create_attribute('model_config', JSON.stringify(config));
    if (input.trainingConfig) f.create_attribute('training_config', JSON.stringify(toKeras2Training(input.trainingConfig)));
    f.create_attribute('model_lens_source', input.source);
    f.create_attribute('model_lens_version', MODEL_LENS_VERSION);
    const mw = f.create_group('model_weights');
    const top = walkConfig(config);
    const names = top.map((l) => l.path[0]!);
    fixedStrings(mw, 'layer_names', names);
    mw.create_attribute('backend', 'tensorflow');
    mw.create_attribute('keras_version', version);
    const feed = new WeightFeed(input.weights);
    for (const l of [...top].sort((a, b) => (a.path[0]! < b.path[0]! ? -1 : a.path[0]! > b.path[0]! ? 1 : 0))) {
      const g = mw.create_group(l.path[0]!);
      const leaves = l.children ? flatten(l.children) : [l];
      // Names first (the attribute), then each tensor read and written in turn: one in memory at a time.
      const entries: { name: string; tensor: LayerWeights['tensors'][number] }[] = [];
      for (const leaf of leaves) {
        const w = feed.take(leaf);
        const scope = leaf.path[leaf.path.length - 1]!;
        for (const t of w?.tensors ?? []) entries.push({ name: `${scope}/${t.name}:0`, tensor: t });
      }
      // Keras 2 names a nested model's weights by the inner layer's name only.
      sameNamedLeaves(leaves, feed, (a, b, name) => `layers '${a}' and '${b}' are both named '${name}' inside model '${l.path[0]}': a Keras 2 .h5 names their weights '${name}/…:0' in one group, so one would overwrite the other; nothing was written (export to .keras, which keeps the models apart)`);
      fixedStrings(g, 'weight_names', entries.map((e) => e.name));
      for (const e of entries) {
        const parts = e.name.split('/');
        const leafName = parts.pop()!;
        ensureGroup(g, parts.join('/')).create_dataset({ name: leafName, data: f32(readTensor(e.tensor)), shape: e.tensor.shape, dtype: '<f4' });
      }
    }
    feed.finish();
    writeH5Optimizer(f, input, config);
  } finally {
    f.close();
  }
}

/** Throws when two leaves with weights share a layer name (weights named by the layer name alone would collide). */
function sameNamedLeaves(leaves: ConfigLayer[], feed: WeightFeed, why: (a: string, b: string, name: string) => string): void {
  const seen = new Map<string, string>();
  for (const leaf of leaves) {
    if (!feed.peek(leaf)?.tensors.length) continue;
    const name = leaf.path[leaf.path.length - 1]!;
    const other = seen.get(name);
    if (other !== undefined) throw new ExportError(why(other, leaf.path.join('/'), name));
    seen.set(name, leaf.path.join('/'));
  }
}

function flatten(layers: ConfigLayer[]): ConfigLayer[] {
  return layers.flatMap((l) => (l.children ? flatten(l.children) : [l]));
}

/** A list of byte strings as numpy/h5py store them (`S<longest>`); an empty list as an empty float64 array. */
function fixedStrings(g: Group, name: string, values: string[]): void {
  if (!values.length) {
    g.create_attribute(name, new Float64Array(0), [0], '<f8');
    return;
  }
  const longest = Math.max(1, ...values.map((v) => new TextEncoder().encode(v).length));
  g.create_attribute(name, values, [values.length], `S${longest}`);
}

// ---------------------------------------------------------------- optimizer state

const OPT_NOT_CARRIED = 'the optimizer state is not exported';

function writeVar(g: Group, name: string, shape: number[], dtype: string, data: ArrayBufferView): void {
  g.create_dataset({ name, data: data as Float32Array, shape, dtype });
}

/** `.keras`: `optimizer/vars/<i>` in Keras 3's variable order (saving_lib.py). */
function writeKeras3Optimizer(f: Group, input: ExportInput): void {
  const o = input.optimizer;
  if (!o) return;
  if (o.order !== 'keras3') {
    input.note?.(`${OPT_NOT_CARRIED}: it was saved by Keras 2, whose optimizer layout Keras 3 does not load; training the exported model starts its optimizer afresh (the weights are exported)`);
    return;
  }
  const vars = f.create_group('optimizer').create_group('vars');
  o.vars.forEach((v, i) => writeVar(vars, String(i), v.shape, v.dtype, v.read()));
}

/** Slot names per trainable weight of Keras 3's optimizers, in the order Keras creates them. */
function slotNames(trainingConfig: Obj | undefined, perWeight: number): string[] | undefined {
  const opt = trainingConfig?.['optimizer'] ?? trainingConfig?.['optimizer_config'];
  const raw = typeof opt === 'string' ? opt : opt && typeof opt === 'object' && !Array.isArray(opt) ? String((opt as Obj)['class_name'] ?? '') : '';
  const name = raw.toLowerCase();
  if ((name === 'adam' || name === 'adamw' || name === 'nadam' || name === 'adamax') && perWeight === 2) return ['momentum', 'velocity'];
  if (name === 'sgd' && perWeight === 1) return ['momentum'];
  if (name === 'rmsprop' && perWeight === 1) return ['velocity'];
  return undefined;
}

/**
 * `.h5`: `optimizer_weights` with `weight_names` and one dataset per name (legacy_h5_format.py).
 * From an `.h5` the group is copied name for name; from a `.keras` the variables get the names
 * Keras 3's legacy writer gives them (`iteration`, `learning_rate`, `<model>_<layer>_<weight>_<slot>`),
 * when the optimizer's slots are known and every shape matches.
 */
function writeH5Optimizer(f: Group, input: ExportInput, config: Obj): void {
  const o = input.optimizer;
  if (!o) return;
  let entries: { name: string; v: OptimizerState['vars'][number] }[];
  if (o.from === 'optimizer_weights') entries = o.vars.map((v) => ({ name: v.name, v }));
  else {
    const trainable = input.weights.layers.flatMap((l) => l.tensors.filter((t) => t.trainable).map((t) => ({ layer: l.layer, t })));
    const perWeight = trainable.length ? (o.vars.length - 2) / trainable.length : 0;
    const slots = Number.isInteger(perWeight) ? slotNames(input.trainingConfig, perWeight) : undefined;
    const modelName = String(((config['config'] as Obj | undefined) ?? {})['name'] ?? 'model');
    if (!slots) {
      input.note?.(`${OPT_NOT_CARRIED} to .h5: its ${o.vars.length} variables do not map to known slots of the optimizer for ${trainable.length} trainable weights; training the exported model starts its optimizer afresh (the weights are exported)`);
      return;
    }
    entries = [
      { name: 'iteration', v: o.vars[0]! },
      { name: 'learning_rate', v: o.vars[1]! },
      ...trainable.flatMap(({ layer, t }, i) => slots.map((s, j) => ({ name: `${modelName}_${layer.replace(/\//g, '_')}_${t.name}_${s}`, v: o.vars[2 + i * slots.length + j]! }))),
    ];
    const wrong = trainable.findIndex(({ t }, i) => slots.some((_, j) => o.vars[2 + i * slots.length + j]!.shape.join(',') !== t.shape.join(',')));
    if (wrong >= 0) {
      input.note?.(`${OPT_NOT_CARRIED} to .h5: its slots do not line up with the trainable weight '${trainable[wrong]!.layer}/${trainable[wrong]!.t.name}'; training the exported model starts its optimizer afresh (the weights are exported)`);
      return;
    }
  }
  const g = f.create_group('optimizer_weights');
  fixedStrings(g, 'weight_names', entries.map((e) => e.name));
  for (const e of entries) {
    const parts = e.name.split('/');
    const leaf = parts.pop()!;
    writeVar(parts.length ? ensureGroup(g, parts.join('/')) : g, leaf, e.v.shape, e.v.dtype, e.v.read());
  }
}

// ---------------------------------------------------------------- TF.js

/** TF.js names a Bidirectional's weights `forward_<wrapped layer>/kernel`, `backward_<…>/kernel` (tfjs-layers wrappers.ts). */
function tfjsWeightName(leaf: ConfigLayer, name: string): string {
  const m = /^(forward|backward)_layer\/(.*)$/.exec(name);
  if (!m || leaf.type !== 'Bidirectional') return name;
  const inner = leaf.config['layer'];
  const innerCfg = inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Obj)['config'] : undefined;
  const innerName = innerCfg && typeof innerCfg === 'object' && !Array.isArray(innerCfg) ? String((innerCfg as Obj)['name'] ?? 'layer') : 'layer';
  return `${m[1]}_${innerName}/${m[2]}`;
}

function writeTfjs(input: ExportInput, target: string): string {
  const dir = target.endsWith('.json') ? path.dirname(target) : target;
  const jsonName = target.endsWith('.json') ? path.basename(target) : 'model.json';
  const config = toTfjsTopology(normalizedConfig(input.modelConfig));
  const feed = new WeightFeed(input.weights);
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const tensors: LayerWeights['tensors'] = [];
  const leaves = flatten(walkConfig(config));
  // TF.js names a weight by its layer's name (`fc/kernel`) and refuses a model where two share one.
  sameNamedLeaves(leaves, feed, (a, b, name) => `layers '${a}' and '${b}' are both named '${name}': TF.js names their weights '${name}/…' and cannot load a model where two share a name; nothing was written (export to .keras, which keeps the models apart)`);
  for (const leaf of leaves) {
    const w = feed.take(leaf);
    const scope = leaf.path[leaf.path.length - 1]!;
    for (const t of w?.tensors ?? []) {
      specs.push({ name: `${scope}/${tfjsWeightName(leaf, t.name)}`, shape: t.shape, dtype: 'float32' });
      tensors.push(t);
    }
  }
  feed.finish();
  if (input.optimizer) input.note?.('the optimizer state is not exported: the TF.js layers format holds the model and its weights only; training the TF.js model starts its optimizer afresh');
  const shard = 'group1-shard1of1.bin';
  const modelJson = {
    format: 'layers-model',
    generatedBy: `Model Lens ${MODEL_LENS_VERSION}`,
    convertedBy: `Model Lens ${MODEL_LENS_VERSION}`,
    modelLensSource: input.source,
    modelTopology: {
      keras_version: input.kerasVersion ?? '2.15.0',
      backend: 'tensorflow',
      model_config: config,
      ...(input.trainingConfig ? { training_config: toKeras2Training(input.trainingConfig) } : {}),
    },
    weightsManifest: [{ paths: [shard], weights: specs }],
  };
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dir, '.export-'));
  try {
    const fd = fs.openSync(path.join(tmp, shard), 'w');
    try {
      // Each tensor read and appended in turn: the shard is never held whole.
      for (const t of tensors) {
        const c = readTensor(t);
        fs.writeSync(fd, new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.writeFileSync(path.join(tmp, jsonName), JSON.stringify(modelJson));
    fs.renameSync(path.join(tmp, shard), path.join(dir, shard));
    fs.renameSync(path.join(tmp, jsonName), path.join(dir, jsonName));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return path.join(dir, jsonName);
}

