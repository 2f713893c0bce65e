// The threaded wasm build starts under Node worker_threads with 2 threads, runs the training
// kernels with results equal to the cpu backend's, and shuts its threads down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setupWasmBackend } from '../../../src/worker/kernels/threaded-backend';
import { compareWithCpu, randomValues } from './compare';

test('threaded wasm backend: 2 threads, conv gradients match cpu, threads stop on removal', async () => {
  const setup = await setupWasmBackend({ threads: 2 });
  try {
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(setup.threads, 2, setup.detail);
    assert.match(setup.detail, /threaded/);
    const x = [4, 16, 16, 8];
    const dy = [4, 16, 16, 16];
    const f = [3, 3, 8, 16];
    const filter = compareWithCpu(
      'Conv2DBackpropFilter',
      { x: { shape: x, values: randomValues(4 * 16 * 16 * 8, 1) }, dy: { shape: dy, values: randomValues(4 * 16 * 16 * 16, 2) } },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f },
    );
    assert.ok(filter.relErr < 1e-4, `filter gradient relative error ${filter.relErr}`);
    const input = compareWithCpu(
      'Conv2DBackpropInput',
      { dy: { shape: dy, values: randomValues(4 * 16 * 16 * 16, 3) }, filter: { shape: f, values: randomValues(3 * 3 * 8 * 16, 4) } },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x },
    );
    assert.ok(input.relErr < 1e-4, `input gradient relative error ${input.relErr}`);
  } finally {
    // Disposing the backend terminates its worker threads, so this process can exit.
    tf.removeBackend('wasm');
  }
});
