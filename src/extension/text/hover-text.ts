/**
 * Hover on a layer: its arguments with Keras defaults filled in, output shape, parameters and
 * the formula behind the count (Markdown; pure, no `vscode` import). Names and values come from
 * the workspace: they are escaped (`./markdown`).
 */
import { formatOutputs, type ConfigValue, type LayerNode, type ModelIR } from '../../core/model/ir';
import { summaryTable } from '../../core/model/summary-table';
import { summaryCallNotes } from '../../core/model/summary-calls';
import { codeBlock, codeSpan, escapeMarkdown } from './markdown';

/** What the reader's `describeLayer` adds (all optional so the hover works without it). */
export interface DescribedArg {
  name: string;
  /** Written as Python: `(3, 3)`, `'same'`, `None`. */
  value: string;
  /** True when the code did not write it (Keras's default). */
  isDefault?: boolean;
}

export interface LayerDescription {
  /** Arguments with defaults filled. */
  args?: DescribedArg[];
  /** e.g. `(3·3·1 + 1) · 32 = 320`. */
  formula?: string;
  /** One or two sentences about the layer. */
  doc?: string;
}

export function formatValue(v: ConfigValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `(${v.map(formatValue).join(', ')}${v.length === 1 ? ',' : ''})`;
  return `{${Object.entries(v)
    .map(([k, x]) => `'${k}': ${formatValue(x)}`)
    .join(', ')}}`;
}

const HIDDEN = new Set(['name', 'trainable', 'dtype', 'batch_input_shape']);

export function layerHoverMarkdown(layer: LayerNode, d: LayerDescription = {}): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(layer.subclass ? `${layer.subclass} (a ${layer.type})` : layer.type)}** ${codeSpan(layer.name)} → ${codeSpan(formatOutputs(layer))} · ${layer.params.toLocaleString('en-US')} params`);
  if (layer.nonTrainableParams > 0) lines[0] += ` (${layer.nonTrainableParams.toLocaleString('en-US')} non-trainable)`;
  if (d.doc) lines.push('', escapeMarkdown(d.doc));
  if (d.formula) lines.push('', `Parameters: ${codeSpan(d.formula)}`);
  const args: DescribedArg[] = d.args ?? Object.entries(layer.config).map(([name, value]) => ({ name, value: formatValue(value) }));
  const shown = args.filter((a) => !HIDDEN.has(a.name));
  if (shown.length) {
    const code = [`${layer.type}(`, ...shown.map((a) => `    ${a.name}=${a.value},${a.isDefault ? '  # default' : ''}`), ')'];
    lines.push('', ...codeBlock('python', code));
  }
  if (layer.inputs.length) lines.push('', `Input${layer.inputs.length > 1 ? 's' : ''}: ${layer.inputs.map((i) => codeSpan(i)).join(', ')}`);
  return lines.join('\n');
}

/** Hover on the model's build line (where its lenses stand): the table `model.summary()` prints. */
export function modelSummaryMarkdown(model: ModelIR, file: string): string {
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  // Layer names come from the workspace: the fence is sized to the text (codeBlock).
  const lines = [...codeBlock('text', summaryTable(model, file).split('\n'))];
  // The file's summary() calls that print other figures (the model changes after them).
  for (const note of summaryCallNotes(model)) lines.push('', escapeMarkdown(note));
  if (errors.length) lines.push('', `⚠ ${errors.length} problem${errors.length > 1 ? 's' : ''}: the figures above stop where the model cannot be read (${escapeMarkdown(errors[0]!.message)}).`);
  return lines.join('\n');
}
