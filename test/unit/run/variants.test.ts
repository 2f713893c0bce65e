/** The grid of "Train Variants…" and `model-lens sweep`: lists as typed, every combination, clear refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandVariants, MAX_VARIANTS, variantLabel, VariantListError } from '../../../src/core/run/variants';
import { sweepGrid } from '../../../src/cli/sweep';
import { parseArgs } from '../../../src/cli/engine-session';

test('every combination, learning rate outermost and seed innermost; blank lists are not varied', () => {
  const g = expandVariants({ learningRate: '1e-3, 3e-4', batchSize: '64,128', seeds: '2' });
  assert.equal(g.length, 8);
  assert.deepEqual(g.slice(0, 3), [
    { learningRate: 1e-3, batchSize: 64, seed: 1 },
    { learningRate: 1e-3, batchSize: 64, seed: 2 },
    { learningRate: 1e-3, batchSize: 128, seed: 1 },
  ]);
  assert.deepEqual(g[7], { learningRate: 3e-4, batchSize: 128, seed: 2 });
  assert.deepEqual(expandVariants({ learningRate: '', batchSize: '  ', seeds: '1,5,9' }), [{ seed: 1 }, { seed: 5 }, { seed: 9 }]);
  assert.deepEqual(expandVariants({}), [{}], 'nothing varied: one run as the file says');
  assert.equal(variantLabel(g[0]!), 'lr 0.001, batch 64, seed 1');
  assert.equal(variantLabel({}), 'as the file says');
});

test('refusals name the list, the item and what to write', () => {
  const refused = (lists: Parameters<typeof expandVariants>[0]) => {
    try {
      expandVariants(lists);
    } catch (e) {
      assert.ok(e instanceof VariantListError);
      return `${e.field}: ${e.message}`;
    }
    assert.fail('accepted');
  };
  assert.equal(refused({ learningRate: '1e-3, fast' }), "learningRate: 'fast' is not a positive number");
  assert.equal(refused({ learningRate: '0' }), "learningRate: '0' is not a positive number");
  assert.equal(refused({ batchSize: '64,,128' }), 'batchSize: an empty item (two commas, or one at the end)');
  assert.equal(refused({ batchSize: '64.5' }), "batchSize: '64.5' is not a whole number ≥ 1");
  assert.deepEqual(expandVariants({ epochs: '1,2,1' }), [{ epochs: 1 }, { epochs: 2 }, { epochs: 1 }], 'a value twice runs twice (e.g. to repeat a run)');
  assert.equal(refused({ seeds: '0' }), `seeds: '0' is not a count from 1 to ${MAX_VARIANTS} (or a list: 1,5,9)`);
  assert.equal(refused({ seeds: '1,-2' }), "seeds: '-2' is not a whole number ≥ 0");
  assert.match(refused({ learningRate: '1,2,3,4,5,6,7,8,9,10', batchSize: '1,2,3,4,5,6,7,8,9,10', seeds: '11' }), /the grid has 1100 runs, more than 1000: shorten the lists/);
});

test('the CLI reads its flags through the same grid and says the flag', () => {
  assert.equal(sweepGrid(parseArgs(['m.py', '--lr', '1e-3,3e-4', '--seeds', '2'], ['lr', 'seeds'], [])).length, 4);
  assert.throws(() => sweepGrid(parseArgs(['m.py', '--batch-size', '64,big'], ['batch-size'], [])), /--batch-size: 'big' is not a whole number ≥ 1 \(write e\.g\. --batch-size 64,128\)/);
  assert.throws(() => sweepGrid(parseArgs(['m.py', '--seeds', 'x'], ['seeds'], [])), /--seeds: 'x' is not a count from 1 to 1000 \(or a list: 1,5,9\)$/);
});
