// Identity on wasm shares the input's memory (no copy) safely: the result outlives the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupWasm } from './compare';

test('Identity on wasm shares memory: the result keeps its values after the input is disposed', async () => {
  await setupWasm();
  const before = tf.backend().numDataIds();
  const x = tf.tensor([1, 2, 3, 4], [2, 2]);
  const y = tf.clone(x); // the Identity kernel
  assert.equal(tf.backend().numDataIds(), before + 1, 'no copy was made');
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1, 2, 3, 4]);
  const z = tf.add(y, 1);
  assert.deepEqual([...z.dataSync()], [2, 3, 4, 5]);
  tf.dispose([y, z]);
  assert.equal(tf.backend().numDataIds(), before, 'memory freed once both are gone');
});

test('Cast on wasm to the same dtype shares memory; to int32 and bool (x ≠ 0, also for −2 and 256) it converts as cpu does', async () => {
  await setupWasm();
  const before = tf.backend().numDataIds();
  const x = tf.tensor([1.5, -2, 3, 0, 256, 0.25], [2, 3]);
  const y = tf.cast(x, 'float32');
  assert.equal(tf.backend().numDataIds(), before + 1, 'no copy was made');
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1.5, -2, 3, 0, 256, 0.25]);
  for (const dtype of ['int32', 'bool'] as const) {
    const z = tf.cast(y, dtype);
    tf.setBackend('cpu');
    const expected = tf.tidy(() => [...tf.cast(tf.tensor([1.5, -2, 3, 0, 256, 0.25], [2, 3]), dtype).dataSync()]);
    tf.setBackend('wasm');
    assert.equal(z.dtype, dtype);
    assert.deepEqual([...z.dataSync()], expected, `float32 → ${dtype}`);
    const back = tf.cast(z, 'float32');
    assert.deepEqual([...back.dataSync()], expected, `${dtype} → float32`);
    tf.dispose([z, back]);
  }
  y.dispose();
  assert.equal(tf.backend().numDataIds(), before, 'memory freed once all are gone');
});
