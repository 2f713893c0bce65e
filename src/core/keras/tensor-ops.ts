/**
 * Tensor operations on Keras tensors (`keras.ops.*`, `tf.*` inside a layer's call(), `a + b`,
 * `x[:, 0]`): a table of each operation's arguments and output-shape rule, as Keras's own
 * `compute_output_spec` works it out. An operation has no weights. The reader (keras-host.ts)
 * makes one graph node per operation, with the spec `opSpec` gives; shape inference then applies
 * the rule like a layer's. Operations the table does not hold stay errors at the line.
 */
import type { ConfigValue, Shape } from '../model/ir';
import type { Args } from '../python/values';
import type { Value } from '../python/values';
import { toConfig } from './keras-values';
import { convLength, fmt, NONE, ShapeError, type Config, type LayerSpec } from './layers/spec';

/** How an argument of an operation is read. */
type ParamKind =
  /** One Keras tensor (an input of the node). */
  | 'tensor'
  /** A list or tuple of Keras tensors (concatenate, stack). */
  | 'tensors'
  /** A tensor or a Python number (an operand of an element-wise operation; a number broadcasts as a scalar). */
  | 'operand'
  /** A constant (axis, shape, keepdims): kept in the node's config. */
  | 'static'
  /** A constant, or a tensor whose values Model Lens does not know (tile's repeats): then an input of the node. */
  | 'staticOrTensor'
  /** An argument that does not change the shape and need not be known (a random op's seed: a SeedGenerator): not kept. */
  | 'ignored';

interface Param {
  /** Its keyword names (keras.ops and tf spell some differently), the first one kept in the config. */
  names: string[];
  kind: ParamKind;
  /** The value when not given; undefined: required. */
  default?: ConfigValue;
}

export interface OpDef {
  /** Keras 3's class of the operation (`keras.ops.mean` makes a `Mean`): the row type Keras 3 prints. */
  cls: string;
  params: Param[];
  /** Output shape from the input tensors' shapes and the static arguments (throws ShapeError). */
  shape(inputs: Shape[], c: Config): Shape;
  /** Makes a tensor from constants only (arange, zeros): a tensor without a batch axis. */
  constant?: true;
  /**
   * An operation that returns a list of tensors (split, unstack): their shapes, from the input
   * shapes and the static arguments (throws ShapeError). The count must be known when the call is
   * read (OpCalls keeps it in the config as `num_outputs`); `shape` then gives the first.
   */
  shapes?(inputs: Shape[], c: Config): Shape[];
}

const t = (...names: string[]): Param => ({ names, kind: 'tensor' });
const ts = (...names: string[]): Param => ({ names, kind: 'tensors' });
const o = (...names: string[]): Param => ({ names, kind: 'operand' });
const st = (...names: string[]): Param => ({ names, kind: 'staticOrTensor' });
const any = (...names: string[]): Param => ({ names, kind: 'ignored', default: null });
const s = (names: string | string[], def?: ConfigValue): Param => ({ names: typeof names === 'string' ? [names] : names, kind: 'static', ...(def !== undefined ? { default: def } : {}) });

// ---------------------------------------------------------------- shape rules

/** An axis of a rank-`rank` tensor, negative counted from the end; out of range is Keras's error. */
function axisOf(axis: ConfigValue | undefined, rank: number, what: string): number {
  const a = Number(axis);
  if (!Number.isInteger(a) || a < -rank || a >= rank) throw new ShapeError(`${what} axis=${String(axis)} is out of range for a ${rank}-D tensor`);
  return a < 0 ? a + rank : a;
}

function axes(v: ConfigValue | undefined): number[] | null {
  if (v === null || v === undefined) return null;
  return Array.isArray(v) ? v.map(Number) : [Number(v)];
}

/**
 * numpy's broadcasting as Keras works it out on static shapes (keras/src/ops/operation_utils.py
 * `broadcast_shapes`): shapes are aligned from the right; an axis of 1 takes the other's size; an
 * unknown axis (None) takes the other's size unless that is 1; two different sizes are an error.
 */
export function broadcast(shapes: Shape[]): Shape {
  let out: Shape = [];
  for (const shape of shapes) {
    const rank = Math.max(out.length, shape.length);
    const a = [...Array(rank - out.length).fill(1), ...out] as Shape;
    const b = [...Array(rank - shape.length).fill(1), ...shape] as Shape;
    const next: Shape = [];
    for (let i = 0; i < rank; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x === 1) next.push(y);
      else if (x === null) next.push(y === 1 ? null : y);
      else if (y === 1 || y === null || y === x) next.push(x);
      else throw new ShapeError(`the shapes ${shapes.map(fmt).join(' and ')} cannot be broadcast together (numpy's rules: axes are matched from the right, and each pair must be equal or one of them 1); make them match`);
    }
    out = next;
  }
  return out;
}

const same = ([x]: Shape[]): Shape => [...x!];
const elementwise = (inputs: Shape[]): Shape => broadcast(inputs);

function reduce([x]: Shape[], c: Config): Shape {
  const rank = x!.length;
  const list = axes(c['axis']);
  const keep = c['keepdims'] === true;
  if (list === null) return keep ? x!.map(() => 1) : [];
  const gone = new Set(list.map((a) => axisOf(a, rank, 'the reduction')));
  return x!.flatMap((d, i) => (gone.has(i) ? (keep ? [1] : []) : [d]));
}

/** keras/src/ops/operation_utils.py `compute_reshape_output_shape`: one -1 worked out when every size is known. */
function reshape([x]: Shape[], c: Config): Shape {
  const raw = c['newshape'];
  const target = (Array.isArray(raw) ? raw : [raw]).map((d) => (typeof d === 'number' ? d : null));
  if (target.filter((d) => d === -1).length > 1) throw new ShapeError(`the new shape ${fmt(target)} has more than one -1; only one size can be worked out`);
  if (x!.includes(null) || target.includes(null)) return target.map((d) => (d === -1 ? null : d));
  const size = (x as number[]).reduce((p, d) => p * d, 1);
  const known = (target as number[]).filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  if (!target.includes(-1)) {
    if (known !== size) throw new ShapeError(`cannot reshape ${fmt(x!)} (${size} values) into ${fmt(target)} (${known} values); the total size must stay the same`);
    return target;
  }
  if (known === 0 || size % known !== 0) throw new ShapeError(`cannot reshape ${fmt(x!)} (${size} values) into ${fmt(target)}: ${size} is not a multiple of ${known}`);
  return target.map((d) => (d === -1 ? size / known : d));
}

/**
 * TensorFlow's Reshape shape function goes one step further than Keras 3's rule: with one unknown
 * size in the input (the batch) and one in the new shape besides the -1 (`tf.shape(x)[0]`), it takes
 * the two for equal and works out the -1 from the known sizes (a printed tf.keras 2 summary:
 * `tf.reshape(patches, [tf.shape(patches)[0], 64, -1])` of (None, 8, 8, 192) is (None, 64, 192)).
 */
function tfReshape(inputs: Shape[], c: Config): Shape {
  const x = inputs[0]!;
  const raw = c['newshape'];
  const target = (Array.isArray(raw) ? raw : [raw]).map((d) => (typeof d === 'number' ? d : null));
  // (only as seen printed: the unknown size is the batch, first on both sides)
  if (x[0] === null && target[0] === null && x.filter((d) => d === null).length === 1 && target.filter((d) => d === null).length === 1 && target.filter((d) => d === -1).length === 1) {
    const size = (x.filter((d) => d !== null) as number[]).reduce((p, d) => p * d, 1);
    const known = (target.filter((d) => d !== null && d !== -1) as number[]).reduce((p, d) => p * d, 1);
    if (known > 0 && size % known === 0) return target.map((d) => (d === -1 ? size / known : d));
  }
  return reshape(inputs, c);
}

/** `ops.swapaxes(x, axis1, axis2)` / `tf.linalg.matrix_transpose(a)` (the last two axes): two axes exchanged. */
function swapAxes([x]: Shape[], c: Config): Shape {
  const rank = x!.length;
  const a = axisOf(c['axis1'] ?? -2, rank, 'swapaxes');
  const b = axisOf(c['axis2'] ?? -1, rank, 'swapaxes');
  const out = [...x!];
  [out[a], out[b]] = [out[b]!, out[a]!];
  return out;
}

function expandDims([x]: Shape[], c: Config): Shape {
  const rank = x!.length;
  const out: Shape = [...x!];
  const list = axes(c['axis']) ?? [];
  const at = list.map((a) => axisOf(a, rank + list.length, 'expand_dims')).sort((p, q) => p - q);
  for (const a of at) out.splice(a, 0, 1);
  return out;
}

function squeeze([x]: Shape[], c: Config): Shape {
  const list = axes(c['axis']);
  if (list === null) return x!.filter((d) => d !== 1);
  const gone = new Set(list.map((a) => axisOf(a, x!.length, 'squeeze')));
  for (const a of gone) if (x![a] !== 1 && x![a] !== null) throw new ShapeError(`cannot squeeze axis ${a} of ${fmt(x!)}: its size is ${x![a]}, not 1`);
  return x!.filter((_, i) => !gone.has(i));
}

function transpose([x]: Shape[], c: Config): Shape {
  const list = axes(c['axes']);
  if (list === null) return [...x!].reverse();
  const rank = x!.length;
  const perm = list.map((a) => axisOf(a, rank, 'transpose'));
  if (perm.length !== rank || new Set(perm).size !== rank) throw new ShapeError(`axes ${fmt(list)} are not a permutation of the ${rank} axes of ${fmt(x!)}`);
  return perm.map((a) => x![a]!);
}

function concatenate(inputs: Shape[], c: Config): Shape {
  if (!inputs.length) throw new ShapeError('it needs at least one tensor');
  const rank = inputs[0]!.length;
  if (inputs.some((x) => x.length !== rank)) throw new ShapeError(`its tensors have different ranks: ${inputs.map(fmt).join(' and ')}`);
  const a = axisOf(c['axis'], rank, 'the concatenation');
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    if (i === a) {
      out.push(inputs.reduce<number | null>((sum, x) => (sum === null || x[i] === null ? null : sum + x[i]!), 0));
      continue;
    }
    const known = new Set(inputs.map((x) => x[i]).filter((d) => d !== null));
    if (known.size > 1) throw new ShapeError(`its tensors differ on axis ${i}, which is not the concatenation axis ${a}: ${inputs.map(fmt).join(' and ')}`);
    out.push(known.size ? [...known][0]! : null);
  }
  return out;
}

function stack(inputs: Shape[], c: Config): Shape {
  if (!inputs.length) throw new ShapeError('it needs at least one tensor');
  const first = inputs[0]!;
  for (const x of inputs) {
    if (x.length !== first.length || x.some((d, i) => d !== null && first[i] !== null && d !== first[i])) throw new ShapeError(`it stacks tensors of one shape, but gets ${inputs.map(fmt).join(' and ')}`);
  }
  const a = axisOf(c['axis'], first.length + 1, 'the stacking');
  const out: Shape = first.map((d, i) => d ?? inputs.find((x) => x[i] !== null)?.[i] ?? null);
  out.splice(a, 0, inputs.length);
  return out;
}

/** keras/src/ops/numpy.py `Matmul.compute_output_spec`: batch axes broadcast, (…, n, k) @ (…, k, m) → (…, n, m). */
function matmul([a0, b0]: Shape[], c: Config): Shape {
  let a = [...a0!];
  let b = [...b0!];
  if (c['transpose_a'] === true && a.length >= 2) a = [...a.slice(0, -2), a[a.length - 1]!, a[a.length - 2]!];
  if (c['transpose_b'] === true && b.length >= 2) b = [...b.slice(0, -2), b[b.length - 1]!, b[b.length - 2]!];
  if (!a.length || !b.length) throw new ShapeError('matmul needs tensors of at least one axis');
  const aVec = a.length === 1;
  const bVec = b.length === 1;
  if (aVec) a = [1, ...a];
  if (bVec) b = [...b, 1];
  const k1 = a[a.length - 1]!;
  const k2 = b[b.length - 2]!;
  if (k1 !== null && k2 !== null && k1 !== k2) throw new ShapeError(`cannot multiply ${fmt(a0!)} by ${fmt(b0!)}: the inner sizes ${k1} and ${k2} differ`);
  const batch = broadcast([a.slice(0, -2), b.slice(0, -2)]);
  return [...batch, ...(aVec ? [] : [a[a.length - 2]!]), ...(bVec ? [] : [b[b.length - 1]!])];
}

function softmaxLike([x]: Shape[], c: Config): Shape {
  const axis = c['axis'];
  if (axis !== null && axis !== undefined) for (const a of axes(axis)!) axisOf(a, x!.length, 'the softmax');
  return [...x!];
}

function oneHot([x]: Shape[], c: Config): Shape {
  const n = Number(c['num_classes']);
  if (!Number.isInteger(n) || n <= 0) throw new ShapeError(`num_classes must be a positive int, not ${String(c['num_classes'])}`);
  const rank = x!.length + 1;
  const a = axisOf(c['axis'] ?? -1, rank, 'one_hot');
  const out: Shape = [...x!];
  out.splice(a, 0, n);
  return out;
}

/** numpy's pad: pad_width as ((before, after), …) per axis, one (before, after) pair for all, or one int for all. */
function pad([x]: Shape[], c: Config): Shape {
  const w = c['pad_width'];
  const rank = x!.length;
  let pairs: number[][];
  if (typeof w === 'number') pairs = x!.map(() => [w, w]);
  else if (Array.isArray(w) && w.length === 2 && w.every((v) => typeof v === 'number')) pairs = x!.map(() => w as number[]);
  else if (Array.isArray(w) && w.every((v) => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number'))) pairs = w as number[][];
  else throw new ShapeError(`cannot work out its paddings ${JSON.stringify(w)}`);
  if (pairs.length !== rank) throw new ShapeError(`its paddings give ${pairs.length} axes, but the tensor ${fmt(x!)} has ${rank}`);
  if (pairs.some((p) => p.some((n) => !Number.isInteger(n) || n < 0))) throw new ShapeError(`its paddings ${JSON.stringify(w)} are not non-negative ints`);
  return x!.map((d, i) => (d === null ? null : d + pairs[i]![0]! + pairs[i]![1]!));
}

/** Images resized to `size` = (height, width): channels-last (batch, h, w, c), or one image (h, w, c). */
function resize([x]: Shape[], c: Config): Shape {
  const size = c['size'];
  // A size known only when the model runs (from tf.shape of an image of open size) is None.
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d > 0))) throw new ShapeError(`its size ${JSON.stringify(size)} is not (height, width)`);
  if (c['data_format'] === 'channels_first') {
    if (x!.length !== 4) throw new ShapeError(`it resizes 4-D images (batch, channels, height, width), not ${fmt(x!)}`);
    return [x![0]!, x![1]!, size[0] as number | null, size[1] as number | null];
  }
  if (c['preserve_aspect_ratio'] === true || c['crop_to_aspect_ratio'] === true || c['pad_to_aspect_ratio'] === true) throw new ShapeError('Model Lens does not work out sizes that keep the aspect ratio');
  if (x!.length === 4) return [x![0]!, size[0] as number | null, size[1] as number | null, x![3]!];
  if (x!.length === 3) return [size[0] as number | null, size[1] as number | null, x![2]!];
  throw new ShapeError(`it resizes images of 3 or 4 axes, not ${fmt(x!)}`);
}

/** `arange(start, stop, step)`: ceil((stop − start) / step) values (numpy's length). */
function arange(_x: Shape[], c: Config): Shape {
  // A bound known only when the model runs (see OpCalls.node): Keras's symbolic arange is (None,).
  if (c['dynamic_size'] === true) return [null];
  let start = c['start'];
  let stop = c['stop'];
  const step = c['step'] ?? 1;
  if (stop === null || stop === undefined) [start, stop] = [0, start];
  if (typeof start !== 'number' || typeof stop !== 'number' || typeof step !== 'number') throw new ShapeError(`its start, stop and step must be numbers Model Lens can work out`);
  if (step === 0) throw new ShapeError('its step is 0');
  return [Math.max(0, Math.ceil((stop - start) / step))];
}

/** A random tensor's shape: the shape given; a batch-sized first axis (None) when OpCalls marked it so. */
function randomShape(x: Shape[], c: Config): Shape {
  const v = c['shape'];
  if (c['batch_sized'] === true && Array.isArray(v) && v.length > 1 && v[0] === null) {
    const rest = v.slice(1);
    if (!rest.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) throw new ShapeError(`its shape ${JSON.stringify(v)} has sizes other than the batch's that Model Lens cannot work out`);
    return [null, ...(rest as number[])];
  }
  return filled(x, c);
}

function filled(_x: Shape[], c: Config): Shape {
  const v = c['shape'];
  const list = Array.isArray(v) ? v : [v];
  if (list.includes(null)) throw new ShapeError(`its shape ${fmt(list as Shape)} has a size known only when the model runs (None: the batch size), so Model Lens cannot tell the tensor's shape`);
  if (!list.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) throw new ShapeError(`its shape ${JSON.stringify(v)} is not a tuple of sizes`);
  return list as number[];
}

/**
 * numpy's `tile(x, reps)`: reps and x's axes aligned from the right (the shorter padded with 1s),
 * each size times its repeat. Repeats given as a tensor (values unknown until the model runs, e.g.
 * built from the batch size): as many axes as it has values, their sizes unknown.
 */
function tile(inputs: Shape[], c: Config): Shape {
  const x = inputs[0]!;
  const reps = inputs[1];
  if (reps) {
    if (reps.length !== 1 || reps[0] === null) throw new ShapeError(`its repeats are a tensor of shape ${fmt(reps)}; Model Lens needs a 1-D tensor of known length`);
    // One repeat per axis: more axes than any tensor has is not a shape (and never a huge list).
    if (reps[0]! > 64) throw new ShapeError(`its repeats tensor has ${reps[0]} values, one per axis of the result; more than 64 axes is not a tensor Model Lens follows`);
    return Array.from({ length: Math.max(x.length, reps[0]!) }, () => null);
  }
  const r = Array.isArray(c['repeats']) ? c['repeats'].map(Number) : [Number(c['repeats'])];
  if (r.some((n) => !Number.isInteger(n) || n < 0)) throw new ShapeError(`its repeats ${JSON.stringify(c['repeats'])} are not non-negative integers`);
  const rank = Math.max(x.length, r.length);
  const xs: Shape = [...Array.from({ length: rank - x.length }, () => 1), ...x];
  const rs = [...Array.from({ length: rank - r.length }, () => 1), ...r];
  return xs.map((d, i) => (d === null ? null : d * rs[i]!));
}

/** The shape of a literal (nested lists of numbers): `[[1, 2], [3, 4]]` → (2, 2); a ShapeError for anything else. */
export function literalShape(v: ConfigValue | undefined): Shape {
  if (!Array.isArray(v)) {
    if (typeof v === 'number' || typeof v === 'boolean') return [];
    throw new ShapeError('its value is not a literal of numbers');
  }
  const inner = v.map(literalShape);
  if (inner.some((x) => fmt(x) !== fmt(inner[0] ?? []))) throw new ShapeError('its nested lists have different lengths');
  return [v.length, ...(inner[0] ?? [])];
}

function literal(_x: Shape[], c: Config): Shape {
  return literalShape(c['value']);
}

/** `ops.image.extract_patches(images, size, strides=None, dilation_rate=1, padding='valid')` on (batch, h, w, c). */
function extractPatches([x]: Shape[], c: Config): Shape {
  if (x!.length !== 4) throw new ShapeError(`it takes 4-D images (batch, height, width, channels), not ${fmt(x!)}`);
  const pair = (v: ConfigValue | undefined, def: number[]): number[] => (v === null || v === undefined ? def : Array.isArray(v) ? (v.length === 4 ? [Number(v[1]), Number(v[2])] : v.map(Number)) : [Number(v), Number(v)]);
  const size = pair(c['size'], [NaN, NaN]);
  if (size.some((d) => !Number.isInteger(d) || d <= 0)) throw new ShapeError(`its patch size ${JSON.stringify(c['size'])} is not a size`);
  const strides = pair(c['strides'], size);
  const rates = pair(c['dilation_rate'], [1, 1]);
  const padding = String(c['padding'] ?? 'valid').toLowerCase();
  const ch = x![3]!;
  return [x![0]!, convLength(x![1]!, size[0]!, padding, strides[0]!, rates[0]!), convLength(x![2]!, size[1]!, padding, strides[1]!, rates[1]!), ch === null ? null : size[0]! * size[1]! * ch];
}

/** One item of a subscript, as kept in a GetItem node's config. */
type IndexPart = { at: number } | { slice: [number | null, number | null, number | null] } | { newaxis: true } | { ellipsis: true };

/** `x[…]` on a tensor (Keras 3's GetItem): ints drop an axis, slices shorten it, None adds one, `...` keeps the rest. */
function getItem([x]: Shape[], c: Config): Shape {
  const parts = (c['index'] as unknown as IndexPart[]) ?? [];
  const used = parts.filter((p) => 'at' in p || 'slice' in p).length;
  if (used > x!.length) throw new ShapeError(`indexes ${used} axes of the ${x!.length}-D tensor ${fmt(x!)}`);
  const out: Shape = [];
  let axis = 0;
  for (const p of parts) {
    if ('newaxis' in p) out.push(1);
    else if ('ellipsis' in p) {
      const keep = x!.length - used;
      for (let k = 0; k < keep; k++) out.push(x![axis++]!);
    } else if ('at' in p) {
      const d = x![axis++]!;
      if (d !== null && (p.at >= d || p.at < -d)) throw new ShapeError(`index ${p.at} is out of range for axis ${axis - 1} of size ${d} in ${fmt(x!)}`);
    } else {
      const d = x![axis++]!;
      const [start, stop, step] = p.slice;
      if (start === null && stop === null && (step === null || step === 1)) out.push(d);
      else out.push(d === null ? null : sliceLength(d, start, stop, step ?? 1));
    }
  }
  while (axis < x!.length) out.push(x![axis++]!);
  return out;
}

/** Python's `len(range(n)[start:stop:step])`. */
function sliceLength(n: number, start: number | null, stop: number | null, step: number): number {
  if (step === 0) throw new ShapeError('a slice step cannot be 0');
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number | null, def: number, lo: number, hi: number) => (v === null ? def : clamp(v < 0 ? v + n : v, lo, hi));
  const a = step > 0 ? norm(start, 0, 0, n) : norm(start, n - 1, -1, n - 1);
  const b = step > 0 ? norm(stop, n, 0, n) : norm(stop, -1, -1, n - 1);
  return Math.max(0, Math.ceil((b - a) / step));
}

/**
 * `tf.split(value, num_or_size_splits, axis)` and `ops.split(x, indices_or_sections, axis)`: an int
 * N gives N equal parts (the axis must divide by N; an unknown axis gives unknown parts). A list
 * differs: TensorFlow's gives the parts' sizes (one may be -1: what is left), numpy's (keras.ops)
 * the indices where the axis is cut (len + 1 parts).
 */
function split([x]: Shape[], c: Config): Shape[] {
  const rank = x!.length;
  const a = axisOf(c['axis'] ?? 0, rank, 'split');
  const d = x![a]!;
  const part = (size: number | null): Shape => x!.map((v, i) => (i === a ? size : v));
  const tfSizes = c['num_or_size_splits'];
  const spec = tfSizes !== undefined ? tfSizes : c['indices_or_sections'];
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec <= 0) throw new ShapeError(`the number of parts must be a positive int, not ${spec}`);
    if (spec > 1024) throw new ShapeError(`${spec} parts are more than Model Lens follows`);
    if (d !== null && d % spec !== 0) throw new ShapeError(`axis ${a} of ${fmt(x!)} (size ${d}) does not split into ${spec} equal parts`);
    return Array.from({ length: spec }, () => part(d === null ? null : d / spec));
  }
  if (!Array.isArray(spec) || !spec.every((v) => typeof v === 'number' && Number.isInteger(v))) throw new ShapeError(`cannot work out its parts ${JSON.stringify(spec)}`);
  const list = spec as number[];
  if (list.length > 1024) throw new ShapeError(`${list.length} parts are more than Model Lens follows`);
  if (tfSizes !== undefined) {
    if (list.filter((v) => v === -1).length > 1 || list.some((v) => v < -1)) throw new ShapeError(`its sizes ${fmt(list)} may hold one -1 and sizes ≥ 0 only`);
    const known = list.filter((v) => v !== -1).reduce((p, v) => p + v, 0);
    if (d !== null && (list.includes(-1) ? known > d : known !== d)) throw new ShapeError(`its sizes ${fmt(list)} do not add up to axis ${a} of ${fmt(x!)} (size ${d})`);
    return list.map((v) => part(v === -1 ? (d === null ? null : d - known) : v));
  }
  // numpy: cut at the indices (clamped to the axis, as numpy slices)
  if (d === null) return [...list, null].map(() => part(null));
  const cuts = [0, ...list.map((i) => Math.min(Math.max(i < 0 ? i + d : i, 0), d)), d];
  return cuts.slice(1).map((end, k) => part(Math.max(0, end - cuts[k]!)));
}

/** `tf.unstack(value, num, axis)` / `ops.unstack(x, num, axis)`: one tensor per index of the axis (its size must be known), without that axis. */
function unstack([x]: Shape[], c: Config): Shape[] {
  const a = axisOf(c['axis'] ?? 0, x!.length, 'unstack');
  const n = x![a] ?? (typeof c['num'] === 'number' ? c['num'] : null);
  if (n === null) throw new ShapeError(`axis ${a} of ${fmt(x!)} has a size known only when the model runs, so the number of tensors is unknown; give num= or unstack an axis of known size`);
  if (n > 1024) throw new ShapeError(`${n} tensors are more than Model Lens follows`);
  const rest = x!.filter((_, i) => i !== a);
  return Array.from({ length: n }, () => [...rest]);
}

// ---------------------------------------------------------------- the table

const TABLE = new Map<string, OpDef>();

/** `names`: function names; `modules`: the modules each is reached from (canonical: keras.ops, tensorflow, …). */
function add(modules: string[], names: string[], def: OpDef): void {
  for (const m of modules) for (const n of names) TABLE.set(`${m}.${n}`, def);
}

const KOPS = ['keras.ops', 'keras.ops.numpy'];
const KNN = ['keras.ops', 'keras.ops.nn', 'keras.activations'];
const TF = ['tensorflow', 'tensorflow.math'];
const TFNN = ['tensorflow.nn'];

// Element-wise operations of two operands (numpy broadcasting).
for (const [k, tfName, cls] of [
  ['add', 'add', 'Add'],
  ['subtract', 'subtract', 'Subtract'],
  ['multiply', 'multiply', 'Multiply'],
  ['divide', 'divide', 'Divide'],
  ['true_divide', 'truediv', 'TrueDivide'],
  ['maximum', 'maximum', 'Maximum'],
  ['minimum', 'minimum', 'Minimum'],
  ['power', 'pow', 'Power'],
  // Comparisons: a bool tensor of the broadcast shape.
  ['equal', 'equal', 'Equal'],
  ['not_equal', 'not_equal', 'NotEqual'],
  ['greater', 'greater', 'Greater'],
  ['greater_equal', 'greater_equal', 'GreaterEqual'],
  ['less', 'less', 'Less'],
  ['less_equal', 'less_equal', 'LessEqual'],
] as const) {
  add(KOPS, [k], { cls, params: [o('x1'), o('x2')], shape: elementwise });
  add(TF, [tfName], { cls, params: [o('x'), o('y'), s('name', null)], shape: elementwise });
}

// Element-wise operations of one tensor: the output keeps its shape.
const UNARY: [string, string[], string][] = [
  ['sqrt', ['sqrt'], 'Sqrt'],
  ['rsqrt', ['rsqrt'], 'Rsqrt'],
  ['log1p', ['log1p'], 'Log1p'],
  ['expm1', ['expm1'], 'Expm1'],
  ['exp', ['exp'], 'Exp'],
  ['log', ['log'], 'Log'],
  ['abs', ['abs'], 'Absolute'],
  ['absolute', [], 'Absolute'],
  ['square', ['square'], 'Square'],
  ['negative', ['negative'], 'Negative'],
  ['tanh', ['tanh'], 'Tanh'],
  ['sin', ['sin'], 'Sin'],
  ['cos', ['cos'], 'Cos'],
  ['floor', ['floor'], 'Floor'],
  ['ceil', ['ceil'], 'Ceil'],
  ['round', ['round'], 'Round'],
  ['sign', ['sign'], 'Sign'],
  ['erf', ['erf'], 'Erf'],
  ['reciprocal', ['reciprocal'], 'Reciprocal'],
];
for (const [k, tfNames, cls] of UNARY) {
  add(KOPS, [k], { cls, params: [t('x')], shape: same });
  add(TF, tfNames, { cls, params: [t('x'), s('name', null)], shape: same });
}
// Activations (keras.ops.nn and tf.nn; tf.sigmoid and tf.tanh are also tf.math's).
for (const [k, cls] of [
  ['relu', 'Relu'],
  ['relu6', 'Relu6'],
  ['sigmoid', 'Sigmoid'],
  ['gelu', 'Gelu'],
  ['silu', 'Silu'],
  ['swish', 'Silu'],
  ['elu', 'Elu'],
  ['selu', 'Selu'],
  ['softplus', 'Softplus'],
  ['softsign', 'Softsign'],
  ['leaky_relu', 'LeakyRelu'],
  ['tanh', 'Tanh'],
] as const) {
  add(KNN, [k], { cls, params: [t('x')], shape: same });
  // tf.nn.leaky_relu(features, alpha=0.2, name=None), tf.nn.gelu(features, approximate=False, name=None).
  const extra = k === 'leaky_relu' ? [s('alpha', 0.2)] : k === 'gelu' ? [s('approximate', false)] : [];
  add(TFNN, [k], { cls, params: [t('features', 'x'), ...extra, s('name', null)], shape: same });
}
add(['keras.activations'], ['linear'], { cls: 'Linear', params: [t('x')], shape: same });
add(TF, ['sigmoid'], { cls: 'Sigmoid', params: [t('x'), s('name', null)], shape: same });
add(KOPS, ['cast'], { cls: 'Cast', params: [t('x'), s('dtype', null)], shape: same });
add(['tensorflow'], ['cast'], { cls: 'Cast', params: [t('x'), s('dtype', null), s('name', null)], shape: same });
add(['tensorflow'], ['identity', 'stop_gradient'], { cls: 'Identity', params: [t('input'), s('name', null)], shape: same });
add(KOPS, ['stop_gradient'], { cls: 'StopGradient', params: [t('variable')], shape: same });
// ops.clip(x, x_min, x_max) / tf.clip_by_value(t, clip_value_min, clip_value_max): the bounds broadcast against x.
add(KOPS, ['clip'], { cls: 'Clip', params: [t('x'), o('x_min'), o('x_max')], shape: elementwise });
add(['tensorflow'], ['clip_by_value'], { cls: 'Clip', params: [t('t'), o('clip_value_min'), o('clip_value_max'), s('name', null)], shape: elementwise });
// ops.where(condition, x1, x2) / tf.where(condition, x, y): the three broadcast together.
add(KOPS, ['where'], { cls: 'Where', params: [t('condition'), o('x1'), o('x2')], shape: elementwise });
add(['tensorflow'], ['where'], { cls: 'Where', params: [t('condition'), o('x'), o('y'), s('name', null)], shape: elementwise });
// tf.math.squared_difference(x, y): (x − y)², element-wise with broadcasting (no keras.ops function of its own).
add(TF, ['squared_difference'], { cls: 'SquaredDifference', params: [o('x'), o('y'), s('name', null)], shape: elementwise });
// tf.nn.bias_add(value, bias): a bias along the channel axis; the value's shape.
add(TFNN, ['bias_add'], { cls: 'BiasAdd', params: [t('value'), st('bias'), s('data_format', null), s('name', null)], shape: same });
// Index of the largest / smallest value along an axis: ops.argmax(x, axis=None, keepdims=False)
// flattens without an axis; tf.math.argmax(input, axis=None → 0) reduces axis 0 by default.
for (const [k, cls] of [['argmax', 'Argmax'], ['argmin', 'Argmin']] as const) {
  add(KOPS, [k], { cls, params: [t('x'), s('axis', null), s('keepdims', false)], shape: reduce });
  add(TF, [k], { cls, params: [t('input'), s('axis', 0), s('output_type', null), s('name', null)], shape: (x, c) => reduce(x, { ...c, axis: c['axis'] ?? 0 }) });
}
// ops.pad(x, pad_width, mode, constant_values) / tf.pad(tensor, paddings, mode, constant_values): each axis grows by its (before, after).
add(KOPS, ['pad'], { cls: 'Pad', params: [t('x'), s(['pad_width', 'paddings']), s('mode', 'constant'), s('constant_values', null)], shape: pad });
add(['tensorflow'], ['pad'], { cls: 'Pad', params: [t('tensor'), s(['pad_width', 'paddings']), s('mode', 'CONSTANT'), s('constant_values', 0), s('name', null)], shape: pad });
// ops.image.resize(images, size, …) / tf.image.resize(images, size, …): (batch, height, width, channels) to the size given.
add(['keras.ops.image'], ['resize'], { cls: 'Resize', params: [t('images'), s('size'), s('interpolation', 'bilinear'), s('antialias', false), s('crop_to_aspect_ratio', false), s('pad_to_aspect_ratio', false), s('fill_mode', 'constant'), s('fill_value', 0), s('data_format', null)], shape: resize });
add(['tensorflow.image'], ['resize'], { cls: 'Resize', params: [t('images'), s('size'), s('method', 'bilinear'), s('preserve_aspect_ratio', false), s('antialias', false), s('name', null)], shape: resize });

// Softmax and normalizations along an axis.
add(KNN, ['softmax', 'log_softmax'], { cls: 'Softmax', params: [t('x'), s('axis', -1)], shape: softmaxLike });
add(TFNN, ['softmax', 'log_softmax'], { cls: 'Softmax', params: [t('logits'), s('axis', null), s('name', null)], shape: softmaxLike });
add(['keras.ops', 'keras.ops.nn'], ['normalize'], { cls: 'Normalize', params: [t('x'), s('axis', -1), s('order', 2)], shape: softmaxLike });
add(['tensorflow.math', 'tensorflow.nn', 'tensorflow.linalg'], ['l2_normalize'], { cls: 'L2Normalize', params: [t('x'), s('axis', null), s('epsilon', 1e-12), s('name', null)], shape: softmaxLike });

// Reductions.
for (const [k, tfName, cls] of [
  ['mean', 'reduce_mean', 'Mean'],
  ['sum', 'reduce_sum', 'Sum'],
  ['max', 'reduce_max', 'Max'],
  ['min', 'reduce_min', 'Min'],
  ['prod', 'reduce_prod', 'Prod'],
  ['std', 'reduce_std', 'Std'],
  ['var', 'reduce_variance', 'Var'],
] as const) {
  add(KOPS, [k], { cls, params: [t('x'), s('axis', null), s('keepdims', false)], shape: reduce });
  add(TF, [tfName], { cls, params: [t('input_tensor'), s('axis', null), s('keepdims', false), s('name', null)], shape: reduce });
}

// Shape changes.
add(KOPS, ['reshape'], { cls: 'Reshape', params: [t('x'), s(['newshape', 'new_shape'])], shape: reshape });
add(['tensorflow'], ['reshape'], { cls: 'Reshape', params: [t('tensor'), s(['newshape', 'shape']), s('name', null)], shape: tfReshape });
add(KOPS, ['tile'], { cls: 'Tile', params: [t('x'), st('repeats')], shape: tile });
// tf.tile's multiples are ops.tile's repeats (kept under that name for the one rule).
add(['tensorflow'], ['tile'], { cls: 'Tile', params: [t('input'), st('repeats', 'multiples'), s('name', null)], shape: tile });
add(KOPS, ['expand_dims'], { cls: 'ExpandDims', params: [t('x'), s('axis')], shape: expandDims });
add(['tensorflow'], ['expand_dims'], { cls: 'ExpandDims', params: [t('input'), s('axis'), s('name', null)], shape: expandDims });
add(KOPS, ['squeeze'], { cls: 'Squeeze', params: [t('x'), s('axis', null)], shape: squeeze });
// tf.squeeze without axis on a tensor with an unknown size (the batch): TensorFlow's shape function
// cannot tell whether that axis is 1 (ops.squeeze keeps it); Model Lens does not guess.
add(['tensorflow'], ['squeeze'], {
  cls: 'Squeeze',
  params: [t('input'), s('axis', null), s('name', null)],
  shape: (x, c) => {
    if ((c['axis'] === null || c['axis'] === undefined) && x[0]!.includes(null)) throw new ShapeError(`without axis=, which axes of ${fmt(x[0]!)} it removes depends on sizes known only when the model runs (None), so Model Lens cannot tell its shape; give axis= (the axes of size 1 to remove)`);
    return squeeze(x, c);
  },
});
add(KOPS, ['transpose'], { cls: 'Transpose', params: [t('x'), s('axes', null)], shape: transpose });
add(KOPS, ['swapaxes'], { cls: 'Swapaxes', params: [t('x'), s('axis1'), s('axis2')], shape: swapAxes });
add(['tensorflow.linalg'], ['matrix_transpose', 'adjoint'], { cls: 'Swapaxes', params: [t('a'), s('name', null), s('conjugate', false)], shape: swapAxes });
add(['tensorflow'], ['transpose'], { cls: 'Transpose', params: [t('a'), s(['axes', 'perm'], null), s('conjugate', false), s('name', null)], shape: transpose });
add(KOPS, ['concatenate'], { cls: 'Concatenate', params: [ts('xs'), s('axis', 0)], shape: concatenate });
add(['tensorflow'], ['concat'], { cls: 'Concatenate', params: [ts('values'), s('axis'), s('name', null)], shape: concatenate });
add(KOPS, ['stack'], { cls: 'Stack', params: [ts('x'), s('axis', 0)], shape: stack });
add(['tensorflow'], ['stack'], { cls: 'Stack', params: [ts('values'), s('axis', 0), s('name', null)], shape: stack });
add(KOPS, ['matmul'], { cls: 'Matmul', params: [t('x1'), t('x2')], shape: matmul });
// tf.linalg.matmul(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b, a_is_sparse, b_is_sparse, output_type, grad_a, grad_b, name): an adjoint transposes as far as shapes go.
add(['tensorflow', 'tensorflow.linalg'], ['matmul'], {
  cls: 'Matmul',
  params: [t('a'), t('b'), s('transpose_a', false), s('transpose_b', false), s('adjoint_a', false), s('adjoint_b', false), s('a_is_sparse', false), s('b_is_sparse', false), s('output_type', null), s('grad_a', false), s('grad_b', false), s('name', null)],
  shape: (x, c) => matmul(x, { ...c, transpose_a: c['transpose_a'] === true || c['adjoint_a'] === true, transpose_b: c['transpose_b'] === true || c['adjoint_b'] === true }),
});
add(['keras.ops', 'keras.ops.nn'], ['one_hot'], { cls: 'OneHot', params: [t('x'), s('num_classes'), s('axis', -1)], shape: oneHot });
// tf.one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None): depth is ops.one_hot's num_classes.
add(['tensorflow'], ['one_hot'], { cls: 'OneHot', params: [t('indices'), s(['num_classes', 'depth']), s('on_value', null), s('off_value', null), s('axis', -1), s('dtype', null), s('name', null)], shape: oneHot });
add(['keras.ops.image'], ['extract_patches'], { cls: 'ExtractPatches', params: [t('images'), s('size'), s('strides', null), s('dilation_rate', 1), s('padding', 'valid')], shape: extractPatches });
add(['tensorflow.image'], ['extract_patches'], { cls: 'ExtractPatches', params: [t('images'), s(['size', 'sizes']), s('strides'), s(['dilation_rate', 'rates']), s('padding'), s('name', null)], shape: extractPatches });

// Loss functions applied to Keras tensors (a loss given to model.add_loss, written outside any
// layer): the mean over the last axis (`axis`) of an element-wise loss, so y_pred's shape without
// that axis (keras/src/losses/losses.py; sparse_categorical_crossentropy's y_true has no class axis).
function lossShape(inputs: Shape[], c: Config): Shape {
  const pred = inputs[inputs.length - 1]!;
  if (!pred.length) throw new ShapeError('its y_pred is a scalar; a loss reduces an axis of it');
  const a = axisOf(c['axis'] ?? -1, pred.length, 'the loss');
  return pred.filter((_, i) => i !== a);
}
const LOSS_ARGS: Record<string, Param[]> = {
  binary_crossentropy: [s('from_logits', false), s('label_smoothing', 0), s('axis', -1)],
  categorical_crossentropy: [s('from_logits', false), s('label_smoothing', 0), s('axis', -1)],
  sparse_categorical_crossentropy: [s('from_logits', false), s('ignore_class', null), s('axis', -1)],
};
for (const [k, cls] of [
  ['binary_crossentropy', 'BinaryCrossentropy'],
  ['categorical_crossentropy', 'CategoricalCrossentropy'],
  ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
  ['mean_squared_error', 'MeanSquaredError'],
  ['mse', 'MeanSquaredError'],
  ['mean_absolute_error', 'MeanAbsoluteError'],
  ['mae', 'MeanAbsoluteError'],
  ['kl_divergence', 'KLDivergence'],
  ['kld', 'KLDivergence'],
] as const) {
  add(['keras.losses', 'keras.metrics'], [k], { cls, params: [t('y_true'), t('y_pred'), ...(LOSS_ARGS[k] ?? [])], shape: lossShape });
}

// keras.ops.binary_crossentropy(target, output, from_logits) and Keras 2's K.binary_crossentropy:
// element-wise (no reduction), unlike the loss function above.
add(['keras.ops', 'keras.ops.nn'], ['binary_crossentropy'], { cls: 'BinaryCrossentropy', params: [t('target'), t('output'), s('from_logits', false)], shape: elementwise });
add(['keras.backend'], ['binary_crossentropy'], { cls: 'BinaryCrossentropy', params: [t('target'), t('output'), s('from_logits', false)], shape: elementwise });

// Operations that return a list of tensors.
const first = (f: (x: Shape[], c: Config) => Shape[]) => (x: Shape[], c: Config): Shape => f(x, c)[0]!;
add(KOPS, ['split'], { cls: 'Split', params: [t('x'), s('indices_or_sections'), s('axis', 0)], shape: first(split), shapes: split });
add(['tensorflow'], ['split'], { cls: 'Split', params: [t('value'), s('num_or_size_splits'), s('axis', 0), s('num', null), s('name', null)], shape: first(split), shapes: split });
add(KOPS, ['unstack'], { cls: 'Unstack', params: [t('x'), s('num', null), s('axis', 0)], shape: first(unstack), shapes: unstack });
add(['tensorflow'], ['unstack'], { cls: 'Unstack', params: [t('value'), s('num', null), s('axis', 0), s('name', null)], shape: first(unstack), shapes: unstack });

// Constant tensors (no batch axis).
add(KOPS, ['arange'], { cls: 'Arange', constant: true, params: [s('start', 0), s('stop', null), s('step', 1), s('dtype', null)], shape: arange });
add(['tensorflow'], ['range'], { cls: 'Arange', constant: true, params: [s('start', 0), s(['stop', 'limit'], null), s(['step', 'delta'], 1), s('dtype', null), s('name', null)], shape: arange });
for (const k of ['zeros', 'ones', 'empty']) {
  add(['keras.ops', 'keras.ops.numpy', 'tensorflow'], [k], { cls: k === 'ones' ? 'Ones' : 'Zeros', constant: true, params: [s('shape'), s('dtype', null)], shape: filled });
}
add(['keras.ops', 'keras.ops.numpy'], ['full'], { cls: 'Full', constant: true, params: [s('shape'), s('fill_value'), s('dtype', null)], shape: filled });
add(['tensorflow'], ['fill'], { cls: 'Full', constant: true, params: [s(['shape', 'dims']), s(['fill_value', 'value'])], shape: filled });
add(['keras.ops', 'keras.ops.core'], ['convert_to_tensor'], { cls: 'ConvertToTensor', constant: true, params: [s(['value', 'x']), s('dtype', null)], shape: literal });
add(['tensorflow'], ['constant', 'convert_to_tensor'], { cls: 'ConvertToTensor', constant: true, params: [s('value'), s('dtype', null)], shape: literal });

// Random tensors made inside a call() (a VAE's sampling noise): of the shape given. A first size
// that is the batch size (`ops.shape(z_mean)[0]`) makes a batch tensor (None, …), as Keras's
// symbolic random op gives (see OpCalls.node: config 'batch_sized'); otherwise a constant. The
// seed (a number or a keras.random.SeedGenerator) changes no shape and is not read.
const RANDOM_ARGS = (lo: string, hi: string, tf: boolean): Param[] => [s('shape'), s(lo, 0), s(hi, tf && hi === 'maxval' ? null : 1), s('dtype', null), any('seed'), ...(tf ? [s('name', null)] : [])];
const RANDOM_OPS = [['normal', 'RandomNormal', 'mean', 'stddev'], ['uniform', 'RandomUniform', 'minval', 'maxval'], ['truncated_normal', 'TruncatedNormal', 'mean', 'stddev']] as const;
/** The classes of the operations that make a random tensor (OpCalls reads their shape argument). */
export const RANDOM_CLASSES: ReadonlySet<string> = new Set(RANDOM_OPS.map(([, cls]) => cls));
for (const [k, cls, lo, hi] of RANDOM_OPS) {
  add(['keras.random'], [k], { cls, constant: true, params: RANDOM_ARGS(lo, hi, false), shape: randomShape });
  add(['tensorflow.random'], [k], { cls, constant: true, params: RANDOM_ARGS(lo, hi, true), shape: randomShape });
  if (k !== 'truncated_normal') add(['keras.backend'], [`random_${k}`], { cls, constant: true, params: RANDOM_ARGS(lo, hi, false), shape: randomShape });
}
add(['tensorflow'], ['random_normal'], { cls: 'RandomNormal', constant: true, params: RANDOM_ARGS('mean', 'stddev', true), shape: randomShape });

// Keras 2's backend functions (`from keras import backend as K`; tf.keras's keras/backend.py), used
// in Lambda layers and custom layers: the same operations, with the backend's own argument names
// and defaults (K.concatenate and K.expand_dims work on the last axis).
const KB = ['keras.backend'];
for (const [k, cls] of [['sqrt', 'Sqrt'], ['square', 'Square'], ['exp', 'Exp'], ['log', 'Log'], ['abs', 'Absolute'], ['tanh', 'Tanh'], ['sigmoid', 'Sigmoid'], ['relu', 'Relu'], ['sign', 'Sign'], ['round', 'Round']] as const) {
  add(KB, [k], { cls, params: [t('x')], shape: same });
}
for (const [k, cls] of [['maximum', 'Maximum'], ['minimum', 'Minimum'], ['pow', 'Power']] as const) add(KB, [k], { cls, params: [o('x'), o('y', 'a')], shape: elementwise });
for (const [k, cls] of [['mean', 'Mean'], ['sum', 'Sum'], ['max', 'Max'], ['min', 'Min'], ['prod', 'Prod'], ['std', 'Std'], ['var', 'Var']] as const) {
  add(KB, [k], { cls, params: [t('x'), s('axis', null), s('keepdims', false)], shape: reduce });
}
add(KB, ['cast'], { cls: 'Cast', params: [t('x'), s('dtype', null)], shape: same });
add(KB, ['softmax'], { cls: 'Softmax', params: [t('x'), s('axis', -1)], shape: softmaxLike });
add(KB, ['l2_normalize'], { cls: 'L2Normalize', params: [t('x'), s('axis', null)], shape: softmaxLike });
add(KB, ['reshape'], { cls: 'Reshape', params: [t('x'), s(['shape', 'newshape'])], shape: reshape });
add(KB, ['expand_dims'], { cls: 'ExpandDims', params: [t('x'), s('axis', -1)], shape: expandDims });
add(KB, ['squeeze'], { cls: 'Squeeze', params: [t('x'), s('axis')], shape: squeeze });
add(KB, ['permute_dimensions'], { cls: 'Transpose', params: [t('x'), s(['pattern', 'axes'])], shape: transpose });
add(KB, ['transpose'], { cls: 'Transpose', params: [t('x'), s('axes', null)], shape: transpose });
add(KB, ['concatenate'], { cls: 'Concatenate', params: [ts('tensors'), s('axis', -1)], shape: concatenate });
add(KB, ['stack'], { cls: 'Stack', params: [ts('x'), s('axis', 0)], shape: stack });
add(KB, ['batch_flatten'], { cls: 'Reshape', params: [t('x')], shape: batchFlatten });

/** K.batch_flatten: (batch, product of the other sizes). */
function batchFlatten([x]: Shape[]): Shape {
  const rest = x!.slice(1);
  return [x![0] ?? null, rest.includes(null) ? null : (rest as number[]).reduce((p, d) => p * d, 1)];
}

/** `x[…]` on a tensor. */
export const GET_ITEM: OpDef = { cls: 'GetItem', params: [t('x'), s('index')], shape: getItem };

/** The operators `+ - * / **` and the order comparisons on tensors, as Keras 3's KerasTensor dunder methods make them. */
export const OPERATORS: Record<string, OpDef> = {
  '+': { cls: 'Add', params: [o('x1'), o('x2')], shape: elementwise },
  '-': { cls: 'Subtract', params: [o('x1'), o('x2')], shape: elementwise },
  '*': { cls: 'Multiply', params: [o('x1'), o('x2')], shape: elementwise },
  '/': { cls: 'TrueDivide', params: [o('x1'), o('x2')], shape: elementwise },
  '**': { cls: 'Power', params: [o('x1'), o('x2')], shape: elementwise },
  '@': { cls: 'Matmul', params: [o('x1'), o('x2')], shape: matmul },
  // Comparisons (KerasTensor.__lt__ …): a bool tensor of the broadcast shape.
  '<': { cls: 'Less', params: [o('x1'), o('x2')], shape: elementwise },
  '<=': { cls: 'LessEqual', params: [o('x1'), o('x2')], shape: elementwise },
  '>': { cls: 'Greater', params: [o('x1'), o('x2')], shape: elementwise },
  '>=': { cls: 'GreaterEqual', params: [o('x1'), o('x2')], shape: elementwise },
};

/** The operation a (canonical) function path stands for, if the table has it. */
export function findOp(path: string): OpDef | undefined {
  return TABLE.get(path);
}

/** The keras.ops (or keras.random) function of the same operation (Keras 3's class `cls`), e.g. `keras.ops.mean` for tf.reduce_mean's Mean. */
export function kerasOpsName(cls: string): string | undefined {
  for (const [path, def] of TABLE) if (def.cls === cls && /^keras\.(ops|random)\.\w+$/.test(path)) return path;
  return undefined;
}

/** Whether `path` is `ops.shape(x)` / `tf.shape(x)`: the tensor's static shape as a tuple. */
export function isShapeOf(path: string): boolean {
  return path === 'keras.ops.shape' || path === 'keras.ops.core.shape' || path === 'tensorflow.shape' || path === 'keras.backend.shape';
}

const SPECS = new WeakMap<OpDef, LayerSpec>();

/** The spec an operation's graph node gets: no weights, the operation's shape rule, not trainable by TF.js. */
export function opSpec(def: OpDef): LayerSpec {
  let spec = SPECS.get(def);
  if (!spec) {
    spec = {
      type: def.cls,
      family: 'ops',
      kind: 'other',
      multiInput: true,
      tfjs: { none: `it is a tensor operation (${def.cls}), not a layer; Model Lens reads its shape but cannot train a model that uses one yet` },
      doc: `A tensor operation (Keras 3's ${def.cls}): no weights.`,
      args: [],
      outputShape: (inputs, c) => def.shape(inputs, c),
      ...(def.shapes ? { outputCount: (c: Config) => (typeof c['num_outputs'] === 'number' ? c['num_outputs'] : 1), outputShapes: (inputs: Shape[], c: Config) => def.shapes!(inputs, c) } : {}),
      params: () => NONE,
    };
    SPECS.set(def, spec);
  }
  return spec;
}

/** What reading a call of an operation gives: its tensor inputs and static arguments, or why it cannot be read. */
export type OpRead = { inputs: Value[]; config: Config } | { error: string };

/**
 * Reads a call's arguments by the operation's parameters: tensors (by `isTensor`) become the node's
 * inputs; constants its config; a number where an operand goes broadcasts as a scalar (no input).
 */
export function readOpArgs(def: OpDef, args: Args, isTensor: (v: Value) => boolean, text: (v: Value) => string): OpRead {
  if (args.star) return { error: 'it gets *args/**kwargs whose values Model Lens cannot see; write the arguments out' };
  const inputs: Value[] = [];
  const config: Config = {};
  const known = new Set(def.params.flatMap((p) => p.names));
  for (const k of args.kw.keys()) if (!known.has(k)) return { error: `Model Lens does not read its argument '${k}'` };
  if (args.pos.length > def.params.length) return { error: `it gets ${args.pos.length} positional arguments, more than Model Lens reads (${def.params.map((p) => p.names[0]).join(', ')})` };
  for (const [i, p] of def.params.entries()) {
    const kw = p.names.map((n) => args.kw.get(n)).find((a) => a);
    const v = (args.pos[i] ?? kw)?.value;
    const name = p.names[0]!;
    if (v === undefined) {
      if (p.default === undefined) return { error: `its argument '${name}' is missing` };
      if (p.kind === 'static') config[name] = p.default;
      continue;
    }
    if (p.kind === 'ignored') continue;
    if (p.kind === 'tensor') {
      if (!isTensor(v)) return { error: `its argument '${name}' (${text(v)}) is not a tensor Model Lens can follow` };
      inputs.push(v);
    } else if (p.kind === 'tensors') {
      if (v.k !== 'seq' || !v.items.length || !v.items.every(isTensor)) return { error: `its argument '${name}' (${text(v)}) is not a list of tensors Model Lens can follow` };
      inputs.push(...v.items);
    } else if (p.kind === 'operand') {
      if (isTensor(v)) inputs.push(v);
      else if (!(v.k === 'py' && (typeof v.v === 'number' || typeof v.v === 'boolean'))) return { error: `its operand ${text(v)} is neither a tensor nor a number Model Lens can work out` };
    } else if (p.kind === 'staticOrTensor' && isTensor(v)) {
      inputs.push(v);
    } else {
      if (isTensor(v)) return { error: `its argument '${name}' is a tensor, whose value Model Lens cannot know` };
      const c = toConfig(v);
      // A dtype (tf.int32, a module constant) changes no shape: not needed.
      if (c === undefined && name === 'dtype') continue;
      if (c === undefined) return { error: `cannot work out its argument '${name}' (${text(v)})` };
      if (name !== 'name') config[name] = c;
    }
  }
  return { inputs, config };
}

/** A subscript of a tensor as a GetItem node's config, or why it cannot be read (a tensor index, an unknown bound). */
export function readIndex(index: { k: 'at'; value: Value } | { k: 'slice'; start?: Value; stop?: Value; step?: Value }, text: (v: Value) => string): IndexPart | string {
  const int = (v: Value | undefined): number | null | string => {
    if (!v || (v.k === 'py' && v.v === null)) return null;
    if (v.k === 'py' && typeof v.v === 'number' && Number.isInteger(v.v) && !v.f) return v.v;
    return `cannot work out the index ${text(v)}`;
  };
  if (index.k === 'slice') {
    const parts = [int(index.start), int(index.stop), int(index.step)];
    const bad = parts.find((p) => typeof p === 'string');
    if (bad !== undefined) return bad as string;
    return { slice: parts as [number | null, number | null, number | null] };
  }
  const v = index.value;
  if (v.k === 'ellipsis') return { ellipsis: true };
  if ((v.k === 'py' && v.v === null) || (v.k === 'mod' && /(^|\.)newaxis$/.test(v.path))) return { newaxis: true };
  const at = int(v);
  return typeof at === 'number' ? { at } : `cannot work out the index ${text(v)} (Model Lens reads ints, slices of ints, None and ...)`;
}
