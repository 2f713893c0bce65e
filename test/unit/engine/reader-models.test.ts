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

test('a shared layer builds in TF.js as one layer with two inbound nodes, weights counted once', async () => {
  // One Conv2D applied to the image and to its flipped copy (here: a second Conv2D path), then merged.
  const src = `import keras
from keras import layers
inp = keras.Input((28, 28, 1))
shared = layers.Conv2D(4, 3, padding='same', activation='relu')
a = shared(inp)
b = shared(layers.Conv2D(1, 1)(inp))
x = layers.Flatten()(layers.add([a, b]))
model = keras.Model(inp, layers.Dense(10, activation='softmax')(x), name='shared_conv')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`;
  assert.deepEqual(await buildAndStep('shared.py', src), ['shared_conv']);
  const ir = readModel('shared.py', src).models[0]!;
  const built = await buildModel(ir);
  const conv = built.model.getLayer('conv2d');
  assert.equal(conv.inboundNodes.length, 2, 'called twice');
  // Conv2D(4, 3) on 1 channel: 3·3·1·4 + 4 = 40, once.
  assert.equal(conv.countParams(), 40);
  built.model.dispose();
});
