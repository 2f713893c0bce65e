// Sum for the wasm backend when the summed axes are the leading ones of an input with a batch —
// the bias gradient of every convolution (dy [N,H,W,C] summed over N, H and W): XNNPACK's average
// pooling, spread over the thread pool, averages each sample's H·W rows, and the N averages are
// added here and scaled back. tfjs-backend-wasm's own Sum first copies dy with the summed axes
// moved to the end and then sums on one thread. Other sums go to wasm's own kernel.
import * as tf from '@tensorflow/tfjs-core';
import { BuiltinKernel, heapF32, release, runWasm, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export const builtinSum = new BuiltinKernel(tf.Sum);

/** Below this many rows per sample, pooling is not worth its set-up. */
const MIN_WINDOW = 16;

/** How many leading axes `axis` names, when it names exactly 0..k−1 (k < rank); else 0. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = [...new Set(tf.util.parseAxisParam(axis, new Array<number>(rank).fill(1)))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

export function sum(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : 0;
  const n = x.shape[0] ?? 0;
  const window = x.shape.slice(1, k).reduce((a, b) => a * b, 1);
  if (k < 2 || n === 0 || window < MIN_WINDOW) return builtinSum.run(args);
  const kept = x.shape.slice(k);
  const cols = kept.reduce((a, b) => a * b, 1);
  // Each sample's rows as one pooling window: [N, window, 1, cols] → [N, 1, 1, cols] averages.
  const pooled = runWasm(backend, 'AvgPool', { x: { dataId: x.dataId, shape: [n, window, 1, cols], dtype: 'float32' } }, {
    filterSize: [window, 1],
    strides: [window, 1],
    pad: 'valid',
  } as unknown as tf.NamedAttrMap);
  const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept, 'float32');
  const avg = heapF32(backend, pooled);
  const dst = heapF32(backend, out);
  for (let c = 0; c < cols; c++) {
    let acc = 0;
    for (let s = 0; s < n; s++) acc += avg[s * cols + c]!;
    dst[c] = acc * window;
  }
  release(backend, pooled);
  return out;
}

export const sumConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as tf.KernelFunc,
};
