/**
 * One truth for a run's progress: one snapshot, one formatter. The lens, the status bar, the
 * panel's status line and any notification all print these figures, with the same rounding:
 * percent rounded down (100% only when done), accuracy to 2 decimals, loss to 3, time left as
 * m:ss, speed to whole samples per second. Pure (no `vscode`, no DOM).
 */
import type { BatchEvent } from '../protocol/worker';

/** The latest state of a running run. */
export interface ProgressSnapshot {
  epoch: number;
  epochs: number;
  /** 0–1 over the whole run. */
  progress: number;
  /** Batch within the epoch and batches per epoch, when known. */
  batch?: number;
  batchesPerEpoch?: number;
  acc?: number;
  loss?: number;
  samplesPerSec?: number;
  /** Seconds left for the whole run. */
  etaSec?: number;
}

export function snapshotOfBatch(e: BatchEvent): ProgressSnapshot {
  const p: ProgressSnapshot = { epoch: e.epoch, epochs: e.epochs, progress: e.progress, batch: e.batch, batchesPerEpoch: e.batchesPerEpoch, loss: e.loss, samplesPerSec: e.samplesPerSec, etaSec: e.etaSec };
  if (e.acc !== undefined) p.acc = e.acc;
  return p;
}

/** 70 → `1:10`, 3725 → `1:02:05`. */
export function formatEta(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** Each figure as every surface prints it; a figure not known yet is absent. */
export interface ProgressFigures {
  /** `42%` (rounded down). */
  percent: string;
  /** `epoch 1/3`. */
  epoch: string;
  /** `batch 12/938`. */
  batch?: string;
  /** `acc 0.91`. */
  acc?: string;
  /** `loss 0.123`. */
  loss?: string;
  /** `189 samples/s`. */
  speed?: string;
  /** `1:10 left`. */
  eta?: string;
}

export function progressFigures(p: ProgressSnapshot): ProgressFigures {
  const frac = Number.isFinite(p.progress) ? Math.min(1, Math.max(0, p.progress)) : 0;
  const f: ProgressFigures = { percent: `${Math.floor(frac * 100)}%`, epoch: `epoch ${p.epoch}/${p.epochs}` };
  if (finite(p.batch) && finite(p.batchesPerEpoch)) f.batch = `batch ${p.batch}/${p.batchesPerEpoch}`;
  if (finite(p.acc)) f.acc = `acc ${p.acc.toFixed(2)}`;
  if (finite(p.loss)) f.loss = `loss ${p.loss.toFixed(3)}`;
  if (finite(p.samplesPerSec) && p.samplesPerSec > 0) f.speed = `${Math.round(p.samplesPerSec)} samples/s`;
  if (finite(p.etaSec) && p.etaSec > 0) f.eta = `${formatEta(p.etaSec)} left`;
  return f;
}

/** The lens (and a notification): `epoch 1/3 · 42% · acc 0.91` (loss until accuracy is known). */
export function shortProgressText(p: ProgressSnapshot): string {
  const f = progressFigures(p);
  return [f.epoch, f.percent, f.acc ?? f.loss].filter(Boolean).join(' · ');
}

/** The status bar: `Basic_CNN 42% · 1:10 left` (`stopping…` once Stop was asked). */
export function statusProgressText(modelName: string, p: ProgressSnapshot | undefined, stopping = false): string {
  const parts = [p ? `${modelName} ${progressFigures(p).percent}` : modelName];
  if (stopping) parts.push('stopping…');
  else if (p && progressFigures(p).eta) parts.push(progressFigures(p).eta!);
  else if (!p) parts.push('starting…');
  return parts.join(' · ');
}

/**
 * The panel's status line, as phrases that must not break inside (`189 samples/s` stays whole):
 * `epoch 1/3` `batch 12/938` `42%` `acc 0.91` `loss 0.123` `189 samples/s` `1:10 left`.
 */
export function progressPhrases(p: ProgressSnapshot): string[] {
  const f = progressFigures(p);
  return [f.epoch, f.batch, f.percent, f.acc, f.loss, f.speed, f.eta].filter((x): x is string => !!x);
}
