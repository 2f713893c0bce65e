/**
 * Keras's DepthwiseConv1D, SeparableConv1D and Conv1DTranspose as TF.js layers (tfjs-layers has
 * only their 2-D forms), and Conv1D with padding='causal' or groups (tfjs-layers' has neither), with Keras's weights: depthwise_kernel (k, channels, depth_multiplier),
 * pointwise_kernel (1, channels·depth_multiplier, filters), Conv1DTranspose's kernel
 * (k, filters, channels), and bias. Each runs as its 2-D op on a height-1 image; gradients are
 * those of the 2-D ops (checked against finite differences in test/unit/engine/custom-layers-more.test.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { activation, initializer } from './keras-args';

type Tensor = tfc.Tensor;
type Shape = (number | null)[];
type Config = Record<string, unknown>;

export type Conv1DVariant = 'conv' | 'depthwise' | 'separable' | 'transpose';

export interface Conv1DOptions {
  kernelSize: number;
  stride: number;
  dilation: number;
  /** 'valid' | 'same' | 'causal' ('causal' pads the start by dilation·(k − 1)). */
  padding: string;
}

const first = (v: unknown, d: number): number => (Array.isArray(v) ? Number(v[0]) : v === undefined || v === null ? d : Number(v));

/** Pads the start of (batch, steps, channels) for a causal window and returns the padding TF.js then uses. */
function causal(x: Tensor, o: Conv1DOptions): [Tensor, 'valid' | 'same'] {
  if (o.padding !== 'causal') return [x, o.padding as 'valid' | 'same'];
  return [tfc.pad(x, [[0, 0], [o.dilation * (o.kernelSize - 1), 0], [0, 0]]), 'valid'];
}

/**
 * A dilated kernel (k, …) as the plain kernel it equals: d − 1 zero taps between taps, length
 * k + (k − 1)(d − 1). TF.js's depthwise convolution has no gradient with dilation > 1; this has.
 */
export function dilate(kernel: Tensor, d: number): Tensor {
  if (d === 1) return kernel;
  const [k, ...rest] = kernel.shape as number[];
  const spread = tfc.pad(tfc.expandDims(kernel, 1), [[0, 0], [0, d - 1], ...rest.map((): [number, number] => [0, 0])]);
  return tfc.slice(tfc.reshape(spread, [k! * d, ...rest]), 0, k! + (k! - 1) * (d - 1));
}

/** Depthwise 1-D convolution: x (b, t, c), kernel (k, c, m) → (b, t', c·m). */
export function depthwiseConv1d(x: Tensor, kernel: Tensor, o: Conv1DOptions): Tensor {
  const [xp, pad] = causal(x, o);
  const [b, t, c] = xp.shape as number[];
  const full = dilate(kernel, o.dilation);
  const [k, , m] = full.shape as number[];
  const y = tfc.depthwiseConv2d(tfc.reshape(xp, [b!, 1, t!, c!]) as tfc.Tensor4D, tfc.reshape(full, [1, k!, c!, m!]) as tfc.Tensor4D, [1, o.stride], pad, 'NHWC');
  return tfc.squeeze(y, [1]);
}

/** Depthwise, then a pointwise kernel (1, c·m, f) mixing the channels. */
export function separableConv1d(x: Tensor, depthwise: Tensor, pointwise: Tensor, o: Conv1DOptions): Tensor {
  const d = depthwiseConv1d(x, depthwise, o);
  const [b, t, cm] = d.shape as number[];
  const f = pointwise.shape[2]!;
  return tfc.reshape(tfc.matMul(tfc.reshape(d, [b! * t!, cm!]), tfc.reshape(pointwise, [cm!, f])), [b!, t!, f]);
}

/** Keras's transposed-convolution length (output_padding None). */
export function transposeLength(n: number, o: Conv1DOptions): number {
  return o.padding === 'same' ? n * o.stride : n * o.stride + Math.max(o.kernelSize - o.stride, 0);
}

/** Transposed 1-D convolution: x (b, t, c), kernel (k, f, c) → (b, t', f). */
export function conv1dTranspose(x: Tensor, kernel: Tensor, o: Conv1DOptions): Tensor {
  const [b, t, c] = x.shape as number[];
  const [k, f] = kernel.shape as number[];
  const len = transposeLength(t!, o);
  const y = tfc.conv2dTranspose(tfc.reshape(x, [b!, 1, t!, c!]) as tfc.Tensor4D, tfc.reshape(kernel, [1, k!, f!, c!]) as tfc.Tensor4D, [b!, 1, len, f!], [1, o.stride], o.padding as 'valid' | 'same');
  return tfc.reshape(y, [b!, len, f!]);
}

abstract class Conv1DLayer extends tfl.layers.Layer {
  protected readonly cfg: Config;
  protected readonly opts: Conv1DOptions;
  protected readonly act: (x: Tensor) => Tensor;
  protected bias?: tfl.LayerVariable;
  constructor(args: Config, protected readonly variant: Conv1DVariant) {
    super(args as never);
    this.cfg = args;
    this.opts = { kernelSize: first(args['kernelSize'], 1), stride: first(args['strides'], 1), dilation: first(args['dilationRate'], 1), padding: String(args['padding'] ?? 'valid').toLowerCase() };
    this.act = activation(args['activation'], 'linear', this.getClassName());
  }
  protected init(name: string): ReturnType<typeof initializer> {
    return initializer(this.cfg[`${name}Initializer`], name === 'bias' ? 'zeros' : 'glorot_uniform', this.getClassName());
  }
  protected get useBias(): boolean {
    return this.cfg['useBias'] !== false;
  }
  protected abstract outChannels(cin: number): number;
  protected abstract run(x: Tensor): Tensor;
  override computeOutputShape(s: Shape | Shape[]): Shape {
    const x = (Array.isArray(s[0]) ? s[0] : s) as Shape;
    const t = x[1];
    const o = this.opts;
    let len: number | null = null;
    if (typeof t === 'number') {
      if (this.variant === 'transpose') len = transposeLength(t, o);
      else {
        const dk = o.kernelSize + (o.kernelSize - 1) * (o.dilation - 1);
        len = Math.floor(((o.padding === 'valid' ? t - dk + 1 : t) + o.stride - 1) / o.stride);
      }
    }
    return [x[0]!, len, this.outChannels(x[2] as number)];
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tfc.tidy(() => {
      let y = this.run(Array.isArray(inputs) ? inputs[0]! : inputs);
      if (this.bias) y = tfc.add(y, this.bias.read());
      return this.act(y);
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    const own: tfc.serialization.ConfigDict = {};
    for (const [k, v] of Object.entries(this.cfg)) if (!['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape'].includes(k)) own[k] = v as tfc.serialization.ConfigDictValue;
    return { ...own, ...super.getConfig() };
  }
}

export class DepthwiseConv1D extends Conv1DLayer {
  static className = 'DepthwiseConv1D';
  private kernel?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args, 'depthwise');
  }
  private get m(): number {
    return Number(this.cfg['depthMultiplier'] ?? 1);
  }
  protected outChannels(cin: number): number {
    return cin * this.m;
  }
  override build(s: Shape | Shape[]): void {
    const cin = ((Array.isArray(s[0]) ? s[0] : s) as Shape)[2] as number;
    this.kernel = this.addWeight('depthwise_kernel', [this.opts.kernelSize, cin, this.m], 'float32', this.init('depthwise'));
    if (this.useBias) this.bias = this.addWeight('bias', [cin * this.m], 'float32', this.init('bias'));
    this.built = true;
  }
  protected run(x: Tensor): Tensor {
    return depthwiseConv1d(x, this.kernel!.read(), this.opts);
  }
}

export class SeparableConv1D extends Conv1DLayer {
  static className = 'SeparableConv1D';
  private depthwise?: tfl.LayerVariable;
  private pointwise?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args, 'separable');
  }
  protected outChannels(): number {
    return Number(this.cfg['filters']);
  }
  override build(s: Shape | Shape[]): void {
    const cin = ((Array.isArray(s[0]) ? s[0] : s) as Shape)[2] as number;
    const m = Number(this.cfg['depthMultiplier'] ?? 1);
    const f = Number(this.cfg['filters']);
    this.depthwise = this.addWeight('depthwise_kernel', [this.opts.kernelSize, cin, m], 'float32', this.init('depthwise'));
    this.pointwise = this.addWeight('pointwise_kernel', [1, cin * m, f], 'float32', this.init('pointwise'));
    if (this.useBias) this.bias = this.addWeight('bias', [f], 'float32', this.init('bias'));
    this.built = true;
  }
  protected run(x: Tensor): Tensor {
    return separableConv1d(x, this.depthwise!.read(), this.pointwise!.read(), this.opts);
  }
}

export class Conv1DTranspose extends Conv1DLayer {
  static className = 'Conv1DTranspose';
  private kernel?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args, 'transpose');
  }
  protected outChannels(): number {
    return Number(this.cfg['filters']);
  }
  override build(s: Shape | Shape[]): void {
    const cin = ((Array.isArray(s[0]) ? s[0] : s) as Shape)[2] as number;
    const f = Number(this.cfg['filters']);
    this.kernel = this.addWeight('kernel', [this.opts.kernelSize, f, cin], 'float32', this.init('kernel'));
    if (this.useBias) this.bias = this.addWeight('bias', [f], 'float32', this.init('bias'));
    this.built = true;
  }
  protected run(x: Tensor): Tensor {
    return conv1dTranspose(x, this.kernel!.read(), this.opts);
  }
}

/** Keras's Conv1D: x (b, t, c), kernel (k, c / groups, f) → (b, t', f); causal padding and dilation as above. */
export function conv1d(x: Tensor, kernel: Tensor, o: Conv1DOptions, groups = 1): Tensor {
  const [xp, pad] = causal(x, o);
  const full = dilate(kernel, o.dilation);
  if (groups === 1) return tfc.conv1d(xp as tfc.Tensor3D, full as tfc.Tensor3D, o.stride, pad);
  const xs = tfc.split(xp, groups, 2);
  const ks = tfc.split(full, groups, 2);
  return tfc.concat(xs.map((xg, g) => tfc.conv1d(xg as tfc.Tensor3D, ks[g] as tfc.Tensor3D, o.stride, pad)), 2);
}

/**
 * Keras's Conv1D where tfjs-layers' lacks an option: padding='causal' and groups > 1 (the
 * catalog builds a plain Conv1D with tfjs-layers' own). Weights kernel (k, channels / groups, filters), bias.
 */
export class KerasConv1D extends Conv1DLayer {
  static className = 'KerasConv1D';
  private kernel?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args, 'conv');
  }
  private get groups(): number {
    return Number(this.cfg['groups'] ?? 1);
  }
  protected outChannels(): number {
    return Number(this.cfg['filters']);
  }
  override build(s: Shape | Shape[]): void {
    const cin = ((Array.isArray(s[0]) ? s[0] : s) as Shape)[2] as number;
    const f = Number(this.cfg['filters']);
    this.kernel = this.addWeight('kernel', [this.opts.kernelSize, cin / this.groups, f], 'float32', this.init('kernel'));
    if (this.useBias) this.bias = this.addWeight('bias', [f], 'float32', this.init('bias'));
    this.built = true;
  }
  protected run(x: Tensor): Tensor {
    return conv1d(x, this.kernel!.read(), this.opts, this.groups);
  }
}

for (const cls of [DepthwiseConv1D, SeparableConv1D, Conv1DTranspose, KerasConv1D]) tfc.serialization.registerClass(cls as never);
