// A model class without call() (keras.io's VAE, DCGAN and WGAN-GP wrappers: train_step drives the
// models they hold). Keras never builds it, so it has no summary; the file is valid. Figures: Dense
// (in + 1)·units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';
import { modelReport } from '../../../src/cli/model-file';
import fs from 'node:fs';
import { unbuiltLenses } from '../../../src/extension/text/lens-text';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const said = (r: ReadResult) => all(r).map((d) => [d.severity, d.code, d.range.line]);
// Lines 1-12.
const HEAD = [
  'import numpy as np',
  'import keras',
  'from keras import layers',
  'enc = keras.Sequential([keras.Input((6,)), layers.Dense(3)], name="enc")',
  'dec = keras.Sequential([keras.Input((3,)), layers.Dense(6)], name="dec")',
  'class AE(keras.Model):',
  '    def __init__(self, enc, dec, **kw):',
  '        super().__init__(**kw)',
  '        self.enc = enc',
  '        self.dec = dec',
  '    def train_step(self, data):',
  '        return {"loss": 0.0}',
].join('\n') + '\n';
const read = (tail: string) => readModel('m.py', HEAD + tail);

describe('a model class without call()', () => {
  it('made, compiled and fit on arrays of a known shape: a warning at its line, not listed, the models it holds read exactly', () => {
    const r = read('ae = AE(enc, dec)\nae.compile(optimizer="adam")\nae.fit(np.zeros((10, 6)), epochs=2)\n');
    assert.deepEqual(said(r), [['warning', 'not-built', 13]]);
    assert.match(all(r)[0]!.message, /model 'ae' \(class AE\) has no call\(\) method, so Keras never builds it .*does not run its custom train_step/);
    // enc: (6 + 1)·3 = 21; dec: (3 + 1)·6 = 24.
    assert.deepEqual(r.models.map((m) => [m.name, m.totalParams]), [['enc', 21], ['dec', 24]]);
    assert.deepEqual(r.unbuilt?.map((u) => [u.name, u.className, u.trainStep, u.range.line]), [['ae', 'AE', true, 13]]);
    // The CLI exits 0 (no error) and lists only the two models.
    assert.equal(modelReport('m.py', r).failed, false);
  });

  it('summary(), count_params(), build() and a call of it are errors at their lines (tf.keras raises at each)', () => {
    const r = read('ae = AE(enc, dec)\nae.summary()\nn = ae.count_params()\nae.build((None, 6))\ny = ae(keras.Input((6,)))\n');
    assert.deepEqual(said(r), [['error', 'not-built', 14], ['error', 'not-built', 15], ['error', 'not-built', 16], ['error', 'not-built', 17], ['warning', 'not-built', 13]]);
    const m = all(r).map((d) => d.message);
    assert.match(m[0]!, /its summary\(\) is not one Model Lens prints \(tf\.keras raises a ValueError there/);
    assert.match(m[1]!, /count_params\(\) raises a ValueError \(the model is not built\)/);
    assert.match(m[3]!, /calling it raises NotImplementedError/);
    assert.equal(modelReport('m.py', r).failed, true);
    // As a layer of a Sequential model: the same error, at the use.
    const seq = read('ae = AE(enc, dec)\nouter = keras.Sequential([keras.Input((6,)), ae])\n');
    assert.deepEqual(said(seq).filter((x) => x[0] === 'error'), [['error', 'not-built', 14]]);
    assert.match(all(seq).find((d) => d.severity === 'error')!.message, /calling it raises NotImplementedError/);
  });

  it('when a layer goes somewhere Model Lens cannot follow, the held models are in doubt but the wrapper is still only said at its line', () => {
    const r = read('import mystery\nmystery.attach(layers.Dense(3))\nae = AE(enc, dec)\n');
    assert.deepEqual(r.models.map((m) => [m.name, (m.gaps?.length ?? 0) > 0]), [['enc', true], ['dec', true]]);
    assert.deepEqual(r.unbuilt?.map((u) => u.name), ['ae']);
  });

  it('a class of the file that gets call() from its base is built as usual', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\nclass Base(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(2)\n    def call(self, x):\n        return self.d(x)\nclass Child(Base):\n    def train_step(self, data):\n        return {}\nm = Child()\nm.build((None, 4))\n');
    assert.deepEqual(said(r), []);
    assert.equal(r.models[0]!.totalParams, 10); // (4 + 1)·2
    assert.equal(r.unbuilt, undefined);
  });

  it('--model NAME of such a model says why it has no summary', () => {
    const r = read('ae = AE(enc, dec)\n');
    const rep = modelReport('m.py', r, 'ae');
    assert.equal(rep.failed, true);
    assert.ok(rep.lines.some((l) => /^m\.py:13:\d+: model 'ae' \(class AE\) has no call\(\) method/.test(l)), rep.lines.join('\n'));
  });

  it('its code lens has no count and no Train, and says the train_step is not run', () => {
    const r = read('ae = AE(enc, dec)\n');
    const [lens] = unbuiltLenses(r.unbuilt![0]!);
    assert.equal(lens!.title, 'ae · not built (no call()) · its train_step is not run here');
    assert.equal(lens!.command, '');
  });

  it("keras.io's DCGAN written anew (fixture): both models read, the wrapper only said at its line", () => {
    const file = 'test/unit/fixtures/published/keras_dcgan_train_step.py';
    const r = readModel(file, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(said(r), [['warning', 'not-built', 64]]);
    assert.deepEqual(r.models.map((m) => m.name), ['discriminator', 'generator']);
  });
});
