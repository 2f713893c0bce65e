// The sizes Keras 3's summary prints beside its totals (weight-bytes.ts): float32 weights are 4
// bytes, the int64 `count` of an adapted Normalization 8. Figures: keras.io's EfficientNetB0 with
// 120 classes (keras-team/keras-io examples/vision/md/image_classification_efficientnet_fine_tuning.md,
// Keras 3 printout: "Total params: 4,203,291 (16.03 MB)", "Trainable params: 4,161,268 (15.87 MB)",
// "Non-trainable params: 42,023 (164.16 KB)"), and the formula for the small ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readModel } from '../../../src/core/read-model';
import { summaryTable } from '../../../src/core/model/summary-table';
import { weightBytes } from '../../../src/core/model/weight-bytes';

const totals = (src: string, name?: string) => {
  const r = readModel('m.py', src);
  const m = name ? r.models.find((x) => x.name === name)! : r.models.at(-1)!;
  return summaryTable(m, 'm.py').split('\n').filter((l) => /params:/.test(l));
};

describe('the sizes beside the totals', () => {
  it("keras.io's EfficientNetB0 (120 classes): its adapted Normalization's int64 count makes 164.16 KB, as printed", () => {
    const lines = totals('import keras\nmodel = keras.applications.EfficientNetB0(include_top=True, weights=None, classes=120, input_shape=(224, 224, 3))\n');
    assert.deepEqual(lines, ['Total params: 4,203,291 (16.03 MB)', 'Trainable params: 4,161,268 (15.87 MB)', 'Non-trainable params: 42,023 (164.16 KB)']);
  });

  it('an adapted Normalization of 8 features: mean and variance 16·4 bytes + the count 8 = 72 B; given a mean, no weights', () => {
    const lines = totals('import keras\nfrom keras import layers\ninp = keras.Input(shape=(8,))\nnorm = layers.Normalization()\nnorm.adapt(data)\nmodel = keras.Model(inp, layers.Dense(1)(norm(inp)))\n');
    // Dense (8 + 1)·1 = 9 float32 = 36 B; total 17 + 9 = 26 params = 72 + 36 = 108 B.
    assert.deepEqual(lines, ['Total params: 26 (108.00 B)', 'Trainable params: 9 (36.00 B)', 'Non-trainable params: 17 (72.00 B)']);
  });

  it('inside a nested Sequential the count is counted once for the outer model too', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\npre = keras.Sequential([layers.Input((4,)), layers.Normalization()])\ninp = keras.Input(shape=(4,))\nmodel = keras.Model(inp, layers.Dense(2)(pre(inp)))\n');
    const outer = r.models.find((m) => m.name === 'functional')!;
    // Normalization 2·4 + 1 = 9 params (8 float32 + 1 int64 = 40 B); Dense (4 + 1)·2 = 10 (40 B).
    assert.deepEqual(weightBytes(outer), { total: 80, trainable: 40, nonTrainable: 40 });
  });

  it('float32 weights only: 4 bytes each', () => {
    const lines = totals('import keras\nfrom keras import layers\nmodel = keras.Sequential([layers.Input((3,)), layers.Dense(2)])\n');
    assert.deepEqual(lines, ['Total params: 8 (32.00 B)', 'Trainable params: 8 (32.00 B)', 'Non-trainable params: 0 (0.00 B)']);
  });
});
