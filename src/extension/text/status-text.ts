/**
 * Status bar text for a running job (pure; no `vscode` import).
 */

/** 70 → `1:10`, 3725 → `1:02:05`. */
export function formatEta(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

/** `$(sync~spin) Basic_CNN 42% · 1:10 left`. */
export function statusText(modelName: string, progress: number | undefined, etaSec?: number, stopping = false): string {
  const parts = [`$(sync~spin) ${modelName}`];
  if (progress !== undefined && Number.isFinite(progress)) parts[0] += ` ${Math.floor(Math.min(1, Math.max(0, progress)) * 100)}%`;
  if (stopping) parts.push('stopping…');
  else if (etaSec !== undefined && Number.isFinite(etaSec) && etaSec > 0) parts.push(`${formatEta(etaSec)} left`);
  else if (progress === undefined) parts.push('starting…');
  return parts.join(' · ');
}

/** Several runs at once: the first one's text plus `(+N)`. */
export function statusTextMany(texts: string[]): string {
  if (texts.length <= 1) return texts[0] ?? '';
  return `${texts[0]} (+${texts.length - 1})`;
}
