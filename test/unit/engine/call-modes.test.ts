// A layer called with training=False / True runs in that mode whatever fit or predict asks, as Keras
// documents (keras.io transfer-learning guide: `x = base_model(inputs, training=False)` keeps the
// base's BatchNormalization in inference mode while the head trains; the layer call's `training`
// argument overrides the mode fit()/predict() pass). Read from the source, honoured by the trainer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../../src/core/read-model';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { tf } from '../../../src/worker/tf';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

test.before(async () => {
  await initBackend('wasm');
});

const read = (body: string) => readModel('m.py', `import keras\nfrom keras import layers\n${body}\n`);

test('the reader keeps a call’s training=False / True on the layer; a value it cannot tell, or two modes for one layer, is a warning at the line', () => {
  const m = read(`inputs = keras.Input(shape=(4,))
x = layers.BatchNormalization(name='bn')(inputs, training=False)
x = layers.Dropout(0.5, name='mc')(x, training=True)
x = layers.Dense(4, name='d')(x, training=None)
model = keras.Model(inputs, x)`).models[0]!;
  const mode = (name: string) => m.layers.find((l) => l.name === name)!.callTraining;
  assert.deepEqual([mode('bn'), mode('mc'), mode('d')], [false, true, undefined]);
  assert.deepEqual(m.diagnostics.filter((d) => d.severity !== 'info'), []);

  const unknown = read(`import sys\nflag = len(sys.argv) > 1\ninputs = keras.Input(shape=(4,))\nx = layers.Dropout(0.5)(inputs, training=flag)\nmodel = keras.Model(inputs, x)`).models[0]!;
  assert.match(unknown.diagnostics.map((d) => `${d.range.line}: ${d.message}`).join('\n'), /6: Dropout 'dropout': cannot tell training=flag; Model Lens trains and predicts with the layer in its usual mode/);
  const twice = read(`inputs = keras.Input(shape=(4,))\nbn = layers.BatchNormalization()\na = bn(inputs, training=False)\nb = bn(inputs, training=True)\nmodel = keras.Model(inputs, layers.Add()([a, b]))`).models[0]!;
  assert.match(twice.diagnostics.map((d) => d.message).join('\n'), /called with training=False before and training=True here; Model Lens runs every call of a layer in one mode, the first's/);
  assert.equal(twice.layers.find((l) => l.type === 'BatchNormalization')!.callTraining, false);
});

test('a saved model keeps the call’s training in its inbound node kwargs (Keras 3 and Keras 2 forms): read the same', () => {
  const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [name, 0, 0] } });
  const keras3 = {
    class_name: 'Functional',
    config: {
      name: 'm',
      layers: [
        { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_shape: [null, 4] }, inbound_nodes: [] },
        { class_name: 'BatchNormalization', name: 'bn', config: { name: 'bn' }, inbound_nodes: [{ args: [tensor('in')], kwargs: { training: false } }] },
      ],
      input_layers: [['in', 0, 0]],
      output_layers: [['bn', 0, 0]],
    },
  };
  assert.equal(readModel('m.json', JSON.stringify(keras3)).models[0]!.layers[1]!.callTraining, false);
  const keras2 = {
    class_name: 'Model',
    config: {
      name: 'm',
      layers: [
        { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 4] }, inbound_nodes: [] },
        { class_name: 'Dropout', name: 'mc', config: { name: 'mc', rate: 0.5 }, inbound_nodes: [[['in', 0, 0, { training: true }]]] },
      ],
      input_layers: [['in', 0, 0]],
      output_layers: [['mc', 0, 0]],
    },
  };
  assert.equal(readModel('m.json', JSON.stringify(keras2)).models[0]!.layers[1]!.callTraining, true);
});

test('BatchNormalization called with training=False keeps its statistics in fit() and normalizes with them', async () => {
  const r = read(`inputs = keras.Input(shape=(1,))
x = layers.BatchNormalization(name='bn')(inputs, training=False)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='sgd', loss='mse')`);
  const built = await buildModel(r.models[0]!, { inputScale: 1 });
  const bn = built.model.getLayer('bn');
  const x = tf.tensor2d([[1], [5]]);
  await built.model.trainOnBatch(x, tf.tensor2d([[0], [0]]));
  // gamma and beta train (the layer is trainable), the statistics stay at 0 and 1.
  assert.deepEqual(bn.getWeights().slice(2).map((w) => w.dataSync()[0]), [0, 1]);
  const out = Array.from((bn.apply(x, { training: true }) as Tensor).dataSync());
  const [gamma, beta] = bn.getWeights().map((w) => w.dataSync()[0]!);
  assert.ok(Math.abs(out[1]! - (gamma! * 5) / Math.sqrt(1.001) - beta!) < 1e-5, `${out}`);
  built.model.dispose();
});

test('Dropout called with training=True drops at predict() too (Monte Carlo dropout)', async () => {
  const r = read(`inputs = keras.Input(shape=(64,))
outputs = layers.Dropout(0.5)(inputs, training=True)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='mse')`);
  const built = await buildModel(r.models[0]!, { inputScale: 1 });
  const y = Array.from((built.model.predict(tf.ones([1, 64])) as Tensor).dataSync());
  const zeros = y.filter((v) => v === 0).length;
  // Each of 64 units is dropped with probability 0.5; the kept ones are scaled by 1 / (1 - 0.5).
  assert.ok(zeros > 10 && zeros < 54, `${zeros} of 64 dropped`);
  assert.ok(y.every((v) => v === 0 || Math.abs(v - 2) < 1e-6));
  built.model.dispose();
});
