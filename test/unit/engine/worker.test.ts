/**
 * The real worker child process through WorkerClient: training events, run.json and weights,
 * cancel within a batch, evaluate/predict/samples/activations, data errors, and a killed worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BatchEvent, EpochEvent } from '../../../src/core/protocol/worker';
import { readRunRecord } from '../../../src/core/run/store';
import { chooseNode, WorkerClient, type WorkerCrash } from '../../../src/worker/client';
import { tinyCnn, tinyDense } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-worker-'));
const client = new WorkerClient({ env: { ...process.env, KERAS_HOME: path.join(tmp, 'keras') } });
test.after(async () => {
  await client.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('init reports the backend and why', async () => {
  const info = await client.request('init', { backend: 'auto' });
  assert.equal(info.backend, 'wasm');
  assert.match(info.reason, /tfjs-node/);
  assert.match(info.reason, /wasm/);
});

test('init: the wasm thread count asked for is the one used', async () => {
  for (const threads of [1, 2]) {
    const other = new WorkerClient({ env: { ...process.env, KERAS_HOME: path.join(tmp, 'keras') } });
    try {
      const info = await other.request('init', { backend: 'wasm', threads });
      assert.equal(info.threads, threads, info.reason);
      assert.match(info.reason, threads === 1 ? /1 thread\b/ : /threaded SIMD wasm, 2 threads/);
    } finally {
      await other.dispose();
    }
  }
});

test('a short training run streams events, writes run.json + weights, and the weights load back', async () => {
  const batches: BatchEvent[] = [];
  const epochs: EpochEvent[] = [];
  let done = 0;
  const off = [client.on('batch', (b) => batches.push(b)), client.on('epoch', (e) => epochs.push(e)), client.on('done', () => done++)];
  const ir = tinyCnn();
  ir.training.validationSplit = 0.2;
  const { modelId, params } = await client.request('loadModel', { model: ir });
  assert.equal(params, 40 + 7850);
  const runDir = path.join(tmp, 'run-a');
  const record = await client.request('train', {
    modelId,
    runId: 'a',
    // Seeded runs are now repeatable (weights too): seed 7 happens to reach only 0.185 here, seeds 1–8
    // reach 0.185–0.445 (0.27–0.37 unseeded), so the check below uses seed 1 (0.33).
    settings: { epochs: 2, batchSize: 32, dataset: 'mnist', limit: 320, testLimit: 200, seed: 1, validationSplit: 0.2 },
    runDir,
    modelFile: '/models/tiny.py',
    modelHash: 'abc',
  });
  off.forEach((f) => f());
  assert.equal(record.status, 'completed');
  assert.equal(done, 1);
  // 256 training samples (64 for validation) → 8 batches per epoch; the last of each epoch always sent.
  assert.ok(batches.length >= 2 && batches.length <= 16, `${batches.length} batch events`);
  assert.deepEqual(
    batches.filter((b) => b.batch === b.batchesPerEpoch).map((b) => [b.epoch, b.step, b.progress]),
    [
      [1, 8, 0.5],
      [2, 16, 1],
    ],
  );
  assert.ok(batches.every((b) => b.samplesPerSec > 0 && b.etaSec >= 0 && b.loss > 0));
  // Each event says where the steps' time went (forward, gradients and update all take some).
  assert.ok(batches.every((b) => b.time && b.time.forwardMs > 0 && b.time.backwardMs > 0 && b.time.updateMs > 0 && b.time.dataMs >= 0), JSON.stringify(batches[0]?.time));
  assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
  assert.ok(epochs.every((e) => e.valLoss! > 0 && e.valAcc! >= 0 && e.acc! >= 0));
  assert.equal(record.batches.length, 16, 'every batch point kept');
  assert.equal(record.test?.samples, 200);
  assert.ok(record.test!.acc > 0.2, `tiny model learns something: test acc ${record.test!.acc}`);
  assert.equal(record.weightsDir, path.join(runDir, 'weights'));
  const onDisk = readRunRecord(runDir)!;
  assert.equal(onDisk.status, 'completed');
  assert.equal(onDisk.modelHash, 'abc');
  assert.equal(onDisk.backend, 'wasm');
  assert.equal(onDisk.epochs.length, 2);
  assert.deepEqual(fs.readdirSync(runDir).sort(), ['run.json', 'weights']);

  // Loaded into a fresh model, the weights give exactly the run's test metrics.
  const loaded = await client.request('loadModel', { model: tinyCnn(), weightsDir: record.weightsDir! });
  const ev = await client.request('evaluate', { modelId: loaded.modelId, dataset: 'mnist', limit: 200 });
  assert.equal(ev.samples, 200);
  assert.ok(Math.abs(ev.loss - record.test!.loss) < 1e-4, `${ev.loss} vs ${record.test!.loss}`);

  const p = await client.request('predict', { modelId: loaded.modelId, input: { kind: 'sample', dataset: 'mnist', split: 'test', index: 0 }, topK: 3 });
  assert.equal(p.trueLabel, 7);
  assert.equal(p.top.length, 3);
  assert.ok(p.top[0]!.prob >= p.top[1]!.prob);
  assert.ok(Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  assert.equal(p.input.data.length, 784);

  const s = await client.request('samples', { dataset: 'mnist', split: 'test', start: 0, count: 5, modelId: loaded.modelId });
  assert.deepEqual([...s.labels], [7, 2, 1, 0, 4]);
  assert.ok(s.images instanceof Uint8Array && s.images.length === 5 * 784);
  assert.ok(s.probs instanceof Float32Array && s.probs.length === 50);

  const act = await client.request('activations', { modelId: loaded.modelId, input: { kind: 'sample', dataset: 'mnist', split: 'test', index: 1 } });
  assert.deepEqual(act.layers.map((l) => [l.layer, l.shape.join('×')]), [
    ['conv', '28×28×4'],
    ['pool', '14×14×4'],
  ]);
  assert.equal(act.layers[0]!.data.length, 28 * 28 * 4);
  assert.deepEqual(act.kernels?.shape, [3, 3, 1, 4]);
  await client.request('dispose', { modelId });
  await client.request('dispose', { modelId: loaded.modelId });
  await assert.rejects(client.request('predict', { modelId, input: { kind: 'sample', dataset: 'mnist', split: 'test', index: 0 } }), /no model/);
});

test('cancel stops within one batch and keeps the weights of the last finished epoch', async () => {
  const { modelId } = await client.request('loadModel', { model: tinyDense() });
  const runDir = path.join(tmp, 'run-b');
  let cancelledAt = 0;
  let asked = false;
  const off = client.on('batch', (b) => {
    if (b.runId === 'b' && b.epoch === 2 && !asked) {
      asked = true;
      void client.request('cancel', { runId: 'b' }).then((r) => {
        assert.equal(r.cancelled, true);
        cancelledAt = r.step!;
      });
    }
  });
  const record = await client.request('train', {
    modelId,
    runId: 'b',
    settings: { epochs: 3, batchSize: 16, dataset: 'mnist', limit: 640 },
    runDir,
    modelFile: '/m.py',
    modelHash: 'h',
  });
  off();
  assert.equal(record.status, 'cancelled');
  const last = record.batches[record.batches.length - 1]!.step;
  assert.ok(cancelledAt > 0 && last - cancelledAt <= 1, `stopped at step ${last}, cancel arrived after step ${cancelledAt}`);
  assert.equal(record.epochs.length, 1);
  assert.equal(record.test, undefined);
  assert.ok(fs.existsSync(path.join(record.weightsDir!, 'model.json')), 'epoch-1 weights kept');
  assert.equal(readRunRecord(runDir)?.status, 'cancelled');
  assert.deepEqual(await client.request('cancel', { runId: 'b' }), { cancelled: false });
});

test('bad data is an error naming the problem, reported as an event and in run.json', async () => {
  const { modelId } = await client.request('loadModel', { model: tinyDense() });
  const errors: string[] = [];
  const off = client.on('error', (e) => errors.push(e.message));
  await assert.rejects(
    client.request('train', { modelId, runId: 'c', settings: { epochs: 1, batchSize: 8, dataset: path.join(tmp, 'missing') }, runDir: path.join(tmp, 'run-c'), modelFile: '/m.py', modelHash: 'h' }),
    (e: Error & { code?: string }) => /no such file or folder/.test(e.message) && e.code === 'not-found',
  );
  // A dataset whose images do not fit the model.
  const small = tinyDense();
  small.layers[0]!.outputShape = [null, 32, 32, 3];
  const m2 = await client.request('loadModel', { model: small });
  await assert.rejects(
    client.request('train', { modelId: m2.modelId, runId: 'd', settings: { epochs: 1, batchSize: 8, dataset: 'mnist', limit: 16 }, runDir: path.join(tmp, 'run-d'), modelFile: '/m.py', modelHash: 'h' }),
    /28×28×1 images but model 'tiny_dense' expects 32×32×3/,
  );
  off();
  assert.equal(errors.length, 2);
  assert.equal(readRunRecord(path.join(tmp, 'run-d'))?.status, 'failed');
});

test('a killed worker fails pending requests with the cause; a new worker starts fine', async () => {
  const victim = new WorkerClient();
  await victim.request('init', { backend: 'auto' });
  const crashes: WorkerCrash[] = [];
  victim.onCrash((c) => crashes.push(c));
  const { modelId } = await victim.request('loadModel', { model: tinyDense() });
  const runDir = path.join(tmp, 'run-e');
  const training = victim.request('train', { modelId, runId: 'e', settings: { epochs: 5, batchSize: 16, dataset: 'mnist', limit: 20000 }, runDir, modelFile: '/m.py', modelHash: 'h' });
  await new Promise<void>((resolve) => victim.on('batch', () => resolve()));
  process.kill(victim.pid!, 'SIGKILL');
  await assert.rejects(training, (e: Error & { code?: string }) => e.code === 'worker-crashed' && /killed by signal SIGKILL/.test(e.message));
  assert.equal(crashes.length, 1);
  assert.equal(crashes[0]!.signal, 'SIGKILL');
  assert.equal(victim.alive, false);
  await assert.rejects(victim.request('init', { backend: 'auto' }), /SIGKILL/);
  assert.equal(readRunRecord(runDir)?.status, 'running', 'the last run.json written before the crash is intact');
  // A new worker starts fine. Its tfjs-node (from an extra folder, as the "install native backend"
  // command puts it) fails to load the way 4.22 does on Node ≥ 23: said, then wasm.
  const native = path.join(tmp, 'native');
  const pkg = path.join(native, 'node_modules', '@tensorflow', 'tfjs-node');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"@tensorflow/tfjs-node","main":"index.js"}');
  fs.writeFileSync(path.join(pkg, 'index.js'), "throw new TypeError('util.isNullOrUndefined is not a function');");
  const fresh = new WorkerClient();
  try {
    await assert.rejects(fresh.request('init', { backend: 'tensorflow', nativeModulePath: native }), (e: Error & { code?: string }) => e.code === 'backend' && /isNullOrUndefined/.test(e.message));
    const info = await fresh.request('init', { backend: 'auto', nativeModulePath: native });
    assert.equal(info.backend, 'wasm');
    assert.match(info.reason, /tfjs-node failed to load \(util\.isNullOrUndefined is not a function\)/);
  } finally {
    await fresh.dispose();
  }
});

test('which Node runs the worker: setting > plain Node > node on PATH > Electron as Node', () => {
  assert.equal(chooseNode(undefined, process.env, { ...process.versions }).how, 'current');
  const electron = { ...process.versions, electron: '35.0.0' } as NodeJS.ProcessVersions;
  const binDir = path.join(tmp, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  fs.writeFileSync(path.join(binDir, 'node'), '#!/bin/sh\n', { mode: 0o755 });
  assert.deepEqual(chooseNode(undefined, { PATH: binDir }, electron), { execPath: path.join(binDir, 'node'), how: 'path', env: {} });
  assert.deepEqual(chooseNode(undefined, { PATH: path.join(tmp, 'empty') }, electron), { execPath: process.execPath, how: 'electron', env: { ELECTRON_RUN_AS_NODE: '1' } });
  assert.equal(chooseNode(path.join(binDir, 'node'), {}, electron).how, 'setting');
  assert.throws(() => chooseNode('/no/such/node'), /modelLens\.nodePath/);
});

test('a low-priority worker (the editor’s) runs below normal priority, its wasm threads too', async () => {
  const low = new WorkerClient({ lowPriority: true });
  try {
    await low.request('init', { backend: 'auto', threads: 2 });
    assert.equal(os.getPriority(low.pid!), os.constants.priority.PRIORITY_BELOW_NORMAL);
    if (process.platform === 'linux') {
      // Linux keeps a nice value per thread: the pool threads started at init inherit it.
      const nice = fs.readdirSync(`/proc/${low.pid}/task`).map((tid) => {
        const stat = fs.readFileSync(`/proc/${low.pid}/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
      const niced = nice.filter((n) => n === os.constants.priority.PRIORITY_BELOW_NORMAL).length;
      assert.ok(niced >= 3, `threads below normal priority: ${niced} of ${nice.length} (${nice.join(' ')})`);
    }
  } finally {
    await low.dispose();
  }
  assert.equal(os.getPriority(process.pid), os.constants.priority.PRIORITY_NORMAL, 'the caller keeps its priority');
});
