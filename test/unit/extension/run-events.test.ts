import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBatch, applyEpoch, latestWithWeights, newRunRecord, runSummary, runsOfModel, settleInterrupted } from '../../../src/extension/text/run-events';
import type { RunRecord } from '../../../src/core/run/record';
import { tinyCnn } from './fixture';

const settings = { epochs: 2, batchSize: 64, dataset: 'mnist' };

test('batches accumulate once per step and give lens progress', () => {
  const run = newRunRecord('r1', tinyCnn(), '/w/m.py', 'h', settings, new Date('2026-12-01T11:00:00Z'));
  assert.equal(run.status, 'running');
  assert.equal(run.startedAt, '2026-12-01T11:00:00.000Z');
  const ev = { runId: 'r1', epoch: 1, epochs: 2, batch: 3, batchesPerEpoch: 10, step: 3, loss: 0.5, acc: 0.8, samplesPerSec: 200, etaSec: 70, progress: 0.15 };
  const p = applyBatch(run, ev);
  applyBatch(run, ev); // duplicate step ignored
  assert.deepEqual(run.batches, [{ step: 3, epoch: 1, loss: 0.5, acc: 0.8 }]);
  assert.deepEqual(p, { epoch: 1, epochs: 2, progress: 0.15, batch: 3, batchesPerEpoch: 10, loss: 0.5, samplesPerSec: 200, etaSec: 70, acc: 0.8 });
});

test('epoch metrics replace an earlier copy of the same epoch', () => {
  const run = newRunRecord('r1', tinyCnn(), '/w/m.py', 'h', settings);
  applyEpoch(run, { runId: 'r1', epochs: 2, epoch: 1, loss: 0.3, acc: 0.9, durationMs: 1000 });
  applyEpoch(run, { runId: 'r1', epochs: 2, epoch: 1, loss: 0.2, acc: 0.95, valAcc: 0.96, durationMs: 1000 });
  assert.deepEqual(run.epochs, [{ epoch: 1, loss: 0.2, acc: 0.95, valAcc: 0.96, durationMs: 1000 }]);
});

function rec(id: string, startedAt: string, status: RunRecord['status'], weightsDir?: string, modelName = 'Basic_CNN', modelFile = '/w/m.py'): RunRecord {
  return { id, modelName, modelFile, modelHash: 'h', status, startedAt, settings, batches: [], epochs: [], ...(weightsDir ? { weightsDir } : {}) };
}

test('latest run with weights: newest completed or stopped-with-weights of that model', () => {
  const runs = [
    rec('a', '2026-12-01T10:00:00Z', 'completed', '/r/a/weights'),
    rec('b', '2026-12-01T12:00:00Z', 'failed', '/r/b/weights'),
    rec('c', '2026-12-01T11:00:00Z', 'cancelled', '/r/c/weights'),
    rec('d', '2026-12-01T13:00:00Z', 'completed', '/r/d/weights', 'Other'),
    rec('e', '2026-12-01T14:00:00Z', 'completed'),
    rec('f', '2026-12-01T15:00:00Z', 'running', '/r/f/weights'),
  ];
  assert.equal(latestWithWeights(runs, '/w/m.py', 'Basic_CNN')?.id, 'c');
  assert.equal(latestWithWeights(runs, '/w/m.py', 'Basic_CNN', (d) => d !== '/r/c/weights')?.id, 'a');
  assert.equal(latestWithWeights(runs, '/w/other.py', 'Basic_CNN'), undefined);
  assert.deepEqual(runsOfModel(runs, '/w/m.py', 'Basic_CNN').map((r) => r.id), ['a', 'c', 'b', 'e', 'f']);
});

test('summaries for each outcome', () => {
  const done = { ...rec('a', 'x', 'completed', '/w'), durationMs: 61_400, test: { loss: 0.024, acc: 0.9845, samples: 10000 }, backend: 'wasm' as const };
  assert.equal(runSummary(done), 'Basic_CNN trained in 61 s: test accuracy 0.9845, loss 0.0240 (wasm).');
  assert.match(runSummary(rec('b', 'x', 'cancelled', '/w')), /stopped\. The last saved weights are kept/);
  assert.match(runSummary(rec('b', 'x', 'cancelled')), /No weights were saved yet/);
  assert.equal(runSummary({ ...rec('c', 'x', 'failed'), error: 'out of memory' }), 'Basic_CNN: training failed: out of memory');
});

test('runs left "running" on disk by a closed window show as interrupted', () => {
  const runs = [rec('a', 'x', 'running', '/w'), rec('b', 'y', 'running'), rec('c', 'z', 'completed', '/w')];
  const settled = settleInterrupted(runs, new Set(['b']));
  assert.deepEqual(settled.map((r) => r.status), ['cancelled', 'running', 'completed']);
  assert.match(settled[0]!.error!, /interrupted/);
  assert.equal(runs[0]!.status, 'running', 'input not mutated');
});
