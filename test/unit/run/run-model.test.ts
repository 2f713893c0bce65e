import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/emitter';
import type { BatchEvent } from '../../../src/core/protocol/worker';
import type { BatchPoint, RunRecord } from '../../../src/core/run/record';
import {
  appendBatchPoints,
  applyBatch,
  applyEpoch,
  BatchSampler,
  finishRun,
  hasUsableWeights,
  HEARTBEAT_STALE_MS,
  latestWithWeights,
  MAX_BATCH_POINTS,
  newRunRecord,
  runsOfModel,
  settleRun,
} from '../../../src/core/run/run-model';
import { tinyCnn } from '../extension/fixture';

const settings = { epochs: 2, batchSize: 64, dataset: 'mnist' };

function rec(id: string, startedAt: string, status: RunRecord['status'], weightsDir?: string, modelName = 'Basic_CNN', modelFile = '/w/m.py'): RunRecord {
  return { id, modelName, modelFile, modelHash: 'h', status, startedAt, settings, batches: [], epochs: [], ...(weightsDir ? { weightsDir } : {}) };
}

test('batch points: all kept for short runs, averaged pairwise past the cap, in step order', () => {
  const points: BatchPoint[] = [];
  const sampler = new BatchSampler();
  for (let s = 1; s <= 100; s++) sampler.add(points, { step: s, epoch: 1, loss: s, acc: 0.5 });
  assert.equal(points.length, 100);
  assert.deepEqual(points[41], { step: 42, epoch: 1, loss: 42, acc: 0.5 });
  const long: BatchPoint[] = [];
  const s2 = new BatchSampler();
  const n = MAX_BATCH_POINTS * 3;
  for (let s = 1; s <= n; s++) s2.add(long, { step: s, epoch: 1, loss: s % 2 });
  assert.ok(long.length < MAX_BATCH_POINTS && long.length >= MAX_BATCH_POINTS / 4, `${long.length} points`);
  assert.ok(long.every((p) => p.loss === 0.5), 'each point averages an even span of alternating 0/1 losses');
  const steps = long.map((p) => p.step);
  assert.deepEqual(steps, [...steps].sort((x, y) => x - y));
  assert.ok(steps[steps.length - 1]! > n - 8, 'reaches the end of the run');
});

test('appendBatchPoints halves at the cap and skips steps already seen', () => {
  const pts: BatchPoint[] = [];
  appendBatchPoints(pts, [{ step: 1, epoch: 1, loss: 1, acc: 0 }, { step: 2, epoch: 1, loss: 3, acc: 1 }, { step: 2, epoch: 1, loss: 9 }, { step: 3, epoch: 1, loss: 5 }], 4);
  assert.deepEqual(pts, [{ step: 1, epoch: 1, loss: 1, acc: 0 }, { step: 2, epoch: 1, loss: 3, acc: 1 }, { step: 3, epoch: 1, loss: 5 }]);
  const halvings = appendBatchPoints(pts, [{ step: 4, epoch: 2, loss: 7 }], 4);
  assert.equal(halvings, 1);
  assert.deepEqual(pts, [{ step: 2, epoch: 1, loss: 2, acc: 0.5 }, { step: 4, epoch: 2, loss: 6 }]);
});

test('the live copies (host, webview) end equal to the worker record, whatever the event throttling', () => {
  const worker: BatchPoint[] = [];
  const sampler = new BatchSampler();
  const live = newRunRecord('r', tinyCnn(), '/w/m.py', 'h', settings);
  let unsent: BatchPoint[] = [];
  for (let step = 1; step <= 20000; step++) {
    const p = sampler.add(worker, { step, epoch: 1 + Math.floor(step / 3000), loss: Math.sin(step), acc: (step % 7) / 7 });
    if (p) unsent.push(p);
    if (step % 13 === 0 || step === 20000) {
      const e: BatchEvent = { runId: 'r', epoch: 1, epochs: 4, batch: step, batchesPerEpoch: 20000, step, loss: 0, samplesPerSec: 1, etaSec: 1, progress: step / 20000, points: unsent };
      unsent = [];
      applyBatch(live, e);
      applyBatch(live, e); // delivered twice: ignored
    }
  }
  assert.ok(worker.length < MAX_BATCH_POINTS && worker.length > MAX_BATCH_POINTS / 4, 'halved on the way');
  assert.deepEqual(live.batches, worker);
});

test('a batch event without points adds its own point', () => {
  const run = newRunRecord('r1', tinyCnn(), '/w/m.py', 'h', settings, new Date('2026-12-01T11:00:00Z'));
  assert.equal(run.status, 'running');
  assert.equal(run.startedAt, '2026-12-01T11:00:00.000Z');
  applyBatch(run, { runId: 'r1', epoch: 1, epochs: 2, batch: 3, batchesPerEpoch: 10, step: 3, loss: 0.5, acc: 0.8, samplesPerSec: 200, etaSec: 70, progress: 0.15 });
  assert.deepEqual(run.batches, [{ step: 3, epoch: 1, loss: 0.5, acc: 0.8 }]);
});

test('epoch metrics replace an earlier copy of the same epoch', () => {
  const run = newRunRecord('r1', tinyCnn(), '/w/m.py', 'h', settings);
  applyEpoch(run, { runId: 'r1', epochs: 2, epoch: 1, loss: 0.3, acc: 0.9, durationMs: 1000 });
  applyEpoch(run, { runId: 'r1', epochs: 2, epoch: 1, loss: 0.2, acc: 0.95, valAcc: 0.96, durationMs: 1000 });
  applyEpoch(run, { epoch: 2, loss: 0.1, durationMs: 5 });
  assert.deepEqual(run.epochs, [{ epoch: 1, loss: 0.2, acc: 0.95, valAcc: 0.96, durationMs: 1000 }, { epoch: 2, loss: 0.1, durationMs: 5 }]);
});

test('finishing keeps the live history when the worker record has none', () => {
  const live = { ...rec('a', 'x', 'running'), batches: [{ step: 1, epoch: 1, loss: 1 }] };
  const done = finishRun(live, { ...rec('a', 'x', 'failed'), error: 'crash' });
  assert.equal(done.status, 'failed');
  assert.deepEqual(done.batches, live.batches);
  const full = finishRun(live, { ...rec('a', 'x', 'completed'), batches: [{ step: 9, epoch: 1, loss: 0 }] });
  assert.deepEqual(full.batches, [{ step: 9, epoch: 1, loss: 0 }]);
});

test('one rule for usable weights: completed, stopped or interrupted, with a folder that exists', () => {
  assert.equal(hasUsableWeights(rec('a', 'x', 'completed', '/w')), true);
  assert.equal(hasUsableWeights(rec('a', 'x', 'cancelled', '/w')), true);
  assert.equal(hasUsableWeights(rec('a', 'x', 'interrupted', '/w')), true);
  assert.equal(hasUsableWeights(rec('a', 'x', 'running', '/w')), false);
  assert.equal(hasUsableWeights(rec('a', 'x', 'failed', '/w')), false);
  assert.equal(hasUsableWeights(rec('a', 'x', 'completed')), false);
  assert.equal(hasUsableWeights(rec('a', 'x', 'completed', '/w'), () => false), false);
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

test('a running run whose process is gone, or silent too long, is interrupted', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const base = { ...rec('a', '2026-12-01T11:59:00Z', 'running', '/w'), pid: 4242, host: 'box', heartbeatAt: '2026-12-01T11:59:50Z' };
  const live = { now, hostname: 'box', isAlive: (pid: number) => pid !== 4242 };
  const dead = settleRun(base, live);
  assert.equal(dead.status, 'interrupted');
  assert.match(dead.error!, /pid 4242.*last saved weights are kept/);
  assert.equal(base.status, 'running', 'input not mutated');
  assert.equal(settleRun(base, { ...live, isAlive: () => true }), base, 'alive and beating: still running');
  assert.equal(settleRun(base, { ...live, activeIds: new Set(['a']) }), base, "this process's own run");
  const otherHost = settleRun(base, { ...live, hostname: 'elsewhere' });
  assert.equal(otherHost.status, 'running', 'a pid on another machine says nothing; the heartbeat is fresh');
  const silent = { ...base, heartbeatAt: new Date(now - HEARTBEAT_STALE_MS - 1000).toISOString() };
  assert.equal(settleRun(silent, { ...live, hostname: 'elsewhere' }).status, 'interrupted');
  assert.equal(settleRun(silent, { ...live, isAlive: () => true }).status, 'interrupted', 'pid reused by another process');
  const done = rec('b', 'x', 'completed', '/w');
  assert.equal(settleRun(done, live), done);
});

test('the typed emitter: subscribe, unsubscribe, a failing listener does not stop the others', () => {
  const errors: unknown[] = [];
  const em = new Emitter<{ a: number; b: string }>((_e, err) => errors.push(err));
  const got: string[] = [];
  const off = em.on('a', (n) => got.push(`1:${n}`));
  em.on('a', () => {
    throw new Error('boom');
  });
  em.on('a', (n) => got.push(`3:${n}`));
  em.on('b', (s) => got.push(`b:${s}`));
  em.emit('a', 1);
  off();
  em.emit('a', 2);
  em.emit('b', 'x');
  assert.deepEqual(got, ['1:1', '3:1', '3:2', 'b:x']);
  assert.equal(errors.length, 2);
  assert.equal(em.listenerCount('a'), 2);
  const strict = new Emitter<{ a: number }>();
  let after = false;
  strict.on('a', () => {
    throw new Error('first');
  });
  strict.on('a', () => (after = true));
  assert.throws(() => strict.emit('a', 1), /first/);
  assert.ok(after, 'without onError: every listener runs, then the first error is thrown');
});
