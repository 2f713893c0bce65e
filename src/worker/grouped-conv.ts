/**
 * Keras's Conv2D and Conv3D with groups > 1 (tfjs-layers' have no groups): the input channels
 * split into `groups` equal parts, each convolved with its own filters / groups kernels, the results
 * concatenated. Keras's weights: kernel (k…, channels / groups, filters), bias (filters). Gradients
 * are those of TF.js's conv2d/conv3d (dilation 1; the catalog refuses dilation with groups).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { activation, initializer } from './keras-args';

type Tensor = tfc.Tensor;
type Shape = (number | null)[];
type Config = Record<string, unknown>;

const tuple = (v: unknown, n: number, d: number): number[] => (Array.isArray(v) ? v.map(Number) : Array.from({ length: n }, () => (v === undefined || v === null ? d : Number(v))));

/** A grouped N-D convolution (rank 2 or 3) of a channels-last tensor; kernel (k…, c / groups, f). */
export function groupedConv(x: Tensor, kernel: Tensor, groups: number, strides: number[], padding: 'valid' | 'same'): Tensor {
  const rank = kernel.rank - 2;
  const conv = (a: Tensor, k: Tensor) =>
    rank === 2 ? tfc.conv2d(a as tfc.Tensor4D, k as tfc.Tensor4D, strides as [number, number], padding) : tfc.conv3d(a as tfc.Tensor5D, k as tfc.Tensor5D, strides as [number, number, number], padding);
  if (groups === 1) return conv(x, kernel);
  const xs = tfc.split(x, groups, x.rank - 1);
  const ks = tfc.split(kernel, groups, kernel.rank - 1);
  return tfc.concat(xs.map((xg, g) => conv(xg, ks[g]!)), x.rank - 1);
}

abstract class GroupedConv extends tfl.layers.Layer {
  private readonly cfg: Config;
  private readonly act: (x: Tensor) => Tensor;
  private kernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;
  constructor(args: Config, private readonly rank: 2 | 3) {
    super(args as never);
    this.cfg = args;
    this.act = activation(args['activation'], 'linear', this.getClassName());
  }
  private get groups(): number {
    return Number(this.cfg['groups'] ?? 1);
  }
  private get strides(): number[] {
    return tuple(this.cfg['strides'], this.rank, 1);
  }
  private get padding(): 'valid' | 'same' {
    return String(this.cfg['padding'] ?? 'valid').toLowerCase() as 'valid' | 'same';
  }
  private get kernelSize(): number[] {
    return tuple(this.cfg['kernelSize'], this.rank, 1);
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const cin = s[s.length - 1] as number;
    const f = Number(this.cfg['filters']);
    const name = this.getClassName();
    this.kernel = this.addWeight('kernel', [...this.kernelSize, cin / this.groups, f], 'float32', initializer(this.cfg['kernelInitializer'], 'glorot_uniform', name));
    if (this.cfg['useBias'] !== false) this.bias = this.addWeight('bias', [f], 'float32', initializer(this.cfg['biasInitializer'], 'zeros', name));
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const k = this.kernelSize;
    const dims = s.slice(1, 1 + this.rank).map((n, i) => (n === null ? null : Math.floor(((this.padding === 'same' ? n : n - k[i]! + 1) + this.strides[i]! - 1) / this.strides[i]!)));
    return [s[0]!, ...dims, Number(this.cfg['filters'])];
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tfc.tidy(() => {
      let y = groupedConv(Array.isArray(inputs) ? inputs[0]! : inputs, this.kernel!.read(), this.groups, this.strides, this.padding);
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

export class GroupedConv2D extends GroupedConv {
  static className = 'GroupedConv2D';
  constructor(args: Config) {
    super(args, 2);
  }
}

export class GroupedConv3D extends GroupedConv {
  static className = 'GroupedConv3D';
  constructor(args: Config) {
    super(args, 3);
  }
}

for (const cls of [GroupedConv2D, GroupedConv3D]) tfc.serialization.registerClass(cls as never);
