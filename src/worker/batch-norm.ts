/**
 * BatchNormalization's training pass on wasm in a few SIMD passes over memory
 * (kernels/simd/channel-ops.ts): the batch's mean, its variance, the normalization, and in the
 * backward pass the two per-channel sums and the input gradient — where TF.js runs moments,
 * batchNorm and their gradients as ~20 element-wise kernels a layer on one thread (with a Tile of
 * the whole activation among them). The same formulas as TF.js's: mean and variance over every
 * axis but the channels (the variance is the biased one, as Keras's), y = (x − mean)·γ/√(var + ε)
 * + β, and the gradient of that with the statistics depending on x:
 *   dγ = Σ dy·x̂,  dβ = Σ dy,  dx = γ·r/M · (M·dy − Σ dy − x̂·Σ dy·x̂),  x̂ = (x − mean)·r, r = 1/√(var + ε)
 * checked against TF.js's autodiff in test/unit/engine/batch-norm.test.ts. Applies on wasm with
 * the SIMD kernels, channels last and a multiple of 4; elsewhere tfjs-layers' own layer runs.
 *
 * Registered under Keras's class name, so models built from a Keras config use it (the frozen-
 * layer rule of frozen-batch-norm.ts wraps it as it wrapped tfjs-layers' layer).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { simdKernels, type SimdKernels } from './kernels/simd/simd-kernels';
import { heapAddress, type WasmBackend } from './kernels/wasm-ops';

type Tensor = tfc.Tensor;
type Info = tfc.TensorInfo;

/** Chunks of rows for the sums: a fixed number, so the sums do not depend on which thread took what. */
const CHUNKS = 16;

/** Per-channel sums (channel-ops.ts `channelSums`, mode 0, 1 or 2) over all rows, chunk partials added in order in float64. */
function channelSums(simd: SimdKernels, backend: WasmBackend, a: Info, b: Info | undefined, mean: Info | undefined, mode: 0 | 1 | 2, rows: number, c: number): Float64Array {
  const width = mode === 2 ? 2 * c : c;
  const chunk = Math.ceil(rows / CHUNKS);
  const chunks = Math.ceil(rows / chunk);
  const partials = backend.makeOutput([chunks, width], 'float32');
  (backend.typedArrayFromHeap(partials) as Float32Array).fill(0);
  simd.run('channelSums', [heapAddress(backend, a), b ? heapAddress(backend, b) : 0, mean ? heapAddress(backend, mean) : 0, 0, 0, 0, c, mode], 4, rows, { chunk, index: 3, base: heapAddress(backend, partials), stride: width * 4 });
  const p = backend.typedArrayFromHeap(partials) as Float32Array;
  const sums = new Float64Array(width);
  for (let k = 0; k < chunks; k++) for (let i = 0; i < width; i++) sums[i]! += p[k * width + i]!;
  backend.disposeData(partials.dataId);
  return sums;
}

/** out = a·ka + b·kb + k0, per channel (channel-ops.ts `channelAffine`). */
function channelAffine(simd: SimdKernels, backend: WasmBackend, a: Info, b: Info, ka: Float32Array, kb: Float32Array, k0: Float32Array, rows: number, c: number): Tensor {
  const out = backend.makeOutput(a.shape.slice(), 'float32');
  const ks = tfc.tensor([...ka, ...kb, ...k0], [3 * c]);
  const base = heapAddress(backend, ks);
  simd.run('channelAffine', [heapAddress(backend, a), heapAddress(backend, b), base, base + 4 * c, base + 8 * c, heapAddress(backend, out), 0, 0, c], 6, rows);
  ks.dispose();
  return tfc.engine().makeTensorFromTensorInfo(out);
}

const f32 = (xs: ArrayLike<number>) => Float32Array.from(xs);

/**
 * The normalized batch and its per-channel mean and variance, with TF.js's gradient for x, γ and
 * β; undefined where this path does not apply (the caller then uses TF.js's ops).
 */
export function batchNormTraining(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): { normed: Tensor; mean: Tensor; variance: Tensor } | undefined {
  if (tfc.getBackend() !== 'wasm' || x.dtype !== 'float32' || x.rank < 2) return undefined;
  const c = x.shape[x.rank - 1]!;
  const rows = x.size / c;
  if (c % 4 !== 0 || rows === 0) return undefined;
  const backend = tfc.backend() as WasmBackend;
  const simd = simdKernels(backend);
  if (!simd) return undefined;
  const g = gamma ? f32(gamma.dataSync()) : new Float32Array(c).fill(1);
  const bt = beta ? f32(beta.dataSync()) : new Float32Array(c);
  // Statistics: the mean, then the mean squared deviation from it (two passes, as TF.js's moments).
  const mean = f32(channelSums(simd, backend, x, undefined, undefined, 0, rows, c).map((s) => s / rows));
  const meanT = tfc.tensor(mean, [c]);
  const variance = f32(channelSums(simd, backend, x, undefined, meanT, 1, rows, c).map((s) => s / rows));
  const r = f32(Array.from(variance, (v) => 1 / Math.sqrt(Math.fround(v + epsilon))));
  const scale = f32(Array.from(r, (ri, i) => ri * g[i]!));
  const shift = f32(Array.from(scale, (s, i) => bt[i]! - mean[i]! * s));
  const normalize = tfc.customGrad((...args: (Tensor | ((ts: Tensor[]) => void))[]) => {
    const [xIn, , , save] = args as [Tensor, Tensor, Tensor, (ts: Tensor[]) => void];
    save([xIn]);
    const value = channelAffine(simd, backend, xIn, xIn, scale, new Float32Array(c), shift, rows, c);
    const gradFunc = (dy: Tensor, saved: Tensor[]) => {
      // The mean again as a tensor: the one returned belongs to the forward pass's scope, gone by now.
      const meanAgain = tfc.tensor(mean, [c]);
      const sums = channelSums(simd, backend, dy, saved[0]!, meanAgain, 2, rows, c);
      meanAgain.dispose();
      const s1 = sums.subarray(0, c);
      const s2 = sums.subarray(c);
      const k1 = f32(Array.from(scale));
      const k2 = f32(Array.from(r, (ri, i) => (-g[i]! * ri * ri * ri * s2[i]!) / rows));
      const k0 = f32(Array.from(r, (ri, i) => (-g[i]! * ri * s1[i]!) / rows - mean[i]! * k2[i]!));
      const dx = channelAffine(simd, backend, dy, saved[0]!, k1, k2, k0, rows, c);
      return [dx, tfc.tensor(f32(Array.from(s2, (s, i) => s * r[i]!)), [c]), tfc.tensor(f32(s1), [c])];
    };
    return { value, gradFunc };
  });
  const normed = normalize(x, gamma ?? tfc.ones([c]), beta ?? tfc.zeros([c]));
  return { normed, mean: meanT, variance: tfc.tensor(variance, [c]) };
}

type Weight = { read(): Tensor; write(t: Tensor): void };
type TfBatchNorm = tfl.layers.Layer & { axis: number; momentum: number; epsilon: number; gamma?: Weight; beta?: Weight; movingMean: Weight; movingVariance: Weight };
const TfBatchNormClass = Object.getPrototypeOf(tfl.layers.batchNormalization({})).constructor as new (args: object) => TfBatchNorm;

export class BatchNormalization extends TfBatchNormClass {
  static readonly className = 'BatchNormalization';

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const axis = this.axis >= 0 ? this.axis : this.axis + input.rank;
    if (kwargs['training'] !== true || axis !== input.rank - 1) return super.call(inputs, kwargs);
    return tfc.tidy(() => {
      const r = batchNormTraining(input, this.gamma?.read() ?? null, this.beta?.read() ?? null, this.epsilon);
      if (!r) return super.call(inputs, kwargs) as Tensor;
      // The moving statistics, as tfjs-layers (and Keras) move them: m ← m − (m − batch)·(1 − momentum).
      for (const [variable, value] of [
        [this.movingMean, r.mean],
        [this.movingVariance, r.variance],
      ] as const) {
        tfc.tidy(() => {
          const old = variable.read();
          variable.write(tfc.sub(old, tfc.mul(tfc.sub(old, value), 1 - this.momentum)));
        });
      }
      return r.normed;
    });
  }
}

tfc.serialization.registerClass(BatchNormalization as never);
