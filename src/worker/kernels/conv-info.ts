// Convolution geometry shared by the gradient kernels.
import * as tf from '@tensorflow/tfjs-core';

export type ConvPad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
}

/** Geometry of a forward 2-D convolution with input `xShape` and filter `filterShape`. */
export function convInfo(
  xShape: number[],
  filterShape: number[],
  a: ConvAttrs,
  depthwise = false,
): tf.backend_util.Conv2DInfo {
  const fmt = tf.backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC');
  if (fmt !== 'channelsLast') throw new Error(`wasm training kernels support only NHWC (channelsLast) data`);
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad as 'valid',
    a.dimRoundingMode,
    depthwise,
    fmt,
  );
}
