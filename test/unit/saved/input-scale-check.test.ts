/**
 * The panel's input-scaling request is untrusted webview input: the host accepts a finite factor
 * from 1e-6 to 1000 only (pixels are 0–255; anything else is a mistake, not a scaling).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { savedModelParamCheckers } from '../../../src/core/protocol/webview-checks';

test('setInputScale takes a positive factor in range and refuses the rest with a reason', () => {
  assert.deepEqual(savedModelParamCheckers.setInputScale({ scale: 1 / 255 }), { scale: 1 / 255 });
  assert.deepEqual(savedModelParamCheckers.setInputScale({ scale: 1 }), { scale: 1 });
  for (const bad of [0, -1, 1e-9, 5000, Number.NaN, Number.POSITIVE_INFINITY, '1/255', null]) {
    assert.throws(() => savedModelParamCheckers.setInputScale({ scale: bad }), /scale must be a number from 0\.000001 to 1000/);
  }
  assert.throws(() => savedModelParamCheckers.setInputScale('x'), /params/);
});
