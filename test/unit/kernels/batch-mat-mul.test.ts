// BatchMatMul on wasm (transposed operands routed through XNNPACK) matches cpu.
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { compareWithCpu, randomValues, setupWasm } from './compare';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('BatchMatMul on wasm matches cpu for every transpose combination, 2-D and batched', async () => {
  await setupWasm();
  let seed = 1;
  for (const [batch, m, k, n] of [
    [1, 5, 7, 3],
    [1, 64, 40, 33],
    [3, 4, 6, 5],
    [1, 4, 50, 300], // a·bᵀ with b the larger (Dense's input gradient dy·Wᵀ): computed as (b·aᵀ)ᵀ
    [2, 3, 20, 40],
  ] as const) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const aShape = ta ? [batch, k, m] : [batch, m, k];
        const bShape = tb ? [batch, n, k] : [batch, k, n];
        const r = compareWithCpu(
          'BatchMatMul',
          { a: { shape: aShape, values: randomValues(size(aShape), seed++) }, b: { shape: bShape, values: randomValues(size(bShape), seed++) } },
          { transposeA: ta, transposeB: tb },
        );
        const what = `batch ${batch} ${m}×${k}×${n} transposeA=${ta} transposeB=${tb}`;
        assert.deepEqual(r.wasm.shape, [batch, m, n], what);
        assert.ok(r.relErr < 1e-5, `${what}: relative error ${r.relErr}`);
      }
    }
  }
});

test('_FusedMatMul on wasm matches cpu: a new large weight takes the swapped product, a seen one the backend kernel', async () => {
  await setupWasm();
  const { swappedProduct } = await import('../../../src/worker/kernels/fused-mat-mul');
  let seed = 100;
  for (const [m, k, n] of [
    [8, 300, 256], // 76,800 weights: swapped
    [5, 20, 30], // small: the backend's kernel
  ] as const) {
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu']) {
      for (const withBias of [true, false]) {
        const inputs: Record<string, { shape: number[]; values: Float32Array }> = {
          a: { shape: [1, m, k], values: randomValues(m * k, seed++) },
          b: { shape: [1, k, n], values: randomValues(k * n, seed++) },
        };
        if (withBias) inputs['bias'] = { shape: [n], values: randomValues(n, seed++) };
        const before = swappedProduct.taken;
        const r = compareWithCpu('_FusedMatMul', inputs, { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0.1 } as never);
        const what = `${m}×${k}×${n} ${activation} bias=${withBias}`;
        assert.deepEqual(r.wasm.shape, [1, m, n], what);
        assert.ok(r.relErr < 1e-5, `${what}: relative error ${r.relErr}`);
        assert.equal(swappedProduct.taken - before, k * n >= swappedProduct.minWeights ? 1 : 0, `${what}: path`);
      }
    }
  }
  // The same weight twice: the first product is swapped, the second the backend's; both equal.
  tf.setBackend('wasm');
  const a = tf.tensor(randomValues(4 * 300, 7), [1, 4, 300]);
  const b = tf.tensor(randomValues(300 * 256, 8), [1, 300, 256]);
  assert.ok(b.size >= swappedProduct.minWeights);
  const taken = swappedProduct.taken;
  const first = tf.engine().runKernel('_FusedMatMul', { a, b }, { transposeA: false, transposeB: false, activation: 'linear' } as never) as tf.Tensor;
  const second = tf.engine().runKernel('_FusedMatMul', { a, b }, { transposeA: false, transposeB: false, activation: 'linear' } as never) as tf.Tensor;
  const x = first.dataSync();
  const y = second.dataSync();
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
  assert.ok(diff < 1e-4, `swapped and packed products differ by ${diff}`);
  assert.equal(swappedProduct.taken, taken + 1, 'the first product is swapped, the second is not');
  tf.dispose([a, b, first, second]);
});
