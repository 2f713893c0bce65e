/**
 * `model-lens train` honours fit() as written: validation_data=(x_test, y_test), shuffle=False,
 * class_weight, ReduceLROnPlateau, LearningRateScheduler and a keras.optimizers.schedules learning
 * rate; the rate used each epoch is in the epoch lines, --json and run.json. The per-step rates
 * expected come from Keras's documented formula (initial · rate^(step / decay_steps), step = the
 * optimizer's iteration count before the update).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { trainCommand } from '../../../src/cli/train';
import { readRun } from '../../../src/core/run/store';
import { zipSync } from 'fflate';
import { npyBytes } from '../data/make-data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-fit-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const model = (compileOpt: string, fit: string, before = '') => `import math
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
x_test = x_test / 255.0
${before}
model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(16, activation="relu"), layers.Dense(10, activation="softmax")], name="tiny")
model.compile(optimizer=${compileOpt}, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(${fit})
`;

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 100 };
}

async function train(name: string, text: string, extra: string[] = []): Promise<{ code: number; io: ReturnType<typeof capture>; dir: string }> {
  const file = path.join(tmp, `${name}.py`);
  fs.writeFileSync(file, text);
  const dir = path.join(tmp, `run-${name}`);
  const io = capture();
  const code = await trainCommand([file, '--limit', '320', '--test-limit', '200', '--save', dir, '--seed', '3', '--backend', 'cpu', ...extra], io);
  return { code, io, dir };
}

test('validation_data, shuffle, class_weight and ReduceLROnPlateau from the file', async () => {
  const fit = 'x_train, y_train, batch_size=32, epochs=3, shuffle=False, validation_data=(x_test, y_test), class_weight={0: 1.0, 1: 2.0}, callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, min_delta=100)]';
  const { code, io, dir } = await train('plateau', model('keras.optimizers.SGD(learning_rate=0.05)', fit), ['--json']);
  assert.equal(code, 0, io.errors.join('\n'));
  const events = io.lines.map((l) => JSON.parse(l) as Record<string, number | string>);
  const epochs = events.filter((e) => e.event === 'epoch');
  // min_delta=100: only epoch 1 improves; the rate halves after epoch 2 (patience 1), and again after epoch 3.
  // Rates as Keras logs them: the value of its float32 variable.
  assert.deepEqual(epochs.map((e) => e.lr), [0.05, 0.05, 0.025].map(Math.fround));
  const done = events.at(-1)!;
  // validation_data is the test split: the last epoch's validation is the final test evaluation.
  assert.ok(Math.abs((epochs[2]!.valLoss as number) - (done.testLoss as number)) < 1e-6, `${epochs[2]!.valLoss} vs ${done.testLoss}`);
  const { record } = readRun(dir);
  assert.ok(record);
  assert.equal(record.settings.validationData, 'test');
  assert.equal(record.settings.shuffle, false);
  assert.deepEqual(record.settings.classWeight, { '0': 1, '1': 2 });
  assert.equal(record.settings.callbacks?.[0]?.type, 'ReduceLROnPlateau');
  assert.deepEqual(record.epochs.map((e) => e.lr), [0.05, 0.05, 0.025].map(Math.fround));
});

test('LearningRateScheduler: the epoch lines show the rate the schedule gave', async () => {
  const before = 'def schedule(epoch, lr):\n    return 0.1 * math.pow(0.5, epoch)\n';
  const { code, io } = await train('scheduler', model('"sgd"', 'x_train, y_train, epochs=3, callbacks=[keras.callbacks.LearningRateScheduler(schedule)]', before));
  assert.equal(code, 0, io.errors.join('\n'));
  const lines = io.lines.filter((l) => /^epoch \d\/3:/.test(l));
  assert.deepEqual(lines.map((l) => /lr ([\d.e-]+)/.exec(l)?.[1]), ['0.1', '0.05', '0.025']);
});

test('an ExponentialDecay learning rate is applied per step', async () => {
  const opt = 'keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5))';
  const { code, io, dir } = await train('decay', model(opt, 'x_train, y_train, batch_size=32, epochs=2'));
  assert.equal(code, 0, io.errors.join('\n'));
  const { record } = readRun(dir);
  // 320 samples, batch 32: 10 steps per epoch; the last step of epoch 1 is iteration 9, of epoch 2 iteration 19.
  const want = [0.1 * Math.pow(0.5, 9 / 10), 0.1 * Math.pow(0.5, 19 / 10)];
  record!.epochs.forEach((e, i) => assert.ok(Math.abs(e.lr! - want[i]!) < 1e-7, `epoch ${i + 1}: ${e.lr} vs ${want[i]}`));
  assert.equal(record!.settings.lrSchedule?.type, 'ExponentialDecay');
  // --lr cannot replace a schedule: said, not ignored.
  const again = await train('decay', model(opt, 'x_train, y_train'), ['--lr', '0.01']);
  assert.equal(again.code, 2);
  assert.match(again.io.errors.join('\n'), /--lr cannot replace the file's ExponentialDecay learning-rate schedule/);
});

test('fit arguments that cannot be worked out stop training with the file and line', async () => {
  const { code, io } = await train('bad', model('"adam"', 'x_train, y_train, class_weight=weights', 'weights = compute_weights(y_train)'));
  assert.equal(code, 1);
  assert.match(io.errors.join('\n'), /bad\.py:12:\d+: .*cannot work out class_weight/);
});

test('an .npz loaded in the file is the dataset, and its x_test/y_test the validation_data', async () => {
  const n = (count: number, seed: number) => Uint8Array.from({ length: count * 784 }, (_, i) => ((i * 2654435761 + seed) >>> 24) & 0xff);
  fs.writeFileSync(
    path.join(tmp, 'small.npz'),
    zipSync({
      'x_train.npy': npyBytes('|u1', [64, 28, 28], n(64, 1)),
      'y_train.npy': npyBytes('|u1', [64], Uint8Array.from({ length: 64 }, (_, i) => i % 10)),
      'x_test.npy': npyBytes('|u1', [40, 28, 28], n(40, 2)),
      'y_test.npy': npyBytes('|u1', [40], Uint8Array.from({ length: 40 }, (_, i) => (i * 3) % 10)),
    }),
  );
  const text = `import numpy as np
from tensorflow import keras
d = np.load("small.npz")
x_train, y_train = d["x_train"] / 255.0, d["y_train"]
x_test, y_test = d["x_test"] / 255.0, d["y_test"]
model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")], name="npz_model")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=16, epochs=2, validation_data=(x_test, y_test))
`;
  const file = path.join(tmp, 'npz_model.py');
  fs.writeFileSync(file, text);
  const dir = path.join(tmp, 'run-npz');
  const io = capture();
  const code = await trainCommand([file, '--save', dir, '--seed', '1', '--backend', 'cpu', '--json'], io);
  assert.equal(code, 0, io.errors.join('\n'));
  const { record } = readRun(dir);
  assert.equal(record!.settings.dataset, path.join(tmp, 'small.npz'));
  assert.equal(record!.settings.validationData, 'test');
  assert.equal(record!.test!.samples, 40);
  assert.ok(Math.abs(record!.epochs[1]!.valLoss! - record!.test!.loss) < 1e-6, 'validated on the 40 test images');
  // Other keys cannot be the validation set: said at the line.
  fs.writeFileSync(file, text.replace('validation_data=(x_test, y_test)', 'validation_data=(d["x_val"], d["y_val"])'));
  const bad = capture();
  assert.equal(await trainCommand([file, '--save', dir, '--backend', 'cpu'], bad), 1);
  assert.match(bad.errors.join('\n'), /npz_model\.py:8:\d+: .*validate on its \['x_test'\] and \['y_test'\]/);
});
