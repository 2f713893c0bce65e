/**
 * A call of a layer class of the file is one node whose graph TF.js builds as a sub-model: the same
 * parameters as the reader counts, predictions, and a training step that moves its weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../../src/core/read-model';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { tf } from '../../../src/worker/tf';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

test.before(async () => {
  await initBackend('auto');
});

test('a TransformerBlock-style layer class (attention, a Sequential inside, + in call()) builds as one sub-model and trains', async () => {
  const src = `import keras
from keras import layers

class Block(layers.Layer):
    def __init__(self, dim, heads, ff):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=heads, key_dim=dim)
        self.ffn = keras.Sequential([layers.Dense(ff, activation="relu"), layers.Dense(dim)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x):
        y = self.norm1(x + self.att(x, x))
        return self.norm2(y + self.ffn(y))

inputs = keras.Input(shape=(28, 28))
x = Block(28, 2, 16)(inputs)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
`;
  const r = readModel('m.py', src);
  const ir = r.models.find((m) => m.name === 'functional')!;
  assert.deepEqual(ir.layers.map((l) => l.type), ['InputLayer', 'Block', 'GlobalAveragePooling1D', 'Dense']);
  const built = await buildModel(ir);
  assert.equal(built.model.countParams(), ir.totalParams);
  assert.deepEqual(built.model.layers.map((l) => l.name), ir.layers.map((l) => l.name));
  const x = tf.randomUniform([4, 28, 28]);
  const before = (built.model.getLayer('block').getWeights()[0] as Tensor).arraySync();
  const y = tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10);
  await built.model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  const after = (built.model.getLayer('block').getWeights()[0] as Tensor).arraySync();
  assert.notDeepEqual(after, before, 'the block\'s weights train');
});
