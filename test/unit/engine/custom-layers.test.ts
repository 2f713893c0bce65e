// Our TF.js versions of Keras layers tfjs-layers lacks: gradients against finite differences,
// Keras's inference behaviour (augmentations are the identity), Normalization.adapt(), and a
// model using them trains on wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfc from '@tensorflow/tfjs-core';
import { readModel } from '../../../src/core/read-model';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { adaptNormalization, dotAttention, flipWhere, groupNorm, multiHeadAttention, rmsNorm, unitNorm } from '../../../src/worker/custom-layers';
import { tf } from '../../../src/worker/tf';

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', info.reason);
});

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

/** Max relative difference between the autodiff gradient of f at x and central differences. */
function gradCheck(f: (x: tfc.Tensor) => tfc.Tensor, x: tfc.Tensor, eps = 1e-2): number {
  const g = tfc.grad(f)(x).dataSync();
  const base = x.dataSync();
  let worst = 0;
  let scale = 1e-3;
  for (const v of g) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < base.length; i++) {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i]! += eps;
    minus[i]! -= eps;
    const fd = (f(tfc.tensor(plus, x.shape)).dataSync()[0]! - f(tfc.tensor(minus, x.shape)).dataSync()[0]!) / (2 * eps);
    worst = Math.max(worst, Math.abs(fd - g[i]!) / scale);
  }
  return worst;
}

test('GroupNormalization: gradients for input, gamma and beta match finite differences', () => {
  const shape = [2, 3, 2, 4];
  const x = tfc.tensor(values(48, 3), shape);
  const w = tfc.tensor(values(48, 5), shape);
  const gamma = tfc.tensor(values(4, 7));
  const beta = tfc.tensor(values(4, 9));
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, groupNorm(t, 2, 1e-3, gamma, beta))), x) < 2e-2, 'd/dx');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, groupNorm(x, 2, 1e-3, t, beta))), gamma) < 2e-2, 'd/dgamma');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, groupNorm(x, 2, 1e-3, gamma, t))), beta) < 2e-2, 'd/dbeta');
  // Each group of each sample comes out with mean 0 and variance ≈ 1 (gamma 1, beta 0).
  const y = groupNorm(x, 2, 1e-3).reshape([2, 6, 2, 2]);
  const { mean, variance } = tfc.moments(y, [1, 3]);
  for (const m of mean.dataSync()) assert.ok(Math.abs(m) < 1e-5);
  for (const v of variance.dataSync()) assert.ok(Math.abs(v - 1) < 1e-2);
});

test('RandomFlip: the flip is linear and its gradient matches finite differences', () => {
  const x = tfc.tensor(values(2 * 3 * 4 * 2, 11), [2, 3, 4, 2]);
  const w = tfc.tensor(values(2 * 3 * 4 * 2, 13), [2, 3, 4, 2]);
  const mask = tfc.tensor1d([1, 0]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, flipWhere(t, mask, 2))), x) < 1e-2);
  const y = flipWhere(x, mask, 2).arraySync() as number[][][][];
  const xs = x.arraySync() as number[][][][];
  assert.deepEqual(y[0]![1]![0], xs[0]![1]![3], 'sample 0 flipped left-right');
  assert.deepEqual(y[1], xs[1], 'sample 1 untouched');
});

test('augmentations are the identity at inference and change the images in training', async () => {
  const ir = readModel('a.py', `import keras
from keras import layers
inputs = keras.Input(shape=(8, 8, 3))
x = layers.RandomFlip('horizontal')(inputs)
x = layers.RandomTranslation(0.2, 0.2)(x)
x = layers.RandomRotation(0.1)(x)
x = layers.RandomZoom(0.2)(x)
x = layers.RandomContrast(0.3)(x)
outputs = layers.RandomBrightness(0.2, value_range=(0, 1))(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='mse')
`).models[0]!;
  const built = await buildModel(ir, { inputScale: 1 });
  const x = tf.randomUniform([4, 8, 8, 3], 0.2, 0.8);
  const inference = built.model.predict(x) as tfc.Tensor;
  assert.deepEqual(Array.from(inference.dataSync()), Array.from(x.dataSync()));
  const trained = built.model.apply(x, { training: true }) as tfc.Tensor;
  const diff = tfc.max(tfc.abs(tfc.sub(trained, x))).dataSync()[0]!;
  assert.ok(diff > 1e-3, 'training changes the images');
  assert.deepEqual(trained.shape, x.shape);
  tf.dispose([x, inference, trained]);
  built.model.dispose();
});

test('Normalization: adapt() learns the mean and variance; its gradient matches finite differences', async () => {
  const ir = readModel('n.py', `import keras
from keras import layers
inputs = keras.Input(shape=(3,))
x = layers.Normalization()(inputs)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`).models[0]!;
  assert.equal(ir.layers[1]!.nonTrainableParams, 7);
  const built = await buildModel(ir, { inputScale: 1 });
  assert.equal(built.model.countParams(), 7 + 8, "TF.js counts Keras's 2·3 + 1 non-trainable plus the Dense");
  const data = tf.tensor2d([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]]);
  assert.equal(adaptNormalization(built.model, () => data.clone()), 1);
  const norm = built.model.getLayer('normalization');
  const y = norm.apply(data) as tfc.Tensor;
  // Keras's docstring example (keras/src/layers/preprocessing/normalization.py): adapted on these
  // rows, [[0, 7, 4]] normalizes to [[-1, -1, -1]].
  assert.deepEqual(Array.from(y.dataSync()).slice(0, 3).map((v) => Math.round(v * 1e4) / 1e4), [-1, -1, -1]);
  const w = tfc.tensor(values(12, 17), [4, 3]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, norm.apply(t) as tfc.Tensor)), data) < 1e-2);
  tf.dispose([data, y, w]);
  built.model.dispose();
});

test('a CNN with augmentations, Normalization and GroupNormalization trains on wasm (loss falls)', async () => {
  const ir = readModel('c.py', `import keras
from keras import layers
inputs = keras.Input(shape=(8, 8, 1))
x = layers.RandomFlip('horizontal')(inputs)
x = layers.RandomTranslation(0.1, 0.1, fill_mode='nearest')(x)
x = layers.Normalization()(x)
x = layers.Conv2D(8, 3, padding='same')(x)
x = layers.GroupNormalization(groups=4)(x)
x = layers.ReLU()(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`).models[0]!;
  const built = await buildModel(ir, { learningRate: 0.02, inputScale: 1 });
  // Class 1: a bright top half; class 0: a bright bottom half.
  const n = 32;
  const xs = new Float32Array(n * 64);
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    ys[i * 2 + c] = 1;
    for (let p = 0; p < 64; p++) xs[i * 64 + p] = (p < 32) === (c === 1) ? 200 : 20;
  }
  const x = tf.tensor(xs, [n, 8, 8, 1]);
  const y = tf.tensor(ys, [n, 2]);
  adaptNormalization(built.model, () => x.clone());
  const losses: number[] = [];
  for (let s = 0; s < 15; s++) losses.push((await built.model.fit(x, y, { epochs: 1, batchSize: n, verbose: 0 })).history['loss']![0] as number);
  assert.ok(losses[14]! < losses[0]!, `loss ${losses[0]} → ${losses[14]}`);
  tf.dispose([x, y]);
  built.model.dispose();
});

test('MultiHeadAttention: gradients for the query, a projection kernel and the output kernel match finite differences', () => {
  const b = 2, tq = 3, tv = 4, f = 5, h = 2, kd = 3;
  const q = tfc.tensor(values(b * tq * f, 21), [b, tq, f]);
  const v = tfc.tensor(values(b * tv * f, 23), [b, tv, f]);
  const w = {
    q: tfc.tensor(values(f * h * kd, 25), [f, h, kd]),
    k: tfc.tensor(values(f * h * kd, 27), [f, h, kd]),
    v: tfc.tensor(values(f * h * kd, 29), [f, h, kd]),
    o: tfc.tensor(values(h * kd * f, 31), [h, kd, f]),
    qb: tfc.tensor(values(h * kd, 33), [h, kd]),
    ob: tfc.tensor(values(f, 35), [f]),
  };
  const m = tfc.tensor(values(b * tq * f, 37), [b, tq, f]);
  const loss = (ww: typeof w, query: tfc.Tensor) => tfc.sum(tfc.mul(m, multiHeadAttention(query, v, v, ww)));
  assert.ok(gradCheck((t) => loss(w, t), q) < 2e-2, 'd/dquery');
  assert.ok(gradCheck((t) => loss({ ...w, k: t }, q), w.k) < 2e-2, 'd/dkey kernel');
  assert.ok(gradCheck((t) => loss({ ...w, o: t }, q), w.o) < 2e-2, 'd/doutput kernel');
});

test('the transformer block example builds with its Keras parameter count and trains on wasm', async () => {
  const fs = await import('node:fs');
  const ir = readModel('examples/catalog/transformer_block.json', fs.readFileSync('examples/catalog/transformer_block.json', 'utf8')).models[0]!;
  const built = await buildModel({ ...ir, training: { ...ir.training, loss: 'sparse_categorical_crossentropy' } }, { learningRate: 0.005, inputScale: 1 });
  // TF.js holds exactly the weights the catalog counts (the MultiHeadAttention count is checked
  // against a printed Keras summary in test/unit/layers/other-families.test.ts).
  assert.equal(built.model.countParams(), ir.totalParams);
  const n = 16;
  const ids = new Float32Array(n * 64);
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    ys[i * 2 + c] = 1;
    for (let t = 0; t < 64; t++) ids[i * 64 + t] = c ? 1 + ((i + t) % 50) : 100 + ((i * 7 + t) % 50);
  }
  const x = tf.tensor(ids, [n, 64]);
  const y = tf.tensor(ys, [n, 2]);
  const losses: number[] = [];
  for (let s = 0; s < 8; s++) losses.push((await built.model.fit(x, y, { epochs: 1, batchSize: n, verbose: 0 })).history['loss']![0] as number);
  assert.ok(losses[7]! < losses[0]!, `loss ${losses[0]} → ${losses[7]}`);
  tf.dispose([x, y]);
  built.model.dispose();
});

test('RMSNormalization, UnitNormalization and dot-product Attention: gradients match finite differences', () => {
  const x = tfc.tensor(values(2 * 3 * 4, 41), [2, 3, 4]);
  const w = tfc.tensor(values(2 * 3 * 4, 43), [2, 3, 4]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, rmsNorm(t, [2], 1e-6))), x) < 2e-2, 'rms');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, unitNorm(t, [2]))), x) < 2e-2, 'unit');
  const v = tfc.tensor(values(2 * 5 * 4, 45), [2, 5, 4]);
  const m = tfc.tensor(values(2 * 3 * 4, 47), [2, 3, 4]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, dotAttention(t, v, v, tfc.scalar(0.7)))), x) < 2e-2, 'attention d/dquery');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, dotAttention(x, t, t))), v) < 2e-2, 'attention d/dvalue');
});

test('Subtract, UnitNormalization, RMSNormalization, Attention and the 1-D Cropping/ZeroPadding/UpSampling train on wasm', async () => {
  const ir = readModel('s.py', `import keras
from keras import layers
inputs = keras.Input(shape=(6, 4))
a = layers.Dense(4)(inputs)
b = layers.Dense(4)(inputs)
x = layers.Subtract()([a, b])
x = layers.UnitNormalization()(x)
x = layers.RMSNormalization()(x)
x = layers.Attention(use_scale=True)([x, inputs])
x = layers.ZeroPadding1D(1)(x)
x = layers.Cropping1D((2, 0))(x)
x = layers.UpSampling1D(2)(x)
x = layers.Flatten()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`).models[0]!;
  assert.deepEqual(ir.diagnostics.filter((d) => d.severity === 'error'), []);
  const built = await buildModel(ir, { learningRate: 0.02, inputScale: 1 });
  assert.equal(built.model.countParams(), ir.totalParams);
  for (const l of ir.layers) assert.deepEqual(built.model.getLayer(l.name).outputShape, l.outputShape, `${l.name} shape as the catalog says`);
  const n = 16;
  const xs = new Float32Array(n * 24);
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    ys[i * 2 + (i % 2)] = 1;
    for (let j = 0; j < 24; j++) xs[i * 24 + j] = (i % 2 ? 0.5 : -0.5) + values(1, i * 31 + j + 1)[0]! * 0.3;
  }
  const x = tf.tensor(xs, [n, 6, 4]);
  const y = tf.tensor(ys, [n, 2]);
  const losses: number[] = [];
  for (let s = 0; s < 12; s++) losses.push((await built.model.fit(x, y, { epochs: 1, batchSize: n, verbose: 0 })).history['loss']![0] as number);
  assert.ok(losses[11]! < losses[0]!, `loss ${losses[0]} → ${losses[11]}`);
  tf.dispose([x, y]);
  built.model.dispose();
});
