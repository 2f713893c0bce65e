/**
 * Reshaping (keras/src/layers/reshaping): Reshape, Flatten, Permute, RepeatVector and
 * Cropping/ZeroPadding/UpSampling 1D/2D/3D (one parameterized spec each). No weights.
 */
import type { ConfigValue, Shape } from '../../model/ir';
import { dataFormatArg, fmt, ints, NONE, prod, rankIs, ShapeError, SPATIAL, times, type LayerSpec } from './spec';

const TFJS = new Set(['Cropping2D', 'ZeroPadding2D', 'UpSampling2D']);
/** The 1-D ones are ours, in src/worker/custom-layers.ts. */
const CUSTOM = new Set(['Cropping1D', 'ZeroPadding1D', 'UpSampling1D', 'Cropping3D', 'ZeroPadding3D', 'UpSampling3D']);
const builder = (type: string) => (TFJS.has(type) ? { className: type } : CUSTOM.has(type) ? { className: type, custom: true } : { none: `TensorFlow.js has no ${type} layer` });

/** Keras's cropping/padding forms as [before, after] per spatial axis: 1 | (1, 2) | ((1, 1), (2, 2)). */
export function pairs(v: ConfigValue | undefined, rank: number, what: string): [number, number][] {
  const bad = () => new ShapeError(`${what}=${JSON.stringify(v)} is not an int, a tuple of ${rank === 1 ? '2 ints' : `${rank} ints or ${rank} pairs`}`);
  if (typeof v === 'number') return Array.from({ length: rank }, () => [v, v]);
  if (!Array.isArray(v)) throw bad();
  if (rank === 1) {
    if (v.length !== 2 || !v.every((x) => typeof x === 'number')) throw bad();
    return [[v[0] as number, v[1] as number]];
  }
  if (v.length !== rank) throw bad();
  return v.map((p) => {
    if (typeof p === 'number') return [p, p];
    if (Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number')) return [p[0] as number, p[1] as number];
    throw bad();
  });
}

function spatial(x: Shape, rank: number, type: string): void {
  rankIs(x, rank + 2, type, `Give it a ${SPATIAL[rank]} tensor.`);
}

function cropping(rank: 1 | 2 | 3): LayerSpec {
  const type = `Cropping${rank}D`;
  const def: ConfigValue = rank === 1 ? [1, 1] : rank === 2 ? [[0, 0], [0, 0]] : [[1, 1], [1, 1], [1, 1]];
  return {
    type,
    family: 'reshaping',
    kind: 'reshape',
    tfjs: builder(type),
    doc: `Cuts rows off the start and end of each spatial axis (${rank === 1 ? 'steps' : rank === 2 ? 'height, width' : 'depth, height, width'}). No weights.`,
    args: [{ name: 'cropping', kind: 'any', default: def, doc: 'How much to cut: an int, a tuple per axis, or (before, after) pairs.' }, ...(rank > 1 ? [dataFormatArg] : [])],
    outputShape([x], c) {
      spatial(x!, rank, type);
      const p = pairs(c['cropping'], rank, 'cropping');
      const dims = x!.slice(1, rank + 1).map((n, i) => (n === null ? null : n - p[i]![0] - p[i]![1]));
      if (dims.some((n) => n !== null && n <= 0)) throw new ShapeError(`cropping ${JSON.stringify(c['cropping'])} removes all of the ${x!.slice(1, rank + 1).join('×')} input`);
      return [null, ...dims, x![rank + 1]!];
    },
    params: () => NONE,
    keyArgs: (c) => JSON.stringify(c['cropping']),
  };
}

function zeroPadding(rank: 1 | 2 | 3): LayerSpec {
  const type = `ZeroPadding${rank}D`;
  const def: ConfigValue = rank === 1 ? 1 : rank === 2 ? [1, 1] : [[1, 1], [1, 1], [1, 1]];
  return {
    type,
    family: 'reshaping',
    kind: 'reshape',
    tfjs: builder(type),
    doc: `Adds rows of zeros at the start and end of each spatial axis. No weights.`,
    args: [{ name: 'padding', kind: 'any', default: def, doc: 'How much to add: an int, a tuple per axis, or (before, after) pairs.' }, dataFormatArg],
    outputShape([x], c) {
      spatial(x!, rank, type);
      const p = pairs(c['padding'], rank, 'padding');
      return [null, ...x!.slice(1, rank + 1).map((n, i) => (n === null ? null : n + p[i]![0] + p[i]![1])), x![rank + 1]!];
    },
    params: () => NONE,
    keyArgs: (c) => JSON.stringify(c['padding']),
  };
}

function upSampling(rank: 1 | 2 | 3): LayerSpec {
  const type = `UpSampling${rank}D`;
  return {
    type,
    family: 'reshaping',
    kind: 'reshape',
    tfjs:
      rank === 2
        ? { className: type, unsupported: (c) => (['nearest', 'bilinear'].includes(String(c['interpolation'] ?? 'nearest')) ? undefined : "TensorFlow.js's UpSampling2D has nearest and bilinear interpolation only") }
        : builder(type),
    showActivations: rank === 2,
    doc: `Repeats each ${rank === 1 ? 'step' : 'row and column'} \`size\` times${rank === 2 ? ' (nearest or bilinear interpolation)' : ''}, growing the ${rank === 1 ? 'sequence' : 'image'}. No weights.`,
    args: [
      { name: 'size', kind: rank === 1 ? 'int' : 'ints', rank, default: rank === 1 ? 2 : Array.from({ length: rank }, () => 2), doc: 'Repetition factor per axis.' },
      ...(rank > 1 ? [dataFormatArg] : []),
      ...(rank === 2 ? [{ name: 'interpolation', kind: 'choice' as const, choices: ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area'], default: 'nearest', doc: 'How new values are filled.' }] : []),
    ],
    outputShape([x], c) {
      spatial(x!, rank, type);
      const s = ints(c['size'], rank);
      return [null, ...x!.slice(1, rank + 1).map((n, i) => (n === null ? null : n * s[i]!)), x![rank + 1]!];
    },
    params: () => NONE,
    keyArgs: (c) => `×${times(ints(c['size'], rank))}`,
  };
}

export const RESHAPING: LayerSpec[] = [
  {
    type: 'Flatten',
    family: 'reshaping',
    kind: 'reshape',
    tfjs: { className: 'Flatten' },
    doc: 'Reshapes the input to one dimension per sample (e.g. 7×7×64 → 3136) so Dense layers can follow. No weights.',
    args: [dataFormatArg],
    outputShape([x]) {
      if (x!.length < 2) throw new ShapeError('its input has no axis besides the batch axis');
      return [null, prod(x!.slice(1))];
    },
    params: () => NONE,
  },
  {
    type: 'Reshape',
    family: 'reshaping',
    kind: 'reshape',
    tfjs: { className: 'Reshape' },
    doc: 'Reshapes each sample to target_shape (one entry may be -1: inferred). The number of values must stay the same. No weights.',
    args: [{ name: 'target_shape', kind: 'targetShape', doc: 'New shape without the batch axis, e.g. (28, 28, 1) or (-1,).' }],
    outputShape([x], c) {
      const target = (c['target_shape'] as number[]).map(Number);
      const total = prod(x!.slice(1));
      const free = target.indexOf(-1);
      const fixed = target.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
      if (free >= 0) {
        if (total === null) return [null, ...target.map((d) => (d === -1 ? null : d))];
        if (fixed === 0 || total % fixed !== 0) throw new ShapeError(`cannot reshape ${total} values to ${fmt(target)}: ${total} is not divisible by ${fixed}`);
        return [null, ...target.map((d) => (d === -1 ? total / fixed : d))];
      }
      if (total !== null && total !== fixed) {
        throw new ShapeError(`cannot reshape ${fmt(x!.slice(1))} (${total} values) to ${fmt(target)} (${fixed} values); the counts must match (use -1 for one axis to infer it)`);
      }
      return [null, ...target];
    },
    params: () => NONE,
    keyArgs: (c) => (Array.isArray(c['target_shape']) ? c['target_shape'].join('×') : ''),
  },
  {
    type: 'Permute',
    family: 'reshaping',
    kind: 'reshape',
    tfjs: { className: 'Permute' },
    doc: 'Reorders the axes of each sample: dims is a permutation of 1…n (the batch axis stays first), e.g. (2, 1) swaps steps and features. No weights.',
    args: [{ name: 'dims', kind: 'any', doc: 'Permutation of the axes 1…n, e.g. (2, 1).' }],
    outputShape([x], c) {
      const dims = Array.isArray(c['dims']) ? c['dims'].map(Number) : [];
      const n = x!.length - 1;
      if (dims.length !== n || [...dims].sort((a, b) => a - b).some((d, i) => d !== i + 1)) {
        throw new ShapeError(`dims=${JSON.stringify(c['dims'])} is not a permutation of 1…${n} for its ${x!.length}-D input`);
      }
      return [null, ...dims.map((d) => x![d]!)];
    },
    params: () => NONE,
    keyArgs: (c) => JSON.stringify(c['dims']),
  },
  {
    type: 'RepeatVector',
    family: 'reshaping',
    kind: 'reshape',
    tfjs: { className: 'RepeatVector' },
    doc: 'Repeats a vector n times: (batch, features) → (batch, n, features). No weights.',
    args: [{ name: 'n', kind: 'int', doc: 'Number of repetitions.' }],
    outputShape([x], c) {
      rankIs(x!, 2, 'RepeatVector', 'Give it a vector per sample (batch, features).');
      return [null, Number(c['n']), x![1]!];
    },
    params: () => NONE,
    keyArgs: (c) => `×${c['n']}`,
  },
  cropping(1),
  cropping(2),
  cropping(3),
  zeroPadding(1),
  zeroPadding(2),
  zeroPadding(3),
  upSampling(1),
  upSampling(2),
  upSampling(3),
];
