import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchProgress, runSummary } from '../../../src/extension/text/run-events';
import type { RunRecord } from '../../../src/core/run/record';

const settings = { epochs: 2, batchSize: 64, dataset: 'mnist' };

function rec(id: string, status: RunRecord['status'], weightsDir?: string): RunRecord {
  return { id, modelName: 'Basic_CNN', modelFile: '/w/m.py', modelHash: 'h', status, startedAt: 'x', settings, batches: [], epochs: [], ...(weightsDir ? { weightsDir } : {}) };
}

test('a batch event gives the lens progress', () => {
  const ev = { runId: 'r1', epoch: 1, epochs: 2, batch: 3, batchesPerEpoch: 10, step: 3, loss: 0.5, acc: 0.8, samplesPerSec: 200, etaSec: 70, progress: 0.15 };
  assert.deepEqual(batchProgress(ev), { epoch: 1, epochs: 2, progress: 0.15, batch: 3, batchesPerEpoch: 10, loss: 0.5, samplesPerSec: 200, etaSec: 70, acc: 0.8 });
});

test('summaries for each outcome', () => {
  const done = { ...rec('a', 'completed', '/w'), durationMs: 61_400, test: { loss: 0.024, acc: 0.9845, samples: 10000 }, backend: 'wasm' as const };
  assert.equal(runSummary(done), 'Basic_CNN trained in 61 s: test accuracy 0.9845, loss 0.0240 (wasm).');
  assert.match(runSummary(rec('b', 'cancelled', '/w')), /stopped\. The last saved weights are kept/);
  assert.match(runSummary(rec('b', 'cancelled')), /No weights were saved yet/);
  assert.match(runSummary(rec('b', 'interrupted', '/w')), /interrupted.*last saved weights are kept/);
  assert.equal(runSummary({ ...rec('c', 'failed'), error: 'out of memory' }), 'Basic_CNN: training failed: out of memory');
});
