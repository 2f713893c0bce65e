/** Evaluate the latest trained weights of a model on its test set. */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { trainedModel, type TrainedModel, type ModelSource } from '../runs/model-source';
import { pickModel, UserError } from './pick-model';

export function evaluate(ctx: HostContext) {
  return async (arg?: unknown) => {
    const src = await pickModel(ctx, arg);
    if (!src) return;
    const t = await withWeights(ctx, src);
    if (!t) return;
    const limit = ctx.settings.testLimit;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Evaluating ${src.model.name} on the ${t.dataset} test set`, cancellable: true },
      async (_p, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await ctx.worker.request('evaluate', { modelId: t.modelId, dataset: t.dataset, ...(t.run ? { batchSize: t.run.settings.batchSize } : {}), ...(limit ? { limit } : {}) }, abort.signal);
        } finally {
          sub.dispose();
        }
      },
    );
    const msg = `${src.model.name}: test accuracy ${result.acc.toFixed(4)}, loss ${result.loss.toFixed(4)} (${result.samples} samples, weights of ${t.weightsFrom})${t.stale ? ' — the model changed since these weights were trained; train again for current results.' : ''}`;
    ctx.log.info(msg);
    void vscode.window.showInformationMessage(`Model Lens: ${msg}`);
    return result;
  };
}

/** The model's latest weights, or a message that offers to train (undefined then). `needsData`: the run's dataset will be read (asks for trust in an untrusted workspace). */
export async function withWeights(ctx: HostContext, src: ModelSource, needsData = true): Promise<TrainedModel | undefined> {
  try {
    const t = await trainedModel(ctx, src, needsData);
    if (t.stale) {
      ctx.log.warn(`${src.model.name}: weights of ${t.weightsFrom} were trained on an earlier version of the file (stale).`);
      void vscode.window.showWarningMessage(`Model Lens: ${src.model.name} changed since its weights were trained (${t.weightsFrom}); results use those older weights.`, 'Train Again').then(
        (a) => a && vscode.commands.executeCommand('modelLens.train', { file: src.file, model: src.model.name }),
      );
    }
    return t;
  } catch (e) {
    if ((e as { code?: string }).code === 'no-weights') {
      const a = await vscode.window.showInformationMessage(`Model Lens: ${(e as Error).message}`, '▶ Train');
      if (a) void vscode.commands.executeCommand('modelLens.train', { file: src.file, model: src.model.name });
      return undefined;
    }
    throw e instanceof Error ? e : new UserError(String(e));
  }
}
