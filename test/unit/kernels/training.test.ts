// A small CNN using every layer the product supports trains on the wasm backend (loss goes down)
// with each supported optimizer and loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { randomValues, setupWasm } from './compare';

type Sym = tfl.SymbolicTensor;
const L = tfl.layers;
const apply = (layer: tfl.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;

function allLayersModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [12, 10, 1] });
  let x = apply(L.rescaling({ scale: 2, offset: -1 }), input);
  x = apply(L.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }), x);
  const a = apply(L.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid' }), x); // 5×4
  const b = apply(L.separableConv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid' }), x);
  x = apply(L.add(), [a, b]);
  x = apply(L.batchNormalization(), x);
  x = apply(L.activation({ activation: 'relu' }), x);
  const c = apply(L.depthwiseConv2d({ kernelSize: 3, padding: 'same' }), x);
  x = apply(L.concatenate(), [x, c]); // 5×4×12
  x = apply(L.reLU(), x);
  const p = apply(L.maxPooling2d({ poolSize: 2, padding: 'same' }), x); // 3×2×12
  const q = apply(L.averagePooling2d({ poolSize: 2, padding: 'same' }), x);
  const g1 = apply(L.globalAveragePooling2d({}), p);
  const g2 = apply(L.globalMaxPooling2d({}), q);
  const f = apply(L.flatten(), apply(L.dropout({ rate: 0.2 }), p));
  const r = apply(L.reshape({ targetShape: [12] }), g2);
  x = apply(L.concatenate(), [f, g1, r]);
  x = apply(L.dense({ units: 16, activation: 'relu' }), x);
  x = apply(L.dense({ units: 3 }), x);
  x = apply(L.softmax(), x);
  return tfl.model({ inputs: input, outputs: x });
}

function data() {
  // Three classes of 12×10 images: bright top, bright left, bright bottom-right, plus noise.
  const n = 48;
  const v = randomValues(n * 120, 5);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 3;
    labels[i] = cls;
    for (let y = 0; y < 12; y++)
      for (let xx = 0; xx < 10; xx++) {
        const on = cls === 0 ? y < 5 : cls === 1 ? xx < 4 : y > 6 && xx > 5;
        v[i * 120 + y * 10 + xx] = (on ? 0.8 : 0.1) + 0.1 * v[i * 120 + y * 10 + xx]!;
      }
  }
  return { x: tf.tensor4d(v, [n, 12, 10, 1]), labels };
}

for (const [optimizer, loss] of [
  ['adam', 'sparseCategoricalCrossentropy'],
  ['sgd', 'categoricalCrossentropy'],
  ['rmsprop', 'sparseCategoricalCrossentropy'],
] as const) {
  test(`all-layers CNN trains on wasm (${optimizer}, ${loss})`, async () => {
    await setupWasm();
    assert.equal(tf.getBackend(), 'wasm');
    tf.setBackend('wasm');
    const model = allLayersModel();
    const opt = optimizer === 'sgd' ? tf.train.sgd(0.1) : optimizer === 'adam' ? tf.train.adam(0.01) : tf.train.rmsprop(0.005);
    model.compile({ optimizer: opt, loss, metrics: ['accuracy'] });
    const { x, labels } = data();
    const y = loss === 'categoricalCrossentropy' ? tf.oneHot(tf.tensor1d(labels, 'int32'), 3) : tf.tensor1d(labels, 'float32');
    const h = await model.fit(x, y, { epochs: 12, batchSize: 16, shuffle: true, verbose: 0 });
    const losses = h.history.loss as number[];
    assert.ok(losses.every(Number.isFinite), `losses are finite: ${losses}`);
    assert.ok(losses.at(-1)! < losses[0]! * 0.7, `loss goes down: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
    tf.dispose([x, y]);
    model.dispose();
  });
}
