// Sum on wasm (batch and pixels of a bias gradient through XNNPACK average pooling, everything
// else by wasm's own kernel) matches cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leadingAxes } from '../../../src/worker/kernels/sum';
import { compareWithCpu, randomValues, setupWasm } from './compare';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

test('leadingAxes recognizes 0..k−1 in any order and with negative indices', () => {
  assert.equal(leadingAxes([0, 1, 2], 4), 3);
  assert.equal(leadingAxes([2, 0, 1], 4), 3);
  assert.equal(leadingAxes(0, 2), 1);
  assert.equal(leadingAxes([-4, 1], 4), 2);
  assert.equal(leadingAxes([1, 2], 4), 0);
  assert.equal(leadingAxes([0, 1, 2, 3], 4), 0, 'every axis: not a leading-axes sum');
  assert.equal(leadingAxes([0, 2], 3), 0);
});

test('Sum on wasm matches cpu: bias gradients, small windows, other axes, keepDims', async () => {
  await setupWasm();
  let seed = 11;
  for (const [shape, axis] of [
    [[64, 28, 28, 32], [0, 1, 2]], // the reference model's first bias gradients (pooled)
    [[8, 7, 5, 3], [0, 1, 2]], // pooled, odd sizes
    [[3, 40, 6], [0, 1]], // pooled, rank 3
    [[6, 3, 3, 4], [0, 1, 2]], // window 9: wasm's own kernel
    [[64, 512], 0], // Dense bias: wasm's own kernel
    [[3, 4, 5], [1, 2]],
    [[3, 4, 5], [0, 2]],
    [[3, 4, 5], [0, 1, 2]],
  ] as const) {
    for (const keepDims of [false, true]) {
      const r = compareWithCpu('Sum', { x: { shape: [...shape], values: randomValues(size(shape), seed++) } }, { axis: axis as number | number[], keepDims });
      const what = `${shape.join('×')} axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      assert.deepEqual(r.wasm.shape, r.cpu.shape, what);
      // Sums of up to 50,176 values in float32, in different orders: relative to the largest total.
      assert.ok(r.relErr < 1e-4, `${what}: relative error ${r.relErr}`);
    }
  }
});
