// Every way of building a model that Keras documents (issue 10, item 2). Expected figures follow
// Keras's formulas: Dense = (in + 1)·units; Conv2D = (kh·kw·cin + 1)·filters; BatchNormalization = 4·C.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
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
    // Multiply is in the layer catalog: layers.multiply([a, b]) is Multiply()([a, b]).
    const [p] = clean('i = keras.Input((4,))\na = layers.Dense(3)(i)\nb = layers.Dense(3)(i)\nm = layers.multiply([a, b])\nmodel = keras.Model(i, m)\n');
    assert.deepEqual(rows(p!).slice(3), [['multiply', 'Multiply', [null, 3], 0]]);
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

  it('Keras applications are refused at the line, not dropped', () => {
    const r = read('from keras.applications import VGG16\nbase = VGG16(include_top=False, input_shape=(150, 150, 3))\nm = keras.Sequential([base, layers.Flatten(), layers.Dense(1)])\n');
    const ds = all(r).filter((d) => d.severity === 'error');
    assert.ok(ds.some((d) => d.range.line === 4 && /keras\.applications/.test(d.message)));
    assert.ok(ds.some((d) => d.code === 'incomplete' && d.range.line === 5), ds.map((d) => `${d.range.line} ${d.code} ${d.message}`).join('\n'));
  });
});
