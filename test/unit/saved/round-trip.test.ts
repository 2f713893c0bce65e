/**
 * Round trips: a model in a layout Keras writes → Model Lens → export (.keras, .h5, TF.js) → read
 * back: identical weights (bit for bit) and identical predictions on the same inputs, for
 * Sequential (mnist_model.keras, Keras 3.1.1; mnist.h5, Keras 2.1.6), functional with
 * BatchNormalization moving statistics (pretrainedResnet.h5, Keras 2.4.0) and a nested model
 * (written here with h5py in the Keras 3 `.keras` layout of keras/src/saving/saving_lib.py).
 * The exported HDF5 trees are compared name by name with what Keras wrote, read by h5py.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportModel, type ExportFormat } from '../../../src/core/saved/export';
import { openModelFile, type OpenedModel } from '../../../src/core/saved/open-saved';
import { readTensor } from '../../../src/core/saved/weights';
import { initBackend } from '../../../src/worker/backend';
import { modelFromSavedConfig, setWeightsFromStore } from '../../../src/worker/saved-weights';
import { tf } from '../../../src/worker/tf';
import { h5pyTree } from './h5py';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-rt-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.before(async () => {
  await initBackend('cpu');
});

/** Functional: input (4,) → nested Sequential [Dense(3), BatchNormalization] → Dense(2, softmax). */
function writeNestedKeras(file: string): void {
  execFileSync('/usr/bin/python3', [
    '-c',
    String.raw`
import sys, io, json, zipfile, h5py, numpy as np
rng = np.random.default_rng(7)
def kt(name): return {"class_name": "__keras_tensor__", "config": {"shape": [None, 4], "dtype": "float32", "keras_history": [name, 0, 0]}}
def dense(name, units, act): return {"module": "keras.layers", "class_name": "Dense", "config": {"name": name, "trainable": True, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}, "units": units, "activation": act, "use_bias": True}, "registered_name": None}
inner = {"module": "keras", "class_name": "Sequential", "config": {"name": "block", "trainable": True, "layers": [
  {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "block_in"}, "registered_name": None},
  dense("d1", 3, "relu"),
  {"module": "keras.layers", "class_name": "BatchNormalization", "config": {"name": "bn", "trainable": True, "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True}, "registered_name": None}]}, "registered_name": None,
  "name": "block", "inbound_nodes": [{"args": [kt("x")], "kwargs": {}}]}
head = dense("head", 2, "softmax"); head["name"] = "head"; head["inbound_nodes"] = [{"args": [kt("block")], "kwargs": {}}]
cfg = {"module": "keras", "class_name": "Functional", "config": {"name": "nested", "trainable": True, "layers": [
  {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "x"}, "registered_name": None, "name": "x", "inbound_nodes": []},
  inner, head], "input_layers": [["x", 0, 0]], "output_layers": [["head", 0, 0]]}, "registered_name": None,
  "compile_config": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}}
buf = io.BytesIO()
with h5py.File(buf, "w") as f:
    f.create_group("layers/input_layer/vars")
    f.create_group("layers/sequential/vars")
    v = f.create_group("layers/sequential/layers/dense/vars"); v["0"] = rng.normal(size=(4, 3)).astype("f4"); v["1"] = rng.normal(size=3).astype("f4")
    v = f.create_group("layers/sequential/layers/batch_normalization/vars")
    v["0"] = rng.uniform(0.5, 2, 3).astype("f4"); v["1"] = rng.normal(size=3).astype("f4"); v["2"] = rng.normal(size=3).astype("f4"); v["3"] = rng.uniform(0.1, 3, 3).astype("f4")
    v = f.create_group("layers/dense/vars"); v["0"] = rng.normal(size=(3, 2)).astype("f4"); v["1"] = rng.normal(size=2).astype("f4")
    f.create_group("vars")
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.1.1", "date_saved": "2024-01-01@00:00:00"}))
    z.writestr("config.json", json.dumps(cfg))
    z.writestr("model.weights.h5", buf.getvalue())
`,
    file,
  ]);
}

const nestedFile = path.join(tmp, 'nested.keras');

async function predictions(o: OpenedModel, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const model = await modelFromSavedConfig(o.modelConfig!);
  setWeightsFromStore(model, o.weights!);
  const x = tf.tensor(input, shape);
  const y = model.predict(x) as import('@tensorflow/tfjs-core').Tensor;
  const out = (await y.data()) as Float32Array;
  x.dispose();
  y.dispose();
  model.dispose();
  return out;
}

function sameWeights(a: OpenedModel, b: OpenedModel): void {
  assert.deepEqual(b.weights!.layers.map((l) => [l.layer, l.tensors.map((t) => [t.name, t.shape.join('x'), t.trainable])]), a.weights!.layers.map((l) => [l.layer, l.tensors.map((t) => [t.name, t.shape.join('x'), t.trainable])]));
  a.weights!.layers.forEach((l, i) => l.tensors.forEach((t, j) => assert.deepEqual(readTensor(b.weights!.layers[i]!.tensors[j]!), readTensor(t), `${l.layer}/${t.name}`)));
}

const sources = [
  { name: 'mnist_model.keras (Sequential, Keras 3.1.1)', file: () => path.join(REF, 'mnist_model.keras'), shape: [3, 28, 28, 1] },
  { name: 'mnist.h5 (Sequential, Keras 2.1.6)', file: () => path.join(REF, 'mnist.h5'), shape: [3, 28, 28] },
  { name: 'pretrainedResnet.h5 (functional with BatchNormalization, Keras 2.4.0)', file: () => path.join(REF, 'pretrainedResnet.h5'), shape: [2, 32, 32, 3] },
  { name: 'nested.keras (a Sequential inside a functional model)', file: () => nestedFile, shape: [5, 4] },
];

test.before(() => writeNestedKeras(nestedFile));

for (const s of sources) {
  for (const format of ['keras', 'h5', 'tfjs'] as ExportFormat[]) {
    test(`${s.name} → ${format} → read back: identical weights, counts and predictions`, async () => {
      const src = await openModelFile(s.file());
      const out = path.join(tmp, `${path.basename(s.file())}.${format === 'tfjs' ? 'tfjs' : format}`);
      try {
        assert.deepEqual([...src.result.diagnostics, ...src.result.models[0]!.diagnostics].filter((d) => d.severity === 'error'), []);
        const written = await exportModel({ modelConfig: src.modelConfig!, ...(src.trainingConfig ? { trainingConfig: src.trainingConfig } : {}), weights: src.weights!, source: s.file() }, format, out);
        const back = await openModelFile(written);
        try {
          assert.deepEqual([...back.result.diagnostics, ...back.result.models[0]!.diagnostics].filter((d) => d.severity === 'error'), []);
          assert.equal(back.exportedFrom, s.file());
          const m0 = src.result.models[0]!;
          const m1 = back.result.models[0]!;
          assert.deepEqual([m1.totalParams, m1.trainableParams, m1.nonTrainableParams], [m0.totalParams, m0.trainableParams, m0.nonTrainableParams]);
          assert.deepEqual(m1.layers.map((l) => [l.name, l.type, l.outputShape]), m0.layers.map((l) => [l.name, l.type, l.outputShape]));
          assert.deepEqual(m1.training.loss, m0.training.loss);
          sameWeights(src, back);
          const n = s.shape.reduce((a, d) => a * d, 1);
          const input = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
          const p0 = await predictions(src, input, s.shape);
          const p1 = await predictions(back, input, s.shape);
          assert.deepEqual(p1, p0);
          assert.ok(p0.every((v) => Number.isFinite(v)));
        } finally {
          back.close();
        }
      } finally {
        src.close();
      }
    });
  }
}

test('nested model: Keras counts (Dense 4·3+3 = 15, BatchNormalization 4·3 with 6 non-trainable, Dense 3·2+2 = 8)', async () => {
  const o = await openModelFile(nestedFile);
  try {
    const m = o.result.models[0]!;
    assert.deepEqual([m.totalParams, m.nonTrainableParams], [35, 6]);
    assert.deepEqual(o.weights!.layers.map((l) => l.layer), ['block/d1', 'block/bn', 'head']);
  } finally {
    o.close();
  }
});

test('the exported .h5 has the tree Keras 2.4 wrote for pretrainedResnet.h5, name by name (h5py)', async () => {
  const src = await openModelFile(path.join(REF, 'pretrainedResnet.h5'));
  const out = path.join(tmp, 'tree.h5');
  try {
    await exportModel({ modelConfig: src.modelConfig!, trainingConfig: src.trainingConfig!, weights: src.weights!, source: 'test' }, 'h5', out);
  } finally {
    src.close();
  }
  const keras = h5pyTree(path.join(REF, 'pretrainedResnet.h5'));
  const ours = h5pyTree(out);
  const names = (t: Record<string, unknown>) => Object.keys(t).filter((k) => !k.startsWith('optimizer_weights')).sort();
  assert.deepEqual(names(ours), names(keras));
  for (const k of names(keras)) {
    const a = keras[k]!;
    const b = ours[k]!;
    assert.equal(b.kind, a.kind, k);
    const attrs = (x: Record<string, unknown>) => Object.keys(x).filter((n) => !n.startsWith('model_lens')).sort();
    assert.deepEqual(attrs(b.attrs), attrs(a.attrs), `attributes of ${k}`);
    if (a.kind === 'dataset') {
      assert.deepEqual([b.shape, b.dtype, b.first], [a.shape, a.dtype, a.first], k);
    } else {
      for (const n of ['layer_names', 'weight_names']) if (n in a.attrs) assert.deepEqual(b.attrs[n], a.attrs[n], `${k} ${n}`);
    }
  }
  assert.deepEqual(JSON.parse(ours['/']!.attrs['model_config'] as string), JSON.parse(keras['/']!.attrs['model_config'] as string));
});

test('the exported .keras has the tree Keras 3.1.1 wrote for mnist_model.keras, name by name (h5py)', async () => {
  const src = await openModelFile(path.join(REF, 'mnist_model.keras'));
  const out = path.join(tmp, 'tree.keras');
  try {
    await exportModel({ modelConfig: src.modelConfig!, trainingConfig: src.trainingConfig!, weights: src.weights!, source: 'test' }, 'keras', out);
  } finally {
    src.close();
  }
  const keras = h5pyTree(path.join(REF, 'mnist_model.keras'), 'model.weights.h5');
  const ours = h5pyTree(out, 'model.weights.h5');
  // This export is given no optimizer state (optimizer-export.test.ts checks that part); everything else matches.
  const names = (t: Record<string, unknown>) => Object.keys(t).filter((k) => !k.startsWith('optimizer')).sort();
  assert.deepEqual(names(ours), names(keras));
  for (const k of names(keras)) {
    assert.equal(ours[k]!.kind, keras[k]!.kind, k);
    if (keras[k]!.kind === 'dataset') assert.deepEqual([ours[k]!.shape, ours[k]!.dtype, ours[k]!.first], [keras[k]!.shape, keras[k]!.dtype, keras[k]!.first], k);
  }
  const zipNames = execFileSync('/usr/bin/python3', ['-c', 'import sys, zipfile; print(sorted(zipfile.ZipFile(sys.argv[1]).namelist()))', out], { encoding: 'utf8' }).trim();
  assert.equal(zipNames, "['config.json', 'metadata.json', 'model.weights.h5']");
});
