// The Runs tab's actions on the host, against run folders on disk and a stand-in `vscode`.
import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../../src/core/run/record';
import { readRun, writeRunRecord } from '../../../src/core/run/store';
import type { HostContext } from '../../../src/extension/context';
import { runAction } from '../../../src/extension/runs/run-actions';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as Record<string, Record<string, unknown>>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-actions-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = path.join(tmp, 'm.py');
fs.writeFileSync(file, 'now\n');
const ctx = { runs: { runsDirFor: () => tmp }, log: { info: () => undefined } } as unknown as HostContext;

function put(id: string, over: Partial<RunRecord> = {}): string {
  const dir = path.join(tmp, id);
  writeRunRecord(dir, { id, modelName: 'm', modelFile: file, modelHash: 'h', status: 'completed', startedAt: '2026-12-01T10:00:00.000Z', settings: { epochs: 1, batchSize: 8, dataset: 'mnist' }, batches: [], epochs: [], sourceSnapshot: 'source.py', ...over });
  fs.writeFileSync(path.join(dir, 'source.py'), 'then\n');
  return dir;
}

test('pin, rename and note rewrite run.json; a running run is left alone', async () => {
  const dir = put('r1');
  assert.deepEqual(await runAction(ctx, file, 'r1', 'pin'), { done: true });
  assert.equal(readRun(dir).record?.pinned, true);
  vscode.window!.showInputBox = async () => '  wide dense  ';
  await runAction(ctx, file, 'r1', 'rename');
  vscode.window!.showInputBox = async () => 'tried 256 units';
  await runAction(ctx, file, 'r1', 'note');
  const r = readRun(dir).record!;
  assert.deepEqual([r.label, r.note, r.pinned], ['wide dense', 'tried 256 units', true]);
  vscode.window!.showInputBox = async () => undefined; // Escape: nothing changes
  assert.deepEqual(await runAction(ctx, file, 'r1', 'rename'), { done: false });
  put('live', { status: 'running', pid: process.pid, host: os.hostname(), heartbeatAt: new Date().toISOString() });
  assert.match((await runAction(ctx, file, 'live', 'pin')).message!, /still training/);
  assert.match((await runAction(ctx, file, 'live', 'delete')).message!, /still training/);
});

test('delete asks first; ids that are paths are refused; Code opens the diff editor on the snapshot', async () => {
  const dir = put('r2');
  vscode.window!.showWarningMessage = async () => undefined;
  assert.deepEqual(await runAction(ctx, file, 'r2', 'delete'), { done: false });
  assert.ok(fs.existsSync(dir));
  vscode.window!.showWarningMessage = async () => 'Delete';
  assert.equal((await runAction(ctx, file, 'r2', 'delete')).done, true);
  assert.equal(fs.existsSync(dir), false);
  await assert.rejects(runAction(ctx, file, '../etc', 'delete'), /not a run id/);
  put('r3');
  const calls: unknown[][] = [];
  vscode.commands!.executeCommand = async (...a: unknown[]) => (calls.push(a), undefined);
  assert.equal((await runAction(ctx, file, 'r3', 'openCode')).done, true);
  assert.equal(calls[0]![0], 'vscode.diff');
  assert.equal((calls[0]![1] as { fsPath: string }).fsPath, path.join(tmp, 'r3', 'source.py'));
  assert.equal((calls[0]![2] as { fsPath: string }).fsPath, file);
  put('old', { sourceSnapshot: undefined });
  assert.match((await runAction(ctx, file, 'old', 'openCode')).message!, /kept no copy of its code/);
  await assert.rejects(runAction(ctx, file, 'r3', 'format-disk' as never), /unknown run action/);
});
