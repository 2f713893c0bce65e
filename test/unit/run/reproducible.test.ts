/**
 * Seeded runs repeat: the same seed (from --seed or the file's keras.utils.set_random_seed) gives the
 * same weights and metrics on the same backend and thread count; another seed does not. A tiny model
 * with Dropout (random masks) and shuffling, on the default backend of this machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { runsCommand } from '../../../src/cli/runs';
import { trainCommand } from '../../../src/cli/train';
import { randomSeedInSource } from '../../../src/core/keras/training-config';
import { readRun } from '../../../src/core/run/store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-seed-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const body = (seedLine: string) => `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
${seedLine}
model = keras.Sequential([
    layers.Input((28, 28, 1)),
    layers.Flatten(),
    layers.Dense(16, activation='relu'),
    layers.Dropout(0.3),
    layers.Dense(10, activation='softmax'),
], name='tiny')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
(x, y), (tx, ty) = keras.datasets.mnist.load_data()
model.fit(x / 255.0, y, batch_size=16, epochs=2)
`;
const plain = path.join(tmp, 'plain.py');
fs.writeFileSync(plain, body(''));
const seededFile = path.join(tmp, 'seeded.py');
fs.writeFileSync(seededFile, body('keras.utils.set_random_seed(7)\n'));

const quiet = (): CliIO & { errors: string[] } => ({ errors: [], out: () => undefined, err(l) { this.errors.push(l); }, status: () => undefined, tty: false, columns: 80 });

async function train(file: string, save: string, extra: string[]): Promise<{ run: NonNullable<ReturnType<typeof readRun>['record']>; weights: Buffer }> {
  const io = quiet();
  const code = await trainCommand([file, '--limit', '320', '--test-limit', '200', '--json', '--save', path.join(tmp, save), ...extra], io);
  assert.equal(code, 0, io.errors.join('\n'));
  const run = readRun(path.join(tmp, save)).record!;
  return { run, weights: fs.readFileSync(path.join(run.weightsDir!, 'weights.bin')) };
}

test('the file’s seed is read from the source (literal only, not from comments)', () => {
  assert.deepEqual(randomSeedInSource('import keras\nkeras.utils.set_random_seed(42)\n'), { seed: 42, line: 2 });
  assert.deepEqual(randomSeedInSource('tf.random.set_seed(seed=3)'), { seed: 3, line: 1 });
  assert.equal(randomSeedInSource('# keras.utils.set_random_seed(42)\nx = 1'), undefined);
  assert.equal(randomSeedInSource('keras.utils.set_random_seed(SEED)'), undefined);
});

test('same seed → same weights and metrics; another seed → different; the file’s set_random_seed counts as a seed', async () => {
  const a = await train(plain, 'a', ['--seed', '7']);
  const b = await train(plain, 'b', ['--seed', '7']);
  const c = await train(plain, 'c', ['--seed', '8']);
  const f = await train(seededFile, 'f', []);
  assert.equal(a.run.settings.seed, 7);
  assert.equal(f.run.settings.seed, 7, 'seed taken from keras.utils.set_random_seed(7)');
  assert.equal(a.run.backend, b.run.backend);
  assert.equal(a.run.threads, b.run.threads);
  assert.ok(a.weights.equals(b.weights), 'same seed: identical weights.bin');
  assert.deepEqual(b.run.batches, a.run.batches);
  assert.deepEqual(b.run.epochs.map((e) => [e.loss, e.acc]), a.run.epochs.map((e) => [e.loss, e.acc]));
  assert.deepEqual(b.run.test, a.run.test);
  assert.ok(!a.weights.equals(c.weights), 'another seed: other weights');
  assert.notDeepEqual(c.run.batches.map((p) => p.loss), a.run.batches.map((p) => p.loss));
  assert.ok(f.weights.equals(a.weights), 'file seed 7 = --seed 7 (same model, same data)');

  // The runs table flags seeded runs that should be equal and are not.
  const root = path.join(tmp, 'table');
  fs.mkdirSync(root);
  for (const s of ['a', 'b']) fs.cpSync(path.join(tmp, s), path.join(root, s), { recursive: true });
  const runB = JSON.parse(fs.readFileSync(path.join(root, 'b', 'run.json'), 'utf8')) as { test: { acc: number } };
  const lines: string[] = [];
  const io = { ...quiet(), out: (l: string) => lines.push(l) };
  await runsCommand(['--dir', root], io);
  assert.ok(!lines.some((l) => l.startsWith('not reproduced')), lines.join('\n'));
  runB.test.acc = 0.123;
  fs.writeFileSync(path.join(root, 'b', 'run.json'), JSON.stringify(runB));
  lines.length = 0;
  await runsCommand(['--dir', root], io);
  assert.ok(lines.some((l) => /^not reproduced: .* should equal .*seed 7.*test acc \d\.\d{4} vs 0\.1230/.test(l)), lines.join('\n'));
});
