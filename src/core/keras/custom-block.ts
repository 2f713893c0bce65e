/**
 * A call of a layer class of the file (`class TransformerBlock(layers.Layer)`, `x =
 * TransformerBlock(…)(x)`): Keras's `summary()` prints it as one row — `transformer_block
 * (TransformerBlock)`, the call's output shape, the weights of the layers it uses — connected to
 * the call's inputs. Its call() is read on the call's tensors as any Python; afterwards the nodes that
 * reading made are folded into one node (`GLayer.block`) whose own graph the panel opens and the
 * engine builds as a sub-model (like a model used as a layer).
 */
import type { LayerNode, ModelIR, SourceRange } from '../model/ir';
import { buildModelIR, collectFunctional } from './build-ir';
import { ShapeError, type LayerSpec } from './layer-table';
import { NONE } from './layers/spec';
import { infer, type GLayer, type ShapeCache } from './shape-inference';

/** The spec of a block node: its shapes and counts come from its graph (shape-inference's inferBlock), never from these. */
function blockSpec(cls: string, name: string, line: number): LayerSpec {
  return {
    type: cls,
    family: 'core',
    kind: 'other',
    multiInput: true,
    tfjs: { none: `a layer class of the file is built from the layers its call() uses` },
    doc: `The file's layer class ${cls} ('${name}', line ${line}): one layer made of the layers its call() uses.`,
    args: [],
    outputShape: () => {
      throw new ShapeError(`the shape of a ${cls} call comes from the layers its call() uses`);
    },
    params: () => NONE,
  };
}

/**
 * The block node for a call that read `inputs` into `outputs`, making nodes after `mark` (the
 * reader's order counter); undefined when the call cannot be one row: it used a tensor it was not
 * given (an earlier layer's output kept on `self`), or a tensor that is one of several outputs.
 */
export function foldBlock(
  at: { cls: string; name: string; range: SourceRange; first?: GLayer; own?: { trainable: number; nonTrainable: number } },
  inputs: GLayer[],
  outputs: GLayer[],
  order: Map<GLayer, number>,
  mark: number,
): GLayer | undefined {
  if (!inputs.length || !outputs.length || inputs.some((i) => i.outputOf)) return undefined;
  const { layers, stray } = collectFunctional(inputs, outputs, order);
  const inputSet = new Set(inputs);
  const inner = layers.filter((l) => !inputSet.has(l));
  // A weight of the layer (add_weight in __init__ or build()) was made before the call: its own.
  if (stray.length || inner.some((l) => (order.get(l) ?? 0) <= mark && l.operation !== 'add_weight')) return undefined;
  const owner = at.first;
  return {
    name: at.name,
    type: at.cls,
    spec: owner?.spec ?? blockSpec(at.cls, at.name, at.range.line),
    config: owner?.config ?? { name: at.name },
    range: at.range,
    inputs,
    problems: [],
    block: { layers: inner, outputs, ...(at.own && !owner ? { own: at.own } : {}) },
    ...(owner ? { sharedOf: owner } : {}),
  };
}

/**
 * The block's own graph as a model of its own, for the panel and the engine: its inputs become
 * Input layers (`transformer_block_input`, `…_input_1`) of the shapes it is called on.
 */
export function blockGraph(block: GLayer, file: string, cache: ShapeCache, nodes?: Map<GLayer, LayerNode[]>): ModelIR | undefined {
  const b = block.block;
  if (!b) return undefined;
  const stubName = (k: number) => `${block.name}_input${block.inputs.length > 1 ? `_${k}` : ''}`;
  const ir = buildModelIR(
    { name: block.name, style: 'functional', range: block.range, layers: [...block.inputs, ...b.layers], inputs: block.inputs, outputs: b.outputs, training: {}, problems: [] },
    file,
    cache,
    nodes,
  );
  const rename = new Map(block.inputs.map((l, k) => [l.name, stubName(k)]));
  const layers: LayerNode[] = ir.layers.map((l) => {
    const stub = rename.get(l.name);
    if (stub !== undefined && block.inputs.some((i) => i.name === l.name)) {
      const shape = infer(block.inputs.find((i) => i.name === l.name)!, file, cache).outputShape;
      return { name: stub, type: 'InputLayer', config: { name: stub, shape: shape ? shape.slice(1) : null }, inputs: [], outputShape: shape, params: 0, trainableParams: 0, nonTrainableParams: 0, range: block.range };
    }
    // In place: the reader attaches the graphs of models used inside to these very nodes.
    const re = (names: string[]) => names.map((n) => rename.get(n) ?? n);
    l.inputs = re(l.inputs);
    for (const c of l.calls ?? []) c.inputs = re(c.inputs);
    return l;
  });
  const own = infer(block, file, cache);
  return {
    ...ir,
    layers,
    inputs: ir.inputs.map((n) => rename.get(n) ?? n),
    totalParams: own.trainable + own.nonTrainable,
    trainableParams: own.trainable,
    nonTrainableParams: own.nonTrainable,
    diagnostics: [],
  };
}
