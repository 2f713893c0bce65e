/**
 * Turns a reader's graph (layers, inputs, outputs) into the shared ModelIR: layers in topological
 * order with Keras names, output shapes, parameter counts and every diagnostic that belongs to them.
 */
import type { Diagnostic, LayerNode, ModelIR, ModelStyle, SourceRange, TrainingConfig } from '../model/ir';
import { infer, type GLayer, type ShapeCache } from './shape-inference';

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

export function buildModelIR(m: GModel, file: string, cache: ShapeCache): ModelIR {
  const diagnostics: Diagnostic[] = [...m.problems];
  const layers: LayerNode[] = [];
  let trainable = 0;
  let nonTrainable = 0;
  for (const l of m.layers) {
    const inf = infer(l, file, cache);
    diagnostics.push(...l.problems, ...inf.problems);
    // A non-trainable layer (trainable=False) keeps its weights but none of them train.
    const frozen = l.config['trainable'] === false;
    const t = frozen ? 0 : inf.trainable;
    const nt = frozen ? inf.trainable + inf.nonTrainable : inf.nonTrainable;
    trainable += t;
    nonTrainable += nt;
    layers.push({
      name: l.name,
      type: l.type,
      config: l.config,
      inputs: l.inputs.map((i) => i.name),
      outputShape: inf.outputShape,
      params: t + nt,
      trainableParams: t,
      nonTrainableParams: nt,
      range: l.range,
      ...(l.nested ? { nested: l.nested } : {}),
    });
  }
  return {
    name: m.name,
    ...(m.variable !== undefined ? { variable: m.variable } : {}),
    style: m.style,
    range: m.range,
    layers,
    inputs: m.inputs.map((l) => l.name),
    outputs: m.outputs.map((l) => l.name),
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
 * stopping at the inputs, in the order given by `order` (the order layers were called).
 */
export function collectFunctional(inputs: GLayer[], outputs: GLayer[], order: Map<GLayer, number>): { layers: GLayer[]; stray: GLayer[] } {
  const inputSet = new Set(inputs);
  const seen = new Set<GLayer>();
  const stray: GLayer[] = [];
  const stack = [...outputs];
  while (stack.length) {
    const l = stack.pop()!;
    if (seen.has(l)) continue;
    seen.add(l);
    if (inputSet.has(l)) continue;
    if (l.type === 'InputLayer' || (l.inputs.length === 0 && l.spec)) stray.push(l);
    stack.push(...l.inputs);
  }
  for (const i of inputs) seen.add(i);
  const rank = (l: GLayer) => (inputSet.has(l) ? -1e9 + inputs.indexOf(l) : (order.get(l) ?? 0));
  return { layers: [...seen].sort((a, b) => rank(a) - rank(b)), stray };
}
