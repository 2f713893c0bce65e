// _FusedMatMul (a Dense layer's x·W + b, then its activation) for the wasm backend. XNNPACK packs
// the right operand W as weights when it first sees that tensor and keeps the packed copy; W laid
// out [in, out] needs a transposing pack, slow for a large layer (the reference CNN's 3136×512
// Dense: 10–13 ms for a product that takes 4 ms once packed). While training, the optimizer gives
// every weight a new tensor after each step, so the pack is paid on every forward pass. For a
// large W that this kernel has not seen before, the product is computed as (Wᵀ·xᵀ)ᵀ instead: W is
// transposed (~1 ms) and read as it lies, only the small xᵀ is packed (measured 13.4 → 5.7 ms).
// A W seen before (inference on trained weights) goes to the backend's own kernel, whose packed
// copy is then reused.
import * as tf from '@tensorflow/tfjs-core';
import { builtinBatchMatMul, sameBatch, sizeOf, swapLast2 } from './batch-mat-mul';
import { BuiltinKernel, release, runWasm, transpose, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export const builtinFusedMatMul = new BuiltinKernel(tf._FusedMatMul);

/** Weights (elements of W) from which the swapped product is taken for a W not seen before. */
export const swappedProduct = { minWeights: 1 << 16, /** Products taken swapped so far (for tests). */ taken: 0 };

/** Right operands already multiplied: the backend's kernel holds them packed. */
const seen = new WeakSet<object>();

/** The activations the swapped path applies after the product, as the backend's kernels. */
const ACTIVATIONS: Record<string, (backend: WasmBackend, x: tf.TensorInfo, alpha: number) => tf.TensorInfo> = {
  relu: (backend, x) => runWasm(backend, 'Relu', { x }),
  relu6: (backend, x) => runWasm(backend, 'Relu6', { x }),
  elu: (backend, x) => runWasm(backend, 'Elu', { x }),
  sigmoid: (backend, x) => runWasm(backend, 'Sigmoid', { x }),
  leakyrelu: (backend, x, alpha) => runWasm(backend, 'LeakyRelu', { x }, { alpha }),
};

export function fusedMatMul(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { a, b, bias, preluActivationWeights } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
  const act = activation ?? 'linear';
  const firstSight = !seen.has(b.dataId);
  seen.add(b.dataId);
  const swap =
    firstSight &&
    !transposeA &&
    !transposeB &&
    !preluActivationWeights &&
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    sizeOf(b) >= swappedProduct.minWeights &&
    sameBatch(a, b) &&
    (act === 'linear' || act in ACTIVATIONS);
  if (!swap) return builtinFusedMatMul.run(args);
  swappedProduct.taken++;
  const bt = transpose(backend, b, swapLast2(b));
  const at = transpose(backend, a, swapLast2(a));
  const product = builtinBatchMatMul.run({ inputs: { a: bt, b: at }, backend, attrs: { transposeA: false, transposeB: false } });
  release(backend, bt, at);
  let out = transpose(backend, product, swapLast2(product));
  release(backend, product);
  if (bias) {
    const sum = runWasm(backend, 'Add', { a: out, b: bias });
    release(backend, out);
    out = sum;
  }
  const f = ACTIVATIONS[act];
  if (f) {
    const y = f(backend, out, leakyreluAlpha ?? 0.2);
    release(backend, out);
    out = y;
  }
  return out;
}

export const fusedMatMulConfig: tf.KernelConfig = {
  kernelName: tf._FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
};
