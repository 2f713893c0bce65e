/**
 * A run as a row of the runs table (CLI `model-lens runs`, the panel's Runs tab): its settings
 * (hyperparameters as the run used them, with the file's values where the run did not override)
 * and its results, with one formatting for every place that shows them.
 */
import type { RunRecord } from './record';
import { describeCallback } from './callbacks';
import { describeSchedule } from '../train/lr-schedules';

export type Cell = string | number | boolean | undefined;

export const SETTING_COLUMNS = [
  { key: 'epochs', label: 'epochs' },
  { key: 'batchSize', label: 'batch' },
  { key: 'optimizer', label: 'optimizer' },
  { key: 'learningRate', label: 'lr' },
  { key: 'dataset', label: 'dataset' },
  { key: 'limit', label: 'limit' },
  { key: 'testLimit', label: 'test limit' },
  { key: 'validationSplit', label: 'val split' },
  { key: 'classWeight', label: 'class weight' },
  { key: 'shuffle', label: 'shuffle' },
  { key: 'seed', label: 'seed' },
  { key: 'callbacks', label: 'callbacks' },
  { key: 'backend', label: 'backend' },
] as const;
export type SettingKey = (typeof SETTING_COLUMNS)[number]['key'];

export const RESULT_COLUMNS = [
  { key: 'testAcc', label: 'test acc', better: 'higher' },
  { key: 'testLoss', label: 'test loss', better: 'lower' },
  { key: 'bestValAcc', label: 'best val acc', better: 'higher' },
  { key: 'samplesPerSec', label: 'samples/s', better: 'higher' },
  { key: 'durationSec', label: 'duration s', better: 'lower' },
] as const;
export type ResultKey = (typeof RESULT_COLUMNS)[number]['key'];

/** The dataset as shown: a path by its last two parts. */
function datasetLabel(d: string): string {
  if (!/[\\/]/.test(d)) return d;
  return d.split(/[\\/]/).filter(Boolean).slice(-2).join('/');
}

export function settingsOf(r: RunRecord): Record<SettingKey, Cell> {
  const t = r.model?.training;
  return {
    epochs: r.settings.epochs,
    batchSize: r.settings.batchSize,
    optimizer: t?.optimizer?.name,
    learningRate: r.settings.lrSchedule ? describeSchedule(r.settings.lrSchedule) : (r.settings.learningRate ?? t?.optimizer?.learningRate),
    dataset: datasetLabel(r.settings.dataset),
    limit: r.settings.limit,
    testLimit: r.settings.testLimit,
    validationSplit: r.settings.validationData === 'test' ? 'test split' : r.settings.validationSplit,
    classWeight: r.settings.classWeight ? Object.entries(r.settings.classWeight).map(([k, w]) => `${k}:${w}`).join(' ') : undefined,
    shuffle: r.settings.shuffle,
    seed: r.settings.seed,
    callbacks: r.settings.callbacks?.length ? r.settings.callbacks.map(describeCallback).join(', ') : undefined,
    backend: r.backend,
  };
}

/** Every setting the run has, as one line: `epochs 3 · batch 32 · optimizer SGD · lr 0.05 · val split test split · …`. */
export function settingsSummary(r: RunRecord): string {
  const s = settingsOf(r);
  return SETTING_COLUMNS.filter((c) => s[c.key] !== undefined).map((c) => `${c.label} ${formatSetting(s[c.key])}`).join(' · ');
}

export function resultsOf(r: RunRecord): Record<ResultKey, number | undefined> {
  const vals = r.epochs.map((e) => e.valAcc).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return {
    testAcc: r.test?.acc,
    testLoss: r.test?.loss,
    bestValAcc: vals.length ? Math.max(...vals) : undefined,
    samplesPerSec: r.trainSamplesPerSec,
    durationSec: r.durationMs !== undefined ? r.durationMs / 1000 : undefined,
  };
}

export function formatSetting(v: Cell): string {
  if (v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return String(v);
}

export function formatResult(key: ResultKey, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (key === 'samplesPerSec') return String(Math.round(v));
  if (key === 'durationSec') return v < 10 ? v.toFixed(1) : String(Math.round(v));
  return v.toFixed(4);
}

/** The settings whose shown value is not the same in every run. */
export function differingSettings(runs: readonly RunRecord[]): SettingKey[] {
  const rows = runs.map(settingsOf);
  return SETTING_COLUMNS.map((c) => c.key).filter((k) => new Set(rows.map((r) => formatSetting(r[k]))).size > 1);
}

/** The best finished run: highest test accuracy, else best validation accuracy, else lowest test loss. */
export function bestRun(runs: readonly RunRecord[]): RunRecord | undefined {
  const score = (r: RunRecord): number => {
    const res = resultsOf(r);
    if (res.testAcc !== undefined && Number.isFinite(res.testAcc)) return res.testAcc;
    if (res.bestValAcc !== undefined) return res.bestValAcc;
    if (res.testLoss !== undefined && Number.isFinite(res.testLoss)) return -res.testLoss;
    return -Infinity;
  };
  let best: RunRecord | undefined;
  for (const r of runs) if (r.status === 'completed' && score(r) > -Infinity && (!best || score(r) > score(best))) best = r;
  return best;
}

/** What must match for two runs to repeat exactly: model file, settings incl. the seed, backend, threads. */
function reproKey(r: RunRecord): string | undefined {
  if (r.status !== 'completed' || r.settings.seed === undefined) return undefined;
  return JSON.stringify([r.modelHash, r.modelName, r.settings, r.backend, r.threads ?? null]);
}

export interface ReproMismatch {
  a: RunRecord;
  b: RunRecord;
  /** e.g. "test acc 0.9120 vs 0.9180". */
  detail: string;
}

/**
 * Seeded runs that should have given the same result (same model file, settings, seed, backend
 * and thread count) but did not: each later run against the first run of its group.
 */
export function reproducibilityMismatches(runs: readonly RunRecord[]): ReproMismatch[] {
  const first = new Map<string, RunRecord>();
  const out: ReproMismatch[] = [];
  for (const r of runs) {
    const k = reproKey(r);
    if (!k) continue;
    const a = first.get(k);
    if (!a) {
      first.set(k, r);
      continue;
    }
    const ra = resultsOf(a);
    const rb = resultsOf(r);
    const diffs = (['testAcc', 'testLoss', 'bestValAcc'] as const).filter((key) => formatResult(key, ra[key]) !== formatResult(key, rb[key]) || ra[key] !== rb[key]);
    if (diffs.length) out.push({ a, b: r, detail: diffs.map((key) => `${RESULT_COLUMNS.find((c) => c.key === key)!.label} ${formatResult(key, ra[key])} vs ${formatResult(key, rb[key])}`).join(', ') });
  }
  return out;
}
