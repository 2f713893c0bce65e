/**
 * Folding worker events into the host's copy of a run (pure; no `vscode` import).
 * The host owns the run state: a panel that opens mid-run gets this record whole.
 */
import type { BatchEvent, EpochEvent } from '../../core/protocol/worker';
import type { RunRecord, TrainSettings } from '../../core/run/record';
import type { ModelIR } from '../../core/model/ir';
import type { RunProgress } from './lens-text';
import { snapshotOfBatch } from '../../core/run/progress';

export function newRunRecord(id: string, model: ModelIR, modelFile: string, modelHash: string, settings: TrainSettings, now = new Date()): RunRecord {
  return { id, modelName: model.name, modelFile, modelHash, status: 'running', startedAt: now.toISOString(), settings, batches: [], epochs: [], model };
}

export function applyBatch(run: RunRecord, e: BatchEvent): RunProgress {
  const last = run.batches[run.batches.length - 1];
  if (!last || last.step < e.step) {
    const point: RunRecord['batches'][number] = { step: e.step, epoch: e.epoch, loss: e.loss };
    if (e.acc !== undefined) point.acc = e.acc;
    run.batches.push(point);
  }
  return snapshotOfBatch(e);
}

export function applyEpoch(run: RunRecord, e: EpochEvent): void {
  const { runId: _runId, epochs: _epochs, ...metrics } = e;
  const i = run.epochs.findIndex((m) => m.epoch === metrics.epoch);
  if (i >= 0) run.epochs[i] = metrics;
  else run.epochs.push(metrics);
}

/** One line for the notification when a run ends. */
export function runSummary(run: RunRecord): string {
  const secs = run.durationMs !== undefined ? ` in ${Math.round(run.durationMs / 1000)} s` : '';
  const lastEpoch = run.epochs[run.epochs.length - 1];
  switch (run.status) {
    case 'completed': {
      const test = run.test ? `test accuracy ${run.test.acc.toFixed(4)}, loss ${run.test.loss.toFixed(4)}` : lastEpoch?.acc !== undefined ? `accuracy ${lastEpoch.acc.toFixed(4)}` : 'done';
      return `${run.modelName} trained${secs}: ${test}${run.backend ? ` (${run.backend})` : ''}.`;
    }
    case 'cancelled':
      return `${run.modelName}: training stopped${secs}. ${run.weightsDir ? 'The last saved weights are kept.' : 'No weights were saved yet.'}`;
    case 'failed':
      return `${run.modelName}: training failed: ${run.error ?? 'unknown error'}`;
    default:
      return `${run.modelName}: training…`;
  }
}

/** The runs of one model (same file and model name), oldest first. */
export function runsOfModel(runs: RunRecord[], modelFile: string, modelName: string): RunRecord[] {
  return runs
    .filter((r) => r.modelFile === modelFile && r.modelName === modelName)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** The newest run of the model that left weights (completed, or stopped after a save). */
export function latestWithWeights(runs: RunRecord[], modelFile: string, modelName: string, exists: (weightsDir: string) => boolean = () => true): RunRecord | undefined {
  return runsOfModel(runs, modelFile, modelName)
    .filter((r) => !!r.weightsDir && (r.status === 'completed' || r.status === 'cancelled') && exists(r.weightsDir))
    .pop();
}

/**
 * Runs that say `running` on disk but are not running in this window were interrupted
 * (window reloaded, VS Code quit, worker killed): show them as stopped.
 */
export function settleInterrupted(runs: RunRecord[], activeIds: ReadonlySet<string>): RunRecord[] {
  return runs.map((r) => (r.status === 'running' && !activeIds.has(r.id) ? { ...r, status: 'cancelled', error: r.error ?? 'interrupted (the window was closed or reloaded while it ran)' } : r));
}
