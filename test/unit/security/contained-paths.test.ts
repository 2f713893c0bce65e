// Paths from a workspace's run.json and weights model.json stay inside their run folder
// (`../` and symlinks out are refused), and a data path from a run asks for trust.
import { shown, workspaceState } from '../extension/vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveInside, runWeightsDir, withContainedWeights } from '../../../src/core/run/contained-path';
import type { RunRecord } from '../../../src/core/run/record';
import { readWeightsFolder } from '../../../src/worker/weights';
import { DatasetTrust } from '../../../src/extension/runs/dataset-trust';
import { RunManager } from '../../../src/extension/runs/run-manager';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ml-contain-'));
}

/** A weights folder: model.json whose manifest lists `paths`, and a weights.bin of 4 floats. */
function weightsFolder(dir: string, paths: string[], bytes = 16): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(bytes));
  const manifest = [{ paths, weights: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' }] }];
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: manifest }));
}

test('resolveInside: relative paths inside pass; ../, absolute and symlinks out are refused', () => {
  const root = tmp();
  try {
    fs.mkdirSync(path.join(root, 'run', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'run', 'sub', 'ok.bin'), 'x');
    fs.writeFileSync(path.join(root, 'secret'), 'secret');
    fs.symlinkSync(path.join(root, 'secret'), path.join(root, 'run', 'link.bin'));
    fs.symlinkSync(path.join(root, 'run', 'sub', 'ok.bin'), path.join(root, 'run', 'inner-link.bin'));
    const run = path.join(root, 'run');
    assert.equal(resolveInside(run, 'sub/ok.bin', 'p'), path.join(run, 'sub', 'ok.bin'));
    assert.equal(resolveInside(run, 'inner-link.bin', 'p'), path.join(run, 'inner-link.bin'));
    assert.throws(() => resolveInside(run, '../secret', 'p'), /points outside/);
    assert.throws(() => resolveInside(run, '../../../../etc/passwd', 'p'), /points outside/);
    assert.throws(() => resolveInside(run, 'sub/../../secret', 'p'), /points outside/);
    assert.throws(() => resolveInside(run, '/etc/passwd', 'p'), /not a relative path/);
    assert.throws(() => resolveInside(run, 'link.bin', 'p'), /is a link to .*secret, outside/);
    assert.throws(() => resolveInside(run, 42 as unknown as string, 'p'), /not a relative path/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('weights manifest: paths like ../../etc/passwd, links out, non-files and wrong sizes are refused before reading', () => {
  const root = tmp();
  try {
    const good = path.join(root, 'good');
    weightsFolder(good, ['weights.bin']);
    const r = readWeightsFolder(good);
    assert.equal(r.data.byteLength, 16);
    assert.equal(r.specs.length, 1);

    const escape = path.join(root, 'escape');
    weightsFolder(escape, ['../../../../../../../../etc/passwd']);
    assert.throws(() => readWeightsFolder(escape), /weights path '..\/..\/.*etc\/passwd' points outside/);

    const abs = path.join(root, 'abs');
    weightsFolder(abs, ['/etc/passwd']);
    assert.throws(() => readWeightsFolder(abs), /not a relative path/);

    const link = path.join(root, 'link');
    weightsFolder(link, ['data.bin']);
    fs.writeFileSync(path.join(root, 'outside.bin'), Buffer.alloc(16));
    fs.symlinkSync(path.join(root, 'outside.bin'), path.join(link, 'data.bin'));
    assert.throws(() => readWeightsFolder(link), /is a link to .*outside\.bin, outside/);

    const jsonLink = path.join(root, 'jsonlink');
    fs.mkdirSync(jsonLink);
    fs.symlinkSync(path.join(good, 'model.json'), path.join(jsonLink, 'model.json'));
    assert.throws(() => readWeightsFolder(jsonLink), /model.json 'model.json' is a link/);

    const dir = path.join(root, 'dir');
    weightsFolder(dir, ['sub']);
    fs.mkdirSync(path.join(dir, 'sub'));
    assert.throws(() => readWeightsFolder(dir), /not a regular file/);

    const short = path.join(root, 'short');
    weightsFolder(short, ['weights.bin'], 12);
    assert.throws(() => readWeightsFolder(short), /hold 12 bytes but the manifest describes 16/);

    const notArray = path.join(root, 'bad');
    fs.mkdirSync(notArray);
    fs.writeFileSync(path.join(notArray, 'model.json'), JSON.stringify({ weightsManifest: { paths: 'x' } }));
    assert.throws(() => readWeightsFolder(notArray), /model\.json: cannot read the weights \(no weightsManifest array\)/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("run.json: its weightsDir is not followed; the run folder's own weights are used, links out refused", () => {
  const root = tmp();
  try {
    const runs = path.join(root, 'runs');
    weightsFolder(path.join(runs, 'r1', 'weights'), ['weights.bin']);
    weightsFolder(path.join(root, 'elsewhere'), ['weights.bin']);
    const rec = { id: 'r1', weightsDir: path.join(root, 'elsewhere') };
    assert.equal(runWeightsDir(runs, rec), path.join(runs, 'r1', 'weights'));
    assert.deepEqual(withContainedWeights(runs, rec), { id: 'r1', weightsDir: path.join(runs, 'r1', 'weights') });
    // An id that is a path, and a weights folder that is a link out of the run.
    assert.equal(runWeightsDir(runs, { id: '..' }), undefined);
    assert.equal(runWeightsDir(runs, { id: '../elsewhere' }), undefined);
    fs.mkdirSync(path.join(runs, 'r2'));
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(runs, 'r2', 'weights'));
    assert.equal(runWeightsDir(runs, { id: 'r2' }), undefined);
    assert.deepEqual(withContainedWeights(runs, { id: 'r2', weightsDir: path.join(runs, 'r2', 'weights') }), { id: 'r2' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the editor ignores a run.json whose weightsDir points outside the run', async () => {
  const root = tmp();
  try {
    workspaceState.folders = [{ uri: { fsPath: root, scheme: 'file' } }];
    const file = path.join(root, 'm.py');
    const hostile: RunRecord = {
      id: 'evil', modelName: 'M', modelFile: file, modelHash: 'h', status: 'completed', startedAt: '2026-01-01T00:00:00Z',
      settings: { epochs: 1, batchSize: 1, dataset: 'mnist' }, batches: [], epochs: [], weightsDir: '/etc',
    };
    const noop = { info() {}, warn() {}, error() {}, show() {} } as never;
    const fakeWorker = { on: () => ({ dispose() {} }), onCrash: () => ({ dispose() {} }) } as never;
    const runs = new RunManager(fakeWorker, noop, async () => [hostile], () => path.join(root, 'global'));
    assert.equal(await runs.latestWithWeights(file, 'M'), undefined);
    weightsFolder(path.join(root, '.model-lens', 'runs', 'evil', 'weights'), ['weights.bin']);
    assert.equal((await runs.latestWithWeights(file, 'M'))?.weightsDir, path.join(root, '.model-lens', 'runs', 'evil', 'weights'));
    runs.dispose();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('dataset trust: an untrusted workspace asks once per path; built-ins and trusted workspaces never ask', async () => {
  let trusted = false;
  const asked: string[] = [];
  let answer = false;
  const trust = new DatasetTrust({ isTrusted: () => trusted, ask: async (m) => (asked.push(m), answer) });
  assert.equal(await trust.allow('mnist', 'run r1'), true);
  await assert.rejects(trust.require('/data/x.npz', 'run r1'), /Reading "\/data\/x\.npz" \(from run r1\) was declined/);
  assert.match(asked[0]!, /not trusted\. Use the data at "\/data\/x\.npz" \(from run r1\)/);
  answer = true;
  await trust.require('/data/x.npz', 'run r1');
  await trust.require('/data/x.npz', 'run r2');
  assert.equal(asked.length, 2, 'a yes holds for that path');
  trusted = true;
  assert.equal(await trust.allow('/other', 'settings'), true);
  assert.equal(asked.length, 2);
  assert.equal(shown.length, 0);
});

test('Open Run… does not open a model file that a run.json names outside the workspace', async () => {
  const root = tmp();
  try {
    workspaceState.folders = [{ uri: { fsPath: root, scheme: 'file' } }];
    const vscode = require('vscode') as { window: Record<string, unknown>; workspace: Record<string, unknown> };
    vscode.window['showQuickPick'] = async (items: unknown[]) => items[0];
    vscode.workspace['asRelativePath'] = (p: string) => p;
    const runsDir = path.join(root, '.model-lens', 'runs');
    const record = (id: string, modelFile: string) => ({ id, modelName: 'M', modelFile, modelHash: 'h', status: 'completed', startedAt: `2026-01-0${id.length}T00:00:00Z`, settings: { epochs: 1, batchSize: 1, dataset: 'mnist' }, batches: [], epochs: [] });
    fs.mkdirSync(path.join(runsDir, 'r1'), { recursive: true });
    fs.writeFileSync(path.join(runsDir, 'r1', 'run.json'), JSON.stringify(record('r1', '/etc/passwd')));
    const opened: unknown[] = [];
    const ctx = { runs: { runsDirFor: () => runsDir, running: [] }, panels: { show: (...a: unknown[]) => opened.push(a) } } as never;
    const { openRun } = await import('../../../src/extension/commands/simple');
    await assert.rejects(openRun(ctx)(), /Run r1 names a model file outside the workspace \(\/etc\/passwd\); it is not opened/);
    assert.deepEqual(opened, []);
    fs.writeFileSync(path.join(runsDir, 'r1', 'run.json'), JSON.stringify(record('r1', path.join(root, 'm.py'))));
    await openRun(ctx)();
    assert.deepEqual(opened, [[path.join(root, 'm.py'), 'M', 'training']]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
