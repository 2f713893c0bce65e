// keras.utils.image_dataset_from_directory (tf.keras.preprocessing.image_dataset_from_directory):
// a dataset of batches whose shapes its arguments give (Keras's defaults: image_size=(256, 256),
// batch_size=32, color_mode="rgb", label_mode="int"), so a model built by fit on it gets its input
// shape. The folder is never read. Figures: Conv2D (kh·kw·cin + 1)·filters, Dense (in + 1)·units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const errors = (r: ReadResult) => all(r).filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`);

const SUBCLASSED = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(8, 3)
        self.pool = layers.GlobalAveragePooling2D()
        self.out = layers.Dense(1, activation="sigmoid")

    def call(self, x):
        return self.out(self.pool(self.conv(x)))

`;

describe('image_dataset_from_directory', () => {
  it('builds a subclassed model fit on it with (None, h, w, 3); the batch size goes to training; the folder is said not read', () => {
    const r = readModel('m.py', SUBCLASSED + 'train_ds = tf.keras.utils.image_dataset_from_directory("pets/train", image_size=(64, 48), batch_size=16, label_mode="binary")\nmodel = Net()\nmodel.compile(optimizer="adam", loss="binary_crossentropy")\nmodel.fit(train_ds, epochs=3)\n');
    assert.deepEqual(errors(r), []);
    const m = r.models[0]!;
    // conv (3·3·3 + 1)·8 = 224; dense (8 + 1)·1 = 9.
    assert.equal(m.totalParams, 233);
    assert.deepEqual(m.layers.find((l) => l.name === 'conv2d')?.outputShape, [null, 62, 46, 8]);
    assert.equal(m.training.batchSize, 16);
    const w = all(r).find((d) => d.code === 'unsupported-dataset')!;
    assert.equal(w.range.line, 15);
    assert.match(w.message, /does not read image folders: .*\(None, 64, 48, 3\) images, and Train uses the dataset chosen in the settings/);
  });

  it("Keras's defaults (256×256 rgb, batch 32), grayscale and rgba, and the tf.keras.preprocessing spelling", () => {
    const conv = (call: string) => {
      const r = readModel('m.py', SUBCLASSED + `ds = ${call}\nmodel = Net()\nmodel.fit(ds)\n`);
      assert.deepEqual(errors(r), []);
      return [r.models[0]!.layers.find((l) => l.name === 'conv2d')!.outputShape, r.models[0]!.layers.find((l) => l.name === 'conv2d')!.params, r.models[0]!.training.batchSize];
    };
    assert.deepEqual(conv('keras.utils.image_dataset_from_directory("d")'), [[null, 254, 254, 8], 224, 32]);
    // grayscale: (9 + 1)·8 = 80; rgba: (36 + 1)·8 = 296.
    assert.deepEqual(conv('keras.utils.image_dataset_from_directory("d", color_mode="grayscale", image_size=(28, 28))'), [[null, 26, 26, 8], 80, 32]);
    assert.deepEqual(conv('tf.keras.preprocessing.image_dataset_from_directory("d", color_mode="rgba", image_size=(10, 10), batch_size=8)'), [[null, 8, 8, 8], 296, 8]);
  });

  it('subset="both" gives the training and validation datasets as a tuple', () => {
    const r = readModel('m.py', SUBCLASSED + 'tr, va = keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset="both", seed=1, image_size=(20, 20))\nmodel = Net()\nmodel.fit(tr, validation_data=va)\n');
    assert.deepEqual(errors(r), []);
    assert.equal(r.models[0]!.totalParams, 233);
  });

  it('a loop over its batches gives (batch, h, w, c) images and labels by label_mode; .cache().shuffle().prefetch() keep it', () => {
    const r = readModel('m.py', SUBCLASSED + 'ds = keras.utils.image_dataset_from_directory("d", image_size=(20, 20), batch_size=4).cache().shuffle(100).prefetch(2)\nmodel = Net()\nfor images, labels in ds.take(1):\n    out = model(images)\n');
    assert.deepEqual(errors(r), []);
    assert.equal(r.models[0]!.totalParams, 233);
  });

  it('what cannot be worked out (image_size from data, batch_size=None: single images) builds nothing, and the model says so', () => {
    for (const call of ['keras.utils.image_dataset_from_directory("d", image_size=size)', 'keras.utils.image_dataset_from_directory("d", batch_size=None)']) {
      const r = readModel('m.py', SUBCLASSED + `import sys\nsize = sys.argv[1]\nds = ${call}\nmodel = Net()\nmodel.fit(ds)\n`);
      assert.ok(all(r).some((d) => d.severity === 'error' && d.code === 'no-input-shape'), call);
    }
  });

  it('as validation_data it is a warning for training, not an error: the summary stands (exit 0)', () => {
    const r = readModel('m.py', SUBCLASSED + 'tr = keras.utils.image_dataset_from_directory("d/train", image_size=(32, 32))\nva = keras.utils.image_dataset_from_directory("d/val", image_size=(32, 32))\nmodel = Net()\nmodel.compile(optimizer="adam", loss="binary_crossentropy")\nmodel.fit(tr, validation_data=va, epochs=2, steps_per_epoch=10, validation_steps=5)\n');
    assert.deepEqual(errors(r), []);
    assert.equal(r.models[0]!.totalParams, 233);
    const w = r.models[0]!.diagnostics.find((d) => d.code === 'training-config')!;
    assert.equal(w.severity, 'warning');
    assert.equal(w.range.line, 19);
    assert.equal(r.models[0]!.training.fitErrors?.[0]?.line, 19);
  });
});
