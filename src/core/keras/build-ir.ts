/**
 * Turns a reader's graph (layers, inputs, outputs) into the shared ModelIR: layers in topological
 * order with Keras names, output shapes, parameter counts and every diagnostic that belongs to them.
 */
import type { Diagnostic, LayerNode, ModelIR, ModelStyle, SourceRange, TrainingConfig } from '../model/ir';
import { graphInputs, infer, producer, tensorIndex, type GLayer, type ShapeCache } from './shape-inference';
import { blockGraph } from './custom-block';

export interface GModel {
  name: string;
  variable?: string;
  style: ModelStyle;
  range: SourceRange;
  /** Layers in topological order, InputLayer(s) first. */
  layers: GLayer[];
  inputs: GLayer[];
  outputs: GLayer[];
  training: TrainingConfig;
  problems: Diagnostic[];
}

/** `nodes` (optional) collects the IR node made for each layer (a layer can be in several models). */
export function buildModelIR(m: GModel, file: string, cache: ShapeCache, nodes?: Map<GLayer, LayerNode[]>): ModelIR {
  const diagnostics: Diagnostic[] = [...m.problems];
  const layers: LayerNode[] = [];
  let trainable = 0;
  let nonTrainable = 0;
  // A layer called more than once: its calls in this model, in the model's order; the first is its
  // node (its weights counted once), the others its later calls (Keras's node index in the model).
  const callsOf = new Map<GLayer, GLayer[]>();
  for (const l of m.layers) {
    const owner = l.sharedOf ?? l;
    callsOf.set(owner, [...(callsOf.get(owner) ?? []), l]);
  }
  const callIndex = new Map<GLayer, number>();
  for (const calls of callsOf.values()) calls.forEach((c, i) => callIndex.set(c, i));
  const nodeOf = new Map<GLayer, LayerNode>();
  // An input names the layer, which of its calls (Keras's node index) and which of that call's
  // outputs (the tensor index, for a call that returns several) feeds this one.
  const links = (ls: GLayer[]): { inputs: string[]; inputNodes?: number[]; inputTensors?: number[] } => {
    const at = ls.map((i) => callIndex.get(producer(i)) ?? 0);
    const which = ls.map(tensorIndex);
    return { inputs: ls.map((i) => producer(i).name), ...(at.some((k) => k > 0) ? { inputNodes: at } : {}), ...(which.some((k) => k > 0) ? { inputTensors: which } : {}) };
  };
  // A Sequential model is one chain: each layer takes the one before it in this model (a layer that
  // another model reuses after an Input of its own keeps its connection there).
  const chain = m.style === 'sequential' || m.style === 'sequential-add';
  let prev: GLayer | undefined;
  for (const l of m.layers) {
    const ins = chain ? (prev ? [prev] : []) : graphInputs(l);
    prev = l;
    const inf = infer(l, file, cache);
    diagnostics.push(...l.problems, ...inf.problems);
    // A call of a layer class of the file: the problems of the layers its call() used are this model's.
    for (const x of l.block?.layers ?? []) diagnostics.push(...x.problems, ...infer(x, file, cache).problems);
    const first = callsOf.get(l.sharedOf ?? l)![0]!;
    if (first !== l) {
      const node = nodeOf.get(first)!;
      // The weights are the first call's: a call on an input they do not fit is Keras's error too.
      const own = infer(first, file, cache);
      if (inf.outputShape && own.outputShape && inf.trainable + inf.nonTrainable !== own.trainable + own.nonTrainable) {
        const shape = (s: (number | null)[] | null) => (s ? `(${s.map((d) => (d === null ? 'None' : d)).join(', ')})` : '?');
        diagnostics.push({
          severity: 'error',
          code: 'shape',
          file,
          range: l.range,
          layer: l.name,
          message: `${l.type} '${l.name}' is called again here on ${l.inputs.map((i) => shape(cache.get(i)?.outputShape ?? null)).join(', ')}, but its weights fit ${first.inputs.map((i) => shape(cache.get(i)?.outputShape ?? null)).join(', ')}, the input of its first call; a shared layer needs inputs of the same size`,
        });
      }
      (node.calls ??= []).push({ ...links(ins), outputShape: inf.outputShape, ...(inf.outputShapes ? { outputShapes: inf.outputShapes } : {}) });
      continue;
    }
    // A layer first called in another model, here on an input its weights do not fit: Keras's error.
    if (l.sharedOf) {
      const own = infer(l.sharedOf, file, cache);
      if (inf.outputShape && own.outputShape && inf.trainable + inf.nonTrainable !== own.trainable + own.nonTrainable) {
        diagnostics.push({ severity: 'error', code: 'shape', file, range: l.range, layer: l.name, message: `${l.type} '${l.name}' is used here on an input of another size than in the model it was first used in, so its weights do not fit (Keras raises an error); make a new layer here` });
      }
    }
    // A non-trainable layer (trainable=False) keeps its weights but none of them train.
    const frozen = l.config['trainable'] === false;
    const t = frozen ? 0 : inf.trainable;
    const nt = frozen ? inf.trainable + inf.nonTrainable : inf.nonTrainable;
    trainable += t;
    nonTrainable += nt;
    const graph = l.block ? blockGraph(l, file, cache, nodes) : l.innerGraph?.(l.inputs.map((i) => cache.get(i)?.outputShape ?? null));
    const node: LayerNode = {
      name: l.name,
      type: l.type,
      config: l.config,
      ...links(ins),
      outputShape: inf.outputShape,
      ...(inf.outputShapes ? { outputShapes: inf.outputShapes } : {}),
      params: t + nt,
      trainableParams: t,
      nonTrainableParams: nt,
      range: l.range,
      ...(l.nested ? { nested: { ...l.nested, ...(graph ? { graph } : {}) } } : {}),
      ...(l.block ? { nested: { model: l.name, line: l.range.line, block: true as const, ...(graph ? { graph } : {}) } } : {}),
      ...(l.callTraining !== undefined ? { callTraining: l.callTraining } : {}),
      ...(l.operation ? { operation: l.operation } : {}),
      ...(l.implicitMask ? { implicitMask: true as const } : {}),
      ...(l.subclass ? { subclass: l.subclass } : {}),
      ...(l.constant ? { constant: true as const } : {}),
    };
    layers.push(node);
    nodeOf.set(l, node);
    if (nodes) nodes.set(l, [...(nodes.get(l) ?? []), node]);
  }
  return {
    name: m.name,
    ...(m.variable !== undefined ? { variable: m.variable } : {}),
    style: m.style,
    range: m.range,
    layers,
    inputs: m.inputs.map((l) => l.name),
    outputs: m.outputs.map((l) => producer(l).name),
    ...(m.outputs.some((l) => (callIndex.get(producer(l)) ?? 0) > 0) ? { outputNodes: m.outputs.map((l) => callIndex.get(producer(l)) ?? 0) } : {}),
    ...(m.outputs.some((l) => tensorIndex(l) > 0) ? { outputTensors: m.outputs.map(tensorIndex) } : {}),
    totalParams: trainable + nonTrainable,
    trainableParams: trainable,
    nonTrainableParams: nonTrainable,
    training: m.training,
    diagnostics: dedupe(diagnostics),
  };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.range.line}:${d.range.column}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Layers a functional model consists of: everything reachable backwards from the outputs,
 * stopping at the inputs, in the order Keras lists them (`model.layers`, the rows of
 * `summary()`): grouped by depth, the distance from the outputs, deepest first; within one depth
 * in the order a walk from the outputs first meets them (Keras's `map_graph`, which TF.js's
 * `LayersModel` follows too). So a residual block's shortcut convolution comes after the main
 * branch's, as Keras prints ResNet50. A subclassed model lists its layers in the order they were
 * made (Keras tracks its attributes), here the order they were called: `byCalls` with `order`.
 */
export function collectFunctional(inputs: GLayer[], outputs: GLayer[], order: Map<GLayer, number>, byCalls = false): { layers: GLayer[]; stray: GLayer[] } {
  const inputSet = new Set(inputs);
  const stray: GLayer[] = [];
  // Walk from the outputs, iteratively (a deep model must not overflow the stack): a layer's index
  // is the order it is first met; `post` lists each layer after everything it depends on.
  const index = new Map<GLayer, number>();
  const post: GLayer[] = [];
  const done = new Set<GLayer>();
  // A tensor that is one of a call's several outputs stands for that call (its producer).
  for (const out of new Set(outputs.map(producer))) {
    const stack: { l: GLayer; next: number }[] = [{ l: out, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const l = top.l;
      if (top.next === 0) {
        if (done.has(l)) {
          stack.pop();
          continue;
        }
        if (!index.has(l)) index.set(l, index.size);
        if (!inputSet.has(l) && (l.type === 'InputLayer' || (l.inputs.length === 0 && l.spec && !l.operation))) stray.push(l);
      }
      const ins = inputSet.has(l) ? [] : graphInputs(l).map(producer);
      if (top.next < ins.length) {
        const i = ins[top.next++]!;
        if (!done.has(i) && !stack.some((f) => f.l === i)) stack.push({ l: i, next: 0 });
        continue;
      }
      stack.pop();
      done.add(l);
      post.push(l);
    }
  }
  for (const i of inputs) {
    if (!index.has(i)) index.set(i, index.size);
    if (!done.has(i)) {
      done.add(i);
      post.push(i);
    }
  }
  // Depth: 0 at the outputs, a layer one deeper than the deepest layer it feeds.
  const depth = new Map<GLayer, number>();
  for (let k = post.length - 1; k >= 0; k--) {
    const l = post[k]!;
    const d = depth.get(l) ?? 0;
    depth.set(l, d);
    if (inputSet.has(l)) continue;
    for (const i of graphInputs(l).map(producer)) depth.set(i, Math.max(depth.get(i) ?? 0, d + 1));
  }
  // Inputs no output depends on (Keras keeps them too) stand deepest.
  let maxDepth = 0;
  for (const d of depth.values()) maxDepth = Math.max(maxDepth, d);
  for (const i of inputs) if (!depth.has(i)) depth.set(i, maxDepth + 1);
  const rank = (l: GLayer) => (inputSet.has(l) ? -1e9 + inputs.indexOf(l) : (order.get(l) ?? 0));
  const layers = [...done].sort(byCalls ? (a, b) => rank(a) - rank(b) : (a, b) => depth.get(b)! - depth.get(a)! || index.get(a)! - index.get(b)!);
  return { layers, stray };
}
