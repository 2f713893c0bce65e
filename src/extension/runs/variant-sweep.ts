/**
 * "Train Variants…": the combinations of a small grid (`expandVariants`) trained one after another
 * in the worker, each a normal run through the RunManager (its own run folder, curves, table row),
 * with one overall progress and one Stop. A run stopped any other way (■ Stop above the model, the
 * status bar) ends the sweep too; a failed run ends it (the next would most likely fail the same way).
 */
import type { ModelIR } from '../../core/model/ir';
import type { RunRecord, TrainSettings } from '../../core/run/record';
import { variantLabel, type Variant } from '../../core/run/variants';
import { progressText } from '../text/lens-text';
import type { RunManager } from './run-manager';

export interface SweepTarget {
  file: string;
  model: ModelIR;
  hash: string;
  /** The model file's text (each run keeps it). */
  text: string;
  /** `modelKey(file, model.name)`. */
  key: string;
}

export interface SweepProgress {
  /** 1-based: the variant training now. */
  index: number;
  of: number;
  variant: Variant;
  /** Done so far over the whole sweep, 0…1. */
  fraction: number;
  /** `variant 2 of 6 (lr 0.001, batch 64) · epoch 1/2 · 40% · loss 0.31…`. */
  message: string;
}

export interface SweepResult {
  runs: { variant: Variant; record: RunRecord }[];
  of: number;
  /** Why it ended before the last variant: `stopped` (Stop) or `failed` (a run failed). */
  ended?: 'stopped' | 'failed';
}

export type SweepRuns = Pick<RunManager, 'train' | 'stop' | 'runningFor' | 'onDidChange'>;

export async function runVariants(runs: SweepRuns, target: SweepTarget, base: TrainSettings, variants: readonly Variant[], report: (p: SweepProgress) => void, stop: AbortSignal): Promise<SweepResult> {
  const result: SweepResult = { runs: [], of: variants.length };
  let index = 0;
  const say = (extra: string, fraction: number) => {
    const v = variants[index]!;
    report({ index: index + 1, of: variants.length, variant: v, fraction, message: `variant ${index + 1} of ${variants.length} (${variantLabel(v)})${extra ? ` · ${extra}` : ''}` });
  };
  const sub = runs.onDidChange(() => {
    const run = runs.runningFor(target.key);
    if (!run || index >= variants.length) return;
    if (run.progress === 'starting') say('starting…', index / variants.length);
    else say(progressText(run.progress), (index + Math.min(1, Math.max(0, run.progress.progress))) / variants.length);
  });
  const onStop = () => void runs.stop(target.key);
  stop.addEventListener('abort', onStop);
  try {
    for (; index < variants.length; index++) {
      if (stop.aborted) {
        result.ended = 'stopped';
        break;
      }
      say('starting…', index / variants.length);
      const record = await runs.train(target.file, target.model, target.hash, { ...base, ...variants[index]! }, target.text);
      result.runs.push({ variant: variants[index]!, record });
      if (record.status === 'cancelled' || stop.aborted) {
        result.ended = 'stopped';
        break;
      }
      if (record.status === 'failed') {
        result.ended = 'failed';
        break;
      }
    }
    return result;
  } finally {
    sub.dispose();
    stop.removeEventListener('abort', onStop);
  }
}
