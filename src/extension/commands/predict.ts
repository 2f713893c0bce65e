/** Predict an image file (PNG/JPEG) or a test sample; top-3 in a notification and the panel. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PredictInput } from '../../core/protocol/worker';
import { predictionText } from '../text/prediction-text';
import type { HostContext } from '../context';
import { withWeights } from './evaluate';
import { pickModel } from './pick-model';

const IMAGE_EXT = /\.(png|jpe?g)$/i;

export function predictImage(ctx: HostContext) {
  return async (arg?: unknown) => {
    // From the explorer on an image: the image is the argument, the model the active/only one.
    const imageArg = arg instanceof vscode.Uri && IMAGE_EXT.test(arg.fsPath) ? arg : undefined;
    const src = await pickModel(ctx, imageArg ? undefined : arg);
    if (!src) return;
    // An image from the explorer needs no dataset; choosing in the quick pick lists test samples.
    const t = await withWeights(ctx, src, !imageArg);
    if (!t) return;
    const choice = imageArg ? { input: { kind: 'image', path: imageArg.fsPath } as PredictInput, source: path.basename(imageArg.fsPath) } : await chooseInput(ctx, t.modelId, t.dataset);
    if (!choice) return;
    const prediction = await ctx.worker.request('predict', { modelId: t.modelId, input: choice.input, topK: 3 });
    const text = predictionText(prediction);
    ctx.log.info(`${src.model.name} on ${choice.source}: ${text}`);
    void vscode.window.showInformationMessage(`Model Lens: ${choice.source} → ${text}`);
    ctx.panels.showPrediction(src.file, src.model.name, prediction, choice.source);
    return prediction;
  };
}

type Choice = { input: PredictInput; source: string };

/**
 * A quick pick that shows at once: "choose a file" first, then the test samples with their
 * true labels as soon as the worker has them.
 */
async function chooseInput(ctx: HostContext, modelId: string, dataset: string): Promise<Choice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: Choice; file?: true };
  const fileItem: Item = { label: '$(file-media) Choose a PNG or JPEG image…', file: true };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Model Lens: predict which image?';
  qp.placeholder = `An image file, or a test sample of ${dataset}`;
  qp.matchOnDescription = true;
  qp.items = [fileItem];
  qp.busy = true;
  const abort = new AbortController();
  void ctx.worker
    .request('samples', { dataset, split: 'test', start: 0, count: 20, modelId }, abort.signal)
    .then((batch) => {
      const items: Item[] = [fileItem, { label: `Test samples (${dataset})`, kind: vscode.QuickPickItemKind.Separator }];
      for (let i = 0; i < batch.count; i++) {
        const label = batch.labels[i]!;
        const index = batch.start + i;
        items.push({
          label: `Test sample #${index}`,
          description: `true label ${batch.classNames?.[label] ?? label}`,
          choice: { input: { kind: 'sample', dataset, split: 'test', index }, source: `test sample #${index}` },
        });
      }
      const active = qp.activeItems;
      qp.items = items;
      qp.activeItems = active.length ? items.filter((i) => active.includes(i)) : [fileItem];
    })
    .catch((e: unknown) => {
      if (!abort.signal.aborted) ctx.log.warn(`Listing test samples failed: ${(e as Error).message}`);
    })
    .finally(() => (qp.busy = false));
  const pick = await new Promise<Item | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0] ?? qp.activeItems[0]));
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  abort.abort();
  qp.dispose();
  if (!pick) return undefined;
  if (pick.choice) return pick.choice;
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Predict',
    filters: { Images: ['png', 'jpg', 'jpeg'] },
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  const file = files?.[0];
  return file ? { input: { kind: 'image', path: file.fsPath }, source: path.basename(file.fsPath) } : undefined;
}
