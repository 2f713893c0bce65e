/**
 * Whether a model's figures are Keras's: not when a statement that changes it could not be read
 * (its gaps) or when it has an error (a layer Model Lens could not build). Every place that shows a
 * count (CLI, code lens, panel header) says so the same way.
 */
import type { Diagnostic, ModelIR } from './ir';

/**
 * The errors that make the counts not Keras's: not a gap (said as such) and not a problem with how
 * compile/fit are written (`fit(nb_epoch=…)`, a validation_data Model Lens cannot use), which stops
 * training but leaves every layer and count as Keras's.
 */
export function countingErrors(m: ModelIR): Diagnostic[] {
  return (m.diagnostics ?? []).filter((d) => d.severity === 'error' && d.code !== 'incomplete' && d.code !== 'training-config');
}

export function hasErrors(m: ModelIR): boolean {
  return countingErrors(m).length > 0;
}

export function isComplete(m: ModelIR): boolean {
  return !m.gaps?.length && !hasErrors(m);
}

/** Said right after a count that is not Keras's: ' (incomplete)', ' (has errors)', or ''. */
export function countCaveat(m: ModelIR): string {
  return m.gaps?.length ? ' (incomplete)' : hasErrors(m) ? ' (has errors)' : '';
}
