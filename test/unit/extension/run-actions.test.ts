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

/** A stand-in text document: VS Code's buffer of the model file, with the editor's undo stack. */
function fakeDocument(text: string) {
  const doc = {
    uri: { fsPath: file, scheme: 'file' },
    text,
    undo: [] as string[],
    getText: () => doc.text,
    positionAt: (offset: number) => offset,
  };
  return doc;
}

test('Restore asks first, then puts the snapshot into the open document as one undoable edit (the file on disk is not written behind the editor)', async () => {
  put('r5');
  fs.writeFileSync(file, 'now\n');
  let doc = fakeDocument('now\n');
  const applied: { edits: { uri: { fsPath: string }; range: { start: number; end: number }; text: string }[] }[] = [];
  const shownDocs: unknown[] = [];
  const asked: string[] = [];
  vscode.workspace!.openTextDocument = async (uri: { fsPath: string }) => (assert.equal(uri.fsPath, file), doc);
  vscode.workspace!.applyEdit = async (we: (typeof applied)[number]) => {
    applied.push(we);
    // As VS Code does: one applyEdit is one step on the document's undo stack.
    doc.undo.push(doc.text);
    for (const e of we.edits) doc.text = doc.text.slice(0, e.range.start) + e.text + doc.text.slice(e.range.end);
    return true;
  };
  vscode.window!.showTextDocument = async (d: unknown) => (shownDocs.push(d), undefined);

  // Escape at the question: nothing changes.
  vscode.window!.showWarningMessage = async (m: string) => (asked.push(m), undefined);
  assert.deepEqual(await runAction(ctx, file, 'r5', 'restore'), { done: false });
  assert.equal(applied.length, 0);
  assert.equal(doc.text, 'now\n');
  assert.match(asked[0]!, /Replace the text of m\.py with the code of run .*Undo brings it back/);

  // Restore: one edit replacing the whole text, the document shown, the disk file untouched until saved.
  vscode.window!.showWarningMessage = async () => 'Restore';
  const r = await runAction(ctx, file, 'r5', 'restore');
  assert.equal(r.done, true);
  assert.match(r.message!, /not saved yet/);
  assert.equal(applied.length, 1);
  assert.equal(applied[0]!.edits.length, 1);
  assert.deepEqual([applied[0]!.edits[0]!.range.start, applied[0]!.edits[0]!.range.end], [0, 'now\n'.length]);
  assert.equal(doc.text, 'then\n');
  assert.deepEqual(shownDocs, [doc]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'now\n', 'the file on disk is written when the user saves');
  assert.deepEqual(doc.undo, ['now\n'], 'one undo step brings the previous text back');

  // The document already has that code: nothing to ask, nothing applied.
  asked.length = 0;
  vscode.window!.showWarningMessage = async (m: string) => (asked.push(m), 'Restore');
  assert.match((await runAction(ctx, file, 'r5', 'restore')).message!, /already has the code/);
  assert.equal(asked.length, 0);
  assert.equal(applied.length, 1);

  // The editor refuses the edit (e.g. a read-only file system): said so.
  doc = fakeDocument('now\n');
  vscode.workspace!.applyEdit = async () => false;
  assert.deepEqual(await runAction(ctx, file, 'r5', 'restore'), { done: false, message: 'The file could not be changed.' });
});

test('Restore refuses a snapshot that is a link out of the run folder (run.json and its folder are workspace content)', async () => {
  const dir = put('r6');
  const secret = path.join(tmp, 'secret.txt');
  fs.writeFileSync(secret, 'not model code\n');
  fs.rmSync(path.join(dir, 'source.py'));
  fs.symlinkSync(secret, path.join(dir, 'source.py'));
  let applied = 0;
  vscode.workspace!.openTextDocument = async () => fakeDocument('now\n');
  vscode.workspace!.applyEdit = async () => (applied++, true);
  vscode.window!.showWarningMessage = async () => 'Restore';
  await assert.rejects(runAction(ctx, file, 'r6', 'restore'), /not a regular file \(a link\?\): not restored/);
  fs.rmSync(path.join(dir, 'source.py'));
  await assert.rejects(runAction(ctx, file, 'r6', 'restore'), /is gone/);
  assert.equal(applied, 0);
});
