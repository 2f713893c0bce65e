// Every convolution gradient kernel registered on wasm, checked against the cpu backend on random
// inputs over shapes × strides × padding (same/valid), non-square sizes, several channel counts,
// batch > 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { compareWithCpu, randomValues, setupWasm } from './compare';
import { shiftedProducts } from '../../../src/worker/kernels/conv2d-backprop-filter';
import { depthwiseChunk } from '../../../src/worker/kernels/depthwise-backprop';

interface Case {
  x: [number, number, number, number]; // NHWC input
  k: [number, number]; // kernel height, width
  cin: number;
  cout: number; // output channels (depthwise: channel multiplier)
  stride: [number, number];
  pad: 'same' | 'valid';
}

const cases: Case[] = [];
for (const pad of ['same', 'valid'] as const) {
  for (const stride of [[1, 1], [2, 2], [2, 1]] as [number, number][]) {
    cases.push({ x: [2, 7, 5, 3], k: [3, 3], cin: 3, cout: 4, stride, pad });
    cases.push({ x: [3, 9, 8, 1], k: [3, 2], cin: 1, cout: 2, stride, pad });
    cases.push({ x: [2, 6, 6, 8], k: [1, 1], cin: 8, cout: 5, stride, pad });
    cases.push({ x: [1, 11, 10, 5], k: [5, 5], cin: 5, cout: 3, stride, pad });
    cases.push({ x: [2, 8, 8, 4], k: [2, 2], cin: 4, cout: 6, stride, pad });
    // Ci·KH·KW above 36: the filter gradient as one XNNPACK convolution (below: patch matrix).
    cases.push({ x: [2, 7, 6, 6], k: [3, 3], cin: 6, cout: 4, stride, pad });
  }
}
cases.push({ x: [2, 10, 9, 3], k: [3, 3], cin: 3, cout: 4, stride: [3, 3], pad: 'same' });
cases.push({ x: [2, 10, 9, 3], k: [3, 3], cin: 3, cout: 4, stride: [3, 2], pad: 'valid' });

const TOL = 1e-4;
const name = (c: Case) => `x=${c.x.join('×')} k=${c.k.join('×')} out=${c.cout} s=${c.stride.join(',')} ${c.pad}`;

function outShape(c: Case, depthwise: boolean): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.cin, c.cout], c.stride, 1, c.pad, undefined, depthwise)
    .outShape;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('Conv2DBackpropFilter on wasm matches cpu', async () => {
  await setupWasm();
  cases.forEach((c, i) => {
    const dyShape = outShape(c, false);
    const r = compareWithCpu(
      'Conv2DBackpropFilter',
      { x: { shape: c.x, values: randomValues(size(c.x), 11 + i) }, dy: { shape: dyShape, values: randomValues(size(dyShape), 97 + i) } },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: [c.k[0], c.k[1], c.cin, c.cout] },
    );
    assert.deepEqual(r.wasm.shape, r.cpu.shape, name(c));
    assert.ok(r.relErr < TOL, `${name(c)}: relative error ${r.relErr}`);
  });
});

test('Conv2DBackpropFilter summed over batch groups (large batch × pixels) matches cpu', async () => {
  await setupWasm();
  // 6 × 40 × 40 and 6 × 39 × 39 output rows > 8192: at stride 2 the batch is split into groups whose
  // results are summed (stride 1 takes the per-tap products, tested below).
  for (const [x, stride, pad] of [
    [40, [1, 1], 'same'],
    [80, [2, 2], 'valid'],
  ] as const) {
    const c: Case = { x: [6, x, x, 5], k: [3, 3], cin: 5, cout: 3, stride: [...stride], pad };
    const dyShape = outShape(c, false);
    const r = compareWithCpu(
      'Conv2DBackpropFilter',
      { x: { shape: c.x, values: randomValues(size(c.x), 5) }, dy: { shape: dyShape, values: randomValues(size(dyShape), 6) } },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: [3, 3, 5, 3] },
    );
    assert.ok(r.relErr < TOL, `${name(c)}: relative error ${r.relErr}`);
  }
});

test('Conv2DBackpropFilter at stride 1 (one matrix product per filter tap over zero-framed images) matches cpu', async () => {
  await setupWasm();
  type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  const stride1: Array<{ x: [number, number, number, number]; k: [number, number]; cout: number; pad: Pad }> = [
    { x: [3, 9, 7, 6], k: [3, 3], cout: 5, pad: 'same' },
    { x: [3, 9, 7, 6], k: [3, 3], cout: 5, pad: 'valid' },
    // even kernel, 'same': padding only after (top 0, bottom 1)
    { x: [2, 6, 9, 10], k: [2, 2], cout: 3, pad: 'same' },
    { x: [2, 5, 5, 40], k: [1, 1], cout: 3, pad: 'valid' },
    { x: [2, 8, 6, 4], k: [5, 3], cout: 7, pad: 'same' },
    { x: [1, 4, 12, 5], k: [3, 5], cout: 2, pad: 'valid' },
    // explicit padding, unequal sides, and wider than the filter on one side
    { x: [2, 6, 5, 5], k: [3, 3], cout: 4, pad: [[0, 0], [2, 0], [1, 2], [0, 0]] },
    { x: [2, 6, 5, 5], k: [3, 3], cout: 4, pad: [[0, 0], [4, 1], [0, 3], [0, 0]] },
    // more output channels than input channels, and the reverse
    { x: [2, 7, 7, 5], k: [3, 3], cout: 16, pad: 'same' },
    { x: [2, 7, 7, 17], k: [3, 3], cout: 2, pad: 'same' },
  ];
  const saved = { ...shiftedProducts };
  try {
    // every case on this path, however much of its frame is padding; the whole batch in one
    // chunk, then chunks of one image, then of two (x=3×9×7×6: 560 floats an image) with a
    // remainder, summed
    shiftedProducts.maxFrameRatio = Infinity;
    for (const floats of [saved.chunkFloats, 1, 1200]) {
      shiftedProducts.chunkFloats = floats;
      stride1.forEach((c, i) => {
        const cin = c.x[3];
        const fShape = [c.k[0], c.k[1], cin, c.cout] as [number, number, number, number];
        const dyShape = tf.backend_util.computeConv2DInfo(c.x, fShape, 1, 1, c.pad as 'same').outShape;
        const r = compareWithCpu(
          'Conv2DBackpropFilter',
          { x: { shape: c.x, values: randomValues(size(c.x), 31 + i) }, dy: { shape: dyShape, values: randomValues(size(dyShape), 61 + i) } },
          { strides: 1, pad: c.pad, dataFormat: 'NHWC', filterShape: fShape } as never,
        );
        const label = `x=${c.x.join('×')} k=${c.k.join('×')} out=${c.cout} pad=${JSON.stringify(c.pad)} chunk=${floats}`;
        assert.deepEqual(r.wasm.shape, r.cpu.shape, label);
        assert.ok(r.relErr < TOL, `${label}: relative error ${r.relErr}`);
      });
    }
  } finally {
    Object.assign(shiftedProducts, saved);
  }
});

test('Conv2DBackpropInput on wasm (XNNPACK formulation) matches cpu', async () => {
  await setupWasm();
  cases.forEach((c, i) => {
    const dyShape = outShape(c, false);
    const fShape = [c.k[0], c.k[1], c.cin, c.cout];
    const r = compareWithCpu(
      'Conv2DBackpropInput',
      { dy: { shape: dyShape, values: randomValues(size(dyShape), 13 + i) }, filter: { shape: fShape, values: randomValues(size(fShape), 29 + i) } },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
    );
    assert.deepEqual(r.wasm.shape, r.cpu.shape, name(c));
    assert.ok(r.relErr < TOL, `${name(c)}: relative error ${r.relErr}`);
  });
});

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu', async () => {
  await setupWasm();
  // cout 1 (one filter per channel) at stride 1: products and sums over zero-framed images; else the loop
  const dwCases = [...cases, ...cases.map((c) => ({ ...c, cout: 1 })), { x: [2, 9, 9, 6], k: [3, 3], cin: 6, cout: 1, stride: [1, 1], pad: 'same' } as Case];
  dwCases.forEach((c, i) => {
    const dyShape = outShape(c, true);
    const r = compareWithCpu(
      'DepthwiseConv2dNativeBackpropFilter',
      { x: { shape: c.x, values: randomValues(size(c.x), 5 + i) }, dy: { shape: dyShape, values: randomValues(size(dyShape), 71 + i) } },
      { strides: c.stride, pad: c.pad, dilations: [1, 1], filterShape: [c.k[0], c.k[1], c.cin, c.cout] },
    );
    assert.deepEqual(r.wasm.shape, r.cpu.shape, name(c));
    assert.ok(r.relErr < TOL, `${name(c)}: relative error ${r.relErr}`);
  });
});

test('DepthwiseConv2dNativeBackpropFilter with one filter per channel, summed over chunks of images, matches cpu', async () => {
  await setupWasm();
  const saved = depthwiseChunk.floats;
  try {
    // x=5×8×7×4 'same' 3×3: 9·8·4 = 288 floats an image → chunks of 1, then of 2 (with a remainder)
    for (const floats of [1, 600]) {
      depthwiseChunk.floats = floats;
      for (const pad of ['same', 'valid'] as const) {
        const c: Case = { x: [5, 8, 7, 4], k: [3, 3], cin: 4, cout: 1, stride: [1, 1], pad };
        const dyShape = outShape(c, true);
        const r = compareWithCpu(
          'DepthwiseConv2dNativeBackpropFilter',
          { x: { shape: c.x, values: randomValues(size(c.x), 17) }, dy: { shape: dyShape, values: randomValues(size(dyShape), 19) } },
          { strides: 1, pad, dilations: [1, 1], filterShape: [3, 3, 4, 1] },
        );
        assert.ok(r.relErr < TOL, `${name(c)} chunk=${floats}: relative error ${r.relErr}`);
      }
    }
  } finally {
    depthwiseChunk.floats = saved;
  }
});

test('DepthwiseConv2dNativeBackpropInput on wasm matches cpu', async () => {
  await setupWasm();
  // cout 1 (one filter per channel): XNNPACK's depthwise convolution on the turned filter; else the loop
  const dwCases = [...cases, ...cases.map((c) => ({ ...c, cout: 1 })), { x: [2, 9, 9, 6], k: [3, 3], cin: 6, cout: 1, stride: [1, 1], pad: 'same' } as Case];
  dwCases.forEach((c, i) => {
    const dyShape = outShape(c, true);
    const fShape = [c.k[0], c.k[1], c.cin, c.cout];
    const r = compareWithCpu(
      'DepthwiseConv2dNativeBackpropInput',
      { dy: { shape: dyShape, values: randomValues(size(dyShape), 3 + i) }, filter: { shape: fShape, values: randomValues(size(fShape), 41 + i) } },
      { strides: c.stride, pad: c.pad, dilations: [1, 1], inputShape: c.x },
    );
    assert.deepEqual(r.wasm.shape, r.cpu.shape, name(c));
    assert.ok(r.relErr < TOL, `${name(c)}: relative error ${r.relErr}`);
  });
});

test('conv gradients with explicit padding (wider than the filter: wasm fallback) match cpu', async () => {
  await setupWasm();
  const x = [2, 6, 5, 3];
  const pad = [[0, 0], [4, 1], [0, 3], [0, 0]];
  const fShape = [3, 3, 3, 4];
  const dyShape = tf.backend_util.computeConv2DInfo(x as [number, number, number, number], fShape as [number, number, number, number], 1, 1, pad as never).outShape;
  const input = compareWithCpu(
    'Conv2DBackpropInput',
    { dy: { shape: dyShape, values: randomValues(size(dyShape), 8) }, filter: { shape: fShape, values: randomValues(size(fShape), 9) } },
    { strides: 1, pad, dataFormat: 'NHWC', inputShape: x } as never,
  );
  assert.deepEqual(input.wasm.shape, input.cpu.shape);
  assert.ok(input.relErr < TOL, `input gradient: relative error ${input.relErr}`);
  const filter = compareWithCpu(
    'Conv2DBackpropFilter',
    { x: { shape: x, values: randomValues(size(x), 10) }, dy: { shape: dyShape, values: randomValues(size(dyShape), 11) } },
    { strides: 1, pad, dataFormat: 'NHWC', filterShape: fShape } as never,
  );
  assert.ok(filter.relErr < TOL, `filter gradient: relative error ${filter.relErr}`);
});
