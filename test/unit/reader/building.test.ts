// Every way of building a model that Keras documents (issue 10, item 2). Expected figures follow
// Keras's formulas: Dense = (in + 1)·units; Conv2D = (kh·kw·cin + 1)·filters; BatchNormalization = 4·C.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { layerSpec } from '../../../src/core/keras/layer-table';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const H = 'import keras\nfrom keras import layers\n';
function read(body: string): ReadResult {
  return readModel('m.py', H + body);
}
function clean(body: string): ModelIR[] {
  const r = read(body);
  assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), []);
  return r.models;
}
const rows = (m: ModelIR) => m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]);

describe('ways of building a model', () => {
  it('input shape from input_shape=, input_dim=, batch_input_shape=', () => {
    const [a, b, c] = clean(
      'a = keras.Sequential([layers.Dense(8, input_shape=(4,)), layers.Dense(2)])\nb = keras.Sequential([layers.Dense(8, input_dim=4)])\nc = keras.Sequential([layers.Dense(8, batch_input_shape=(None, 4))])\n',
    );
    assert.equal(a!.totalParams, 40 + 18);
    assert.deepEqual(rows(b!)[0], ['input_layer_1', 'InputLayer', [null, 4], 0]);
    assert.equal(b!.totalParams, 40);
    assert.equal(c!.totalParams, 40);
  });

  it('an InputLayer / Input given shape=, batch_shape=, or the legacy input_shape= / batch_input_shape=', () => {
    const models = clean(
      'a = keras.Sequential([keras.Input(batch_shape=(None, 4)), layers.Dense(8)])\nb = keras.Sequential([layers.InputLayer(shape=(4,)), layers.Dense(8)])\nc = keras.Sequential([layers.InputLayer(batch_input_shape=(None, 4)), layers.Dense(8)])\nd = keras.Sequential([layers.InputLayer(input_shape=(4,)), layers.Dense(8)])\n',
    );
    for (const m of models) assert.deepEqual(rows(m).map((r) => [r[2], r[3]]), [[[null, 4], 0], [[null, 8], 40]], m.name);
  });

  it('Embedding(input_length=) gives the input shape, with or without input_dim', () => {
    const [m] = clean('m = keras.Sequential()\nm.add(layers.Embedding(1000, 16, input_length=20))\nm.add(layers.Flatten())\nm.add(layers.Dense(1))\n');
    // Embedding: 1000·16 = 16,000; (None, 20, 16) → 320 → Dense (320 + 1)·1 = 321.
    assert.deepEqual(rows(m!), [['input_layer', 'InputLayer', [null, 20], 0], ['embedding', 'Embedding', [null, 20, 16], 16000], ['flatten', 'Flatten', [null, 320], 0], ['dense', 'Dense', [null, 1], 321]]);
  });

  it('Embedding without input_length builds on (None,), as in Keras 2: its input_dim is the vocabulary, not a length', () => {
    // DLWP 1st ed. 6.2 prints embedding (None, None, 32) 320,000 and simple_rnn (None, 32) 2,080 for
    // Embedding(10000, 32) + SimpleRNN(32): 10000·32 and 32·32 + 32·32 + 32.
    const [m] = clean('m = keras.Sequential()\nm.add(layers.Embedding(10000, 32))\nm.add(layers.SimpleRNN(32))\n');
    assert.deepEqual(rows(m!), [['input_layer', 'InputLayer', [null, null], 0], ['embedding', 'Embedding', [null, null, 32], 320000], ['simple_rnn', 'SimpleRNN', [null, 32], 2080]]);
    // Flatten → Dense then has no known size: an error at the Dense, never a total made of the vocabulary.
    const r = read('m = keras.Sequential([layers.Embedding(100, 8), layers.Flatten(), layers.Dense(2)])\n');
    assert.deepEqual(all(r).map((d) => [d.severity, d.range.line]), [['error', 3]]);
    assert.match(all(r)[0]!.message, /Dense 'dense'/);
  });

  it('x.shape and keras.backend.int_shape(x) give the tensor\'s shape to later layers (a VAE decoder sized from the encoder)', () => {
    // DLWP 1st ed. 8.4 prints the decoder as one row of 56,385: Dense 2 → 14·14·64: (2 + 1)·12544 = 37,632;
    // Conv2DTranspose(32, 3): 3·3·64·32 + 32 = 18,464; Conv2D(1, 3): 3·3·32 + 1 = 289.
    const models = clean(
      'import numpy as np\nfrom keras import backend as K\nimport tensorflow as tf\ni = keras.Input((28, 28, 1))\nx = layers.Conv2D(64, 3, strides=2, padding="same")(i)\nenc = keras.Model(i, x)\n' +
        'for shape in [K.int_shape(x), tf.keras.backend.int_shape(x), x.shape]:\n    z = keras.Input((2,))\n    d = layers.Dense(np.prod(shape[1:]))(z)\n    d = layers.Reshape(shape[1:])(d)\n    d = layers.Conv2DTranspose(32, 3, strides=2, padding="same")(d)\n    d = layers.Conv2D(1, 3, padding="same")(d)\n    dec = keras.Model(z, d)\n',
    );
    assert.deepEqual(models.slice(1).map((m) => [m.totalParams, m.layers[2]!.outputShape, m.layers[4]!.outputShape]), Array(3).fill([56385, [null, 14, 14, 64], [null, 28, 28, 1]]));
  });

  it('a layer given as an argument is true in `if activation:` (keras.io WGAN-GP upsample blocks); a tensor\'s truth stays open', () => {
    // keras.io examples/generative/md/wgan_gp.md, "generator": the last block is
    // Conv2D(1, 3, use_bias=False) 3·3·64·1 = 576, BN 4, Activation('tanh') 0.
    const [m] = clean(
      'def up(x, f, act):\n    x = layers.Conv2D(f, 3, padding="same", use_bias=False)(x)\n    x = layers.BatchNormalization()(x)\n    if act:\n        x = act(x)\n    return x\n' +
        'i = keras.Input((32, 32, 64))\nm = keras.Model(i, up(i, 1, layers.Activation("tanh")))\n',
    );
    assert.deepEqual(rows(m!).map((r) => [r[1], r[3]]), [['InputLayer', 0], ['Conv2D', 576], ['BatchNormalization', 4], ['Activation', 0]]);
    const r = read('i = keras.Input((4,))\nx = layers.Dense(2)(i)\nif x:\n    x = layers.Dense(3)(x)\nm = keras.Model(i, x)\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 5), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });

  it('a subclass of a built-in layer that only re-routes call() to super().call() is that layer (HOML ch. 11 MC Dropout)', () => {
    // Dense(100) on 784 inputs: (784 + 1)·100 = 78,500; Dense(10): (100 + 1)·10 = 1,010; dropout has no weights.
    const [m] = clean(
      'class MCDropout(keras.layers.Dropout):\n    """Dropout also at inference."""\n    def call(self, inputs, training=None):\n        return super().call(inputs, training=True)\n' +
        'm = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), MCDropout(0.2), layers.Dense(100), MCDropout(rate=0.2), layers.Dense(10)])\n',
    );
    assert.deepEqual(rows(m!).slice(2).map((r) => [r[0], r[1], r[3]]), [['mc_dropout', 'Dropout', 0], ['dense', 'Dense', 78500], ['mc_dropout_1', 'Dropout', 0], ['dense_1', 'Dense', 1010]]);
    assert.equal(m!.layers[2]!.config['rate'], 0.2);
    // Its own __init__, or a call that returns something else: not read as the base layer (an error, not a guess).
    for (const body of ['    def __init__(self, rate):\n        super().__init__(rate)\n', '    def call(self, inputs):\n        return super().call(inputs) * 2\n']) {
      const r = read(`class Mine(layers.Dense):\n${body}m = keras.Sequential([keras.Input((4,)), Mine(3), layers.Dense(2)])\n`);
      assert.ok(all(r).some((d) => d.severity === 'error'), body);
    }
  });

  it('model.build(...) with a tuple, a list or a TensorShape, before or after add', () => {
    const [a, b, c] = clean(
      'import tensorflow as tf\na = keras.Sequential()\na.add(layers.Dense(8))\na.add(layers.Dense(2))\na.build(input_shape=(None, 4))\nb = keras.Sequential([layers.Dense(8)])\nb.build(tf.TensorShape([None, 4]))\nc = keras.Sequential()\nc.build((None, 4))\nc.add(layers.Dense(8))\n',
    );
    assert.equal(a!.totalParams, 58);
    assert.deepEqual(a!.layers.map((l) => l.outputShape), [[null, 4], [null, 8], [null, 2]]);
    assert.equal(b!.totalParams, 40);
    assert.equal(c!.totalParams, 40);
  });

  it('the input shape from the data fit gets', () => {
    const [m] = clean(
      'from keras.datasets import mnist\n(x, y), _ = mnist.load_data()\nx = x.reshape(-1, 784) / 255.0\nmodel = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(10)])\nmodel.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\nmodel.fit(x, y, epochs=1)\n',
    );
    assert.equal(m!.totalParams, 785 * 16 + 17 * 10);
  });

  it("the input shape from data read at run time, reshaped to known axes (Deep Learning Illustrated's GAN: np.reshape(data, (data.shape[0], 28, 28, 1)))", () => {
    for (const reshape of ['np.reshape(data, (data.shape[0], 28, 28, 1))', 'data.reshape(len(data), 28, 28, 1)']) {
      const [m] = clean(`import numpy as np\ndata = np.load("apple.npy") / 255\ndata = ${reshape}\nw, h = data.shape[1:3]\ninp = keras.Input((w, h, 1))\nm = keras.Model(inp, layers.Dense(1)(layers.Flatten()(inp)))\n`);
      assert.equal(m!.totalParams, 28 * 28 + 1, reshape);
    }
    // The unknown axis stays unknown (None): it gives no size, and the Dense on it says so.
    const r = read('import numpy as np\ndata = np.reshape(np.load("apple.npy"), (-1, 28, 28, 1))\ninp = keras.Input((data.shape[0],))\nm = keras.Model(inp, layers.Dense(1)(inp))\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 6 && /unknown/.test(d.message)), all(r).map((d) => d.message).join('\n'));
  });

  it('the input shape from constant arrays fit gets (the XOR network of many first tutorials)', () => {
    const [m] = clean('import numpy as np\nX = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])\ny = np.array([0, 1, 1, 0])\nmodel = keras.Sequential([layers.Dense(4, activation="tanh"), layers.Dense(1, activation="sigmoid")])\nmodel.compile(optimizer="sgd", loss="mse")\nmodel.fit(X, y, epochs=1)\n');
    assert.equal(m!.totalParams, (2 + 1) * 4 + (4 + 1) * 1);
    // A ragged list is no array of one shape: the model stays unbuilt, with the error at the Sequential.
    const r = read('import numpy as np\nX = np.array([[0, 0], [0]])\nmodel = keras.Sequential([layers.Dense(4)])\nmodel.compile(loss="mse")\nmodel.fit(X, X, epochs=1)\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 5));
  });

  it('an unbuilt Sequential is an error, not a total of 0', () => {
    const r = read('m = keras.Sequential([layers.Dense(8)])\n');
    assert.deepEqual(all(r).map((d) => [d.severity, d.code, d.range.line]), [['error', 'no-input-shape', 3]]);
  });

  it('Sequential(layers, name=), pop(), layers[i].trainable = False', () => {
    const [m] = clean(
      'm = keras.Sequential([keras.Input((4,)), layers.Dense(8), layers.BatchNormalization(), layers.Dense(3)], name="popped")\nm.pop()\nm.add(layers.Dense(2))\nm.layers[0].trainable = False\n',
    );
    assert.equal(m!.name, 'popped');
    assert.deepEqual(rows(m!).map((r) => r[0]), ['input_layer', 'dense', 'batch_normalization', 'dense_2']);
    assert.equal(m!.totalParams, 40 + 32 + 18);
    assert.equal(m!.trainableParams, 16 + 18); // dense frozen; BN's 16 trainable (gamma, beta)
    assert.equal(m!.nonTrainableParams, 40 + 16);
  });

  it('the functional helpers: add, concatenate, multiply', () => {
    const [m] = clean(
      'i = keras.Input((4,))\na = layers.Dense(3)(i)\nb = layers.Dense(3)(i)\ns = layers.add([a, b])\nc = layers.concatenate([s, a], axis=-1)\nmodel = keras.Model(i, layers.Dense(1)(c))\n',
    );
    assert.deepEqual(rows(m!).slice(3), [['add', 'Add', [null, 3], 0], ['concatenate', 'Concatenate', [null, 6], 0], ['dense_2', 'Dense', [null, 1], 7]]);
    // Every functional merge helper makes its layer type; a type the table does not have yet is an error at the line.
    const helpers: [string, string][] = [['multiply', 'Multiply'], ['average', 'Average'], ['maximum', 'Maximum'], ['minimum', 'Minimum'], ['subtract', 'Subtract'], ['dot', 'Dot']];
    for (const [fn, type] of helpers) {
      const r = read(`i = keras.Input((4,))\na = layers.Dense(3)(i)\nb = layers.Dense(3)(i)\nm = layers.${fn}([a, b]${fn === 'dot' ? ', axes=1' : ''})\nmodel = keras.Model(i, m)\n`);
      if (layerSpec(type)) {
        assert.deepEqual(all(r).filter((d) => d.severity === 'error').map((d) => d.message), [], fn);
        assert.equal(r.models[0]!.layers.at(-1)!.type, type, fn);
      } else {
        const d = all(r).find((x) => x.code === 'unsupported-layer');
        assert.ok(d, `${fn} names its layer type`);
        assert.equal(d.range.line, 6);
      }
    }
  });

  it("Keras's aliases name the layer by its class (Convolution2D → conv2d, MaxPool2D → max_pooling2d)", () => {
    const [m] = clean('m = keras.Sequential([keras.Input((8, 8, 1)), layers.Convolution2D(4, 3), layers.MaxPool2D(), layers.Flatten(), layers.Dense(2)])\n');
    assert.deepEqual(rows(m!).map((r) => [r[0], r[1]]), [['input_layer', 'InputLayer'], ['conv2d', 'Conv2D'], ['max_pooling2d', 'MaxPooling2D'], ['flatten', 'Flatten'], ['dense', 'Dense']]);
    assert.equal(m!.totalParams, 40 + 74); // (3·3·1 + 1)·4; 3·3·4 = 36 → (36 + 1)·2
  });

  it("every alias Keras 3 exports (keras/api/layers/__init__.py: `from … import Conv2D as Convolution2D`, …) reads as its class", () => {
    const aliases: [string, string, string][] = [
      ['Convolution1D', 'Conv1D', '(8, 3), 2, 3'], ['Convolution2D', 'Conv2D', '(8, 8, 3), 2, 3'], ['Convolution3D', 'Conv3D', '(8, 8, 8, 3), 2, 3'],
      ['Convolution1DTranspose', 'Conv1DTranspose', '(8, 3), 2, 3'], ['Convolution2DTranspose', 'Conv2DTranspose', '(8, 8, 3), 2, 3'], ['Convolution3DTranspose', 'Conv3DTranspose', '(8, 8, 8, 3), 2, 3'],
      ['SeparableConvolution1D', 'SeparableConv1D', '(8, 3), 2, 3'], ['SeparableConvolution2D', 'SeparableConv2D', '(8, 8, 3), 2, 3'],
      ['MaxPool1D', 'MaxPooling1D', '(8, 3), '], ['MaxPool2D', 'MaxPooling2D', '(8, 8, 3), '], ['MaxPool3D', 'MaxPooling3D', '(8, 8, 8, 3), '],
      ['AvgPool1D', 'AveragePooling1D', '(8, 3), '], ['AvgPool2D', 'AveragePooling2D', '(8, 8, 3), '], ['AvgPool3D', 'AveragePooling3D', '(8, 8, 8, 3), '],
      ['GlobalMaxPool1D', 'GlobalMaxPooling1D', '(8, 3), '], ['GlobalMaxPool2D', 'GlobalMaxPooling2D', '(8, 8, 3), '], ['GlobalMaxPool3D', 'GlobalMaxPooling3D', '(8, 8, 8, 3), '],
      ['GlobalAvgPool1D', 'GlobalAveragePooling1D', '(8, 3), '], ['GlobalAvgPool2D', 'GlobalAveragePooling2D', '(8, 8, 3), '], ['GlobalAvgPool3D', 'GlobalAveragePooling3D', '(8, 8, 8, 3), '],
    ];
    for (const [alias, type, call] of aliases) {
      const [shape, args] = [call.slice(0, call.lastIndexOf(')') + 1), call.slice(call.lastIndexOf(')') + 3)];
      const r = read(`m = keras.Sequential([keras.Input(${shape}), layers.${alias}(${args})])\n`);
      assert.deepEqual(all(r).filter((d) => d.severity === 'error').map((d) => d.message), [], alias);
      assert.equal(r.models[0]!.layers[1]!.type, type, alias);
    }
  });

  it("Keras 2's module paths and TF 2.x's experimental ones name the same classes", () => {
    const r = readModel(
      'm.py',
      'import tensorflow as tf\nfrom keras.layers.core import Dense, Dropout\nfrom keras.layers.convolutional import Conv2D\nfrom keras.layers.recurrent import LSTM\nfrom tensorflow.python.keras.layers import Flatten\nm = tf.keras.Sequential([tf.keras.layers.experimental.preprocessing.Rescaling(1./255, input_shape=(8, 8, 1)), Conv2D(2, 3), Flatten(), Dropout(0.1), Dense(3)])\n',
    );
    assert.deepEqual(all(r), []);
    assert.deepEqual(rows(r.models[0]!).map((x) => x[1]), ['InputLayer', 'Rescaling', 'Conv2D', 'Flatten', 'Dropout', 'Dense']);
    // Conv2D (3·3·1 + 1)·2 = 20 → 6·6·2 = 72 → Dense (72 + 1)·3 = 219.
    assert.equal(r.models[0]!.totalParams, 20 + 219);
  });

  it('base.trainable = False and a model added to another: one row with the inner total', () => {
    const models = clean(
      'base = keras.Sequential([keras.Input((8,)), layers.Dense(16), layers.Dense(4)], name="base")\nbase.trainable = False\nmodel = keras.Sequential([base, layers.Dense(2)], name="top")\n',
    );
    const top = models.find((m) => m.name === 'top')!;
    assert.deepEqual(rows(top), [['input_layer_1', 'InputLayer', [null, 8], 0], ['base', 'Sequential', [null, 4], 144 + 68], ['dense_2', 'Dense', [null, 2], 10]]);
    assert.equal(top.layers[1]!.nested?.model, 'base');
    assert.equal(top.trainableParams, 10);
    assert.equal(top.nonTrainableParams, 212);
    const base = models.find((m) => m.name === 'base')!;
    assert.equal(base.nonTrainableParams, 212);
  });

  it('a model called on a tensor inside a functional model; an unbuilt Sequential takes its use', () => {
    const models = clean(
      'block = keras.Sequential([layers.Dense(6), layers.Dense(5)])\ni = keras.Input((3,))\nx = block(i)\no = layers.Dense(1)(x)\nmodel = keras.Model(i, o, name="outer")\n',
    );
    const outer = models.find((m) => m.name === 'outer')!;
    assert.deepEqual(rows(outer), [['input_layer', 'InputLayer', [null, 3], 0], ['sequential', 'Sequential', [null, 5], 24 + 35], ['dense_2', 'Dense', [null, 1], 6]]);
    const block = models.find((m) => m.name === 'sequential')!;
    assert.equal(block.totalParams, 59);
  });

});

describe('subclassed models and layers', () => {
  const NET = [
    'from keras import Model',
    'from keras.layers import Conv2D, Dense, Flatten',
    'class Net(Model):',
    '    def __init__(self, classes=10, **kwargs):',
    '        super().__init__(**kwargs)',
    '        self.conv1 = Conv2D(4, 3, activation="relu")',
    '        self.flatten = Flatten()',
    '        self.head = Dense(classes)',
    '',
    '    def call(self, x, training=False):',
    '        x = self.conv1(x)',
    '        return self.head(self.flatten(x))',
    '',
    'model = Net(classes=3)',
    '',
  ].join('\n');
  // conv1: (3·3·1 + 1)·4 = 40 on 8×8×1 → 6×6×4 = 144; head: (144 + 1)·3 = 435.
  it('layers made in __init__, wired in call, built by model.build', () => {
    const [m] = clean(NET + 'model.build((None, 8, 8, 1))\n');
    assert.equal(m!.name, 'net');
    assert.equal(m!.style, 'subclassed');
    assert.deepEqual(rows(m!).slice(1), [['conv2d', 'Conv2D', [null, 6, 6, 4], 40], ['flatten', 'Flatten', [null, 144], 0], ['dense', 'Dense', [null, 3], 435]]);
    assert.equal(m!.totalParams, 475);
  });

  it('built by a call on an Input, or by the data fit gets', () => {
    const [a] = clean(NET + 'import keras\nout = model(keras.Input((8, 8, 1)))\n');
    assert.equal(a!.totalParams, 475);
    const [b] = clean(
      NET + 'import keras\n(x, y), _ = keras.datasets.mnist.load_data()\nmodel.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\nmodel.fit(x[..., None] / 255.0, y)\n',
    );
    // 28×28×1 → 26×26×4 = 2704; head (2704 + 1)·3 = 8115.
    assert.equal(b!.totalParams, 40 + 8115);
  });

  it("built by the tf.data dataset fit gets, as TensorFlow's advanced quickstart makes it (from_tensor_slices, shuffle, batch)", () => {
    const r = read(
      NET +
        'import tensorflow as tf\n(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()\nx_train, x_test = x_train / 255.0, x_test / 255.0\nx_train = x_train[..., tf.newaxis].astype("float32")\nx_test = x_test[..., tf.newaxis].astype("float32")\ntrain_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(64)\ntest_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(64)\nmodel.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\nmodel.fit(train_ds, epochs=2, validation_data=test_ds)\n',
    );
    assert.deepEqual(all(r).map((d) => d.message), []);
    const m = r.models[0]!;
    // 28×28×1 → 26×26×4 = 2704; head (2704 + 1)·3 = 8115.
    assert.equal(m.totalParams, 40 + 8115);
    assert.deepEqual([m.training.dataset, m.training.batchSize, m.training.epochs, m.training.validationData], ['mnist', 64, 2, 'test']);
    assert.ok(Math.abs(m.training.inputScale! - 1 / 255) < 1e-12);
  });

  it('built by a call on data (an array of known shape)', () => {
    const [m] = clean(NET + 'import numpy as np\nout = model(np.zeros((2, 8, 8, 1)))\n');
    assert.equal(m!.totalParams, 475);
  });

  it('a model never built is an error, not a total of 0', () => {
    const r = read(NET.replace('from keras import Model', 'from keras import Model'));
    assert.ok(all(r).some((d) => d.code === 'no-input-shape' && d.severity === 'error'));
  });

  it('fitted only on data whose shape is unknown (a tensorflow_datasets pipeline): the error names the fit and asks for build() before it', () => {
    // DeepLearning.AI "TensorFlow: Advanced Techniques" C1W4 resnet_implement.ipynb fits its subclassed ResNet on tfds MNIST.
    const r = read(NET + "import tensorflow_datasets as tfds\nds = tfds.load('mnist', split='train').batch(32)\nmodel.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\nmodel.fit(ds, epochs=1)\n");
    const d = all(r).find((x) => x.code === 'no-input-shape')!;
    assert.equal(d.severity, 'error');
    assert.match(d.message, /is built by fit \(line \d+\) on data whose shape Model Lens cannot work out .*; call model\.build\(\(None, \.\.\.input shape\)\) before fit/);
  });

  it("a GAN wrapper with train_step and no call() (GDL 2nd ed.'s DCGAN, fit on images): a warning says Keras never builds it; no error", () => {
    const r = read(
      'import keras\nfrom keras import layers\n' +
        'g = keras.Sequential([keras.Input((4,)), layers.Dense(8)], name="g")\n' +
        'class GAN(keras.Model):\n    def __init__(self, g):\n        super().__init__()\n        self.g = g\n' +
        '    def train_step(self, data):\n        return {}\n' +
        'gan = GAN(g)\ngan.compile()\n',
    );
    // H is two lines: 'gan = GAN(g)' is line 12. A valid file: a warning there, no error, no totals listed for it.
    assert.deepEqual(all(r).map((x) => [x.severity, x.code, x.range.line]), [['warning', 'not-built', 12]]);
    assert.match(all(r)[0]!.message, /\(class GAN\) has no call\(\) method, so Keras never builds it/);
    assert.deepEqual(r.models.map((m) => m.name), ['g']);
    assert.equal(r.models.find((m) => m.name === 'g')!.totalParams, 40); // (4 + 1)·8, shown on its own
  });

  it('a layers.Layer subclass with sublayers, built in build(); its add_weight is counted, a tf.Variable makes the model incomplete', () => {
    const block = [
      'import keras',
      'from keras import layers',
      'class Block(layers.Layer):',
      '    def build(self, input_shape):',
      '        self.a = layers.Dense(6)',
      '        self.b = layers.Dense(6)',
      '    def call(self, x):',
      '        return layers.add([self.a(x), self.b(x)])',
      'i = keras.Input((4,))',
      'o = Block()(i)',
      'm = keras.Model(i, o)',
      '',
    ].join('\n');
    const [m] = clean(block.replace('import keras\n', ''));
    assert.equal(m!.totalParams, 30 + 30);
    // Keras counts every weight a layer makes, used by call() or not: 30 + 30 + 6.
    const [w] = clean(block.replace('import keras\n', '').replace('        self.b = layers.Dense(6)', '        self.b = layers.Dense(6)\n        self.w = self.add_weight(shape=(6,))'));
    assert.equal(w!.totalParams, 30 + 30 + 6);
    const r = read(block.replace('import keras\n', 'import tensorflow as tf\n').replace('        self.b = layers.Dense(6)', '        self.b = layers.Dense(6)\n        self.w = tf.Variable(tf.zeros((6,)))'));
    assert.ok(r.models[0]!.gaps?.length);
    assert.ok(all(r).some((d) => d.code === 'incomplete' && /Variable/.test(d.message)));
  });
});

// super() between the file's own classes: Python's MRO (C3) decides which method runs, so attributes
// and sublayers the parents' __init__ / build set are known. Figures from Keras's Dense formula
// (in + 1)·units; which methods run follows Python's documented MRO (docs.python.org, "The Python 2.3
// Method Resolution Order"; a diamond D(B, C) with B(A), C(A) runs D, B, C, A).
describe("super() through the file's own classes", () => {
  it('a model subclass of a model subclass of the file: super().__init__, super(Net, self), super().method', () => {
    const base = [
      'class BaseNet(keras.Model):',
      '    def __init__(self, hidden, **kwargs):',
      '        super().__init__(**kwargs)',
      '        self.hidden = layers.Dense(hidden, activation="relu")',
      '    def features(self, x):',
      '        return self.hidden(x)',
      'class Net(BaseNet):',
      '    def __init__(self, classes, **kwargs):',
      '        super(Net, self).__init__(hidden=16, **kwargs)',
      '        self.out = layers.Dense(classes)',
      '    def call(self, x):',
      '        return self.out(super().features(x))',
      'model = Net(3)',
      'model.build((None, 4))',
      '',
    ].join('\n');
    // hidden: (4 + 1)·16 = 80; out: (16 + 1)·3 = 51.
    const [m] = clean(base);
    assert.equal(m!.totalParams, 80 + 51);
    assert.deepEqual(rows(m!).slice(1).map((r) => r[3]), [80, 51]);
    // The parent's __init__ called by name, as older code writes it.
    const [n] = clean(base.replace('super(Net, self).__init__(hidden=16, **kwargs)', 'BaseNet.__init__(self, 16, **kwargs)'));
    assert.equal(n!.totalParams, 131);
  });

  it("a layer subclass whose build and call extend its parent's through super()", () => {
    const [m] = clean(
      [
        'class Base(layers.Layer):',
        '    def build(self, input_shape):',
        '        self.d = layers.Dense(4)',
        '    def call(self, x):',
        '        return self.d(x)',
        'class Child(Base):',
        '    def build(self, input_shape):',
        '        super().build(input_shape)',
        '        self.e = layers.Dense(2)',
        '    def call(self, x):',
        '        return self.e(super().call(x))',
        'i = keras.Input((4,))',
        'm = keras.Model(i, Child()(i))',
        '',
      ].join('\n'),
    );
    // d: (4 + 1)·4 = 20; e: (4 + 1)·2 = 10.
    assert.equal(m!.totalParams, 30);
  });

  it('a diamond D(B, C): every __init__ runs in MRO order and call is the MRO\'s first (C.call, not A.call)', () => {
    const [m] = clean(
      [
        'class A(layers.Layer):',
        '    def __init__(self, **kwargs):',
        '        super().__init__(**kwargs)',
        '        self.a = layers.Dense(2)',
        '    def call(self, x):',
        '        return self.a(x)',
        'class B(A):',
        '    def __init__(self, **kwargs):',
        '        super().__init__(**kwargs)',
        '        self.b = layers.Dense(3)',
        'class C(A):',
        '    def __init__(self, **kwargs):',
        '        super().__init__(**kwargs)',
        '        self.c = layers.Dense(5)',
        '    def call(self, x):',
        '        return self.c(self.b(super().call(x)))',
        'class D(B, C):',
        '    pass',
        'i = keras.Input((4,))',
        'm = keras.Model(i, D()(i))',
        '',
      ].join('\n'),
    );
    // a: (4 + 1)·2 = 10; b: (2 + 1)·3 = 9; c: (3 + 1)·5 = 20.
    assert.equal(m!.totalParams, 10 + 9 + 20);
  });

  it('@staticmethod and @classmethod members: not given the instance (a factory classmethod, a class constant through cls)', () => {
    const [m] = clean(
      [
        'class Net(keras.Model):',
        '    OUT = 2',
        '    def __init__(self, width):',
        '        super().__init__()',
        '        self.d = self.make(width)',
        '        self.o = Net.head()',
        '    @staticmethod',
        '    def make(n):',
        '        return layers.Dense(n)',
        '    @classmethod',
        '    def head(cls):',
        '        return layers.Dense(cls.OUT)',
        '    @classmethod',
        '    def small(cls):',
        '        return cls(4)',
        '    def call(self, x):',
        '        return self.o(self.d(x))',
        'model = Net.small()',
        'model.build((None, 4))',
        '',
      ].join('\n'),
    );
    // d: (4 + 1)·4 = 20; o: (4 + 1)·2 = 10.
    assert.equal(m!.totalParams, 30);
  });

  it("super().__init__(name=, trainable=) reaching keras.Model: the model's name and its trainable figures (a wrong trainable count before)", () => {
    const src = [
      'class Net(keras.Model):',
      '    def __init__(self, **kwargs):',
      '        super().__init__(**kwargs)',
      '        self.d = layers.Dense(2)',
      '    def call(self, x):',
      '        return self.d(x)',
      'class Frozen(Net):',
      '    def __init__(self):',
      '        super().__init__(trainable=False, name="frozen_net")',
      '        self.e = layers.Dense(3)',
      '    def call(self, x):',
      '        return self.e(super().call(x))',
      'a = Net()',
      'a.build((None, 4))',
      'b = Frozen()',
      'b.build((None, 4))',
      'c = Net()',
      'c.build((None, 4))',
      '',
    ].join('\n');
    const models = clean(src);
    // Keras names a model in Layer.__init__: a given name uses no number, so the next Net is net_1.
    assert.deepEqual(models.map((m) => m.name), ['net', 'frozen_net', 'net_1']);
    // d: (4 + 1)·2 = 10; e: (2 + 1)·3 = 9; trainable=False: none of them trainable.
    assert.deepEqual(models.map((m) => [m.totalParams, m.trainableParams]), [[10, 10], [19, 0], [10, 10]]);
    // A class without __init__ of its own: keras.Model.__init__ gets the arguments.
    const [plain] = clean(src.split('class Frozen')[0]!.replace('    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.d = layers.Dense(2)\n', '    def build(self, shape):\n        self.d = layers.Dense(2)\n') + 'a = Net(trainable=False, name="n")\na.build((None, 4))\n');
    assert.deepEqual([plain!.name, plain!.totalParams, plain!.trainableParams], ['n', 10, 0]);
  });

  it("what Model Lens does not follow in super().__init__ (a functional subclass's inputs=/outputs=) or a frozen layer class is incomplete, not a figure", () => {
    const func = read(
      'class Fn(keras.Model):\n    def __init__(self):\n        i = keras.Input((4,))\n        super().__init__(inputs=i, outputs=layers.Dense(2)(i))\nm = Fn()\n',
    );
    assert.ok(all(func).some((d) => d.severity === 'error' && d.range.line === 6), JSON.stringify(all(func).map((d) => `${d.range.line}: ${d.message}`)));
    const frozen = read(
      'class Blk(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(2)\n    def call(self, x):\n        return self.d(x)\nblk = Blk()\nblk.trainable = False\ni = keras.Input((4,))\nm = keras.Model(i, blk(i))\n',
    );
    assert.ok(all(frozen).some((d) => d.code === 'incomplete' && d.range.line === 10), JSON.stringify(all(frozen).map((d) => `${d.range.line}: ${d.message}`)));
    const inInit = read(
      'class Blk(layers.Layer):\n    def __init__(self):\n        super().__init__(trainable=False)\n    def build(self, shape):\n        self.d = layers.Dense(2)\n    def call(self, x):\n        return self.d(x)\ni = keras.Input((4,))\nm = keras.Model(i, Blk()(i))\n',
    );
    assert.ok(all(inInit).some((d) => d.code === 'incomplete'), JSON.stringify(all(inInit).map((d) => `${d.range.line}: ${d.message}`)));
  });

  it('a mixin class before keras.Model: its super().__init__ reaches keras.Model with the rest of the arguments (cooperative inheritance)', () => {
    const [m] = clean(
      [
        'class HeadMixin(object):',
        '    def __init__(self, classes, **kwargs):',
        '        super().__init__(**kwargs)',
        '        self.head = layers.Dense(classes)',
        'class Net(HeadMixin, keras.Model):',
        '    def __init__(self):',
        '        super().__init__(classes=3, name="mixed")',
        '        self.body = layers.Dense(8)',
        '    def call(self, x):',
        '        return self.head(self.body(x))',
        'm = Net()',
        'm.build((None, 4))',
        '',
      ].join('\n'),
    );
    // body: (4 + 1)·8 = 40; head: (8 + 1)·3 = 27.
    assert.deepEqual([m!.name, m!.totalParams], ['mixed', 67]);
  });

  it('bases with no consistent MRO: Python raises TypeError at the class, so the model is incomplete', () => {
    const r = read(
      'm = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\nclass A:\n    pass\nclass B(A):\n    pass\nclass X(A, B):\n    pass\nm.summary()\n',
    );
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 8 && /method resolution order/.test(d.message)), JSON.stringify(all(r).map((d) => d.message)));
  });
});

describe("arithmetic on tensors inside the file's own layer and model classes", () => {
  // keras.io's "Text classification with Transformer" writes its block this way: the residual sums
  // are `inputs + attn_output` inside TransformerBlock.call. Keras prints no row for them (they are
  // computation inside the block); the totals are those of the same block written with layers.Add().
  const block = (sum1: string, sum2: string) =>
    'class Block(layers.Layer):\n' +
    '    def __init__(self, d, heads, ff):\n' +
    '        super().__init__()\n' +
    '        self.att = layers.MultiHeadAttention(num_heads=heads, key_dim=d)\n' +
    '        self.ffn = keras.Sequential([layers.Dense(ff, activation="relu"), layers.Dense(d)])\n' +
    '        self.ln1 = layers.LayerNormalization(epsilon=1e-6)\n' +
    '        self.ln2 = layers.LayerNormalization(epsilon=1e-6)\n' +
    '    def call(self, inputs):\n' +
    '        a = self.att(inputs, inputs)\n' +
    `        out1 = self.ln1(${sum1})\n` +
    '        f = self.ffn(out1) * 0.5\n' +
    `        return self.ln2(${sum2})\n` +
    'inputs = layers.Input(shape=(20,))\n' +
    'x = layers.Embedding(1000, 16)(inputs)\n' +
    'x = Block(16, 2, 32)(x)\n' +
    'x = layers.GlobalAveragePooling1D()(x)\n' +
    'model = keras.Model(inputs, layers.Dense(2)(x), name="clf")\n';
  const models = (src: string) => read(src).models.filter((m) => m.name === 'clf');

  it('tensor + tensor is read as the merge layer it stands for; tensor × number keeps the shape: the same totals as layers.Add()', () => {
    const ops = read(block('inputs + a', 'out1 + f'));
    assert.deepEqual(all(ops).map((d) => `${d.range.line}: ${d.message}`), []);
    const [withOps] = models(block('inputs + a', 'out1 + f'));
    const [withAdd] = models(block('layers.Add()([inputs, a])', 'layers.Add()([out1, f])'));
    assert.ok(withOps && withAdd);
    assert.equal(withOps.gaps, undefined);
    assert.equal(withOps.totalParams, withAdd.totalParams);
    assert.equal(withOps.trainableParams, withAdd.trainableParams);
    assert.deepEqual(withOps.layers.at(-1)!.outputShape, [null, 2]);
    assert.deepEqual(withOps.layers.map((l) => l.outputShape), withAdd.layers.map((l) => l.outputShape));
  });

  it('shapes that do not match are an error at the line, as Keras raises', () => {
    const r = read(
      'class Bad(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(3)\n    def call(self, x):\n        return x + self.d(x)\n' +
        'inputs = layers.Input(shape=(8,))\nmodel = keras.Model(inputs, Bad()(inputs))\n',
    );
    assert.ok(all(r).some((d) => d.severity === 'error'), 'an error is said');
    assert.notEqual(r.models[0]!.gaps ?? r.models[0]!.diagnostics.length, 0);
  });

  it('outside any class of the file (a functional model) it is the Add operation Keras 3 records: a row with no weights (tensor-ops.test.ts)', () => {
    const [m] = clean('inputs = layers.Input(shape=(8,))\nx = layers.Dense(8)(inputs)\nmodel = keras.Model(inputs, x + inputs)\n');
    assert.deepEqual(rows(m!).at(-1), ['add', 'Add', [null, 8], 0]);
    assert.equal(m!.layers.at(-1)!.operation, 'operator +');
    assert.equal(m!.totalParams, 72); // Dense (8 + 1)·8
  });
});

describe('keras.backend.clear_session()', () => {
  // Keras's global_state_test: after clear_session(), auto_name("somename") gives "somename" again.
  it('numbers automatic names from the start again, as Keras forgets the names given before', () => {
    const [a, b, c] = clean(
      'a = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\nkeras.backend.clear_session()\nb = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\nkeras.utils.clear_session()\nimport tensorflow as tf\ntf.keras.backend.clear_session()\nc = keras.Sequential([keras.Input((3,)), layers.Dense(2), layers.Dense(1)])\n',
    );
    assert.deepEqual([a!.name, b!.name, c!.name], ['sequential', 'sequential', 'sequential']);
    assert.deepEqual(b!.layers.map((l) => l.name), ['input_layer', 'dense']);
    assert.deepEqual(c!.layers.map((l) => l.name), ['input_layer', 'dense', 'dense_1']);
  });
});

describe('a script configured with argparse', () => {
  // Dense = (in + 1)·units: 784 → 128: 100,480; 128 → 128: 16,512; 128 → 10: 1,290; BatchNormalization 4·128.
  it('reads the model with the options\' defaults and says so at parse_args(), as a warning naming them', () => {
    const r = read(
      'import argparse\ndef get_args():\n    p = argparse.ArgumentParser()\n    p.add_argument("--hidden-size", type=int, default=128)\n    p.add_argument("--depth", type=int, default=2)\n    p.add_argument("--no-bn", action="store_true")\n    return p.parse_args()\nargs = get_args()\nmodel = keras.Sequential([keras.Input((784,))])\nfor _ in range(args.depth):\n    model.add(layers.Dense(args.hidden_size))\n    if not args.no_bn:\n        model.add(layers.BatchNormalization())\nmodel.add(layers.Dense(10))\n',
    );
    const ds = all(r);
    assert.deepEqual(ds.map((d) => [d.severity, d.range.line]), [['warning', 9]]);
    assert.match(ds[0]!.message, /read with their defaults.*hidden_size=128, depth=2, no_bn=False/);
    assert.equal(r.models[0]!.totalParams, 100480 + 512 + 16512 + 512 + 1290);
  });
});

describe('layers applied in turn with functools.reduce, inputs and outputs given as dicts', () => {
  // Concatenate (1 + 8) → Dense(16): 10·16 = 160 → Dense(8): 17·8 = 136 → heads Dense(1): 9, Dense(3): 27.
  it('reads as the same layers called one after another', () => {
    const [m] = clean(
      'import functools\nage = keras.Input(shape=(1,), name="age")\ntxt = keras.Input(shape=(8,), name="txt")\nx = layers.Concatenate()([age, txt])\nx = functools.reduce(lambda h, l: l(h), [layers.Dense(16), layers.Dense(8)], x)\nmodel = keras.Model(inputs={"age": age, "txt": txt}, outputs={"price": layers.Dense(1, name="price")(x), "kind": layers.Dense(3, name="kind")(x)})\n',
    );
    assert.deepEqual(rows(m!).map((r) => r[0]), ['age', 'txt', 'concatenate', 'dense', 'dense_1', 'price', 'kind']);
    assert.equal(m!.totalParams, 160 + 136 + 9 + 27);
  });
});

describe('sizes taken from a built-in dataset\'s labels', () => {
  // Keras's dataset docs: MNIST and CIFAR-10 labels are the digits / class numbers 0–9 (CIFAR's y has
  // shape (N, 1)); to_categorical drops a last axis of 1 and adds one of num_classes (default max + 1).
  // Dense = (in + 1)·units: 784 → 512: 401,920; 512 → 10: 5,130 (DLWP's printed 407,050 for this model).
  it('len(np.unique(y)), y.max() + 1, np.max(y) + 1 and y.shape[1] after to_categorical give the class count', () => {
    for (const classes of ['len(np.unique(y_train))', 'y_train.max() + 1', 'np.max(y_test) + 1', 'keras.utils.to_categorical(y_train).shape[1]', 'keras.utils.to_categorical(y_train, 12).shape[-1] - 2']) {
      const [m] = clean(
        `import numpy as np\n(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\nnum_classes = ${classes}\nmodel = keras.Sequential([keras.Input((784,)), layers.Dense(512), layers.Dense(num_classes)])\n`,
      );
      assert.equal(m!.totalParams, 401920 + 5130, classes);
    }
    // CIFAR-100 coarse labels: 20 classes; one-hot labels hold 0 and 1.
    const [c] = clean('(x, y), _ = keras.datasets.cifar100.load_data(label_mode="coarse")\ny1 = keras.utils.to_categorical(y)\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(y1.shape[1] + y1.max())])\n');
    assert.equal(c!.totalParams, 5 * 21);
  });
});
