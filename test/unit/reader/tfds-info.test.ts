// TensorFlow Datasets' metadata as a model file reads it. Facts from the TFDS catalog
// (tensorflow.org/datasets/catalog/mnist: image (28, 28, 1), label 10 classes, train 60,000 /
// test 10,000; …/rock_paper_scissors: image (300, 300, 3), 3 classes, train 2,520 / test 372);
// parameter counts by Keras's Dense formula (in + 1) · units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readModel } from '../../../src/core/read-model';

const S = 'import numpy as np\nimport tensorflow as tf\nimport tensorflow_datasets as tfds\n';
const all = (r: ReturnType<typeof readModel>) => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];

describe('tfds metadata', () => {
  it("tfds.builder(name).info: features['image'].shape, features['label'].num_classes, splits[…].num_examples", () => {
    const r = readModel('m.py', S + 'info = tfds.builder("mnist").info\nn = int(np.prod(info.features["image"].shape))\nk = info.features["label"].num_classes\nsteps = info.splits["train"].num_examples // 100\nm = tf.keras.Sequential([tf.keras.Input((n,)), tf.keras.layers.Dense(steps), tf.keras.layers.Dense(k)])\n');
    assert.deepEqual(all(r).map((d) => d.message), []);
    // 784 inputs → Dense(600): 785·600 = 471,000; → Dense(10): 601·10 = 6,010.
    assert.equal(r.models[0]!.totalParams, 471000 + 6010);
  });

  it('tfds.load(name, with_info=True) gives (dataset, info); a versioned name is the same dataset', () => {
    const r = readModel('m.py', S + '(train, test), info = tfds.load("rock_paper_scissors:3.*.*", split=["train", "test"], as_supervised=True, with_info=True)\nh, w, c = info.features["image"].shape\nm = tf.keras.Sequential([tf.keras.Input((h, w, c)), tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(info.features["label"].num_classes)])\n');
    assert.deepEqual(all(r).map((d) => d.message), []);
    assert.equal(r.models[0]!.totalParams, (3 + 1) * 3);
  });

  it('a dataset the table does not list stays unknown: the size is an error at the line, never a guess', () => {
    const r = readModel('m.py', S + 'info = tfds.builder("my_private_set").info\nm = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(info.features["label"].num_classes)])\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 5), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });
});
