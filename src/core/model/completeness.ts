/**
 * Whether a model's figures are Keras's: not when a statement that changes it could not be read
 * (its gaps) or when it has an error (a layer Model Lens could not build). Every place that shows a
 * count (CLI, code lens, panel header) says so the same way.
 */
import type { ModelIR } from './ir';

export function hasErrors(m: ModelIR): boolean {
  return (m.diagnostics ?? []).some((d) => d.severity === 'error' && d.code !== 'incomplete');
}

export function isComplete(m: ModelIR): boolean {
  return !m.gaps?.length && !hasErrors(m);
}

/** Said right after a count that is not Keras's: ' (incomplete)', ' (has errors)', or ''. */
export function countCaveat(m: ModelIR): string {
  return m.gaps?.length ? ' (incomplete)' : hasErrors(m) ? ' (has errors)' : '';
}
