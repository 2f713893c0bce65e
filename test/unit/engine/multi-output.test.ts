/**
 * Calls that return several tensors, built in TF.js from the reader's IR: an LSTM's final states
 * feeding other layers (Keras's tensor index in the config), and initial_state= reaching the cell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../../src/core/read-model';
import { initBackend } from '../../../src/worker/backend';
type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type Tensor = import('@tensorflow/tfjs-core').Tensor;
import { buildModel, kerasModelConfig } from '../../../src/worker/build-model';
import { tf } from '../../../src/worker/tf';

test.before(async () => {
  await initBackend('auto');
});

function model(body: string) {
  const r = readModel('m.py', `import keras\nfrom keras import layers\n${body}\n`);
  const errors = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return r.models[0]!;
}

test('the states of LSTM/GRU(return_state=True) feed later layers and initial_state=: TF.js builds it with the reader\'s counts and trains a step', async () => {
  const ir = model(
    `x = keras.Input(shape=(28, 28))\nseq, h, c = layers.LSTM(16, return_sequences=True, return_state=True)(x)\n` +
      `y, g = layers.GRU(16, return_state=True)(seq, initial_state=h)\nz = layers.LSTM(16)(x, initial_state=[h, c])\n` +
      `out = layers.Dense(10, activation='softmax')(layers.Concatenate()([g, z, c]))\nmodel = keras.Model(x, out)\n` +
      `model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])`,
  );
  const built = await buildModel(ir);
  assert.equal(built.model.countParams(), ir.totalParams);
  const x = tf.randomUniform([4, 28, 28]);
  const p = built.model.predict(x) as Tensor;
  assert.deepEqual(p.shape, [4, 10]);
  const y = tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10);
  const h = await built.model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  assert.ok(Number.isFinite(h.history['loss']![0] as number));
});

test('initial_state= reaches the cell: the same sequence from other initial states gives other outputs (our GRU, TF.js LSTM)', async () => {
  for (const [rnn, states] of [['GRU', 'h0'], ['LSTM', '[h0, c0]']] as const) {
    const ir = model(`x = keras.Input(shape=(5, 3))\nh0 = keras.Input(shape=(4,))\nc0 = keras.Input(shape=(4,))\nout = layers.${rnn}(4)(x, initial_state=${states})\nmodel = keras.Model([x, h0, c0], out)`);
    // Three inputs: not a model the trainer takes, so built from the same Keras config it builds from.
    const built = { model: (await tf.models.modelFromJSON({ modelTopology: kerasModelConfig(ir) } as never)) as unknown as LayersModel };
    const x = tf.randomUniform([2, 5, 3]);
    const zeros = tf.zeros([2, 4]);
    const ones = tf.ones([2, 4]);
    const a = (built.model.predict([x, zeros, zeros]) as Tensor).arraySync() as number[][];
    const b = (built.model.predict([x, ones, ones]) as Tensor).arraySync() as number[][];
    assert.ok(a.flat().some((v, i) => Math.abs(v - b.flat()[i]!) > 1e-4), `${rnn}: the initial state changes the output`);
  }
});

test("Keras 3's implicit mask (an Embedding's not_equal row) is left to TF.js: the model builds without it and masks padded steps", async () => {
  const ir = model(
    `x = keras.Input(shape=(6,), dtype='int32')\ne = layers.Embedding(50, 8, mask_zero=True)(x)\ny = layers.LSTM(4)(e)\nout = layers.Dense(2, activation='softmax')(y)\nmodel = keras.Model(x, out)\n` +
      `model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')`,
  );
  assert.ok(ir.layers.some((l) => l.implicitMask), 'the reader lists the mask');
  const built = await buildModel(ir);
  assert.deepEqual(built.model.layers.map((l) => l.name), ir.layers.filter((l) => !l.implicitMask).map((l) => l.name));
  assert.equal(built.model.countParams(), ir.totalParams);
  // Masked steps keep the state: padding before or after the same ids gives the same output (without the mask it would not).
  const a = (built.model.predict(tf.tensor2d([[3, 4, 5, 0, 0, 0]], undefined, 'int32')) as Tensor).arraySync() as number[][];
  const b = (built.model.predict(tf.tensor2d([[0, 0, 0, 3, 4, 5]], undefined, 'int32')) as Tensor).arraySync() as number[][];
  a[0]!.forEach((v, i) => assert.ok(Math.abs(v - b[0]![i]!) < 1e-5, `${a} vs ${b}`));
});
