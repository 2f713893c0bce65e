/**
 * The panel's copy of the host's state: set whole by `state`, then changed by deltas.
 * Views subscribe to what they draw; batch streams only mark views dirty.
 */
import type { ModelIR } from '../core/model/ir';
import type { PanelState } from '../core/protocol/webview';
import type { BatchEvent, EpochEvent } from '../core/protocol/worker';
import type { RunRecord } from '../core/run/record';

export type StoreTopic = 'model' | 'runs' | 'progress' | 'weights';

export class Store {
  model: ModelIR | null = null;
  file = '';
  runs: RunRecord[] = [];
  hasWeights = false;
  weightsStale = false;
  /** The latest batch event of a running run (status line). */
  lastBatch: BatchEvent | null = null;
  private readonly listeners = new Map<StoreTopic, Set<() => void>>();

  on(topic: StoreTopic, fn: () => void): void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(fn);
  }

  private fire(...topics: StoreTopic[]): void {
    for (const t of topics) for (const fn of this.listeners.get(t) ?? []) fn();
  }

  setState(s: PanelState): void {
    this.model = s.model;
    this.file = s.file;
    this.runs = s.runs.map((r) => ({ ...r, batches: [...r.batches], epochs: [...r.epochs] }));
    this.hasWeights = s.hasWeights;
    this.weightsStale = !!s.weightsStale;
    this.fire('model', 'runs', 'weights');
  }

  setModel(model: ModelIR): void {
    this.model = model;
    this.fire('model');
  }

  runStarted(run: RunRecord): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    const copy = { ...run, batches: [...run.batches], epochs: [...run.epochs] };
    if (i >= 0) this.runs[i] = copy;
    else this.runs.push(copy);
    this.fire('runs');
  }

  /** Appends a batch point; returns false when the run is unknown. */
  batch(e: BatchEvent): boolean {
    const run = this.runs.find((r) => r.id === e.runId);
    if (!run) return false;
    const last = run.batches[run.batches.length - 1];
    if (!last || e.step > last.step) run.batches.push({ step: e.step, epoch: e.epoch, loss: e.loss, ...(e.acc !== undefined ? { acc: e.acc } : {}) });
    this.lastBatch = e;
    this.fire('progress');
    return true;
  }

  epoch(e: EpochEvent): void {
    const run = this.runs.find((r) => r.id === e.runId);
    if (!run) return;
    const { runId: _id, epochs: _n, ...metrics } = e;
    const i = run.epochs.findIndex((m) => m.epoch === e.epoch);
    if (i >= 0) run.epochs[i] = metrics;
    else run.epochs.push(metrics);
    this.fire('runs');
  }

  runDone(run: RunRecord): void {
    this.runStarted(run);
    if (this.lastBatch?.runId === run.id) this.lastBatch = null;
    if (run.status === 'completed' || run.weightsDir) {
      this.hasWeights = true;
      this.weightsStale = false;
      this.fire('weights');
    }
    this.fire('progress');
  }
}
