/**
 * Keras layers tfjs-layers lacks, written as TF.js layers so models using them train in the worker:
 * the Random* image augmentations (random in training, the identity at inference, as in Keras),
 * Normalization (mean/variance given, or adapt() on the training data) and GroupNormalization.
 * Each registers under its Keras class name; the layer catalog's builder marks them `custom`.
 * Gradients come from TF.js's automatic differentiation of the ops used (checked against finite
 * differences in test/unit/engine/custom-layers.test.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import './gru'; // Keras's GRU/GRUCell (both reset_after forms), registered under their Keras names
import './conv1d-variants'; // DepthwiseConv1D, SeparableConv1D, Conv1DTranspose
import './einsum-dense';
import './spectral-normalization';
import './conv-lstm'; // ConvLSTM1D, ConvLSTM3D
import './grouped-conv'; // Conv2D/Conv3D with groups
import { differentiableTransform, type FillMode, type Interpolation } from './image-transform';

type Tensor = tfc.Tensor;
type Kwargs = Record<string, unknown>;
type Shape = (number | null)[];
type Config = Record<string, unknown>;

const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);
const training = (kwargs: Kwargs) => kwargs['training'] === true;

/** Keras's factor forms: f → (−f, f); (lower, upper) as given. */
function range(v: unknown, name: string): [number, number] {
  if (typeof v === 'number') return [-Math.abs(v), Math.abs(v)];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0] as number, v[1] as number];
  throw new Error(`${name} must be a number or a (lower, upper) pair, not ${JSON.stringify(v)}`);
}

/** Uniform numbers in [lo, hi), one per sample. */
const perSample = (n: number, [lo, hi]: [number, number]) => tfc.randomUniform([n], lo, hi);

abstract class Augmentation extends tfl.layers.Layer {
  protected readonly cfg: Config;
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override computeOutputShape(s: Shape | Shape[]): Shape | Shape[] {
    return s;
  }
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const x = one(inputs);
    if (!training(kwargs)) return x;
    return tfc.tidy(() => this.augment(x));
  }
  protected abstract augment(x: Tensor): Tensor;
  override getConfig(): tfc.serialization.ConfigDict {
    const own: tfc.serialization.ConfigDict = {};
    for (const [k, v] of Object.entries(this.cfg)) if (!['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape'].includes(k)) own[k] = v as tfc.serialization.ConfigDictValue;
    return { ...super.getConfig(), ...own };
  }
}

/** Flips the images whose `mask` entry is 1 along `axis` (1 = vertical, 2 = horizontal). */
export function flipWhere(x: Tensor, mask: Tensor, axis: number): Tensor {
  const m = tfc.reshape(tfc.cast(mask, 'bool'), [x.shape[0]!, 1, 1, 1]);
  return tfc.where(tfc.broadcastTo(m, x.shape), tfc.reverse(x, axis), x);
}

export class RandomFlip extends Augmentation {
  static className = 'RandomFlip';
  protected augment(x: Tensor): Tensor {
    const mode = String(this.cfg['mode'] ?? 'horizontal_and_vertical');
    const n = x.shape[0]!;
    let y = x;
    if (mode.includes('horizontal')) y = flipWhere(y, tfc.less(tfc.randomUniform([n]), 0.5), 2);
    if (mode.includes('vertical')) y = flipWhere(y, tfc.less(tfc.randomUniform([n]), 0.5), 1);
    return y;
  }
}

/** Resamples images with one projective transform per sample (rows of 8 numbers, Keras/TF's form). */
function transform(x: Tensor, rows: Tensor, cfg: Config): Tensor {
  const fill = String(cfg['fillMode'] ?? 'reflect');
  const interp = String(cfg['interpolation'] ?? 'bilinear');
  if (!['constant', 'reflect', 'wrap', 'nearest'].includes(fill)) throw new Error(`fill_mode='${fill}' is not one Model Lens resamples with (constant, reflect, wrap, nearest)`);
  // Our resampling, not tfc.image.transform: TF.js has no gradient for that one (image-transform.ts).
  return differentiableTransform(x, rows, interp as Interpolation, fill as FillMode, Number(cfg['fillValue'] ?? 0));
}

function rowsOf(cols: Tensor[]): Tensor {
  return tfc.stack(cols, 1);
}

export class RandomTranslation extends Augmentation {
  static className = 'RandomTranslation';
  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape as number[];
    const dy = tfc.mul(perSample(n!, range(this.cfg['heightFactor'], 'height_factor')), h!);
    const dx = tfc.mul(perSample(n!, range(this.cfg['widthFactor'], 'width_factor')), w!);
    const o = tfc.ones([n!]);
    const z = tfc.zeros([n!]);
    return transform(x, rowsOf([o, z, tfc.neg(dx), z, o, tfc.neg(dy), z, z]), this.cfg);
  }
}

export class RandomRotation extends Augmentation {
  static className = 'RandomRotation';
  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape as number[];
    const angle = tfc.mul(perSample(n!, range(this.cfg['factor'], 'factor')), 2 * Math.PI);
    const cos = tfc.cos(angle);
    const sin = tfc.sin(angle);
    // Rotation about the image centre (Keras's rotation matrix).
    const xOff = tfc.div(tfc.sub(w! - 1, tfc.sub(tfc.mul(cos, w! - 1), tfc.mul(sin, h! - 1))), 2);
    const yOff = tfc.div(tfc.sub(h! - 1, tfc.add(tfc.mul(sin, w! - 1), tfc.mul(cos, h! - 1))), 2);
    const z = tfc.zeros([n!]);
    return transform(x, rowsOf([cos, tfc.neg(sin), xOff, sin, cos, yOff, z, z]), this.cfg);
  }
}

export class RandomZoom extends Augmentation {
  static className = 'RandomZoom';
  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape as number[];
    const zy = tfc.add(1, perSample(n!, range(this.cfg['heightFactor'], 'height_factor')));
    const zx = this.cfg['widthFactor'] === null || this.cfg['widthFactor'] === undefined ? zy : tfc.add(1, perSample(n!, range(this.cfg['widthFactor'], 'width_factor')));
    const xOff = tfc.mul((w! - 1) / 2, tfc.sub(1, zx));
    const yOff = tfc.mul((h! - 1) / 2, tfc.sub(1, zy));
    const z = tfc.zeros([n!]);
    return transform(x, rowsOf([zx, z, xOff, z, zy, yOff, z, z]), this.cfg);
  }
}

const valueRange = (cfg: Config): [number, number] => (Array.isArray(cfg['valueRange']) ? [Number(cfg['valueRange'][0]), Number(cfg['valueRange'][1])] : [0, 255]);

export class RandomContrast extends Augmentation {
  static className = 'RandomContrast';
  protected augment(x: Tensor): Tensor {
    const n = x.shape[0]!;
    const [lo, hi] = range(this.cfg['factor'], 'factor');
    const f = tfc.reshape(perSample(n, [1 + lo, 1 + hi]), [n, 1, 1, 1]);
    const mean = tfc.mean(x, [1, 2], true);
    const [a, b] = valueRange(this.cfg);
    return tfc.clipByValue(tfc.add(tfc.mul(tfc.sub(x, mean), f), mean), a, b);
  }
}

export class RandomBrightness extends Augmentation {
  static className = 'RandomBrightness';
  protected augment(x: Tensor): Tensor {
    const n = x.shape[0]!;
    const [a, b] = valueRange(this.cfg);
    const delta = tfc.reshape(tfc.mul(perSample(n, range(this.cfg['factor'], 'factor')), b - a), [n, 1, 1, 1]);
    return tfc.clipByValue(tfc.add(x, delta), a, b);
  }
}

/** Axes kept by Normalization (one mean/variance each), as non-negative indices. */
function keptAxes(axis: unknown, rank: number): number[] {
  if (axis === null) return [];
  const list = Array.isArray(axis) ? axis.map(Number) : [Number(axis ?? -1)];
  return list.map((a) => (a < 0 ? rank + a : a)).sort((p, q) => p - q);
}

/**
 * Keras's Normalization: (x − mean) / sqrt(variance), with non-trainable mean, variance and count
 * learned by `adapt()` on the data (or given as mean/variance).
 */
export class Normalization extends tfl.layers.Layer {
  static className = 'Normalization';
  private readonly cfg: Config;
  private mean?: tfl.LayerVariable;
  private variance?: tfl.LayerVariable;
  private count?: tfl.LayerVariable;
  private kept: number[] = [];
  private broadcast: number[] = [];
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.kept = keptAxes(this.cfg['axis'], s.length);
    const shape = this.kept.map((a) => {
      const d = s[a];
      if (d === null || d === undefined) throw new Error(`Normalization: axis ${a} must have a known size`);
      return d;
    });
    this.broadcast = s.map((d, i) => (this.kept.includes(i) ? (d as number) : 1));
    if (this.cfg['mean'] === null || this.cfg['mean'] === undefined) {
      this.mean = this.addWeight('mean', shape, 'float32', tfl.initializers.zeros(), undefined, false);
      this.variance = this.addWeight('variance', shape, 'float32', tfl.initializers.ones(), undefined, false);
      this.count = this.addWeight('count', [], 'float32', tfl.initializers.zeros(), undefined, false);
    }
    this.built = true;
  }
  /** Whether its statistics come from the data (no mean/variance given). */
  get adapts(): boolean {
    return this.cfg['mean'] === null || this.cfg['mean'] === undefined;
  }
  /** Learns the mean and variance of `data` over every axis but the kept ones. */
  adapt(data: Tensor): void {
    if (!this.built) this.build(data.shape);
    if (!this.mean || !this.variance || !this.count) return;
    const reduce = data.shape.map((_, i) => i).filter((i) => !this.kept.includes(i));
    const { mean, variance } = tfc.moments(data, reduce);
    this.mean.write(tfc.reshape(mean, this.mean.shape as number[]));
    this.variance.write(tfc.reshape(variance, this.variance.shape as number[]));
    this.count.write(tfc.scalar(data.shape.filter((_, i) => reduce.includes(i)).reduce((a, b) => a * b, 1)));
    tfc.dispose([mean, variance]);
  }
  override computeOutputShape(s: Shape | Shape[]): Shape | Shape[] {
    return s;
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tfc.tidy(() => {
      const x = one(inputs);
      const m = this.mean ? this.mean.read() : tfc.tensor(this.cfg['mean'] as number | number[]);
      const v = this.variance ? this.variance.read() : tfc.tensor(this.cfg['variance'] as number | number[]);
      const mb = tfc.reshape(m, m.size === 1 ? [] : this.broadcast);
      const vb = tfc.reshape(v, v.size === 1 ? [] : this.broadcast);
      const sd = tfc.maximum(tfc.sqrt(vb), 1e-7); // Keras: sqrt(variance), floored at epsilon
      return this.cfg['invert'] === true ? tfc.add(tfc.mul(x, sd), mb) : tfc.div(tfc.sub(x, mb), sd);
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), axis: this.cfg['axis'] as number, invert: this.cfg['invert'] === true };
  }
}

/** Keras's GroupNormalization: mean and variance over each group of channels of each sample. */
export class GroupNormalization extends tfl.layers.Layer {
  static className = 'GroupNormalization';
  private readonly cfg: Config;
  private gamma?: tfl.LayerVariable;
  private beta?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const c = s[s.length - 1] as number;
    if (this.cfg['scale'] !== false) this.gamma = this.addWeight('gamma', [c], 'float32', tfl.initializers.ones());
    if (this.cfg['center'] !== false) this.beta = this.addWeight('beta', [c], 'float32', tfl.initializers.zeros());
    this.built = true;
  }
  override computeOutputShape(s: Shape | Shape[]): Shape | Shape[] {
    return s;
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tfc.tidy(() => groupNorm(one(inputs), Number(this.cfg['groups'] ?? 32), Number(this.cfg['epsilon'] ?? 1e-3), this.gamma?.read(), this.beta?.read()));
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), groups: Number(this.cfg['groups'] ?? 32), epsilon: Number(this.cfg['epsilon'] ?? 1e-3), center: this.cfg['center'] !== false, scale: this.cfg['scale'] !== false };
  }
}

/** Group normalization of a channels-last tensor (exported for the gradient check). */
export function groupNorm(x: Tensor, groups: number, epsilon: number, gamma?: Tensor, beta?: Tensor): Tensor {
  const shape = x.shape;
  const c = shape[shape.length - 1]!;
  const g = tfc.reshape(x, [...shape.slice(0, -1), groups, c / groups]);
  const axes = g.shape.map((_, i) => i).filter((i) => i !== 0 && i !== g.shape.length - 2);
  const { mean, variance } = tfc.moments(g, axes, true);
  let y = tfc.reshape(tfc.div(tfc.sub(g, mean), tfc.sqrt(tfc.add(variance, epsilon))), shape);
  if (gamma) y = tfc.mul(y, gamma);
  if (beta) y = tfc.add(y, beta);
  return y;
}

/**
 * Keras's MultiHeadAttention on [query, value(, key)] tensors of shape (batch, steps, features):
 * the four projections are Keras's EinsumDense weights (query/key (features, heads, key_dim),
 * value (features, heads, value_dim), output (heads, value_dim, out)), with biases.
 */
export class MultiHeadAttention extends tfl.layers.Layer {
  static className = 'MultiHeadAttention';
  private readonly cfg: Config;
  private w: Record<string, tfl.LayerVariable | undefined> = {};
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  private get heads(): number {
    return Number(this.cfg['numHeads']);
  }
  private get keyDim(): number {
    return Number(this.cfg['keyDim']);
  }
  private get valueDim(): number {
    return this.cfg['valueDim'] === null || this.cfg['valueDim'] === undefined ? this.keyDim : Number(this.cfg['valueDim']);
  }
  private outDim(q: Shape): number {
    const o = this.cfg['outputShape'];
    if (o === null || o === undefined) return q[q.length - 1] as number;
    if (typeof o === 'number') return o;
    if (Array.isArray(o) && o.length === 1) return Number(o[0]);
    throw new Error('MultiHeadAttention: only a single output size is supported here');
  }
  override build(inputShape: Shape | Shape[]): void {
    const shapes = inputShape as Shape[];
    const [q, v] = [shapes[0]!, shapes[1]!];
    const k = shapes[2] ?? v;
    const last = (s: Shape) => s[s.length - 1] as number;
    const h = this.heads;
    const bias = this.cfg['useBias'] !== false;
    const glorot = () => tfl.initializers.glorotUniform({});
    const add = (name: string, shape: number[], init: ReturnType<typeof tfl.initializers.zeros>) => this.addWeight(name, shape, 'float32', init);
    // Keras's order (each projection's kernel, then its bias), which a .keras file's vars follow.
    const proj = (key: string, name: string, kernel: number[], biasShape: number[]) => {
      this.w[key] = add(`${name}/kernel`, kernel, glorot());
      if (bias) this.w[`${key}b`] = add(`${name}/bias`, biasShape, tfl.initializers.zeros());
    };
    proj('q', 'query', [last(q), h, this.keyDim], [h, this.keyDim]);
    proj('k', 'key', [last(k), h, this.keyDim], [h, this.keyDim]);
    proj('v', 'value', [last(v), h, this.valueDim], [h, this.valueDim]);
    proj('o', 'attention_output', [h, this.valueDim, this.outDim(q)], [this.outDim(q)]);
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const q = (inputShape as Shape[])[0]!;
    return [...q.slice(0, -1), this.outDim(q)];
  }
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length < 2) throw new Error('MultiHeadAttention takes [query, value] (and optionally key)');
    return tfc.tidy(() => {
      const read = (k: string) => this.w[k]?.read();
      const probsDropout = training(kwargs) ? Number(this.cfg['dropout'] ?? 0) : 0;
      return multiHeadAttention(list[0]!, list[1]!, list[2] ?? list[1]!, {
        q: read('q')!, k: read('k')!, v: read('v')!, o: read('o')!, qb: read('qb'), kb: read('kb'), vb: read('vb'), ob: read('ob'),
      }, probsDropout);
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.heads, keyDim: this.keyDim, valueDim: this.valueDim, useBias: this.cfg['useBias'] !== false, dropout: Number(this.cfg['dropout'] ?? 0) };
  }
}

export interface AttentionWeights {
  q: Tensor; k: Tensor; v: Tensor; o: Tensor;
  qb?: Tensor | undefined; kb?: Tensor | undefined; vb?: Tensor | undefined; ob?: Tensor | undefined;
}

/** Multi-head attention of (batch, steps, features) tensors with Keras's weight layout (exported for the gradient check). */
export function multiHeadAttention(query: Tensor, value: Tensor, key: Tensor, w: AttentionWeights, dropout = 0): Tensor {
  const [, h, kd] = w.q.shape as number[];
  const vd = w.v.shape[2]!;
  // (b, T, f) · (f, h·d) → (b, T, h, d) → (b, h, T, d)
  const project = (x: Tensor, kernel: Tensor, bias: Tensor | undefined, d: number) => {
    const [b, t, f] = x.shape as number[];
    let y = tfc.matMul(tfc.reshape(x, [b! * t!, f!]), tfc.reshape(kernel, [f!, h! * d]));
    if (bias) y = tfc.add(y, tfc.reshape(bias, [h! * d]));
    return tfc.transpose(tfc.reshape(y, [b!, t!, h!, d]), [0, 2, 1, 3]);
  };
  const q = tfc.mul(project(query, w.q, w.qb, kd!), 1 / Math.sqrt(kd!));
  const k = project(key, w.k, w.kb, kd!);
  const v = project(value, w.v, w.vb, vd);
  let probs = tfc.softmax(tfc.matMul(q, k, false, true)); // (b, h, Tq, Tv)
  if (dropout > 0) probs = tfc.dropout(probs, dropout);
  const att = tfc.transpose(tfc.matMul(probs, v), [0, 2, 1, 3]); // (b, Tq, h, vd)
  const [b, tq] = query.shape as number[];
  const out = w.o.shape[2]!;
  let y = tfc.matMul(tfc.reshape(att, [b! * tq!, h! * vd]), tfc.reshape(w.o, [h! * vd, out]));
  if (w.ob) y = tfc.add(y, w.ob);
  return tfc.reshape(y, [b!, tq!, out]);
}

/** A layer without weights computing `fn` of its inputs (the small Keras layers tfjs-layers lacks). */
function opLayer(className: string, fn: (xs: Tensor[], cfg: Config) => Tensor, outShape: (s: Shape[], cfg: Config) => Shape) {
  const cls = class extends tfl.layers.Layer {
    static className = className;
    private readonly cfg: Config;
    constructor(args: Config) {
      super(args as never);
      this.cfg = args;
    }
    override computeOutputShape(s: Shape | Shape[]): Shape {
      return outShape((Array.isArray(s[0]) ? s : [s]) as Shape[], this.cfg);
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tfc.tidy(() => fn(Array.isArray(inputs) ? inputs : [inputs], this.cfg));
    }
    override getConfig(): tfc.serialization.ConfigDict {
      const own: tfc.serialization.ConfigDict = {};
      for (const [k, v] of Object.entries(this.cfg)) if (!['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape'].includes(k)) own[k] = v as tfc.serialization.ConfigDictValue;
      return { ...super.getConfig(), ...own };
    }
  };
  return cls;
}

const axesOf = (v: unknown, rank: number): number[] => (Array.isArray(v) ? v.map(Number) : [Number(v ?? -1)]).map((a) => (a < 0 ? rank + a : a));
/** Keras's (before, after) amounts for 1-D cropping/padding: an int or a pair. */
const pair1 = (v: unknown, d: number): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v ?? d), Number(v ?? d)]);

/** Keras's UnitNormalization: x / max(‖x‖₂ over axis, ε). */
export function unitNorm(x: Tensor, axes: number[]): Tensor {
  return tfc.div(x, tfc.sqrt(tfc.maximum(tfc.sum(tfc.square(x), axes, true), 1e-12)));
}

/** Keras's RMSNormalization without its scale: x / sqrt(mean(x²) + ε). */
export function rmsNorm(x: Tensor, axes: number[], epsilon: number): Tensor {
  return tfc.mul(x, tfc.rsqrt(tfc.add(tfc.mean(tfc.square(x), axes, true), epsilon)));
}

/** Dot-product attention over [query, value(, key)]: softmax(scale · q·kᵀ) · v. */
export function dotAttention(q: Tensor, v: Tensor, k: Tensor, scale?: Tensor, dropout = 0): Tensor {
  let scores = tfc.matMul(q, k, false, true);
  if (scale) scores = tfc.mul(scores, scale);
  let weights = tfc.softmax(scores);
  if (dropout > 0) weights = tfc.dropout(weights, dropout); // Keras drops attention weights
  return tfc.matMul(weights, v);
}

export const Subtract = opLayer('Subtract', ([a, b]) => tfc.sub(a!, b!), ([a]) => a!);
export const UnitNormalization = opLayer('UnitNormalization', ([x], c) => unitNorm(x!, axesOf(c['axis'], x!.rank)), ([s]) => s!);
export const UpSampling1D = opLayer(
  'UpSampling1D',
  ([x], c) => {
    const [b, t, f] = x!.shape as number[];
    const n = Number(c['size'] ?? 2);
    return tfc.reshape(tfc.tile(tfc.expandDims(x!, 2), [1, 1, n, 1]), [b!, t! * n, f!]);
  },
  ([s], c) => [s![0]!, s![1] === null ? null : (s![1] as number) * Number(c['size'] ?? 2), s![2]!],
);
export const ZeroPadding1D = opLayer(
  'ZeroPadding1D',
  ([x], c) => tfc.pad(x!, [[0, 0], pair1(c['padding'], 1), [0, 0]]),
  ([s], c) => {
    const [a, b] = pair1(c['padding'], 1);
    return [s![0]!, s![1] === null ? null : (s![1] as number) + a + b, s![2]!];
  },
);
export const Cropping1D = opLayer(
  'Cropping1D',
  ([x], c) => {
    const [a, b] = pair1(c['cropping'], 1);
    return tfc.slice(x!, [0, a, 0], [-1, x!.shape[1]! - a - b, -1]);
  },
  ([s], c) => {
    const [a, b] = pair1(c['cropping'], 1);
    return [s![0]!, s![1] === null ? null : (s![1] as number) - a - b, s![2]!];
  },
);

/** Keras's RMSNormalization: a learned scale per feature of the normalized input. */
export class RMSNormalization extends tfl.layers.Layer {
  static className = 'RMSNormalization';
  private readonly cfg: Config;
  private scale?: tfl.LayerVariable;
  private axes: number[] = [];
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.axes = axesOf(this.cfg['axis'], s.length).sort((a, b) => a - b);
    this.scale = this.addWeight('scale', this.axes.map((a) => s[a] as number), 'float32', tfl.initializers.ones());
    this.built = true;
  }
  override computeOutputShape(s: Shape | Shape[]): Shape | Shape[] {
    return s;
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tfc.tidy(() => {
      const x = one(inputs);
      const shape = x.shape.map((d, i) => (this.axes.includes(i) ? d : 1));
      return tfc.mul(rmsNorm(x, this.axes, Number(this.cfg['epsilon'] ?? 1e-6)), tfc.reshape(this.scale!.read(), shape));
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), axis: this.cfg['axis'] as number, epsilon: Number(this.cfg['epsilon'] ?? 1e-6) };
  }
}

/** Keras's Attention: score_mode "dot" (q·kᵀ, times a learned scalar with use_scale) or "concat" (w·Σ tanh(scale·(q + k))). */
export class Attention extends tfl.layers.Layer {
  static className = 'Attention';
  private readonly cfg: Config;
  private scale?: tfl.LayerVariable;
  private concatWeight?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override build(): void {
    if (this.cfg['useScale'] === true) this.scale = this.addWeight('scale', [], 'float32', tfl.initializers.ones());
    if (this.cfg['scoreMode'] === 'concat') this.concatWeight = this.addWeight('concat_score_weight', [], 'float32', tfl.initializers.ones());
    this.built = true;
  }
  override computeOutputShape(s: Shape | Shape[]): Shape {
    const [q, v] = s as Shape[];
    return [...q!.slice(0, -1), v![v!.length - 1]!];
  }
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const [q, v, k] = inputs as Tensor[];
    return tfc.tidy(() => {
      const dropout = training(kwargs) ? Number(this.cfg['dropout'] ?? 0) : 0;
      if (this.concatWeight) return additiveAttention(q!, v!, k ?? v!, this.scale?.read(), this.concatWeight.read(), dropout);
      return dotAttention(q!, v!, k ?? v!, this.scale?.read(), dropout);
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), useScale: this.cfg['useScale'] === true, scoreMode: String(this.cfg['scoreMode'] ?? 'dot'), dropout: Number(this.cfg['dropout'] ?? 0) };
  }
}

/**
 * Additive (Bahdanau) scores softmax(w · Σ_features tanh(scale · (q_i + k_j))) · v: Keras's
 * AdditiveAttention (scale a vector per feature, w = 1) and Attention(score_mode="concat")
 * (scale a scalar, w its concat_score_weight).
 */
export function additiveAttention(q: Tensor, v: Tensor, k: Tensor, scale?: Tensor, weight?: Tensor, dropout = 0): Tensor {
  let sum = tfc.add(tfc.expandDims(q, -2), tfc.expandDims(k, -3)); // (b, Tq, Tv, d)
  const concat = weight !== undefined;
  if (scale && concat) sum = tfc.mul(sum, scale); // Attention: tanh(scale · (q + k))
  let t = tfc.tanh(sum);
  if (scale && !concat) t = tfc.mul(t, scale); // AdditiveAttention: scale · tanh(q + k)
  let scores = tfc.sum(t, -1);
  if (weight) scores = tfc.mul(scores, weight);
  let weights = tfc.softmax(scores);
  if (dropout > 0) weights = tfc.dropout(weights, dropout);
  return tfc.matMul(weights, v);
}

/** Keras's AdditiveAttention on [query, value(, key)]: a learned scale per feature (use_scale, default True). */
export class AdditiveAttention extends tfl.layers.Layer {
  static className = 'AdditiveAttention';
  private readonly cfg: Config;
  private scale?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override build(inputShape: Shape | Shape[]): void {
    const q = (inputShape as Shape[])[0]!;
    if (this.cfg['useScale'] !== false) this.scale = this.addWeight('scale', [q[q.length - 1] as number], 'float32', tfl.initializers.glorotUniform({}));
    this.built = true;
  }
  override computeOutputShape(s: Shape | Shape[]): Shape {
    const [q, v] = s as Shape[];
    return [...q!.slice(0, -1), v![v!.length - 1]!];
  }
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const [q, v, k] = inputs as Tensor[];
    return tfc.tidy(() => additiveAttention(q!, v!, k ?? v!, this.scale?.read(), undefined, training(kwargs) ? Number(this.cfg['dropout'] ?? 0) : 0));
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), useScale: this.cfg['useScale'] !== false, dropout: Number(this.cfg['dropout'] ?? 0) };
  }
}

/** Each of `heads` heads (axis 1 of a kernel (features, heads, dim) or axis 0 of a bias (heads, dim)) `r` times in a row, as Keras's ops.repeat. */
export function repeatHeads(t: Tensor, r: number, axis: number): Tensor {
  if (r === 1) return t;
  const s = t.shape;
  const expanded = tfc.expandDims(t, axis + 1);
  const reps = expanded.shape.map((_, i) => (i === axis + 1 ? r : 1));
  return tfc.reshape(tfc.tile(expanded, reps), [...s.slice(0, axis), s[axis]! * r, ...s.slice(axis + 1)]);
}

/**
 * Keras's GroupedQueryAttention: num_query_heads query heads of head_dim, sharing
 * num_key_value_heads key/value heads (each used by num_query_heads / num_key_value_heads query
 * heads in a row). Weights as Keras's: query/key/value/attention_output kernels and biases. As the
 * projections are linear per head, repeating a key/value head's kernel equals repeating its output,
 * so it runs as multi-head attention with the key/value kernels repeated.
 */
export class GroupedQueryAttention extends tfl.layers.Layer {
  static className = 'GroupedQueryAttention';
  private readonly cfg: Config;
  private w: Record<string, tfl.LayerVariable | undefined> = {};
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override build(inputShape: Shape | Shape[]): void {
    const shapes = inputShape as Shape[];
    const [q, v] = [shapes[0]!, shapes[1]!];
    const k = shapes[2] ?? v;
    const last = (s: Shape) => s[s.length - 1] as number;
    const hd = Number(this.cfg['headDim']);
    const hq = Number(this.cfg['numQueryHeads']);
    const hkv = Number(this.cfg['numKeyValueHeads']);
    const bias = this.cfg['useBias'] !== false;
    const proj = (key: string, name: string, kernel: number[], biasShape: number[]) => {
      this.w[key] = this.addWeight(`${name}/kernel`, kernel, 'float32', tfl.initializers.glorotUniform({}));
      if (bias) this.w[`${key}b`] = this.addWeight(`${name}/bias`, biasShape, 'float32', tfl.initializers.zeros());
    };
    proj('q', 'query', [last(q), hq, hd], [hq, hd]);
    proj('k', 'key', [last(k), hkv, hd], [hkv, hd]);
    proj('v', 'value', [last(v), hkv, hd], [hkv, hd]);
    proj('o', 'attention_output', [hq, hd, last(q)], [last(q)]);
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape[])[0]!];
  }
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length < 2) throw new Error('GroupedQueryAttention takes [query, value] (and optionally key)');
    return tfc.tidy(() => {
      const r = Number(this.cfg['numQueryHeads']) / Number(this.cfg['numKeyValueHeads']);
      const read = (k: string) => this.w[k]?.read();
      const rep = (k: string, axis: number) => {
        const t = read(k);
        return t ? repeatHeads(t, r, axis) : undefined;
      };
      return multiHeadAttention(list[0]!, list[1]!, list[2] ?? list[1]!, {
        q: read('q')!, k: rep('k', 1)!, v: rep('v', 1)!, o: read('o')!, qb: read('qb'), kb: rep('kb', 0), vb: rep('vb', 0), ob: read('ob'),
      }, training(kwargs) ? Number(this.cfg['dropout'] ?? 0) : 0);
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    const own: tfc.serialization.ConfigDict = {};
    for (const [k, v] of Object.entries(this.cfg)) if (!['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape'].includes(k)) own[k] = v as tfc.serialization.ConfigDictValue;
    return { ...own, ...super.getConfig() };
  }
}

/** Keras 3's relu(x, negative_slope, max_value, threshold) (keras/src/activations/activations.py). */
export function kerasRelu(x: Tensor, slope: number, maxValue: number | null, threshold: number): Tensor {
  const negative = slope !== 0 ? tfc.relu(tfc.sub(threshold, x)) : null;
  // x where x > threshold, else 0 (step's gradient is zero, as the comparison's is in Keras)
  let y = threshold !== 0 ? tfc.mul(x, tfc.step(tfc.sub(x, threshold))) : tfc.relu(x);
  if (maxValue !== null) y = tfc.clipByValue(y, 0, maxValue);
  return negative ? tfc.sub(y, tfc.mul(slope, negative)) : y;
}
export const KerasReLU = opLayer(
  'KerasReLU',
  ([x], c) => kerasRelu(x!, Number(c['negativeSlope'] ?? 0), typeof c['maxValue'] === 'number' ? c['maxValue'] : null, Number(c['threshold'] ?? 0)),
  ([s]) => s!,
);

/** Softmax over several axes at once (Keras's Softmax(axis=(1, 2))): exp(x − logsumexp over the axes). */
export const KerasSoftmax = opLayer('KerasSoftmax', ([x], c) => tfc.exp(tfc.sub(x!, tfc.logSumExp(x!, axesOf(c['axis'], x!.rank), true))), ([s]) => s!);

/**
 * Keras's ActivityRegularization: the identity, adding l1·Σ|x| + l2·Σx² of its input to the loss of
 * each training step (Keras 3 adds the regularizer's value as is, not divided by the batch). The
 * penalty is made in the training forward pass and handed to tfjs-layers' regularization losses,
 * which the training step adds to the loss inside the same gradient tape.
 */
export class ActivityRegularization extends tfl.layers.Layer {
  static className = 'ActivityRegularization';
  private readonly l1: number;
  private readonly l2: number;
  private penalty: Tensor | null = null;
  constructor(args: Config) {
    super(args as never);
    this.l1 = Number(args['l1'] ?? 0);
    this.l2 = Number(args['l2'] ?? 0);
    this.addLoss(() => {
      const p = this.penalty;
      this.penalty = null;
      return (p ?? tfc.scalar(0)) as tfc.Scalar;
    });
  }
  override computeOutputShape(s: Shape | Shape[]): Shape | Shape[] {
    return s;
  }
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const x = one(inputs);
    // Not in a tidy: the penalty must live until the step adds it to the loss.
    if (training(kwargs)) this.penalty = activityPenalty(x, this.l1, this.l2);
    return tfc.clone(x);
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}

/** l1·Σ|x| + l2·Σx² (Keras's L1L2 regularizer). */
export function activityPenalty(x: Tensor, l1: number, l2: number): Tensor {
  return tfc.tidy(() => tfc.add(tfc.mul(l1, tfc.sum(tfc.abs(x))), tfc.mul(l2, tfc.sum(tfc.square(x)))));
}

/** Keras's (before, after) per spatial axis for 3-D cropping/padding: an int, 3 ints, or 3 pairs. */
const pairs3 = (v: unknown, d: number): [number, number][] => {
  if (!Array.isArray(v)) return [0, 1, 2].map(() => [Number(v ?? d), Number(v ?? d)] as [number, number]);
  return v.map((a) => (Array.isArray(a) ? [Number(a[0]), Number(a[1])] : [Number(a), Number(a)]) as [number, number]);
};
const grow3 = (s: Shape, p: [number, number][], sign: number): Shape => [s[0]!, ...[1, 2, 3].map((i) => (s[i] === null ? null : (s[i] as number) + sign * (p[i - 1]![0] + p[i - 1]![1]))), s[4]!];
export const ZeroPadding3D = opLayer('ZeroPadding3D', ([x], c) => tfc.pad(x!, [[0, 0], ...pairs3(c['padding'], 1), [0, 0]]), ([s], c) => grow3(s!, pairs3(c['padding'], 1), 1));
export const Cropping3D = opLayer(
  'Cropping3D',
  ([x], c) => {
    const p = pairs3(c['cropping'], 1);
    return tfc.slice(x!, [0, ...p.map((q) => q[0]), 0], [-1, ...p.map((q, i) => x!.shape[i + 1]! - q[0] - q[1]), -1]);
  },
  ([s], c) => grow3(s!, pairs3(c['cropping'], 1), -1),
);
/** Keras's UpSampling3D: each voxel repeated size[i] times along each spatial axis. */
export const UpSampling3D = opLayer(
  'UpSampling3D',
  ([x], c) => {
    const size = Array.isArray(c['size']) ? c['size'].map(Number) : [0, 1, 2].map(() => Number(c['size'] ?? 2));
    let y = x!;
    for (let a = 1; a <= 3; a++) {
      const shape = y.shape;
      const n = size[a - 1]!;
      // (axes ≤ a, 1, axes > a) tiled n times on the middle axis: each entry of axis a repeated in place
      // (rank 3: TF.js's tile gradient stops at rank 5).
      const before = shape.slice(0, a + 1).reduce((p, q) => p * q, 1);
      const after = shape.slice(a + 1).reduce((p, q) => p * q, 1);
      y = tfc.reshape(tfc.tile(tfc.reshape(y, [before, 1, after]), [1, n, 1]), [...shape.slice(0, a), shape[a]! * n, ...shape.slice(a + 1)]);
    }
    return y;
  },
  ([s], c) => {
    const size = Array.isArray(c['size']) ? c['size'].map(Number) : [0, 1, 2].map(() => Number(c['size'] ?? 2));
    return [s![0]!, ...[1, 2, 3].map((i) => (s![i] === null ? null : (s![i] as number) * size[i - 1]!)), s![4]!];
  },
);

/** Keras's GlobalAverage/MaxPooling3D: one value per channel over depth, height and width. */
const globalPool3D = (name: string, reduce: (x: Tensor, axes: number[], keep: boolean) => Tensor) =>
  opLayer(
    name,
    ([x], c) => reduce(x!, [1, 2, 3], c['keepdims'] === true),
    ([s], c) => (c['keepdims'] === true ? [s![0]!, 1, 1, 1, s![4]!] : [s![0]!, s![4]!]),
  );
export const GlobalAveragePooling3D = globalPool3D('GlobalAveragePooling3D', (x, a, k) => tfc.mean(x, a, k));
export const GlobalMaxPooling3D = globalPool3D('GlobalMaxPooling3D', (x, a, k) => tfc.max(x, a, k));

/**
 * Keras's image resize (ops.image.resize as the TF backend runs it: half-pixel centres, no
 * antialiasing), after cropping the centred window of the target's aspect ratio when `cropToAspect`.
 */
export function resizeImages(x: Tensor, height: number, width: number, interpolation: string, cropToAspect: boolean): Tensor {
  let img = x as tfc.Tensor4D;
  if (cropToAspect) {
    const [, h, w] = img.shape;
    const ch = Math.max(Math.min(h, Math.trunc((w * height) / width)), 1);
    const cw = Math.max(Math.min(w, Math.trunc((h * width) / height)), 1);
    img = tfc.slice(img, [0, Math.trunc((h - ch) / 2), Math.trunc((w - cw) / 2), 0], [-1, ch, cw, -1]);
  }
  if (img.shape[1] === height && img.shape[2] === width) return img;
  if (interpolation === 'nearest') return tfc.image.resizeNearestNeighbor(img, [height, width], false, true);
  if (interpolation === 'bilinear') return tfc.image.resizeBilinear(img, [height, width], false, true);
  throw new Error(`Resizing: interpolation '${interpolation}' is not one Model Lens's TF.js Resizing has (bilinear, nearest)`);
}

export const Resizing = opLayer(
  'Resizing',
  ([x], c) => resizeImages(x!, Number(c['height']), Number(c['width']), String(c['interpolation'] ?? 'bilinear'), c['cropToAspectRatio'] === true),
  ([s], c) => [s![0]!, Number(c['height']), Number(c['width']), s![3]!],
);

/**
 * Keras's RandomCrop: in training, one random height × width window for the whole batch (as
 * Keras crops every image of a batch at the same place); at inference — and in training when the
 * image is smaller than the window — the largest centred window of the target's aspect ratio,
 * resized to height × width (bilinear).
 */
export class RandomCrop extends tfl.layers.Layer {
  static className = 'RandomCrop';
  private readonly cfg: Config;
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
  }
  override computeOutputShape(s: Shape | Shape[]): Shape {
    const x = (Array.isArray(s[0]) ? s[0] : s) as Shape;
    return [x[0]!, Number(this.cfg['height']), Number(this.cfg['width']), x[3]!];
  }
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const x = one(inputs);
    const [th, tw] = [Number(this.cfg['height']), Number(this.cfg['width'])];
    const [, h, w] = x.shape as number[];
    return tfc.tidy(() => {
      if (!training(kwargs) || h! < th || w! < tw) return resizeImages(x, th, tw, 'bilinear', true);
      const top = Math.floor(Math.random() * (h! - th + 1));
      const left = Math.floor(Math.random() * (w! - tw + 1));
      return tfc.slice(x, [0, top, left, 0], [-1, th, tw, -1]);
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), height: Number(this.cfg['height']), width: Number(this.cfg['width']) };
  }
}

const CUSTOM = [ActivityRegularization, KerasReLU, KerasSoftmax, ZeroPadding3D, Cropping3D, UpSampling3D, AdditiveAttention, GroupedQueryAttention, GlobalAveragePooling3D, GlobalMaxPooling3D, Resizing, RandomCrop, Subtract, UnitNormalization, UpSampling1D, ZeroPadding1D, Cropping1D, RMSNormalization, Attention, MultiHeadAttention, RandomFlip, RandomTranslation, RandomRotation, RandomZoom, RandomContrast, RandomBrightness, Normalization, GroupNormalization];
for (const cls of CUSTOM) tfc.serialization.registerClass(cls as never);

/** Keras class names this module provides. */
export const customLayerNames: readonly string[] = CUSTOM.map((c) => c.className);

/** Runs adapt() of every Normalization layer that learns its statistics, on `data` (as the model is fed). */
export function adaptNormalization(model: tfl.LayersModel, data: () => Tensor): number {
  const layers = model.layers.filter((l): l is Normalization => l instanceof Normalization && l.adapts);
  if (!layers.length) return 0;
  const x = data();
  try {
    for (const l of layers) {
      // Adapt on what reaches the layer: the model input run through the layers before it.
      const inbound = (l.input as tfl.SymbolicTensor);
      const upstream = inbound.sourceLayer instanceof tfl.layers.Layer && inbound.sourceLayer.getClassName() === 'InputLayer' ? null : tfl.model({ inputs: model.inputs, outputs: inbound });
      const fed = upstream ? (upstream.predict(x) as Tensor) : x;
      l.adapt(fed);
      if (fed !== x) fed.dispose();
    }
  } finally {
    x.dispose();
  }
  return layers.length;
}
