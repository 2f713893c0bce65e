import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasmThreads } from '../../../src/core/run/threads';

test('wasm threads: asked wins (1–8), else one per core, at least 1', () => {
  assert.equal(wasmThreads(2), 2);
  assert.equal(wasmThreads(16), 8);
  assert.equal(wasmThreads(1), 1);
  assert.equal(wasmThreads(0), 1);
  assert.equal(wasmThreads(2, 3), 3);
  assert.equal(wasmThreads(4, 0), 4, '0 means the default');
  assert.equal(wasmThreads(4, 12), 8);
  assert.equal(wasmThreads(4, 2.7), 2);
});
