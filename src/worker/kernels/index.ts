// Training kernels for TensorFlow.js's wasm backend (`@tensorflow/tfjs-backend-wasm` 4.22), which
// ships forward kernels but lacks some gradients. Call `registerWasmTrainingKernels()` after
// `await tf.setBackend('wasm'); await tf.ready()`.
import * as tf from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';

const configs: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/** Kernel names this module registers (or replaces) on the wasm backend. */
export const wasmTrainingKernelNames: readonly string[] = configs.map((c) => c.kernelName);

/**
 * Registers the missing/faster training kernels on the 'wasm' backend. Idempotent: a kernel is
 * (re)registered only when the currently registered one is not ours.
 */
export function registerWasmTrainingKernels(): void {
  for (const c of configs) {
    const current = tf.getKernel(c.kernelName, 'wasm');
    if (current?.kernelFunc === c.kernelFunc) continue;
    if (current) tf.unregisterKernel(c.kernelName, 'wasm');
    tf.registerKernel(c);
  }
}
