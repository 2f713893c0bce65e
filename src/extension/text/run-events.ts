/**
 * Text about runs for the host (pure; no `vscode` import): the lens/status progress of a batch
 * event and the notification line when a run ends. The run model itself (folding events into a
 * record, the weights rule, interrupted runs) is `src/core/run/run-model.ts`.
 */
import type { BatchEvent } from '../../core/protocol/worker';
import type { RunRecord } from '../../core/run/record';
import type { RunProgress } from './lens-text';
import { snapshotOfBatch } from '../../core/run/progress';

/** What the lenses, the status bar and a notification show of a batch event (one snapshot). */
export function batchProgress(e: BatchEvent): RunProgress {
  return snapshotOfBatch(e);
}

/** One line for the notification when a run ends. */
export function runSummary(run: RunRecord): string {
  const secs = run.durationMs !== undefined ? ` in ${Math.round(run.durationMs / 1000)} s` : '';
  const lastEpoch = run.epochs[run.epochs.length - 1];
  const kept = run.weightsDir ? 'The last saved weights are kept.' : 'No weights were saved yet.';
  switch (run.status) {
    case 'completed': {
      const test = run.test ? `test accuracy ${run.test.acc.toFixed(4)}, loss ${run.test.loss.toFixed(4)}` : lastEpoch?.acc !== undefined ? `accuracy ${lastEpoch.acc.toFixed(4)}` : 'done';
      return `${run.modelName} trained${secs}: ${test}${run.backend ? ` (${run.backend})` : ''}.`;
    }
    case 'cancelled':
      return `${run.modelName}: training stopped${secs}. ${kept}`;
    case 'interrupted':
      return `${run.modelName}: training was interrupted (its process ended). ${kept}`;
    case 'failed':
      return `${run.modelName}: training failed: ${run.error ?? 'unknown error'}`;
    default:
      return `${run.modelName}: training…`;
  }
}
