/** Prediction results as one line (pure; no `vscode` import). */
import type { Prediction } from '../../core/protocol/worker';

/** `7 (99.9%) · 2 (0.1%) · 3 (0.0%)`, plus the true label when known. */
export function predictionText(p: Prediction, classNames?: string[]): string {
  const name = (label: number) => classNames?.[label] ?? String(label);
  const top = p.top.slice(0, 3).map((c) => `${name(c.label)} (${(c.prob * 100).toFixed(1)}%)`).join(' · ');
  return p.trueLabel !== undefined ? `${top} — true label ${name(p.trueLabel)}` : top;
}
