// BatchMatMul on wasm (transposed operands routed through XNNPACK) matches cpu.
import { test } from 'node:test';
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
