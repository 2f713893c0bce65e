/**
 * The Keras callbacks Model Lens honours at each epoch end, as Keras defines them:
 * EarlyStopping (stop when `monitor` has not improved by more than `min_delta` for `patience`
 * epochs) and ModelCheckpoint(save_best_only=True) (keep the weights of the best epoch only).
 * Others (and `restore_best_weights`) are reported as not honoured, never silently ignored.
 * Pure: the worker feeds it each epoch's metrics and acts on the answer.
 */
import type { CallbackSpec, MonitorMode } from '../model/ir';
import type { EpochMetrics } from './record';

/** Keras metric names → our epoch fields. */
const FIELDS: Record<string, keyof EpochMetrics> = { loss: 'loss', val_loss: 'valLoss', accuracy: 'acc', acc: 'acc', val_accuracy: 'valAcc', val_acc: 'valAcc' };

function better(mode: MonitorMode, monitor: string): 'min' | 'max' {
  return mode === 'auto' ? (/acc/.test(monitor) ? 'max' : 'min') : mode;
}

export interface EpochDecision {
  /** Stop training after this epoch (EarlyStopping). */
  stop: boolean;
  /** Save this epoch's weights (false only under save_best_only when it did not improve). */
  save: boolean;
  /** What to tell the user (stopping, a missing metric, a callback not honoured). */
  messages: string[];
}

interface Tracker {
  spec: Extract<CallbackSpec, { type: 'EarlyStopping' | 'ModelCheckpoint' }>;
  best: number;
  wait: number;
  warnedMissing: boolean;
}

export function describeCallback(c: CallbackSpec): string {
  if (c.type === 'EarlyStopping') return `EarlyStopping(${c.monitor}, patience ${c.patience}${c.minDelta ? `, min_delta ${c.minDelta}` : ''})`;
  if (c.type === 'ModelCheckpoint') return `ModelCheckpoint(${c.monitor}${c.saveBestOnly ? ', best only' : ''})`;
  return `${c.name} (not honoured)`;
}

export class EpochCallbacks {
  private readonly trackers: Tracker[];
  /** Said once, at the start: callbacks or options that are not honoured. */
  readonly notHonoured: string[] = [];

  constructor(specs: readonly CallbackSpec[] = []) {
    this.trackers = [];
    for (const s of specs) {
      if (s.type === 'unsupported') this.notHonoured.push(`${s.name}${s.line ? ` (line ${s.line})` : ''} is not run by Model Lens; training goes on without it`);
      else {
        if (s.type === 'EarlyStopping' && s.restoreBestWeights) this.notHonoured.push('EarlyStopping(restore_best_weights=True): the weights kept are those of the last epoch, not the best one (add ModelCheckpoint(save_best_only=True) to keep the best)');
        this.trackers.push({ spec: s, best: better(s.mode, s.monitor) === 'min' ? Infinity : -Infinity, wait: 0, warnedMissing: false });
      }
    }
  }

  onEpochEnd(m: EpochMetrics): EpochDecision {
    const d: EpochDecision = { stop: false, save: true, messages: [] };
    for (const t of this.trackers) {
      const field = FIELDS[t.spec.monitor];
      const value = field ? (m[field] as number | undefined) : undefined;
      if (value === undefined || !Number.isFinite(value)) {
        if (!t.warnedMissing) d.messages.push(`${t.spec.type} watches '${t.spec.monitor}', which this run does not have${/^val_/.test(t.spec.monitor) ? ' (no validation: set validation_split)' : ''}; it does nothing`);
        t.warnedMissing = true;
        continue;
      }
      const dir = better(t.spec.mode, t.spec.monitor);
      const delta = t.spec.type === 'EarlyStopping' ? t.spec.minDelta : 0;
      const improved = dir === 'min' ? value < t.best - delta : value > t.best + delta;
      if (t.spec.type === 'ModelCheckpoint') {
        if (improved) t.best = value;
        else if (t.spec.saveBestOnly) d.save = false;
        continue;
      }
      if (improved) {
        t.best = value;
        t.wait = 0;
      } else if (++t.wait >= t.spec.patience) {
        d.stop = true;
        d.messages.push(`EarlyStopping: ${t.spec.monitor} has not improved for ${t.wait} epoch(s) (best ${t.best.toFixed(4)}): stopping after epoch ${m.epoch}`);
      }
    }
    // Weights are kept only when some checkpoint asked for best-only and this epoch was not the best;
    // a second checkpoint that saves every epoch wins.
    if (!d.save && this.trackers.some((t) => t.spec.type === 'ModelCheckpoint' && !t.spec.saveBestOnly)) d.save = true;
    return d;
  }
}
