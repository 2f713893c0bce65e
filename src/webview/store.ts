/**
 * The panel's copy of the host's state: set whole by `state`, then changed by deltas, folded in
 * with the same run model as the worker and the host (`src/core/run/run-model.ts`).
 * Views subscribe to what they draw; batch streams only mark views dirty.
 */
import { Emitter } from '../core/emitter';
import type { ModelIR } from '../core/model/ir';
import type { PanelState } from '../core/protocol/webview';
import type { BatchEvent, EpochEvent } from '../core/protocol/worker';
import type { BatchPoint, RunRecord } from '../core/run/record';
import { applyBatch, applyEpoch, cloneRun, hasUsableWeights } from '../core/run/run-model';
import { unpackRuns } from '../core/run/shared-models';

export type StoreTopic = 'model' | 'runs' | 'progress' | 'weights';

export class Store {
  model: ModelIR | null = null;
  file = '';
  runs: RunRecord[] = [];
  hasWeights = false;
  weightsStale = false;
  /** Runs whose batch curves the state left out (older runs): `runCurves` fetches them. */
  readonly curvesOmitted = new Set<string>();
  /** The latest batch event of a running run (status line). */
  lastBatch: BatchEvent | null = null;
  private readonly events = new Emitter<Record<StoreTopic, void>>((topic, e) => console.error(`a '${topic}' view failed to update:`, e));

  on(topic: StoreTopic, fn: () => void): () => void {
    return this.events.on(topic, fn);
  }

  private fire(...topics: StoreTopic[]): void {
    for (const t of topics) this.events.emit(t, undefined);
  }

  setState(s: PanelState): void {
    this.model = s.model;
    this.file = s.file;
    this.runs = (s.runModels && s.runModelOf ? unpackRuns({ runs: s.runs, runModels: s.runModels, runModelOf: s.runModelOf }) : s.runs).map(cloneRun);
    this.hasWeights = s.hasWeights;
    this.weightsStale = !!s.weightsStale;
    this.curvesOmitted.clear();
    for (const id of s.curvesOmitted ?? []) this.curvesOmitted.add(id);
    this.fire('model', 'runs', 'weights');
  }

  /** Puts fetched curves into their runs (no event: the asker redraws what it asked for). */
  fillCurves(curves: readonly { id: string; batches: BatchPoint[] }[]): void {
    for (const c of curves) {
      const run = this.runs.find((r) => r.id === c.id);
      if (!run || !this.curvesOmitted.has(c.id)) continue;
      run.batches = c.batches.map((b) => ({ ...b }));
      this.curvesOmitted.delete(c.id);
    }
  }

  setModel(model: ModelIR): void {
    this.model = model;
    this.fire('model');
  }

  runStarted(run: RunRecord): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    if (i >= 0) this.runs[i] = cloneRun(run);
    else this.runs.push(cloneRun(run));
    this.fire('runs');
  }

  /** Appends the batch points; returns false when the run is unknown. */
  batch(e: BatchEvent): boolean {
    const run = this.runs.find((r) => r.id === e.runId);
    if (!run) return false;
    applyBatch(run, e);
    this.lastBatch = e;
    this.fire('progress');
    return true;
  }

  epoch(e: EpochEvent): void {
    const run = this.runs.find((r) => r.id === e.runId);
    if (!run) return;
    applyEpoch(run, e);
    this.fire('runs');
  }

  runDone(run: RunRecord): void {
    this.runStarted(run);
    if (this.lastBatch?.runId === run.id) this.lastBatch = null;
    if (hasUsableWeights(run)) {
      this.hasWeights = true;
      this.weightsStale = false;
      this.fire('weights');
    }
    this.fire('progress');
  }
}
