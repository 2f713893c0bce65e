// Conv3D's input gradient on wasm (ours replaces tfjs-backend-wasm's, which disagrees with the
// cpu backend), checked against the cpu backend's kernel over shapes × strides × padding, odd and
// even kernels, several channel counts, batch > 1; and against finite differences of Conv3D.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { compareWithCpu, randomValues, setupWasm } from './compare';

test.before(setupWasm);

test('Conv3DBackpropInputV2 on wasm matches the cpu backend', () => {
  let seed = 1;
  for (const pad of ['same', 'valid'] as const) {
    for (const strides of [[1, 1, 1], [2, 2, 2], [1, 2, 1]] as [number, number, number][]) {
      for (const [x, k, f] of [
        [[2, 4, 5, 3, 2], [2, 2, 1], 3],
        [[1, 5, 4, 6, 3], [3, 3, 3], 2],
        [[2, 3, 3, 3, 4], [1, 1, 1], 5],
      ] as [[number, number, number, number, number], [number, number, number], number][]) {
        const filterShape = [...k, x[4], f];
        const info = tf.backend_util.computeConv3DInfo(x, filterShape as [number, number, number, number, number], strides, 1, pad);
        const dyShape = info.outShape;
        const r = compareWithCpu(
          'Conv3DBackpropInputV2',
          {
            dy: { shape: dyShape, values: randomValues(dyShape.reduce((a, b) => a * b, 1), seed++) },
            filter: { shape: filterShape, values: randomValues(filterShape.reduce((a, b) => a * b, 1), seed++) },
          },
          { strides, pad, inputShape: x },
        );
        assert.deepEqual(r.wasm.shape, r.cpu.shape);
        assert.ok(r.relErr < 1e-5, `x=${x} k=${k} f=${f} s=${strides} ${pad}: relative error ${r.relErr}`);
      }
    }
  }
});

test("Conv3D's input gradient on wasm matches finite differences of its forward pass", () => {
  const x = tf.tensor(randomValues(2 * 3 * 2 * 3 * 2, 7), [2, 3, 2, 3, 2]);
  const w = tf.tensor(randomValues(2 * 1 * 2 * 2 * 3, 9), [2, 1, 2, 2, 3]);
  const f = (t: tf.Tensor) => tf.conv3d(t as tf.Tensor5D, w as tf.Tensor5D, [1, 1, 1], 'same');
  const m = tf.tensor(randomValues(f(x).size, 11), f(x).shape);
  const loss = (t: tf.Tensor) => tf.sum(tf.mul(m, f(t)));
  const g = tf.grad(loss)(x).dataSync();
  const base = x.dataSync();
  let worst = 0;
  for (let i = 0; i < base.length; i++) {
    const p = Float32Array.from(base);
    const q = Float32Array.from(base);
    p[i]! += 1e-2;
    q[i]! -= 1e-2;
    const fd = (loss(tf.tensor(p, x.shape)).dataSync()[0]! - loss(tf.tensor(q, x.shape)).dataSync()[0]!) / 2e-2;
    worst = Math.max(worst, Math.abs(fd - g[i]!));
  }
  assert.ok(worst < 1e-3, `max difference ${worst}`);
});
