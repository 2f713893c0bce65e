import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasmThreads } from '../../../src/core/run/threads';

test('wasm threads: asked wins (1–8), else one per core less the reserve, at least 1', () => {
  assert.equal(wasmThreads(2), 2, 'the CLI uses every core');
  assert.equal(wasmThreads(2, undefined, 1), 1, 'the editor keeps a core');
  assert.equal(wasmThreads(16, undefined, 1), 8);
  assert.equal(wasmThreads(1, undefined, 1), 1);
  assert.equal(wasmThreads(2, 3, 1), 3);
  assert.equal(wasmThreads(4, 0, 1), 3, '0 means the default');
  assert.equal(wasmThreads(4, 12), 8);
  assert.equal(wasmThreads(4, 2.7), 2);
});
