// TensorFlow functions given Keras tensors at the top level of a functional model (tf-op-lambda.ts,
// op-calls.ts): tf.keras 2 (TensorFlow ≤ 2.15) made each a TFOpLambda layer with no weights; Keras 3
// (TensorFlow ≥ 2.16) raises a ValueError. Expected shapes come from TensorFlow's documented
// semantics (the formula beside each), names from printed tf.keras 2 summaries (cited).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import { tfOpLambdaName } from '../../../src/core/keras/tf-op-lambda';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const errors = (r: ReadResult) => all(r).filter((d) => d.severity === 'error');
const warnings = (r: ReadResult) => all(r).filter((d) => d.severity === 'warning');
const read = (src: string) => readModel('m.py', src);
/** The file's last model, read with no error (warnings allowed). */
function model(src: string): ModelIR {
  const r = read(src);
  assert.deepEqual(errors(r).map((d) => `${d.range.line}: ${d.message}`), []);
  return r.models[r.models.length - 1]!;
}
const TF = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
/** `inputs = keras.Input(shape)` then `y = EXPR`, a model of it: the op row's [name, type, shape]. */
function op(shape: string, expr: string, inputs = 'x'): [string, string, (number | null)[] | null] {
  const m = model(TF + `x = keras.Input(shape=${shape})\ny = ${expr}\nmodel = keras.Model(${inputs}, y)\n`);
  const l = m.layers[m.layers.length - 1]!;
  return [l.name, l.type, l.outputShape as (number | null)[] | null];
}

describe('tf.* functions on Keras tensors in a tf.keras file: TFOpLambda rows, as tf.keras 2 read them', () => {
  it("the brief's model: rows named after the function, 0 params, exact totals, a warning at each line (no error)", () => {
    const r = read(
      'import tensorflow as tf\n' +
        'inp = tf.keras.Input(shape=(32,))\n' +
        'x = tf.keras.layers.Dense(16)(inp)\n' +
        'x = tf.nn.relu(x)\n' +
        'y = tf.concat([x, x], axis=-1)\n' +
        'out = tf.keras.layers.Dense(1)(y)\n' +
        'model = tf.keras.Model(inp, out)\n',
    );
    assert.deepEqual(errors(r), []);
    const m = r.models[0]!;
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
      [
        ['input_layer', 'InputLayer', [null, 32], 0],
        ['dense', 'Dense', [null, 16], 528], // (32 + 1)·16
        ['tf.nn.relu', 'TFOpLambda', [null, 16], 0],
        ['tf.concat', 'TFOpLambda', [null, 32], 0], // 16 + 16 on the last axis
        ['dense_1', 'Dense', [null, 1], 33], // (32 + 1)·1
      ],
    );
    assert.deepEqual(m.layers.find((l) => l.name === 'tf.concat')!.inputs, ['tf.nn.relu', 'tf.nn.relu']);
    assert.equal(m.totalParams, 561);
    const w = warnings(r);
    assert.deepEqual(w.map((d) => d.range.line), [4, 5]);
    for (const d of w) {
      assert.match(d.message, /TFOpLambda/);
      assert.match(d.message, /Keras 3 \(TensorFlow ≥ 2\.16\) raises a ValueError/);
    }
    assert.match(w[0]!.message, /'tf\.nn\.relu'.*keras\.ops\.relu/);
    assert.match(w[1]!.message, /keras\.ops\.concatenate/);
  });

  it('names as tf.keras 2 gave them: the canonical TF name, numbered like layer names', () => {
    // Printed tf.keras 2 rows: "tf.math.reduce_sum (TFOpLambda)", "tf.one_hot (TFOpLambda)",
    // "tf.reshape (TFOpLambda)", "tf.expand_dims (TFOpLambda)", "tf.cast (TFOpLambda)",
    // "tf.compat.v1.transpose (TFOp…" and "tf.compat.v1.squeeze (TFOpLa…" (find_string '(TFOpLambda)').
    assert.equal(tfOpLambdaName('tensorflow.reduce_sum'), 'tf.math.reduce_sum');
    assert.equal(tfOpLambdaName('tensorflow.math.reduce_sum'), 'tf.math.reduce_sum');
    assert.equal(tfOpLambdaName('tensorflow.one_hot'), 'tf.one_hot');
    assert.equal(tfOpLambdaName('tensorflow.reshape'), 'tf.reshape');
    assert.equal(tfOpLambdaName('tensorflow.expand_dims'), 'tf.expand_dims');
    assert.equal(tfOpLambdaName('tensorflow.cast'), 'tf.cast');
    assert.equal(tfOpLambdaName('tensorflow.transpose'), 'tf.compat.v1.transpose');
    assert.equal(tfOpLambdaName('tensorflow.squeeze'), 'tf.compat.v1.squeeze');
    assert.equal(tfOpLambdaName('tensorflow.nn.softmax'), 'tf.nn.softmax');
    assert.equal(tfOpLambdaName('tensorflow.multiply'), 'tf.math.multiply');
    const m = model(TF + 'x = keras.Input(shape=(4,))\na = tf.nn.relu(x)\nb = tf.nn.relu(a)\nc = tf.reduce_mean(b, axis=-1)\nmodel = keras.Model(x, c)\n');
    assert.deepEqual(m.layers.map((l) => l.name), ['input_layer', 'tf.nn.relu', 'tf.nn.relu_1', 'tf.math.reduce_mean']);
  });

  it("each operation's shape: the keras.ops equivalent's rule, with TensorFlow's argument names", () => {
    // tf.reshape(tensor, shape): a -1 takes what is left; with the batch (None) unknown, the -1 is the batch axis.
    assert.deepEqual(op('(3136,)', 'tf.reshape(x, (-1, 7, 7, 64))'), ['tf.reshape', 'TFOpLambda', [null, 7, 7, 64]]);
    assert.deepEqual(op('(7, 7, 64)', 'tf.reshape(x, shape=[-1, 64])'), ['tf.reshape', 'TFOpLambda', [null, 64]]);
    // tf.expand_dims(input, axis): a size-1 axis inserted at axis (−1: last).
    assert.deepEqual(op('(5, 1)', 'tf.expand_dims(x, axis=-1)'), ['tf.expand_dims', 'TFOpLambda', [null, 5, 1, 1]]);
    // tf.squeeze(input, axis): the size-1 axis removed.
    assert.deepEqual(op('(5, 100, 1)', 'tf.squeeze(x, axis=-1)'), ['tf.compat.v1.squeeze', 'TFOpLambda', [null, 5, 100]]);
    // tf.reduce_mean(input_tensor, axis, keepdims): the axis dropped, or kept as 1.
    assert.deepEqual(op('(8, 4)', 'tf.reduce_mean(x, axis=1)'), ['tf.math.reduce_mean', 'TFOpLambda', [null, 4]]);
    assert.deepEqual(op('(8, 4)', 'tf.math.reduce_sum(x, 1, keepdims=True)'), ['tf.math.reduce_sum', 'TFOpLambda', [null, 1, 4]]);
    assert.deepEqual(op('(8, 4)', 'tf.reduce_max(x, axis=[1, 2])'), ['tf.math.reduce_max', 'TFOpLambda', [null]]);
    // tf.one_hot(indices, depth, …, axis=-1): a new last axis of size depth.
    assert.deepEqual(op('(7,)', 'tf.one_hot(tf.cast(x, tf.int32), 10)'), ['tf.one_hot', 'TFOpLambda', [null, 7, 10]]);
    assert.deepEqual(op('(7, 7)', 'tf.one_hot(x, depth=128, dtype=tf.float32)'), ['tf.one_hot', 'TFOpLambda', [null, 7, 7, 128]]);
    // Element-wise: the shape kept (a number broadcasts).
    assert.deepEqual(op('(3, 4)', 'tf.square(x)'), ['tf.math.square', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.math.multiply(x, 2.0)'), ['tf.math.multiply', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.nn.softmax(x, axis=-1)'), ['tf.nn.softmax', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.nn.leaky_relu(x, alpha=0.1)'), ['tf.nn.leaky_relu', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.cast(x, tf.float16)'), ['tf.cast', 'TFOpLambda', [null, 3, 4]]);
    // tf.transpose(a, perm): axis i of the result is axis perm[i] of a.
    assert.deepEqual(op('(3, 4)', 'tf.transpose(x, perm=[0, 2, 1])'), ['tf.compat.v1.transpose', 'TFOpLambda', [null, 4, 3]]);
    // tf.matmul(a, b): (…, n, k) @ (…, k, m) → (…, n, m); transpose_b / adjoint_b swap b's last two axes.
    assert.deepEqual(op('(3, 4)', 'tf.matmul(x, x, transpose_b=True)'), ['tf.linalg.matmul', 'TFOpLambda', [null, 3, 3]]);
    assert.deepEqual(op('(3, 4)', 'tf.linalg.matmul(x, x, adjoint_a=True)'), ['tf.linalg.matmul', 'TFOpLambda', [null, 4, 4]]);
    // tf.stack(values, axis): a new axis of len(values); tf.concat(values, axis): the sizes summed on axis.
    assert.deepEqual(op('(4,)', 'tf.stack([x, x, x], axis=1)'), ['tf.stack', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(4,)', 'tf.concat([x, tf.square(x)], 1)'), ['tf.concat', 'TFOpLambda', [null, 8]]);
    // tf.tile(input, multiples): each size times its multiple (the batch stays None).
    assert.deepEqual(op('(2, 3)', 'tf.tile(x, [1, 2, 3])'), ['tf.tile', 'TFOpLambda', [null, 4, 9]]);
    // tf.clip_by_value / tf.where / tf.math.squared_difference / tf.nn.bias_add / tf.math.log1p: element-wise, the shape kept.
    assert.deepEqual(op('(3, 4)', 'tf.clip_by_value(x, 0.0, 6.0)'), ['tf.clip_by_value', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.where(x > 0, x, 0.0)'), ['tf.where', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.math.squared_difference(x, tf.square(x))'), ['tf.math.squared_difference', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.nn.bias_add(x, [1.0, 2.0, 3.0, 4.0])'), ['tf.nn.bias_add', 'TFOpLambda', [null, 3, 4]]);
    assert.deepEqual(op('(3, 4)', 'tf.math.log1p(x)'), ['tf.math.log1p', 'TFOpLambda', [null, 3, 4]]);
    // tf.math.argmax(input, axis): the axis dropped; without one, axis 0 (here the batch: (3, 4) left).
    assert.deepEqual(op('(3, 4)', 'tf.math.argmax(x, axis=-1)'), ['tf.math.argmax', 'TFOpLambda', [null, 3]]);
    assert.deepEqual(op('(3, 4)', 'tf.argmax(x)'), ['tf.math.argmax', 'TFOpLambda', [3, 4]]);
    // tf.pad(tensor, paddings): each axis + before + after (the batch stays None): (None, 3 + 1 + 1, 4 + 0 + 2).
    assert.deepEqual(op('(3, 4)', 'tf.pad(x, [[0, 0], [1, 1], [0, 2]])'), ['tf.compat.v1.pad', 'TFOpLambda', [null, 5, 6]]);
    // tf.image.resize(images, size): (batch, height, width, channels) with the new height and width.
    assert.deepEqual(op('(32, 32, 3)', 'tf.image.resize(x, (64, 48))'), ['tf.image.resize', 'TFOpLambda', [null, 64, 48, 3]]);
    // …its multiples given as a constant tensor of ints made at the top level (tf.constant([1, n, 1])): read as those ints.
    assert.deepEqual(op('(1, 64)', 'tf.tile(x, tf.constant([1, 15, 1]))'), ['tf.tile', 'TFOpLambda', [null, 15, 64]]);
  });

  it('tf.split and tf.unstack return a list of tensors, one row with several outputs (ops.split / ops.unstack share the rule)', () => {
    const m = model(
      TF +
        'x = keras.Input(shape=(8, 6))\n' +
        'a, b = tf.split(x, 2, axis=-1)\n' + // 6 / 2 = 3 each on the last axis
        'c, d, e = tf.split(x, [2, -1, 1], axis=1)\n' + // sizes 2, 8 − 2 − 1 = 5, 1
        'parts = tf.unstack(x, axis=1)\n' + // 8 tensors of (None, 6)
        'y = tf.concat([layers.Dense(4)(a), b], axis=-1)\n' + // 4 + 3 = 7
        'z = tf.stack(parts, axis=1)\n' +
        'model = keras.Model(x, [y, z, d])\n',
    );
    const row = (name: string) => m.layers.find((l) => l.name === name)!;
    assert.deepEqual(row('tf.split').outputShapes, [[null, 8, 3], [null, 8, 3]]);
    assert.deepEqual(row('tf.split_1').outputShapes, [[null, 2, 6], [null, 5, 6], [null, 1, 6]]);
    assert.deepEqual(row('tf.unstack').outputShapes, Array.from({ length: 8 }, () => [null, 6]));
    assert.deepEqual(row('tf.concat').outputShape, [null, 8, 7]);
    assert.deepEqual(row('tf.stack').outputShape, [null, 8, 6]);
    assert.equal(m.totalParams, 16); // Dense(4) on 3 features: (3 + 1)·4
    // keras.ops.split takes numpy's cut indices, not sizes: [2, 5] cuts 8 into 2, 3, 3.
    const k3 = model('import keras\nfrom keras import layers, ops\nx = keras.Input(shape=(8, 6))\na, b, c = ops.split(x, [2, 5], axis=1)\nmodel = keras.Model(x, [a, b, c])\n');
    assert.deepEqual(k3.layers.find((l) => l.type === 'Split')!.outputShapes, [[null, 2, 6], [null, 3, 6], [null, 3, 6]]);
    // Parts that do not divide the axis, and unstacking the batch axis, are errors at the line.
    const bad = read(TF + 'x = keras.Input(shape=(8, 6))\na = tf.split(x, 4, axis=-1)\nb = tf.unstack(x)\nmodel = keras.Model(x, x)\n');
    assert.ok(errors(bad).some((e) => e.range.line === 5 && /does not split into 4 equal parts/.test(e.message)), errors(bad).map((e) => e.message).join(' | '));
    assert.ok(errors(bad).some((e) => e.range.line === 6 && /known only when the model runs/.test(e.message)));
    // tf.squeeze without axis= on a tensor with the batch (None): which axes go is not known before the model runs.
    const sq = read(TF + 'x = keras.Input(shape=(1, 5))\ny = tf.squeeze(x)\nmodel = keras.Model(x, layers.Dense(2)(y))\n');
    assert.ok(errors(sq).some((e) => e.range.line === 5 && /give axis=/.test(e.message)), errors(sq).map((e) => e.message).join(' | '));
  });

  it('a Dense after tf.reshape is sized by the reshaped axis ((600 + 1)·5 = 3,005)', () => {
    const m = model(TF + 'x = keras.Input(shape=(10, 3, 200))\ny = tf.reshape(x, shape=(-1, x.shape[1], x.shape[2] * x.shape[3]))\nz = layers.Dense(5)(y)\nmodel = keras.Model(x, z)\n');
    assert.deepEqual(m.layers.map((l) => [l.name, l.outputShape, l.params]), [
      ['input_layer', [null, 10, 3, 200], 0],
      ['tf.reshape', [null, 10, 600], 0],
      ['dense', [null, 10, 5], 3005],
    ]);
  });

  it("tf.reshape works a -1 out next to the batch taken from tf.shape (TensorFlow's shape function; Keras 3's ops.reshape leaves it None)", () => {
    // (None, 8, 8, 192) to [batch, 64, -1]: the one unknown on each side taken for equal, -1 = 8·8·192 / 64 = 192,
    // as a printed tf.keras 2 summary shows (fixture github_mlp_mixer_cifar100.py).
    assert.deepEqual(op('(8, 8, 192)', 'tf.reshape(x, [tf.shape(x)[0], 64, -1])'), ['tf.reshape', 'TFOpLambda', [null, 64, 192]]);
    const k3 = model('import keras\nfrom keras import layers, ops\nx = keras.Input(shape=(8, 8, 192))\ny = ops.reshape(x, (ops.shape(x)[0], 64, -1))\nmodel = keras.Model(x, y)\n');
    assert.deepEqual(k3.layers.at(-1)!.outputShape, [null, 64, null]);
    // tf.linalg.matrix_transpose / ops.swapaxes: the last two (or the given) axes exchanged.
    assert.deepEqual(op('(64, 256)', 'tf.linalg.matrix_transpose(x)'), ['tf.linalg.matrix_transpose', 'TFOpLambda', [null, 256, 64]]);
    const sw = model('import keras\nfrom keras import layers, ops\nx = keras.Input(shape=(3, 4, 5))\ny = ops.swapaxes(x, 1, 3)\nmodel = keras.Model(x, y)\n');
    assert.deepEqual(sw.layers.at(-1)!.outputShape, [null, 5, 4, 3]);
  });

  it("a Sequential whose first layer is a class of the file is built by its first call on a Keras tensor", () => {
    // Block: Dense(4) on 4 features, (4 + 1)·4 = 20, twice in the Sequential: 40.
    const m = model(
      TF +
        'class Block(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(4)\n    def call(self, x):\n        return x + self.d(x)\n' +
        'blocks = keras.Sequential([Block(), Block()])\nx = keras.Input(shape=(7, 4))\nmodel = keras.Model(x, blocks(x))\n',
    );
    assert.deepEqual(m.layers.map((l) => [l.type, l.outputShape, l.params]), [['InputLayer', [null, 7, 4], 0], ['Sequential', [null, 7, 4], 40]]);
  });

  it('tf.shape(x) of a Keras tensor: its static shape (the batch as None), with the warning', () => {
    const r = read(TF + 'x = keras.Input(shape=(6, 4))\ny = tf.reshape(x, [tf.shape(x)[0], 24])\nmodel = keras.Model(x, layers.Dense(2)(y))\n');
    assert.deepEqual(errors(r), []);
    const m = r.models[0]!;
    assert.deepEqual(m.layers.map((l) => [l.name, l.outputShape, l.params]), [
      ['input_layer', [null, 6, 4], 0],
      ['tf.reshape', [null, 24], 0],
      ['dense', [null, 2], 50], // (24 + 1)·2
    ]);
    assert.ok(warnings(r).some((d) => d.range.line === 5 && /tf\.compat\.v1\.shape/.test(d.message)));
  });

  it("a VAE written at the top level: the noise sized by tf.shape(z_mean)[0] is a batch tensor of the model, a loss of Keras tensors for add_loss reads", () => {
    const r = read(
      TF +
        'inputs = keras.Input(shape=(784,))\n' +
        'h = layers.Dense(64, activation="relu")(inputs)\n' +
        'z_mean = layers.Dense(2)(h)\n' +
        'z_log_var = layers.Dense(2)(h)\n' +
        'eps = tf.random.normal(shape=(tf.shape(z_mean)[0], 2))\n' +
        'z = z_mean + tf.exp(0.5 * z_log_var) * eps\n' +
        'outputs = layers.Dense(784, activation="sigmoid")(layers.Dense(64, activation="relu")(z))\n' +
        'vae = keras.Model(inputs, outputs, name="vae")\n' +
        'reconstruction = tf.reduce_mean(keras.losses.binary_crossentropy(inputs, outputs)) * 784\n' +
        'kl = -0.5 * tf.reduce_mean(tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=-1))\n' +
        'vae.add_loss(reconstruction + kl)\n',
    );
    assert.deepEqual(errors(r), []);
    const m = r.models[0]!;
    // (784 + 1)·64 = 50,240; (64 + 1)·2 = 130 twice; (2 + 1)·64 = 192; (64 + 1)·784 = 50,960.
    assert.equal(m.totalParams, 50240 + 130 + 130 + 192 + 50960);
    assert.deepEqual(m.layers.find((l) => l.name === 'tf.random.normal')!.outputShape, [null, 2]);
    assert.ok(warnings(r).some((d) => d.range.line === 8 && /'tf\.random\.normal'.*keras\.random\.normal/.test(d.message)));
    // keras.losses.binary_crossentropy(y_true, y_pred): the mean over the last axis, so (None,) per sample.
    const loss = model(TF + 'a = keras.Input(shape=(10,))\nb = layers.Dense(10)(a)\nl = keras.losses.binary_crossentropy(a, b)\nmodel = keras.Model(a, l)\n');
    assert.deepEqual(loss.layers.at(-1)!.outputShape, [null]);
    // K.binary_crossentropy(target, output) (and keras.ops.binary_crossentropy) is element-wise: no axis reduced.
    const k = model(TF + 'from tensorflow.keras import backend as K\na = keras.Input(shape=(10,))\nb = layers.Dense(10)(a)\nl = K.binary_crossentropy(a, b)\nmodel = keras.Model(a, l)\n');
    assert.deepEqual(k.layers.at(-1)!.outputShape, [null, 10]);
  });

  it('every spelling of TensorFlow\'s Keras takes the same path: from tensorflow.keras import …, tf.keras.layers', () => {
    const m = model('import tensorflow as tf\nfrom tensorflow.keras.layers import Input, Dense\nfrom tensorflow.keras.models import Model\ni = Input((4,))\nh = tf.nn.sigmoid(Dense(3)(i))\nmodel = Model(i, h)\n');
    assert.deepEqual(m.layers.slice(1).map((l) => [l.name, l.type, l.outputShape]), [['dense', 'Dense', [null, 3]], ['tf.math.sigmoid', 'TFOpLambda', [null, 3]]]);
    assert.equal(m.totalParams, 15); // (4 + 1)·3
  });

  it('a TF function Model Lens has no rule for stays an error at its line, naming it', () => {
    const r = read(TF + 'x = keras.Input(shape=(8, 4))\na = tf.gather(x, [0, 2], axis=1)\nc = tf.math.top_k(x, k=2)\nmodel = keras.Model(x, layers.Dense(2)(c))\n');
    const es = errors(r);
    assert.ok(es.some((e) => e.range.line === 5 && /'tf\.gather' is given a Keras tensor/.test(e.message) && /does not know the shape/.test(e.message)), es.map((e) => e.message).join(' | '));
    assert.ok(es.some((e) => e.range.line === 6 && /'tf\.math\.top_k'/.test(e.message)));
  });

  it("an object of a library Model Lens does not read (tensorflow_hub's KerasLayer) called on a Keras tensor: the model's error names that line and call", () => {
    const r = read(TF + 'import tensorflow_hub as hub\nembed = hub.KerasLayer("https://tfhub.dev/x/1", trainable=False)\ninputs = layers.Input(shape=[], dtype=tf.string)\nx = tf.expand_dims(embed(inputs), axis=-1)\nmodel = keras.Model(inputs, layers.Dense(1)(layers.Flatten()(x)))\n');
    assert.ok(errors(r).some((e) => e.range.line === 8 && /line 7: cannot tell what 'embed' does/.test(e.message)), errors(r).map((e) => `${e.range.line}: ${e.message}`).join(' | '));
  });

  it('Keras 3 standalone (keras.ops imported): the error Keras 3 raises; standalone keras with nothing of Keras 3: read as Keras 2 did, with the warning', () => {
    const k3 = read('import keras\nimport tensorflow as tf\nfrom keras import layers, ops\nx = keras.Input(shape=(4,))\ny = tf.nn.relu(x)\nmodel = keras.Model(x, layers.Dense(1)(y))\n');
    assert.ok(errors(k3).some((e) => e.range.line === 5 && /Keras 3 raises a ValueError/.test(e.message) && /keras\.ops/.test(e.message)), errors(k3).map((e) => e.message).join(' | '));
    // tf.keras with keras.ops: TensorFlow ≥ 2.16, whose tf.keras is Keras 3 (tf.keras 2 has no keras.ops).
    const tfk3 = read(TF + 'from tensorflow.keras import ops\nx = keras.Input(shape=(4,))\ny = tf.nn.relu(x)\nmodel = keras.Model(x, layers.Dense(1)(y))\n');
    assert.ok(errors(tfk3).some((e) => e.range.line === 6 && /Keras 3 raises a ValueError/.test(e.message)), errors(tfk3).map((e) => e.message).join(' | '));
    const k2 = read('import keras\nimport tensorflow as tf\nfrom keras import layers\nx = keras.Input(shape=(4,))\ny = tf.nn.relu(x)\nmodel = keras.Model(x, layers.Dense(1)(y))\n');
    assert.deepEqual(errors(k2), []);
    assert.equal(k2.models[0]!.totalParams, 5); // (4 + 1)·1
    assert.ok(warnings(k2).some((d) => d.range.line === 5 && /Keras 2 \(TensorFlow ≤ 2\.15, or keras ≤ 2\.15\)/.test(d.message) && /Keras 3 .* raises a ValueError/.test(d.message)));
  });

  it('inside a layer class\'s call() a tf function stays computation of that layer (no warning)', () => {
    const r = read(TF + 'class Block(layers.Layer):\n    def call(self, x):\n        return tf.nn.relu(x)\nx = keras.Input(shape=(4,))\nmodel = keras.Model(x, Block()(x))\n');
    assert.deepEqual(errors(r), []);
    assert.deepEqual(warnings(r).filter((d) => /TFOpLambda/.test(d.message)), []);
  });

  it('the Train lens says the engine cannot train a TFOpLambda row yet, naming it (no crash)', () => {
    const m = model(TF + 'x = keras.Input(shape=(4,))\ny = tf.nn.relu(layers.Dense(3)(x))\nmodel = keras.Model(x, layers.Dense(1)(y))\n');
    const blocked = trainingBlocker(m);
    assert.ok(blocked);
    assert.equal(blocked.layer, 'tf.nn.relu');
    assert.match(blocked.message, /tensor operation \(tf\.nn\.relu\).*cannot train yet/);
  });

  it("the published models' TFOpLambda rows, as their printed tf.keras 2 summaries show them", () => {
    // (totals in manifest.ts PUBLISHED; rows from the printouts cited in each fixture's header)
    const rowsOf = (file: string) => {
      const p = path.join('test/unit/fixtures/published', file);
      const m = model(fs.readFileSync(p, 'utf8'));
      return m.layers.filter((l) => l.type === 'TFOpLambda').map((l) => [l.name, l.outputShape, l.params]);
    };
    assert.deepEqual(rowsOf('github_cnn_gru_transpose_squeeze.py'), [
      ['tf.expand_dims', [null, 5, 1, 1], 0],
      ['tf.compat.v1.transpose', [null, 5, 100, 1], 0],
      ['tf.compat.v1.squeeze', [null, 5, 100], 0],
    ]);
    assert.deepEqual(rowsOf('towardsai_mrna_bigru.py'), [['tf.reshape', [null, 107, 600], 0]]);
    assert.deepEqual(rowsOf('keras_vqvae_pixelcnn_prior.py'), [['tf.one_hot', [null, 7, 7, 128], 0]]);
    assert.deepEqual(rowsOf('github_flappy_dueling_dqn.py'), [['tf.math.reduce_mean', [null, 1], 0]]);
    assert.deepEqual(rowsOf('github_seq2seq_manual_attention.py'), [
      ['tf.linalg.matmul', [null, 64, 50], 0],
      ['tf.nn.softmax', [null, 64, 50], 0],
      ['tf.linalg.matmul_1', [null, 64, 256], 0],
    ]);
    assert.deepEqual(rowsOf('mls_content_based_filtering.py'), [
      ['tf.math.l2_normalize', [null, 32], 0],
      ['tf.math.l2_normalize_1', [null, 32], 0],
    ]);
    // keras.io TNT: the pixels folded into the batch ((None, 12, 12, 128) to (-1, 4, 32)), then unfolded per image in each block.
    assert.deepEqual(rowsOf('keras_tnt_cifar100.py'), [
      ['tf.image.extract_patches', [null, 12, 12, 128], 0],
      ['tf.reshape', [null, 4, 32], 0],
      ...['_1', '_2', '_3', '_4', '_5', '_6'].map((k) => [`tf.reshape${k}`, [null, 144, 128], 0]),
    ]);
    assert.deepEqual(rowsOf('github_traffic_sign_inception.py'), [
      ['tf.concat', [null, 14, 14, 112], 0],
      ['tf.concat_1', [null, 7, 7, 56], 0],
    ]);
    assert.deepEqual(rowsOf('github_video_gated_transformer.py'), [
      ['tf.expand_dims', [null, 1, 256], 0],
      ['tf.compat.v1.squeeze', [null, 256], 0],
    ]);
  });
});
