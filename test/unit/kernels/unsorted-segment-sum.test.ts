// UnsortedSegmentSum (the gradient of Gather/Embedding) on wasm matches the cpu backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { randomValues, setupWasm } from './compare';

function run(backend: string, x: Float32Array, shape: number[], ids: number[], n: number): { shape: number[]; values: number[] } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const r = tf.unsortedSegmentSum(tf.tensor(x, shape), tf.tensor1d(ids, 'int32'), n);
    return { shape: r.shape, values: Array.from(r.dataSync()) };
  });
}

test('UnsortedSegmentSum on wasm equals the cpu result (repeated, missing and out-of-range ids)', async () => {
  await setupWasm();
  const ids = [3, 0, 3, 7, 1, 3, -1, 9];
  const x = randomValues(8 * 5, 11);
  const wasm = run('wasm', x, [8, 5], ids, 8);
  const cpu = run('cpu', x, [8, 5], ids, 8);
  tf.setBackend('wasm');
  assert.deepEqual(wasm.shape, [8, 5]);
  assert.deepEqual(wasm.shape, cpu.shape);
  for (let i = 0; i < cpu.values.length; i++) assert.ok(Math.abs(wasm.values[i]! - cpu.values[i]!) < 1e-6, `value ${i}`);
});

test("Embedding's gradient runs on wasm and equals the cpu gradient", async () => {
  await setupWasm();
  const table = randomValues(6 * 3, 5);
  const grad = (backend: string) => {
    tf.setBackend(backend);
    return tf.tidy(() => {
      const w = tf.tensor(table, [6, 3]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor2d([[1, 4, 1], [5, 0, 1]], [2, 3], 'int32')), tf.range(1, 4))))(w);
      return Array.from(g.dataSync());
    });
  };
  const w = grad('wasm');
  const c = grad('cpu');
  tf.setBackend('wasm');
  assert.deepEqual(w, c);
  // Row 1 is looked up three times: its gradient is 3·(1, 2, 3).
  assert.deepEqual(w.slice(3, 6), [3, 6, 9]);
});
