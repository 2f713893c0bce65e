// Dropout with one-pass masks (src/worker/dropout.ts): Keras's behaviour (drop a fraction `rate`,
// scale the rest by 1/(1 − rate), identity at inference, noise shapes), its gradient, seeding,
// and that a model built from a Keras config uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfc from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/worker/backend';
import { Dropout, dropout, dropoutMask, fillDropoutMask } from '../../../src/worker/dropout';
import { simdKernels } from '../../../src/worker/kernels/simd/simd-kernels';
import type { WasmBackend } from '../../../src/worker/kernels/wasm-ops';
import { withSeededMathRandom } from '../../../src/worker/seeded-random';
import { tf } from '../../../src/worker/tf';

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', info.reason);
});

test('the mask drops a fraction rate of the values and scales the rest by 1/(1 − rate)', () => {
  for (const rate of [0.1, 0.5, 0.8]) {
    const m = new Float32Array(200_000);
    fillDropoutMask(m, rate, Math.fround(1 / (1 - rate)), 12345);
    const dropped = m.filter((v) => v === 0).length / m.length;
    assert.ok(Math.abs(dropped - rate) < 0.005, `rate ${rate}: dropped ${dropped}`);
    assert.ok(m.every((v) => v === 0 || v === Math.fround(1 / (1 - rate))));
    // Drops are not clustered: the share in each quarter matches too.
    for (let q = 0; q < 4; q++) {
      const part = m.subarray((q * m.length) / 4, ((q + 1) * m.length) / 4);
      assert.ok(Math.abs(part.filter((v) => v === 0).length / part.length - rate) < 0.01);
    }
  }
});

test('the mask on wasm (SIMD lanes, JavaScript for the last values) drops a fraction rate, evenly, and repeats for a seed', () => {
  const simd = simdKernels(tfc.backend() as WasmBackend);
  assert.ok(simd, 'the SIMD kernels run on this backend');
  for (const [rate, n] of [
    [0.1, 200_003],
    [0.5, 200_000],
    [0.8, 199_998],
  ] as const) {
    const calls: number = simd.calls;
    const t = dropoutMask([n], rate, 99);
    assert.equal(simd.calls, calls + 1, 'the SIMD loop ran');
    const m = t.dataSync();
    const keep = Math.fround(1 / Math.fround(1 - rate));
    assert.ok(m.every((v) => v === 0 || v === keep), `rate ${rate}: only 0 and 1/(1 − rate)`);
    for (let q = 0; q < 8; q++) {
      const part = m.subarray(Math.floor((q * n) / 8), Math.floor(((q + 1) * n) / 8));
      const dropped = part.filter((v) => v === 0).length / part.length;
      assert.ok(Math.abs(dropped - rate) < 0.01, `rate ${rate}, eighth ${q}: dropped ${dropped}`);
    }
    // Each lane (every 4th value) drops the same share: the lanes are separate streams.
    for (let lane = 0; lane < 4; lane++) {
      let d = 0;
      for (let i = lane; i < n; i += 4) d += m[i] === 0 ? 1 : 0;
      assert.ok(Math.abs(d / Math.ceil(n / 4) - rate) < 0.01, `lane ${lane}`);
    }
    assert.deepEqual(Array.from(dropoutMask([n], rate, 99).dataSync()), Array.from(m), 'the same seed gives the same mask');
    assert.notDeepEqual(Array.from(dropoutMask([n], rate, 100).dataSync().subarray(0, 64)), Array.from(m.subarray(0, 64)));
  }
});

test('dropout on wasm: values kept are scaled, the gradient is the mask, noise shapes broadcast', () => {
  const x = tfc.randomUniform([8, 6, 6, 4], 1, 2);
  const y = dropout(x, 0.25, undefined, 7);
  const xs = x.dataSync();
  const ys = y.dataSync();
  for (let i = 0; i < xs.length; i++) assert.ok(ys[i] === 0 || Math.abs(ys[i]! - xs[i]! / 0.75) < 1e-5);
  // d(sum(dropout(x) * w))/dx = w * mask, with the mask of the same draw (same seed).
  const w = tfc.randomUniform(x.shape, -1, 1);
  const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(dropout(t, 0.25, undefined, 7), w)))(x).dataSync();
  const ws = w.dataSync();
  for (let i = 0; i < xs.length; i++) assert.ok(Math.abs(g[i]! - (ys[i] === 0 ? 0 : ws[i]! / 0.75)) < 1e-5, `gradient at ${i}`);
  // SpatialDropout's noise shape [n, 1, 1, c]: a channel of an image is dropped whole or kept whole.
  const s = dropout(x, 0.5, [8, 1, 1, 4], 3).dataSync();
  for (let n = 0; n < 8; n++) {
    for (let c = 0; c < 4; c++) {
      const zeros = Array.from({ length: 36 }, (_, p) => s[(n * 36 + p) * 4 + c] === 0);
      assert.ok(zeros.every((z) => z === zeros[0]), `image ${n} channel ${c} dropped in part`);
    }
  }
  tfc.dispose([x, y, w]);
});

test('a model from a Keras config uses this Dropout: identity at inference, masks repeat in a seeded run, seed= gives the layer its own advancing stream', async () => {
  const model = (await tf.models.modelFromJSON({
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 1000], name: 'in' } },
          { class_name: 'Dropout', config: { name: 'd', rate: 0.5 } },
          { class_name: 'Dropout', config: { name: 'd_seeded', rate: 0.5, seed: 42 } },
        ],
      },
    },
  } as never)) as unknown as tfc.serialization.Serializable & { layers: unknown[] };
  const [d, seeded] = model.layers.slice(-2) as [Dropout, Dropout];
  assert.ok(d instanceof Dropout && seeded instanceof Dropout, String(model.layers.map((l) => (l as object).constructor.name)));
  const x = tfc.ones([2, 1000]);
  const run = (layer: Dropout, training: boolean) => Array.from((layer.apply(x, { training }) as tfc.Tensor).dataSync());
  assert.deepEqual(run(d, false), Array.from(x.dataSync()), 'inference is the identity');
  const a = await withSeededMathRandom(5, async () => run(d, true));
  const b = await withSeededMathRandom(5, async () => run(d, true));
  assert.deepEqual(a, b, 'the same seed gives the same mask');
  assert.notDeepEqual(a, await withSeededMathRandom(6, async () => run(d, true)));
  const first = run(seeded, true);
  const second = run(seeded, true);
  assert.notDeepEqual(first, second, 'a seeded layer draws a new mask each call');
  const again = new Dropout({ rate: 0.5, seed: 42 } as never);
  assert.deepEqual(Array.from((again.apply(x, { training: true }) as tfc.Tensor).dataSync()), first, 'and repeats its sequence');
});
