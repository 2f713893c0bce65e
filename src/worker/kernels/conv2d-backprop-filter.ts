// Conv2DBackpropFilter for the wasm backend, computed by wasm's own XNNPACK Conv2D:
//   dW[kh,kw,ci,co] = Σ_{n,oh,ow} xpad[n, oh·sh+kh, ow·sw+kw, ci] · dy[n,oh,ow,co]
// is a convolution of x (batch and channels swapped: [Ci,H,W,N]) with dy as the filter
// ([OH,OW,N,Co]), dilation = stride, stride 1, the forward padding on top/left; the result
// [Ci,KH,KW,Co] is transposed to [KH,KW,Ci,Co].
import * as tf from '@tensorflow/tfjs-core';
import { convInfo, type ConvAttrs } from './conv-info';
import { release, runWasm, transpose, type WasmBackend } from './wasm-ops';

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
  const xt = transpose(backend, x, [3, 1, 2, 0]); // [Ci,H,W,N]
  const dyt = transpose(backend, dy, [1, 2, 0, 3]); // [OH,OW,N,Co]
  const r = runWasm(
    backend,
    'Conv2D',
    { x: xt, filter: dyt },
    {
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
    } as unknown as tf.NamedAttrMap,
  ); // [Ci,KH',KW',Co]
  release(backend, xt, dyt);
  let cropped = r;
  if (r.shape[1] !== kh || r.shape[2] !== kw) {
    cropped = runWasm(backend, 'Slice', { x: r }, { begin: [0, 0, 0, 0], size: [r.shape[0], kh, kw, r.shape[3]] });
    release(backend, r);
  }
  const out = transpose(backend, cropped, [1, 2, 0, 3]);
  release(backend, cropped);
  return out;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
