/**
 * Finding models and layers by position, and keys that name a model across edits
 * (pure; no `vscode` import). Lines are 1-based here, as in the IR.
 */
import type { LayerNode, ModelIR } from '../../core/model/ir';

/** Stable name of a model across edits: file + model name. */
export function modelKey(file: string, modelName: string): string {
  return `${file}#${modelName}`;
}

/** The model whose build line or one of whose layers is at `line`; else the only model. */
export function modelAtLine(models: ModelIR[], line: number): ModelIR | undefined {
  const inside = models.find(
    (m) =>
      (line >= m.range.line && line <= m.range.endLine) ||
      m.layers.some((l) => line >= l.range.line && line <= l.range.endLine),
  );
  return inside ?? (models.length === 1 ? models[0] : undefined);
}

/** The layer created on `line` (1-based), the innermost when calls nest. */
export function layerAtLine(model: ModelIR, line: number, column?: number): LayerNode | undefined {
  const hits = model.layers.filter((l) => line >= l.range.line && line <= l.range.endLine);
  if (hits.length <= 1 || column === undefined) return hits[0];
  const onCol = hits.filter(
    (l) => (line > l.range.line || column >= l.range.column) && (line < l.range.endLine || column <= l.range.endColumn),
  );
  return (onCol.length ? onCol : hits).sort((a, b) => span(a) - span(b))[0];
}

function span(l: LayerNode): number {
  return (l.range.endLine - l.range.line) * 10000 + (l.range.endColumn - l.range.column);
}
