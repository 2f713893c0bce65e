/**
 * A .py that loads a trained model: `keras.models.load_model("…")` (also tf.keras.… and
 * keras.saving.…) shows the saved model at that line, the path relative to the .py and inside the
 * workspace; `model.load_weights("…")` on a model built in code makes runs start from those
 * weights, matched as Keras matches them, with a clear message on mismatch.
 *
 * Expected counts: the reference files' README (../shared/reference/keras-files/README.md) lists
 * Keras's own totals — mnist_model.keras 34,826 (Keras 3.1.1), mnist.h5 44,426 (Keras 2.1.6).
 * Weights fixtures are written here in the layouts of Keras's saving code (keras/src/saving/
 * saving_lib.py: `layers/<snake_case class>[_n]/vars/<i>`; legacy_h5_format.py: root
 * `layer_names`, per-layer `weight_names`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readModel } from '../../../src/core/read-model';
import { createH5, h5ready } from '../../../src/core/saved/hdf5';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { loadStartWeights } from '../../../src/worker/saved-weights';

const REF = path.resolve('../shared/reference/keras-files');
const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-loadpy-')));
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-outside-'));
test.after(() => {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});
test.before(async () => {
  await h5ready();
  fs.mkdirSync(path.join(ws, 'models'));
  fs.copyFileSync(path.join(REF, 'mnist_model.keras'), path.join(ws, 'models', 'mnist.keras'));
  fs.copyFileSync(path.join(REF, 'mnist.h5'), path.join(ws, 'old.h5'));
  fs.copyFileSync(path.join(REF, 'mnist_model.keras'), path.join(outside, 'secret.keras'));
  fs.symlinkSync(path.join(outside, 'secret.keras'), path.join(ws, 'link.keras'));
});

const read = (name: string, text: string) => {
  const file = path.join(ws, 'src', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return readModel(file, text, { workspaceRoot: ws });
};
const errors = (r: ReturnType<typeof readModel>) => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');

test('load_model shows the saved model at its line, path relative to the .py', () => {
  const r = read(
    'a.py',
    ['import keras', 'import tensorflow as tf', '(x, y), (xt, yt) = keras.datasets.mnist.load_data()', 'model = keras.models.load_model("../models/mnist.keras")', 'old = tf.keras.models.load_model("../old.h5")', 'same = keras.saving.load_model("../models/mnist.keras")', 'model.fit(x / 255.0, y, epochs=2)'].join('\n'),
  );
  assert.deepEqual(errors(r), []);
  assert.equal(r.models.length, 3);
  const [m, old, same] = r.models as [NonNullable<(typeof r.models)[0]>, NonNullable<(typeof r.models)[0]>, NonNullable<(typeof r.models)[0]>];
  assert.equal(m.totalParams, 34826);
  assert.equal(old.totalParams, 44426);
  assert.equal(same.totalParams, 34826);
  assert.equal(m.variable, 'model');
  assert.equal(m.range.line, 4);
  assert.ok(m.layers.every((l) => l.range.line === 4));
  assert.equal(old.range.line, 5);
  assert.deepEqual(m.startWeights, { file: path.join(ws, 'models', 'mnist.keras'), line: 4, kind: 'model' });
  // The .py's fit wins over the file's saved training config; its data scaling is the one used.
  assert.equal(m.training.epochs, 2);
  assert.equal(m.training.dataset, 'mnist');
  assert.equal(m.training.inputScale, 1 / 255);
  // Not set in the .py: the file's own compile_config (this file was compiled with categorical_crossentropy).
  assert.equal(m.training.loss, 'categorical_crossentropy');
});

test('a loaded model with no scaling in the .py says which scaling it assumes', () => {
  const r = read('b.py', 'import keras\nmodel = keras.models.load_model("../models/mnist.keras")\n');
  assert.equal(r.models[0]!.training.inputScale, 1 / 255);
  assert.match(r.models[0]!.training.inputScaleSource!, /file does not say how its inputs were scaled/);
});

test('paths outside the workspace, links out of it, missing files and computed paths are refused at the line', () => {
  const r = read(
    'c.py',
    ['import keras, os', 'a = keras.models.load_model("../../outside.keras")', `b = keras.models.load_model("${outside}/secret.keras")`, 'c = keras.models.load_model("../link.keras")', 'd = keras.models.load_model("../nope.keras")', 'e = keras.models.load_model(os.environ["M"])'].join('\n'),
  );
  assert.equal(r.models.length, 0);
  const byLine = new Map(r.diagnostics.map((d) => [d.range.line, d]));
  assert.match(byLine.get(2)!.message, /outside the workspace/);
  assert.match(byLine.get(3)!.message, /outside the workspace/);
  assert.match(byLine.get(4)!.message, /is a link to .*outside the workspace/);
  assert.match(byLine.get(5)!.message, /does not exist \(looked for .*nope\.keras, relative to this \.py file\)/);
  assert.equal(byLine.get(6)!.severity, 'warning');
  assert.match(byLine.get(6)!.message, /only when its path is written as a string/);
});

test('a file that is not a model says so; a loaded model used as a layer is not counted silently', () => {
  fs.writeFileSync(path.join(ws, 'notes.keras'), 'hello');
  const r = read('d.py', ['import keras', 'm = keras.models.load_model("../notes.keras")', 'base = keras.models.load_model("../models/mnist.keras")', 'x = keras.Input((28, 28, 1))', 'y = base(x)', 'outer = keras.Model(x, y)'].join('\n'));
  const e = errors(r);
  assert.ok(e.some((d) => d.range.line === 2 && /not a Keras model file/.test(d.message)), JSON.stringify(e));
  assert.ok(e.some((d) => d.range.line === 5 && /used as a layer/.test(d.message)), JSON.stringify(e));
});

// ------------------------------------------------------------------ load_weights (worker side)

const CODE = ['import keras', 'model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(10, activation="softmax")])', 'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")'];

function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(seed * 1000 + i) * 0.1;
  return v;
}

/** Keras 3 `model.save_weights("w.weights.h5")` layout for CODE's model (saving_lib.py). */
function writeKeras3Weights(file: string, hidden = 16): void {
  const f = createH5(file);
  try {
    f.create_group('layers').create_group('flatten').create_group('vars');
    const d = f.get('layers') as ReturnType<typeof f.create_group>;
    const v0 = d.create_group('dense').create_group('vars');
    v0.create_dataset({ name: '0', data: values(784 * hidden, 1), shape: [784, hidden], dtype: '<f4' });
    v0.create_dataset({ name: '1', data: values(hidden, 2), shape: [hidden], dtype: '<f4' });
    const v1 = d.create_group('dense_1').create_group('vars');
    v1.create_dataset({ name: '0', data: values(hidden * 10, 3), shape: [hidden, 10], dtype: '<f4' });
    v1.create_dataset({ name: '1', data: values(10, 4), shape: [10], dtype: '<f4' });
    f.create_group('vars');
  } finally {
    f.close();
  }
}

/** Keras 2 `model.save_weights("w.h5")` layout (legacy_h5_format.py), layer names from another session. */
function writeLegacyWeights(file: string, layers: [string, number, number][]): void {
  const f = createH5(file);
  try {
    const names = ['flatten_7', ...layers.map((l) => l[0])];
    const longest = Math.max(...names.map((n) => n.length));
    f.create_attribute('layer_names', names, [names.length], `S${longest}`);
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('keras_version', '2.15.0');
    f.create_group('flatten_7').create_attribute('weight_names', new Float64Array(0), [0], '<f8');
    layers.forEach(([name, fanIn, units], i) => {
      const g = f.create_group(name);
      const wn = [`${name}/kernel:0`, `${name}/bias:0`];
      g.create_attribute('weight_names', wn, [2], `S${Math.max(...wn.map((w) => w.length))}`);
      const s = g.create_group(name);
      s.create_dataset({ name: 'kernel:0', data: values(fanIn * units, 10 + i), shape: [fanIn, units], dtype: '<f4' });
      s.create_dataset({ name: 'bias:0', data: values(units, 20 + i), shape: [units], dtype: '<f4' });
    });
  } finally {
    f.close();
  }
}

const close = (a: Float32Array | Int32Array | Uint8Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < 1e-7);

test('load_weights: a Keras 3 .weights.h5 and a legacy .h5 set the built model\'s weights; mismatches name the layer', async () => {
  await initBackend('cpu');
  writeKeras3Weights(path.join(ws, 'w.weights.h5'));
  writeLegacyWeights(path.join(ws, 'w2.h5'), [['dense_8', 784, 16], ['dense_9', 16, 10]]);
  writeKeras3Weights(path.join(ws, 'wide.weights.h5'), 32);
  writeLegacyWeights(path.join(ws, 'short.h5'), [['dense_8', 784, 16]]);

  const r = read('e.py', [...CODE, 'model.load_weights("../w.weights.h5")'].join('\n'));
  assert.deepEqual(errors(r), []);
  const ir = r.models[0]!;
  assert.deepEqual(ir.startWeights, { file: path.join(ws, 'w.weights.h5'), line: 4, kind: 'weights' });
  const built = await buildModel(ir);
  try {
    await loadStartWeights(built.model, ir, ir.startWeights!);
    const w = built.model.getWeights().map((t) => t.dataSync() as Float32Array);
    assert.ok(close(w[0]!, values(784 * 16, 1)) && close(w[1]!, values(16, 2)) && close(w[2]!, values(160, 3)) && close(w[3]!, values(10, 4)));

    // Legacy: matched in order, whatever the saved layer names were.
    await loadStartWeights(built.model, ir, { file: path.join(ws, 'w2.h5'), kind: 'weights' });
    const w2 = built.model.getWeights().map((t) => t.dataSync() as Float32Array);
    assert.ok(close(w2[0]!, values(784 * 16, 10)) && close(w2[3]!, values(10, 21)));

    await assert.rejects(loadStartWeights(built.model, ir, { file: path.join(ws, 'wide.weights.h5'), kind: 'weights' }), /wide\.weights\.h5: weight 'dense\/kernel' is saved as \[784, 32\] but layer 'dense' needs \[784, 16\]/);
    await assert.rejects(loadStartWeights(built.model, ir, { file: path.join(ws, 'short.h5'), kind: 'weights' }), /short\.h5: it holds weights for 1 layers \(dense_8\) but the model built in the code has 2 layers with weights \(dense, dense_1\)/);
    await assert.rejects(loadStartWeights(built.model, ir, { file: path.join(ws, 'models', 'mnist.keras'), kind: 'weights' }), /not an HDF5 weights file/);
  } finally {
    built.model.dispose();
  }
});

test('load_weights of something that is not HDF5 is an error at the line', () => {
  fs.writeFileSync(path.join(ws, 'ckpt.index'), 'x');
  const r = read('f.py', [...CODE, 'model.load_weights("../ckpt.index")'].join('\n'));
  assert.ok(errors(r).some((d) => d.range.line === 4 && /not an HDF5 weights file/.test(d.message)));
  assert.equal(r.models[0]!.startWeights, undefined);
});

test('load_weights of a file that is not there (a course notebook\'s ./model/…h5): a warning at the line; the model and its totals stand', () => {
  // DeepLearning.AI tensorflow-1-public C2W3: InceptionV3(weights=None) then load_weights(LOCAL_WEIGHTS_FILE).
  const r = read('g.py', [...CODE, 'model.load_weights("./model/weights_notop.h5")'].join('\n'));
  assert.deepEqual(errors(r), []);
  const w = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].find((d) => d.range.line === 4);
  assert.equal(w?.severity, 'warning');
  assert.match(w!.message, /does not exist .*; the summary does not depend on it, but runs in Model Lens start from new weights/);
  assert.equal(r.models[0]!.startWeights, undefined);
  assert.equal(r.models[0]!.totalParams, 784 * 16 + 16 + 16 * 10 + 10); // Dense: in·units + units
  // lmoroney/dlaicourse Exercise 7 loads '/tmp/inception_v3_…_notop.h5': outside the workspace, not read, also a warning.
  const out = read('h.py', [...CODE, `model.load_weights("${outside}/w.h5")`].join('\n'));
  assert.deepEqual(errors(out), []);
  assert.match([...out.diagnostics, ...out.models.flatMap((m) => m.diagnostics)].find((d) => d.range.line === 4)!.message, /outside the workspace.*; the summary does not depend on it/);
});

test('a loaded model predicts with the file\'s weights in the worker (load_model)', async () => {
  await initBackend('cpu');
  const r = read('g.py', 'import keras\nmodel = keras.models.load_model("../models/mnist.keras")\n');
  const ir = r.models[0]!;
  const built = await buildModel(ir);
  try {
    await loadStartWeights(built.model, ir, ir.startWeights!);
    // The reference file's first conv kernel is trained: not the fresh initialiser's values.
    const k = built.model.getLayer('conv2d').getWeights()[0]!.dataSync();
    const { openModelFile } = await import('../../../src/core/saved/open-saved');
    const o = await openModelFile(path.join(ws, 'models', 'mnist.keras'));
    try {
      const saved = o.weights!.layers.find((l) => l.layer === 'conv2d')!.tensors[0]!.readRows(0, 3);
      assert.ok(close(k as Float32Array, saved));
    } finally {
      o.close();
    }
  } finally {
    built.model.dispose();
  }
});
