/**
 * Keras's ConvLSTM1D and ConvLSTM3D as TF.js layers (tfjs-layers has ConvLSTM2D only): an LSTM
 * whose input and recurrent transforms are convolutions. Keras's weights: kernel (k…, channels,
 * 4·filters), recurrent_kernel (k…, filters, 4·filters), bias (4·filters) with unit_forget_bias's
 * ones on the forget gate; gates i, f, c, o. The input convolution uses the layer's strides and
 * padding, the recurrent one stride 1 and "same" (keras/src/layers/rnn/conv_lstm.py). The steps
 * run as an unrolled loop of TF.js ops, so gradients are TF.js's automatic differentiation
 * (checked against finite differences in test/unit/engine/custom-layers-more.test.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { activation, initializer } from './keras-args';

type Tensor = tfc.Tensor;
type Shape = (number | null)[];
type Config = Record<string, unknown>;

const tuple = (v: unknown, n: number, d: number): number[] => (Array.isArray(v) ? v.map(Number) : Array.from({ length: n }, () => (v === undefined || v === null ? d : Number(v))));

export interface ConvLstmOptions {
  rank: 1 | 3;
  strides: number[];
  padding: 'valid' | 'same';
  act: (x: Tensor) => Tensor;
  recAct: (x: Tensor) => Tensor;
}

/** An N-D convolution of a channels-last tensor (rank 1: conv1d, rank 3: conv3d). */
function conv(x: Tensor, w: Tensor, rank: 1 | 3, strides: number[], padding: 'valid' | 'same'): Tensor {
  if (rank === 1) return tfc.conv1d(x as tfc.Tensor3D, w as tfc.Tensor3D, strides[0]!, padding);
  return tfc.conv3d(x as tfc.Tensor5D, w as tfc.Tensor5D, strides as [number, number, number], padding);
}

export interface ConvLstmWeights {
  kernel: Tensor;
  recurrentKernel: Tensor;
  bias?: Tensor | undefined;
}

/** One ConvLSTM step: (h, c) from the step's input x and the previous (h, c). Dropout masks per gate, when given. */
export function convLstmStep(x: Tensor, h: Tensor, c: Tensor, w: ConvLstmWeights, o: ConvLstmOptions, masks?: { input?: Tensor[]; state?: Tensor[] }): [Tensor, Tensor] {
  const axis = o.rank + 1;
  const ks = tfc.split(w.kernel, 4, axis);
  const rks = tfc.split(w.recurrentKernel, 4, axis);
  const bs = w.bias ? tfc.split(w.bias, 4) : [];
  const gate = (g: number) => {
    let xg = conv(masks?.input ? tfc.mul(x, masks.input[g]!) : x, ks[g]!, o.rank, o.strides, o.padding);
    if (bs[g]) xg = tfc.add(xg, bs[g]!);
    return tfc.add(xg, conv(masks?.state ? tfc.mul(h, masks.state[g]!) : h, rks[g]!, o.rank, o.strides.map(() => 1), 'same'));
  };
  const i = o.recAct(gate(0));
  const f = o.recAct(gate(1));
  const cNew = tfc.add(tfc.mul(f, c), tfc.mul(i, o.act(gate(2))));
  const out = o.recAct(gate(3));
  return [tfc.mul(out, o.act(cNew)), cNew];
}

/** Keras's conv output length along one axis (dilation 1). */
const outLength = (n: number, k: number, s: number, padding: string) => Math.floor(((padding === 'same' ? n : n - k + 1) + s - 1) / s);

abstract class ConvLSTM extends tfl.layers.Layer {
  private readonly cfg: Config;
  private readonly opts: ConvLstmOptions;
  private readonly kernelSize: number[];
  private readonly filters: number;
  private kernel?: tfl.LayerVariable;
  private recurrentKernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;
  constructor(args: Config, rank: 1 | 3) {
    super(args as never);
    this.cfg = args;
    const name = `ConvLSTM${rank}D`;
    this.filters = Number(args['filters']);
    this.kernelSize = tuple(args['kernelSize'], rank, 1);
    if (tuple(args['dilationRate'], rank, 1).some((d) => d !== 1)) throw new Error(`${name}: dilation_rate > 1 is not supported here`);
    this.opts = {
      rank,
      strides: tuple(args['strides'], rank, 1),
      padding: String(args['padding'] ?? 'valid').toLowerCase() as 'valid' | 'same',
      act: activation(args['activation'], 'tanh', name),
      recAct: activation(args['recurrentActivation'], 'sigmoid', name),
    };
  }
  private spatialOut(s: Shape): number[] {
    return s.slice(2, 2 + this.opts.rank).map((n, i) => outLength(n as number, this.kernelSize[i]!, this.opts.strides[i]!, this.opts.padding));
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const cin = s[s.length - 1] as number;
    const f = this.filters;
    const name = this.getClassName();
    this.kernel = this.addWeight('kernel', [...this.kernelSize, cin, 4 * f], 'float32', initializer(this.cfg['kernelInitializer'], 'glorot_uniform', name));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [...this.kernelSize, f, 4 * f], 'float32', initializer(this.cfg['recurrentInitializer'], 'orthogonal', name));
    if (this.cfg['useBias'] !== false) {
      this.bias = this.addWeight('bias', [4 * f], 'float32', initializer(this.cfg['biasInitializer'], 'zeros', name));
      if (this.cfg['unitForgetBias'] !== false) {
        // Keras: the forget gate's part of the bias starts at one.
        const b = this.bias.read();
        this.bias.write(tfc.tidy(() => tfc.concat([tfc.slice(b, 0, f), tfc.ones([f]), tfc.slice(b, 2 * f, 2 * f)])));
      }
    }
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    // Initial states would be more inputs: this loop starts from zeros only, so it refuses them (the reader's spec refuses return_state).
    if (Array.isArray(inputShape[0]) && inputShape.length > 1) throw new Error(`Model Lens's TF.js ${this.getClassName()} has no initial_state; train it without one`);
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const dims = this.spatialOut(s);
    return this.cfg['returnSequences'] === true ? [s[0]!, s[1]!, ...dims, this.filters] : [s[0]!, ...dims, this.filters];
  }
  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor {
    return tfc.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const b = x.shape[0]!;
      let steps = tfc.unstack(x, 1);
      if (this.cfg['goBackwards'] === true) steps = steps.reverse();
      const stateShape = [b, ...this.spatialOut(x.shape as Shape), this.filters];
      let h: Tensor = tfc.zeros(stateShape);
      let c: Tensor = tfc.zeros(stateShape);
      const training = kwargs['training'] === true;
      const rate = (k: string) => Math.min(1, Math.max(0, Number(this.cfg[k] ?? 0)));
      const masks = (shape: number[], r: number) => (training && r > 0 && r < 1 ? [0, 1, 2, 3].map(() => tfc.dropout(tfc.ones(shape), r)) : undefined);
      const m = { input: masks(steps[0]!.shape, rate('dropout')), state: masks(stateShape, rate('recurrentDropout')) };
      const w = { kernel: this.kernel!.read(), recurrentKernel: this.recurrentKernel!.read(), bias: this.bias?.read() };
      const outs: Tensor[] = [];
      for (const step of steps) {
        [h, c] = convLstmStep(step, h, c, w, this.opts, m);
        outs.push(h);
      }
      return this.cfg['returnSequences'] === true ? tfc.stack(outs, 1) : h;
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    const own: tfc.serialization.ConfigDict = {};
    for (const [k, v] of Object.entries(this.cfg)) if (!['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape'].includes(k)) own[k] = v as tfc.serialization.ConfigDictValue;
    return { ...own, ...super.getConfig() };
  }
}

export class ConvLSTM1D extends ConvLSTM {
  static className = 'ConvLSTM1D';
  constructor(args: Config) {
    super(args, 1);
  }
}

export class ConvLSTM3D extends ConvLSTM {
  static className = 'ConvLSTM3D';
  constructor(args: Config) {
    super(args, 3);
  }
}

for (const cls of [ConvLSTM1D, ConvLSTM3D]) tfc.serialization.registerClass(cls as never);
