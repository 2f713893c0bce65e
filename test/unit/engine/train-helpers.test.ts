import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, shuffleInPlace } from '../../../src/worker/train';
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
