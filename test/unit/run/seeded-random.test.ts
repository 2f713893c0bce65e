import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSeededMathRandom } from '../../../src/worker/seeded-random';

test('seeded Math.random: same seed, same draws; restored after; a second seeded run at once shares the stream and is told', async () => {
  const original = Math.random;
  const draw = () => withSeededMathRandom(5, async () => [Math.random(), Math.random()]);
  const a = await draw();
  const b = await draw();
  assert.deepEqual(a, b);
  assert.notDeepEqual(await withSeededMathRandom(6, async () => [Math.random(), Math.random()]), a);
  assert.equal(Math.random, original, 'restored');
  let shared = 0;
  await withSeededMathRandom(5, async () => {
    const inner = await withSeededMathRandom(9, async () => Math.random(), () => shared++);
    assert.equal(typeof inner, 'number');
  });
  assert.equal(shared, 1);
  assert.equal(Math.random, original);
  await assert.rejects(withSeededMathRandom(5, async () => { throw new Error('boom'); }), /boom/);
  assert.equal(Math.random, original, 'restored after a failure too');
});
