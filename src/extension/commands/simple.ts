/** Show graph, Stop training, Open run…, Show log. */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import type { RunRecord } from '../../core/run/record';
import { modelKey } from '../text/model-pick';
import { isModelRef } from './model-ref';
import { pickModel, UserError } from './pick-model';

export function showGraph(ctx: HostContext) {
  return async (arg?: unknown) => {
    const src = await pickModel(ctx, arg);
    if (!src) return;
    ctx.panels.show(src.file, src.model.name, (isModelRef(arg) && arg.view) || 'graph');
  };
}

export function stopTraining(ctx: HostContext) {
  return async (arg?: unknown) => {
    let key: string | undefined = isModelRef(arg) ? modelKey(arg.file, arg.model) : undefined;
    const running = ctx.runs.running;
    if (!key) {
      if (running.length === 0) throw new UserError('Nothing is training.');
      if (running.length === 1) key = running[0]!.key;
      else {
        const pick = await vscode.window.showQuickPick(
          running.map((r) => ({ label: r.record.modelName, description: vscode.workspace.asRelativePath(r.record.modelFile), key: r.key })),
          { title: 'Model Lens: stop which run?' },
        );
        key = pick?.key;
      }
    }
    if (!key) return;
    if (!ctx.runs.runningFor(key)) throw new UserError('That model is not training.');
    await ctx.runs.stop(key);
  };
}

export function openRun(ctx: HostContext) {
  return async () => {
    const editorFile = vscode.window.activeTextEditor?.document.uri.fsPath;
    const dirs = new Set<string>();
    for (const f of vscode.workspace.workspaceFolders ?? []) dirs.add(ctx.runs.runsDirFor(f.uri.fsPath + '/x'));
    if (editorFile) dirs.add(ctx.runs.runsDirFor(editorFile));
    if (dirs.size === 0) dirs.add(ctx.runs.runsDirFor(''));
    const { listRuns, settleOnThisMachine } = await import('../../core/run/store');
    const active = new Set(ctx.runs.running.map((r) => r.record.id));
    const runs: RunRecord[] = settleOnThisMachine([...dirs].flatMap((d) => listRuns(d, (e) => ctx.log.warn(e.message))), active);
    for (const a of ctx.runs.running) if (!runs.some((r) => r.id === a.record.id)) runs.unshift(a.record);
    if (runs.length === 0) throw new UserError('No runs yet: click ▶ Train above a model to start one.');
    runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: `${r.modelName} · ${r.startedAt.replace('T', ' ').slice(0, 16)}`, description: runDescription(r), detail: `${vscode.workspace.asRelativePath(r.modelFile)} · run ${r.id}`, run: r })),
      { title: 'Model Lens: open run', matchOnDetail: true, matchOnDescription: true },
    );
    if (!pick) return;
    // run.json is workspace content: a model file it names outside the open folders is not opened.
    const file = pick.run.modelFile;
    if (typeof file !== 'string' || ((vscode.workspace.workspaceFolders?.length ?? 0) > 0 && !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)))) {
      throw new UserError(`Run ${pick.run.id} names a model file outside the workspace (${String(file)}); it is not opened.`);
    }
    ctx.panels.show(file, pick.run.modelName, 'training');
  };
}

function runDescription(r: RunRecord): string {
  const parts: string[] = [r.status];
  if (r.test) parts.push(`test acc ${r.test.acc.toFixed(4)}`);
  else if (r.epochs.length && r.epochs[r.epochs.length - 1]!.acc !== undefined) parts.push(`acc ${r.epochs[r.epochs.length - 1]!.acc!.toFixed(4)}`);
  parts.push(`${r.settings.epochs} epoch${r.settings.epochs === 1 ? '' : 's'} · batch ${r.settings.batchSize} · ${r.settings.dataset}`);
  if (r.backend) parts.push(r.backend);
  return parts.join(' · ');
}

export function showLog(ctx: HostContext) {
  return () => ctx.log.show();
}
