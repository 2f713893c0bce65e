// Identity for the wasm backend without a copy: the output shares the input's memory and the
// backend's reference count keeps it alive (what the cpu backend does). tfjs-backend-wasm 4.22
// copies instead, and the engine clones every tensor a gradient needs to keep (activations,
// inputs of Relu, Dropout's mask product, …): ~80 copies per training step of the reference CNN,
// 11 ms of a ~210 ms step. No kernel writes into its inputs, so sharing is safe.
import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend };

export function identity(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as { x: tf.TensorInfo };
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as tf.KernelFunc,
};
