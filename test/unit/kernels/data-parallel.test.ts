// Data-parallel training (caller's thread + one replica thread) computes the same update as
// LayersModel.trainOnBatch on the whole batch, and trains a small CNN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DataParallelTrainer } from '../../../src/worker/parallel/data-parallel';
import { randomValues, setupWasm } from './compare';

function smallCnn(seed: number): tfl.LayersModel {
  const L = tfl.layers;
  const init = { kernelInitializer: tfl.initializers.glorotUniform({ seed }) };
  const model = tfl.sequential({
    layers: [
      L.conv2d({ inputShape: [10, 10, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', ...init }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 3, activation: 'softmax', ...init }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('data-parallel step equals the whole-batch step; a small CNN trains', async () => {
  await setupWasm();
  const n = 24;
  const x = tf.tensor4d(randomValues(n * 100, 9), [n, 10, 10, 1]);
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'float32');
  const reference = smallCnn(1);
  const model = smallCnn(1);
  model.setWeights(reference.getWeights());
  const trainer = await DataParallelTrainer.start(model);
  try {
    assert.match(trainer.replicaBackend, /wasm/);
    const expected = (await reference.trainOnBatch(x, y)) as number[];
    const got = await trainer.trainOnBatch(x, y);
    assert.ok(Math.abs(got[0]! - expected[0]!) < 1e-4, `loss ${got[0]} vs ${expected[0]}`);
    assert.ok(Math.abs(got[1]! - expected[1]!) < 1e-4, `accuracy ${got[1]} vs ${expected[1]}`);
    const a = reference.getWeights();
    const b = model.getWeights();
    for (let i = 0; i < a.length; i++) {
      const diff = tf.max(tf.abs(tf.sub(a[i]!, b[i]!))).dataSync()[0]!;
      assert.ok(diff < 1e-4, `weight ${i} differs by ${diff} after one step`);
    }
    const losses: number[] = [];
    for (let s = 0; s < 15; s++) losses.push((await trainer.trainOnBatch(x, y))[0]!);
    assert.ok(losses.at(-1)! < losses[0]! * 0.7, `loss goes down: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  } finally {
    await trainer.stop();
  }
});
