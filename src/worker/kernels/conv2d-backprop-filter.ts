// Conv2DBackpropFilter for the wasm backend, computed by wasm's own XNNPACK Conv2D:
//   dW[kh,kw,ci,co] = Σ_{n,oh,ow} xpad[n, oh·sh+kh, ow·sw+kw, ci] · dy[n,oh,ow,co]
// is a convolution of x (batch and channels swapped: [Ci,H,W,N]) with dy as the filter
// ([OH,OW,N,Co]), dilation = stride, stride 1, the forward padding on top/left; the result
// [Ci,KH,KW,Co] is transposed to [KH,KW,Ci,Co]. The batch is cut into groups whose convolutions
// are summed (see batchGroups); few input channels take a patch-matrix product instead (viaIm2col);
// stride 1 takes one matrix product per filter tap instead (viaShiftedProducts). Where the
// filters allow (Co a multiple of 8), all of these give way to a hand-written SIMD loop
// over the tensors as they lie, on every core (simd/filter-grad.ts; viaSimd).
import * as tf from '@tensorflow/tfjs-core';
import { builtinBatchMatMul } from './batch-mat-mul';
import { convInfo, type ConvAttrs } from './conv-info';
import { heapAddress, heapF32, padBottomRight, release, releaseView, runWasm, transpose, type WasmBackend, view } from './wasm-ops';
import { simdKernels } from './simd/simd-kernels';

export interface Conv2DBackpropFilterAttrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

export function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = convInfo(x.shape, attrs.filterShape, { ...attrs, dilations: 1 });
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w } = info;
  const { outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  // Bottom/right padding that makes the result exactly kh×kw; when negative (rows the forward
  // pass never read), pad 0 and slice the surplus off.
  const bottom = kh + (oh - 1) * sh - h - top;
  const right = kw + (ow - 1) * sw - w - left;
  const ci = x.shape[3]!;
  const simd = dy.shape[3]! % 8 === 0 && x.dtype === 'float32' ? simdKernels(backend) : undefined;
  if (simd) return viaSimd(backend, simd, x, dy, attrs.filterShape, info);
  if (ci * kh * kw <= IM2COL_MAX_ROWS) return viaIm2col(backend, x, dy, attrs.filterShape, info);
  const fh = h + Math.max(top, bottom);
  const fw = w + Math.max(left, right);
  if (sh === 1 && sw === 1 && bottom >= 0 && right >= 0 && oh <= fh && ow <= fw && fh * fw <= shiftedProducts.maxFrameRatio * oh * ow) {
    return viaShiftedProducts(backend, x, dy, attrs.filterShape, { top, bottom, left, right });
  }
  const convAttrs = {
    strides: [1, 1],
    dilations: [sh, sw],
    pad: [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dimRoundingMode: 'floor',
  } as unknown as tf.NamedAttrMap;
  const n = x.shape[0]!;
  const co = dy.shape[3]!;
  const groups = batchGroups(n, oh * ow);
  const g = n / groups;
  // Batch groups outermost: x as [G,Ci,H,W,g], dy as [G,OH,OW,g,Co]; each group is a contiguous block.
  const xt = transpose(backend, { ...x, shape: [groups, g, h, w, ci] }, [0, 4, 2, 3, 1]);
  const dyt = transpose(backend, { ...dy, shape: [groups, g, oh, ow, co] }, [0, 2, 3, 1, 4]);
  let r: tf.TensorInfo | undefined;
  for (let k = 0; k < groups; k++) {
    const xg = view(backend, xt, k * ci * h * w * g, [ci, h, w, g]);
    const dyg = view(backend, dyt, k * oh * ow * g * co, [oh, ow, g, co]);
    const part = runWasm(backend, 'Conv2D', { x: xg, filter: dyg }, convAttrs); // [Ci,KH',KW',Co]
    releaseView(backend, xg, dyg);
    if (!r) r = part;
    else {
      const sum = runWasm(backend, 'Add', { a: r, b: part });
      release(backend, r, part);
      r = sum;
    }
  }
  release(backend, xt, dyt);
  r = r!;
  let cropped = r;
  if (r.shape[1] !== kh || r.shape[2] !== kw) {
    cropped = runWasm(backend, 'Slice', { x: r }, { begin: [0, 0, 0, 0], size: [r.shape[0], kh, kw, r.shape[3]] });
    release(backend, r);
  }
  const out = transpose(backend, cropped, [1, 2, 0, 3]);
  release(backend, cropped);
  return out;
}

/**
 * The SIMD loop on every thread, over chunks of images taken in turn, each chunk into its own
 * partial sum, then the partials added up in order. Measured at batch 64, 2 threads
 * (ms, against the shifted products): 28×28×32→32 12.7 against 28.9, 14×14×32→64 7.2 against
 * 12.8, 14×14×64→64 14.4 against 20.9.
 */
/** Chunks of the batch for the SIMD loop (at most): enough for the threads to balance their work. */
const FILTER_GRAD_CHUNKS = 16;

function viaSimd(backend: WasmBackend, simd: NonNullable<ReturnType<typeof simdKernels>>, x: tf.TensorInfo, dy: tf.TensorInfo, filterShape: [number, number, number, number], info: ReturnType<typeof convInfo>): tf.TensorInfo {
  const [kh, kw, ci, co] = filterShape;
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const size = kh * kw * ci * co;
  // Chunks of a fixed number of images, each into its own partial sum, added up in chunk order:
  // the same gradient whichever thread took which chunk, at any thread count (a seeded run repeats exactly).
  const chunk = Math.ceil(n / FILTER_GRAD_CHUNKS);
  const chunks = Math.ceil(n / chunk);
  const partials = backend.makeOutput([chunks, size], 'float32');
  heapF32(backend, partials).fill(0);
  const at = (t: tf.TensorInfo) => heapAddress(backend, t);
  const args = [at(x), at(dy), 0, 0, 0, h, w, ci, oh, ow, co, kh, kw, info.padInfo.top, info.padInfo.left, sh, sw];
  simd.run('filterGrad', args, 3, n, { chunk, index: 2, base: at(partials), stride: size * 4 });
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  const dst = heapF32(backend, out);
  const src = heapF32(backend, partials);
  dst.set(src.subarray(0, size));
  for (let c = 1; c < chunks; c++) for (let k = 0, o = c * size; k < size; k++) dst[k]! += src[o + k]!;
  release(backend, partials);
  return out;
}

/**
 * Few input channels (a first layer on grayscale images): the convolution above would have only
 * Ci·KH·KW output pixels, too few rows for XNNPACK to spread over threads. There the transposed
 * patch matrix is small and quick to fill, and dW = patchesᵀ · dy is one XNNPACK matrix product
 * (a 1×1 convolution with dy, as laid out, for weights): measured 18–28 → 1.5 ms at
 * 28×28×1→32, batch 64.
 */
const IM2COL_MAX_ROWS = 36;

function viaIm2col(backend: WasmBackend, x: tf.TensorInfo, dy: tf.TensorInfo, filterShape: [number, number, number, number], info: ReturnType<typeof convInfo>): tf.TensorInfo {
  const [kh, kw, ci, co] = filterShape;
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rows = n * oh * ow;
  const k = kh * kw * ci;
  // patchesᵀ[(i, j, c), (b, y, x)] = x[b, y·sh + i − top, x·sw + j − left, c], 0 outside.
  const pt = backend.makeOutput([k, rows], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, pt);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < ci; c++) {
        let d = ((i * kw + j) * ci + c) * rows;
        for (let b = 0; b < n; b++) {
          for (let y = 0; y < oh; y++) {
            const sy = y * sh + i - top;
            if (sy < 0 || sy >= h) {
              dst.fill(0, d, d + ow);
              d += ow;
              continue;
            }
            const base = (b * h + sy) * w;
            for (let xx = 0; xx < ow; xx++) {
              const sx = xx * sw + j - left;
              dst[d++] = sx >= 0 && sx < w ? src[(base + sx) * ci + c]! : 0;
            }
          }
        }
      }
    }
  }
  const product = runWasm(
    backend,
    'Conv2D',
    { x: { dataId: pt.dataId, shape: [1, 1, k, rows], dtype: 'float32' }, filter: { dataId: dy.dataId, shape: [1, 1, rows, co], dtype: 'float32' } },
    { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: 'floor' } as unknown as tf.NamedAttrMap,
  ); // [1,1,K,Co]: rows in the filter's (kh, kw, ci) order
  release(backend, pt);
  return { dataId: product.dataId, shape: [kh, kw, ci, co], dtype: 'float32' };
}

/**
 * Stride 1: dW[i,j] (Ci×Co) = Σ_p x'[p + i·FW + j] · dy'[p], one matrix product per filter tap,
 * all with the same right operand — so XNNPACK packs dy once and reuses it for every tap (the
 * convolution above packs dy, after a transposed copy, as its filter: ~10 ms at the reference's
 * 28×28×32→32, batch 64), and nothing needs an indirection buffer.
 *   - Each image gets a zero frame: x' is FH×FW with FH = H + max(top, bottom), FW = W +
 *     max(left, right), x at row `top`, column `left`; dy' is dy in the frame's top-left corner,
 *     zeros after. Pixel p of dy' sits at (row, col) of image n; x'[p + i·FW + j] is then
 *     x[n, row + i − top, col + j − left], or a zero of the frame: a column past FW wraps to the
 *     next row's left padding, a row past FH lands in the next image's top padding (both < the
 *     padding on that side, since the output is no larger than the frame).
 *   - x' is transposed to channels × pixels, so tap (i, j)'s left operand [Ci × L] is x' read from
 *     element i·FW + j on: a view, no copy. One zero channel after the last gives the last
 *     channel's window its tail.
 * The batch is taken in chunks of whole images (shiftedProducts.chunkFloats) whose products are
 * summed, to bound the copies. Measured on one thread at batch 64 (ms, the reference's layers,
 * against the convolution path): 28×28×32→32 41–42 against 53–54, 14×14×32→64 21–22 against
 * 25–26, 14×14×64→64 38 against 47–48; the forward convolutions take 31, 15, 30.
 */
export const shiftedProducts = {
  /** Floats in one chunk's copies (x framed and transposed, dy framed). */
  chunkFloats: 1 << 21,
  /**
   * Frame pixels per output pixel above which the convolution path is taken instead: the
   * products also run over the frame's zeros. Measured on one thread, batch 64: 8×8×64→64
   * (frame 9×9, 1.27) 14.0 ms against 16.2; 4×4×128→128 (5×5, 1.56) 15.7 against 14.4.
   */
  maxFrameRatio: 1.4,
};

function viaShiftedProducts(
  backend: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: [number, number, number, number],
  pad: { top: number; bottom: number; left: number; right: number },
): tf.TensorInfo {
  const [kh, kw, ci, co] = filterShape;
  const [n, h, w] = x.shape as [number, number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number, number];
  const fh = h + Math.max(pad.top, pad.bottom);
  const fw = w + Math.max(pad.left, pad.right);
  const frame = fh * fw;
  const most = Math.max(1, Math.min(n, Math.floor(shiftedProducts.chunkFloats / (frame * Math.max(ci + 1, co)))));
  const chunk = Math.ceil(n / Math.ceil(n / most)); // chunks of even size
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  for (let n0 = 0; n0 < n; n0 += chunk) {
    const c = Math.min(chunk, n - n0);
    const rows = c * frame;
    const xc = view(backend, x, n0 * h * w * ci, [c, h, w, ci]);
    const dyc = view(backend, dy, n0 * oh * ow * co, [c, oh, ow, co]);
    const framed = runWasm(backend, 'PadV2', { x: xc }, {
      paddings: [
        [0, 0],
        [pad.top, fh - h - pad.top],
        [pad.left, fw - w - pad.left],
        [0, 1],
      ],
      constantValue: 0,
    } as unknown as tf.NamedAttrMap);
    const xt = transpose(backend, { ...framed, shape: [rows, ci + 1] }, [1, 0]); // [Ci+1, rows]
    release(backend, framed);
    const dyFramed = padBottomRight(backend, dyc, fh - oh, fw - ow);
    releaseView(backend, xc, dyc);
    const b = { dataId: dyFramed.dataId, shape: [1, rows, co], dtype: 'float32' } as tf.TensorInfo;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const a = view(backend, xt, i * fw + j, [1, ci, rows]);
        const part = builtinBatchMatMul.run({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } });
        releaseView(backend, a);
        const src = heapF32(backend, part);
        const dst = heapF32(backend, out);
        const o = (i * kw + j) * ci * co;
        if (n0 === 0) dst.set(src, o);
        else for (let k = 0; k < ci * co; k++) dst[o + k]! += src[k]!;
        release(backend, part);
      }
    }
    release(backend, xt, dyFramed);
  }
  return out;
}

/**
 * The convolution reduces over batch × output pixels with dy as XNNPACK's weights; when those
 * are large, XNNPACK streams them from memory again for every tile of output rows. Splitting the
 * batch into groups of about REDUCTION_ROWS (batch × pixels) and summing keeps each group's
 * weights in cache: measured at batch 64, 2 threads, 28×28×32→32 41 → 30 ms, 14×14×32→64
 * 16.6 → 13.7 ms, 14×14×64→64 26 → 24 ms.
 */
const REDUCTION_ROWS = 8192;

function batchGroups(n: number, pixels: number): number {
  let g = Math.min(n, Math.ceil((n * pixels) / REDUCTION_ROWS));
  while (n % g) g--;
  return g;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
