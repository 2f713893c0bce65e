/**
 * A saved model or weights file named in a user's Python (`keras.models.load_model("mnist.keras")`,
 * `model.load_weights("w.weights.h5")`): the path is untrusted input, so it is resolved relative
 * to the .py and must stay inside the workspace (symbolic links followed); then the saved config is
 * read synchronously (the Python reader is synchronous): a `.keras` zip's config.json, a legacy
 * HDF5's `model_config` attribute (h5wasm must already be loaded: see `needsHdf5`), or a TF.js
 * model.json's topology. Errors are sentences for a diagnostic at the line.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigValue, ModelIR } from '../model/ir';
import { readJsonModel } from '../keras/json-reader';
import { attrString, h5loaded, openH5 } from './hdf5';
import { sniffFile } from './sniff';
import { listZip, readZipEntry } from './zip';

type Obj = { [k: string]: ConfigValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A config is a few hundred KiB even for large models. */
const CONFIG_LIMIT = 64 << 20;

export interface LoadAccess {
  /** Paths must resolve inside this folder (the workspace); default: the .py's own folder. */
  workspaceRoot?: string;
}

/** Does this Python text name saved files whose HDF5 configs the reader would need? (Cheap text test.) */
export function needsHdf5(text: string): boolean {
  return /\bload_(model|weights)\s*\(/.test(text);
}

/** The absolute path of a file named in `pyFile`, or why it cannot be used. */
export function resolveNamedFile(pyFile: string, named: string, access: LoadAccess): { file: string } | { error: string } {
  if (!named.trim()) return { error: 'the path is empty' };
  if (named.includes('\0')) return { error: 'the path contains a NUL character' };
  const root = path.resolve(access.workspaceRoot ?? path.dirname(pyFile));
  const abs = path.resolve(path.dirname(pyFile), named);
  const inside = (p: string, r: string) => {
    const rel = path.relative(r, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (!inside(abs, root)) return { error: `'${named}' is outside the workspace (${root}); Model Lens reads saved models inside the workspace only` };
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    return { error: `'${named}' does not exist (looked for ${abs}, relative to this .py file)` };
  }
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    /* keep */
  }
  if (!inside(real, realRoot)) return { error: `'${named}' is a link to ${real}, outside the workspace; Model Lens reads saved models inside the workspace only` };
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (e) {
    return { error: `cannot read '${named}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (!st.isFile()) return { error: `'${named}' is not a file` };
  return { file: abs };
}

export interface SavedConfig {
  format: 'keras' | 'h5' | 'tfjs';
  modelConfig: Obj;
  trainingConfig?: Obj;
}

/** The saved config of a model file, synchronously. Throws an Error whose message says what is wrong. */
export function readSavedConfigSync(file: string): SavedConfig {
  const kind = sniffFile(file);
  const parse = (what: string, text: string): Obj => {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new Error(`its ${what} is not valid JSON (${(e as Error).message}); the file is damaged`);
    }
    if (!isObj(v)) throw new Error(`its ${what} is not a JSON object; the file is damaged`);
    return v;
  };
  if (kind === 'zip') {
    const entries = listZip(file);
    const entry = entries.find((e) => e.name === 'config.json');
    if (!entry) throw new Error('the archive has no config.json; a Keras .keras file holds config.json, metadata.json and model.weights.h5');
    const root = parse('config.json', new TextDecoder().decode(readZipEntry(file, entry, CONFIG_LIMIT)));
    return { format: 'keras', modelConfig: root, ...(isObj(root['compile_config']) ? { trainingConfig: root['compile_config'] } : {}) };
  }
  if (kind === 'hdf5') {
    if (!h5loaded()) throw new Error('the HDF5 reader is not loaded yet; reopen the file');
    const f = openH5(file);
    try {
      const cfg = attrString(f, 'model_config');
      if (cfg === undefined) throw new Error('it holds weights only (no model_config: saved with save_weights); load it with model.load_weights() on a model built in code, or save the model with model.save()');
      const training = attrString(f, 'training_config');
      return { format: 'h5', modelConfig: parse('model_config', cfg), ...(training ? { trainingConfig: parse('training_config', training) } : {}) };
    } finally {
      f.close();
    }
  }
  if (kind === 'json') {
    if (fs.statSync(file).size > CONFIG_LIMIT) throw new Error(`it is larger than ${CONFIG_LIMIT >> 20} MiB, too large for a model.json`);
    const root = parse('JSON', fs.readFileSync(file, 'utf8'));
    const topo = isObj(root['modelTopology']) ? root['modelTopology'] : undefined;
    if (!topo) throw new Error('it is JSON but not a TF.js layers model (no modelTopology)');
    const modelConfig = isObj(topo['model_config']) ? topo['model_config'] : topo;
    return { format: 'tfjs', modelConfig, ...(isObj(topo['training_config']) ? { trainingConfig: topo['training_config'] } : {}) };
  }
  throw new Error('it is not a Keras model file (.keras zip, HDF5 .h5 or TF.js model.json)');
}

/** The model IR of a saved file (from its config), or why not. */
export function readSavedModelIR(file: string): { ir: ModelIR; format: SavedConfig['format'] } | { error: string } {
  let saved: SavedConfig;
  try {
    saved = readSavedConfigSync(file);
  } catch (e) {
    return { error: (e as Error).message.replace(`${file}: `, '') };
  }
  const r = readJsonModel(file, JSON.stringify(saved.modelConfig), saved.trainingConfig ? { training: saved.trainingConfig } : {});
  const ir = r.models[0];
  if (!ir) return { error: r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'its config holds no model' };
  ir.diagnostics.push(...r.diagnostics.filter((d) => d.severity !== 'info'));
  return { ir, format: saved.format };
}
