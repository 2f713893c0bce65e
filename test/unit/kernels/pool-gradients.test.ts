// MaxPoolGrad registered on wasm matches cpu over pool sizes × strides × padding, including
// overlapping windows and ties (the gradient goes to the first maximum).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { compareWithCpu, randomValues, setupWasm } from './compare';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('MaxPoolGrad on wasm matches cpu', async () => {
  await setupWasm();
  let seed = 3;
  for (const x of [
    [2, 8, 8, 3],
    [3, 7, 9, 5],
    [1, 6, 5, 1],
  ]) {
    for (const [pool, stride] of [
      [2, 2],
      [3, 2],
      [3, 1],
      [2, 1],
      [3, 3],
    ]) {
      for (const pad of ['valid', 'same'] as const) {
        const info = tf.backend_util.computePool2DInfo(x as [number, number, number, number], pool!, stride!, 1, pad);
        const values = randomValues(size(x), seed++);
        // Quantize so that windows hold ties.
        for (let i = 0; i < values.length; i++) values[i] = Math.round(values[i]! * 2) / 2;
        const r = compareWithCpu(
          'MaxPoolGrad',
          {
            dy: { shape: info.outShape, values: randomValues(size(info.outShape), seed++) },
            input: { shape: x, values },
            output: { shape: info.outShape, values: new Float32Array(size(info.outShape)) },
          },
          { filterSize: pool, strides: stride, pad },
        );
        const what = `x=${x.join('×')} pool ${pool} stride ${stride} ${pad}`;
        assert.deepEqual(r.wasm.shape, r.cpu.shape, what);
        assert.ok(r.relErr < 1e-5, `${what}: relative error ${r.relErr}`);
      }
    }
  }
});
