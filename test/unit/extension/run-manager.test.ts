// WorkerHost + RunManager against a fake worker on an in-memory channel (no VS Code, no tfjs).
import { shown, workspaceState } from './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerHost } from '../../../src/extension/runs/worker-host';
import { fakeWorkerFactory } from './fake-worker';
import { RunManager, type RunEvent } from '../../../src/extension/runs/run-manager';
import { tinyCnn } from './fixture';

const settings = { nodePath: undefined, backend: 'auto' } as never;
const log = { info() {}, warn() {}, error() {}, show() {} } as never;

function setup(opts: Parameters<typeof fakeWorkerFactory>[0] = {}) {
  const fw = fakeWorkerFactory(opts);
  const worker = new WorkerHost(fw.factory, '/x/worker.js', settings, log, () => undefined);
  const runs = new RunManager(worker, log, async () => [], () => '/global/runs');
  const events: RunEvent[] = [];
  runs.onRunEvent((e) => events.push(e));
  return { ...fw, worker, runs, events };
}

test('a run streams events into the host copy and completes', async () => {
  workspaceState.folders = [{ uri: { fsPath: '/ws', scheme: 'file' } }];
  const { runs, events, starts } = setup();
  const done = runs.train('/ws/m.py', tinyCnn(), 'hash1', { epochs: 1, batchSize: 64, dataset: 'mnist' });
  await new Promise((r) => setTimeout(r, 1));
  const active = runs.runningFor('/ws/m.py#Basic_CNN');
  assert.ok(active, 'running while training');
  const record = await done;
  assert.equal(record.status, 'completed');
  assert.equal(record.test?.acc, 0.95);
  assert.equal(record.batches.length, 3, 'host history kept when the worker record has none');
  assert.equal(record.epochs.length, 1);
  assert.equal(record.backend, 'wasm');
  assert.match(record.weightsDir!, /^\/ws\/\.model-lens\/runs\/[^/]+\/weights$/);
  assert.deepEqual(events.map((e) => e.kind), ['started', 'batch', 'batch', 'batch', 'epoch', 'done']);
  assert.equal(runs.runningFor('/ws/m.py#Basic_CNN'), undefined);
  assert.equal(starts.length, 1);
});

test('no workspace folder: runs go to global storage', () => {
  workspaceState.folders = [];
  const { runs } = setup();
  assert.equal(runs.runsDirFor('/tmp/m.py'), '/global/runs');
});

test('stop cancels the run; a second train of the same model is refused while one runs', async () => {
  workspaceState.folders = [{ uri: { fsPath: '/ws', scheme: 'file' } }];
  const { runs } = setup({ steps: 1000, ms: 2 });
  const done = runs.train('/ws/m.py', tinyCnn(), 'h', { epochs: 1, batchSize: 64, dataset: 'mnist' });
  await new Promise((r) => setTimeout(r, 20));
  await assert.rejects(runs.train('/ws/m.py', tinyCnn(), 'h', { epochs: 1, batchSize: 64, dataset: 'mnist' }), /already training/);
  const t0 = Date.now();
  assert.equal(await runs.stop('/ws/m.py#Basic_CNN'), true);
  const record = await done;
  assert.equal(record.status, 'cancelled');
  assert.ok(Date.now() - t0 < 500);
});

test('a worker crash fails the running run, is reported once, and the next request starts a new worker', async () => {
  workspaceState.folders = [{ uri: { fsPath: '/ws', scheme: 'file' } }];
  shown.length = 0;
  const { runs, worker, starts } = setup({ hang: true });
  const done = runs.train('/ws/m.py', tinyCnn(), 'h', { epochs: 1, batchSize: 64, dataset: 'mnist' });
  await new Promise((r) => setTimeout(r, 20));
  starts[0]!.onCrash('killed by signal SIGKILL');
  starts[0]!.onCrash('killed by signal SIGKILL'); // a second report of the same death is ignored
  const record = await done;
  assert.equal(record.status, 'failed');
  assert.match(record.error!, /SIGKILL/);
  assert.equal(shown.filter((s) => s.kind === 'error').length, 1, 'reported once');
  assert.equal(worker.isRunning, false);
  const info = await worker.request('init', { backend: 'auto' });
  assert.equal(info.backend, 'wasm');
  assert.equal(starts.length, 2, 'restarted on the next request');
});

test('loadModel is cached per worker and weights folder', async () => {
  const { worker } = setup();
  const a = await worker.loadModel('k', tinyCnn());
  const b = await worker.loadModel('k', tinyCnn());
  const c = await worker.loadModel('k', tinyCnn(), '/w');
  assert.equal(a, b);
  assert.notEqual(a, c);
  worker.stop();
  const d = await worker.loadModel('k', tinyCnn());
  assert.equal(d, 'm1', 'a new worker loads again');
});

test('a newer load of a model frees the older copy in the worker (fresh and trained kept apart)', async () => {
  const { worker, disposed } = setup();
  const edited = tinyCnn();
  edited.layers[1]!.config = { ...edited.layers[1]!.config, filters: 8 };
  const a = await worker.loadModel('k', tinyCnn());
  const w1 = await worker.loadModel('k', tinyCnn(), '/run1/weights');
  const b = await worker.loadModel('k', edited);
  const w2 = await worker.loadModel('k', tinyCnn(), '/run2/weights');
  await worker.loadModel('other', tinyCnn());
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(disposed[0], [a, w1]);
  assert.equal(await worker.loadModel('k', edited), b, 'the current copy stays cached');
  assert.equal(await worker.loadModel('k', tinyCnn(), '/run2/weights'), w2);
  assert.notEqual(await worker.loadModel('k', tinyCnn()), a, 'a replaced copy is loaded again');
});
