// BatchMatMul for the wasm backend: tfjs-backend-wasm runs XNNPACK only when neither operand is
// transposed and falls back to a plain loop otherwise (~20× slower: 140 ms instead of 6 ms for
// the reference model's Dense gradient). The gradients of Dense are exactly those transposed
// products, so transpose the operand explicitly (cheap) and call the fast path.
// XNNPACK packs the right operand as weights for every new tensor, and the Dense layer's weights
// are new after every update: for a·bᵀ with b the larger operand (Dense's input gradient,
// dy·Wᵀ), the product is computed as (b·aᵀ)ᵀ, so only the small aᵀ is transposed and packed,
// not the whole weight matrix twice.
import * as tf from '@tensorflow/tfjs-core';
import { BuiltinKernel, release, transpose, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export const builtinBatchMatMul = new BuiltinKernel(tf.BatchMatMul);

export function swapLast2(t: tf.TensorInfo): number[] {
  const r = t.shape.length;
  const perm = t.shape.map((_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return perm;
}

export function batchMatMul(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return builtinBatchMatMul.run(args);
  if (!transposeA && transposeB && sizeOf(b) > sizeOf(a) && sameBatch(a, b)) return viaSwappedOperands(backend, a, b);
  const at = transposeA ? transpose(backend, a, swapLast2(a)) : a;
  const bt = transposeB ? transpose(backend, b, swapLast2(b)) : b;
  const out = builtinBatchMatMul.run({ inputs: { a: at, b: bt }, backend, attrs: { transposeA: false, transposeB: false } });
  if (at !== a) release(backend, at);
  if (bt !== b) release(backend, bt);
  return out;
}

export const sizeOf = (t: tf.TensorInfo) => t.shape.reduce((x, y) => x * y, 1);

/** Batch dimensions equal (no broadcasting between them). */
export function sameBatch(a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  return a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
}

/** a·bᵀ = (b·aᵀ)ᵀ: b is read as it lies; only aᵀ (the small one) is transposed and packed. */
function viaSwappedOperands(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const at = transpose(backend, a, swapLast2(a));
  const product = builtinBatchMatMul.run({ inputs: { a: b, b: at }, backend, attrs: { transposeA: false, transposeB: false } });
  release(backend, at);
  const out = transpose(backend, product, swapLast2(product));
  release(backend, product);
  return out;
}

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as tf.KernelFunc,
};
