// The CLI's train refuses a model with a layer TF.js cannot build, naming the layer and why,
// before starting the engine; summary still prints its shapes and counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { trainCommand } from '../../../src/cli/train';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-untrainable-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('train names the layer that cannot train and says why (exit 1, no engine started)', async () => {
  const file = path.join(dir, 'augment.py');
  fs.writeFileSync(
    file,
    `import keras
from keras import layers
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Lambda(lambda t: t * 2, output_shape=(28, 28, 1))(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`,
  );
  const lines: string[] = [];
  const errors: string[] = [];
  const io: CliIO = { out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
  const code = await trainCommand([file], io);
  assert.equal(code, 1);
  assert.match(errors.join('\n'), /cannot be trained: layer 'lambda' \(Lambda, line 4\) cannot be trained here: Lambda runs Python code, which Model Lens never executes/);
});
