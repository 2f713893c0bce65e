/**
 * The layers of a saved Keras model config in saving order, nested models included: each with its
 * name path, class, config and the group a Keras 3 `.keras` file keeps its variables in
 * (`layers/<snake_case class>[_<n>]/…`, counted per class, as Keras's saving_lib names them).
 */
import type { ConfigValue } from '../model/ir';
import { snakeCase } from '../keras/default-names';

type Obj = { [k: string]: ConfigValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

export interface ConfigLayer {
  /** Names from the outermost model down, e.g. ['sequential', 'dense']. */
  path: string[];
  type: string;
  config: Obj;
  /** HDF5 group of its variables in a `.keras` file, without `/vars`. */
  keras3Group: string;
  trainable: boolean;
  /** Layers of a nested model. */
  children?: ConfigLayer[];
}

/** The `layers` list of a model config (Keras 2.1 stores a Sequential's as a bare list). */
export function modelLayers(model: Obj): Obj[] {
  const c = model['config'];
  const list = Array.isArray(c) ? c : isObj(c) && Array.isArray(c['layers']) ? c['layers'] : [];
  return list.filter(isObj);
}

export function layerName(l: Obj): string {
  const c = isObj(l['config']) ? l['config'] : {};
  return typeof c['name'] === 'string' ? c['name'] : typeof l['name'] === 'string' ? l['name'] : snakeCase(String(l['class_name']));
}

export function walkConfig(model: Obj, prefix: string[] = [], group = '', parentTrainable = true): ConfigLayer[] {
  const used = new Map<string, number>();
  const out: ConfigLayer[] = [];
  for (const l of modelLayers(model)) {
    const type = String(l['class_name']);
    const cfg = isObj(l['config']) ? l['config'] : {};
    const base = snakeCase(type);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    const g = `${group ? group + '/' : ''}layers/${n === undefined ? base : `${base}_${n + 1}`}`;
    const name = layerName(l);
    const trainable = parentTrainable && cfg['trainable'] !== false;
    const item: ConfigLayer = { path: [...prefix, name], type, config: cfg, keras3Group: g, trainable };
    if (MODEL_CLASSES.has(type)) item.children = walkConfig(l, item.path, g, trainable);
    out.push(item);
  }
  return out;
}

/** Every leaf layer (nested models expanded), in saving order. */
export function leafLayers(layers: ConfigLayer[]): ConfigLayer[] {
  return layers.flatMap((l) => (l.children ? leafLayers(l.children) : [l]));
}
