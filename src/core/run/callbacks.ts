/**
 * The Keras callbacks Model Lens honours, as Keras defines them (keras/src/callbacks/*.py):
 * EarlyStopping (stop when `monitor` has not improved by more than `min_delta` for `patience`
 * epochs), ModelCheckpoint(save_best_only=True) (keep the weights of the best epoch only),
 * ReduceLROnPlateau (multiply the learning rate by `factor` after `patience` epochs without an
 * improvement larger than `min_delta`, then wait `cooldown` epochs; never below `min_lr`) and
 * LearningRateScheduler (the rate each epoch from the file's schedule(epoch, lr), worked out by the
 * reader). Others (and `restore_best_weights`) are reported as not honoured, never silently
 * ignored. Pure: the worker feeds it each epoch's metrics and acts on the answer.
 */
import type { CallbackSpec, MonitorMode } from '../model/ir';
import type { EpochMetrics } from './record';

/** Keras metric names → our epoch fields. */
const FIELDS: Record<string, keyof EpochMetrics> = { loss: 'loss', val_loss: 'valLoss', accuracy: 'acc', acc: 'acc', val_accuracy: 'valAcc', val_acc: 'valAcc' };

/** Keras's rule for `mode='auto'`: a name containing "acc" is maximised, anything else minimised. */
function better(mode: MonitorMode, monitor: string): 'min' | 'max' {
  return mode === 'auto' ? (/acc/.test(monitor) ? 'max' : 'min') : mode;
}

export interface EpochDecision {
  /** Stop training after this epoch (EarlyStopping). */
  stop: boolean;
  /** Save this epoch's weights (false only under save_best_only when it did not improve). */
  save: boolean;
  /** ReduceLROnPlateau lowered the learning rate: the rate from the next epoch on. */
  learningRate?: number;
  /** What to tell the user (stopping, a lowered rate, a missing metric, a callback not honoured). */
  messages: string[];
}

type Monitored = Extract<CallbackSpec, { type: 'EarlyStopping' | 'ModelCheckpoint' | 'ReduceLROnPlateau' }>;

interface Tracker {
  spec: Monitored;
  best: number;
  wait: number;
  cooldown: number;
  warnedMissing: boolean;
}

const num = (v: number) => String(Number(v.toPrecision(6)));

export function describeCallback(c: CallbackSpec): string {
  switch (c.type) {
    case 'EarlyStopping':
      return `EarlyStopping(${c.monitor}, patience ${c.patience}${c.minDelta ? `, min_delta ${c.minDelta}` : ''})`;
    case 'ModelCheckpoint':
      return `ModelCheckpoint(${c.monitor}${c.saveBestOnly ? ', best only' : ''})`;
    case 'ReduceLROnPlateau':
      return `ReduceLROnPlateau(${c.monitor}, factor ${num(c.factor)}, patience ${c.patience}${c.cooldown ? `, cooldown ${c.cooldown}` : ''}${c.minLr ? `, min_lr ${num(c.minLr)}` : ''})`;
    case 'LearningRateScheduler':
      return `LearningRateScheduler(${c.schedule}: ${c.epochLr.slice(0, 3).map(num).join(', ')}${c.epochLr.length > 3 ? ', …' : ''})`;
    case 'invalid':
      return `${c.name} (error: ${c.message})`;
    default:
      return `${c.name} (not honoured)`;
  }
}

/** The callbacks that cannot be run as written: training must not start (each message names its line). */
export function callbackErrors(specs: readonly CallbackSpec[] = []): string[] {
  return specs.filter((s): s is Extract<CallbackSpec, { type: 'invalid' }> => s.type === 'invalid').map((s) => `${s.line ? `line ${s.line}: ` : ''}${s.message}`);
}

export class EpochCallbacks {
  private readonly trackers: Tracker[];
  private readonly scheduler: Extract<CallbackSpec, { type: 'LearningRateScheduler' }> | undefined;
  /** Said once, at the start: callbacks or options that are not honoured. */
  readonly notHonoured: string[] = [];

  constructor(specs: readonly CallbackSpec[] = []) {
    this.trackers = [];
    const errors = callbackErrors(specs);
    if (errors.length) throw Object.assign(new Error(`fit(callbacks=…) cannot be run as written: ${errors.join('; ')}`), { code: 'config' });
    for (const s of specs) {
      if (s.type === 'unsupported') this.notHonoured.push(`${s.name}${s.line ? ` (line ${s.line})` : ''} is not run by Model Lens; training goes on without it`);
      else if (s.type === 'LearningRateScheduler') this.scheduler = s;
      else if (s.type !== 'invalid') {
        if (s.type === 'EarlyStopping' && s.restoreBestWeights) this.notHonoured.push('EarlyStopping(restore_best_weights=True): the weights kept are those of the last epoch, not the best one (add ModelCheckpoint(save_best_only=True) to keep the best)');
        this.trackers.push({ spec: s, best: better(s.mode, s.monitor) === 'min' ? Infinity : -Infinity, wait: 0, cooldown: 0, warnedMissing: false });
      }
    }
  }

  /** LearningRateScheduler: the rate for this epoch (0-based, as Keras passes it), or undefined without one. */
  learningRateAtEpochBegin(epoch: number): number | undefined {
    if (!this.scheduler) return undefined;
    const lr = this.scheduler.epochLr[epoch];
    if (lr === undefined) throw Object.assign(new Error(`LearningRateScheduler${this.scheduler.line ? ` (line ${this.scheduler.line})` : ''} was worked out for ${this.scheduler.epochLr.length} epochs; train at most that many or set fit(epochs=…) higher`), { code: 'config' });
    return lr;
  }

  /** `lr`: the learning rate used in this epoch (ReduceLROnPlateau lowers it). */
  onEpochEnd(m: EpochMetrics, lr?: number): EpochDecision {
    const d: EpochDecision = { stop: false, save: true, messages: [] };
    let rate = lr;
    for (const t of this.trackers) {
      const field = FIELDS[t.spec.monitor];
      const value = field ? (m[field] as number | undefined) : undefined;
      if (value === undefined || !Number.isFinite(value)) {
        if (!t.warnedMissing) d.messages.push(`${t.spec.type} watches '${t.spec.monitor}', which this run does not have${/^val_/.test(t.spec.monitor) ? ' (no validation: set validation_split or validation_data)' : ''}; it does nothing`);
        t.warnedMissing = true;
        continue;
      }
      const dir = better(t.spec.mode, t.spec.monitor);
      const delta = t.spec.type === 'ModelCheckpoint' ? 0 : t.spec.minDelta;
      const improved = dir === 'min' ? value < t.best - delta : value > t.best + delta;
      if (t.spec.type === 'ModelCheckpoint') {
        if (improved) t.best = value;
        else if (t.spec.saveBestOnly) d.save = false;
        continue;
      }
      if (t.spec.type === 'ReduceLROnPlateau') {
        // Keras: a cooldown epoch counts down and resets the wait; an improvement resets it; else
        // (out of cooldown) the wait grows, and at `patience` the rate drops — if above min_lr.
        if (t.cooldown > 0) {
          t.cooldown--;
          t.wait = 0;
        }
        if (improved) {
          t.best = value;
          t.wait = 0;
        } else if (t.cooldown === 0 && ++t.wait >= t.spec.patience) {
          if (rate === undefined) continue;
          if (rate > Math.fround(t.spec.minLr)) {
            const next = Math.fround(Math.max(rate * t.spec.factor, t.spec.minLr)); // Keras keeps the rate in a float32 variable
            d.messages.push(`ReduceLROnPlateau: ${t.spec.monitor} has not improved for ${t.wait} epoch(s) (best ${t.best.toFixed(4)}): learning rate ${num(rate)} → ${num(next)} after epoch ${m.epoch}`);
            rate = next;
            d.learningRate = next;
            t.cooldown = t.spec.cooldown;
            t.wait = 0;
          }
        }
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
