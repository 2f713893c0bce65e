// The worker survives what a model too big for wasm memory does: refused before allocating, or
// — when the backend traps at run time — that request ends with a clear message and the next
// request gets a fresh worker.
import { shown } from '../extension/vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { RpcError } from '../../../src/core/protocol/rpc';
import { readModel } from '../../../src/core/read-model';
import { WorkerClient } from '../../../src/worker/client';
import { checkFitsWasm, EXIT_RESTART, isFatalBackendError } from '../../../src/worker/fatal';
import { WorkerHost, type WorkerConnection } from '../../../src/extension/runs/worker-host';

const fatalWorker = path.join(__dirname, '..', 'fixtures', 'workers', 'fatal-worker.ts');

function model(hidden: number) {
  const text = `from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(${hidden}, activation='relu'), layers.Dense(10, activation='softmax')], name='m${hidden}')
`;
  const m = readModel('/virtual/m.py', text).models[0]!;
  assert.equal(m.diagnostics.length, 0);
  return m;
}

test('the fit check: weights for loading, four copies for training, against 4 GB', () => {
  assert.doesNotThrow(() => checkFitsWasm(500_000_000, false)); // 2.0 GB
  assert.throws(() => checkFitsWasm(500_000_000, true), /training needs ~7\.5 GB \(weights, gradients and optimizer state of 500,000,000 parameters\); the wasm backend has 4\.0 GB/);
  assert.throws(() => checkFitsWasm(1_100_000_000, false), /the model needs ~4\.1 GB of weights \(1,100,000,000 parameters × 4 bytes\); the wasm backend has 4\.0 GB/);
  assert.ok(isFatalBackendError(new WebAssembly.RuntimeError('memory access out of bounds')));
  assert.ok(isFatalBackendError(new Error('Aborted(OOM)')));
  assert.ok(!isFatalBackendError(new Error("no model 'm1' in the worker")));
});

test('the real worker refuses a model too big for wasm memory before allocating, then serves the next', async () => {
  const client = new WorkerClient();
  try {
    const info = await client.request('init', { backend: 'wasm' });
    assert.equal(info.backend, 'wasm');
    const huge = model(1_400_000); // 784·1.4M + 1.4M·10 ≈ 1.11 G parameters ≈ 4.1 GB
    assert.ok(huge.totalParams > 1.1e9, String(huge.totalParams));
    await assert.rejects(client.request('loadModel', { model: huge }), (e: RpcError) => e.code === 'too-big' && /the model needs ~4\.\d GB of weights .*; the wasm backend has 4\.0 GB/.test(e.message));
    const small = await client.request('loadModel', { model: model(16) });
    assert.equal(small.params, 784 * 16 + 16 + 16 * 10 + 10);
    assert.ok(client.alive);
  } finally {
    await client.dispose();
  }
});

test('a batch whose activations cannot fit wasm memory is refused before it runs, with the sizes', async () => {
  const text = `from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(2048, 3), layers.Flatten(), layers.Dense(10, activation='softmax')], name='wide')
`;
  const wide = readModel('/virtual/wide.py', text).models[0]!;
  const client = new WorkerClient();
  try {
    await client.request('init', { backend: 'wasm' });
    const { modelId } = await client.request('loadModel', { model: wide });
    // 26·26·2048 floats per sample, twice, × 2048 samples ≈ 21 GB (this ran wasm out of memory before).
    await assert.rejects(
      client.request('evaluate', { modelId, dataset: 'mnist', limit: 2048, batchSize: 2048 }),
      (e: RpcError) => e.code === 'too-big' && /^evaluating with batch size 2048 needs ~21\.1 GB of activations besides ~0\.1 GB of weights; the wasm backend has 4\.0 GB\. Use a smaller batch size/.test(e.message),
    );
    // The batch that runs is at most the samples asked for: 8 here, which fits.
    const r = await client.request('evaluate', { modelId, dataset: 'mnist', limit: 8, batchSize: 2048 });
    assert.equal(r.samples, 8);
  } finally {
    await client.dispose();
  }
});

test('a wasm trap ends that request with a clear message; the worker exits to be replaced', async () => {
  const client = new WorkerClient({ workerScript: fatalWorker });
  await client.request('init', { backend: 'wasm' });
  const exited = new Promise<number | null>((resolve) => client.onCrash((c) => resolve(c.code)));
  await assert.rejects(
    client.request('loadModel', { model: model(16) }),
    (e: RpcError) => e.code === 'worker-restart' && /^loadModel failed in the wasm backend \(unreachable\) — most likely out of memory\. The wasm backend has 4\.0 GB of memory; this model's weights take ~2\.0 GB;.* The worker restarts for the next request\.$/.test(e.message),
  );
  assert.equal(await exited, EXIT_RESTART);
  assert.equal(client.crash?.restart, true);
});

test('the editor host starts a fresh worker after a fatal error, without a crash pop-up', async () => {
  const pids: number[] = [];
  const clients: WorkerClient[] = [];
  const factory = (o: { onCrash(reason: string, restart?: boolean): void }): WorkerConnection => {
    const c = new WorkerClient({ workerScript: fatalWorker });
    clients.push(c);
    pids.push(c.pid!);
    c.onCrash((x) => o.onCrash(x.message, x.restart));
    return { rpc: c.rpc, dispose: () => void c.dispose() };
  };
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m), show() {} } as never;
  const host = new WorkerHost(factory, fatalWorker, { nodePath: undefined, backend: 'wasm', trainingThreads: undefined } as never, log, () => undefined);
  try {
    await assert.rejects(host.request('loadModel', { model: model(16) }), /most likely out of memory/);
    const r = await host.request('cancel', { runId: 'x' });
    assert.deepEqual(r, { cancelled: false });
    assert.equal(pids.length, 2, 'a second worker served the next request');
    assert.notEqual(pids[0], pids[1]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(shown.filter((s) => s.kind === 'error'), [], 'no crash pop-up');
  } finally {
    host.dispose();
    await Promise.all(clients.map((c) => c.dispose()));
  }
});
