/**
 * Opens a trained model file of any kind — detected by its bytes, never its extension:
 * Keras 3 `.keras` (zip: config.json, metadata.json, model.weights.h5), legacy HDF5 `.h5`
 * (Keras 2.x and Keras 3's legacy writer; also a `.keras` that is really HDF5), a TF.js
 * `model.json` with its weight shards, or Keras JSON / Python text. Returns the model IR (from the
 * saved config), where it came from, and its weights as a lazy store. Never throws: problems are
 * diagnostics naming the file and what is wrong.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConfigValue, Diagnostic, ModelIR, ReadResult } from '../model/ir';
import { readJsonModel } from '../keras/json-reader';
import { readModel } from '../read-model';
import { leafLayers, walkConfig, type ConfigLayer } from './config-layers';
import { attrString, attrStrings, datasetDtype, h5ready, halfToFloat, Hdf5Error, isDataset, isGroup, missingFilter, openH5, readRows, type Dataset, type Group, type H5File, type TensorDtype } from './hdf5';
import { savedInputScaling } from './input-scaling';
import { h5OptimizerState, keras3OptimizerState, type OptimizerState } from './optimizer-state';
import { needsHdf5, type LoadAccess } from './loaded-model';
import { sniffFile } from './sniff';
import { displayName, isTrainableWeight, keras3Layout, weightNames } from './weight-names';
import { readTooLarge, tensorSize, type LayerWeights, type WeightStore, type WeightTensor } from './weights';
import { extractZipEntry, listZip, readZipEntry, ZipError } from './zip';

type Obj = { [k: string]: ConfigValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type SavedFormat = 'keras' | 'h5' | 'tfjs' | 'json' | 'python';

export interface OpenedModel {
  file: string;
  format: SavedFormat;
  result: ReadResult;
  /** The saved Keras model config ({class_name, config}), for export. */
  modelConfig?: Obj;
  /** Keras 2 `training_config` or Keras 3 `compile_config`, as saved. */
  trainingConfig?: Obj;
  /** What wrote it: `Keras 3.1.1`, `Keras 2.4.0`, `TensorFlow.js Converter v4.20.0`, … */
  savedBy?: string;
  /** Provenance recorded by Model Lens in a file it exported. */
  exportedFrom?: string;
  weights?: WeightStore;
  /** The optimizer's saved state (step, learning rate, slots), when the file has it. */
  optimizer?: OptimizerState;
  /**
   * Opened with `deferWeights`: the weights still being read (`.keras`, `.h5`).
   * Resolves once `weights`, `optimizer` and the weight diagnostics are set, or a diagnostic says
   * why they cannot be; never rejects.
   */
  weightsPending?: Promise<void>;
  close(): void;
}

export interface OpenOptions {
  /**
   * Return as soon as the config is read (the graph), the weights following in `weightsPending`:
   * a `.keras`'s are copied out of the zip first (time grows with the file), an `.h5`'s metadata
   * is read dataset by dataset (time grows with the number of tensors). TF.js is read at once.
   */
  deferWeights?: boolean;
}

/** Configs above this size are refused (a config is a few hundred KiB even for large models). */
const CONFIG_LIMIT = 64 << 20;

function fail(file: string, format: SavedFormat, message: string, code = 'bad-file'): OpenedModel {
  const d: Diagnostic = { severity: 'error', code, file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message };
  return { file, format, result: { file, models: [], diagnostics: [d] }, close: () => undefined };
}

export { savedInputScaling };

/** `access`: for a .py, where the saved files it loads may be read from. */
export async function openModelFile(file: string, access: LoadAccess = {}, options: OpenOptions = {}): Promise<OpenedModel> {
  const o = await openAny(file, access, options);
  if (o.format === 'keras' || o.format === 'h5' || o.format === 'tfjs') {
    o.result.models.forEach(savedInputScaling);
    // The model starts from the file's own weights (runs fine-tune them).
    if (o.weights || o.weightsPending) for (const m of o.result.models) m.startWeights = { file: path.resolve(file), line: 1, kind: 'model' };
  }
  return o;
}

/** An error of ours, as a message without the file name in front (diagnostics carry the file). */
function ownMessage(e: Hdf5Error | ZipError): string {
  return e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message;
}

async function openAny(file: string, access: LoadAccess, options: OpenOptions): Promise<OpenedModel> {
  let kind;
  try {
    kind = sniffFile(file);
  } catch (e) {
    return fail(file, 'python', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'io');
  }
  try {
    if (kind === 'hdf5') return await openH5Model(file, !!options.deferWeights);
    if (kind === 'zip') return await openKerasZip(file, !!options.deferWeights);
    const text = fs.readFileSync(file, 'utf8');
    if (kind === 'json') return openJsonModel(file, text);
    if (needsHdf5(text)) await h5ready();
    return { file, format: 'python', result: readModel(file, text, access), close: () => undefined };
  } catch (e) {
    if (e instanceof Hdf5Error || e instanceof ZipError) return fail(file, kind === 'zip' ? 'keras' : 'h5', ownMessage(e));
    return fail(file, 'python', `Model Lens could not read this file (${e instanceof Error ? e.message : String(e)}); please report it with the file attached`, 'internal');
  }
}

// ---------------------------------------------------------------- configs → IR

function parseJson(file: string, what: string, text: string): Obj {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ZipError(file, `${what} is not valid JSON (${(e as Error).message}); the file is damaged`);
  }
  if (!isObj(v)) throw new ZipError(file, `${what} is not a JSON object`);
  return v;
}

/** Binary files have no lines: point every diagnostic at the file itself. */
function atFile(r: ReadResult): ReadResult {
  const one = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const fix = (d: Diagnostic): Diagnostic => ({ ...d, range: one });
  return {
    ...r,
    diagnostics: r.diagnostics.map(fix),
    models: r.models.map((m) => ({ ...m, range: one, diagnostics: m.diagnostics.map(fix), layers: m.layers.map((l) => ({ ...l, range: one })) })),
  };
}

// ---------------------------------------------------------------- HDF5 (.h5)

async function openH5Model(file: string, deferWeights: boolean): Promise<OpenedModel> {
  await h5ready();
  const f = openH5(file);
  let ok = false;
  try {
    const configText = attrString(f, 'model_config');
    if (configText === undefined) {
      const hint = f.keys().includes('layers') || f.keys().includes('model_weights') ? 'it holds weights only (saved with save_weights); open the file saved with model.save() instead' : 'it is an HDF5 file but not a Keras model (no model_config attribute)';
      throw new Hdf5Error(file, `no model config: ${hint}`);
    }
    const modelConfig = parseH5Json(file, 'model_config', configText);
    const trainingText = attrString(f, 'training_config');
    const trainingConfig = trainingText ? parseH5Json(file, 'training_config', trainingText) : undefined;
    const result = atFile(readJsonModel(file, JSON.stringify(modelConfig), trainingConfig ? { training: trainingConfig } : {}));
    const exportedFrom = attrString(f, 'model_lens_source');
    const version = exportedFrom ? undefined : attrString(f, 'keras_version');
    const opened: OpenedModel = {
      file,
      format: 'h5',
      result,
      modelConfig,
      ...(trainingConfig ? { trainingConfig } : {}),
      ...(version ? { savedBy: `Keras ${version}` } : exportedFrom ? { savedBy: `Model Lens ${attrString(f, 'model_lens_version') ?? ''}`.trim() } : {}),
      ...(exportedFrom ? { exportedFrom } : {}),
      close: () => void f.close(),
    };
    // The weights' metadata (every dataset's shape, type and filters) takes time for a model with
    // hundreds of tensors: deferred, the graph comes first.
    const readWeights = () => {
      const weightsRoot = f.get('model_weights');
      const store = h5Store(file, f, isGroup(weightsRoot) ? weightsRoot : f, modelConfig);
      opened.weights = store;
      const optimizer = h5OptimizerState(f);
      if (optimizer) opened.optimizer = optimizer;
      opened.close = () => store.close();
      checkWeights(opened);
    };
    if (!deferWeights) readWeights();
    else {
      let closed = false;
      opened.close = () => {
        closed = true;
        f.close();
      };
      opened.weightsPending = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (closed) return;
        try {
          readWeights();
        } catch (e) {
          opened.close = () => undefined;
          f.close();
          addDiag(opened, 'error', e instanceof Hdf5Error ? ownMessage(e) : `Model Lens could not read the weights (${e instanceof Error ? e.message : String(e)}); please report it with the file attached`);
        }
      });
    }
    ok = true;
    return opened;
  } finally {
    if (!ok) f.close();
  }
}

function parseH5Json(file: string, what: string, text: string): Obj {
  try {
    const v = JSON.parse(text) as unknown;
    if (isObj(v)) return v;
  } catch {
    /* below */
  }
  throw new Hdf5Error(file, `the '${what}' attribute is not a JSON object; the file is damaged`);
}

function h5Tensor(file: string, ds: Dataset, name: string, trainable: boolean): WeightTensor {
  const dt = datasetDtype(ds);
  const dtype: TensorDtype = typeof dt === 'string' ? dt : 'float32';
  const shape = ds.shape ?? [];
  const filter = missingFilter(ds);
  const problem = typeof dt !== 'string' ? `its type (${dt.unsupported}) cannot be read` : filter ? `it is compressed with ${filter}, which this HDF5 build cannot decode; save the model without that compression (Keras saves uncompressed by default)` : undefined;
  return {
    name,
    shape,
    dtype,
    location: ds.path,
    trainable,
    size: tensorSize(shape),
    ...(problem ? { problem } : {}),
    readRows: (a, b) => readRows(ds, a, b, file),
  };
}

/**
 * Legacy HDF5: `model_weights/<layer>` groups with a `weight_names` attribute listing each
 * weight's path inside the group (`conv2d/kernel:0` in Keras 2, `kernel` in Keras 3). Read the
 * attribute: the scope can differ from the layer name. A nested model's group lists its inner
 * layers' weights (`dense/kernel:0`, those of a model nested in it too), split here by their first
 * path component.
 */
function h5Store(file: string, f: H5File, root: Group, modelConfig: Obj): WeightStore {
  const layers = walkConfig(modelConfig);
  const out: LayerWeights[] = [];
  const groups = new Set(root.keys());
  for (const l of layers) {
    const name = l.path[l.path.length - 1]!;
    if (!groups.has(name)) continue;
    const g = root.get(name);
    if (!isGroup(g)) continue;
    const names = attrStrings(g, 'weight_names') ?? datasetsUnder(g, '');
    const byLayer = new Map<string, { names: string[]; paths: string[] }>();
    for (const wn of names) {
      const ds = g.get(wn);
      if (!isDataset(ds)) throw new Hdf5Error(file, `layer '${name}' lists weight '${wn}', which is not in the file; the file is damaged`);
      const parts = wn.replace(/:\d+$/, '').split('/');
      const short = parts[parts.length - 1]!;
      // Inside a nested model the first component names the inner layer, at any depth (a model in
      // a model in the group lists its layers' weights by their own names too).
      const leaves = l.children ? leafLayers(l.children) : undefined;
      const inner = leaves ? (leaves.find((c) => c.path[c.path.length - 1] === parts[0]) ?? leaves.find((c) => parts.includes(c.path[c.path.length - 1]!))) : undefined;
      const key = inner ? inner.path.join('/') : name;
      const entry = byLayer.get(key) ?? { names: [], paths: [] };
      entry.names.push(short);
      entry.paths.push(wn);
      byLayer.set(key, entry);
    }
    const all = l.children ? leafLayers(l.children) : [l];
    for (const leaf of all) {
      const e = byLayer.get(leaf.path.join('/'));
      if (!e) continue;
      const names = subLayerNames(leaf.type, leaf.config, e.names);
      out.push({
        layer: leaf.path.join('/'),
        type: leaf.type,
        tensors: e.paths.map((p, i) => h5Tensor(file, g.get(p) as Dataset, names[i]!, isTrainableWeight(names[i]!, leaf.trainable))),
      });
    }
  }
  return { file, layers: out, close: () => void f.close() };
}

/**
 * A layer whose weights sub-layers hold (Bidirectional's two RNNs, attention projections) repeats
 * `kernel`, `bias`… in an HDF5 or TF.js file: name them as `.keras` reading does
 * (`forward_layer/kernel`, `query_dense/kernel`), the order being Keras's in every format.
 */
function subLayerNames(type: string, config: Obj, names: string[]): string[] {
  if (!keras3Layout(type, config)?.some((g) => g.group !== '' && g.group !== 'cell' && g.group !== 'layer')) return names;
  const known = weightNames(type, config, names.length);
  return known.every((n, i) => n.split('/').pop() === names[i]!.split('/').pop()) ? known : names;
}

function datasetsUnder(g: Group, prefix: string): string[] {
  const out: string[] = [];
  for (const k of g.keys()) {
    const c = g.get(k);
    if (isDataset(c)) out.push(prefix + k);
    else if (isGroup(c)) out.push(...datasetsUnder(c, `${prefix}${k}/`));
  }
  return out;
}

// ---------------------------------------------------------------- Keras 3 zip (.keras)

async function openKerasZip(file: string, deferWeights: boolean): Promise<OpenedModel> {
  const entries = listZip(file);
  const find = (n: string) => entries.find((e) => e.name === n);
  const configEntry = find('config.json');
  if (!configEntry) throw new ZipError(file, `no config.json in the archive (it has ${entries.map((e) => e.name).join(', ') || 'nothing'}); a Keras .keras file holds config.json, metadata.json and model.weights.h5 — save it again with model.save("….keras")`);
  const root = parseJson(file, 'config.json', new TextDecoder().decode(readZipEntry(file, configEntry, CONFIG_LIMIT)));
  const metaEntry = find('metadata.json');
  const meta = metaEntry ? parseJson(file, 'metadata.json', new TextDecoder().decode(readZipEntry(file, metaEntry, 1 << 20))) : {};
  const result = atFile(readJsonModel(file, JSON.stringify(root)));
  const training = isObj(root['compile_config']) ? root['compile_config'] : undefined;
  const opened: OpenedModel = {
    file,
    format: 'keras',
    result,
    modelConfig: root,
    ...(training ? { trainingConfig: training } : {}),
    ...(typeof meta['model_lens_version'] === 'string' ? { savedBy: `Model Lens ${meta['model_lens_version']}` } : typeof meta['keras_version'] === 'string' ? { savedBy: `Keras ${meta['keras_version']}` } : {}),
    ...(typeof meta['model_lens_source'] === 'string' ? { exportedFrom: meta['model_lens_source'] } : {}),
    close: () => undefined,
  };
  const weightsEntry = find('model.weights.h5');
  if (!weightsEntry) {
    if (find('model.weights.npz')) addDiag(opened, 'warning', `the weights are stored as model.weights.npz, which Model Lens does not read; the graph is shown without weights`);
    else addDiag(opened, 'warning', 'the archive has no model.weights.h5: the graph is shown without weights');
    return opened;
  }
  let closed = false;
  const load = async () => {
    await h5ready();
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-keras-'));
    const tmp = path.join(tmpDir, 'model.weights.h5');
    const cleanup = () => fs.rmSync(tmpDir, { recursive: true, force: true });
    let f: H5File;
    try {
      await extractZipEntry(file, weightsEntry, tmp);
      if (closed) throw new ZipError(file, 'closed before its weights were read');
      f = openH5(tmp, `${file}!model.weights.h5`);
    } catch (e) {
      cleanup();
      throw e;
    }
    const release = () => {
      f.close();
      cleanup();
    };
    let store: WeightStore;
    try {
      store = keras3Store(file, f, root, release);
    } catch (e) {
      release();
      throw e;
    }
    opened.weights = store;
    const optimizer = keras3OptimizerState(f);
    if (optimizer) opened.optimizer = optimizer;
    opened.close = () => store.close();
    checkWeights(opened);
  };
  if (!deferWeights) {
    await load();
    return opened;
  }
  // The graph now; the weights once copied out of the archive (a failure is a diagnostic, the graph stays).
  opened.close = () => void (closed = true);
  opened.weightsPending = load().catch((e: unknown) => {
    if (closed) return;
    const why = e instanceof Hdf5Error || e instanceof ZipError ? ownMessage(e) : `Model Lens could not read the weights (${e instanceof Error ? e.message : String(e)}); please report it with the file attached`;
    addDiag(opened, 'error', why);
  });
  return opened;
}

/**
 * `.keras` weights: `layers/<group>/vars/<i>`, the group named by class and a per-class counter
 * (Keras 2.13 wrote `_layer_checkpoint_dependencies/` instead of `layers/`). Names come from the
 * layer's class (weight-names.ts), since the file keeps only indices.
 */
function keras3Store(file: string, f: H5File, root: Obj, close: () => void, display = `${file}!model.weights.h5`): WeightStore {
  const layers = leafLayers(walkConfig(root));
  const legacy = f.keys().includes('_layer_checkpoint_dependencies');
  const out: LayerWeights[] = [];
  for (const l of layers) {
    const groupPath = legacy ? l.keras3Group.replace(/(^|\/)layers\//g, '$1_layer_checkpoint_dependencies/') : l.keras3Group;
    const trainable = (n: string) => isTrainableWeight(n, l.trainable);
    const tensorOf = (vars: Group, k: string, name: string) => {
      const ds = vars.get(k);
      if (!isDataset(ds)) throw new Hdf5Error(file, `'${vars.path}/${k}' is not a dataset; the weights file is damaged`);
      return h5Tensor(display, ds, name, trainable(name));
    };
    const numbered = (vars: Group) => vars.keys().filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
    // Weights held by sub-layers (an RNN's cell, a wrapper's layers, attention projections).
    const layout = keras3Layout(l.type, l.config);
    if (layout?.some((g) => g.group !== '')) {
      const tensors: WeightTensor[] = [];
      for (const g of layout) {
        const vars = safeGet(f, g.group ? `${groupPath}/${g.group}/vars` : `${groupPath}/vars`);
        if (!isGroup(vars)) continue;
        numbered(vars).forEach((k, i) => tensors.push(tensorOf(vars, k, displayName(g.group, g.names[i] ?? `var_${i}`))));
      }
      if (tensors.length) {
        out.push({ layer: l.path.join('/'), type: l.type, tensors });
        continue;
      }
    }
    const vars = safeGet(f, `${groupPath}/vars`) ?? safeGet(f, `${byNamePath(l)}/vars`);
    if (!isGroup(vars)) continue;
    const keys = numbered(vars);
    if (!keys.length) continue;
    const names = weightNames(l.type, l.config, keys.length);
    out.push({ layer: l.path.join('/'), type: l.type, tensors: keys.map((k, i) => tensorOf(vars, k, names[i]!)) });
  }
  return { file, layers: out, close };
}

/** Some writers name the groups after the layers: `layers/<name>/…`. */
function byNamePath(l: ConfigLayer): string {
  return l.path.map((p) => `layers/${p}`).join('/');
}

function safeGet(f: Group, p: string) {
  try {
    return f.get(p);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- weights only (model.load_weights)

/**
 * The file of `model.load_weights(file)` for a model built in code (`modelConfig`, in either Keras
 * layout), matched as Keras matches it: a Keras 3 `.weights.h5` (`layers/<group>/vars/<i>`) by
 * structure, via the config's class-and-counter group names; a legacy `.h5` (save_weights, or a
 * whole model saved with model.save) by order of the layers that have weights, as Keras's
 * legacy_h5_format does. Throws Hdf5Error naming the file when it is not a weights file.
 */
export async function openWeightsFile(file: string, modelConfig: Obj): Promise<{ store: WeightStore; match: 'structure' | 'order' }> {
  if (sniffFile(file) !== 'hdf5') throw new Hdf5Error(file, 'it is not an HDF5 weights file; load_weights reads files written by save_weights (.weights.h5, .h5) or model.save (.h5)');
  await h5ready();
  const f = openH5(file);
  let ok = false;
  try {
    const mw = f.get('model_weights');
    const legacyRoot = isGroup(mw) ? mw : attrStrings(f, 'layer_names') ? f : undefined;
    if (legacyRoot) {
      const layers: LayerWeights[] = [];
      for (const name of attrStrings(legacyRoot, 'layer_names') ?? []) {
        const g = legacyRoot.get(name);
        if (!isGroup(g)) throw new Hdf5Error(file, `layer '${name}' is listed in layer_names but has no group; the file is damaged`);
        const names = attrStrings(g, 'weight_names') ?? [];
        if (!names.length) continue;
        layers.push({
          layer: name,
          type: '?',
          tensors: names.map((wn) => {
            const ds = g.get(wn);
            if (!isDataset(ds)) throw new Hdf5Error(file, `layer '${name}' lists weight '${wn}', which is not in the file; the file is damaged`);
            const short = wn.replace(/:\d+$/, '').split('/').pop()!;
            return h5Tensor(file, ds, short, true);
          }),
        });
      }
      ok = true;
      return { store: { file, layers, close: () => void f.close() }, match: 'order' };
    }
    const keys = f.keys();
    if (!keys.includes('layers') && !keys.includes('_layer_checkpoint_dependencies')) throw new Hdf5Error(file, `it is an HDF5 file but not Keras weights (no layers/ group, no layer_names attribute; it has ${keys.join(', ') || 'nothing'})`);
    const store = keras3Store(file, f, modelConfig, () => void f.close(), file);
    ok = true;
    return { store, match: 'structure' };
  } finally {
    if (!ok) f.close();
  }
}

// ---------------------------------------------------------------- JSON (TF.js model.json, Keras JSON)

function openJsonModel(file: string, text: string): OpenedModel {
  const result = readJsonModel(file, text);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return { file, format: 'json', result, close: () => undefined };
  }
  if (!isObj(root) || !Array.isArray(root['weightsManifest']) || !isObj(root['modelTopology'])) return { file, format: 'json', result, close: () => undefined };
  const topo = root['modelTopology'];
  const modelConfig = isObj(topo['model_config']) ? topo['model_config'] : topo;
  const trainingConfig = isObj(topo['training_config']) ? topo['training_config'] : undefined;
  const opened: OpenedModel = {
    file,
    format: 'tfjs',
    result,
    modelConfig,
    ...(trainingConfig ? { trainingConfig } : {}),
    ...(typeof root['convertedBy'] === 'string' ? { savedBy: root['convertedBy'] } : typeof root['generatedBy'] === 'string' ? { savedBy: root['generatedBy'] } : {}),
    ...(typeof root['modelLensSource'] === 'string' ? { exportedFrom: root['modelLensSource'] } : {}),
    close: () => undefined,
  };
  try {
    opened.weights = tfjsStore(file, root['weightsManifest'], modelConfig);
    checkWeights(opened);
  } catch (e) {
    addDiag(opened, 'error', e instanceof ZipError ? e.message.slice(file.length + 2) : (e as Error).message);
  }
  return opened;
}

const TFJS_DTYPES: Record<string, [TensorDtype, number]> = { float32: ['float32', 4], float16: ['float16', 2], int32: ['int32', 4], bool: ['bool', 1], uint8: ['uint8', 1] };

/**
 * TF.js weights: the manifest's groups are files read as one stream (shards in order); each
 * weight's bytes follow the previous one's. Names may carry the model name as a prefix
 * (`sequential_1/dense_1/kernel`): the layer is the longest known layer path inside the name.
 */
function tfjsStore(file: string, manifest: ConfigValue[], modelConfig: Obj): WeightStore {
  const dir = path.dirname(file);
  const leaves = leafLayers(walkConfig(modelConfig));
  const byLayer = new Map<string, LayerWeights>();
  const order: LayerWeights[] = [];
  for (const group of manifest) {
    if (!isObj(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) throw new ZipError(file, 'weightsManifest entries need "paths" and "weights"');
    const shards = group['paths'].map((p) => {
      const shard = path.resolve(dir, String(p));
      if (path.relative(dir, shard).startsWith('..')) throw new ZipError(file, `weight shard '${String(p)}' is outside the model's folder; Model Lens reads shards beside model.json only`);
      let size: number;
      try {
        size = fs.statSync(shard).size;
      } catch {
        throw new ZipError(file, `weight shard '${String(p)}' is missing beside model.json`);
      }
      return { path: shard, name: String(p), size };
    });
    const total = shards.reduce((a, s) => a + s.size, 0);
    let offset = 0;
    for (const w of group['weights']) {
      if (!isObj(w) || typeof w['name'] !== 'string' || !Array.isArray(w['shape'])) throw new ZipError(file, 'a weightsManifest weight needs "name" and "shape"');
      const dt = TFJS_DTYPES[String(w['dtype'] ?? 'float32')];
      if (!dt) throw new ZipError(file, `weight '${w['name']}' has dtype ${String(w['dtype'])}, which Model Lens does not read`);
      if (w['quantization'] !== undefined) throw new ZipError(file, `weight '${w['name']}' is quantized; Model Lens reads unquantized TF.js weights only (convert without --quantize)`);
      const shape = w['shape'].map(Number);
      const size = tensorSize(shape);
      const bytes = size * dt[1];
      if (offset + bytes > total) throw new ZipError(file, `weight '${w['name']}' needs bytes ${offset}–${offset + bytes} but the shards hold ${total}: a shard is truncated`);
      const start = offset;
      offset += bytes;
      const leaf = matchLayer(w['name'], leaves);
      const short = w['name'].split('/').pop()!.replace(/:\d+$/, '');
      const key = leaf ? leaf.path.join('/') : w['name'].split('/').slice(0, -1).join('/');
      let lw = byLayer.get(key);
      if (!lw) {
        lw = { layer: key, type: leaf?.type ?? '?', tensors: [] };
        byLayer.set(key, lw);
        order.push(lw);
      }
      lw.tensors.push({
        name: short,
        shape,
        dtype: dt[0],
        location: `${shards[0]?.name ?? '?'} @ ${start}`,
        trainable: isTrainableWeight(short, leaf?.trainable ?? true),
        size,
        readRows: (a, b) => {
          const row = shape.slice(1).reduce((x, d) => x * d, 1);
          const from = start + (shape.length ? a * row : 0) * dt[1];
          const values = shape.length ? (b - a) * row : 1;
          const tooLarge = readTooLarge(`${shards[0]?.name ?? '?'} @ ${start}`, values, dt[1]);
          if (tooLarge) throw new ZipError(file, tooLarge);
          return decode(readSpan(shards, from, values * dt[1]), dt[0]);
        },
      });
    }
  }
  for (const lw of order) {
    const leaf = leaves.find((l) => l.path.join('/') === lw.layer);
    if (!leaf) continue;
    const names = subLayerNames(leaf.type, leaf.config, lw.tensors.map((t) => t.name));
    lw.tensors.forEach((t, i) => (t.name = names[i]!));
  }
  // Keep the config's order.
  const rank = new Map(leaves.map((l, i) => [l.path.join('/'), i]));
  order.sort((a, b) => (rank.get(a.layer) ?? 1e9) - (rank.get(b.layer) ?? 1e9));
  return { file, layers: order, close: () => undefined };
}

function matchLayer(weightName: string, leaves: ConfigLayer[]): ConfigLayer | undefined {
  const parts = weightName.split('/').slice(0, -1);
  let best: ConfigLayer | undefined;
  let bestLen = 0;
  for (const l of leaves) {
    const p = l.path;
    for (let s = 0; s + p.length <= parts.length; s++) {
      if (p.every((x, i) => parts[s + i] === x) && p.length > bestLen) {
        best = l;
        bestLen = p.length;
      }
    }
    // A nested layer's weights may be named by the inner layer only.
    const last = p[p.length - 1]!;
    if (!best && parts.includes(last)) best = l;
  }
  return best;
}

function readSpan(shards: { path: string; size: number }[], from: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let pos = 0;
  let base = 0;
  for (const s of shards) {
    if (pos >= n) break;
    const lo = Math.max(from + pos, base);
    if (lo < base + s.size && from + pos >= base) {
      const take = Math.min(n - pos, base + s.size - lo);
      const fd = fs.openSync(s.path, 'r');
      try {
        fs.readSync(fd, out, pos, take, lo - base);
      } finally {
        fs.closeSync(fd);
      }
      pos += take;
    }
    base += s.size;
  }
  return out;
}

function decode(bytes: Uint8Array, dtype: TensorDtype): Float32Array {
  const copy = bytes.slice();
  if (dtype === 'float32') return new Float32Array(copy.buffer, 0, copy.length / 4);
  if (dtype === 'int32') return Float32Array.from(new Int32Array(copy.buffer, 0, copy.length / 4));
  if (dtype === 'float16') {
    const u = new Uint16Array(copy.buffer, 0, copy.length / 2);
    const out = new Float32Array(u.length);
    for (let i = 0; i < u.length; i++) out[i] = halfToFloat(u[i]!);
    return out;
  }
  return Float32Array.from(copy);
}

// ---------------------------------------------------------------- checks

function addDiag(o: OpenedModel, severity: Diagnostic['severity'], message: string, layer?: string): void {
  const d: Diagnostic = { severity, code: 'weights', file: o.file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message, ...(layer ? { layer } : {}) };
  const m = o.result.models[0];
  if (m) m.diagnostics.push(d);
  else o.result.diagnostics.push(d);
}

/**
 * The weights must fit the config: per layer, as many values as the config's parameter count
 * (a nested model's layers are summed into it), and no weights for layers the config lacks.
 */
export function checkWeights(o: OpenedModel): void {
  const m: ModelIR | undefined = o.result.models[0];
  if (!m || !o.weights) return;
  const saved = new Map<string, number>();
  for (const lw of o.weights.layers) {
    const top = lw.layer.split('/')[0]!;
    saved.set(top, (saved.get(top) ?? 0) + lw.tensors.reduce((a, t) => a + t.size, 0));
  }
  for (const lw of o.weights.layers) {
    for (const t of lw.tensors) if (t.problem) addDiag(o, 'error', `weight '${t.location}' of layer '${lw.layer}' cannot be read: ${t.problem}`, lw.layer.split('/')[0]);
  }
  const known = new Set(m.layers.map((l) => l.name));
  for (const [name] of saved) {
    if (!known.has(name)) addDiag(o, 'error', `the weights file has weights for layer '${name}', which the model config does not have: weights and config do not match`, name);
  }
  for (const l of m.layers) {
    const have = saved.get(l.name) ?? 0;
    const unknownShape = l.outputShape === null;
    if (unknownShape) continue; // no count to compare with; the layer's own diagnostic says why
    if (have !== l.params) {
      addDiag(o, 'error', have === 0 ? `layer '${l.name}' (${l.type}) needs ${l.params.toLocaleString('en-US')} weights but the file has none for it: weights and config do not match` : `layer '${l.name}' (${l.type}) has ${have.toLocaleString('en-US')} saved weight values but its config needs ${l.params.toLocaleString('en-US')}: weights and config do not match`, l.name);
    }
  }
}
