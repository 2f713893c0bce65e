// Conv2D and FusedConv2D (convolution + bias + activation) for the wasm backend through the
// hand-written SIMD loop (simd/conv2d.ts) on every core, where it applies: NHWC, undilated,
// float32, at least 4 input channels, output channels a multiple of 8, no activation or ReLU, the bias one value per
// channel. Measured at batch 64, 2 threads (ms, against XNNPACK): 28×28×32→32 13.3 against
// ~17, 14×14×32→64 6.9 against ~8.5, 14×14×64→64 12.9 against ~15.5. Otherwise the backend's
// own kernel (XNNPACK). Conv2DBackpropInput's convolution comes here too.
import * as tf from '@tensorflow/tfjs-core';
import { convInfo, type ConvAttrs } from './conv-info';
import { simdKernels } from './simd/simd-kernels';
import { BuiltinKernel, heapAddress, heapF32, release, type WasmBackend } from './wasm-ops';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export const builtinConv2D = new BuiltinKernel(tf.Conv2D);
export const builtinFusedConv2D = new BuiltinKernel(tf.FusedConv2D);

const unitDilation = (d: ConvAttrs['dilations']) => d === undefined || (typeof d === 'number' ? d === 1 : d.every((v) => v === 1));

/** The convolution by the SIMD loop, or undefined where it does not apply. */
function viaSimd(backend: WasmBackend, x: tf.TensorInfo, filter: tf.TensorInfo, bias: tf.TensorInfo | undefined, attrs: ConvAttrs, relu: boolean): tf.TensorInfo | undefined {
  const co = filter.shape[3]!;
  // Fewer than 4 input channels (a first layer): a tap's inner loop is too short to beat XNNPACK (1.3 against 1.1 ms at 28×28×1→32).
  if (filter.shape[2]! < 4 || co % 8 !== 0 || x.dtype !== 'float32' || filter.dtype !== 'float32' || (attrs.dataFormat ?? 'NHWC') !== 'NHWC' || !unitDilation(attrs.dilations)) return undefined;
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== co || bias.dtype !== 'float32')) return undefined;
  const simd = simdKernels(backend);
  if (!simd) return undefined;
  const info = convInfo(x.shape, filter.shape, attrs);
  const [kh, kw, ci] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput(info.outShape, 'float32');
  const rows = info.batchSize * info.outHeight;
  if (rows === 0 || info.outWidth === 0) return out;
  const zeros = bias ? undefined : backend.makeOutput([co], 'float32');
  if (zeros) heapF32(backend, zeros).fill(0);
  const at = (t: tf.TensorInfo) => heapAddress(backend, t);
  const args = [at(x), at(filter), at(bias ?? zeros!), at(out), 0, 0, info.inHeight, info.inWidth, ci, info.outHeight, info.outWidth, co, kh, kw, info.padInfo.top, info.padInfo.left, info.strideHeight, info.strideWidth, relu ? 1 : 0];
  simd.run('conv2d', args, 4, rows);
  if (zeros) release(backend, zeros);
  return out;
}

export function conv2D(args: Args): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  return viaSimd(args.backend as WasmBackend, x, filter, undefined, args.attrs as unknown as ConvAttrs, false) ?? builtinConv2D.run(args);
}

export function fusedConv2D(args: Args): tf.TensorInfo {
  const { x, filter, bias, preluActivationWeights } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const activation = (args.attrs as { activation?: string }).activation ?? 'linear';
  const simple = !preluActivationWeights && (activation === 'linear' || activation === 'relu');
  return (simple && viaSimd(args.backend as WasmBackend, x, filter, bias ?? undefined, args.attrs as unknown as ConvAttrs, activation === 'relu')) || builtinFusedConv2D.run(args);
}

export const conv2DConfig: tf.KernelConfig = { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: conv2D as unknown as tf.KernelFunc };
export const fusedConv2DConfig: tf.KernelConfig = { kernelName: tf.FusedConv2D, backendName: 'wasm', kernelFunc: fusedConv2D as unknown as tf.KernelFunc };
