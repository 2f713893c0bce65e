import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchPoint } from '../../../src/core/run/record';
import { addBatchPoint, MAX_BATCH_POINTS, seededRandom, shuffleInPlace } from '../../../src/worker/train';
import { topK, toProbs } from '../../../src/worker/predict';

test('seeded shuffle: same seed, same order; a permutation; different seeds differ', () => {
  const a = Int32Array.from({ length: 100 }, (_, i) => i);
  const b = Int32Array.from({ length: 100 }, (_, i) => i);
  const c = Int32Array.from({ length: 100 }, (_, i) => i);
  shuffleInPlace(a, seededRandom(42));
  shuffleInPlace(b, seededRandom(42));
  shuffleInPlace(c, seededRandom(43));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual([...a].sort((x, y) => x - y), [...Array(100).keys()]);
});

test('batch points: all kept for short runs, averaged pairwise past the cap', () => {
  const points: BatchPoint[] = [];
  const stride = { every: 1, pending: [] as BatchPoint[] };
  for (let s = 1; s <= 100; s++) addBatchPoint(points, { step: s, epoch: 1, loss: s, acc: 0.5 }, stride);
  assert.equal(points.length, 100);
  const long: BatchPoint[] = [];
  const st = { every: 1, pending: [] as BatchPoint[] };
  const n = MAX_BATCH_POINTS * 3;
  for (let s = 1; s <= n; s++) addBatchPoint(long, { step: s, epoch: 1, loss: 1 }, st);
  assert.ok(long.length < MAX_BATCH_POINTS && long.length >= MAX_BATCH_POINTS / 4, `${long.length} points`);
  assert.ok(long.every((p) => p.loss === 1));
  const steps = long.map((p) => p.step);
  assert.deepEqual(steps, [...steps].sort((x, y) => x - y), 'in step order');
  assert.ok(steps[steps.length - 1]! > n - 4 * st.every, 'reaches the end of the run');
});

test('probabilities: softmax output kept, logits softmaxed, one sigmoid unit split in two; top-k', () => {
  assert.deepEqual(toProbs([0.1, 0.9]), [0.1, 0.9]);
  const p = toProbs([2, 0, -2]);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9 && p[0]! > p[1]!);
  assert.deepEqual(toProbs([0.25]), [0.75, 0.25]);
  assert.deepEqual(topK([0.1, 0.6, 0.3], 2), [
    { label: 1, prob: 0.6 },
    { label: 2, prob: 0.3 },
  ]);
});
