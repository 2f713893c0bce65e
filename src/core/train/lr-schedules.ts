/**
 * `keras.optimizers.schedules` learning rates per optimizer step, as Keras computes them
 * (keras/src/optimizers/schedules/learning_rate_schedule.py documents each formula; this is our
 * own code). `step` is the optimizer's iteration count before the update: 0 for the first batch.
 * Keras keeps the rate in float32; values here are rounded to float32 the same way.
 */
import type { LrSchedule } from '../model/ir';

export const SCHEDULE_TYPES = ['ExponentialDecay', 'InverseTimeDecay', 'PiecewiseConstantDecay', 'CosineDecay', 'PolynomialDecay'] as const;

/** The learning rate a schedule gives at optimizer step `step` (0-based). */
export function scheduleAt(s: LrSchedule, step: number): number {
  const f = Math.fround;
  switch (s.type) {
    case 'ExponentialDecay': {
      let p = step / s.decaySteps;
      if (s.staircase) p = Math.floor(p);
      return f(s.initialLearningRate * Math.pow(s.decayRate, p));
    }
    case 'InverseTimeDecay': {
      let p = step / s.decaySteps;
      if (s.staircase) p = Math.floor(p);
      return f(s.initialLearningRate / (1 + s.decayRate * p));
    }
    case 'PiecewiseConstantDecay': {
      // values[0] while step <= boundaries[0]; values[i] while boundaries[i-1] < step <= boundaries[i]; values[-1] after.
      for (let i = 0; i < s.boundaries.length; i++) if (step <= s.boundaries[i]!) return f(s.values[i]!);
      return f(s.values[s.values.length - 1]!);
    }
    case 'CosineDecay': {
      const decay = (t: number, from: number) => {
        const cosine = 0.5 * (1 + Math.cos((Math.PI * t) / s.decaySteps));
        return from * ((1 - s.alpha) * cosine + s.alpha);
      };
      if (s.warmupTarget === null) return f(decay(Math.min(step, s.decaySteps), s.initialLearningRate));
      const t = Math.min(step, s.decaySteps + s.warmupSteps);
      if (t < s.warmupSteps) return f((s.warmupTarget - s.initialLearningRate) * (t / s.warmupSteps) + s.initialLearningRate);
      return f(decay(t - s.warmupSteps, s.warmupTarget));
    }
    case 'PolynomialDecay': {
      let t = step;
      let steps = s.decaySteps;
      if (s.cycle) steps = s.decaySteps * (t === 0 ? 1 : Math.ceil(t / s.decaySteps));
      else t = Math.min(t, s.decaySteps);
      return f((s.initialLearningRate - s.endLearningRate) * Math.pow(1 - t / steps, s.power) + s.endLearningRate);
    }
  }
}

/** `ExponentialDecay(0.1, 1000, 0.96)` — the schedule as written, for the run's settings. */
export function describeSchedule(s: LrSchedule): string {
  const n = (v: number) => String(Number(v.toPrecision(6)));
  switch (s.type) {
    case 'ExponentialDecay':
    case 'InverseTimeDecay':
      return `${s.type}(${n(s.initialLearningRate)}, ${n(s.decaySteps)}, ${n(s.decayRate)}${s.staircase ? ', staircase' : ''})`;
    case 'PiecewiseConstantDecay':
      return `${s.type}([${s.boundaries.map(n).join(', ')}], [${s.values.map(n).join(', ')}])`;
    case 'CosineDecay':
      return `${s.type}(${n(s.initialLearningRate)}, ${n(s.decaySteps)}${s.alpha ? `, alpha ${n(s.alpha)}` : ''}${s.warmupTarget !== null ? `, warmup to ${n(s.warmupTarget)} over ${n(s.warmupSteps)}` : ''})`;
    case 'PolynomialDecay':
      return `${s.type}(${n(s.initialLearningRate)}, ${n(s.decaySteps)}, end ${n(s.endLearningRate)}${s.power !== 1 ? `, power ${n(s.power)}` : ''}${s.cycle ? ', cycle' : ''})`;
  }
}

/**
 * The schedule's arguments (positional and keyword, already plain values) → its spec with Keras's
 * defaults, or an error message saying what is missing or wrong (Keras raises on the same cases).
 */
export function scheduleFromArgs(type: string, pos: unknown[], kw: Record<string, unknown>): LrSchedule | string {
  const get = (i: number, name: string) => (name in kw ? kw[name] : pos[i]);
  const num = (i: number, name: string, def?: number): number | string => {
    const v = get(i, name);
    if (v === undefined && def !== undefined) return def;
    return typeof v === 'number' && Number.isFinite(v) ? v : `${type}: cannot work out '${name}' (write a number)`;
  };
  const bool = (i: number, name: string) => get(i, name) === true;
  const pick = <T extends Record<string, number | string | boolean | null | number[]>>(o: T): T | string => {
    for (const v of Object.values(o)) if (typeof v === 'string') return v;
    return o;
  };
  const positiveSteps = (o: { decaySteps: number } | string) => (typeof o !== 'string' && !(o.decaySteps > 0) ? `${type}: decay_steps must be > 0 (got ${o.decaySteps})` : o);
  switch (type) {
    case 'ExponentialDecay':
    case 'InverseTimeDecay': {
      const o = pick({ initialLearningRate: num(0, 'initial_learning_rate'), decaySteps: num(1, 'decay_steps'), decayRate: num(2, 'decay_rate'), staircase: bool(3, 'staircase') });
      const r = positiveSteps(o as { decaySteps: number } | string);
      return typeof r === 'string' ? r : ({ type, ...(o as object) } as LrSchedule);
    }
    case 'PiecewiseConstantDecay': {
      const b = get(0, 'boundaries');
      const v = get(1, 'values');
      const nums = (x: unknown) => Array.isArray(x) && x.every((e) => typeof e === 'number' && Number.isFinite(e));
      if (!nums(b) || !nums(v)) return `${type}: cannot work out boundaries and values (write two lists of numbers)`;
      const boundaries = b as number[];
      const values = v as number[];
      if (boundaries.length !== values.length - 1) return `${type}: boundaries has ${boundaries.length} entries and values ${values.length}; values needs one more than boundaries`;
      return { type, boundaries, values };
    }
    case 'CosineDecay': {
      const wt = get(4, 'warmup_target');
      if (wt !== undefined && wt !== null && typeof wt !== 'number') return `${type}: cannot work out 'warmup_target' (write a number or None)`;
      const o = pick({ initialLearningRate: num(0, 'initial_learning_rate'), decaySteps: num(1, 'decay_steps'), alpha: num(2, 'alpha', 0), warmupSteps: num(5, 'warmup_steps', 0) });
      const r = positiveSteps(o as { decaySteps: number } | string);
      return typeof r === 'string' ? r : ({ type, ...(o as object), warmupTarget: (wt as number | undefined) ?? null } as LrSchedule);
    }
    case 'PolynomialDecay': {
      const o = pick({ initialLearningRate: num(0, 'initial_learning_rate'), decaySteps: num(1, 'decay_steps'), endLearningRate: num(2, 'end_learning_rate', 0.0001), power: num(3, 'power', 1), cycle: bool(4, 'cycle') });
      const r = positiveSteps(o as { decaySteps: number } | string);
      return typeof r === 'string' ? r : ({ type, ...(o as object) } as LrSchedule);
    }
    default:
      return `learning-rate schedule '${type}' is not one Model Lens computes (${SCHEDULE_TYPES.join(', ')}); use one of those or a constant learning rate`;
  }
}
