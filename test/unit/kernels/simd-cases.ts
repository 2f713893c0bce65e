// Checks the hand-written SIMD kernels (src/worker/kernels/simd/) against the cpu backend: the
// filter gradient over strides, paddings (same, valid, explicit and uneven), odd sizes and batches
// that do not split evenly; MaxPoolGrad's 2×2 windows with ties. Used by simd-kernels*.test.ts on
// the threaded and the single-threaded builds (one backend per process).
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { compareWithCpu, randomValues } from './compare';
import { simdKernels } from '../../../src/worker/kernels/simd/simd-kernels';
import type { WasmBackend } from '../../../src/worker/kernels/wasm-ops';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const cases: Array<{ x: [number, number, number, number]; k: [number, number]; cout: number; stride: [number, number]; pad: Pad }> = [];
for (const stride of [[1, 1], [2, 2], [2, 1], [1, 3]] as [number, number][]) {
  for (const pad of ['same', 'valid'] as const) {
    cases.push({ x: [3, 9, 7, 4], k: [3, 3], cout: 8, stride, pad });
    cases.push({ x: [1, 6, 11, 8], k: [2, 4], cout: 16, stride, pad });
    cases.push({ x: [5, 5, 5, 12], k: [1, 1], cout: 8, stride, pad });
    cases.push({ x: [2, 10, 9, 4], k: [5, 3], cout: 24, stride, pad });
    // channels beyond groups of four: a grayscale or RGB first layer, and 4 + 2
    cases.push({ x: [3, 8, 7, 1], k: [3, 3], cout: 8, stride, pad });
    cases.push({ x: [2, 9, 9, 3], k: [3, 3], cout: 16, stride, pad });
    cases.push({ x: [2, 5, 6, 6], k: [2, 2], cout: 8, stride, pad });
  }
}
cases.push({ x: [2, 6, 5, 4], k: [3, 3], cout: 8, stride: [1, 1], pad: [[0, 0], [2, 0], [1, 2], [0, 0]] });
cases.push({ x: [2, 6, 5, 4], k: [3, 3], cout: 8, stride: [1, 1], pad: [[0, 0], [4, 1], [0, 3], [0, 0]] });
cases.push({ x: [3, 7, 8, 8], k: [3, 3], cout: 8, stride: [2, 2], pad: [[0, 0], [3, 0], [0, 2], [0, 0]] });

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Every case through the SIMD loop on the current wasm backend, which must run it on `threads` threads. */
export function checkSimdFilterGradient(threads: number): void {
  const simd = simdKernels(tf.backend() as WasmBackend);
  assert.ok(simd, 'the SIMD kernels start on this backend');
  assert.equal(simd.threads, threads);
  cases.forEach((c, i) => {
    const fShape = [c.k[0], c.k[1], c.x[3], c.cout] as [number, number, number, number];
    const dyShape = tf.backend_util.computeConv2DInfo(c.x, fShape, c.stride, 1, c.pad as 'same').outShape;
    const calls: number = simd.calls;
    const r = compareWithCpu(
      'Conv2DBackpropFilter',
      { x: { shape: c.x, values: randomValues(size(c.x), 3 + i) }, dy: { shape: dyShape, values: randomValues(size(dyShape), 71 + i) } },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: fShape } as never,
    );
    const label = `x=${c.x.join('×')} k=${c.k.join('×')} out=${c.cout} s=${c.stride.join(',')} pad=${JSON.stringify(c.pad)}`;
    assert.equal(simd.calls, calls + 1, `${label}: the SIMD loop ran`);
    assert.deepEqual(r.wasm.shape, r.cpu.shape, label);
    assert.ok(r.relErr < 1e-4, `${label}: relative error ${r.relErr}`);
  });
}

/** 2×2 max pooling gradients (windows tiling the input) through the SIMD loop, ties included. */
export function checkSimdMaxPoolGrad(threads: number): void {
  const simd = simdKernels(tf.backend() as WasmBackend);
  assert.ok(simd);
  assert.equal(simd.threads, threads);
  let seed = 5;
  for (const x of [
    [2, 8, 8, 4],
    [3, 6, 10, 8],
    [1, 4, 4, 12],
    [5, 2, 2, 4],
  ] as [number, number, number, number][]) {
    for (const pad of ['valid', 'same'] as const) {
      const info = tf.backend_util.computePool2DInfo(x, 2, 2, 1, pad);
      const values = randomValues(size(x), seed++);
      // Quantized so that windows hold ties (the gradient goes to the first maximum).
      for (let i = 0; i < values.length; i++) values[i] = Math.round(values[i]! * 2) / 2;
      const calls: number = simd.calls;
      const r = compareWithCpu(
        'MaxPoolGrad',
        {
          dy: { shape: info.outShape, values: randomValues(size(info.outShape), seed++) },
          input: { shape: x, values },
          output: { shape: info.outShape, values: new Float32Array(size(info.outShape)) },
        },
        { filterSize: 2, strides: 2, pad },
      );
      const what = `x=${x.join('×')} ${pad}`;
      assert.equal(simd.calls, calls + 1, `${what}: the SIMD loop ran`);
      assert.deepEqual(r.wasm.shape, r.cpu.shape, what);
      assert.ok(r.relErr < 1e-6, `${what}: relative error ${r.relErr}`);
    }
  }
}

/** Conv2D, FusedConv2D (bias, ReLU) and Conv2DBackpropInput (a convolution with the flipped filter) through the SIMD loop. */
export function checkSimdConv2D(threads: number): void {
  const simd = simdKernels(tf.backend() as WasmBackend);
  assert.ok(simd);
  assert.equal(simd.threads, threads);
  let seed = 300;
  const convCases: Array<{ x: [number, number, number, number]; k: [number, number]; cout: number; stride: [number, number]; pad: Pad }> = [
    ...cases,
    { x: [1, 3, 2, 4], k: [3, 3], cout: 8, stride: [1, 1], pad: 'same' }, // narrower than the filter: border pixels only
    { x: [2, 4, 13, 5], k: [1, 3], cout: 8, stride: [1, 1], pad: 'same' }, // interior tiles of four plus leftovers
  ];
  convCases.forEach((c) => {
    const fShape = [c.k[0], c.k[1], c.x[3], c.cout] as [number, number, number, number];
    const label = `x=${c.x.join('×')} k=${c.k.join('×')} out=${c.cout} s=${c.stride.join(',')} pad=${JSON.stringify(c.pad)}`;
    const x = { shape: c.x, values: randomValues(size(c.x), seed++) };
    const filter = { shape: fShape, values: randomValues(size(fShape), seed++) };
    const bias = { shape: [c.cout], values: randomValues(c.cout, seed++) };
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
    for (const [kernel, inputs, extra] of [
      ['Conv2D', { x, filter }, {}],
      ['FusedConv2D', { x, filter, bias }, { activation: 'linear' }],
      ['FusedConv2D', { x, filter, bias }, { activation: 'relu' }],
      ['FusedConv2D', { x, filter }, { activation: 'relu' }],
    ] as const) {
      const calls: number = simd.calls;
      const r = compareWithCpu(kernel, inputs as never, { ...attrs, ...extra } as never);
      const what = `${kernel} ${JSON.stringify(extra)} ${label}`;
      assert.equal(simd.calls, calls + 1, `${what}: the SIMD loop ran`);
      assert.deepEqual(r.wasm.shape, r.cpu.shape, what);
      assert.ok(r.relErr < 1e-5, `${what}: relative error ${r.relErr}`);
    }
  });
  // The input gradient: a convolution with the flipped, transposed filter; output channels = the forward's input channels.
  for (const c of [
    { x: [3, 9, 7, 8], k: [3, 3], cout: 4, stride: [1, 1], pad: 'same' },
    { x: [2, 8, 8, 16], k: [3, 3], cout: 5, stride: [2, 2], pad: 'same' },
    { x: [2, 7, 6, 8], k: [2, 3], cout: 3, stride: [1, 1], pad: 'valid' },
  ] as const) {
    const fShape = [c.k[0], c.k[1], c.x[3], c.cout] as [number, number, number, number];
    const dyShape = tf.backend_util.computeConv2DInfo([...c.x], fShape, [...c.stride] as [number, number], 1, c.pad).outShape;
    const calls: number = simd.calls;
    const r = compareWithCpu(
      'Conv2DBackpropInput',
      { dy: { shape: dyShape, values: randomValues(size(dyShape), seed++) }, filter: { shape: fShape, values: randomValues(size(fShape), seed++) } },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x } as never,
    );
    const what = `Conv2DBackpropInput x=${c.x.join('×')} s=${c.stride.join(',')} ${c.pad}`;
    assert.equal(simd.calls, calls + 1, `${what}: the SIMD loop ran`);
    assert.ok(r.relErr < 1e-5, `${what}: relative error ${r.relErr}`);
  }
}

/** Relu's gradient through ModelLensReluGrad (the SIMD loop) equals TF.js's own on cpu, NaN and 0 included. */
export function checkSimdReluGrad(threads: number): void {
  const simd = simdKernels(tf.backend() as WasmBackend);
  assert.ok(simd);
  assert.equal(simd.threads, threads);
  for (const n of [1, 3, 4, 7, 1000, 100_003]) {
    const xs = randomValues(n, n);
    for (let i = 0; i < n; i += 7) xs[i] = 0; // the kink: gradient 0, as TF.js's step(0) = 0
    if (n > 5) xs[5] = NaN;
    const dys = randomValues(n, n + 1);
    const grad = (backend: string) => {
      tf.setBackend(backend);
      return tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(xs, [n]), tf.tensor(dys, [n])).dataSync()));
    };
    const calls: number = simd.calls;
    const wasm = grad('wasm');
    assert.equal(simd.calls, calls + 1, `n=${n}: the SIMD loop ran`);
    const cpu = grad('cpu');
    tf.setBackend('wasm');
    assert.deepEqual(wasm, cpu, `n=${n}`);
  }
}
