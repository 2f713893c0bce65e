/**
 * A training worker's memory stays bounded over many trainings: the host frees the copy a newer
 * load replaces, a re-compile frees the old optimizer's slots, and RSS stops growing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkerClient } from '../../../src/worker/client';
import { chain } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-memory-'));
const client = new WorkerClient({ env: { ...process.env, KERAS_HOME: path.join(tmp, 'keras') } });
test.after(async () => {
  await client.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** 784·2048 + 2048·10 weights: ~6.5 MB, and Adam's two slots twice that (~20 MB a copy, like the reference CNN). */
const wide = () =>
  chain(
    'wide',
    [
      ['flatten', 'Flatten', {}],
      ['hidden', 'Dense', { units: 2048, activation: 'relu' }],
      ['out', 'Dense', { units: 10, activation: 'softmax' }],
    ],
    [28, 28, 1],
  );

test('RSS and live tensors stay bounded over trainings in one worker', async () => {
  await client.request('init', { backend: 'wasm' });
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  const after: { rss: number; tensors: number; bytes: number }[] = [];
  let previous: string | undefined;
  for (let i = 0; i < 6; i++) {
    // The editor's flow: the model (edited, or a new run's weights) is loaded again, the older copy disposed.
    const { modelId } = await client.request('loadModel', { model: wide() });
    if (previous) await client.request('dispose', { modelId: previous });
    previous = modelId;
    // Two trainings of one copy with different learning rates: the second re-compiles.
    for (const learningRate of [0.001, 0.002]) {
      await client.request('train', {
        modelId,
        runId: `r${i}-${learningRate}`,
        settings: { epochs: 1, batchSize: 64, dataset: 'mnist', limit: 128, testLimit: 64, seed: i, learningRate },
        runDir: path.join(tmp, `r${i}-${learningRate}`),
        modelFile: '/models/wide.py',
        modelHash: 'h',
      });
    }
    const m = await client.request('memory', {});
    assert.equal(m.models, 1);
    assert.ok(m.peakRssBytes >= m.rssBytes * 0.5, 'peak RSS is reported');
    after.push({ rss: m.rssBytes, tensors: m.tensors, bytes: m.tensorBytes });
  }
  const first = after[0]!;
  for (const [i, a] of after.entries()) {
    assert.equal(a.tensors, first.tensors, `live tensors after training ${i + 1}`);
    assert.equal(a.bytes, first.bytes, `tensor bytes after training ${i + 1}`);
  }
  // One copy with its optimizer is ~20 MB: a leak would add that (or more) per round, ≥ 60 MB
  // between the peak of rounds 1–3 and the peak of rounds 4–6. Freed wasm memory is reused, so RSS
  // levels off; single readings swing by ±40 MB with the garbage collector (seen in CI), so peaks
  // of three rounds are compared, not two single readings.
  const peak = (xs: typeof after) => Math.max(...xs.map((a) => a.rss));
  const growth = peak(after.slice(3)) - peak(after.slice(0, 3));
  assert.ok(growth < 40 * 2 ** 20, `RSS peak grew ${mb(growth)} MB from rounds 1–3 to rounds 4–6 (${after.map((a) => mb(a.rss)).join(', ')} MB)`);
});

test('a model disposed while it trains is freed when its run ends', async () => {
  const { modelId } = await client.request('loadModel', { model: wide() });
  const before = await client.request('memory', {});
  const run = client.request('train', {
    modelId,
    runId: 'busy',
    settings: { epochs: 1, batchSize: 32, dataset: 'mnist', limit: 256, testLimit: 32, seed: 1 },
    runDir: path.join(tmp, 'busy'),
    modelFile: '/models/wide.py',
    modelHash: 'h',
  });
  await new Promise((r) => setTimeout(r, 50));
  await client.request('dispose', { modelId });
  const record = await run;
  assert.equal(record.status, 'completed', 'the run finished on its model');
  const m = await client.request('memory', {});
  assert.equal(m.models, before.models - 1);
  assert.ok(m.tensorBytes < before.tensorBytes - 6 * 2 ** 20, `weights freed: ${before.tensorBytes} → ${m.tensorBytes} bytes`);
});
