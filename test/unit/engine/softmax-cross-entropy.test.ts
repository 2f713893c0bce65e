// The softmax cross-entropy the engine trains with: Keras's value, and Keras's logits gradient
// p − y even for samples the model is confidently wrong about (where TF.js's clipped loss gives 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { endsInSoftmax, softmaxCrossEntropy } from '../../../src/worker/softmax-cross-entropy';
import { tf } from '../../../src/worker/tf';
import type { Tensor } from '@tensorflow/tfjs-core';
import { sparseCategoricalCrossentropy } from '@tensorflow/tfjs-layers/dist/losses';
import { basicCnn, chain, tinyDense } from './fixtures';

test.before(async () => {
  await initBackend('auto');
});

const logitsValues = [
  [2, 1, 0.5], // label 0: likely
  [0, 3, -1], // label 2: unlikely
  [30, 0, 0], // label 1: p ≈ 1e-13, far below the 1e-7 clip
];
const labels = [0, 2, 1];
const oneHot = () => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), 'float32');

const softmaxCE = softmaxCrossEntropy();

function gradOnLogits(loss: (yTrue: Tensor, yPred: Tensor) => Tensor): number[][] {
  const y = loss === softmaxCE ? oneHot() : tf.tensor1d(labels, 'float32');
  const g = tf.grad((z: Tensor) => tf.mean(loss(y, tf.softmax(z))))(tf.tensor2d(logitsValues));
  return g.arraySync() as number[][];
}

test('its gradient on the logits is (p − y) / N, as Keras computes it from the logits', () => {
  const p = tf.softmax(tf.tensor2d(logitsValues)).arraySync() as number[][];
  const g = gradOnLogits(softmaxCE);
  for (let i = 0; i < 3; i++) {
    for (let c = 0; c < 3; c++) {
      const want = (p[i]![c]! - (labels[i] === c ? 1 : 0)) / 3;
      assert.ok(Math.abs(g[i]![c]! - want) < 1e-5, `sample ${i} class ${c}: ${g[i]![c]} vs ${want}`);
    }
  }
  // TF.js's own loss clips p at 1e-7: the confidently wrong sample teaches nothing.
  const clipped = gradOnLogits((yt, yp) => sparseCategoricalCrossentropy(yt, yp));
  assert.ok(clipped[2]!.every((v) => Math.abs(v) < 1e-9), `clipped gradient ${clipped[2]}`);
  assert.ok(Math.abs(g[2]![0]! - 1 / 3) < 1e-5);
});

test('its value is the clipped cross-entropy Keras reports, one per sample', () => {
  const p = tf.softmax(tf.tensor2d(logitsValues));
  const ours = softmaxCE(oneHot(), p).arraySync() as number[];
  const theirs = sparseCategoricalCrossentropy(tf.tensor1d(labels, 'float32'), p).arraySync() as number[];
  assert.equal(ours.length, 3);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(ours[i]! - theirs[i]!) < 1e-5, `${ours[i]} vs ${theirs[i]}`);
  assert.ok(Math.abs(ours[2]! + Math.log(1e-7)) < 1e-3, 'the confidently wrong sample costs −log(1e-7)');
});

test('the reference model, ending in Activation("softmax"), is recognized and trains with it', async () => {
  const built = await buildModel(basicCnn());
  assert.equal(endsInSoftmax(built.model), true);
  assert.equal(built.labels, 'one-hot', 'labels are fed one-hot to the custom loss');
  // Eight easy classes: a bright 7×7 block at a different place in each image.
  const pixels = new Float32Array(8 * 28 * 28);
  for (let i = 0; i < 8; i++) {
    const top = (i >> 2) * 14 + 3;
    const left = (i & 3) * 7;
    for (let r = top; r < top + 7; r++) for (let c = left; c < left + 7; c++) pixels[i * 784 + r * 28 + c] = 1;
  }
  const x = tf.tensor4d(pixels, [8, 28, 28, 1]);
  const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10), 'float32');
  // Dropout makes single steps noisy: compare the first and the last few of 25 steps on one batch.
  const losses: number[] = [];
  for (let i = 0; i < 25; i++) {
    const [loss, acc] = (await built.model.trainOnBatch(x, y)) as number[];
    assert.ok(Number.isFinite(loss) && loss! > 0, `loss ${loss}`);
    assert.ok(acc! >= 0 && acc! <= 1, `accuracy ${acc}`);
    losses.push(loss!);
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const first = mean(losses.slice(0, 5));
  const last = mean(losses.slice(-5));
  assert.ok(last < 0.8 * first, `loss went down on one repeated batch: ${first} → ${last}`);
  tf.dispose([x, y]);
  built.model.dispose();
});

test('a logits model (from_logits=True, sparse labels) and a Dense softmax model both train', async () => {
  const logits = chain('logits', [['flatten', 'Flatten', {}], ['out', 'Dense', { units: 10 }]], [28, 28, 1], { loss: 'sparse_categorical_crossentropy', fromLogits: true });
  const dense = tinyDense(); // ends in Dense(10, activation='softmax')
  for (const ir of [logits, dense]) {
    const built = await buildModel(ir);
    assert.equal(endsInSoftmax(built.model), ir === dense, ir.name);
    assert.equal(built.labels, 'one-hot', ir.name);
    const x = tf.randomUniform([6, 28, 28, 1]);
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32'), 10), 'float32');
    const first = ((await built.model.trainOnBatch(x, y)) as number[])[0]!;
    let last = first;
    for (let i = 0; i < 5; i++) last = ((await built.model.trainOnBatch(x, y)) as number[])[0]!;
    assert.ok(Number.isFinite(first) && last < first, `${ir.name}: loss ${first} → ${last}`);
    tf.dispose([x, y]);
    built.model.dispose();
  }
});
