// The SIMD kernels on the threaded build: the batch split over two threads (partial sums added for the filter gradient).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupWasmBackend } from '../../../src/worker/kernels/threaded-backend';
import { checkSimdConv2D, checkSimdFilterGradient, checkSimdMaxPoolGrad } from './simd-cases';

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
