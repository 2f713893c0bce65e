// BatchNormalization's training pass in SIMD passes (src/worker/batch-norm.ts) against TF.js's own
// ops on the cpu backend: the normalized batch, its mean and variance, and the gradients of x, γ
// and β (through the statistics too); the layer against tfjs-layers' layer (output and moving
// statistics); γ/β left out (scale=False, center=False).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../src/worker/backend';
import { BatchNormalization, batchNormTraining } from '../../../src/worker/batch-norm';
import { simdKernels } from '../../../src/worker/kernels/simd/simd-kernels';
import type { WasmBackend } from '../../../src/worker/kernels/wasm-ops';

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', info.reason);
});

function values(n: number, seed: number, offset = 0): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2 + offset);
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** TF.js's own training normalization: moments over all axes but the last, then batchNorm. */
function reference(x: tfc.Tensor, gamma: tfc.Tensor | null, beta: tfc.Tensor | null, eps: number) {
  const c = x.shape[x.rank - 1]!;
  const rows = tfc.reshape(x, [-1, c]); // batchNorm takes rank ≤ 4; the statistics are the same
  const { mean, variance } = tfc.moments(rows, [0]);
  // γ = 1, β = 0 where left out (TF.js's batchNorm gradient cannot do without a scale)
  return { normed: tfc.reshape(tfc.batchNorm(rows, mean, variance, beta ?? tfc.zeros([c]), gamma ?? tfc.ones([c]), eps), x.shape), mean, variance };
}

for (const [shape, withScale] of [
  [[6, 5, 7, 8], true],
  [[37, 12], true],
  [[3, 4, 4, 16], false],
  [[2, 3, 3, 3, 4], true],
] as const) {
  test(`batch ${shape.join('×')}${withScale ? '' : ' without γ and β'}: values and gradients as TF.js's on cpu`, () => {
    const c = shape[shape.length - 1]!;
    const n = shape.reduce((a, b) => a * b, 1);
    const xs = values(n, 3, 1.5); // not centred: the statistics matter
    const gs = values(c, 5, 1);
    const bs = values(c, 7);
    const ws = values(n, 11);
    const run = (backend: 'wasm' | 'cpu') => {
      tfc.setBackend(backend);
      return tfc.tidy(() => {
        const x = tfc.tensor(xs, [...shape]);
        const gamma = withScale ? tfc.tensor(gs, [c]) : null;
        const beta = withScale ? tfc.tensor(bs, [c]) : null;
        const w = tfc.tensor(ws, [...shape]);
        const f = backend === 'wasm' ? (t: tfc.Tensor, g: tfc.Tensor | null, b: tfc.Tensor | null) => batchNormTraining(t, g, b, 1e-3)! : (t: tfc.Tensor, g: tfc.Tensor | null, b: tfc.Tensor | null) => reference(t, g, b, 1e-3);
        const out = f(x, gamma, beta);
        const grads = withScale
          ? tfc.grads((t: tfc.Tensor, g: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(f(t, g, b).normed, w)) as tfc.Scalar)([x, gamma!, beta!])
          : tfc.grads((t: tfc.Tensor) => tfc.sum(tfc.mul(f(t, null, null).normed, w)) as tfc.Scalar)([x]);
        return {
          normed: out.normed.dataSync(),
          mean: out.mean.dataSync(),
          variance: out.variance.dataSync(),
          dx: grads[0]!.dataSync(),
          dgamma: withScale ? grads[1]!.dataSync() : new Float32Array(),
          dbeta: withScale ? grads[2]!.dataSync() : new Float32Array(),
        };
      });
    };
    const simd = simdKernels(tfc.backend() as WasmBackend)!;
    const calls: number = simd.calls;
    const ours = run('wasm');
    assert.ok(simd.calls > calls, 'the SIMD passes ran');
    const theirs = run('cpu');
    tfc.setBackend('wasm');
    for (const k of ['normed', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'] as const) close(ours[k], theirs[k], 2e-4, k);
  });
}

test('the layer in training: output and moving statistics as tfjs-layers’ BatchNormalization', () => {
  const x = tfc.tensor(values(4 * 3 * 3 * 8, 13, 2), [4, 3, 3, 8]);
  const make = (cls: 'ours' | 'tfjs') => {
    const args = { momentum: 0.9, epsilon: 1e-3, inputShape: [3, 3, 8] };
    const layer = cls === 'ours' ? new BatchNormalization(args) : tfl.layers.batchNormalization(args);
    layer.build([null, 3, 3, 8]);
    layer.setWeights([tfc.tensor(values(8, 17, 1), [8]), tfc.tensor(values(8, 19), [8]), tfc.tensor(values(8, 23), [8]), tfc.tensor(values(8, 29, 3), [8])]);
    return layer;
  };
  const ours = make('ours');
  const theirs = make('tfjs');
  assert.ok(ours instanceof BatchNormalization && !(theirs instanceof BatchNormalization));
  close((ours.apply(x, { training: true }) as tfc.Tensor).dataSync(), (theirs.apply(x, { training: true }) as tfc.Tensor).dataSync(), 1e-4, 'output');
  ours.getWeights().forEach((w, i) => close(w.dataSync(), theirs.getWeights()[i]!.dataSync(), 1e-5, `weight ${i}`));
  // Inference is tfjs-layers' own path: the moving statistics.
  close((ours.apply(x, { training: false }) as tfc.Tensor).dataSync(), (theirs.apply(x, { training: false }) as tfc.Tensor).dataSync(), 1e-5, 'inference');
});
