/**
 * Keras's GRU and GRUCell as TF.js layers, for both forms Keras has: reset_after=True (Keras 3's
 * default, the cuDNN form: the reset gate multiplies the recurrent product, and the bias has two
 * rows — input bias and recurrent bias — shape (2, 3·units)) and reset_after=False (bias (3·units,),
 * the reset gate multiplies the state before the product). tfjs-layers' GRU has only the second.
 * Weights are Keras's: `kernel` (features, 3·units), `recurrent_kernel` (units, 3·units), `bias`,
 * gates in Keras's order z (update), r (reset), h (candidate).
 *
 * Registered under Keras's class names GRU and GRUCell, replacing tfjs-layers' own entries in the
 * deserialization table, so GRU, RNN(GRUCell) and Bidirectional(GRU) from a Keras file (which
 * tfjs-layers rebuilds by class name) all get this one implementation. The loop over steps is
 * tfjs-layers' RNN; gradients are TF.js's automatic differentiation of the ops used (checked
 * against finite differences in test/unit/engine/gru.test.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { activation, initializer } from './keras-args';

type Tensor = tfc.Tensor;
type Shape = (number | null)[];
type Config = Record<string, unknown>;

export interface GruWeights {
  kernel: Tensor;
  recurrentKernel: Tensor;
  /** (2, 3·units) with resetAfter, (3·units,) without; absent when use_bias=False. */
  bias?: Tensor | undefined;
}

/**
 * One GRU step in Keras's form: the new state (exported for the gradient check). `hIn` is the
 * state the recurrent products see (the state after recurrent dropout; the state itself otherwise).
 */
export function gruStep(x: Tensor, h: Tensor, w: GruWeights, resetAfter: boolean, act: (t: Tensor) => Tensor, recAct: (t: Tensor) => Tensor, hIn: Tensor = h): Tensor {
  const units = h.shape[h.shape.length - 1]!;
  let inputBias: Tensor | undefined;
  let recurrentBias: Tensor | undefined;
  if (w.bias && resetAfter) [inputBias, recurrentBias] = tfc.unstack(w.bias, 0);
  else if (w.bias) inputBias = w.bias;
  let mx = tfc.matMul(x, w.kernel);
  if (inputBias) mx = tfc.add(mx, inputBias);
  const [xz, xr, xh] = tfc.split(mx, 3, -1);
  let z: Tensor;
  let hh: Tensor;
  if (resetAfter) {
    // r multiplies the recurrent product (with its own bias row).
    let mi = tfc.matMul(hIn, w.recurrentKernel);
    if (recurrentBias) mi = tfc.add(mi, recurrentBias);
    const [rz, rr, rh] = tfc.split(mi, 3, -1);
    z = recAct(tfc.add(xz!, rz!));
    hh = act(tfc.add(xh!, tfc.mul(recAct(tfc.add(xr!, rr!)), rh!)));
  } else {
    // r multiplies the state before the candidate's recurrent product.
    const [rk, rkh] = tfc.split(w.recurrentKernel, [2 * units, units], -1);
    const [rz, rr] = tfc.split(tfc.matMul(hIn, rk!), 2, -1);
    z = recAct(tfc.add(xz!, rz!));
    hh = act(tfc.add(xh!, tfc.matMul(tfc.mul(recAct(tfc.add(xr!, rr!)), hIn), rkh!)));
  }
  return tfc.add(tfc.mul(z, h), tfc.mul(tfc.sub(1, z), hh));
}

const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
const flag = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);

/** Keras's GRUCell: one step, state (batch, units). */
export class GRUCell extends tfl.layers.Layer {
  static className = 'GRUCell';
  readonly stateSize: number;
  readonly units: number;
  readonly resetAfter: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  /** Per-sequence dropout masks (set by the GRU layer while training; the same at every step, as in Keras). */
  dropoutMask: Tensor | null = null;
  recurrentDropoutMask: Tensor | null = null;
  private readonly cfg: Config;
  private readonly act: (x: Tensor) => Tensor;
  private readonly recAct: (x: Tensor) => Tensor;
  private kernel?: tfl.LayerVariable;
  private recurrentKernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
    this.units = Number(args['units']);
    if (!Number.isInteger(this.units) || this.units <= 0) throw new Error(`GRU: units must be a positive integer, not ${String(args['units'])}`);
    this.stateSize = this.units;
    this.resetAfter = flag(args['resetAfter'], true);
    this.dropout = Math.min(1, Math.max(0, num(args['dropout'], 0)));
    this.recurrentDropout = Math.min(1, Math.max(0, num(args['recurrentDropout'], 0)));
    this.act = activation(args['activation'], 'tanh', 'GRU');
    this.recAct = activation(args['recurrentActivation'], 'sigmoid', 'GRU');
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const features = s[s.length - 1] as number;
    const u = this.units;
    this.kernel = this.addWeight('kernel', [features, 3 * u], 'float32', initializer(this.cfg['kernelInitializer'], 'glorot_uniform', 'GRU'));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32', initializer(this.cfg['recurrentInitializer'], 'orthogonal', 'GRU'));
    if (flag(this.cfg['useBias'], true)) {
      this.bias = this.addWeight('bias', this.resetAfter ? [2, 3 * u] : [3 * u], 'float32', initializer(this.cfg['biasInitializer'], 'zeros', 'GRU'));
    }
    this.built = true;
  }
  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor[] {
    return tfc.tidy(() => {
      const list = inputs as Tensor[];
      if (list.length !== 2) throw new Error(`GRUCell expects [input, state], got ${list.length} tensors`);
      const training = kwargs['training'] === true;
      let x = list[0]!;
      const h = list[1]!;
      if (training && this.dropoutMask) x = tfc.mul(x, this.dropoutMask);
      // Recurrent dropout drops the state feeding the recurrent product (Keras 2's form).
      const hIn = training && this.recurrentDropoutMask ? tfc.mul(h, this.recurrentDropoutMask) : h;
      const w = { kernel: this.kernel!.read(), recurrentKernel: this.recurrentKernel!.read(), bias: this.bias?.read() };
      const next = gruStep(x, h, w, this.resetAfter, this.act, this.recAct, hIn);
      return [next, next];
    });
  }
  override getConfig(): tfc.serialization.ConfigDict {
    const own: tfc.serialization.ConfigDict = {};
    for (const [k, v] of Object.entries(this.cfg)) if (!['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape', 'cell'].includes(k)) own[k] = v as tfc.serialization.ConfigDictValue;
    return { ...own, ...super.getConfig(), units: this.units, resetAfter: this.resetAfter };
  }
}

/** Keras's GRU layer: tfjs-layers' RNN loop over our GRUCell. */
export class GRU extends tfl.RNN {
  static override className = 'GRU';
  constructor(args: Config) {
    const cellArgs = { ...args };
    delete cellArgs['name'];
    super({ ...(args as object), cell: new GRUCell(cellArgs) } as never);
  }
  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
    const cell = this.cell as unknown as GRUCell;
    tfc.dispose([cell.dropoutMask, cell.recurrentDropoutMask].filter((t): t is Tensor => t !== null));
    cell.dropoutMask = null;
    cell.recurrentDropoutMask = null;
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs?.['training'] === true) {
      const batch = x.shape[0]!;
      const mask = (n: number, rate: number) => tfc.keep(tfc.tidy(() => tfc.dropout(tfc.ones([batch, n]), rate)));
      if (cell.dropout > 0 && cell.dropout < 1) cell.dropoutMask = mask(x.shape[x.shape.length - 1]!, cell.dropout);
      if (cell.recurrentDropout > 0 && cell.recurrentDropout < 1) cell.recurrentDropoutMask = mask(cell.units, cell.recurrentDropout);
    }
    return super.call(inputs, { mask: kwargs?.['mask'] ?? null, training: kwargs?.['training'] ?? null, initialState: kwargs?.['initialState'] ?? null } as never);
  }
  static override fromConfig<T extends tfc.serialization.Serializable>(cls: tfc.serialization.SerializableConstructor<T>, config: tfc.serialization.ConfigDict): T {
    const c = { ...config };
    delete c['cell'];
    return new cls(c);
  }
}

tfc.serialization.registerClass(GRUCell as never);
tfc.serialization.registerClass(GRU as never);
