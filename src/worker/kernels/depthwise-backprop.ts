// Depthwise convolution gradients for the wasm backend (DepthwiseConv2D, SeparableConv2D).
// Plain loops over the wasm heap: a depthwise convolution costs KH·KW·C·M multiply-adds per output
// pixel, so these run in the same time class as the forward pass.
import * as tf from '@tensorflow/tfjs-core';
import { convInfo, type ConvAttrs } from './conv-info';
import { heapF32, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** dW[kh,kw,c,m] = Σ_{n,oh,ow} x[n, oh·sh−pt+kh·dh, ow·sw−pl+kw·dw, c] · dy[n,oh,ow,c·M+m] */
export function depthwiseConv2dNativeBackpropFilter(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const info = convInfo(x.shape, attrs.filterShape, attrs, true);
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const m = info.outChannels / c;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput([kh, kw, c, m], 'float32');
  const dW = heapF32(backend, out);
  const xs = heapF32(backend, x);
  const g = heapF32(backend, dy);
  dW.fill(0);
  const cm = c * m;
  for (let n = 0; n < nb; n++) {
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        const gBase = ((n * oh + y) * ow + xo) * cm;
        for (let i = 0; i < kh; i++) {
          const iy = y * sh - top + i * dh;
          if (iy < 0 || iy >= h) continue;
          for (let j = 0; j < kw; j++) {
            const ix = xo * sw - left + j * dw;
            if (ix < 0 || ix >= w) continue;
            const xBase = ((n * h + iy) * w + ix) * c;
            const fBase = (i * kw + j) * cm;
            if (m === 1) {
              for (let ch = 0; ch < c; ch++) dW[fBase + ch] += xs[xBase + ch] * g[gBase + ch];
            } else {
              for (let ch = 0; ch < c; ch++) {
                const xv = xs[xBase + ch];
                const o = ch * m;
                for (let q = 0; q < m; q++) dW[fBase + o + q] += xv * g[gBase + o + q];
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** dx[n,iy,ix,c] = Σ dy[n,oh,ow,c·M+m] · W[kh,kw,c,m] over the (oh,ow,kh,kw) that read (iy,ix). */
export function depthwiseConv2dNativeBackpropInput(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
  const info = convInfo(attrs.inputShape, filter.shape, attrs, true);
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const m = info.outChannels / c;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput(attrs.inputShape.slice(), 'float32');
  const dx = heapF32(backend, out);
  const f = heapF32(backend, filter);
  const g = heapF32(backend, dy);
  dx.fill(0);
  const cm = c * m;
  for (let n = 0; n < nb; n++) {
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        const gBase = ((n * oh + y) * ow + xo) * cm;
        for (let i = 0; i < kh; i++) {
          const iy = y * sh - top + i * dh;
          if (iy < 0 || iy >= h) continue;
          for (let j = 0; j < kw; j++) {
            const ix = xo * sw - left + j * dw;
            if (ix < 0 || ix >= w) continue;
            const xBase = ((n * h + iy) * w + ix) * c;
            const fBase = (i * kw + j) * cm;
            if (m === 1) {
              for (let ch = 0; ch < c; ch++) dx[xBase + ch] += g[gBase + ch] * f[fBase + ch];
            } else {
              for (let ch = 0; ch < c; ch++) {
                const o = ch * m;
                let s = 0;
                for (let q = 0; q < m; q++) s += g[gBase + o + q] * f[fBase + o + q];
                dx[xBase + ch] += s;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as tf.KernelFunc,
};

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as tf.KernelFunc,
};
