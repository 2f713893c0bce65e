/**
 * Shape inference and parameter counting over a layer graph, exactly as Keras computes them.
 * One pure function per layer lives in the layer table; this walks the graph (each layer after its
 * inputs), turns a layer's ShapeError into a diagnostic that names the layer and what to change,
 * and never cascades: a layer whose input shape is unknown gets an unknown shape silently.
 */
import type { Diagnostic, ModelIR, Shape, SourceRange, ConfigValue } from '../model/ir';
import { ShapeError, type LayerSpec } from './layer-table';

/** A layer of a graph as the readers build it (one application per layer). */
export interface GLayer {
  name: string;
  type: string;
  /** Undefined for a layer type Model Lens does not support. */
  spec: LayerSpec | undefined;
  config: Record<string, ConfigValue>;
  range: SourceRange;
  /** Layers whose outputs feed this one, in call order. */
  inputs: GLayer[];
  /** Problems found while reading this layer's arguments. */
  problems: Diagnostic[];
  /**
   * A later call of a layer called more than once (shared weights): same name, spec and config as
   * the layer, its own inputs and output shape; the IR lists it as a call of that layer.
   */
  sharedOf?: GLayer;
  /** A class of the file that only re-routes a built-in layer (`class MCDropout(layers.Dropout)`): the type Keras prints. */
  subclass?: string;
  /** The call fixed its mode: `layer(x, training=False)` (inference mode even in fit) or `training=True`. */
  callTraining?: boolean;
  /** A Lambda's output shape, found by reading its Python function on a tensor of its input's shape (see keras-host's traceLambda). */
  traced?: Shape;
  /** A Lambda whose function returns a list or tuple of tensors (`lambda t: [t[..., :k], t[..., k:]]`): each one's shape. */
  tracedMany?: Shape[];
  /** Another model used as this one layer. */
  nested?: { model: string; line: number };
  /** A tensor operation (`keras.ops.mean`, `operator +`), not a layer: no weights, the operation's shape rule (tensor-ops.ts). */
  operation?: string;
  /** Made from constants only (`ops.arange(…)`, a layer called on it): a tensor without a batch axis. */
  constant?: true;
  /**
   * Computed when the file runs, outside any model (`pos = layers.Embedding(…)(tf.range(200))` at the
   * top level): Keras records no node for it and counts none of its weights in a model; a model
   * operation it is given to (`x + pos`) takes it as a constant operand.
   */
  eager?: true;
  /** That model's own graph for the shapes this layer gets (the JSON reader reads it per input shape). */
  innerGraph?: (inputs: (Shape | null)[]) => ModelIR | undefined;
  /**
   * Options of this call that change what it returns (`return_attention_scores=True`), given to
   * the spec's outputCount/outputShapes.
   */
  callOptions?: Record<string, ConfigValue>;
  /**
   * One of the tensors a call returns when it returns several (`out, h, c = LSTM(…,
   * return_state=True)(x)`): not a layer but the `index`-th output of `layer` (Keras's tensor
   * index). Only tensors and model outputs refer to it; a model's layers never list it.
   */
  outputOf?: { layer: GLayer; index: number };
  /**
   * Keras 3's mask of an Embedding(mask_zero=True) output (`ops.not_equal(ids, 0)`), made by Keras
   * itself and passed to the layer that reads masks (an LSTM): an operation row of the model that
   * the file does not write. The layers reading it take it after their input; it has no shape role there.
   */
  implicitMask?: true;
  /**
   * A call of a layer class of the file (`TransformerBlock(…)(x)`): Keras lists it as one row whose
   * weights are those of the layers its call() used (`layers`, each a node of the graph on the call's
   * inputs) and whose outputs are those of `outputs` (several: the call returns a tuple).
   */
  block?: { layers: GLayer[]; outputs: GLayer[]; own?: { trainable: number; nonTrainable: number } };
}

/** The inputs a model's graph links a node to: not eager values (constant operands, not nodes of the model). */
export const graphInputs = (l: GLayer): GLayer[] => (l.inputs.some((i) => i.eager) ? l.inputs.filter((i) => !i.eager) : l.inputs);

/** The inputs whose shapes a layer's spec reads: all but an implicit mask. */
export const dataInputs = (l: GLayer): GLayer[] => (l.inputs.some((i) => i.implicitMask) ? l.inputs.filter((i) => !i.implicitMask) : l.inputs);

/** The layer (call) whose output a tensor is: itself, or for one of several outputs, the call that returns it. */
export const producer = (l: GLayer): GLayer => l.outputOf?.layer ?? l;
/** Which of its producer's outputs a tensor is (Keras's tensor index; 0 for a layer with one output). */
export const tensorIndex = (l: GLayer): number => l.outputOf?.index ?? 0;

/** The `index`-th of the tensors a call returns, as a node of its own (see GLayer.outputOf). */
export function outputTensor(layer: GLayer, index: number): GLayer {
  return { name: layer.name, type: layer.type, spec: layer.spec, config: layer.config, range: layer.range, inputs: [layer], problems: [], outputOf: { layer, index } };
}

/** How many tensors a call of the layer returns (1 for most; an RNN with return_state=True more). */
export function outputCount(l: GLayer): number {
  return l.tracedMany?.length ?? l.spec?.outputCount?.(l.config, l.callOptions ?? {}) ?? 1;
}

export interface Inferred {
  /** The shape of its output (of its first output, when it returns several). */
  outputShape: Shape | null;
  /** Every output's shape, when the call returns more than one tensor (Keras's order). */
  outputShapes?: Shape[];
  trainable: number;
  nonTrainable: number;
  formula: string;
  /** Shape problems of this very layer. */
  problems: Diagnostic[];
}

export type ShapeCache = Map<GLayer, Inferred>;

export function infer(layer: GLayer, file: string, cache: ShapeCache): Inferred {
  const hit = cache.get(layer);
  if (hit) return hit;
  // Iterative post-order so deep (generated) graphs cannot overflow the stack. A layer is
  // "expanding" from when its inputs are pushed until it is inferred; meeting one again from above
  // means a cycle (only possible in a malformed JSON file), and it is inferred with unknown inputs.
  // A layer reached twice on different paths (a diamond: a → b, a → c → b) is inferred once, after
  // all its inputs.
  const stack: { layer: GLayer; ready: boolean }[] = [{ layer, ready: false }];
  const expanding = new Set<GLayer>();
  while (stack.length) {
    const { layer: top, ready } = stack.pop()!;
    if (cache.has(top)) continue;
    if (ready) {
      expanding.delete(top);
      if (top.outputOf) {
        // One output of a call that returns several: its shape is that output's, nothing else of its own.
        const of = cache.get(top.outputOf.layer);
        const shape = of?.outputShapes?.[top.outputOf.index] ?? (top.outputOf.index === 0 && !of?.outputShapes ? (of?.outputShape ?? null) : null);
        cache.set(top, { outputShape: shape, trainable: 0, nonTrainable: 0, formula: 'no weights', problems: [] });
        continue;
      }
      if (top.block) {
        cache.set(top, inferBlock(top.block, cache, file));
        continue;
      }
      // A layer given a call's several outputs as one input (an LSTM with return_state=True in a
      // Sequential model) gets a tuple, not a tensor: its shape is unknown, with the error.
      const ins = dataInputs(top);
      const several = ins.filter((i) => cache.get(i)?.outputShapes);
      cache.set(top, inferOne(top, ins.map((i) => (cache.get(i)?.outputShapes ? null : (cache.get(i)?.outputShape ?? null))), file, several));
      continue;
    }
    if (expanding.has(top)) continue;
    expanding.add(top);
    stack.push({ layer: top, ready: true });
    for (const i of [...top.inputs, ...(top.block?.outputs ?? [])]) if (!cache.has(i) && !expanding.has(i)) stack.push({ layer: i, ready: false });
  }
  return cache.get(layer)!;
}

/** A call of a layer class of the file: its outputs' shapes; the weights of the layers it used, each counted once. */
function inferBlock(block: NonNullable<GLayer['block']>, cache: ShapeCache, file: string): Inferred {
  const shapes = block.outputs.map((o) => cache.get(o)?.outputShape ?? null);
  let trainable = 0;
  let nonTrainable = 0;
  const seen = new Set<GLayer>();
  for (const l of block.layers) {
    const owner = l.sharedOf ?? l;
    if (seen.has(owner)) continue;
    seen.add(owner);
    const r = infer(owner, file, cache);
    if (owner.config['trainable'] === false) nonTrainable += r.trainable + r.nonTrainable;
    else {
      trainable += r.trainable;
      nonTrainable += r.nonTrainable;
    }
  }
  trainable += block.own?.trainable ?? 0;
  nonTrainable += block.own?.nonTrainable ?? 0;
  const known = shapes.every((s) => s !== null);
  return {
    outputShape: known ? shapes[0]! : null,
    ...(known && shapes.length > 1 ? { outputShapes: shapes as Shape[] } : {}),
    trainable,
    nonTrainable,
    formula: `the weights of the ${seen.size} layer${seen.size === 1 ? '' : 's'} its call() uses`,
    problems: [],
  };
}

function inferOne(layer: GLayer, inputShapes: (Shape | null)[], file: string, several: GLayer[] = []): Inferred {
  const unknown: Inferred = { outputShape: null, trainable: 0, nonTrainable: 0, formula: '?', problems: [] };
  const spec = layer.spec;
  if (!spec) return unknown;
  if (layer.problems.some((p) => p.severity === 'error')) return unknown;
  if (several.length) {
    const s = several[0]!;
    const n = outputCount(s);
    const message =
      `${layer.type} '${layer.name}': gets the ${n} tensors that ${s.type} '${s.name}' returns${s.config['return_state'] === true ? ' (return_state=True)' : ''} as one input, ` +
      `but a layer takes a tensor; in a functional model unpack them (e.g. out, *states = ${s.name}(x)) and pass one on — a Sequential model passes one tensor from layer to layer`;
    return { ...unknown, problems: [{ severity: 'error', code: 'shape', file, range: layer.range, layer: layer.name, message }] };
  }
  if (spec.type !== 'InputLayer' && !layer.operation && inputShapes.length === 0) return unknown;
  if (inputShapes.some((s) => s === null)) return unknown;
  const shapes = inputShapes as Shape[];
  const problems: Diagnostic[] = [];
  const problem = (message: string) =>
    problems.push({ severity: 'error', code: 'shape', file, range: layer.range, layer: layer.name, message: `${layer.type} '${layer.name}': ${message}` });
  if (spec.type === 'Dense' && shapes[0] && shapes[0].length >= 4) {
    const dims = shapes[0];
    const shown = '(' + dims.map((d) => (d === null ? 'None' : String(d))).join(', ') + ')';
    problem(
      `gets the ${dims.length}-D tensor ${shown}, but Dense only mixes the last axis, so its output would stay ${dims.length}-D. ` +
        `Add layers.Flatten() (or layers.GlobalAveragePooling2D()) before it`,
    );
  }
  if (layer.tracedMany && spec.type === 'Lambda' && layer.config['output_shape'] == null) return { outputShape: layer.tracedMany[0]!, outputShapes: layer.tracedMany, trainable: 0, nonTrainable: 0, formula: 'no weights', problems };
  if (layer.traced && spec.type === 'Lambda' && layer.config['output_shape'] == null) return { outputShape: layer.traced, trainable: 0, nonTrainable: 0, formula: 'no weights', problems };
  try {
    const outputShape = spec.outputShape(shapes, layer.config);
    const many = spec.outputShapes?.(shapes, layer.config, layer.callOptions ?? {});
    let p = { trainable: 0, nonTrainable: 0, formula: 'no weights' };
    try {
      p = spec.params(shapes, layer.config);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      problem(e.message);
    }
    return { outputShape: many?.[0] ?? outputShape, ...(many && many.length > 1 ? { outputShapes: many } : {}), trainable: p.trainable, nonTrainable: p.nonTrainable, formula: p.formula, problems };
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    problem(e.message);
    return { ...unknown, problems };
  }
}
