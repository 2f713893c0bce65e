/**
 * "Model Lens: Train Variants…" (palette, the Runs tab's button): asks for learning rates, batch
 * sizes and seeds (comma lists, checked as typed), then trains every combination one after another
 * (`runVariants`), with one notification "variant 2 of 6 …" whose Cancel stops the sweep.
 */
import * as vscode from 'vscode';
import { bestRun, formatResult, resultsOf } from '../../core/run/run-table';
import { expandVariants, MAX_VARIANTS, variantLabel, VariantListError, type VariantField, type VariantLists } from '../../core/run/variants';
import type { HostContext } from '../context';
import { runVariants, type SweepResult } from '../runs/variant-sweep';
import { resolveTrainSettings } from '../text/train-settings';
import { pickModel, UserError } from './pick-model';
import { assertCanTrain, trustDataset } from './train';

/** The questions, in order: which list, how it is asked. */
const QUESTIONS: { field: VariantField; title: string; example: string; now: (s: { learningRate?: number; batchSize: number; seed?: number }) => string }[] = [
  { field: 'learningRate', title: 'Learning rates to try', example: '1e-3, 3e-4', now: (s) => (s.learningRate !== undefined ? `now ${s.learningRate}` : "the optimizer's default") },
  { field: 'batchSize', title: 'Batch sizes to try', example: '64, 128', now: (s) => `now ${s.batchSize}` },
  { field: 'seeds', title: 'Seeds: how many, or which', example: '3 (seeds 1, 2, 3) or 1, 5, 9', now: (s) => (s.seed !== undefined ? `now ${s.seed}` : 'now none') },
];

/** What the input box says under a list it cannot read (undefined: fine). */
export function checkList(field: VariantField, text: string): string | undefined {
  try {
    expandVariants({ [field]: text });
    return undefined;
  } catch (e) {
    if (e instanceof VariantListError) return `${e.message}. Write a comma list, e.g. ${QUESTIONS.find((q) => q.field === field)!.example}; empty keeps the current value.`;
    throw e;
  }
}

export function trainVariants(ctx: HostContext) {
  return async (arg?: unknown): Promise<SweepResult | undefined> => {
    const src = await pickModel(ctx, arg);
    if (!src) return undefined;
    assertCanTrain(ctx, src);
    const resolved = resolveTrainSettings(src.model.training, ctx.settings.training);
    const base = resolved.settings;
    const lists: VariantLists = {};
    for (const [i, q] of QUESTIONS.entries()) {
      const text = await vscode.window.showInputBox({
        title: `Model Lens: train variants of ${src.model.name} (${i + 1}/${QUESTIONS.length})`,
        prompt: `${q.title}, comma-separated (e.g. ${q.example}). Empty: keep the current value (${q.now({ ...base, learningRate: base.learningRate ?? src.model.training.optimizer?.learningRate })}).`,
        placeHolder: q.example,
        validateInput: (v) => checkList(q.field, v),
      });
      if (text === undefined) return undefined;
      lists[q.field] = text;
    }
    let variants;
    try {
      variants = expandVariants(lists);
    } catch (e) {
      if (e instanceof VariantListError) throw new UserError(`Train variants: ${e.message}.`);
      throw e;
    }
    if (variants.length > MAX_VARIANTS) throw new UserError(`Train variants: at most ${MAX_VARIANTS} runs.`);
    if (!(await trustDataset(ctx, resolved))) return undefined;
    ctx.panels.show(src.file, src.model.name, 'runs', true);
    ctx.log.info(`Training ${variants.length} variant(s) of ${src.model.name}: ${variants.map(variantLabel).join(' | ')}`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Model Lens: ${variants.length} variant(s) of ${src.model.name}`, cancellable: true },
      async (progress, token) => {
        const stop = new AbortController();
        const sub = token.onCancellationRequested(() => stop.abort());
        let reported = 0;
        try {
          return await runVariants(
            ctx.runs,
            { file: src.file, model: src.model, hash: src.hash, text: src.doc.getText(), key: src.key },
            base,
            variants,
            (p) => {
              const pct = Math.floor(p.fraction * 100);
              progress.report({ message: p.message, increment: Math.max(0, pct - reported) });
              reported = Math.max(reported, pct);
            },
            stop.signal,
          );
        } finally {
          sub.dispose();
        }
      },
    );
    announce(ctx, src.file, src.model.name, result);
    return result;
  };
}

/** One message at the end: how many ran, why it ended early, the best. */
export function sweepSummary(modelName: string, r: SweepResult): string {
  const best = bestRun(r.runs.map((x) => x.record));
  const b = r.runs.find((x) => x.record === best);
  const head = `${modelName}: ${r.runs.length} of ${r.of} variant(s) trained${r.ended === 'stopped' ? ' (stopped)' : r.ended === 'failed' ? ` (ended: a run failed — ${r.runs[r.runs.length - 1]!.record.error ?? 'see the log'})` : ''}`;
  if (!b) return `${head}; none completed.`;
  const res = resultsOf(b.record);
  return `${head}. Best: ${variantLabel(b.variant)}${res.testAcc !== undefined ? ` — test accuracy ${formatResult('testAcc', res.testAcc)}` : res.bestValAcc !== undefined ? ` — best validation accuracy ${formatResult('bestValAcc', res.bestValAcc)}` : ''}.`;
}

function announce(ctx: HostContext, file: string, modelName: string, r: SweepResult): void {
  const text = `Model Lens: ${sweepSummary(modelName, r)}`;
  ctx.log.info(text);
  const show = (a: string | undefined) => {
    if (a === 'Show Runs') ctx.panels.show(file, modelName, 'runs');
    else if (a === 'Show Log') ctx.log.show();
  };
  if (r.ended === 'failed') void vscode.window.showErrorMessage(text, 'Show Runs', 'Show Log').then(show);
  else void vscode.window.showInformationMessage(text, 'Show Runs').then(show);
}
