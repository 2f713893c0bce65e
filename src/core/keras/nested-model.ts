/**
 * A model used as a layer of another (`model.add(base)`, `y = base(x)`): one node whose output
 * shape is the inner model's output for the input it gets, and whose parameters are the inner
 * model's total — as Keras's `summary()` prints it (one row, `expand_nested=False`).
 */
import type { Shape } from '../model/ir';
import type { PyModel } from './keras-values';
import { layerSpec, ShapeError, type LayerSpec, type Params } from './layer-table';
import { infer, type GLayer, type ShapeCache } from './shape-inference';

/** The inner model's layers run on `input` (its own Input when it has one). */
function runInner(inner: PyModel, inputs: Shape[], file: string): { out: Shape | null; outs: (Shape | null)[]; trainable: number; nonTrainable: number; failed: string | null } {
  let layers = inner.layers;
  let outputs = inner.outputs;
  if (!inner.inputs.length) {
    // A Sequential model made without an input shape takes the shape of what it is called on.
    const first = inputs[0];
    if (!first) return { out: null, outs: [], trainable: 0, nonTrainable: 0, failed: null };
    const input: GLayer = { name: `${inner.name}_input`, type: 'InputLayer', spec: layerSpec('InputLayer'), config: { shape: first.slice(1), batch_size: null, dtype: 'float32', sparse: false, batch_shape: null, name: `${inner.name}_input` }, range: inner.range, inputs: [], problems: [] };
    const copies: GLayer[] = [input];
    for (const l of inner.items) copies.push({ ...l, inputs: [copies[copies.length - 1]!] });
    layers = copies;
    outputs = copies.length > 1 ? [copies[copies.length - 1]!] : [];
  }
  else {
    const called = onCallShapes(inner, inputs);
    if (called) ({ layers, outputs } = called);
  }
  const cache: ShapeCache = new Map();
  let trainable = 0;
  let nonTrainable = 0;
  let failed: string | null = null;
  for (const l of layers) {
    const r = infer(l, file, cache);
    const frozen = inner.frozen || l.config['trainable'] === false;
    trainable += frozen ? 0 : r.trainable;
    nonTrainable += frozen ? r.trainable + r.nonTrainable : r.nonTrainable;
    if (!failed && (r.problems.length || l.problems.some((p) => p.severity === 'error') || !l.spec)) failed = l.name;
  }
  const outs = outputs.map((o) => cache.get(o)?.outputShape ?? null);
  const out = outputs.length === 1 ? outs[0]! : null;
  return { out, outs, trainable, nonTrainable, failed };
}

/**
 * A model whose Input leaves dimensions open (`VGG16(include_top=False)`: (None, None, None, 3))
 * called on a tensor that has them: Keras runs its layers on that tensor, so the call's output has
 * the sizes (DLwP 2nd ed. ch. 8 flattens a VGG16 base called on 180×180 images). Its layers are read
 * again on copies whose Inputs take the call's shapes (the weights are the same: they were built on
 * the open dimensions). Undefined when the call gives no dimension the Inputs leave open.
 */
function onCallShapes(inner: PyModel, inputs: Shape[]): { layers: GLayer[]; outputs: GLayer[] } | undefined {
  if (inputs.length !== inner.inputs.length) return undefined;
  const opens = inner.inputs.map((input, i) => {
    const want = input.config['shape'];
    const got = inputs[i];
    return Array.isArray(want) && !!got && want.length === got.length - 1 && want.some((d, j) => d === null && got[j + 1] !== null);
  });
  if (!opens.some(Boolean)) return undefined;
  const copies = new Map<GLayer, GLayer>();
  inner.inputs.forEach((input, i) => {
    if (opens[i]) copies.set(input, { ...input, config: { ...input.config, shape: inputs[i]!.slice(1) }, inputs: [] });
  });
  // A tensor that is one output of a call stands for that call: its copy points at the call's copy.
  const remap = (t: GLayer): GLayer => {
    const done = copies.get(t);
    if (done) return done;
    const of = t.outputOf && copies.get(t.outputOf.layer);
    if (!of) return t;
    const c: GLayer = { ...t, outputOf: { ...t.outputOf!, layer: of } };
    copies.set(t, c);
    return c;
  };
  const layers = inner.layers.map((l) => {
    const done = copies.get(l);
    if (done) return done;
    const c: GLayer = { ...l, inputs: l.inputs.map(remap) };
    copies.set(l, c);
    return c;
  });
  return { layers, outputs: inner.outputs.map(remap) };
}

export function nestedSpec(inner: PyModel, file: string): LayerSpec {
  const type = inner.style === 'functional' ? 'Functional' : inner.style === 'subclassed' ? (inner.self?.cls.name ?? 'Model') : 'Sequential';
  return {
    type,
    family: 'core',
    kind: 'other',
    tfjs: { none: 'a model used as a layer is built from its own layers, not as one layer' },
    doc: `The model '${inner.name}' (line ${inner.range.line}) used as one layer.`,
    args: [],
    multiInput: inner.inputs.length > 1,
    // A functional model with several outputs returns them all when called (`mu, sigma, z = encoder(x)`).
    ...(inner.outputs.length > 1
      ? {
          outputCount: () => inner.outputs.length,
          outputShapes(inputs: Shape[]): Shape[] | undefined {
            const r = runInner(inner, inputs, file);
            return r.outs.every((o) => o !== null) ? (r.outs as Shape[]) : undefined;
          },
        }
      : {}),
    outputShape(inputs: Shape[]): Shape {
      // Keras checks a call against the model's Input shapes (its input_spec): a dimension that differs is its error.
      inner.inputs.forEach((input, i) => {
        const want = input.config['shape'];
        const got = inputs[i];
        if (!Array.isArray(want) || !got) return;
        const bad = want.length !== got.length - 1 || want.some((d, j) => d !== null && got[j + 1] !== null && d !== got[j + 1]);
        if (bad) throw new ShapeError(`model '${inner.name}' takes inputs of shape (None, ${want.map((d) => (d === null ? 'None' : d)).join(', ')}) and is called on (${got.map((d) => (d === null ? 'None' : d)).join(', ')}); Keras raises a ValueError (incompatible input)`);
      });
      const r = runInner(inner, inputs, file);
      if (r.failed) throw new ShapeError(`its layer '${r.failed}' has a problem (see model '${inner.name}', line ${inner.range.line})`);
      if (inner.outputs.length > 1 && r.outs.every((o) => o !== null)) return r.outs[0]!;
      if (!r.out) throw new ShapeError(`model '${inner.name}' has no single output whose shape Model Lens can work out`);
      return r.out;
    },
    params(inputs: Shape[]): Params {
      const r = runInner(inner, inputs, file);
      return { trainable: r.trainable, nonTrainable: r.nonTrainable, formula: `the weights of the ${inner.layers.length} layers of model '${inner.name}'` };
    },
  };
}

/**
 * `TimeDistributed(model)`: the model applied to every step of axis 1 with the same weights (a CNN over
 * video frames). Output (batch, time, …the model's output without its batch axis); weights: the model's.
 */
export function timeDistributedModelSpec(inner: PyModel, file: string): LayerSpec {
  const each = nestedSpec(inner, file);
  return {
    ...each,
    type: 'TimeDistributed',
    family: 'recurrent',
    tfjs: { none: `TimeDistributed of model '${inner.name}' is not built in TF.js by Model Lens` },
    doc: `Applies the model '${inner.name}' (line ${inner.range.line}) to every time step (axis 1) separately, with the same weights for every step.`,
    multiInput: false,
    outputCount: undefined,
    outputShapes: undefined,
    outputShape([x]: Shape[]): Shape {
      if (!x || x.length < 3) throw new ShapeError(`it needs an input with a time axis (batch, time, …) but gets ${x?.length ?? 0}-D`);
      const out = each.outputShape([[null, ...x.slice(2)]], {});
      return [null, x[1]!, ...out.slice(1)];
    },
    params([x]: Shape[]): Params {
      return each.params([[null, ...(x ?? []).slice(2)]], {});
    },
  };
}
