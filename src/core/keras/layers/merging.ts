/**
 * Merging (keras/src/layers/merging): Add, Subtract, Multiply, Average, Maximum, Minimum
 * (element-wise, with broadcasting of size-1 axes), Concatenate and Dot. No weights.
 */
import type { Shape } from '../../model/ir';
import { fmt, NONE, ShapeError, type LayerSpec } from './spec';

function elementwiseShape(inputs: Shape[], type: string): Shape {
  if (inputs.length < 2) throw new ShapeError(`it needs a list of at least 2 tensors, e.g. layers.${type}()([a, b]); it got ${inputs.length}`);
  const rank = inputs[0]!.length;
  if (inputs.some((s) => s.length !== rank)) throw new ShapeError(`its inputs have different ranks: ${inputs.map(fmt).join(' and ')}; all inputs must have the same shape`);
  const out: Shape = [null];
  for (let i = 1; i < rank; i++) {
    let d: number | undefined;
    let unknown = false;
    for (const s of inputs) {
      const e = s[i]!;
      if (e === null) unknown = true;
      else if (d === undefined || d === 1) d = e;
      else if (e !== 1 && e !== d) {
        throw new ShapeError(`its inputs have different shapes: ${inputs.map(fmt).join(' and ')}; make them equal (e.g. a 1×1 Conv2D or matching strides on the shortcut)`);
      }
    }
    out.push(unknown || d === undefined ? null : d);
  }
  return out;
}

function elementwise(type: string, what: string): LayerSpec {
  return {
    type,
    family: 'merging',
    kind: 'merge',
    multiInput: true,
    tfjs: { className: type },
    doc: `${what} a list of tensors of the same shape element-wise. No weights.`,
    args: [],
    outputShape(inputs) {
      if (type === 'Subtract' && inputs.length !== 2) throw new ShapeError(`it subtracts exactly 2 tensors, layers.Subtract()([a, b]); it got ${inputs.length}`);
      return elementwiseShape(inputs, type);
    },
    params: () => NONE,
  };
}

export const MERGING: LayerSpec[] = [
  elementwise('Add', 'Adds (skip connections)'),
  { ...elementwise('Subtract', 'Subtracts the second of two tensors from the first,'), tfjs: { className: 'Subtract', custom: true } }, // ours, src/worker/custom-layers.ts
  elementwise('Multiply', 'Multiplies'),
  elementwise('Average', 'Averages'),
  elementwise('Maximum', 'Takes the maximum of'),
  elementwise('Minimum', 'Takes the minimum of'),
  {
    type: 'Concatenate',
    family: 'merging',
    kind: 'merge',
    multiInput: true,
    tfjs: { className: 'Concatenate' },
    doc: 'Joins a list of tensors along `axis`; all other axes must match. No weights.',
    args: [{ name: 'axis', kind: 'axis', default: -1, doc: 'Axis along which to join (default: the last, channels).' }],
    outputShape(inputs, c) {
      if (inputs.length < 2) throw new ShapeError(`it needs a list of at least 2 tensors, e.g. layers.Concatenate()([a, b]); it got ${inputs.length}`);
      const rank = inputs[0]!.length;
      if (inputs.some((s) => s.length !== rank)) throw new ShapeError(`its inputs have different ranks: ${inputs.map(fmt).join(' and ')}`);
      const axis = Number(c['axis'] ?? -1);
      const a = axis < 0 ? rank + axis : axis;
      if (a <= 0 || a >= rank) throw new ShapeError(`axis=${axis} is not a feature axis of its ${rank}-D inputs`);
      const out: Shape = [null];
      for (let i = 1; i < rank; i++) {
        if (i === a) {
          out.push(inputs.reduce<number | null>((s, x) => (s === null || x[i] === null ? null : s + (x[i] as number)), 0));
          continue;
        }
        const dims = new Set(inputs.map((s) => s[i]).filter((d) => d !== null));
        if (dims.size > 1) {
          throw new ShapeError(`its inputs differ on axis ${i} (not the concatenation axis ${axis}): ${inputs.map(fmt).join(' and ')}; only axis ${axis} may differ`);
        }
        out.push(dims.size ? [...dims][0]! : null);
      }
      return out;
    },
    params: () => NONE,
    keyArgs: (c) => `axis ${c['axis']}`,
  },
  {
    type: 'Dot',
    family: 'merging',
    kind: 'merge',
    multiInput: true,
    tfjs: { className: 'Dot' },
    doc: 'Dot product of two tensors along `axes` (cosine similarity with normalize=True): the summed axes disappear. No weights.',
    args: [
      { name: 'axes', kind: 'any', doc: 'Axis (or one axis per input) summed over.' },
      { name: 'normalize', kind: 'bool', default: false, doc: 'L2-normalize along the axes first (cosine similarity).' },
    ],
    outputShape(inputs, c) {
      if (inputs.length !== 2) throw new ShapeError(`it takes exactly 2 tensors, layers.Dot(axes)([a, b]); it got ${inputs.length}`);
      const [s1, s2] = inputs as [Shape, Shape];
      const ax = Array.isArray(c['axes']) ? c['axes'].map(Number) : [Number(c['axes']), Number(c['axes'])];
      const a1 = ((ax[0]! % s1.length) + s1.length) % s1.length;
      const a2 = ((ax[1]! % s2.length) + s2.length) % s2.length;
      if (s1[a1] !== null && s2[a2] !== null && s1[a1] !== s2[a2]) throw new ShapeError(`axis ${a1} of ${fmt(s1)} (${s1[a1]}) and axis ${a2} of ${fmt(s2)} (${s2[a2]}) must have the same size`);
      const out = [...s1.slice(0, a1), ...s1.slice(a1 + 1), ...s2.slice(1, a2), ...s2.slice(a2 + 1)];
      return out.length === 1 ? [...out, 1] : out;
    },
    params: () => NONE,
    keyArgs: (c) => `axes ${JSON.stringify(c['axes'])}`,
  },
];
