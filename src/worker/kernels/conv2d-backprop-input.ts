// Conv2DBackpropInput for the wasm backend through wasm's XNNPACK Conv2D (tfjs-backend-wasm's own
// kernel is a plain loop, ~10× slower). The input gradient of a stride-1 convolution is the
// convolution of the padded output gradient with the spatially flipped, in/out-transposed filter;
// for stride s > 1 the output gradient is first dilated (s−1 zeros between its pixels).
import * as tf from '@tensorflow/tfjs-core';
import { convInfo, type ConvAttrs } from './conv-info';
import { BuiltinKernel, heapF32, release, runWasm, type WasmBackend, unitStrideAttrs } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** tfjs-backend-wasm's own kernel, used where the XNNPACK formulation does not apply. */
export const builtinConv2DBackpropInput = new BuiltinKernel(tf.Conv2DBackpropInput);

/** W[kh,kw,ci,co] → W'[KH−1−kh, KW−1−kw, co, ci] */
function flipTransposeFilter(backend: WasmBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([kh, kw, co, ci], 'float32');
  const dst = heapF32(backend, out);
  const src = heapF32(backend, filter);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const s0 = (i * kw + j) * ci * co;
      const d0 = ((kh - 1 - i) * kw + (kw - 1 - j)) * co * ci;
      for (let a = 0; a < ci; a++) {
        const s = s0 + a * co;
        for (let b = 0; b < co; b++) dst[d0 + b * ci + a] = src[s + b]!;
      }
    }
  }
  return out;
}

/** dy [N,OH,OW,C] → [N,(OH−1)·sh+1,(OW−1)·sw+1,C] with zeros between the pixels. */
export function dilate(backend: WasmBackend, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [n, oh, ow, c] = dy.shape as [number, number, number, number];
  const dh = (oh - 1) * sh + 1;
  const dw = (ow - 1) * sw + 1;
  const out = backend.makeOutput([n, dh, dw, c], 'float32');
  const dst = heapF32(backend, out);
  const src = heapF32(backend, dy);
  dst.fill(0);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const s = ((b * oh + y) * ow + x) * c;
        dst.set(src.subarray(s, s + c), ((b * dh + y * sh) * dw + x * sw) * c);
      }
    }
  }
  return out;
}

export function conv2DBackpropInput(args: Args): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
  const info = convInfo(attrs.inputShape, filter.shape, { ...attrs, dilations: 1 });
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w } = info;
  const dh = (info.outHeight - 1) * sh + 1;
  const dw = (info.outWidth - 1) * sw + 1;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = h + info.padInfo.top - dh;
  const right = w + info.padInfo.left - dw;
  if (Math.min(top, left, bottom, right) < 0) {
    return builtinConv2DBackpropInput.run(args);
  }
  const wt = flipTransposeFilter(backend, filter);
  const g = sh === 1 && sw === 1 ? dy : dilate(backend, dy, sh, sw);
  const out = runWasm(backend, 'Conv2D', { x: g, filter: wt }, unitStrideAttrs(top, bottom, left, right));
  release(backend, wt);
  if (g !== dy) release(backend, g);
  return out;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
