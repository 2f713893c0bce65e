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
