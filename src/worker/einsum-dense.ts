/**
 * Keras's EinsumDense as a TF.js layer: `input,kernel->output` (with `...` for leading or trailing
 * axes), a kernel of the shape Keras gives it (worked out by the catalog's `einsumShapes`, the
 * same function that counts its parameters), an optional bias on `bias_axes`, then the
 * activation. The einsum runs as transpose → reshape → one batched matMul → reshape → transpose,
 * whose gradients TF.js has (its own `einsum` has none).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { einsumShapes } from '../core/keras/layers/core';
import { activation, initializer } from './keras-args';

type Tensor = tfc.Tensor;
type Shape = (number | null)[];
type Config = Record<string, unknown>;

/** The equation's three terms with `...` spelt out as letters for an input of rank `rank`. */
export function expandEquation(equation: string, rank: number): [string, string, string] {
  const m = /^([a-zA-Z.]+),([a-zA-Z]+)->([a-zA-Z.]+)$/.exec(equation.replace(/\s/g, ''));
  if (!m) throw new Error(`EinsumDense: equation '${equation}' is not of the form input,kernel->output`);
  let [, x, w, out] = m as unknown as [string, string, string, string];
  if (x.includes('...')) {
    const used = new Set(equation);
    const free = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((ch) => !used.has(ch));
    const n = rank - (x.length - 3);
    const fill = free.slice(0, n).join('');
    x = x.replace('...', fill);
    out = out.replace('...', fill);
  }
  if (x.length !== rank) throw new Error(`EinsumDense: equation '${equation}' names ${x.length} input axes but the input has ${rank}`);
  return [x, w, out];
}

/** einsum(x, w) for `xs,ws->outs` (each letter at most once per term) as one batched matMul. */
export function einsum2(x: Tensor, w: Tensor, xs: string, ws: string, outs: string): Tensor {
  const size = new Map<string, number>();
  [...xs].forEach((ch, i) => size.set(ch, x.shape[i]!));
  [...ws].forEach((ch, i) => size.set(ch, w.shape[i]!));
  // Axes only one operand has and the output lacks are summed first.
  const own = (t: Tensor, s: string, other: string): [Tensor, string] => {
    const drop = [...s].map((ch, i) => (!other.includes(ch) && !outs.includes(ch) ? i : -1)).filter((i) => i >= 0);
    return drop.length ? [tfc.sum(t, drop), [...s].filter((_, i) => !drop.includes(i)).join('')] : [t, s];
  };
  const [xr, xk] = own(x, xs, ws);
  const [wr, wk] = own(w, ws, xs);
  const batch = [...xk].filter((ch) => wk.includes(ch) && outs.includes(ch));
  const contract = [...xk].filter((ch) => wk.includes(ch) && !outs.includes(ch));
  const freeX = [...xk].filter((ch) => !wk.includes(ch));
  const freeW = [...wk].filter((ch) => !xk.includes(ch));
  const n = (letters: string[]) => letters.reduce((a, ch) => a * size.get(ch)!, 1);
  const perm = (s: string, order: string[]) => order.map((ch) => s.indexOf(ch));
  const a = tfc.reshape(tfc.transpose(xr, perm(xk, [...batch, ...freeX, ...contract])), [n(batch), n(freeX), n(contract)]);
  const b = tfc.reshape(tfc.transpose(wr, perm(wk, [...batch, ...contract, ...freeW])), [n(batch), n(contract), n(freeW)]);
  const order = [...batch, ...freeX, ...freeW];
  const y = tfc.reshape(tfc.matMul(a, b), order.map((ch) => size.get(ch)!));
  return tfc.transpose(y, perm(order.join(''), [...outs]));
}

export class EinsumDense extends tfl.layers.Layer {
  static className = 'EinsumDense';
  private readonly cfg: Config;
  private readonly act: (x: Tensor) => Tensor;
  private kernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;
  private terms?: [string, string, string];
  constructor(args: Config) {
    super(args as never);
    this.cfg = args;
    this.act = activation(args['activation'], 'linear', 'EinsumDense');
  }
  private shapes(input: Shape) {
    const biasAxes = typeof this.cfg['biasAxes'] === 'string' ? (this.cfg['biasAxes'] as string) : null;
    return einsumShapes(String(this.cfg['equation']), biasAxes, input, this.cfg['outputShape'] as (number | null)[] | number);
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const { kernel, bias } = this.shapes(s);
    this.terms = expandEquation(String(this.cfg['equation']), s.length);
    this.kernel = this.addWeight('kernel', kernel as number[], 'float32', initializer(this.cfg['kernelInitializer'], 'glorot_uniform', 'EinsumDense'));
    if (bias) this.bias = this.addWeight('bias', bias as number[], 'float32', initializer(this.cfg['biasInitializer'], 'zeros', 'EinsumDense'));
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.shapes((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape).output;
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tfc.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [xs, ws, outs] = this.terms!;
      let y = einsum2(x, this.kernel!.read(), xs, ws, outs);
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

tfc.serialization.registerClass(EinsumDense as never);
