// BatchNormalization as Keras documents it (keras.io/api/layers/normalization_layers/batch_normalization):
// in training it normalizes with the batch's mean and variance and updates
//   moving_mean = moving_mean * momentum + mean(batch) * (1 - momentum)
//   moving_var  = moving_var  * momentum + var(batch)  * (1 - momentum)
// from 0 and 1 (its initializers); at inference it returns
//   gamma * (batch - moving_mean) / sqrt(moving_var + epsilon) + beta.
// The expected numbers below are that rule worked by hand. A frozen BatchNormalization (trainable=False
// on it or on a model around it) runs in inference mode even in fit() and keeps its statistics (same
// page, "About setting layer.trainable = False"). And the warning that explains a low validation/test
// accuracy after few steps (Keras gives the same figures), said once, in the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { readModel } from '../../../src/core/read-model';
import { batchNormWarmup, stepsToSettle } from '../../../src/core/train/batch-norm-warmup';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { loadDataset } from '../../../src/worker/data/datasets';
import { runTraining } from '../../../src/worker/train';
import { batchNormFrozenLikeKeras } from '../../../src/worker/frozen-batch-norm';
import { readRunRecord } from '../../../src/core/run/store';
import { validateRunRecord } from '../../../src/core/run/validate-record';
import { tf } from '../../../src/worker/tf';
import { npyBytes } from '../data/make-data';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-bn-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.before(async () => {
  await initBackend('wasm');
});

const read = (src: string) => {
  const r = readModel('m.py', `import keras\nfrom keras import layers\n${src}\n`);
  return r.models[0]!;
};

test('a training step moves the moving mean and variance by Keras’s rule; inference normalizes with them', async () => {
  const built = await buildModel(
    read(`inputs = keras.Input(shape=(1,))
x = layers.BatchNormalization(name='bn')(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='sgd', loss='mse')`),
    { inputScale: 1 },
  );
  const bn = built.model.getLayer('bn');
  // A batch of 1 and 5: mean 3, variance (biased, as Keras 3's moments) 4.
  const x = tf.tensor2d([[1], [5]]);
  const y = tf.tensor2d([[0], [0]]);
  await built.model.trainOnBatch(x, y);
  const [gamma, beta, movingMean, movingVar] = bn.getWeights().map((w) => w.dataSync()[0]!);
  assert.ok(Math.abs(movingMean! - 0.03) < 1e-6, `moving mean 0·0.99 + 3·0.01 = 0.03, got ${movingMean}`);
  assert.ok(Math.abs(movingVar! - 1.03) < 1e-6, `moving variance 1·0.99 + 4·0.01 = 1.03, got ${movingVar}`);
  // Inference (training=false, Keras's default): the moving statistics, not the batch's.
  const out = (bn.apply(tf.tensor2d([[1]])) as Tensor).dataSync()[0]!;
  const want = (gamma! * (1 - 0.03)) / Math.sqrt(1.03 + 0.001) + beta!;
  assert.ok(Math.abs(out - want) < 1e-5, `inference ${out}, by the rule ${want}`);
  // Training mode: the batch's own statistics (1 is one standard deviation below the mean 3).
  const trainOut = (bn.apply(x, { training: true }) as Tensor).dataSync()[0]!;
  assert.ok(Math.abs(trainOut - (gamma! * (1 - 3)) / Math.sqrt(4 + 0.001) - beta!) < 1e-5, `training ${trainOut}`);
  tf.dispose([x, y]);
  built.model.dispose();
});

test('a frozen BatchNormalization trains in inference mode: its statistics stay, it normalizes with them', async () => {
  const built = await buildModel(
    read(`inputs = keras.Input(shape=(1,))
bn = layers.BatchNormalization(name='bn')
bn.trainable = False
x = bn(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='sgd', loss='mse')`),
    { inputScale: 1 },
  );
  const bn = built.model.getLayer('bn');
  const x = tf.tensor2d([[1], [5]]);
  await built.model.trainOnBatch(x, tf.tensor2d([[0], [0]]));
  assert.deepEqual(bn.getWeights().map((w) => w.dataSync()[0]), [1, 0, 0, 1], 'gamma, beta, moving mean and variance as initialized');
  // In a training call too: (x − 0) / sqrt(1 + 0.001), not the batch's (x − 3) / 2.
  const out = Array.from((bn.apply(x, { training: true }) as Tensor).dataSync());
  assert.ok(Math.abs(out[0]! - 1 / Math.sqrt(1.001)) < 1e-5 && Math.abs(out[1]! - 5 / Math.sqrt(1.001)) < 1e-5, `${out}`);
  built.model.dispose();
});

test('a BatchNormalization inside a frozen model (a fine-tuned base) keeps its statistics; thawed, it updates them', async () => {
  const tfl = await import('@tensorflow/tfjs-layers');
  const base = tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [1], name: 'inner_bn' })] });
  const input = tfl.input({ shape: [1] });
  const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 1 }).apply(base.apply(input)) as never });
  assert.equal(batchNormFrozenLikeKeras(model), 1);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const bn = base.getLayer('inner_bn');
  base.trainable = false;
  await model.trainOnBatch(tf.tensor2d([[1], [5]]), tf.tensor2d([[0], [0]]));
  assert.deepEqual(bn.getWeights().slice(2).map((w) => w.dataSync()[0]), [0, 1]);
  base.trainable = true;
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await model.trainOnBatch(tf.tensor2d([[1], [5]]), tf.tensor2d([[0], [0]]));
  const [mean, variance] = bn.getWeights().slice(2).map((w) => w.dataSync()[0]!);
  assert.ok(Math.abs(mean! - 0.03) < 1e-6 && Math.abs(variance! - 1.03) < 1e-6, `${mean}, ${variance}`);
  model.dispose();
});

test('the warning: moving statistics still holding more than 1% of their starting values are named, with the steps they need', () => {
  const ir = read(`inputs = keras.Input(shape=(4,))
x = layers.BatchNormalization()(inputs)
x = layers.BatchNormalization(momentum=0.9)(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)`);
  // 0.99^30 = 0.7397: 74% left; 0.99^459 < 0.01 ≤ 0.99^458.
  assert.equal(stepsToSettle(0.99), 459);
  assert.equal(stepsToSettle(0.9), 44);
  const w = batchNormWarmup(ir, 30);
  assert.match(w ?? '', /batch_normalization and 1 more/);
  assert.match(w ?? '', /after 30 training steps at momentum 0\.99/);
  assert.match(w ?? '', /still hold 74% of their starting values/);
  assert.match(w ?? '', /Train at least 459 steps/);
  // After 100 steps the 0.9 layer has settled (0.9^100 ≈ 3e-5), the 0.99 one has not (37%).
  assert.match(batchNormWarmup(ir, 100) ?? '', /\(batch_normalization\).*37%/);
  assert.equal(batchNormWarmup(ir, 459), undefined);
  // Frozen layers never update their statistics in Keras (inference mode even in fit): no advice to train longer.
  const frozen = read(`inputs = keras.Input(shape=(4,))\nbn = layers.BatchNormalization()\nbn.trainable = False\nx = bn(inputs)\noutputs = layers.Dense(2)(x)\nmodel = keras.Model(inputs, outputs)`);
  assert.equal(frozen.layers[1]!.trainableParams, 0);
  assert.equal(batchNormWarmup(frozen, 3), undefined);
  assert.equal(batchNormWarmup(read(`inputs = keras.Input(shape=(4,))\noutputs = layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, outputs)`), 1), undefined);
});

test('a run with few steps says so once, before its first validation result; a long enough run says nothing', async () => {
  const n = 64;
  const xs = new Float32Array(n * 4);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ys[i] = i % 2;
    for (let j = 0; j < 4; j++) xs[i * 4 + j] = (ys[i] ? 1 : -1) + ((i * 7 + j * 3) % 5) / 10;
  }
  const file = path.join(tmp, 'tab.npz');
  fs.writeFileSync(file, zipSync({ 'x.npy': npyBytes('<f4', [n, 4], xs), 'y.npy': npyBytes('<i4', [n], ys) }));
  const src = (momentum: number) => `inputs = keras.Input(shape=(4,))
x = layers.BatchNormalization(momentum=${momentum})(inputs)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])`;
  const run = async (momentum: number, id: string) => {
    const logs: { level: string; message: string }[] = [];
    const events: string[] = [];
    const record = await runTraining({
      built: await buildModel(read(src(momentum)), { inputScale: 1 }),
      dataset: loadDataset(file),
      runId: id,
      runDir: path.join(tmp, id),
      modelFile: '/m.py',
      modelHash: 'h',
      settings: { epochs: 2, batchSize: 8, dataset: file, seed: 1, validationSplit: 0.25 },
      backend: { backend: 'wasm', reason: 'test' },
      emit: ((kind: string, data: { level: string; message: string }) => {
        if (kind === 'log') logs.push(data);
        events.push(kind === 'log' && data.level === 'warn' ? 'warn' : kind);
      }) as never,
      isCancelled: () => false,
    });
    return { warnings: logs.filter((l) => l.level === 'warn' && /BatchNormalization/.test(l.message)), events, record };
  };
  // 64 samples: the .npz's last 12 held out for testing, a quarter of the other 52 for validation,
  // 39 trained in batches of 8 = 5 steps per epoch: 0.99^5 = 95% left at the first validation.
  const slow = await run(0.99, 'slow');
  assert.equal(slow.warnings.length, 1);
  assert.match(slow.warnings[0]!.message, /after 5 training steps at momentum 0\.99.*95%/);
  assert.ok(slow.events.indexOf('warn') < slow.events.indexOf('epoch'), 'said before the first epoch result');
  // Kept with the run (the panel shows it under the run), the same words.
  assert.deepEqual(slow.record.warnings, [slow.warnings[0]!.message]);
  assert.deepEqual(readRunRecord(path.join(tmp, 'slow'))?.warnings, slow.record.warnings, 'run.json keeps it');
  const onDisk = JSON.parse(fs.readFileSync(path.join(tmp, 'slow', 'run.json'), 'utf8')) as Record<string, unknown>;
  assert.throws(() => validateRunRecord({ ...onDisk, warnings: [42] }, 'run.json'), /'warnings\[0\]' must be text/);
  const model = onDisk['model'] as { layers: Record<string, unknown>[] };
  const odd = { ...onDisk, model: { ...model, layers: model.layers.map((l, i) => (i === 1 ? { ...l, callTraining: 'yes' } : l)) } };
  assert.throws(() => validateRunRecord(odd, 'run.json'), /'model.layers\[1\].callTraining' must be true or false/);
  // momentum 0.1: 0.1^5 = 1e-5 left.
  const fast = await run(0.1, 'fast');
  assert.equal(fast.warnings.length, 0);
  assert.equal(fast.record.warnings, undefined);
});
