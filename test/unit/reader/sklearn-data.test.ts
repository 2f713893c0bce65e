// scikit-learn's datasets as model files take sizes from them. Sizes from scikit-learn's dataset
// documentation (California housing: 20,640 samples × 8 features; iris: 150 × 4; digits: 1,797 ×
// 64, images 8 × 8); parameter counts by Keras's Dense formula (in + 1) · units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReturnType<typeof readModel>) => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const S = 'import tensorflow as tf\nfrom sklearn.datasets import fetch_california_housing, load_iris, load_digits\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n';

describe('scikit-learn data', () => {
  it("Hands-On ML's pipeline: fetch_california_housing → train_test_split twice → StandardScaler → Input(X_train.shape[1:])", () => {
    const r = readModel('m.py', S + 'housing = fetch_california_housing()\nX_full, X_test, y_full, y_test = train_test_split(housing.data, housing.target, random_state=42)\nX_train, X_valid, y_train, y_valid = train_test_split(X_full, y_full)\nscaler = StandardScaler()\nX_train = scaler.fit_transform(X_train)\nX_valid = scaler.transform(X_valid)\nm = tf.keras.Sequential([tf.keras.layers.Dense(30, input_shape=X_train.shape[1:]), tf.keras.layers.Dense(1)])\n');
    assert.deepEqual(all(r).map((d) => d.message), []);
    assert.equal(r.models[0]!.totalParams, 9 * 30 + 31);
  });

  it('columns of the table: X[:, :5] and X[:, 2:] (the wide and deep inputs); X[:, 0] drops the axis', () => {
    const r = readModel('m.py', S + 'X, y = fetch_california_housing(return_X_y=True)\na = tf.keras.Input(shape=X[:, :5].shape[1:])\nb = tf.keras.Input(shape=X[:, 2:].shape[1:] + X[:, 0].shape[1:])\nm = tf.keras.Model([a, b], tf.keras.layers.Dense(1)(tf.keras.layers.concatenate([a, b])))\n');
    assert.deepEqual(all(r).map((d) => d.message), []);
    assert.equal(r.models[0]!.totalParams, 5 + 6 + 1);
  });

  it('iris and digits (images 8 × 8)', () => {
    const r = readModel('m.py', S + 'iris = load_iris()\ndigits = load_digits()\na = tf.keras.Sequential([tf.keras.Input(iris.data.shape[1:]), tf.keras.layers.Dense(3)])\nb = tf.keras.Sequential([tf.keras.Input(digits.images.shape[1:] + (1,)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])\n');
    assert.deepEqual(all(r).map((d) => d.message), []);
    assert.deepEqual(r.models.map((m) => m.totalParams), [5 * 3, 65 * 10]);
  });

  it('a dataset as pandas frames (as_frame=True) or one not listed stays unknown: an error at the line', () => {
    const r = readModel('m.py', S + 'housing = fetch_california_housing(as_frame=True)\nm = tf.keras.Sequential([tf.keras.Input(housing.data.shape[1:]), tf.keras.layers.Dense(1)])\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 6));
  });
});
