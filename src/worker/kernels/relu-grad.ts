// ReLU's gradient in one pass on every thread. TF.js computes it as mul(dy, cast(step(x))): Step and
// Multiply, each a pass over the tensor on one thread (5 ReLUs a step in the reference CNN). Here
// the gradient of the Relu kernel is replaced by a kernel of ours, ModelLensReluGrad, registered on
// wasm (the SIMD loop, simd/relu-grad.ts); on a backend without it (cpu, tfjs-node) the gradient
// stays TF.js's own formula.
import * as tf from '@tensorflow/tfjs-core';
import { simdKernels } from './simd/simd-kernels';
import { heapAddress, type WasmBackend } from './wasm-ops';

export const RELU_GRAD = 'ModelLensReluGrad';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export function reluGrad(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const out = backend.makeOutput(x.shape.slice(), 'float32');
  const n = x.shape.reduce((a, b) => a * b, 1);
  const simd = x.dtype === 'float32' && dy.dtype === 'float32' ? simdKernels(backend) : undefined;
  const at = (t: tf.TensorInfo) => heapAddress(backend, t);
  if (simd) {
    simd.run('reluGrad', [at(dy), at(x), at(out), 0, 0], 3, n);
  } else {
    const g = backend.typedArrayFromHeap(dy);
    const v = backend.typedArrayFromHeap(x);
    const d = backend.typedArrayFromHeap(out) as Float32Array;
    for (let i = 0; i < n; i++) d[i] = g[i]! * (Number.isNaN(v[i]!) ? v[i]! : v[i]! > 0 ? 1 : 0);
  }
  return out;
}

export const reluGradKernelConfig: tf.KernelConfig = { kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad as unknown as tf.KernelFunc };

/** Relu's gradient: our kernel where the active backend has it, else TF.js's formula. */
export const reluGradientConfig: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    const g = dy as tf.Tensor;
    return {
      x: () => (tf.getKernel(RELU_GRAD, tf.getBackend()) && g.shape.length === x.shape.length && g.dtype === 'float32' ? (tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as tf.Tensor) : tf.mul(g, tf.cast(tf.step(x), 'float32'))),
    };
  },
};
