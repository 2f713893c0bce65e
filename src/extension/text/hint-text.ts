/**
 * Inline hints at the end of layer lines: `→ 28×28×32 · 320` (pure; no `vscode` import).
 */
import { formatCount, formatOutputs, type LayerNode, type ModelIR } from '../../core/model/ir';

/** `→ 28×28×32 · 320`; layers without parameters show the shape only. */
export function layerHintText(layer: LayerNode): string {
  const shape = `→ ${formatOutputs(layer)}`;
  return layer.params > 0 ? `${shape} · ${formatCount(layer.params)}` : shape;
}

/** Where a hint goes: 0-based line and character, as the editor counts them. */
export interface HintPlacement {
  line: number;
  character: number;
  text: string;
  layer: string;
}

/**
 * One hint per layer that has a source range. When a line holds the end of exactly one layer
 * the hint goes at the end of that line's code (before a trailing comment); when several layers
 * end on one line (e.g. `Sequential([A(), B()])` on one line) each goes right after its call.
 * `lineText(i)` returns the 0-based line i of the document.
 */
export function hintPlacements(models: ModelIR[], lineText: (line: number) => string | undefined): HintPlacement[] {
  // A call of a layer class of the file is one row, and the layers its call() uses are the file's too:
  // they get their hints (its graph's Input stand-ins do not). An implicit mask is not written in the
  // file (it shares its Embedding's line): no hint of its own.
  const withBlocks = (ls: LayerNode[]): LayerNode[] =>
    ls.flatMap((l) => (l.nested?.block && l.nested.graph ? [l, ...withBlocks(l.nested.graph.layers.filter((x) => !l.nested!.graph!.inputs.includes(x.name)))] : [l]));
  const layers = withBlocks(models.flatMap((m) => m.layers)).filter((l) => l.range && l.range.endLine >= 1 && !l.implicitMask);
  const perLine = new Map<number, number>();
  for (const l of layers) perLine.set(l.range.endLine, (perLine.get(l.range.endLine) ?? 0) + 1);
  const out: HintPlacement[] = [];
  const seen = new Set<string>();
  for (const l of layers) {
    const key = `${l.range.line}:${l.range.column}:${l.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = l.range.endLine - 1;
    const text = lineText(line);
    if (text === undefined) continue;
    const character = perLine.get(l.range.endLine) === 1 ? codeEnd(text) : Math.min(text.length, Math.max(0, l.range.endColumn - 1));
    out.push({ line, character, text: layerHintText(l), layer: l.name });
  }
  return out;
}

/** Length of a Python line without its trailing comment and whitespace. */
export function codeEnd(text: string): number {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return text.slice(0, i).trimEnd().length;
  }
  return text.trimEnd().length;
}
