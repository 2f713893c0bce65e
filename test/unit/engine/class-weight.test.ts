/**
 * fit(class_weight=…) as Keras applies it: each training sample's loss is multiplied by the weight
 * of its class (classes missing from the dict weigh 1 — keras/src/trainers/data_adapters/
 * data_adapter_utils.py, class_weight_to_sample_weights) and the batch loss is
 * sum(w·loss) / batch size (keras/src/losses/loss.py, reduction "sum_over_batch_size", Keras's
 * default). Evaluation (validation, test) is not weighted. Expected values are computed here from
 * the model's own predictions with that formula.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/worker/backend';
import { buildModel, compile } from '../../../src/worker/build-model';
import { tf } from '../../../src/worker/tf';
import { chain, tinyDense } from './fixtures';

test.before(async () => {
  await initBackend('cpu');
});

function inputs(n: number): import('@tensorflow/tfjs-core').Tensor {
  return tf.tensor(Float32Array.from({ length: n * 784 }, (_, i) => ((i * 7919) % 255) / 255), [n, 28, 28, 1]);
}

test('softmax cross-entropy: the batch loss is sum(w · −log p[label]) / N; evaluation stays unweighted', async () => {
  const ir = tinyDense();
  ir.training = { optimizer: { name: 'SGD', learningRate: 0 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };
  const built = await buildModel(ir);
  built.classWeight = { '0': 1, '1': 3, '7': 0.5 };
  compile(built, ir.training);
  const labels = [0, 1, 1, 2, 7];
  const x = inputs(labels.length);
  const p = (built.model.predict(x) as import('@tensorflow/tfjs-core').Tensor).arraySync() as number[][];
  const w = labels.map((l) => built.classWeight![String(l)] ?? 1);
  const ce = labels.map((l, i) => -Math.log(Math.min(Math.max(p[i]![l]!, 1e-7), 1 - 1e-7)));
  const weighted = ce.reduce((s, c, i) => s + c * w[i]!, 0) / labels.length;
  const plain = ce.reduce((s, c) => s + c, 0) / labels.length;
  assert.ok(Math.abs(weighted - plain) > 0.1, 'the weights change the loss in this test');
  assert.equal(built.labels, 'one-hot');
  const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32');
  built.batchWeights = tf.tensor1d(w);
  const [loss] = (await built.model.trainOnBatch(x, y)) as number[];
  built.batchWeights = null;
  assert.ok(Math.abs(loss! - weighted) < 1e-4, `trained loss ${loss} vs ${weighted}`);
  const ev = built.model.evaluate(x, y) as import('@tensorflow/tfjs-core').Scalar[];
  const evLoss = (await ev[0]!.data())[0]!;
  assert.ok(Math.abs(evLoss - plain) < 1e-4, `evaluation ${evLoss} vs unweighted ${plain}`);
});

test('mse: per-sample squared error times the weight of the sample\'s class', async () => {
  const ir = chain('reg', [['flatten', 'Flatten', {}], ['out', 'Dense', { units: 1 }]], [28, 28, 1], { optimizer: { name: 'SGD', learningRate: 0 }, loss: 'mse', metrics: [] });
  const built = await buildModel(ir);
  built.classWeight = { '1': 4 };
  compile(built, ir.training);
  const labels = [0, 1, 1, 0];
  const x = inputs(4);
  const p = (built.model.predict(x) as import('@tensorflow/tfjs-core').Tensor).arraySync() as number[][];
  const w = labels.map((l) => (l === 1 ? 4 : 1));
  const want = labels.reduce((s, l, i) => s + w[i]! * (l - p[i]![0]!) ** 2, 0) / 4;
  built.batchWeights = tf.tensor1d(w);
  const out = await built.model.trainOnBatch(x, tf.tensor2d(labels.map((l) => [l])));
  built.batchWeights = null;
  const loss = Array.isArray(out) ? out[0]! : out;
  assert.ok(Math.abs(loss - want) < 1e-4 * Math.max(1, want), `${loss} vs ${want}`);
});
