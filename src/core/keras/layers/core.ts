/**
 * Core layers (keras/src/layers/core): InputLayer, Dense, EinsumDense, Embedding, Identity,
 * Lambda (with output_shape) and Masking.
 */
import type { Shape } from '../../model/ir';
import { activationArg, activityArg, dot, init, lastDim, NONE, sameShape, ShapeError, type ArgSpec, type LayerSpec } from './spec';

const actOf = (c: Record<string, unknown>) => (typeof c['activation'] === 'string' && c['activation'] !== 'linear' ? [c['activation']] : []);

/** EinsumDense's kernel, bias and output shapes, as Keras's `_analyze_split_string` works them out. */
export function einsumShapes(equation: string, biasAxes: string | null, input: Shape, outputShape: (number | null)[] | number): { kernel: (number | null)[]; bias: (number | null)[] | null; output: Shape } {
  const eq = equation.replace(/\.\.\./g, '0');
  let m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(eq);
  let leftElided = false;
  if (!m) {
    m = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$/.exec(eq);
    leftElided = !!m;
  }
  m ??= /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$/.exec(eq);
  if (!m) throw new ShapeError(`equation '${equation}' is not of the form [X],[Y]->[Z], ...[X],[Y]->...[Z] or [X]...,[Y]->[Z]...`);
  const [, inSpec, wSpec, outSpec] = m as unknown as [string, string, string, string];
  const elided = input.length - inSpec.length;
  const out: Shape = [input[0] ?? null, ...(typeof outputShape === 'number' ? [outputShape] : outputShape)];
  if (elided > 0 && leftElided) for (let i = 1; i < elided; i++) out.splice(1, 0, input[i]!);
  else if (elided > 0) for (let i = input.length - elided; i < input.length; i++) out.push(input[i]!);
  const inMap = new Map([...inSpec].map((d, i) => [d, leftElided ? i + elided : i]));
  const outMap = new Map([...outSpec].map((d, i) => [d, leftElided ? i + elided : i]));
  for (const d of inSpec) {
    const o = outMap.get(d);
    if (o !== undefined && out[o] !== null && out[o] !== input[inMap.get(d)!]) {
      throw new ShapeError(`input and output_shape differ at the shared axis '${d}': ${input[inMap.get(d)!]} vs ${out[o]}`);
    }
  }
  for (const d of outSpec) if (!inSpec.includes(d) && !wSpec.includes(d)) throw new ShapeError(`axis '${d}' of the output '${outSpec}' is in neither the input nor the weight spec`);
  const kernel = [...wSpec].map((d) => {
    if (outMap.has(d)) return out[outMap.get(d)!]!;
    if (inMap.has(d)) return input[inMap.get(d)!]!;
    throw new ShapeError(`weight axis '${d}' is in neither the input '${inSpec}' nor the output '${outSpec}'`);
  });
  let bias: (number | null)[] | null = null;
  if (biasAxes) {
    for (const ch of biasAxes) if (!outSpec.includes(ch)) throw new ShapeError(`bias axis '${ch}' is not in the output spec '${outSpec}'`);
    const first = Math.min(...[...biasAxes].map((ch) => outSpec.indexOf(ch)));
    const shift = leftElided ? elided : 0;
    bias = [...outSpec.slice(first)].map((ch) => (biasAxes.includes(ch) ? out[outSpec.indexOf(ch) + shift]! : 1));
  }
  // The tensor a call returns has the input's size on an axis output_shape leaves None
  // (Keras's docstring: "abc,cd->abd" with output_shape=(None, 64) on (None, 32, 128) → (None, 32, 64)).
  const shown: Shape = out.map((d, i) => {
    if (d !== null || i === 0) return d;
    const letter = [...outMap].find(([, at]) => at === i)?.[0];
    return letter !== undefined && inMap.has(letter) ? input[inMap.get(letter)!]! : null;
  });
  return { kernel, bias, output: shown };
}

const sizeOf = (dims: (number | null)[], what: string): number =>
  dims.reduce<number>((a, d) => {
    if (d === null) throw new ShapeError(`the ${what} has an unknown size; give the input a full shape`);
    return a * d;
  }, 1);

export const CORE: LayerSpec[] = [
  {
    type: 'InputLayer',
    family: 'core',
    kind: 'input',
    tfjs: { className: 'InputLayer' },
    doc: 'The model input: a tensor of the given shape (batch axis not included). Created by keras.Input(shape=...).',
    args: [
      { name: 'shape', kind: 'shape', default: null, doc: 'Input shape without the batch axis, e.g. (28, 28, 1).', tfjs: 'inputShape' },
      { name: 'batch_size', kind: 'int', default: null, doc: 'Fixed batch size (usually None).' },
      { name: 'dtype', kind: 'string', default: 'float32', doc: 'Data type of the input.' },
      { name: 'sparse', kind: 'bool', default: false, doc: 'Whether the input is a sparse tensor.' },
      { name: 'batch_shape', kind: 'any', default: null, doc: 'Shape including the batch axis (alternative to shape).', tfjs: 'batchInputShape' },
      { name: 'tensor', kind: 'any', default: null, doc: 'An existing tensor to wrap (not read by Model Lens).' },
      { name: 'optional', kind: 'bool', default: false, doc: 'Whether the input may be None.' },
    ],
    outputShape: (_i, c) => [null, ...((c['shape'] as (number | null)[] | null) ?? [])],
    params: () => NONE,
  },
  {
    type: 'Dense',
    family: 'core',
    kind: 'dense',
    tfjs: { className: 'Dense' },
    doc: 'A fully connected layer: every output unit is a weighted sum of all inputs plus a bias.',
    args: [
      { name: 'units', kind: 'int', doc: 'Number of output units.' },
      activationArg,
      { name: 'use_bias', kind: 'bool', default: true, doc: 'Whether the layer adds a bias vector.' },
      init('kernel_initializer', 'glorot_uniform', 'Initializer of the kernel weights.'),
      init('bias_initializer', 'zeros', 'Initializer of the bias.'),
      init('kernel_regularizer', null, 'Regularizer of the kernel weights.'),
      init('bias_regularizer', null, 'Regularizer of the bias.'),
      activityArg,
      init('kernel_constraint', null, 'Constraint on the kernel weights.'),
      init('bias_constraint', null, 'Constraint on the bias.'),
      init('lora_rank', null, 'Rank of a LoRA adapter (None = none).'),
    ],
    outputShape([x], c) {
      if (x!.length < 2) throw new ShapeError('its input has no feature axis');
      return [...x!.slice(0, -1), Number(c['units'])];
    },
    params([x], c) {
      const cin = lastDim(x!, 'Dense');
      const u = Number(c['units']);
      if (c['use_bias'] === false) return { trainable: cin * u, nonTrainable: 0, formula: `${dot(cin, u)} = ${cin * u}` };
      return { trainable: cin * u + u, nonTrainable: 0, formula: `(${cin} + 1)·${u} = ${cin * u + u}` };
    },
    keyArgs: (c) => [String(c['units']), ...actOf(c)].join(' · '),
    macs([x], out) {
      const cin = x![x!.length - 1];
      const u = out[out.length - 1];
      if (typeof cin !== 'number' || typeof u !== 'number') return 0;
      const positions = out.slice(1, -1).reduce<number>((a, d) => a * (d ?? 0), 1);
      return positions * cin * u;
    },
  },
  {
    type: 'EinsumDense',
    family: 'core',
    kind: 'dense',
    // Ours in src/worker/einsum-dense.ts (tfjs-layers' EinsumDense is internal to its NLP models).
    tfjs: { className: 'EinsumDense', custom: true },
    doc: 'A dense layer written as an einsum equation, e.g. "abc,cd->abd": the kernel has the axes of the middle term; bias_axes names the output axes that get a bias.',
    args: [
      { name: 'equation', kind: 'string', doc: 'Einsum equation input,kernel->output, e.g. "ab,bc->ac".' },
      { name: 'output_shape', kind: 'any', doc: 'Output shape without the batch axis (None for an axis taken from the input).' },
      activationArg,
      { name: 'bias_axes', kind: 'string', default: null, doc: 'Output axes (letters) that get a bias, e.g. "d"; None = no bias.' },
      init('kernel_initializer', 'glorot_uniform', 'Initializer of the kernel.'),
      init('bias_initializer', 'zeros', 'Initializer of the bias.'),
      init('kernel_regularizer', null, 'Regularizer of the kernel.'),
      init('bias_regularizer', null, 'Regularizer of the bias.'),
      init('kernel_constraint', null, 'Constraint on the kernel.'),
      init('bias_constraint', null, 'Constraint on the bias.'),
      init('lora_rank', null, 'Rank of a LoRA adapter (None = none).'),
    ],
    outputShape([x], c) {
      return einsumShapes(String(c['equation']), (c['bias_axes'] as string | null) ?? null, x!, c['output_shape'] as (number | null)[] | number).output;
    },
    params([x], c) {
      const s = einsumShapes(String(c['equation']), (c['bias_axes'] as string | null) ?? null, x!, c['output_shape'] as (number | null)[] | number);
      const k = sizeOf(s.kernel, 'kernel');
      const b = s.bias ? sizeOf(s.bias, 'bias') : 0;
      return { trainable: k + b, nonTrainable: 0, formula: `kernel ${s.kernel.join('×')} = ${k}${s.bias ? ` + bias ${s.bias.join('×')} = ${b}` : ''}; total ${k + b}` };
    },
    keyArgs: (c) => [String(c['equation']), ...actOf(c)].join(' · '),
  },
  {
    type: 'Embedding',
    family: 'core',
    kind: 'embedding',
    tfjs: { className: 'Embedding' },
    doc: 'Turns integer indices (e.g. word ids below input_dim) into dense vectors of size output_dim: a lookup table of input_dim × output_dim trained weights.',
    args: [
      { name: 'input_dim', kind: 'int', doc: 'Vocabulary size: the largest index + 1.' },
      { name: 'output_dim', kind: 'int', doc: 'Size of each embedding vector.' },
      init('embeddings_initializer', 'uniform', 'Initializer of the embedding table.'),
      init('embeddings_regularizer', null, 'Regularizer of the embedding table.'),
      init('embeddings_constraint', null, 'Constraint on the embedding table.'),
      { name: 'mask_zero', kind: 'bool', default: false, doc: 'Index 0 is padding: later layers skip it (input_dim must count it).' },
      init('weights', null, 'Initial table (not read by Model Lens).'),
      init('lora_rank', null, 'Rank of a LoRA adapter (None = none).'),
      init('input_length', null, 'Keras 2 argument; Keras 3 ignores it with a warning.'),
    ],
    outputShape: ([x], c) => [...x!, Number(c['output_dim'])],
    params(_x, c) {
      const i = Number(c['input_dim']);
      const o = Number(c['output_dim']);
      return { trainable: i * o, nonTrainable: 0, formula: `${dot(i, o)} = ${i * o}` };
    },
    keyArgs: (c) => `${c['input_dim']} → ${c['output_dim']}`,
  },
  sameShape('Identity', 'core', 'other', 'Returns its input unchanged (a placeholder). No weights.', [], {
    tfjs: { className: 'Activation', config: (c) => ({ name: c['name'] ?? null, activation: 'linear' }) },
  }),
  {
    type: 'Lambda',
    family: 'core',
    kind: 'other',
    tfjs: { none: 'Lambda runs Python code, which Model Lens never executes' },
    doc: 'Applies a Python function to its input. Model Lens never runs it: give output_shape (without the batch axis) so later shapes are known. No weights.',
    // The function may take a list of tensors (a siamese distance of two towers).
    multiInput: true,
    args: [
      { name: 'function', kind: 'any', default: null, doc: 'The function to apply (shown as written, never run).' },
      { name: 'output_shape', kind: 'any', default: null, doc: 'Output shape without the batch axis, e.g. (16,); needed for Model Lens to know the shape.' },
      init('mask', null, 'Mask function or value.'),
      init('arguments', null, 'Extra keyword arguments for the function.'),
    ],
    outputShape(_x, c) {
      const s = c['output_shape'];
      if (Array.isArray(s) && s.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d > 0))) return [null, ...(s as (number | null)[])];
      if (typeof s === 'number' && Number.isInteger(s) && s > 0) return [null, s];
      throw new ShapeError('its output shape depends on a Python function Model Lens does not run; pass output_shape=(…) (without the batch axis)');
    },
    params: () => NONE,
  },
  sameShape('Masking', 'core', 'other', 'Marks time steps whose features all equal mask_value as padding, so recurrent and attention layers skip them. No weights.', [
    { name: 'mask_value', kind: 'float', default: 0.0, doc: 'Steps where every feature equals this are masked.' },
  ] as ArgSpec[]),
];
