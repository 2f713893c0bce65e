// What a file says about training: compile/fit arguments (module constants resolved), dataset, scaling.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLayer } from '../../../src/core/keras/describe-layer';
import { readModel } from '../../../src/core/read-model';

const MODEL = `import tensorflow as tf\nfrom tensorflow.keras import layers\nmodel = tf.keras.Sequential([tf.keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10)])\n`;

describe('training config', () => {
  it('object forms, module constants and positional fit arguments', () => {
    const src =
      MODEL +
      `LR = 3e-4\nBATCH = 2 ** 7\nEPOCHS = 5\nVAL = 0.2\n` +
      `model.compile(tf.keras.optimizers.RMSprop(learning_rate=LR, rho=0.8), tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), [tf.keras.metrics.SparseCategoricalAccuracy(), 'acc'])\n` +
      `(x, y), (xt, yt) = tf.keras.datasets.fashion_mnist.load_data()\n` +
      `x = x.astype('float32') / 255\n` +
      `model.fit(x, y, BATCH, EPOCHS, validation_split=VAL, shuffle=False)\n`;
    const t = readModel('t.py', src).models[0]!.training;
    assert.deepEqual(t.optimizer, { name: 'RMSprop', learningRate: 3e-4, args: { rho: 0.8 } });
    assert.equal(t.loss, 'sparse_categorical_crossentropy');
    assert.equal(t.fromLogits, true);
    assert.deepEqual(t.metrics, ['sparse_categorical_accuracy', 'accuracy']);
    assert.deepEqual([t.batchSize, t.epochs, t.validationSplit, t.shuffle], [128, 5, 0.2, false]);
    assert.equal(t.dataset, 'fashion_mnist');
    assert.equal(t.inputScale, 1 / 255);
    assert.deepEqual([t.compileLine, t.datasetLine, t.fitLine], [8, 9, 11]);
  });

  it('string optimizers get Keras default learning rates; fit defaults fill in', () => {
    const t = readModel('t.py', MODEL + `model.compile(optimizer='sgd', loss='mse')\nmodel.fit(a, b)\n`).models[0]!.training;
    assert.deepEqual(t.optimizer, { name: 'SGD', learningRate: 0.01 });
    assert.deepEqual([t.batchSize, t.epochs, t.shuffle, t.validationSplit], [32, 1, true, 0]);
    assert.equal(t.dataset, undefined);
  });

  it('the dataset imported by name and scaled with a multiplication', () => {
    const src = MODEL + `from tensorflow.keras.datasets import mnist\n(train_images, train_labels), _ = mnist.load_data()\ntrain_images = train_images * (1 / 255.)\nmodel.fit(train_images, train_labels, epochs=2)\n`;
    const t = readModel('t.py', src).models[0]!.training;
    assert.equal(t.dataset, 'mnist');
    assert.ok(Math.abs(t.inputScale! - 1 / 255) < 1e-15);
    assert.equal(t.epochs, 2);
  });

  it('input shapes taken from the dataset arrays (x.shape[1:], reshape, expand_dims, newaxis)', () => {
    const shapes = (src: string) => readModel('t.py', src).models[0]!.layers[0]!.outputShape;
    const load = 'import numpy as np\nimport tensorflow as tf\n(x, y), (xt, yt) = tf.keras.datasets.mnist.load_data()\n';
    assert.deepEqual(shapes(load + 'x = x[..., tf.newaxis]\nm = tf.keras.Sequential([tf.keras.Input(shape=x.shape[1:]), tf.keras.layers.Flatten()])\n'), [null, 28, 28, 1]);
    assert.deepEqual(shapes(load + 'x = x.reshape(-1, 28 * 28).astype("float32") / 255\nm = tf.keras.Sequential([tf.keras.layers.Dense(10, input_shape=(x.shape[1],))])\n'), [null, 784]);
    assert.deepEqual(shapes(load + 'xt = np.expand_dims(xt, -1)\nm = tf.keras.Sequential([tf.keras.Input(xt.shape[1:]), tf.keras.layers.Flatten()])\n'), [null, 28, 28, 1]);
    assert.deepEqual(shapes(load + 'x = x[:1000, ..., None] if False else x[:1000]\nm = tf.keras.Sequential([tf.keras.Input(x.shape[1:]), tf.keras.layers.Flatten()])\n'), [null, 28, 28]);
  });

  it('list comprehensions of layers are unrolled', () => {
    const m = readModel('t.py', 'import keras\nm = keras.Sequential([keras.Input((4,))] + [keras.layers.Dense(n) for n in (8, 4, 0) if n > 0])\n').models[0]!;
    assert.deepEqual(m.layers.map((l) => [l.name, l.outputShape, l.params]), [
      ['input_layer', [null, 4], 0],
      ['dense', [null, 8], 40],
      ['dense_1', [null, 4], 36],
    ]);
  });

  it("a model built in main() under `if __name__ == '__main__'` is found", () => {
    const src = `import keras\nfrom keras import layers\n\ndef build():\n    inputs = keras.Input((4,))\n    return keras.Model(inputs, layers.Dense(2)(inputs), name='in_main')\n\ndef main():\n    model = build()\n    model.compile(optimizer='adam', loss='mse')\n\nif __name__ == '__main__':\n    main()\n`;
    const r = readModel('t.py', src);
    assert.equal(r.models.length, 1);
    assert.equal(r.models[0]!.name, 'in_main');
    assert.equal(r.models[0]!.range.line, 6);
    assert.equal(r.models[0]!.training.compileLine, 10);
    assert.equal(r.models[0]!.totalParams, 10);
  });

  it('evaluate and predict lines are recorded (reference Basic_CNN)', async () => {
    const fs = await import('node:fs');
    const t = readModel('b.py', fs.readFileSync('examples/basic_cnn.py', 'utf8')).models[0]!.training;
    assert.equal(t.evaluateLine, 49);
    assert.equal(t.predictLine, 56);
  });
});

describe('describeLayer (hover text)', () => {
  it('Conv2D: arguments with defaults marked and the parameter formula', async () => {
    const fs = await import('node:fs');
    const m = readModel('b.py', fs.readFileSync('examples/basic_cnn.py', 'utf8')).models[0]!;
    const d = describeLayer(m.layers[1]!, m);
    assert.equal(d.formula, '(3·3·1 + 1)·32 = 320');
    const arg = (n: string) => d.args.find((a) => a.name === n)!;
    assert.deepEqual(arg('filters'), { name: 'filters', value: '32', isDefault: false });
    assert.deepEqual(arg('kernel_size'), { name: 'kernel_size', value: '(3, 3)', isDefault: false });
    assert.deepEqual(arg('padding'), { name: 'padding', value: "'same'", isDefault: false });
    assert.deepEqual(arg('strides'), { name: 'strides', value: '(1, 1)', isDefault: true });
    assert.deepEqual(arg('activation'), { name: 'activation', value: 'None', isDefault: true });
    assert.match(d.doc, /convolution/);
    assert.equal(describeLayer(m.layers.find((l) => l.name === 'dense')!, m).formula, '(3136 + 1)·512 = 1606144');
    assert.equal(describeLayer(m.layers[2]!, m).formula, 'no weights');
  });

  it('BatchNormalization and SeparableConv2D formulas', () => {
    const src = `import keras\nfrom keras import layers\ni = keras.Input((10, 10, 3))\nx = layers.BatchNormalization()(i)\nx = layers.SeparableConv2D(8, 3)(x)\nm = keras.Model(i, x)\n`;
    const m = readModel('m.py', src).models[0]!;
    assert.equal(describeLayer(m.layers[1]!, m).formula, '2·3 (gamma, beta) trainable + 2·3 non-trainable (moving mean, variance) = 12');
    assert.equal(describeLayer(m.layers[2]!, m).formula, '3·3·3·1 + 3·1·8 + 8 = 59');
  });
});
