/**
 * Using a saved model's own weights in the worker: evaluate and predict a real Keras-trained MNIST
 * model (mnist_model.keras, Keras 3.1.1, from ../shared/reference/keras-files/), and fine-tune it
 * with a layer saved as not trainable, which must keep its weights. Input scaling is stated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { CliIO } from '../../../src/cli/engine-session';
import { evaluateCommand } from '../../../src/cli/evaluate';
import { predictCommand } from '../../../src/cli/predict';
import { trainCommand } from '../../../src/cli/train';
import type { ModelIR } from '../../../src/core/model/ir';
import { openModelFile, savedInputScaling } from '../../../src/core/saved/open-saved';
import { readTensor } from '../../../src/core/saved/weights';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-use-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
}

test('evaluate and predict a Keras-trained .keras with its own weights, saying how inputs are scaled', async () => {
  const io = capture();
  const code = await evaluateCommand([path.join(REF, 'mnist_model.keras'), '--limit', '500', '--backend', 'cpu', '--json'], io);
  assert.equal(code, 0, io.errors.join('\n'));
  const r = JSON.parse(io.lines[0]!) as { acc: number; samples: number; weights: string };
  assert.equal(r.samples, 500);
  // A trained model: far above the 0.1 of random weights.
  assert.ok(r.acc > 0.95, `accuracy ${r.acc}`);
  assert.equal(r.weights, path.join(REF, 'mnist_model.keras'));
  assert.ok(io.errors.some((l) => /^input scaling: pixels \/ 255 \(the file does not say/.test(l)), io.errors.join('\n'));

  const p = capture();
  assert.equal(await predictCommand([path.join(REF, 'mnist.h5'), '--sample', '0', '--backend', 'cpu', '--json'], p), 0, p.errors.join('\n'));
  const pr = JSON.parse(p.lines[0]!) as { predictions: { label: number }[]; trueLabel: number };
  assert.equal(pr.predictions[0]!.label, pr.trueLabel);
});

test('--input-scale overrides the stated scaling', async () => {
  const io = capture();
  assert.equal(await evaluateCommand([path.join(REF, 'mnist_model.keras'), '--limit', '64', '--backend', 'cpu', '--input-scale', '1/255', '--json'], io), 0, io.errors.join('\n'));
  assert.ok(io.errors.includes('input scaling: pixels × 1/255 (--input-scale)'));
});

test('a Rescaling layer in the saved config means pixels go in as they are', () => {
  const m = { layers: [{ name: 'in', type: 'InputLayer' }, { name: 'scale', type: 'Rescaling' }], training: {} } as unknown as ModelIR;
  savedInputScaling(m);
  assert.equal(m.training.inputScale, 1);
  assert.match(m.training.inputScaleSource!, /the model's own Rescaling layer 'scale' scales them/);
});

/** A small Keras 3 `.keras` (written with h5py in saving_lib's layout): Flatten → Dense(16, frozen) → Dense(10, softmax). */
function writeSmallKeras(file: string): void {
  execFileSync('/usr/bin/python3', [
    '-c',
    String.raw`
import sys, io, json, zipfile, h5py, numpy as np
rng = np.random.default_rng(1)
def layer(cls, cfg): return {"module": "keras.layers", "class_name": cls, "config": cfg, "registered_name": None}
cfg = {"module": "keras", "class_name": "Sequential", "config": {"name": "small", "trainable": True, "layers": [
  layer("InputLayer", {"batch_shape": [None, 28, 28, 1], "dtype": "float32", "name": "input_layer"}),
  layer("Flatten", {"name": "flatten", "trainable": True}),
  layer("Dense", {"name": "hidden", "trainable": False, "units": 16, "activation": "relu", "use_bias": True}),
  layer("Dense", {"name": "out", "trainable": True, "units": 10, "activation": "softmax", "use_bias": True})]},
  "registered_name": None, "compile_config": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}}
buf = io.BytesIO()
with h5py.File(buf, "w") as f:
    f.create_group("layers/flatten/vars")
    v = f.create_group("layers/dense/vars"); v["0"] = rng.normal(0, 0.05, (784, 16)).astype("f4"); v["1"] = np.zeros(16, "f4")
    v = f.create_group("layers/dense_1/vars"); v["0"] = rng.normal(0, 0.3, (16, 10)).astype("f4"); v["1"] = np.zeros(10, "f4")
    f.create_group("vars")
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.1.1", "date_saved": "2024-01-01@00:00:00"}))
    z.writestr("config.json", json.dumps(cfg))
    z.writestr("model.weights.h5", buf.getvalue())
`,
    file,
  ]);
}

test("train continues from the file's weights; a layer saved with trainable=false keeps them", async () => {
  const file = path.join(tmp, 'small.keras');
  writeSmallKeras(file);
  const before = await openModelFile(file);
  // Dense(16) on 784 inputs = 784·16 + 16 = 12,560 frozen (Keras Dense formula).
  assert.equal(before.result.models[0]!.nonTrainableParams, 12560);
  const io = capture();
  const runDir = path.join(tmp, 'run');
  const code = await trainCommand([file, '--epochs', '1', '--limit', '128', '--test-limit', '32', '--batch-size', '32', '--backend', 'cpu', '--save', runDir], io);
  assert.equal(code, 0, io.errors.join('\n'));
  assert.ok(io.lines.some((l) => l.startsWith(`starting from the weights in ${file}`)));
  // No source snapshot of a binary model file in the run (restoring it would break the file).
  assert.ok(!fs.readdirSync(runDir).some((f) => f.startsWith('source')), fs.readdirSync(runDir).join(', '));
  const after = await openModelFile(path.join(runDir, 'weights', 'model.json'));
  try {
    const get = (o: typeof before, layer: string, name: string) => readTensor(o.weights!.layers.find((l) => l.layer === layer)!.tensors.find((t) => t.name === name)!);
    assert.deepEqual(get(after, 'hidden', 'kernel'), get(before, 'hidden', 'kernel'), 'the frozen layer is unchanged');
    const a = get(after, 'out', 'kernel');
    const b = get(before, 'out', 'kernel');
    assert.notDeepEqual(a, b, 'a trainable layer moved');
    // It started from the saved weights, not from random ones: every value is still close.
    let near = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) < 0.05) near++;
    assert.equal(near, a.length);
  } finally {
    after.close();
    before.close();
  }
});
