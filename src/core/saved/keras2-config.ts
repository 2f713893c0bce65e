/**
 * A saved Keras config in the Keras 2 layout (what Keras 2 writes into `.h5` files and what
 * TF.js reads): Keras 3's `module`/`registered_name`/`build_config` keys dropped, dtype policies and
 * wrapped objects turned back into names and {class_name, config}, InputLayer `batch_shape` →
 * `batch_input_shape`, `__keras_tensor__` inbound nodes → `[[name, node, tensor, {}]]` lists,
 * and Keras 2.1's bare-list Sequential config → `{name, layers}`. A Keras 2 config comes back as is.
 */
import type { ConfigValue } from '../model/ir';

type Obj = { [k: string]: ConfigValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DROP = new Set(['module', 'registered_name', 'build_config', 'compile_config']);

export function toKeras2Config(model: Obj): Obj {
  return convertObject(model, true) as Obj;
}

const MODELS = new Set(['Sequential', 'Functional', 'Model']);

function convertObject(v: Obj, isLayer: boolean, models: Set<string> = new Set()): ConfigValue {
  const cls = v['class_name'];
  // DTypePolicy → its name; Keras 3 wraps dtypes this way.
  if (cls === 'DTypePolicy' || cls === 'FloatDTypePolicy') return isObj(v['config']) ? (v['config']['name'] ?? 'float32') : 'float32';
  const out: Obj = {};
  for (const [k, val] of Object.entries(v)) {
    if (DROP.has(k)) continue;
    if (k === 'inbound_nodes' && Array.isArray(val)) {
      out[k] = val.map((n) => node(n, models));
      continue;
    }
    if (k === 'config' && typeof cls === 'string') {
      out[k] = layerConfig(cls, val, isLayer);
      continue;
    }
    out[k] = convert(val);
  }
  // Keras 2 keeps the layer name beside the class too.
  if (isLayer && typeof cls === 'string' && isObj(out['config']) && typeof out['config']['name'] === 'string' && out['name'] === undefined && 'inbound_nodes' in v) out['name'] = out['config']['name'];
  return out;
}

function layerConfig(cls: string, val: ConfigValue, isLayer: boolean): ConfigValue {
  if (Array.isArray(val) && cls === 'Sequential') return { name: 'sequential', layers: val.map((l) => (isObj(l) ? convertObject(l, true) : l)) };
  if (!isObj(val)) return convert(val);
  const c: Obj = {};
  for (const [k, x] of Object.entries(val)) {
    if (k === 'layers' && Array.isArray(x)) {
      // Keras 2 numbers a nested model's call on the outer graph as its node 1 (node 0 is its own input).
      const models = new Set(x.flatMap((l) => (isObj(l) && MODELS.has(String(l['class_name'])) && isObj(l['config']) ? [String(l['config']['name'])] : [])));
      c[k] = x.map((l) => (isObj(l) ? convertObject(l, true, models) : l));
    }
    else if (k === 'batch_shape' && cls === 'InputLayer') c['batch_input_shape'] = convert(x);
    else if ((k === 'input_layers' || k === 'output_layers') && Array.isArray(x)) c[k] = refList(x);
    else c[k] = convert(x);
  }
  if (cls === 'InputLayer' && c['ragged'] === undefined && isLayer) c['ragged'] = false;
  return c;
}

/** Keras 3 writes a single input as `["x", 0, 0]`; Keras 2 as `[["x", 0, 0]]`. */
function refList(x: ConfigValue[]): ConfigValue {
  return typeof x[0] === 'string' ? [x] : x;
}

function convert(v: ConfigValue): ConfigValue {
  if (Array.isArray(v)) return v.map(convert);
  if (isObj(v)) return typeof v['class_name'] === 'string' ? convertObject(v, false) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
  return v;
}

/** One inbound node: Keras 3 `{args: [...], kwargs}` → Keras 2 `[[name, node, tensor, kwargs], …]`. */
function node(n: ConfigValue, models: Set<string>): ConfigValue {
  if (Array.isArray(n)) return n; // already Keras 2
  if (!isObj(n)) return n;
  const refs: ConfigValue[] = [];
  const visit = (v: ConfigValue) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObj(v)) {
      if (v['class_name'] === '__keras_tensor__' && isObj(v['config']) && Array.isArray(v['config']['keras_history'])) {
        const h = v['config']['keras_history'];
        const name = h[0] ?? null;
        refs.push([name, Number(h[1] ?? 0) + (typeof name === 'string' && models.has(name) ? 1 : 0), h[2] ?? 0, {}]);
      } else Object.values(v).forEach(visit);
    }
  };
  visit(n['args'] ?? []);
  return refs;
}

/** Keras 3 `compile_config` → Keras 2 `training_config` (optimizer_config, loss, metrics). */
export function toKeras2Training(t: Obj): Obj {
  if (isObj(t['optimizer_config'])) return t;
  const out: Obj = {};
  const o = t['optimizer'];
  if (typeof o === 'string') out['optimizer_config'] = { class_name: o.charAt(0).toUpperCase() + o.slice(1), config: { name: o } };
  else if (isObj(o)) out['optimizer_config'] = { class_name: String(o['class_name']), config: isObj(o['config']) ? (convert(o['config']) as Obj) : {} };
  for (const k of ['loss', 'metrics', 'loss_weights', 'weighted_metrics']) if (t[k] !== undefined) out[k] = convert(t[k]!);
  return out;
}

/** Keras 2 `training_config` → Keras 3 `compile_config`. */
export function toKeras3Compile(t: Obj): Obj {
  if (!isObj(t['optimizer_config'])) return t;
  const o = t['optimizer_config'];
  const out: Obj = { optimizer: { module: 'keras.optimizers', class_name: String(o['class_name']), config: isObj(o['config']) ? o['config'] : {}, registered_name: null } };
  for (const k of ['loss', 'loss_weights']) if (t[k] !== undefined) out[k] = t[k]!;
  // Keras 2.4 saves metrics as wrapper objects ([[{"class_name": "MeanMetricWrapper", …}]]); Keras 3 compiles names.
  if (Array.isArray(t['metrics'])) {
    const names: ConfigValue[] = [];
    const visit = (m: ConfigValue) => {
      if (typeof m === 'string') names.push(m);
      else if (Array.isArray(m)) m.forEach(visit);
      else if (isObj(m) && isObj(m['config']) && typeof m['config']['name'] === 'string') names.push(m['config']['name']);
    };
    t['metrics'].forEach(visit);
    out['metrics'] = names;
  }
  return out;
}

/**
 * The Keras 2 config as TF.js 4 reads it: `L1`/`L2` regularizers as `L1L2` (the one class TF.js
 * registers; the same penalty), and a nested Sequential's leading InputLayer folded into its first
 * layer's `batch_input_shape` (TF.js cannot connect a nested model's own InputLayer).
 */
export function toTfjsTopology(model: Obj): Obj {
  return tfjsFix(toKeras2Config(model)) as Obj;
}

function tfjsFix(v: ConfigValue, nested = false): ConfigValue {
  if (Array.isArray(v)) return v.map((x) => tfjsFix(x, nested));
  if (!isObj(v)) return v;
  const cls = v['class_name'];
  if ((cls === 'L2' || cls === 'L1') && isObj(v['config'])) {
    const c = v['config'];
    return { class_name: 'L1L2', config: { l1: Number(c['l1'] ?? 0), l2: Number(c['l2'] ?? 0) } };
  }
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'config' || k === 'layers' ? tfjsFix(x, nested || cls === 'Functional' || cls === 'Model') : tfjsFix(x, nested);
  if (cls === 'Sequential' && nested && isObj(out['config']) && Array.isArray(out['config']['layers'])) {
    const layers = out['config']['layers'];
    const first = layers[0];
    const second = layers[1];
    if (isObj(first) && first['class_name'] === 'InputLayer' && isObj(second) && isObj(second['config']) && isObj(first['config'])) {
      out['config'] = { ...out['config'], layers: [{ ...second, config: { ...second['config'], batch_input_shape: first['config']['batch_input_shape'] ?? null } }, ...layers.slice(2)] };
    }
  }
  return out;
}
