// Depthwise convolution gradients for the wasm backend (DepthwiseConv2D, SeparableConv2D).
// Plain loops over the wasm heap: a depthwise convolution costs KH·KW·C·M multiply-adds per output
// pixel, so these run in the same time class as the forward pass. With one filter per channel
// (M = 1, no dilation) the input gradient is XNNPACK's own depthwise convolution instead
// (viaXnnpack), and at stride 1 the filter gradient is products and sums on wasm (filterViaProducts).
import * as tf from '@tensorflow/tfjs-core';
import { convInfo, type ConvAttrs } from './conv-info';
import { dilate } from './conv2d-backprop-input';
import { heapF32, padBottomRight, release, releaseView, runWasm, type WasmBackend, unitStrideAttrs, view } from './wasm-ops';

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
  if (m === 1 && sh === 1 && sw === 1 && dh === 1 && dw === 1) {
    const fast = filterViaProducts(backend, x, dy, info);
    if (fast) return fast;
  }
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
  if (m === 1 && dh === 1 && dw === 1) {
    const fast = viaXnnpack(backend, dy, filter, info);
    if (fast) return fast;
  }
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

/**
 * M = 1, stride 1: dW[i,j,·] = Σ_p x'[p + i·FW + j, ·] · dy'[p, ·] over images in a zero frame,
 * as the dense filter gradient lays them out (conv2d-backprop-filter.ts, viaShiftedProducts):
 * x' is x framed (plus one zero image, the last windows' tail), dy' is dy in each frame's
 * top-left corner. Per tap one element-wise product of a view of x' with dy', then its sum over
 * the pixels (our Sum kernel: XNNPACK pooling on the thread pool). Undefined where the frame does
 * not hold the output (the loop runs). 64×28×28×32, 3×3: 48 → 9 ms on one thread, 18–20 on two
 * (load average ~4 on 2 cores).
 */
function filterViaProducts(backend: WasmBackend, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | undefined {
  const { batchSize: n, filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const bottom = kh + oh - 1 - h - top;
  const right = kw + ow - 1 - w - left;
  const fh = h + Math.max(top, bottom);
  const fw = w + Math.max(left, right);
  if (bottom < 0 || right < 0 || oh > fh || ow > fw) return undefined;
  const frame = fh * fw;
  // Chunks of whole images bound the copies (x and dy framed, one product: each ≤ depthwiseChunk.floats).
  const most = Math.max(1, Math.min(n, Math.floor(depthwiseChunk.floats / (frame * c))));
  const chunk = Math.ceil(n / Math.ceil(n / most));
  const out = backend.makeOutput([kh, kw, c, 1], 'float32');
  for (let n0 = 0; n0 < n; n0 += chunk) {
    const cn = Math.min(chunk, n - n0);
    const xc = view(backend, x, n0 * h * w * c, [cn, h, w, c]);
    const dyc = view(backend, dy, n0 * oh * ow * c, [cn, oh, ow, c]);
    const framed = runWasm(backend, 'PadV2', { x: xc }, {
      paddings: [
        [0, 1],
        [top, fh - h - top],
        [left, fw - w - left],
        [0, 0],
      ],
      constantValue: 0,
    } as unknown as tf.NamedAttrMap);
    const dyFramed = padBottomRight(backend, dyc, fh - oh, fw - ow);
    releaseView(backend, xc, dyc);
    const b = { dataId: dyFramed.dataId, shape: [cn, frame, c], dtype: 'float32' } as tf.TensorInfo;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const a = view(backend, framed, (i * fw + j) * c, [cn, frame, c]);
        const product = runWasm(backend, 'Multiply', { a, b });
        releaseView(backend, a);
        const s = runWasm(backend, 'Sum', { x: product }, { axis: [0, 1], keepDims: false } as unknown as tf.NamedAttrMap);
        release(backend, product);
        const src = heapF32(backend, s);
        const dst = heapF32(backend, out);
        const o = (i * kw + j) * c;
        if (n0 === 0) dst.set(src, o);
        else for (let k = 0; k < c; k++) dst[o + k]! += src[k]!;
        release(backend, s);
      }
    }
    release(backend, framed, dyFramed);
  }
  return out;
}

/** Floats in one chunk's copies (filterViaProducts). */
export const depthwiseChunk = { floats: 1 << 21 };

/**
 * M = 1: the input gradient is the depthwise convolution of dy (dilated by the stride: s − 1
 * zeros between its pixels) with each channel's filter turned by 180°, padded so the result is
 * the input's size — one XNNPACK call on the thread pool instead of the loop (64×28×28×32, 3×3,
 * one thread: 50 → 3 ms). Undefined where that padding would be negative (the loop runs).
 */
function viaXnnpack(backend: WasmBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | undefined {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const dh = (oh - 1) * sh + 1;
  const dw = (ow - 1) * sw + 1;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = h + info.padInfo.top - dh;
  const right = w + info.padInfo.left - dw;
  if (Math.min(top, left, bottom, right) < 0) return undefined;
  const c = info.inChannels;
  const turned = backend.makeOutput([kh, kw, c, 1], 'float32');
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, turned);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * kw + j) * c;
      dst.set(src.subarray(from, from + c), ((kh - 1 - i) * kw + (kw - 1 - j)) * c);
    }
  }
  const g = sh === 1 && sw === 1 ? dy : dilate(backend, dy, sh, sw);
  const out = runWasm(backend, 'DepthwiseConv2dNative', { x: g, filter: turned }, unitStrideAttrs(top, bottom, left, right));
  release(backend, turned);
  if (g !== dy) release(backend, g);
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
