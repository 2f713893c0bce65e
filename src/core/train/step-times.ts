/** Shares of a training step's time by phase, as the CLI's `--profile` and the panel show them. */
import type { StepTimes } from '../protocol/worker';

export const PHASES = [
  ['dataMs', 'data'],
  ['forwardMs', 'forward'],
  ['backwardMs', 'backward'],
  ['updateMs', 'update'],
  ['otherMs', 'other'],
] as const;

export function emptyTimes(): StepTimes {
  return { dataMs: 0, forwardMs: 0, backwardMs: 0, updateMs: 0, otherMs: 0 };
}

/** `into` += `t` · `weight` (e.g. an event's per-step means times the steps it covers). */
export function addTimes(into: StepTimes, t: StepTimes, weight = 1): StepTimes {
  for (const [k] of PHASES) into[k] += t[k] * weight;
  return into;
}

export function totalMs(t: StepTimes): number {
  return PHASES.reduce((s, [k]) => s + t[k], 0);
}

/** ["data 2%", "forward 24%", "backward 61%", "update 6%", "other 7%"] (shares of the total; [] when nothing was timed). */
export function shareList(t: StepTimes): string[] {
  const total = totalMs(t);
  if (!(total > 0)) return [];
  return PHASES.map(([k, label]) => `${label} ${Math.round((100 * t[k]) / total)}%`);
}

/** "data 2% · forward 24% · backward 61% · update 6% · other 7%". */
export function formatShares(t: StepTimes): string {
  const list = shareList(t);
  return list.length ? list.join(' · ') : 'no steps timed';
}
