/**
 * Weights of a saved file set into a built tfjs model, layer by layer, with names, counts and
 * shapes checked (an error names the file, the layer and what differs):
 *  - a saved model (.keras, .h5, TF.js model.json) opened on its own or by `load_model(…)` in a
 *    .py: every saved layer by its path (`block/dense` inside a nested model);
 *  - `model.load_weights(…)` on a model built in code: a Keras 3 `.weights.h5` by structure, a
 *    legacy `.h5` by the order of the layers that have weights, as Keras matches them.
 */
import type { ConfigValue, ModelIR } from '../core/model/ir';
import { toTfjsTopology } from '../core/saved/keras2-config';
import { openModelFile, openWeightsFile } from '../core/saved/open-saved';
import { readTensor, type LayerWeights, type WeightStore } from '../core/saved/weights';
import { tf } from './tf';
import { WeightsError } from './weights';

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type Layer = import('@tensorflow/tfjs-layers').layers.Layer;

/**
 * A tfjs model straight from a saved Keras config (converted to the Keras 2 layout TF.js reads),
 * so nested models and every layer TF.js knows are built as saved.
 */
export async function modelFromSavedConfig(modelConfig: { [k: string]: ConfigValue }): Promise<LayersModel> {
  return (await tf.models.modelFromJSON({ modelTopology: toTfjsTopology(modelConfig) } as never)) as LayersModel;
}

const isModel = (l: Layer): l is Layer & LayersModel => Array.isArray((l as unknown as { layers?: unknown }).layers);

/** Sets one layer's saved tensors (by weight name, else by order), checking count and shapes. */
function setLayer(target: Layer, lw: LayerWeights, file: string, label = lw.layer): void {
  if (target.weights.length !== lw.tensors.length) {
    throw new WeightsError(`${file}: layer '${label}' has ${lw.tensors.length} saved weights (${lw.tensors.map((t) => t.name).join(', ') || 'none'}) but the model's layer '${target.name}' (${target.getClassName()}) has ${target.weights.length} (${target.weights.map((w) => w.originalName.split('/').pop()).join(', ')}): weights and model do not match`);
  }
  const used = new Set<number>();
  const picks = target.weights.map((w, i) => {
    const short = w.originalName.split('/').pop()!;
    let k = lw.tensors.findIndex((x, j) => x.name === short && !used.has(j));
    if (k < 0) k = i;
    used.add(k);
    const t = lw.tensors[k]!;
    if (t.shape.join(',') !== w.shape.join(',')) {
      throw new WeightsError(`${file}: weight '${label}/${t.name}' is saved as [${t.shape.join(', ')}] but layer '${target.name}' needs [${w.shape.join(', ')}]: weights and model do not match`);
    }
    return t;
  });
  const values = picks.map((t) => tf.tensor(readTensor(t), t.shape));
  try {
    target.setWeights(values);
  } finally {
    values.forEach((v) => v.dispose());
  }
}

/** The layer at `block/dense` (nested models by name). */
function layerAt(model: LayersModel, p: string): Layer | undefined {
  let scope: LayersModel = model;
  let layer: Layer | undefined;
  for (const part of p.split('/')) {
    try {
      layer = scope.getLayer(part);
    } catch {
      return undefined;
    }
    scope = layer as unknown as LayersModel;
  }
  return layer;
}

/** Leaf layers that own weights, with their paths (`block/dense`), nested models expanded. */
function weightedLeaves(model: LayersModel, prefix = ''): { path: string; layer: Layer }[] {
  const out: { path: string; layer: Layer }[] = [];
  for (const l of model.layers) {
    const p = prefix + l.name;
    if (isModel(l)) out.push(...weightedLeaves(l, `${p}/`));
    else if (l.weights.length) out.push({ path: p, layer: l });
  }
  return out;
}

/**
 * Sets every saved layer's tensors into the model by path; a saved layer the model lacks, or a
 * model layer with weights the file lacks, is an error.
 */
export function setWeightsFromStore(model: LayersModel, store: WeightStore, file = store.file): void {
  const saved = new Map(store.layers.map((l) => [l.layer, l]));
  for (const lw of store.layers) {
    if (!lw.tensors.length) continue;
    if (!layerAt(model, lw.layer)) throw new WeightsError(`${file}: it has weights for layer '${lw.layer}', which the model does not have: weights and model do not match`);
  }
  for (const { path, layer } of weightedLeaves(model)) {
    const lw = saved.get(path);
    if (!lw) throw new WeightsError(`${file}: no saved weights for layer '${path}' (${layer.getClassName()}), which has ${layer.weights.length}: the file was saved from a different model`);
    setLayer(layer, lw, file);
  }
}

export async function loadSavedWeightsInto(model: LayersModel, file: string): Promise<void> {
  const o = await openModelFile(file);
  try {
    const errors = [...o.result.diagnostics, ...(o.result.models[0]?.diagnostics ?? [])].filter((d) => d.severity === 'error');
    if (errors.length) throw new WeightsError(`${file}: ${errors[0]!.message}`);
    if (!o.weights) throw new WeightsError(`${file}: the file has no weights`);
    setWeightsFromStore(model, o.weights, file);
  } finally {
    o.close();
  }
}

/** The Keras config of a model read from code, enough to name a `.weights.h5` file's groups (class names and layer names). */
function configOf(ir: ModelIR): { [k: string]: ConfigValue } {
  return { class_name: ir.style === 'sequential' || ir.style === 'sequential-add' ? 'Sequential' : 'Functional', config: { name: ir.name, layers: ir.layers.map((l) => ({ class_name: l.type, config: { ...l.config, name: l.name } })) } };
}

/** `model.load_weights(file)` for a model built in code: matched as Keras matches (see top). */
export async function loadWeightsFileInto(model: LayersModel, ir: ModelIR, file: string): Promise<void> {
  let opened;
  try {
    opened = await openWeightsFile(file, configOf(ir));
  } catch (e) {
    throw new WeightsError((e as Error).message);
  }
  const { store, match } = opened;
  try {
    if (match === 'structure') {
      setWeightsFromStore(model, store, file);
      return;
    }
    // Legacy HDF5: layers with weights, in order (a nested model is one layer holding all its weights).
    const targets = model.layers.filter((l) => l.weights.length);
    const saved = store.layers.filter((l) => l.tensors.length);
    if (targets.length !== saved.length) {
      throw new WeightsError(`${file}: it holds weights for ${saved.length} layers (${saved.map((l) => l.layer).join(', ')}) but the model built in the code has ${targets.length} layers with weights (${targets.map((l) => l.name).join(', ')}); load_weights matches them in order, so the file was saved from a different model`);
    }
    targets.forEach((layer, i) => setLayer(layer, saved[i]!, file));
  } finally {
    store.close();
  }
}

/** The weights a model starts from: a saved model file, or a weights file for a model built in code. */
export async function loadStartWeights(model: LayersModel, ir: ModelIR, start: { file: string; kind: 'model' | 'weights' }): Promise<void> {
  if (start.kind === 'model') await loadSavedWeightsInto(model, start.file);
  else await loadWeightsFileInto(model, ir, start.file);
}
