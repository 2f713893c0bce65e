// Training kernels for TensorFlow.js's wasm backend (`@tensorflow/tfjs-backend-wasm` 4.22), which
// ships forward kernels but lacks some gradients and runs others in slow plain loops. Call
// `registerWasmTrainingKernels()` after `await tf.setBackend('wasm'); await tf.ready()`.
//
// Added (missing in wasm):  Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
//                           DepthwiseConv2dNativeBackpropInput
// Replaced (faster):        Conv2DBackpropInput (XNNPACK Conv2D instead of a plain loop),
//                           BatchMatMul (transposed operands go through XNNPACK too)
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulConfig, setOriginalBatchMatMul } from './batch-mat-mul';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig, setOriginalConv2DBackpropInput } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';

interface Entry {
  config: tf.KernelConfig;
  /** Receives the wasm backend's own kernel, which ours replaces and may delegate to. */
  keepOriginal?: (f: tf.KernelFunc | undefined) => void;
}

const entries: Entry[] = [
  { config: conv2DBackpropFilterConfig },
  { config: conv2DBackpropInputConfig, keepOriginal: setOriginalConv2DBackpropInput },
  { config: batchMatMulConfig, keepOriginal: setOriginalBatchMatMul },
  { config: depthwiseBackpropFilterConfig },
  { config: depthwiseBackpropInputConfig },
];

/** Kernel names this module registers (or replaces) on the wasm backend. */
export const wasmTrainingKernelNames: readonly string[] = entries.map((e) => e.config.kernelName);

/**
 * Registers the missing and the faster training kernels on the 'wasm' backend. Idempotent: a
 * kernel is (re)registered only when the registered one is not already ours.
 */
export function registerWasmTrainingKernels(): void {
  for (const { config, keepOriginal } of entries) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    keepOriginal?.(current?.kernelFunc);
    if (current) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
