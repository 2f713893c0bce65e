/**
 * `keras.models.clone_model(model)`, `model_from_json(model.to_json())` and
 * `Sequential.from_config(model.get_config())` / `Model.from_config(...)`: a new model with the same
 * architecture and fresh layers, as Keras makes it (keras/src/models/cloning.py). Each layer is
 * remade from its config (`layer.__class__.from_config(layer.get_config())`), so it keeps its name
 * and its trainable flag; the model keeps its name; Input layers are remade with the same shape and
 * name. A config is taken when it is asked for (`get_config()` / `to_json()`): later changes to the
 * model do not reach it.
 */
import type { ConfigValue, Diagnostic, ModelGap, SourceRange } from '../model/ir';
import type { Value } from '../python/values';
import { collectFunctional } from './build-ir';
import { isSequential, type PyModel } from './keras-values';
import type { GLayer } from './shape-inference';

/** A model's architecture as `get_config()` / `to_json()` give it at one point of the file. */
export interface ModelSnapshot {
  source: PyModel;
  style: PyModel['style'];
  name: string;
  frozen: boolean;
  builtShape?: (number | null)[];
  /** Sequential: the layers in order (not linked yet); functional: the graph. */
  items: GLayer[];
  layers: GLayer[];
  inputs: GLayer[];
  outputs: GLayer[];
  /** Each layer's config as it was then (trainable flags change later). */
  configs: Map<GLayer, Record<string, ConfigValue>>;
  /** Models used as layers in it, taken at the same time. */
  inner: Map<GLayer, ModelSnapshot>;
  gaps: ModelGap[];
  problems: Diagnostic[];
  /** The config was changed in a way Model Lens does not follow (`config['layers'][0] = …`). */
  doubt?: ModelGap;
}

/** What cloning needs from the reader. */
export interface CloneSite {
  range(at: { from: number; to: number }): SourceRange;
  /** A layer made by the clone: listed among the file's layers, in call order (`applied`: part of a graph now). */
  addLayer(l: GLayer): void;
  addModel(m: PyModel): void;
  /** A model used as one layer (a new node). */
  nestedLayer(inner: PyModel, at: { from: number; to: number }): GLayer;
  /** The model a nested node stands for. */
  innerModel(l: GLayer): PyModel | undefined;
  /** A statement that could not be worked out left this layer in doubt. */
  taint(l: GLayer): ModelGap | undefined;
  /** Calls the file's `clone_function` on a layer (or a nested model): the layer or model it gives, 'same' for the one given, or undefined. */
  callCloneFunction(fn: Value, l: GLayer, inner: PyModel | undefined): { layer: GLayer } | { model: PyModel } | undefined;
}

export function snapshot(m: PyModel, site: CloneSite, depth = 0): ModelSnapshot {
  const frozen = !!m.frozen;
  const configs = new Map<GLayer, Record<string, ConfigValue>>();
  const inner = new Map<GLayer, ModelSnapshot>();
  const all = isSequential(m) ? m.items : m.layers;
  for (const l of all) {
    const c = structuredClone(l.config);
    // Keras's `model.trainable = False` sets every layer inside; their configs say so.
    if (frozen) c['trainable'] = false;
    configs.set(l, c);
    const im = l.nested && depth < 20 ? site.innerModel(l) : undefined;
    if (im && !l.sharedOf) inner.set(l, snapshot(im, site, depth + 1));
  }
  const gaps = [...m.gaps];
  for (const l of all) {
    const g = site.taint(l);
    if (g && !gaps.includes(g)) gaps.push(g);
  }
  return {
    source: m,
    style: m.style,
    name: m.name,
    frozen,
    ...(m.builtShape ? { builtShape: [...m.builtShape] } : {}),
    items: [...m.items],
    layers: [...m.layers],
    inputs: [...m.inputs],
    outputs: [...m.outputs],
    configs,
    inner,
    gaps,
    problems: [...m.problems],
  };
}

export interface CloneOptions {
  /** `clone_model(..., clone_function=fn)`. */
  cloneFunction?: Value;
  /** `clone_model(..., input_tensors=…)`: the tensors the clone's inputs are (keras.Input tensors). */
  inputTensors?: GLayer[];
  /** `recursive=True`: models used as layers are cloned with clone_model (and the same clone_function), not given to it. */
  recursive?: boolean;
  /** clone_model keeps the model's trainable flag on a Sequential clone; from_config leaves it in the layers. */
  keepTrainable: boolean;
  /** Said in gaps: `clone_model(...)`, `model_from_json(...)`. */
  what: string;
}

/** The new model, registered with the reader. */
export function cloneModel(s: ModelSnapshot, at: { from: number; to: number }, site: CloneSite, opts: CloneOptions, depth = 0): PyModel {
  const range = site.range(at);
  /** The copy, registered; a layer in it that a statement Model Lens could not follow may have changed (in the clone_function) leaves it in doubt. */
  const done = (layers: GLayer[]): PyModel => {
    for (const l of layers) {
      const g = site.taint(l.sharedOf ?? l);
      if (g && !m.gaps.includes(g)) m.gaps.push(g);
    }
    site.addModel(m);
    return m;
  };
  const m: PyModel = { style: s.style, name: s.name, range, layers: [], inputs: [], outputs: [], items: [], training: {}, problems: [...s.problems], gaps: [...s.gaps, ...(s.doubt ? [s.doubt] : [])] };
  if (depth > 0) m.innerCopy = true;
  if (opts.keepTrainable && s.frozen) m.frozen = true;
  const gap = (message: string, after: string | null) => {
    if (!m.gaps.some((g) => g.message === message)) m.gaps.push({ range, message, after });
  };
  const fresh = (l: GLayer): GLayer => {
    const c: GLayer = { name: l.name, type: l.type, spec: l.spec, config: structuredClone(s.configs.get(l) ?? l.config), range: l.range, inputs: [], problems: l.problems.map((p) => ({ ...p })), ...(l.operation ? { operation: l.operation } : {}), ...(l.constant ? { constant: true } : {}), ...(l.implicitMask ? { implicitMask: true } : {}) };
    if (l.callTraining !== undefined) c.callTraining = l.callTraining;
    return c;
  };
  /** The clone of one layer (not an Input): by the clone_function when given, else from its config. */
  const remade = (l: GLayer): GLayer | undefined => {
    const innerSnap = s.inner.get(l);
    if (innerSnap && (opts.recursive || !opts.cloneFunction)) {
      return site.nestedLayer(cloneModel(innerSnap, at, site, { ...opts, keepTrainable: true, inputTensors: undefined }, depth + 1), at);
    }
    if (opts.cloneFunction) {
      const got = site.callCloneFunction(opts.cloneFunction, l, innerSnap?.source);
      if (!got) {
        gap(`cannot tell what the clone_function of ${opts.what} gives for layer '${l.name}', so model '${m.name}' may be incomplete here`, null);
        return undefined;
      }
      if ('model' in got) return site.nestedLayer(got.model, at);
      // A new layer becomes part of the copy; one of the model's own is shared with it (its weights too).
      if (!s.layers.includes(got.layer) && !s.items.includes(got.layer)) site.addLayer(got.layer);
      return got.layer;
    }
    const c = fresh(l);
    site.addLayer(c);
    return c;
  };

  if (isSequential(s.source)) {
    m.style = s.style;
    if (s.builtShape) m.builtShape = [...s.builtShape];
    s.items.forEach((l, i) => {
      if (l.type === 'InputLayer') {
        const given = opts.inputTensors?.[0];
        const c = fresh(l);
        if (given && Array.isArray(given.config['shape'])) c.config['shape'] = [...given.config['shape']];
        site.addLayer(c);
        m.items.push(c);
        return;
      }
      if (i === 0 && opts.inputTensors?.length) {
        // No Input before: the clone takes one of the given tensor's shape (Keras's Input(tensor=…)).
        const t = opts.inputTensors[0]!;
        const c: GLayer = { ...fresh(t), inputs: [] };
        site.addLayer(c);
        m.items.push(c);
      }
      const c = remade(l);
      if (c) m.items.push(c);
    });
    return done(m.items);
  }

  // Functional: the graph run again on new inputs, a new layer for each layer (once), a new call for each call.
  const map = new Map<GLayer, GLayer>();
  const owners = new Map<GLayer, GLayer | undefined>();
  if (opts.inputTensors && opts.inputTensors.length !== s.inputs.length) {
    gap(`${opts.what}: input_tensors has ${opts.inputTensors.length} tensors for ${s.inputs.length} inputs (Keras raises a ValueError), so model '${m.name}' may be incomplete here`, null);
  }
  s.inputs.forEach((l, i) => {
    const given = opts.inputTensors?.[i];
    if (given) {
      map.set(l, given);
      return;
    }
    const c = fresh(l);
    site.addLayer(c);
    map.set(l, c);
  });
  for (const l of s.layers) {
    if (map.has(l)) continue;
    const owner = l.sharedOf ?? l;
    let made: GLayer | undefined;
    if (!owners.has(owner)) {
      made = remade(owner);
      owners.set(owner, made);
    } else {
      const first = owners.get(owner);
      // A later call of a layer already remade: a call of that new layer (shared weights).
      if (first) {
        made = { name: first.name, type: first.type, spec: first.spec, config: first.config, range: l.range, inputs: [], problems: [], sharedOf: first.sharedOf ?? first, ...(first.nested ? { nested: first.nested } : {}) };
        site.addLayer(made);
      }
    }
    if (!made) continue;
    // A layer the clone_function gave back unchanged, or that is already called: a new call of it.
    if (made.inputs.length || s.layers.includes(made)) {
      const o = made.sharedOf ?? made;
      const call: GLayer = { name: o.name, type: o.type, spec: o.spec, config: o.config, range: l.range, inputs: [], problems: [], sharedOf: o, ...(o.nested ? { nested: o.nested } : {}) };
      site.addLayer(call);
      made = call;
    }
    const ins = l.inputs.map((x) => map.get(x));
    if (ins.some((x) => !x)) continue;
    made.inputs = ins as GLayer[];
    map.set(l, made);
  }
  const inputs = s.inputs.map((l) => map.get(l)!);
  const outputs = s.outputs.map((l) => map.get(l));
  if (outputs.some((o) => !o)) {
    gap(`${opts.what} could not be followed to the model's outputs, so model '${m.name}' may be incomplete here`, null);
    m.inputs = inputs;
    return done([...map.values()]);
  }
  m.inputs = inputs;
  m.outputs = outputs as GLayer[];
  m.layers = collectFunctional(inputs, m.outputs, new Map([...map.values()].map((l, i) => [l, i]))).layers;
  return done(m.layers);
}
