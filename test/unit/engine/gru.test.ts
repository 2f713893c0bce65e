// Our Keras GRU (src/worker/gru.ts): Keras's weight shapes, its reset_after=True step against a
// value worked by hand from Keras's equations, reset_after=False against tfjs-layers' own GRU,
// gradients against finite differences, and GRU / Bidirectional(GRU) / RNN(GRUCell) with Keras 3's
// defaults training on wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readModel } from '../../../src/core/read-model';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import type { ModelIR } from '../../../src/core/model/ir';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { gruStep } from '../../../src/worker/gru';
import { tf } from '../../../src/worker/tf';

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', info.reason);
});

function read(body: string): ModelIR {
  const r = readModel('g.py', `import keras\nfrom keras import layers\n${body}\n`);
  const errors = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return r.models[0]!;
}

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

test("GRU with Keras 3's reset_after=True: Keras's weight shapes and a two-step output worked by hand", async () => {
  const ir = read(`inputs = keras.Input(shape=(2, 1))
outputs = layers.GRU(1)(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='mse')`);
  assert.equal(trainingBlocker(ir), undefined);
  const built = await buildModel(ir, { inputScale: 1 });
  const gru = built.model.getLayer('gru');
  // keras/src/layers/rnn/gru.py build(): kernel (features, 3·units), recurrent_kernel (units, 3·units),
  // bias (2, 3·units) with reset_after; gates in the order z, r, h.
  assert.deepEqual(gru.weights.map((w) => [w.originalName.split('/').pop(), w.shape]), [['kernel', [1, 3]], ['recurrent_kernel', [1, 3]], ['bias', [2, 3]]]);
  assert.equal(built.model.countParams(), ir.totalParams);
  const k = [0.5, -0.3, 0.8];
  const u = [0.2, 0.4, -0.6];
  const b = [[0.1, 0.2, 0.3], [0.05, -0.1, 0.2]];
  gru.setWeights([tf.tensor2d([k]), tf.tensor2d([u]), tf.tensor2d(b)]);
  const xs = [1, -2];
  // Keras's equations (reset_after=True): x-part = x·W + b_in, h-part = h·U + b_rec;
  // z = σ(xz + hz), r = σ(xr + hr), ĥ = tanh(xh + r·hh), h' = z·h + (1 − z)·ĥ.
  let h = 0;
  for (const x of xs) {
    const z = sigmoid(x * k[0]! + b[0]![0]! + h * u[0]! + b[1]![0]!);
    const r = sigmoid(x * k[1]! + b[0]![1]! + h * u[1]! + b[1]![1]!);
    const hh = Math.tanh(x * k[2]! + b[0]![2]! + r * (h * u[2]! + b[1]![2]!));
    h = z * h + (1 - z) * hh;
  }
  const y = built.model.predict(tf.tensor3d([[[1], [-2]]])) as tfc.Tensor;
  assert.ok(Math.abs(y.dataSync()[0]! - h) < 1e-5, `${y.dataSync()[0]} vs ${h}`);
  y.dispose();
  built.model.dispose();
});

test('GRU with reset_after=False gives what tfjs-layers’ own GRU gives with the same weights', async () => {
  const ir = read(`inputs = keras.Input(shape=(4, 3))
outputs = layers.GRU(5, return_sequences=True, reset_after=False, recurrent_activation='sigmoid')(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='mse')`);
  const built = await buildModel(ir, { inputScale: 1 });
  const ours = built.model.getLayer('gru');
  assert.deepEqual(ours.weights.map((w) => w.shape), [[3, 15], [5, 15], [15]]);
  const ref = tfl.layers.gru({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' });
  const x = tf.tensor(values(2 * 4 * 3, 3), [2, 4, 3]);
  ref.apply(x);
  ref.setWeights(ours.getWeights());
  const a = (ours.apply(x) as tfc.Tensor).dataSync();
  const r = (ref.apply(x) as tfc.Tensor).dataSync();
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - r[i]!) < 1e-5, `step output ${i}: ${a[i]} vs ${r[i]}`);
  built.model.dispose();
});

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

test('GRU step (both reset_after forms): gradients for input, state, kernels and bias match finite differences', () => {
  const [n, f, u] = [2, 3, 4];
  const x = tfc.tensor(values(n * f, 5), [n, f]);
  const h = tfc.tensor(values(n * u, 7), [n, u]);
  const m = tfc.tensor(values(n * u, 9), [n, u]);
  for (const resetAfter of [true, false]) {
    const w = {
      kernel: tfc.tensor(values(f * 3 * u, 11), [f, 3 * u]),
      recurrentKernel: tfc.tensor(values(u * 3 * u, 13), [u, 3 * u]),
      bias: resetAfter ? tfc.tensor(values(6 * u, 15), [2, 3 * u]) : tfc.tensor(values(3 * u, 15), [3 * u]),
    };
    const loss = (xx: tfc.Tensor, hh: tfc.Tensor, ww: typeof w) => tfc.sum(tfc.mul(m, gruStep(xx, hh, ww, resetAfter, tfc.tanh, tfc.sigmoid)));
    const tag = `reset_after=${resetAfter}`;
    assert.ok(gradCheck((t) => loss(t, h, w), x) < 2e-2, `${tag} d/dx`);
    assert.ok(gradCheck((t) => loss(x, t, w), h) < 2e-2, `${tag} d/dh`);
    assert.ok(gradCheck((t) => loss(x, h, { ...w, kernel: t }), w.kernel) < 2e-2, `${tag} d/dkernel`);
    assert.ok(gradCheck((t) => loss(x, h, { ...w, recurrentKernel: t }), w.recurrentKernel) < 2e-2, `${tag} d/drecurrent_kernel`);
    assert.ok(gradCheck((t) => loss(x, h, { ...w, bias: t }), w.bias) < 2e-2, `${tag} d/dbias`);
  }
});

async function lossFalls(ir: ModelIR, steps = 12): Promise<[number, number]> {
  const built = await buildModel(ir, { learningRate: 0.02, inputScale: 1 });
  assert.equal(built.model.countParams(), ir.totalParams, 'TF.js holds the weights Keras counts');
  const [t, f] = built.inputShape as [number, number];
  const n = 16;
  const xs = new Float32Array(n * t * f);
  const ys = new Float32Array(n * 2);
  const noise = values(n * t * f, 17);
  for (let i = 0; i < n; i++) {
    ys[i * 2 + (i % 2)] = 1;
    for (let j = 0; j < t * f; j++) xs[i * t * f + j] = (i % 2 ? 0.5 : -0.5) + noise[i * t * f + j]! * 0.4;
  }
  const x = tf.tensor(xs, [n, t, f]);
  const y = tf.tensor(ys, [n, 2]);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push((await built.model.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 })).history['loss']![0] as number);
  tf.dispose([x, y]);
  built.model.dispose();
  assert.ok(losses.every(Number.isFinite), `finite losses ${losses}`);
  return [losses[0]!, losses[losses.length - 1]!];
}

test("GRU, Bidirectional(GRU) and RNN(GRUCell) with Keras 3's defaults (and dropout) train on wasm", async () => {
  const ir = read(`inputs = keras.Input(shape=(5, 3))
x = layers.GRU(6, return_sequences=True, dropout=0.1, recurrent_dropout=0.1)(inputs)
x = layers.Bidirectional(layers.GRU(4, return_sequences=True))(x)
x = layers.RNN(layers.GRUCell(4))(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')`);
  assert.equal(trainingBlocker(ir), undefined);
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});
