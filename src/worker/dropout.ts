/**
 * Dropout whose mask is drawn in one pass straight into the backend's memory. TF.js's dropout
 * draws its uniform numbers with a JavaScript Alea generator into an array, uploads it, then runs
 * Add, Floor and RealDiv over it before the Multiply: ~4.5 ms for the reference CNN's first
 * dropout at batch 64 (401,408 values). Here one loop writes the mask (0 or 1/(1 − rate)) and one
 * Multiply applies it: the same distribution, the same gradient (dy times the mask). On wasm the
 * loop is SIMD (kernels/simd/dropout-mask.ts: ~0.3 ms); elsewhere a mulberry32 stream in
 * JavaScript (~4 ms: its branch on each draw mispredicts half the time).
 *
 * Each mask's stream starts from one `Math.random()` draw, so a seeded run (seeded-random.ts)
 * repeats its masks. `Dropout(rate, seed=…)` gets a stream of its own from that seed, which
 * advances from call to call as Keras 3's SeedGenerator does (TF.js would repeat one mask).
 *
 * Registered under Keras's class name, so models built from a Keras config use it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { heapAddress, type WasmBackend } from './kernels/wasm-ops';
import { simdKernels } from './kernels/simd/simd-kernels';
import { seededRandom } from './seeded-random';

type Tensor = tfc.Tensor;

/** Writes a dropout mask: each value 0 with probability `rate`, else `scale`. */
export function fillDropoutMask(dst: Float32Array, rate: number, scale: number, seed: number): void {
  let a = seed >>> 0;
  const threshold = rate * 4294967296; // a 32-bit draw below this drops the value
  for (let i = 0; i < dst.length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    dst[i] = (t ^ (t >>> 14)) >>> 0 < threshold ? 0 : scale;
  }
}

/** A float32 mask tensor of `shape`: 0 with probability `rate`, else 1/(1 − rate). */
export function dropoutMask(shape: number[], rate: number, seed: number): Tensor {
  const scale = Math.fround(1 / Math.fround(1 - rate));
  if (tfc.getBackend() === 'wasm') {
    const backend = tfc.backend() as WasmBackend;
    const info = backend.makeOutput(shape, 'float32');
    const mask = backend.typedArrayFromHeap(info) as Float32Array;
    const simd = simdKernels(backend);
    if (simd) {
      // Four values at a time in wasm (dropout-mask.ts), lanes seeded from this mask's stream; the rest here.
      const lanes = seededRandom(seed);
      const laneSeed = () => (Math.floor(lanes() * 4294967295) + 1) | 0; // xorshift32 needs a nonzero state
      const bulk = mask.length & ~3;
      const scaleBits = new Int32Array(new Float32Array([scale]).buffer)[0]!;
      simd.runHere('dropoutMask', [heapAddress(backend, info), bulk, laneSeed(), laneSeed(), laneSeed(), laneSeed(), Math.min(4294967295, Math.round(rate * 4294967296)) | 0, scaleBits]);
      fillDropoutMask((backend.typedArrayFromHeap(info) as Float32Array).subarray(bulk), rate, scale, laneSeed());
    } else {
      fillDropoutMask(mask, rate, scale, seed);
    }
    return tfc.engine().makeTensorFromTensorInfo(info);
  }
  const values = new Float32Array(shape.reduce((x, y) => x * y, 1));
  fillDropoutMask(values, rate, scale, seed);
  return tfc.tensor(values, shape);
}

/** x with each value (or each slice along the 1s of `noiseShape`) dropped with probability `rate`, the rest scaled up. */
export function dropout(x: Tensor, rate: number, noiseShape?: number[], seed: number = Math.floor(Math.random() * 4294967296)): Tensor {
  if (!(rate > 0 && rate < 1)) return x;
  return tfc.tidy(() => tfc.mul(x, dropoutMask(noiseShape ?? x.shape, rate, seed)));
}

type DropoutArgs = ConstructorParameters<typeof tfl.layers.Layer>[0] & { rate: number; noiseShape?: number[]; seed?: number };
type TfDropout = tfl.layers.Layer & { rate: number; seed?: number; getNoiseShape(input: Tensor): number[] | undefined };
const TfDropoutClass = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.5 })).constructor as new (args: DropoutArgs) => TfDropout;

export class Dropout extends TfDropoutClass {
  static readonly className = 'Dropout';
  private stream: (() => number) | undefined;

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor {
    return tfc.tidy(() => {
      (this as unknown as { invokeCallHook(i: unknown, k: unknown): void }).invokeCallHook(inputs, kwargs);
      const input = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (kwargs['training'] !== true || !(this.rate > 0 && this.rate < 1)) return input;
      const draw = this.seed != null ? (this.stream ??= seededRandom(this.seed)) : Math.random;
      return dropout(input, this.rate, this.getNoiseShape(input) ?? undefined, Math.floor(draw() * 4294967296));
    });
  }
}

tfc.serialization.registerClass(Dropout as never);
