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

test('a path the reader cannot resolve (a variable, a .npy) names no data', () => {
  assert.equal(training(`import sys\nd = np.load(sys.argv[1])\nm.fit(d['x'], d['y'])\n`).dataPath, undefined);
  assert.equal(training(`x = np.load('x.npy')\ny = np.load('y.npy')\nm.fit(x, y)\n`).dataPath, undefined);
});
