// Cast for the wasm backend: a cast to the tensor's own dtype shares the input's memory, as
// Identity does (identity.ts) and as the cpu backend does. tfjs-backend-wasm 4.22 copies it, and
// tfjs's gradients cast to float32 what already is float32 (the mask in Relu's gradient, the
// other factor in Multiply's): 17 copies in a training step of the reference CNN. A cast to bool
// is x ≠ 0 (the backend's own kernel stores the number's low byte: 254 for −2, 0 for 256).
// Other casts go to the backend's own kernel.
import * as tf from '@tensorflow/tfjs-core';
import { BuiltinKernel, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export const builtinCast = new BuiltinKernel(tf.Cast);

export function cast(args: Args): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as { dtype: tf.DataType };
  const backend = args.backend as WasmBackend;
  if (dtype === 'bool' && x.dtype !== 'bool') {
    const out = backend.makeOutput(x.shape, 'bool');
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  if (dtype !== x.dtype) return builtinCast.run(args);
  (args.backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype };
}

export const castConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as tf.KernelFunc,
};
