/**
 * What the Runs tab (and the side bar) can do to a run: pin, rename, note, delete, open its code in
 * a diff against the current file, restore that code. The run folder is found by id under the
 * model's runs folder (never from a path the webview sends); run.json is re-read and checked before
 * it is rewritten; a running run is never changed or deleted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunAction } from '../../core/protocol/webview';
import type { RunRecord } from '../../core/run/record';
import { readRun, settleOnThisMachine, writeRunRecord } from '../../core/run/store';
import type { HostContext } from '../context';

const RUN_ID = /^[\w.-]{1,200}$/;

export interface ActionResult {
  done: boolean;
  message?: string;
}

function runDirOf(ctx: HostContext, modelFile: string, runId: string): string {
  if (!RUN_ID.test(runId) || runId === '.' || runId === '..') throw new Error(`'${runId}' is not a run id.`);
  return path.join(ctx.runs.runsDirFor(modelFile), runId);
}

function load(dir: string): RunRecord {
  const { record, error } = readRun(dir);
  if (error) throw error;
  if (!record) throw new Error(`no run in ${dir}.`);
  return settleOnThisMachine([record])[0]!;
}

/** A model file's text is small; a snapshot beyond this is not one Model Lens wrote. */
const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

/**
 * The text of a run's snapshot. Its name was checked (a plain name inside the run folder); the
 * file itself must be a regular file, not a link to somewhere else, and of a model file's size.
 */
function readSnapshot(file: string): string {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) throw new Error(`The run's copy of its code (${file}) is gone.`);
  if (!st.isFile()) throw new Error(`${file} is not a regular file (a link?): not restored.`);
  if (st.size > MAX_SNAPSHOT_BYTES) throw new Error(`${file} has ${st.size} bytes, more than a model file Model Lens keeps: not restored.`);
  return fs.readFileSync(file, 'utf8');
}

/** The run's snapshot as a read-only document URI (an untitled copy would ask to be saved). */
function snapshotUri(dir: string, record: RunRecord): vscode.Uri {
  return vscode.Uri.file(path.join(dir, record.sourceSnapshot!));
}

export async function runAction(ctx: HostContext, modelFile: string, runId: string, action: RunAction): Promise<ActionResult> {
  const dir = runDirOf(ctx, modelFile, runId);
  const record = load(dir);
  const name = record.label || record.startedAt.replace('T', ' ').slice(0, 19);
  const edit = (change: Partial<RunRecord>): ActionResult => {
    if (record.status === 'running') return { done: false, message: 'That run is still training: change it when it has finished.' };
    writeRunRecord(dir, { ...record, ...change });
    return { done: true };
  };
  switch (action) {
    case 'pin':
      return edit({ pinned: true });
    case 'unpin':
      return edit({ pinned: false });
    case 'rename': {
      const label = await vscode.window.showInputBox({ title: 'Name this run', value: record.label ?? '', prompt: 'Shown in the runs table instead of the date (empty: the date).', validateInput: (v) => (v.length > 200 ? 'At most 200 characters.' : undefined) });
      if (label === undefined) return { done: false };
      return edit(label.trim() ? { label: label.trim() } : { label: undefined });
    }
    case 'note': {
      const note = await vscode.window.showInputBox({ title: `Note for ${name}`, value: record.note ?? '', prompt: 'What you tried, what you saw.', validateInput: (v) => (v.length > 10_000 ? 'At most 10,000 characters.' : undefined) });
      if (note === undefined) return { done: false };
      return edit(note.trim() ? { note: note.trim() } : { note: undefined });
    }
    case 'delete': {
      if (record.status === 'running') return { done: false, message: 'That run is still training: stop it first.' };
      const ok = await vscode.window.showWarningMessage(`Delete run ${name}, its record and its weights?`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return { done: false };
      fs.rmSync(dir, { recursive: true, force: true });
      ctx.log.info(`Deleted run ${runId} (${dir})`);
      return { done: true, message: `Deleted ${name}.` };
    }
    case 'openCode': {
      if (!record.sourceSnapshot) return { done: false, message: 'This run kept no copy of its code (it is from an older Model Lens).' };
      await vscode.commands.executeCommand('vscode.diff', snapshotUri(dir, record), vscode.Uri.file(modelFile), `${path.basename(modelFile)}: run ${name} ↔ now`, { preview: true });
      return { done: true };
    }
    case 'restore': {
      if (!record.sourceSnapshot) return { done: false, message: 'This run kept no copy of its code (it is from an older Model Lens).' };
      const text = readSnapshot(path.join(dir, record.sourceSnapshot));
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(modelFile));
      if (doc.getText() === text) return { done: false, message: `${path.basename(modelFile)} already has the code of ${name}.` };
      const ok = await vscode.window.showWarningMessage(`Replace the text of ${path.basename(modelFile)} with the code of run ${name}? (Undo brings it back.)`, { modal: true }, 'Restore');
      if (ok !== 'Restore') return { done: false };
      // One edit of the open document (not a write to disk): it lands on the editor's undo stack
      // in one step and is saved, or not, like any other edit.
      const we = new vscode.WorkspaceEdit();
      we.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
      const applied = await vscode.workspace.applyEdit(we);
      if (applied) await vscode.window.showTextDocument(doc);
      return { done: applied, message: applied ? `Restored the code of ${name} (not saved yet).` : 'The file could not be changed.' };
    }
  }
  throw new Error(`unknown run action '${String(action)}'.`);
}
