/**
 * The optimizer's state saved with a model (its step counter, learning rate and per-weight slots
 * such as Adam's momentum and velocity), read so an export can carry it as Keras writes it:
 *  - Keras 3 `.keras`: `optimizer/vars/<i>` in model.weights.h5, in the order of
 *    `optimizer.variables` (iterations, learning_rate, then the slots of each trainable weight in
 *    turn) — keras/src/saving/saving_lib.py saves the optimizer like any other saveable;
 *  - legacy `.h5`: an `optimizer_weights` group with a `weight_names` attribute and one dataset
 *    per name (`/` in a name is a subgroup) — legacy_h5_format.py `save_optimizer_weights_to_hdf5_group`.
 *    Keras 3 names them `iteration`, `learning_rate`, `<model>_<layer>_<weight>_<slot>` in the same
 *    order as `.keras`; Keras 2 names them `Adam/iter:0`, `Adam/dense/kernel/m:0`, … in an order
 *    of its own (all m, then all v), which Keras 3 does not load.
 * Values are kept as the file stores them (the counter is int64), read only when written out.
 */
import { attrStrings, isDataset, isGroup, type Dataset, type Group } from './hdf5';

export interface OptimizerVar {
  /** Path in its group (`0`, `iteration`, `Adam/dense/kernel/m:0`). */
  name: string;
  shape: number[];
  /** h5wasm dtype string as stored (`<f`, `<q`, …). */
  dtype: string;
  read(): ArrayBufferView;
}

export interface OptimizerState {
  /** `keras3`: Keras 3's variable order (either file kind); `keras2`: Keras 2's own layout. */
  order: 'keras3' | 'keras2';
  /** Where it was read: `optimizer/vars` (.keras) or `optimizer_weights` (.h5). */
  from: 'optimizer/vars' | 'optimizer_weights';
  vars: OptimizerVar[];
}

function asArray(ds: Dataset): ArrayBufferView {
  const v = ds.value as unknown;
  if (ArrayBuffer.isView(v)) return v;
  const dt = String(ds.dtype);
  if (typeof v === 'bigint') return dt.includes('Q') ? BigUint64Array.of(v) : BigInt64Array.of(v);
  if (typeof v === 'number') {
    if (dt.includes('d')) return Float64Array.of(v);
    if (dt.includes('f')) return Float32Array.of(v);
    if (dt.includes('i')) return Int32Array.of(v);
    if (dt.includes('h')) return Int16Array.of(v);
    if (dt.includes('b')) return Int8Array.of(v);
    if (dt.includes('B')) return Uint8Array.of(v);
    return Float64Array.of(v);
  }
  throw new Error(`optimizer variable '${ds.path}' holds ${typeof v}, not numbers`);
}

const variable = (ds: Dataset, name: string): OptimizerVar => ({ name, shape: ds.shape ?? [], dtype: String(ds.dtype), read: () => asArray(ds) });

/** `.keras`: the `optimizer/vars` group of model.weights.h5, when the model was saved compiled and trained. */
export function keras3OptimizerState(weights: Group): OptimizerState | undefined {
  if (!weights.keys().includes('optimizer')) return undefined;
  const opt = weights.get('optimizer');
  const vars = isGroup(opt) && opt.keys().includes('vars') ? opt.get('vars') : undefined;
  if (!isGroup(vars)) return undefined;
  const keys = vars.keys().filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
  const out: OptimizerVar[] = [];
  for (const k of keys) {
    const ds = vars.get(k);
    if (isDataset(ds)) out.push(variable(ds, k));
  }
  return out.length ? { order: 'keras3', from: 'optimizer/vars', vars: out } : undefined;
}

/** `.h5`: the root's `optimizer_weights` group, its datasets in `weight_names` order. */
export function h5OptimizerState(root: Group): OptimizerState | undefined {
  if (!root.keys().includes('optimizer_weights')) return undefined;
  const g = root.get('optimizer_weights');
  if (!isGroup(g)) return undefined;
  const names = attrStrings(g, 'weight_names') ?? [];
  const out: OptimizerVar[] = [];
  for (const n of names) {
    const ds = g.get(n);
    if (!isDataset(ds)) return undefined; // listed but missing: not carried (the export says so)
    out.push(variable(ds, n));
  }
  if (!out.length) return undefined;
  return { order: names.some((n) => n.endsWith(':0')) ? 'keras2' : 'keras3', from: 'optimizer_weights', vars: out };
}
