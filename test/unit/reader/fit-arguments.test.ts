// fit() arguments read from the file: validation_data as the dataset's test split (Keras: it overrides
// validation_split), class_weight as a dict, callbacks given as variables; what cannot be used for
// training is a warning at its line (the summary does not depend on it) and a fitErrors entry that
// stops training, never dropped; what Keras itself raises at stays an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readModel } from '../../../src/core/read-model';

const FILE = (fit: string, before = '') => `import tensorflow as tf
from tensorflow import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
${before}
model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])
model.compile('adam', 'sparse_categorical_crossentropy', ['accuracy'])
model.fit(${fit})
`;

const read = (fit: string, before = '') => readModel('m.py', FILE(fit, before)).models[0]!;
const errors = (m: ReturnType<typeof read>) => m.diagnostics.filter((d) => d.severity === 'error');
// What Model Lens cannot use for training: warnings, each also in fitErrors (so Train refuses).
const forTraining = (m: ReturnType<typeof read>) => {
  assert.deepEqual(errors(m), []);
  const w = m.diagnostics.filter((d) => d.severity === 'warning' && d.code === 'training-config');
  assert.deepEqual(w.map((d) => d.range.line), (m.training.fitErrors ?? []).map((e) => e.line));
  for (const d of w) assert.match(d.message, /the summary does not depend on it, but Train cannot run the model until it is changed/);
  return w;
};

test('validation_data=(x_test, y_test) is the test split and overrides validation_split', () => {
  const m = read('x_train, y_train, epochs=2, validation_split=0.1, validation_data=(x_test, y_test)');
  assert.deepEqual(errors(m), []);
  assert.equal(m.training.validationData, 'test');
  assert.equal(m.training.validationSplit, 0);
  // Also from variables, and with the one-hot labels of to_categorical.
  const m2 = read('x_train, y_train, validation_data=val', 'val = (x_test, keras.utils.to_categorical(y_test))');
  assert.equal(m2.training.validationData, 'test');
});

test('validation_data Model Lens cannot use is a warning at its line for training, saying what to write', () => {
  const other = read('x_train, y_train, validation_data=(x_val, y_val)', 'import numpy as np\nx_val = np.load("val_x.npy")\ny_val = np.load("val_y.npy")');
  const e = forTraining(other);
  assert.equal(e.length, 1);
  assert.equal(e[0]!.range.line, 10);
  assert.match(e[0]!.message, /validation_data=\(x_test, y_test\)/);
  assert.equal(other.training.validationData, undefined);
  assert.equal(other.training.fitErrors?.[0]?.line, 10);
  assert.match(forTraining(read('x_train, y_train, validation_data=(x_train, y_train)'))[0]!.message, /cannot work out validation_data/);
  assert.match(forTraining(read('x_train, y_train, validation_data=(x_test[:500], y_test[:500])'))[0]!.message, /a slice of the test split/);
  assert.match(forTraining(read('x_train, y_train, validation_data=(xt, y_test)', 'xt = x_test / 255.0'))[0]!.message, /scaled by .* but training images by/);
});

test('class_weight: a dict of class index to weight; anything else a warning at the line for training; sample_weight said unsupported', () => {
  assert.deepEqual(read('x_train, y_train, class_weight={0: 1.0, 1: 2.5, 9: 0.5}').training.classWeight, { '0': 1, '1': 2.5, '9': 0.5 });
  assert.deepEqual(read('x_train, y_train, class_weight=cw', 'N = 10\ncw = {0: 1.0, 1: 1.0 + 1 / N, 2: 1.2}').training.classWeight, { '0': 1, '1': 1.1, '2': 1.2 });
  const bad = read('x_train, y_train, class_weight=weights', 'from sklearn.utils import class_weight\nweights = class_weight.compute_class_weight("balanced", classes=range(10), y=y_train)');
  assert.match(forTraining(bad)[0]!.message, /cannot work out class_weight; write a dict/);
  assert.equal(forTraining(bad)[0]!.range.line, 9);
  assert.match(forTraining(read('x_train, y_train, sample_weight=w'))[0]!.message, /sample_weight is not supported/);
  assert.deepEqual(forTraining(read('x_train, y_train, class_weight=None')), []);
});

test('callbacks built before fit() and their Keras defaults', () => {
  const m = read('x_train, y_train, validation_data=(x_test, y_test), callbacks=[reduce, stop]', 'reduce = keras.callbacks.ReduceLROnPlateau(patience=3)\nstop = keras.callbacks.EarlyStopping(patience=5)');
  assert.deepEqual(m.training.callbacks![0], { type: 'ReduceLROnPlateau', monitor: 'val_loss', factor: 0.1, patience: 3, minDelta: 1e-4, cooldown: 0, minLr: 0, mode: 'auto', line: 9 });
  assert.equal(m.training.callbacks![1]!.type, 'EarlyStopping');
  const both = read('x_train, y_train, callbacks=[keras.callbacks.ReduceLROnPlateau(), keras.callbacks.LearningRateScheduler(lambda e, lr: lr)]');
  assert.match(forTraining(both)[0]!.message, /LearningRateScheduler and ReduceLROnPlateau both set the learning rate/);
  // Keras itself raises at these: errors.
  assert.match(errors(read('x_train, y_train, callbacks=[keras.callbacks.ReduceLROnPlateau(factor=2.0)]'))[0]!.message, /factor >= 1\.0/);
  assert.match(errors(read('x_train, y_train, nb_epoch=3'))[0]!.message, /nb_epoch/);
});
