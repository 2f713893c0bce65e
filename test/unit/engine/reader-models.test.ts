/**
 * Every layer the reader supports builds into a TF.js model, trains one step on wasm and keeps
 * the reader's parameter counts; so do the example files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readModel } from '../../../src/core/read-model';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { tf } from '../../../src/worker/tf';

const root = path.resolve(__dirname, '../../..');
test.before(async () => {
  await initBackend('auto');
});

const ALL_LAYERS = `import tensorflow as tf
from tensorflow.keras import layers

inputs = layers.Input((28, 28, 1))
x = layers.Rescaling(1.0)(inputs)
x = layers.Conv2D(8, 3, padding='same', activation='relu')(x)
a = layers.DepthwiseConv2D(3, padding='same')(x)
b = layers.SeparableConv2D(8, 3, padding='same')(x)
x = layers.Add()([a, b])
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.MaxPooling2D()(x)
y = layers.AveragePooling2D()(x)
y = layers.Reshape((7 * 7 * 8,))(y)
g = layers.GlobalAveragePooling2D()(x)
m = layers.GlobalMaxPooling2D()(x)
f = layers.Flatten()(x)
x = layers.Concatenate()([y, g, m, f])
x = layers.Dense(16)(x)
x = layers.Activation('relu')(x)
x = layers.Dropout(0.2)(x)
x = layers.Dense(10)(x)
outputs = layers.Softmax()(x)
model = tf.keras.Model(inputs, outputs, name='all_layers')
model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
`;

async function buildAndStep(file: string, text: string): Promise<string[]> {
  const result = readModel(file, text);
  assert.ok(result.models.length > 0, `${file}: ${JSON.stringify(result.diagnostics)}`);
  const names: string[] = [];
  for (const ir of result.models) {
    const built = await buildModel(ir);
    assert.equal(built.model.countParams(), ir.totalParams, `${ir.name}: parameter count as the reader computed`);
    assert.deepEqual(built.model.layers.map((l) => l.name), ir.layers.map((l) => l.name));
    const x = tf.randomUniform([4, ...built.inputShape]);
    // Labels as the engine feeds them: one-hot for its own cross-entropy, else class indices.
    // A model whose output is not a class vector (an autoencoder) gets targets of its output's shape.
    const outShape = built.model.outputs[0]!.shape.slice(1) as number[];
    const y =
      outShape.length > 1
        ? tf.randomUniform([4, ...outShape])
        : built.labels === 'one-hot'
          ? tf.cast(tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), built.numClasses), 'float32')
          : tf.tensor2d([[1], [2], [3], [4]]);
    const out = await built.model.trainOnBatch(x, y);
    const loss = Array.isArray(out) ? out[0]! : out;
    assert.ok(Number.isFinite(loss), `${ir.name}: finite loss`);
    tf.dispose([x, y]);
    built.model.dispose();
    names.push(ir.name);
  }
  return names;
}

test('every layer type the reader supports trains on wasm', async () => {
  assert.deepEqual(await buildAndStep('all_layers.py', ALL_LAYERS), ['all_layers']);
});

test('the example models build with the reader\'s parameter counts and train a step', async () => {
  for (const f of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.py'))) {
    const file = path.join(root, 'examples', f);
    const names = await buildAndStep(file, fs.readFileSync(file, 'utf8'));
    assert.ok(names.length > 0, f);
  }
});
