// The SIMD kernels on the threaded build: the batch split over two threads (partial sums added for the filter gradient).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupWasmBackend } from '../../../src/worker/kernels/threaded-backend';
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelSettings } from '../../../src/worker/kernels/simd/simd-kernels';
import { randomValues } from './compare';
import { checkSimdConv2D, checkSimdFilterGradient, checkSimdMaxPoolGrad, checkSimdReluGrad } from './simd-cases';

test('Conv2DBackpropFilter by the SIMD loop on two threads matches cpu', async () => {
  const setup = await setupWasmBackend({ threads: 2 });
  assert.equal(setup.threads, 2, setup.detail);
  checkSimdFilterGradient(2);
});

test('MaxPoolGrad by the SIMD loop on two threads matches cpu', async () => {
  await setupWasmBackend({ threads: 2 });
  checkSimdMaxPoolGrad(2);
});

test('Conv2D, FusedConv2D and Conv2DBackpropInput by the SIMD loop on two threads match cpu', async () => {
  await setupWasmBackend({ threads: 2 });
  checkSimdConv2D(2);
});

test('the SIMD filter gradient is the same to the bit on one thread and on two (partial sums by chunk, added in order)', async () => {
  await setupWasmBackend({ threads: 2 });
  const x = tf.tensor(randomValues(37 * 12 * 12 * 8, 1), [37, 12, 12, 8]);
  const dy = tf.tensor(randomValues(37 * 12 * 12 * 16, 2), [37, 12, 12, 16]);
  const grad = () => Array.from((tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 8, 16] } as never) as tf.Tensor).dataSync());
  try {
    const two = [grad(), grad(), grad()];
    simdKernelSettings.threads = 1;
    const one = grad();
    for (const g of two) assert.deepEqual(g, one);
  } finally {
    delete simdKernelSettings.threads;
  }
});

test('Relu\'s gradient by the SIMD loop on two threads equals TF.js\'s on cpu', async () => {
  await setupWasmBackend({ threads: 2 });
  checkSimdReluGrad(2);
});
