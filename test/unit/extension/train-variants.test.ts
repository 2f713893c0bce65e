// "Train Variants…" on the host: the grid trained one run after another through the RunManager and a
// fake worker (no VS Code, no tfjs); one overall progress; Stop (or ■ Stop on the run) ends the sweep.
import { workspaceState } from './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord } from '../../../src/core/run/record';
import { expandVariants } from '../../../src/core/run/variants';
import { checkList, sweepSummary } from '../../../src/extension/commands/train-variants';
import { RunManager, type RunEvent } from '../../../src/extension/runs/run-manager';
import { runVariants, type SweepProgress } from '../../../src/extension/runs/variant-sweep';
import { WorkerHost } from '../../../src/extension/runs/worker-host';
import { fakeWorkerFactory } from './fake-worker';
import { tinyCnn } from './fixture';

const log = { info() {}, warn() {}, error() {}, show() {} } as never;
const base = { epochs: 1, batchSize: 32, dataset: 'mnist', limit: 100 };

function setup(opts: Parameters<typeof fakeWorkerFactory>[0] = {}) {
  workspaceState.folders = [{ uri: { fsPath: '/ws', scheme: 'file' } }];
  const fw = fakeWorkerFactory(opts);
  const worker = new WorkerHost(fw.factory, '/x/worker.js', { nodePath: undefined, backend: 'auto' } as never, log, () => undefined);
  const runs = new RunManager(worker, log, async () => [], () => '/global/runs');
  const events: RunEvent[] = [];
  runs.onRunEvent((e) => events.push(e));
  const model = tinyCnn();
  const target = { file: '/ws/m.py', model, hash: 'h1', text: 'model = ...\n', key: `/ws/m.py#${model.name}` };
  return { ...fw, runs, worker, events, target };
}

test('every combination is one normal run, one after another, with one overall progress', async () => {
  const { runs, worker, events, trained, target } = setup({ steps: 10, ms: 60 }); // progress is reported at most every 0.4 s
  const variants = expandVariants({ learningRate: '1e-3, 3e-4', batchSize: '16,64' });
  const reports: SweepProgress[] = [];
  let overlapping = 0;
  runs.onRunEvent((e) => {
    if (e.kind === 'started' && events.filter((x) => x.kind === 'started').length - events.filter((x) => x.kind === 'done').length > 1) overlapping++;
  });
  const r = await runVariants(runs, target, base, variants, (p) => reports.push(p), new AbortController().signal);
  assert.equal(r.ended, undefined);
  assert.equal(r.runs.length, 4);
  assert.deepEqual(
    trained.map((t) => [t.settings.learningRate, t.settings.batchSize, t.settings.limit, t.settings.epochs]),
    [
      [1e-3, 16, 100, 1],
      [1e-3, 64, 100, 1],
      [3e-4, 16, 100, 1],
      [3e-4, 64, 100, 1],
    ],
    'each run: the base settings with its variant',
  );
  assert.equal(new Set(trained.map((t) => t.runId)).size, 4, 'four runs, four run ids');
  assert.ok(r.runs.every((x) => x.record.status === 'completed' && x.record.modelHash === 'h1'));
  assert.deepEqual(events.filter((e) => e.kind === 'started').length, 4);
  assert.equal(overlapping, 0, 'never two runs at once');
  // One progress: "variant i of 4", never going back.
  assert.deepEqual([...new Set(reports.map((p) => p.index))], [1, 2, 3, 4]);
  assert.ok(reports.every((p) => p.of === 4 && /^variant \d of 4 \(lr [\d.e-]+, batch \d+\)/.test(p.message)), reports.map((p) => p.message).join('\n'));
  assert.ok(reports.every((p, i) => i === 0 || p.fraction >= reports[i - 1]!.fraction), 'overall fraction never decreases');
  assert.ok(reports.some((p) => p.index === 2 && /epoch 1\/1/.test(p.message)), 'batch progress of the current run is in the message');
  assert.match(sweepSummary('Basic_CNN', r), /^Basic_CNN: 4 of 4 variant\(s\) trained\. Best: lr 0\.001, batch 16 — test accuracy 0\.9500\.$/);
  worker.dispose();
  runs.dispose();
});

test('Stop ends the sweep: the current run is cancelled within a batch and no further variant starts', async () => {
  const { runs, worker, trained, target } = setup({ steps: 50, ms: 20 });
  const stop = new AbortController();
  const variants = expandVariants({ seeds: '4' });
  const r = await runVariants(runs, target, base, variants, (p) => p.index === 2 && /epoch/.test(p.message) && stop.abort(), stop.signal);
  assert.equal(r.ended, 'stopped');
  assert.deepEqual(r.runs.map((x) => [x.variant.seed, x.record.status]), [
    [1, 'completed'],
    [2, 'cancelled'],
  ]);
  assert.equal(trained.length, 2, 'seeds 3 and 4 never started');
  assert.match(sweepSummary('Basic_CNN', r), /2 of 4 variant\(s\) trained \(stopped\)\. Best: seed 1/);
  worker.dispose();
  runs.dispose();
});

test('■ Stop on the running run (lens, status bar) ends the sweep too; a failed run ends it and says why', async () => {
  const a = setup({ steps: 50, ms: 20 });
  let asked = false;
  const r = await runVariants(a.runs, a.target, base, expandVariants({ seeds: '3' }), (p) => {
    if (!asked && /epoch/.test(p.message)) (asked = true), void a.runs.stop(a.target.key);
  }, new AbortController().signal);
  assert.equal(r.ended, 'stopped');
  assert.deepEqual(r.runs.map((x) => x.record.status), ['cancelled']);
  a.worker.dispose();
  a.runs.dispose();

  const b = setup({ steps: 2, ms: 2, failBatchSize: 64 });
  const f = await runVariants(b.runs, b.target, base, expandVariants({ batchSize: '16,64,128' }), () => undefined, new AbortController().signal);
  assert.equal(f.ended, 'failed');
  assert.deepEqual(f.runs.map((x) => [x.variant.batchSize, x.record.status]), [
    [16, 'completed'],
    [64, 'failed'],
  ]);
  assert.equal(b.trained.length, 2, 'batch size 128 never started');
  assert.match(sweepSummary('Basic_CNN', f), /2 of 3 variant\(s\) trained \(ended: a run failed — batch size 64 does not fit\)\. Best: batch 16/);
  b.worker.dispose();
  b.runs.dispose();
});

test('Stop pressed while the worker is still loading the model: that run is cancelled, not trained', async () => {
  const { runs, worker, trained, target } = setup({ steps: 3, ms: 2 });
  const stop = new AbortController();
  stop.abort();
  const r = await runVariants(runs, target, base, expandVariants({ seeds: '2' }), () => undefined, stop.signal);
  assert.equal(r.ended, 'stopped');
  assert.equal(r.runs.length, 0);
  assert.equal(trained.length, 0);
  // The RunManager side of it: stop() between start and the worker's train request.
  const p = runs.train(target.file, target.model, 'h1', base, 'x');
  void runs.stop(target.key);
  const rec: RunRecord = await p;
  assert.equal(rec.status, 'cancelled');
  assert.equal(trained.length, 0, 'the worker was never asked to train');
  worker.dispose();
  runs.dispose();
});

test('the input boxes check each list as it is typed, with what to write', () => {
  assert.equal(checkList('learningRate', '1e-3, 3e-4'), undefined);
  assert.equal(checkList('learningRate', ''), undefined, 'empty: keep the current value');
  assert.equal(checkList('learningRate', '1e-3, fast'), "'fast' is not a positive number. Write a comma list, e.g. 1e-3, 3e-4; empty keeps the current value.");
  assert.equal(checkList('batchSize', '64,'), 'an empty item (two commas, or one at the end). Write a comma list, e.g. 64, 128; empty keeps the current value.');
  assert.match(checkList('seeds', '0')!, /^'0' is not a count from 1 to 1000 \(or a list: 1,5,9\)\. Write a comma list, e\.g\. 3 \(seeds 1, 2, 3\) or 1, 5, 9/);
});
