// Training kernels for TensorFlow.js's wasm backend (`@tensorflow/tfjs-backend-wasm` 4.22), which
// ships forward kernels but lacks some gradients and runs others in slow plain loops. Call
// `registerWasmTrainingKernels()` after `await tf.setBackend('wasm'); await tf.ready()`.
//
// Added (missing in wasm):  ModelLensReluGrad (Relu's gradient in one pass; relu-grad.ts), Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
//                           DepthwiseConv2dNativeBackpropInput, UnsortedSegmentSum (Gather's/Embedding's gradient)
// Replaced (wrong in wasm):  Conv3DBackpropInputV2 (disagrees with cpu and finite differences)
// Replaced (faster):        Conv2DBackpropInput (XNNPACK Conv2D instead of a plain loop),
//                           Conv2D, FusedConv2D (a SIMD loop where it applies, else XNNPACK),
//                           BatchMatMul (transposed operands go through XNNPACK too),
//                           _FusedMatMul (a new large weight is not packed: (Wᵀ·xᵀ)ᵀ),
//                           MaxPoolGrad (one pass, channels innermost),
//                           Identity (shares memory instead of copying),
//                           Cast to the same dtype (shares memory instead of copying),
//                           Sum over batch and pixels (bias gradients: XNNPACK average pooling),
//                           Tile (block copies; BatchNormalization's gradient tiles at every layer)
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltinKernel } from './wasm-ops';
import { batchMatMulConfig, builtinBatchMatMul } from './batch-mat-mul';
import { builtinFusedMatMul, fusedMatMulConfig } from './fused-mat-mul';
import { builtinConv2D, builtinFusedConv2D, conv2DConfig, fusedConv2DConfig } from './conv2d';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv3DBackpropInputConfig } from './conv3d-backprop-input';
import { builtinConv2DBackpropInput, conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';
import { builtinCast, castConfig } from './cast';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';
import { reluGradientConfig, reluGradKernelConfig } from './relu-grad';
import { builtinSum, sumConfig } from './sum';
import { builtinTile, tileConfig } from './tile';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

interface Entry {
  config: tf.KernelConfig;
  /** Holds the wasm backend's own kernel, which ours replaces and may delegate to. */
  builtin?: BuiltinKernel;
}

const entries: Entry[] = [
  { config: conv2DConfig, builtin: builtinConv2D },
  { config: fusedConv2DConfig, builtin: builtinFusedConv2D },
  { config: conv2DBackpropFilterConfig },
  { config: conv2DBackpropInputConfig, builtin: builtinConv2DBackpropInput },
  { config: batchMatMulConfig, builtin: builtinBatchMatMul },
  { config: fusedMatMulConfig, builtin: builtinFusedMatMul },
  { config: depthwiseBackpropFilterConfig },
  { config: depthwiseBackpropInputConfig },
  { config: maxPoolGradConfig },
  { config: reluGradKernelConfig },
  { config: identityConfig },
  { config: castConfig, builtin: builtinCast },
  { config: sumConfig, builtin: builtinSum },
  { config: tileConfig, builtin: builtinTile },
  { config: unsortedSegmentSumConfig },
  { config: conv3DBackpropInputConfig },
];

/** Kernel names this module registers (or replaces) on the wasm backend. */
export const wasmTrainingKernelNames: readonly string[] = entries.map((e) => e.config.kernelName);

const builtins = new Map<string, tf.KernelConfig>();

/** tfjs-backend-wasm's own kernel that ours replaced, if it had one (for benchmarks). */
export function wasmBuiltinKernel(name: string): tf.KernelConfig | undefined {
  return builtins.get(name);
}

/**
 * Registers the missing and the faster training kernels on the 'wasm' backend. Idempotent: a
 * kernel is (re)registered only when the registered one is not already ours.
 */
export function registerWasmTrainingKernels(): void {
  tf.registerGradient(reluGradientConfig); // Relu's gradient through ModelLensReluGrad where the backend has it
  for (const { config, builtin } of entries) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) {
      builtin?.set(current);
      builtins.set(config.kernelName, current);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
}
