// UnsortedSegmentSum for the wasm backend, which tfjs-backend-wasm 4.22 lacks: the gradient of
// Gather (so of Embedding) sums each row of the upstream gradient into the row its index names.
// One pass over the wasm heap: out[segmentIds[i], :] += x[i, :]; ids outside [0, numSegments)
// are dropped, as on the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import { heapF32, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export function unsortedSegmentSum(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as { numSegments: number };
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm takes float32 values, not ${x.dtype}`);
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = rows === 0 ? 0 : x.shape.reduce((a, b) => a * b, 1) / rows;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32');
  // Views are taken after the allocation (an allocation may move the heap).
  const o = heapF32(backend, out);
  const xs = heapF32(backend, x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  o.fill(0);
  for (let i = 0; i < rows; i++) {
    const s = Number(ids[i]);
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j]!;
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
