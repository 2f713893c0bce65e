/**
 * The run model, once for every side: the worker that records a run, the extension host that keeps
 * a live copy, the webview that draws it, and the CLI that lists runs. Pure data functions (no
 * `fs`, no `path`: the webview imports this file too).
 *
 * Batch points: the worker averages consecutive batches into one point (`BatchSampler`) and sends
 * the points it recorded with each batch event; every copy appends them with `appendBatchPoints`,
 * which halves the series (pairwise averages) when it reaches `MAX_BATCH_POINTS`. The same points
 * in the same order give the same series everywhere, so the live curve is the saved one.
 */
import type { BatchEvent, EpochEvent } from '../protocol/worker';
import type { ModelIR } from '../model/ir';
import type { BatchPoint, EpochMetrics, RunRecord, RunStatus, TrainSettings } from './record';

export const MAX_BATCH_POINTS = 4000;

function mergePair(a: BatchPoint, b: BatchPoint): BatchPoint {
  const m: BatchPoint = { step: b.step, epoch: b.epoch, loss: (a.loss + b.loss) / 2 };
  if (a.acc !== undefined && b.acc !== undefined) m.acc = (a.acc + b.acc) / 2;
  return m;
}

/**
 * Appends recorded points (a point whose step is not after the last one is a duplicate and is
 * skipped). Whenever the series reaches `max` points it is halved. Returns how many halvings.
 */
export function appendBatchPoints(points: BatchPoint[], add: readonly BatchPoint[], max = MAX_BATCH_POINTS): number {
  let halvings = 0;
  for (const p of add) {
    const last = points[points.length - 1];
    if (last && p.step <= last.step) continue;
    points.push({ ...p });
    if (points.length >= max) {
      const halved: BatchPoint[] = [];
      for (let i = 0; i + 1 < points.length; i += 2) halved.push(mergePair(points[i]!, points[i + 1]!));
      points.splice(0, points.length, ...halved);
      halvings++;
    }
  }
  return halvings;
}

/**
 * The worker's side of the down-sampling: averages `every` consecutive batches into one point;
 * `every` doubles each time the series is halved, so the points keep covering equal spans.
 */
export class BatchSampler {
  private every = 1;
  private pending: BatchPoint[] = [];
  constructor(private readonly max = MAX_BATCH_POINTS) {}

  /** Records one batch into `points`; returns the point appended (if a span was completed). */
  add(points: BatchPoint[], p: BatchPoint): BatchPoint | undefined {
    this.pending.push(p);
    if (this.pending.length < this.every) return undefined;
    const n = this.pending.length;
    const merged: BatchPoint = { step: p.step, epoch: p.epoch, loss: this.pending.reduce((s, q) => s + q.loss, 0) / n };
    if (p.acc !== undefined) merged.acc = this.pending.reduce((s, q) => s + (q.acc ?? 0), 0) / n;
    this.pending = [];
    const halvings = appendBatchPoints(points, [merged], this.max);
    this.every *= 2 ** halvings;
    return merged;
  }
}

export function newRunRecord(id: string, model: ModelIR, modelFile: string, modelHash: string, settings: TrainSettings, now = new Date()): RunRecord {
  return { id, modelName: model.name, modelFile, modelHash, status: 'running', startedAt: now.toISOString(), settings, batches: [], epochs: [], model };
}

/** The points a batch event carries (the worker's recorded points; else the event's own). */
export function eventPoints(e: BatchEvent): BatchPoint[] {
  if (e.points) return e.points;
  const p: BatchPoint = { step: e.step, epoch: e.epoch, loss: e.loss };
  if (e.acc !== undefined) p.acc = e.acc;
  return [p];
}

export function applyBatch(run: RunRecord, e: BatchEvent): void {
  appendBatchPoints(run.batches, eventPoints(e));
}

/** Epoch metrics without the event's routing fields. */
export function epochMetrics(e: EpochEvent): EpochMetrics {
  const { runId: _runId, epochs: _epochs, ...metrics } = e;
  return metrics;
}

/** Adds (or replaces) one epoch's metrics. */
export function applyEpoch(run: RunRecord, e: EpochEvent | EpochMetrics): void {
  const metrics = 'runId' in e ? epochMetrics(e) : { ...e };
  const i = run.epochs.findIndex((m) => m.epoch === metrics.epoch);
  if (i >= 0) run.epochs[i] = metrics;
  else run.epochs.push(metrics);
}

/** A copy whose arrays can be appended to without touching the original. */
export function cloneRun(run: RunRecord): RunRecord {
  return { ...run, batches: [...run.batches], epochs: [...run.epochs] };
}

/**
 * The final record of a run from the live copy and what the worker returned: the worker's record
 * wins, except that the live history is kept when the worker's has none (e.g. after a crash).
 */
export function finishRun(live: RunRecord, final: RunRecord): RunRecord {
  return {
    ...live,
    ...final,
    batches: final.batches?.length ? final.batches : live.batches,
    epochs: final.epochs?.length ? final.epochs : live.epochs,
    ...(final.model ?? live.model ? { model: (final.model ?? live.model)! } : {}),
  };
}

/** Statuses whose saved weights Evaluate / Predict may use. */
const USABLE: ReadonlySet<RunStatus> = new Set(['completed', 'cancelled', 'interrupted']);

/**
 * The one rule for "this run has usable weights": it saved weights at least once (`weightsDir`),
 * it is not running (weights of a running run change under the reader), it did not fail (a failed
 * run's weights may be mid-divergence), and the folder still exists (`exists`, when asked).
 */
export function hasUsableWeights(run: RunRecord, exists: (weightsDir: string) => boolean = () => true): boolean {
  return !!run.weightsDir && USABLE.has(run.status) && exists(run.weightsDir);
}

/** The runs of one model (same file and model name), oldest first. Paths compare as given (absolute). */
export function runsOfModel(runs: readonly RunRecord[], modelFile: string, modelName: string): RunRecord[] {
  return runs.filter((r) => r.modelFile === modelFile && r.modelName === modelName).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** The newest run of the model with usable weights. */
export function latestWithWeights(runs: readonly RunRecord[], modelFile: string, modelName: string, exists?: (weightsDir: string) => boolean): RunRecord | undefined {
  return runsOfModel(runs, modelFile, modelName)
    .filter((r) => hasUsableWeights(r, exists))
    .pop();
}

/** How long a running run may go without a heartbeat before it counts as interrupted. */
export const HEARTBEAT_STALE_MS = 10 * 60_000;

export interface Liveness {
  now: number;
  /** This machine's host name (a pid on another machine says nothing here). */
  hostname: string;
  /** Whether a process with this pid exists on this machine. */
  isAlive(pid: number): boolean;
  /** Runs this process knows are running (e.g. the editor's own runs): never interrupted. */
  activeIds?: ReadonlySet<string>;
}

/**
 * A run that says `running` but whose process is gone (killed, crashed, machine rebooted) was
 * interrupted. Dead when its worker pid (on this machine) no longer exists, or when no heartbeat
 * came for `HEARTBEAT_STALE_MS` (another machine, or the pid was reused). Its last saved weights
 * stay usable. Returns the run itself when nothing changes.
 */
export function settleRun(run: RunRecord, live: Liveness): RunRecord {
  if (run.status !== 'running' || live.activeIds?.has(run.id)) return run;
  const beat = Date.parse(run.heartbeatAt ?? run.startedAt);
  const stale = !Number.isFinite(beat) || live.now - beat > HEARTBEAT_STALE_MS;
  const sameHost = run.pid !== undefined && run.host === live.hostname;
  const dead = sameHost ? !live.isAlive(run.pid!) || stale : stale;
  if (!dead) return run;
  const how = sameHost && !live.isAlive(run.pid!) ? `its process (pid ${run.pid}) ended without finishing` : `no sign of life since ${run.heartbeatAt ?? run.startedAt}`;
  return { ...run, status: 'interrupted', error: run.error ?? `interrupted: ${how}${run.weightsDir ? '; the last saved weights are kept' : ''}` };
}

export function settleRuns(runs: readonly RunRecord[], live: Liveness): RunRecord[] {
  return runs.map((r) => settleRun(r, live));
}
