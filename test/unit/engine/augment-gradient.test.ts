// The resampling behind RandomTranslation / RandomRotation / RandomZoom (src/worker/image-transform.ts):
// the same output as TF.js's image.transform for every fill mode and interpolation, an input gradient
// that matches finite differences (TF.js's own transform has none), and a model with those layers
// after a trainable layer trains on wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readModel } from '../../../src/core/read-model';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { differentiableTransform, type FillMode, type Interpolation } from '../../../src/worker/image-transform';
import { tf } from '../../../src/worker/tf';

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', info.reason);
});

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

// A rotation by 0.3 rad about the centre plus a shift, and a zoom that reaches outside the image.
const ROWS = [
  [Math.cos(0.3), -Math.sin(0.3), 1.2, Math.sin(0.3), Math.cos(0.3), -0.7, 0, 0],
  [1.6, 0, -2.5, 0, 1.3, -1.1, 0, 0],
];

/**
 * TF.js's cpu Transform kernel, one image at a time: it follows TF's image_ops.h (the wasm kernel's
 * 'reflect' does not: it wraps coordinates just above −1), but in tfjs-backend-cpu 4.22 it returns
 * after the first image of a batch.
 */
async function cpuTransform(x: tfc.Tensor, rows: number[][], interp: Interpolation, fill: FillMode, value: number): Promise<Float32Array> {
  const data = x.dataSync();
  const [n, h, w, c] = x.shape as number[];
  const size = h! * w! * c!;
  const out = new Float32Array(data.length);
  await tfc.setBackend('cpu');
  try {
    for (let b = 0; b < n!; b++) {
      const img = tfc.tensor4d(data.slice(b * size, (b + 1) * size), [1, h!, w!, c!]);
      out.set(tfc.image.transform(img, tfc.tensor2d([rows[b]!]), interp, fill, value).dataSync(), b * size);
    }
  } finally {
    await tfc.setBackend('wasm');
  }
  return out;
}

test("matches TF.js's cpu image.transform (TF's kernel) for every fill mode and interpolation (batch of 2)", async () => {
  const x = tfc.tensor(values(2 * 5 * 6 * 3, 3), [2, 5, 6, 3]);
  const rows = tfc.tensor2d(ROWS);
  for (const fill of ['reflect', 'wrap', 'nearest', 'constant'] as FillMode[]) {
    for (const interp of ['bilinear', 'nearest'] as Interpolation[]) {
      const ours = differentiableTransform(x, rows, interp, fill, 0.25).dataSync();
      const ref = await cpuTransform(x, ROWS, interp, fill, 0.25);
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - ref[i]!));
      assert.ok(worst < 1e-5, `${fill}/${interp}: max difference ${worst}`);
    }
  }
});

test('its input gradient matches finite differences (bilinear, reflect and constant)', () => {
  const x = tfc.tensor(values(2 * 4 * 5 * 2, 5), [2, 4, 5, 2]);
  const m = tfc.tensor(values(2 * 4 * 5 * 2, 7), [2, 4, 5, 2]);
  const rows = tfc.tensor2d(ROWS);
  for (const fill of ['reflect', 'constant'] as FillMode[]) {
    const f = (t: tfc.Tensor) => tfc.sum(tfc.mul(m, differentiableTransform(t, rows, 'bilinear', fill, 0.5)));
    const g = tfc.grad(f)(x).dataSync();
    const base = x.dataSync();
    let worst = 0;
    for (let i = 0; i < base.length; i++) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i]! += 1e-2;
      minus[i]! -= 1e-2;
      const fd = (f(tfc.tensor(plus, x.shape)).dataSync()[0]! - f(tfc.tensor(minus, x.shape)).dataSync()[0]!) / 2e-2;
      worst = Math.max(worst, Math.abs(fd - g[i]!));
    }
    assert.ok(worst < 1e-3, `${fill}: max difference ${worst}`);
  }
});

test('RandomTranslation, RandomRotation and RandomZoom after a Conv2D train on wasm (loss falls)', async () => {
  const ir = readModel('a.py', `import keras
from keras import layers
inputs = keras.Input(shape=(8, 8, 1))
x = layers.Conv2D(4, 3, padding='same', activation='relu')(inputs)
x = layers.RandomTranslation(0.1, 0.1)(x)
x = layers.RandomRotation(0.05, fill_mode='constant')(x)
x = layers.RandomZoom(0.1, interpolation='nearest')(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`).models[0]!;
  assert.equal(trainingBlocker(ir), undefined);
  const built = await buildModel(ir, { learningRate: 0.02, inputScale: 1 });
  const n = 32;
  const xs = new Float32Array(n * 64);
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    ys[i * 2 + c] = 1;
    for (let p = 0; p < 64; p++) xs[i * 64 + p] = (p < 32) === (c === 1) ? 1 : 0.1;
  }
  const x = tf.tensor(xs, [n, 8, 8, 1]);
  const y = tf.tensor(ys, [n, 2]);
  const losses: number[] = [];
  for (let s = 0; s < 15; s++) losses.push((await built.model.fit(x, y, { epochs: 1, batchSize: n, verbose: 0 })).history['loss']![0] as number);
  assert.ok(losses.every(Number.isFinite), `${losses}`);
  assert.ok(losses[14]! < losses[0]!, `loss ${losses[0]} → ${losses[14]}`);
  tf.dispose([x, y]);
  built.model.dispose();
});
