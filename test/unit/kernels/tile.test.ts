// Tile on wasm (block copies, src/worker/kernels/tile.ts) matches cpu over ranks, repeats and dtypes,
// including BatchNormalization's gradient's tile of per-channel factors to a whole activation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { randomValues, setupWasm } from './compare';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('Tile on wasm matches cpu', async () => {
  await setupWasm();
  let seed = 1;
  for (const [shape, reps] of [
    [[1, 1, 1, 16], [64, 32, 32, 1]], // BatchNormalization's gradient
    [[3], [4]],
    [[2, 3], [1, 1]],
    [[2, 3], [3, 2]],
    [[2, 1, 3], [2, 5, 1]],
    [[1, 2, 2, 3], [2, 1, 3, 2]],
    [[2, 2, 1, 1, 2], [1, 2, 3, 2, 1]],
    [[4, 5], [0, 2]],
  ] as const) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const values = Array.from(randomValues(size([...shape]), seed++), (v) => (dtype === 'float32' ? v : dtype === 'int32' ? Math.round(v * 100) : v > 0 ? 1 : 0));
      const run = (backend: string) => {
        tf.setBackend(backend);
        return tf.tidy(() => {
          const t = tf.tile(tf.tensor(values, [...shape], dtype), [...reps]);
          return { shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) };
        });
      };
      const wasm = run('wasm');
      const cpu = run('cpu');
      tf.setBackend('wasm');
      assert.deepEqual(wasm, cpu, `${dtype} ${shape.join('×')} tiled ${reps.join('×')}`);
    }
  }
});
