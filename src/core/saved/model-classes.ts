/**
 * The class and config Keras writes for each model of a saved topology. TF.js serialises every
 * model built from a functional config as class `Model` with a graph config; Keras writes a
 * Sequential model as `Sequential` with its layers in a list (its InputLayer first, no inbound
 * nodes: keras/src/models/sequential.py `get_config`) and any other model as `Functional` with
 * the graph (keras/src/models/functional.py). `kinds` says which models were written as
 * Sequential in the source; a model whose graph is not a plain chain stays a graph (`Functional`).
 * Works on the Keras 2 layout (what TF.js and `.h5` files hold).
 */
import type { ConfigValue, ModelIR } from '../model/ir';

type Obj = { [k: string]: ConfigValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A model's kind as the source wrote it, and its inner models by layer name. */
export interface ModelKind {
  sequential: boolean;
  /** `model.trainable = False` on a model used as a layer (Keras keeps it in the model's config). */
  frozen?: boolean;
  inner: Map<string, ModelKind>;
}

/** The kinds of a model read from code and of the models it uses as layers (a subclassed one counts as a graph). */
export function modelKindOf(ir: ModelIR, frozen = false): ModelKind {
  const inner = new Map<string, ModelKind>();
  for (const l of ir.layers) if (l.nested?.graph) inner.set(l.name, modelKindOf(l.nested.graph, l.config['trainable'] === false));
  return { sequential: ir.style === 'sequential' || ir.style === 'sequential-add', ...(frozen ? { frozen } : {}), inner };
}

const GRAPH_CLASSES = new Set(['Model', 'Functional']);

/** The topology with each model's Keras class: `Sequential` (list layout) where `kind` says so and the graph is a chain, else `Functional`. */
export function withKerasModelClasses(model: Obj, kind: ModelKind | undefined): Obj {
  const cls = model['class_name'];
  const config = model['config'];
  if (typeof cls !== 'string' || !isObj(config) || !Array.isArray(config['layers'])) return model;
  const layers = config['layers'].map((l) => {
    if (!isObj(l) || !isObj(l['config'])) return l;
    const name = typeof l['name'] === 'string' ? l['name'] : l['config']['name'];
    const inner = typeof name === 'string' ? kind?.inner.get(name) : undefined;
    return GRAPH_CLASSES.has(String(l['class_name'])) || l['class_name'] === 'Sequential' ? withKerasModelClasses(l, inner) : l;
  });
  const next: Obj = { ...model, config: { ...config, ...(kind?.frozen ? { trainable: false } : {}), layers } };
  if (!GRAPH_CLASSES.has(cls)) return next;
  const chain = kind?.sequential ? sequentialLayers(next['config'] as Obj) : undefined;
  if (!chain) return { ...next, class_name: 'Functional' };
  return { ...next, class_name: 'Sequential', config: { name: (next['config'] as Obj)['name'] ?? 'sequential', ...(kind?.frozen ? { trainable: false } : {}), layers: chain } };
}

/**
 * A graph config's layers as a Sequential lists them — `{class_name, config}` each, the InputLayer
 * first — when the graph is one chain from its one input to its one output with no call arguments;
 * undefined otherwise.
 */
function sequentialLayers(config: Obj): ConfigValue[] | undefined {
  const layers = config['layers'] as ConfigValue[];
  const ins = config['input_layers'];
  const outs = config['output_layers'];
  if (!layers.length || !Array.isArray(ins) || ins.length !== 1 || !Array.isArray(outs) || outs.length !== 1) return undefined;
  const names: string[] = [];
  for (const [i, l] of layers.entries()) {
    if (!isObj(l) || !isObj(l['config'])) return undefined;
    const name = typeof l['name'] === 'string' ? l['name'] : String(l['config']['name']);
    names.push(name);
    const nodes = l['inbound_nodes'];
    if (i === 0) {
      if (l['class_name'] !== 'InputLayer' || (Array.isArray(nodes) && nodes.length)) return undefined;
      continue;
    }
    // One call, on the layer before, without keyword arguments.
    if (!Array.isArray(nodes) || nodes.length !== 1 || !Array.isArray(nodes[0]) || nodes[0].length !== 1) return undefined;
    const ref = nodes[0][0];
    if (!Array.isArray(ref) || ref[0] !== names[i - 1] || (isObj(ref[3]) && Object.keys(ref[3]).length)) return undefined;
  }
  const first = (ins[0] as ConfigValue[])[0];
  const last = (outs[0] as ConfigValue[])[0];
  if (first !== names[0] || last !== names[names.length - 1]) return undefined;
  return layers.map((l) => {
    const o = l as Obj;
    return { class_name: o['class_name']!, config: o['config']! };
  });
}

/**
 * A `.keras` config's models with the keys Keras 3's serialize_keras_object gives them:
 * `Sequential` is public (`module: "keras"`, `registered_name: null`); `Functional` is not
 * exported, so it is written by its module and registered under its class name
 * (`module: "keras.src.models.functional"`, `registered_name: "Functional"`).
 */
export function keras3ModelKeys(model: Obj): Obj {
  const cls = model['class_name'];
  const config = model['config'];
  if (!isObj(config) || !Array.isArray(config['layers'])) return model;
  const layers = config['layers'].map((l) => (isObj(l) && (l['class_name'] === 'Sequential' || l['class_name'] === 'Functional') ? keras3ModelKeys(l) : l));
  const keys: Obj = cls === 'Sequential' ? { module: 'keras', registered_name: null } : cls === 'Functional' ? { module: 'keras.src.models.functional', registered_name: 'Functional' } : {};
  // Keys in Keras's order: module, class_name, config, registered_name, then the rest (name, inbound_nodes…).
  const { module: _m, class_name: _c, config: _cfg, registered_name: _r, ...rest } = model;
  return { ...('module' in keys ? { module: keys['module']! } : _m !== undefined ? { module: _m } : {}), class_name: cls!, config: { ...config, layers }, ...('registered_name' in keys ? { registered_name: keys['registered_name']! } : _r !== undefined ? { registered_name: _r } : {}), ...rest };
}
