// Conv3D's input gradient for the wasm backend (ConvLSTM3D, Conv3D after another trainable layer).
// tfjs-backend-wasm 4.22 registers a Conv3DBackpropInputV2 that disagrees with the cpu backend
// and with finite differences of its own forward Conv3D (test/unit/kernels/conv3d-backprop-input.test.ts),
// so this one replaces it: plain loops over the wasm heap, spreading each output gradient over the
// input positions its window read.
import * as tf from '@tensorflow/tfjs-core';
import { heapF32, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** dx[n,d,h,w,c] = Σ dy[n,od,oh,ow,f] · W[kd,kh,kw,c,f] over the (od,oh,ow,kd,kh,kw) whose window reads (d,h,w). */
export function conv3DBackpropInputV2(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, inputShape } = args.attrs as unknown as { strides: [number, number, number]; pad: 'valid' | 'same'; inputShape: [number, number, number, number, number] };
  const info = tf.backend_util.computeConv3DInfo(inputShape, filter.shape as [number, number, number, number, number], strides, 1, pad);
  const { batchSize: nb, inDepth: D, inHeight: H, inWidth: W, inChannels: C, outDepth: OD, outHeight: OH, outWidth: OW, outChannels: F } = info;
  const { filterDepth: KD, filterHeight: KH, filterWidth: KW, strideDepth: SD, strideHeight: SH, strideWidth: SW } = info;
  const { front, top, left } = info.padInfo;
  const out = backend.makeOutput([...inputShape], 'float32');
  const dx = heapF32(backend, out);
  const g = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  dx.fill(0);
  for (let n = 0; n < nb; n++) {
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const gBase = (((n * OD + od) * OH + oh) * OW + ow) * F;
          for (let kd = 0; kd < KD; kd++) {
            const d = od * SD - front + kd;
            if (d < 0 || d >= D) continue;
            for (let kh = 0; kh < KH; kh++) {
              const h = oh * SH - top + kh;
              if (h < 0 || h >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const x = ow * SW - left + kw;
                if (x < 0 || x >= W) continue;
                const xBase = (((n * D + d) * H + h) * W + x) * C;
                const fBase = ((kd * KH + kh) * KW + kw) * C * F;
                for (let c = 0; c < C; c++) {
                  let s = 0;
                  const wBase = fBase + c * F;
                  for (let f = 0; f < F; f++) s += g[gBase + f]! * w[wBase + f]!;
                  dx[xBase + c]! += s;
                }
              }
            }
          }
        }
      }
    }
  }
  return out;
}

export const conv3DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv3DBackpropInputV2,
  backendName: 'wasm',
  kernelFunc: conv3DBackpropInputV2 as unknown as tf.KernelFunc,
};
