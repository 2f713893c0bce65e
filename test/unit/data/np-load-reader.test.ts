import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../../src/core/read-model';

const MODEL = `import numpy as np\nimport keras\nm = keras.Sequential([keras.Input((12,)), keras.layers.Embedding(50, 8), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(2)])\nm.compile('adam', 'sparse_categorical_crossentropy')\n`;
const training = (tail: string) => readModel('/home/u/proj/model.py', MODEL + tail).models[0]!.training;

test("np.load('….npz') with a literal path: the data the file fits on, from the file's folder", () => {
  const t = training(`data = np.load('data/text.npz')\nx_train, y_train = data['x_train'], data['y_train']\nm.fit(x_train, y_train, epochs=3)\n`);
  assert.equal(t.dataPath, '/home/u/proj/data/text.npz');
  assert.equal(t.datasetLine, 5);
  assert.equal(t.dataset, undefined);
  assert.equal(t.epochs, 3);
});

test('with np.load(…) as f, and scaling of the arrays', () => {
  assert.equal(training(`with np.load('../text.npz') as f:\n    x, y = f['x'], f['y']\nm.fit(x, y)\n`).dataPath, '/home/u/text.npz');
  const t = training(`d = np.load("/data/t.npz")\nm.fit(d["x_train"] / 255.0, d["y_train"])\n`);
  assert.equal(t.dataPath, '/data/t.npz');
  assert.ok(Math.abs(t.inputScale! - 1 / 255) < 1e-12);
});

test('a path the reader cannot resolve (a variable) names no data', () => {
  assert.equal(training(`import sys\nd = np.load(sys.argv[1])\nm.fit(d['x'], d['y'])\n`).dataPath, undefined);
});

const read = (tail: string) => readModel('/home/u/proj/model.py', MODEL + tail).models[0]!;
const warningsOf = (m: ReturnType<typeof read>) => m.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.range.line}: ${d.message}`);
const errorsOf = (m: ReturnType<typeof read>) => m.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`);

test("np.load('x.npy') with np.load('y.npy'): the run's data is the inputs file, which the loader pairs with y.npy", () => {
  const m = read(`x = np.load('arrays/x.npy')\ny = np.load('arrays/y.npy')\nm.fit(x, y, epochs=2)\n`);
  assert.deepEqual(errorsOf(m), []);
  assert.equal(m.training.dataPath, '/home/u/proj/arrays/x.npy');
  assert.equal(m.training.datasetLine, 5);
});

test('X_train.npy with y_train.npy (scikit-learn names), validated on X_test.npy / y_test.npy: the test split', () => {
  const m = read(`X_train, y_train = np.load('X_train.npy'), np.load('y_train.npy')\nX_test = np.load('X_test.npy')\ny_test = np.load('y_test.npy')\nm.fit(X_train, y_train, validation_data=(X_test, y_test))\n`);
  assert.deepEqual(errorsOf(m), []);
  assert.equal(m.training.dataPath, '/home/u/proj/X_train.npy');
  assert.equal(m.training.validationData, 'test');
});

test('.npy labels from another file, or inputs under another name, are said at the line (a warning: the summary does not depend on them) naming what to load, and Train refuses', () => {
  const other = read(`x = np.load('x.npy')\nlabels = np.load('labels.npy')\nm.fit(x, labels)\n`);
  assert.deepEqual(warningsOf(other), ["7: fit(x, y) with x from x.npy: Model Lens reads its labels from y.npy beside it; load y with np.load('y.npy') (this is about training in Model Lens only: the summary does not depend on it, but Train cannot run the model until it is changed)"]);
  assert.equal(other.training.fitErrors?.length, 1, 'training refuses');
  assert.deepEqual(errorsOf(other), []);
  const split = read(`x = np.load('x_train.npy')\ny = np.load('y.npy')\nm.fit(x, y)\n`);
  assert.match(warningsOf(split)[0] ?? '', /reads its labels from y_train\.npy beside it/);
  const val = read(`x = np.load('x_train.npy')\ny = np.load('y_train.npy')\nm.fit(x, y, validation_data=(np.load('val_x.npy'), np.load('val_y.npy')))\n`);
  assert.match(warningsOf(val)[0] ?? '', /^7: validation_data from val_x\.npy: Model Lens validates arrays saved one per file on x_test\.npy and y_test\.npy beside x_train\.npy/);
  const named = read(`x = np.load('features.npy')\ny = np.load('y.npy')\nm.fit(x, y)\n`);
  assert.match(warningsOf(named)[0] ?? '', /^7: fit\(x, …\) with x from features\.npy: Model Lens reads arrays saved one per file as x\.npy with y\.npy beside it/);
});
