/**
 * Inline hints at the end of layer lines: `→ 28×28×32 · 320` (pure; no `vscode` import).
 */
import { formatCount, formatOutputs, type LayerNode, type ModelIR, type SummarySnapshot } from '../../core/model/ir';
import { thousands } from '../../core/model/summary-table';
import { isComplete } from '../../core/model/completeness';

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
  /** Said when the pointer rests on the hint (default: what a layer hint shows). */
  tooltip?: string;
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

/** `Total 81 · trainable 5`: what a summary() call prints there; `not built here` before the model has an input. */
export function summaryHintText(s: SummarySnapshot): string | undefined {
  if (!s.built) return 'not built here';
  if (s.totalParams === undefined) return undefined;
  return `Total ${thousands(s.totalParams)} · trainable ${thousands(s.trainableParams!)}`;
}

/** At most this many different printouts of one summary() line (a call in a loop) are shown in its hint. */
const MAX_PER_LINE = 3;

/**
 * One hint at the end of each `summary()` call of the file: the totals Keras prints there, from the
 * model as it is at that line (what a user compares with the printout). A call run several times
 * (in a loop, in a function called twice) shows each different printout in order, ` | ` between.
 */
export function summaryHintPlacements(models: ModelIR[], lineText: (line: number) => string | undefined): HintPlacement[] {
  const byLine = new Map<number, { texts: string[]; models: string[] }>();
  for (const m of models) {
    for (const s of m.summaries ?? []) {
      // A complete model whose call is not worked out (a model used in it changes later): said, not left blank.
      const text = summaryHintText(s) ?? (isComplete(m) ? 'not worked out here' : undefined);
      if (!text) continue;
      const at = byLine.get(s.range.endLine) ?? { texts: [], models: [] };
      if (!at.texts.includes(text)) at.texts.push(text);
      if (!at.models.includes(m.name)) at.models.push(m.name);
      byLine.set(s.range.endLine, at);
    }
  }
  const out: HintPlacement[] = [];
  for (const [endLine, at] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const line = endLine - 1;
    const text = lineText(line);
    if (text === undefined) continue;
    const shown = at.texts.length > MAX_PER_LINE ? [...at.texts.slice(0, MAX_PER_LINE), '…'] : at.texts;
    out.push({
      line,
      character: codeEnd(text),
      text: shown.join(' | '),
      layer: at.models.join(', '),
      tooltip: `What summary() prints here for model ${at.models.map((n) => `'${n}'`).join(', ')}: the model as it is at this line (Model Lens)`,
    });
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
