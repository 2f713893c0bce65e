/** The engine's CLI commands end to end (reader → worker → output), with their --json output. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { CliIO } from '../../../src/cli/engine-session';
import { evaluateCommand } from '../../../src/cli/evaluate';
import { predictCommand } from '../../../src/cli/predict';
import { trainCommand } from '../../../src/cli/train';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-cli-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const modelFile = path.join(tmp, 'tiny.py');
fs.writeFileSync(
  modelFile,
  `import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.Input((28, 28, 1)),
    layers.Flatten(),
    layers.Dense(32, activation='relu'),
    layers.Dense(10, activation='softmax'),
], name='tiny')
model.compile(optimizer=tf.keras.optimizers.Adam(0.003), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
(x, y), (tx, ty) = tf.keras.datasets.mnist.load_data()
model.fit(x / 255.0, y, batch_size=32, epochs=1)
`,
);

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
}

test('train --json prints batch, epoch and done lines as documented', async () => {
  const io = capture();
  const save = path.join(tmp, 'run');
  const code = await trainCommand([modelFile, '--limit', '640', '--test-limit', '500', '--epochs', '2', '--json', '--save', save, '--seed', '1'], io);
  assert.equal(code, 0, io.errors.join('\n'));
  const events = io.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(events.every((e) => typeof e.event === 'string'), 'one JSON object per line');
  const batches = events.filter((e) => e.event === 'batch');
  const epochs = events.filter((e) => e.event === 'epoch');
  const done = events[events.length - 1]!;
  assert.ok(batches.length >= 2);
  assert.ok(batches.every((b) => typeof b.loss === 'number' && typeof b.acc === 'number' && typeof b.samplesPerSec === 'number' && typeof b.etaSec === 'number'));
  assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
  assert.ok(epochs.every((e) => typeof e.loss === 'number' && typeof e.acc === 'number'));
  assert.equal(done.event, 'done');
  assert.equal(done.status, 'completed');
  assert.equal(done.backend, 'wasm');
  assert.equal(done.savedTo, path.join(save, 'weights'));
  assert.ok((done.testAcc as number) > 0.6, `test accuracy ${done.testAcc}`);
  assert.ok((done.testLoss as number) > 0 && (done.trainSamplesPerSec as number) > 0);
  assert.ok(fs.existsSync(path.join(save, 'weights', 'model.json')));
  const run = JSON.parse(fs.readFileSync(path.join(save, 'run.json'), 'utf8'));
  assert.equal(run.modelFile, modelFile);
  assert.equal(run.settings.batchSize, 32, 'batch size from the file');
  assert.equal(run.settings.epochs, 2, '--epochs overrides the file');
});

test('evaluate and predict --json use the saved weights', async () => {
  const weights = path.join(tmp, 'run', 'weights');
  const ev = capture();
  assert.equal(await evaluateCommand([modelFile, '--weights', weights, '--limit', '500', '--json'], ev), 0, ev.errors.join('\n'));
  const e = JSON.parse(ev.lines[0]!);
  assert.equal(e.samples, 500);
  assert.ok(e.acc > 0.6);

  const pr = capture();
  assert.equal(await predictCommand([modelFile, '--weights', path.join(tmp, 'run'), '--sample', '0', '--json'], pr), 0, pr.errors.join('\n'));
  const p = JSON.parse(pr.lines[0]!);
  assert.equal(p.predictions.length, 3);
  assert.equal(p.trueLabel, 7);
  assert.ok(p.predictions.every((c: { label: number; prob: number }) => Number.isInteger(c.label) && c.prob >= 0 && c.prob <= 1));

  // A drawn "1": dark stroke on white paper, any size.
  const png = new PNG({ width: 60, height: 90 });
  for (let i = 0; i < 60 * 90; i++) {
    const x = i % 60;
    png.data.set(x >= 26 && x < 34 ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
  }
  const img = path.join(tmp, 'one.png');
  fs.writeFileSync(img, PNG.sync.write(png));
  const pi = capture();
  assert.equal(await predictCommand([modelFile, '--weights', weights, '--image', img, '--top', '5', '--json'], pi), 0, pi.errors.join('\n'));
  assert.equal(JSON.parse(pi.lines[0]!).predictions.length, 5);
});

test('usage and data errors: exit codes and messages', async () => {
  const a = capture();
  assert.equal(await trainCommand([modelFile, '--epochs', 'zero'], a), 2);
  assert.match(a.errors.join('\n'), /--epochs must be a whole number/);
  const b = capture();
  assert.equal(await predictCommand([modelFile, '--weights', path.join(tmp, 'run')], b), 2);
  assert.match(b.errors.join('\n'), /--image PATH or --sample N/);
  const c = capture();
  assert.equal(await trainCommand([modelFile, '--dataset', path.join(tmp, 'nowhere'), '--save', path.join(tmp, 'run-x')], c), 1);
  assert.match(c.errors.join('\n'), /no such file or folder/);
  const d = capture();
  assert.equal(await evaluateCommand([modelFile, '--weights', tmp], d), 2);
  assert.match(d.errors.join('\n'), /no model\.json/);
});
