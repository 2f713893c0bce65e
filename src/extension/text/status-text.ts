/**
 * Status bar text for a running job (pure; no `vscode` import). The figures come from the one
 * progress formatter the lens, panel and notification share (src/core/run/progress.ts).
 */
import { formatEta, statusProgressText, type ProgressSnapshot } from '../../core/run/progress';
import { escapeIcons } from './markdown';

export { formatEta };

/** `$(sync~spin) Basic_CNN 42% · 1:10 left` (a `$(` in the model's name shows as written, not as an icon). */
export function statusText(modelName: string, progress: ProgressSnapshot | undefined, stopping = false): string {
  return `$(sync~spin) ${escapeIcons(statusProgressText(modelName, progress, stopping))}`;
}

/** Several runs at once: the first one's text plus `(+N)`. */
export function statusTextMany(texts: string[]): string {
  if (texts.length <= 1) return texts[0] ?? '';
  return `${texts[0]} (+${texts.length - 1})`;
}
