// Sequence and tabular data from .npz files (what model.fit(x, y) gets) training real models on
// wasm, and the errors when data and model do not fit — each naming the file's array and the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { DataError } from '../../../src/core/data/errors';
import { readModel } from '../../../src/core/read-model';
import { initBackend } from '../../../src/worker/backend';
import { buildModel, type BuiltModel } from '../../../src/worker/build-model';
import { loadDataset } from '../../../src/worker/data/datasets';
import { activations, predict, samples } from '../../../src/worker/predict';
import { checkInputFits } from '../../../src/worker/tensors';
import { runTraining } from '../../../src/worker/train';
import { npyBytes } from '../data/make-data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-arrays-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.before(async () => {
  await initBackend('wasm');
});

/** Token sequences of length T over a vocabulary of 50; label 1 when token 7 occurs. Seeded. */
function tokens(n: number, t: number, seed: number): { x: BigInt64Array; y: BigInt64Array } {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const x = new BigInt64Array(n * t);
  const y = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const has = i % 2 === 0;
    for (let j = 0; j < t; j++) x[i * t + j] = BigInt(8 + Math.floor(rand() * 42));
    if (has) x[i * t + Math.floor(rand() * t)] = 7n;
    y[i] = has ? 1n : 0n;
  }
  return { x, y };
}

function npz(file: string, arrays: Record<string, Uint8Array>): string {
  const p = path.join(tmp, file);
  fs.writeFileSync(p, zipSync(Object.fromEntries(Object.entries(arrays).map(([k, v]) => [`${k}.npy`, v]))));
  return p;
}

async function model(src: string): Promise<BuiltModel> {
  const ir = readModel('m.py', src).models[0]!;
  return buildModel(ir, { inputScale: 1 });
}

const TEXT = `import keras
from keras import layers
inputs = keras.Input(shape=(12,), dtype='int32')
x = layers.Embedding(50, 8)(inputs)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(0.02), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
`;

async function train(built: BuiltModel, file: string, epochs: number, id: string) {
  return runTraining({
    built,
    dataset: loadDataset(file),
    runId: id,
    runDir: path.join(tmp, id),
    modelFile: '/m.py',
    modelHash: 'h',
    settings: { epochs, batchSize: 32, dataset: file, seed: 1 },
    backend: { backend: 'wasm', reason: 'test' },
    emit: (() => {}) as never,
    isCancelled: () => false,
  });
}

test('token ids (N, T) int64 train an Embedding model; its loss falls; predict shows the tokens', async () => {
  const tr = tokens(256, 12, 1);
  const te = tokens(64, 12, 2);
  const file = npz('text.npz', {
    x_train: npyBytes('<i8', [256, 12], tr.x),
    y_train: npyBytes('<i8', [256], tr.y),
    x_test: npyBytes('<i8', [64, 12], te.x),
    y_test: npyBytes('<i8', [64], te.y),
  });
  // A vocabulary beside it (one word per line, line n = id n), as TextVectorization(vocabulary=…) reads.
  fs.writeFileSync(path.join(tmp, 'text.vocab.txt'), Array.from({ length: 50 }, (_, i) => `w${i}`).join('\n') + '\n');
  const ds = loadDataset(file);
  assert.equal(ds.vocabulary?.length, 50);
  assert.equal(ds.vocabulary?.[7], 'w7');
  assert.match(ds.source, /words from text\.vocab\.txt/);
  assert.deepEqual(ds.train.values?.shape, [12]);
  assert.equal(ds.train.values?.integers, true);
  const built = await model(TEXT);
  const r = await train(built, file, 6, 'text');
  assert.equal(r.status, 'completed');
  const first = r.epochs[0]!.loss;
  const last = r.epochs[r.epochs.length - 1]!.loss;
  assert.ok(last < first * 0.8, `loss ${first} → ${last}`);
  const p = await predict(built, { kind: 'sample', dataset: file, split: 'test', index: 3 }, 2, loadDataset);
  assert.equal(p.sample?.tokens, true);
  assert.equal(p.sample?.vocabulary?.[9], 'w9');
  assert.deepEqual(p.sample?.values, Array.from(te.x.subarray(36, 48), Number));
  assert.equal(p.trueLabel, 0);
  // Layers see: per-step outputs of the Embedding (steps × units), the pooled vector, the output.
  const act = await activations(built, { kind: 'sample', dataset: file, split: 'test', index: 3 }, undefined, loadDataset);
  assert.deepEqual(act.layers.map((l) => [l.type, l.shape]), [['Embedding', [12, 8]], ['GlobalAveragePooling1D', [8]], ['Dense', [2]]]);
  assert.equal(act.sample?.values.length, 12);
  await assert.rejects(() => predict(built, { kind: 'pixels', image: { width: 28, height: 28, data: new Uint8Array(784) } }, 2, loadDataset), /takes token ids of shape \(12\), not an image/);
  const b = await samples(ds, 'test', 0, 5, built);
  assert.equal(b.values?.length, 60);
  assert.deepEqual(b.sampleShape, [12]);
  assert.equal(b.tokens, true);
  assert.equal(b.vocabulary?.length, 50);
  assert.equal(b.probs?.length, 10);
  built.model.dispose();
});

test('float features (N, F) with one-hot y in x/y form train a Dense model (the last 20% held out)', async () => {
  const n = 200;
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    for (let f = 0; f < 4; f++) x[i * 4 + f] = (f === c ? 2 : 0) + Math.sin(i * 7 + f) * 0.5;
    y[i * 3 + c] = 1;
  }
  const file = npz('tab.npz', { x: npyBytes('<f4', [n, 4], x), y: npyBytes('<f4', [n, 3], y) });
  const ds = loadDataset(file);
  assert.deepEqual([ds.train.count, ds.test.count], [160, 40]);
  assert.match(ds.source, /last 40 samples held out/);
  assert.deepEqual([...ds.train.labels.subarray(0, 4)], [0, 1, 2, 0]);
  const built = await model(`import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation='relu'), keras.layers.Dense(3, activation='softmax')])\nm.compile(keras.optimizers.Adam(0.05), 'sparse_categorical_crossentropy', ['accuracy'])\n`);
  const r = await train(built, file, 5, 'tab');
  assert.ok(r.epochs[4]!.loss < r.epochs[0]!.loss, `loss ${r.epochs[0]!.loss} → ${r.epochs[4]!.loss}`);
  built.model.dispose();
});

test('the same features saved one per file (x.npy, y.npy) train the same way', async () => {
  const n = 200;
  const x = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let f = 0; f < 4; f++) x[i * 4 + f] = (f === y[i] ? 2 : 0) + Math.sin(i * 7 + f) * 0.5;
  }
  const dir = path.join(tmp, 'npy-set');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'x.npy'), npyBytes('<f4', [n, 4], x));
  fs.writeFileSync(path.join(dir, 'y.npy'), npyBytes('<i4', [n], y));
  const built = await model(`import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation='relu'), keras.layers.Dense(3, activation='softmax')])\nm.compile(keras.optimizers.Adam(0.05), 'sparse_categorical_crossentropy', ['accuracy'])\n`);
  const r = await train(built, path.join(dir, 'x.npy'), 5, 'npy-set');
  assert.equal(r.status, 'completed');
  assert.equal(r.test?.samples, 40, 'the last 20% held out for testing');
  assert.ok(r.epochs[4]!.loss < r.epochs[0]!.loss, `loss ${r.epochs[0]!.loss} → ${r.epochs[4]!.loss}`);
  built.model.dispose();
});

test('(N, T, F) float steps feed an LSTM', async () => {
  const n = 64;
  const x = Float32Array.from({ length: n * 5 * 2 }, (_, i) => Math.cos(i) * 0.7);
  const y = BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 2));
  const file = npz('steps.npz', { x: npyBytes('<f4', [n, 5, 2], x), y: npyBytes('<i8', [n], y) });
  const ds = loadDataset(file);
  assert.deepEqual(ds.train.values?.shape, [5, 2], 'float steps are not mistaken for 5×2 gray images');
  const built = await model(`import keras\nm = keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(4), keras.layers.Dense(2, activation='softmax')])\nm.compile('adam', 'sparse_categorical_crossentropy')\n`);
  const r = await train(built, file, 1, 'steps');
  assert.equal(r.status, 'completed');
  built.model.dispose();
});

test('data that does not fit the model: errors name the array, the model and what to do', async () => {
  const built = await model(TEXT);
  const t = tokens(10, 12, 3);
  const big = t.x.slice();
  big[5] = 60n;
  const y = npyBytes('<i8', [10], t.y);
  const fits = (arrays: Record<string, Uint8Array>, name: string) => checkInputFits(loadDataset(npz(name, arrays)).train, built, name);
  const mismatch = (re: RegExp) => (e: unknown) => e instanceof DataError && e.code === 'mismatch' && re.test(e.message);
  assert.throws(() => fits({ x: npyBytes('<i8', [10, 12], big), y }, 'ids.npz'), mismatch(/ids\.npz' holds token ids from 7 to 60, but Embedding 'embedding' of model '\w+' has input_dim 50.*at least 61/));
  assert.throws(() => fits({ x: npyBytes('<i8', [10, 10], t.x.subarray(0, 100)), y }, 'short.npz'), mismatch(/short\.npz' holds whole-number arrays \(<i8\) of shape \(10\) per sample but model '\w+' takes input \(12\)/));
  assert.throws(() => fits({ x: npyBytes('<f4', [10, 12], Float32Array.from(t.x, (v) => Number(v) + 0.5)), y }, 'floats.npz'), mismatch(/with fractions.*Embedding 'embedding'.*token ids/));
  // Images for a text model.
  assert.throws(() => checkInputFits(loadDataset('mnist').test, built, 'mnist'), mismatch(/28×28×1 images but model '\w+' expects 12 token ids \(Embedding 'embedding'\)/));
  // Regression targets and bad one-hot rows are refused when the file is read.
  assert.throws(() => loadDataset(npz('reg.npz', { x: npyBytes('<f4', [2, 3], new Float32Array(6)), y: npyBytes('<f4', [2], Float32Array.from([0.5, 1.25])) })), /reg\.npz:y: y\[0\] is 0\.5;.*Regression targets are not supported/);
  assert.throws(() => loadDataset(npz('hot.npz', { x: npyBytes('<f4', [2, 3], new Float32Array(6)), y: npyBytes('<f4', [2, 2], Float32Array.from([1, 0, 1, 1])) })), /hot\.npz:y: row 1 is not one-hot/);
  assert.throws(() => loadDataset(npz('keys.npz', { a: y })), /missing arrays x_train, y_train, x_test, y_test \(found a\).*np\.savez\(file, x=…, y=…\)/);
  built.model.dispose();
});

test('a colour sample reaches a colour model in colour (not a gray copy), and samples() sends RGB', async () => {
  const { cifarBatchPickle } = await import('../data/make-pickle');
  const dir = path.join(tmp, 'cifar-10-batches-py');
  fs.mkdirSync(dir);
  for (const f of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch']) fs.writeFileSync(path.join(dir, f), cifarBatchPickle([1, 2, 3]));
  // Identity-ish model: the mean of each channel over the image, then a fixed Dense: its output differs per channel.
  const built = await model(`import keras\nm = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10, activation='softmax')])\nm.compile('adam', 'sparse_categorical_crossentropy')\n`);
  const p = await predict(built, { kind: 'sample', dataset: dir, split: 'test', index: 2 }, 3, loadDataset);
  assert.equal(p.color?.width, 32);
  // Image 2 of the fixture: red 2, green 102, blue = pixel index mod 256 (pixel 5 → 5).
  assert.deepEqual([...p.color!.rgb.subarray(15, 18)], [2, 102, 5]);
  assert.equal(p.trueLabel, 3);
  const x = (await import('../../../src/worker/tensors')).inputBatch(loadDataset(dir).test, null, 2, 3, built);
  const means = Array.from(await (await import('../../../src/worker/tf')).tf.mean(x, [0, 1, 2]).data());
  x.dispose();
  assert.ok(Math.abs(means[0]! - 2) < 1e-4 && Math.abs(means[1]! - 102) < 1e-4, `channel means ${means}`);
  const b = await samples(loadDataset(dir), 'test', 0, 2, built);
  assert.equal(b.channels, 3);
  assert.equal(b.images.length, 2 * 32 * 32 * 3);
  built.model.dispose();
});
