/**
 * The CLI end to end (reader → worker child process → saved run → evaluate) on a model made of
 * layers Model Lens builds itself (Keras 3's default GRU, Bidirectional(GRU), EinsumDense,
 * SpectralNormalization, AdditiveAttention, RandomRotation after a Conv2D): it trains, and the
 * saved weights reload into the same numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { evaluateCommand } from '../../../src/cli/evaluate';
import { trainCommand } from '../../../src/cli/train';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-cli-custom-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
}

test('a model of our TF.js layers trains in the CLI, saves, and its weights reload with the same test loss', async () => {
  const file = path.join(tmp, 'zoo.py');
  fs.writeFileSync(
    file,
    `import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(4, 3, strides=2, activation='relu')(inputs)
x = layers.RandomRotation(0.05)(x)
x = layers.SpectralNormalization(layers.Conv2D(4, 3, strides=2))(x)
x = layers.Reshape((6, 24))(x)
x = layers.GRU(8, return_sequences=True)(x)
x = layers.Bidirectional(layers.GRU(4, return_sequences=True))(x)
x = layers.EinsumDense('abc,cd->abd', output_shape=(None, 8), bias_axes='d')(x)
x = layers.AdditiveAttention()([x, x])
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs, outputs, name='zoo')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
(x, y), (tx, ty) = keras.datasets.mnist.load_data()
model.fit(x / 255.0, y, batch_size=32, epochs=1)
`,
  );
  const io = capture();
  const save = path.join(tmp, 'run');
  assert.equal(await trainCommand([file, '--limit', '128', '--test-limit', '64', '--epochs', '2', '--lr', '0.01', '--json', '--save', save, '--seed', '1'], io), 0, io.errors.join('\n'));
  const events = io.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const epochs = events.filter((e) => e.event === 'epoch');
  const done = events[events.length - 1]!;
  assert.equal(done.status, 'completed');
  assert.ok((epochs[1]!.loss as number) < (epochs[0]!.loss as number), `epoch loss ${epochs[0]!.loss} → ${epochs[1]!.loss}`);
  const ev = capture();
  assert.equal(await evaluateCommand([file, '--weights', save, '--limit', '64', '--json'], ev), 0, ev.errors.join('\n'));
  const e = JSON.parse(ev.lines[0]!) as { loss: number };
  assert.ok(Math.abs(e.loss - (done.testLoss as number)) < 1e-4, `reloaded test loss ${e.loss} vs ${done.testLoss}`);
});
