/** Train (from a lens: straight away; from the palette: settings confirmed in a quick input). */
import * as vscode from 'vscode';
import { trainingBlocker } from '../../core/keras/layer-table';
import { withoutCompile } from '../../core/train/loss-source';
import type { RunRecord, TrainSettings } from '../../core/run/record';
import type { HostContext } from '../context';
import { progressText } from '../text/lens-text';
import { runSummary } from '../text/run-events';
import { formatOverrides, parseOverrides, resolveTrainSettings, type ResolvedTrainSettings } from '../text/train-settings';
import { isModelRef } from './model-ref';
import { pickModel, UserError } from './pick-model';
import type { ModelSource } from '../runs/model-source';

export function train(ctx: HostContext, askSettings: boolean) {
  return async (arg?: unknown) => {
    const src = await pickModel(ctx, arg);
    if (!src) return;
    assertCanTrain(ctx, src);
    let resolved = resolveTrainSettings(src.model.training, ctx.settings.training);
    if (askSettings || !isModelRef(arg)) {
      const asked = await askOverrides(ctx, src.model.training, resolved);
      if (!asked) return;
      resolved = asked;
    }
    if (!(await trustDataset(ctx, resolved))) return;
    // No compile() in the file: say where the loss and optimizer come from (its custom loop, or the defaults).
    const lossSource = /\.py$/i.test(src.file) ? withoutCompile(src.model.training) : undefined;
    if (lossSource) void vscode.window.showInformationMessage(`Model Lens: ${src.model.name}: ${lossSource}`);
    // The live curves open beside the editor; the editor keeps the focus.
    ctx.panels.show(src.file, src.model.name, 'training', true);
    const start = () => ctx.runs.train(src.file, src.model, src.hash, resolved.settings, src.doc.getText());
    // From a lens, the lens and the status bar already show the progress: no second display.
    // From the palette or a menu, a notification shows the same figures (and can cancel).
    const record = isModelRef(arg) && !askSettings ? await start() : await runWithProgress(ctx, src.key, src.model.name, start, resolved.settings);
    announce(ctx, src.file, src.model.name, record);
    return record;
  };
}

/** Refuses (with what to do) a model that is training already, has errors, or cannot be built. */
export function assertCanTrain(ctx: HostContext, src: ModelSource): void {
  const running = ctx.runs.runningFor(src.key);
  if (running) {
    ctx.panels.show(src.file, src.model.name, 'training');
    throw new UserError(`${src.model.name} is already training. Stop it first (■ Stop above the model).`);
  }
  const errors = src.model.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UserError(`${src.model.name} cannot be trained yet: ${errors[0]!.message}`);
  const blocked = trainingBlocker(src.model);
  if (blocked) throw new UserError(`${src.model.name} cannot be trained: ${blocked.message}`);
}

async function askOverrides(ctx: HostContext, file: Parameters<typeof resolveTrainSettings>[0], base: ResolvedTrainSettings): Promise<ResolvedTrainSettings | undefined> {
  const sources = `epochs from ${base.source.epochs}, batch from ${base.source.batchSize}, data from ${base.source.dataset}`;
  const text = await vscode.window.showInputBox({
    title: 'Model Lens: train with',
    prompt: `Press Enter to train, or change the values (${sources}). Data: mnist, fashion_mnist, cifar10, cifar100 or a folder/file path.`,
    value: formatOverrides(base.settings),
    validateInput: (v) => {
      const r = parseOverrides(v);
      return r.ok ? undefined : r.message;
    },
  });
  if (text === undefined) return undefined;
  const r = parseOverrides(text);
  if (!r.ok) return undefined;
  return resolveTrainSettings(file, ctx.settings.training, r.value);
}

/** Untrusted workspace + a dataset path: ask before reading data from it. */
export async function trustDataset(ctx: HostContext, r: ResolvedTrainSettings): Promise<boolean> {
  if (!r.datasetIsPath || r.source.dataset === 'override') return true;
  const ok = await ctx.datasetTrust.allow(r.settings.dataset, r.source.dataset === 'file' ? 'the model file' : 'the modelLens.datasetPath setting', 'Train');
  if (!ok) ctx.log.info(`Training on ${r.settings.dataset} declined (untrusted workspace).`);
  return ok;
}

/**
 * A notification with the run's progress: the same snapshot the lens and status bar print, read
 * when they refresh (RunManager.onDidChange), so all three say the same numbers at the same time.
 */
async function runWithProgress(ctx: HostContext, key: string, modelName: string, start: () => ReturnType<HostContext['runs']['train']>, settings: TrainSettings) {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Training ${modelName}`, cancellable: true },
    async (progress, token) => {
      let reported = 0;
      progress.report({ message: `${settings.epochs} epoch(s), batch ${settings.batchSize}, ${settings.dataset} — starting the worker…` });
      const sub = ctx.runs.onDidChange(() => {
        const run = ctx.runs.runningFor(key);
        if (!run || run.progress === 'starting') return;
        const pct = Math.floor(Math.min(1, Math.max(0, run.progress.progress)) * 100);
        progress.report({ message: progressText(run.progress), increment: Math.max(0, pct - reported) });
        reported = Math.max(reported, pct);
      });
      const cancel = token.onCancellationRequested(() => void ctx.runs.stop(key));
      try {
        return await start();
      } finally {
        sub.dispose();
        cancel.dispose();
      }
    },
  );
}

/** When a run ends: one message with the result (not a progress display). */
function announce(ctx: HostContext, file: string, modelName: string, record: RunRecord): void {
  const summary = runSummary(record);
  if (record.status === 'failed') {
    void vscode.window.showErrorMessage(`Model Lens: ${summary}`, 'Show Log').then((a) => a && ctx.log.show());
  } else {
    void vscode.window.showInformationMessage(`Model Lens: ${summary}`, 'Show Curves').then((a) => a && ctx.panels.show(file, modelName, 'training'));
  }
}
