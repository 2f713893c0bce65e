/**
 * Training runs: starts them in the worker, keeps the host's copy of each running record
 * (so a panel opened mid-run gets the whole history), reports progress (lenses, status bar,
 * notification) and lists finished runs from disk. Closing a panel or the file does not stop
 * a run; only Stop (or quitting VS Code) does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelIR } from '../../core/model/ir';
import type { BatchEvent, EpochEvent } from '../../core/protocol/worker';
import type { RunRecord, TrainSettings } from '../../core/run/record';
import { Disposable } from '../dispose';
import { errorMessage, type Log } from '../log';
import type { RunProgress } from '../text/lens-text';
import { modelKey } from '../text/model-pick';
import { withContainedWeights } from '../../core/run/contained-path';
import { cleanLeftovers, newRunId, settleOnThisMachine } from '../../core/run/store';
import { applyBatch, applyEpoch, finishRun, latestWithWeights, newRunRecord, runsOfModel } from '../../core/run/run-model';
import { batchProgress, runSummary } from '../text/run-events';
import type { WorkerHost } from './worker-host';

export interface ActiveRun {
  key: string;
  record: RunRecord;
  progress: RunProgress | 'starting';
  stopping: boolean;
}

export type RunEvent =
  | { kind: 'started'; key: string; run: RunRecord }
  | { kind: 'batch'; key: string; event: BatchEvent }
  | { kind: 'epoch'; key: string; event: EpochEvent }
  | { kind: 'done'; key: string; run: RunRecord };

export type ListRuns = (runsDir: string) => Promise<RunRecord[]>;

export class RunManager extends Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Throttled: lenses and the status bar refresh on it. */
  readonly onDidChange = this.changed.event;
  private readonly runEvents = this.register(new vscode.EventEmitter<RunEvent>());
  /** Every run event, unthrottled (panels forward them). */
  readonly onRunEvent = this.runEvents.event;
  private changeTimer: NodeJS.Timeout | undefined;
  private lastChange = 0;

  constructor(
    private readonly worker: WorkerHost,
    private readonly log: Log,
    private readonly listRunsIn: ListRuns,
    private readonly fallbackRunsDir: () => string,
  ) {
    super();
    this.register(this.worker.on('batch', (e) => this.onBatch(e)));
    this.register(this.worker.on('epoch', (e) => this.onEpoch(e)));
    this.register(this.worker.on('done', (e) => this.finish(e.runId, e.record)));
    this.register(
      this.worker.on('error', (e) => {
        this.log.error(`Worker error${e.runId ? ` in run ${e.runId}` : ''}: ${e.message}`);
      }),
    );
    this.register(
      this.worker.onCrash((reason) => {
        for (const run of [...this.active.values()]) this.finish(run.record.id, { ...run.record, status: 'failed', error: `the training worker stopped: ${reason}` });
      }),
    );
    this.register({ dispose: () => clearTimeout(this.changeTimer) });
  }

  /** `<workspace folder of the file>/.model-lens/runs`, else the extension's global storage. */
  runsDirFor(file: string): string {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)) ?? vscode.workspace.workspaceFolders?.[0];
    return folder && folder.uri.scheme === 'file' ? path.join(folder.uri.fsPath, '.model-lens', 'runs') : this.fallbackRunsDir();
  }

  runningFor(key: string): ActiveRun | undefined {
    for (const r of this.active.values()) if (r.key === key) return r;
    return undefined;
  }

  get running(): ActiveRun[] {
    return [...this.active.values()];
  }

  /** Runs of a model on disk plus the running one, oldest first. */
  async runsOf(file: string, modelName: string): Promise<RunRecord[]> {
    const onDisk = await this.listRuns(file);
    const active = [...this.active.values()].filter((r) => r.key === modelKey(file, modelName)).map((r) => r.record);
    const ids = new Set(active.map((r) => r.id));
    return [...runsOfModel(onDisk, file, modelName).filter((r) => !ids.has(r.id)), ...active];
  }

  async latestWithWeights(file: string, modelName: string): Promise<RunRecord | undefined> {
    return latestWithWeights(await this.listRuns(file), file, modelName, (dir) => fs.existsSync(path.join(dir, 'model.json')));
  }

  async listRuns(file: string): Promise<RunRecord[]> {
    try {
      const root = this.runsDirFor(file);
      // run.json is workspace content: its weightsDir is not followed; the weights are the ones
      // inside the run's own folder (symlinks out of it refused), or none.
      const runs = (await this.listRunsIn(root)).map((r) => withContainedWeights(root, r));
      return settleOnThisMachine(runs, new Set(this.active.keys()));
    } catch (e) {
      this.log.error('Reading the run history failed', e);
      return [];
    }
  }

  /** Starts a run; resolves with the final record (completed, cancelled or failed). */
  async train(file: string, model: ModelIR, modelHash: string, settings: TrainSettings, sourceText?: string): Promise<RunRecord> {
    const key = modelKey(file, model.name);
    if (this.runningFor(key)) throw new Error(`${model.name} is already training. Stop it first.`);
    const id = newRunId();
    const runDir = path.join(this.runsDirFor(file), id);
    try {
      const removed = cleanLeftovers(this.runsDirFor(file));
      if (removed.length) this.log.info(`Removed ${removed.length} leftover(s) of interrupted saves: ${removed.join(', ')}`);
    } catch (e) {
      this.log.warn(`Cleaning leftovers in ${this.runsDirFor(file)} failed: ${errorMessage(e)}`);
    }
    const record = newRunRecord(id, model, file, modelHash, settings);
    const run: ActiveRun = { key, record, progress: 'starting', stopping: false };
    this.active.set(id, run);
    this.runEvents.fire({ kind: 'started', key, run: record });
    this.fireChange(true);
    this.log.info(`Training ${model.name} (run ${id}): ${JSON.stringify(settings)} → ${runDir}`);
    try {
      const modelId = await this.worker.loadModel(key, model);
      // Stopped while the worker was still loading the model: the worker has no run to cancel yet.
      if (run.stopping) return this.finish(id, { ...record, status: 'cancelled', finishedAt: new Date().toISOString() });
      const backend = this.worker.backendInfo;
      if (backend) {
        record.backend = backend.backend;
        record.backendReason = backend.reason;
      }
      const final = await this.worker.request('train', { modelId, runId: id, settings, runDir, modelFile: file, modelHash, ...(sourceText !== undefined ? { sourceText } : {}) });
      return this.finish(id, final);
    } catch (e) {
      const stopped = run.stopping || (e as { code?: string }).code === 'cancelled';
      return this.finish(id, { ...record, status: stopped ? 'cancelled' : 'failed', ...(stopped ? {} : { error: errorMessage(e) }), finishedAt: new Date().toISOString() });
    }
  }

  /** Asks the worker to stop the run of this model within one batch; its saved weights stay. */
  async stop(key: string): Promise<boolean> {
    const run = this.runningFor(key);
    if (!run) return false;
    run.stopping = true;
    this.fireChange(true);
    try {
      const r = await this.worker.request('cancel', { runId: run.record.id });
      return r.cancelled;
    } catch (e) {
      this.log.error('Stopping the run failed', e);
      return false;
    }
  }

  private onBatch(e: BatchEvent): void {
    const run = this.active.get(e.runId);
    if (!run) return;
    applyBatch(run.record, e);
    run.progress = batchProgress(e);
    this.runEvents.fire({ kind: 'batch', key: run.key, event: e });
    this.fireChange();
  }

  private onEpoch(e: EpochEvent): void {
    const run = this.active.get(e.runId);
    if (!run) return;
    applyEpoch(run.record, e);
    this.log.info(
      `${run.record.modelName} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}${e.acc !== undefined ? `, acc ${e.acc.toFixed(4)}` : ''}${e.valAcc !== undefined ? `, val acc ${e.valAcc.toFixed(4)}` : ''}${e.lr !== undefined ? `, lr ${Number(e.lr.toPrecision(6))}` : ''}`,
    );
    this.runEvents.fire({ kind: 'epoch', key: run.key, event: e });
    this.fireChange();
  }

  private finish(id: string, final: RunRecord): RunRecord {
    const run = this.active.get(id);
    if (!run) return final;
    this.active.delete(id);
    // Keep the host's streamed history when the worker's record has none (e.g. after a crash).
    const record = finishRun(run.record, final);
    const summary = runSummary(record);
    if (record.status === 'failed') this.log.error(summary);
    else this.log.info(summary);
    this.runEvents.fire({ kind: 'done', key: run.key, run: record });
    this.fireChange(true);
    return record;
  }

  private fireChange(now = false): void {
    const wait = now ? 0 : Math.max(0, 400 - (Date.now() - this.lastChange));
    if (this.changeTimer && !now) return;
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.lastChange = Date.now();
      this.changed.fire();
    }, wait);
  }
}
