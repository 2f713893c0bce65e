/**
 * The table Keras's `model.summary()` prints: layer (type), output shape, parameters,
 * connected to; then the totals with their sizes in bytes (weight-bytes.ts). Pure text, shared by the CLI
 * (`model-lens summary`) and the editor (the hover on the model's summary lens).
 */
import { countingErrors } from './completeness';
import { weightBytes } from './weight-bytes';
import { allInputs, type LayerNode, type ModelIR, type Shape } from './ir';

const shapeText = (s: Shape | null) => (s ? `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})` : '?');
/** A layer's output shape, or Keras's list of them for a call that returns several tensors. */
const outputText = (l: LayerNode) => (l.outputShapes ? `[${l.outputShapes.map(shapeText).join(', ')}]` : shapeText(l.outputShape));

/**
 * What a layer is connected to: the names of its inputs (of each of its calls); a row taking one of
 * a call's several outputs (an LSTM's states) names each input as Keras does, `lstm[0][1]` (node, tensor).
 */
function connections(l: LayerNode): string[] {
  const calls = [l, ...(l.calls ?? [])];
  if (!calls.some((c) => c.inputTensors)) return allInputs(l);
  return calls.flatMap((c) => c.inputs.map((name, k) => `${name}[${c.inputNodes?.[k] ?? 0}][${c.inputTensors?.[k] ?? 0}]`));
}

export const thousands = (n: number) => n.toLocaleString('en-US');

/** A size in bytes as Keras 3 prints it: `6.39 MB` (the bytes from weight-bytes.ts). */
function bytes(b: number): string {
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toFixed(2)} GB`;
  if (b >= 1024 ** 2) return `${(b / 1024 ** 2).toFixed(2)} MB`;
  if (b >= 1024) return `${(b / 1024).toFixed(2)} KB`;
  return `${b.toFixed(2)} B`;
}

/**
 * `expandNested`: as Keras's `summary(expand_nested=True)`, the layers of a model used as a layer
 * are listed under its row, indented (their own input layer left out); the totals stay the outer model's.
 */
export function summaryTable(m: ModelIR, file: string, options: { expandNested?: boolean } = {}): string {
  const head = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  // A shared layer is connected to the inputs of each of its calls.
  const rows: string[][] = [];
  const add = (layers: ModelIR['layers'], depth: number) => {
    for (const l of layers) {
      if (depth > 0 && l.type === 'InputLayer') continue;
      rows.push([`${depth ? `${'  '.repeat(depth - 1)}└ ` : ''}${l.name} (${l.subclass ?? l.type})`, outputText(l), thousands(l.params), connections(l).join(', ') || '-']);
      if (options.expandNested && l.nested?.graph && depth < 8) add(l.nested.graph.layers, depth + 1);
    }
  };
  add(m.layers, 0);
  // A loop, not Math.max(...rows): a model with very many layers must not overflow the stack.
  const widths = head.map((h) => h.length);
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i]!, c.length)));
  const line = (cells: string[]) => ' ' + cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ').trimEnd();
  const total = widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1) + 1;
  const size = weightBytes(m);
  return [
    `Model: "${m.name}"  (${file}:${m.range.line})`,
    '─'.repeat(total),
    line(head),
    '═'.repeat(total),
    ...rows.map(line),
    '═'.repeat(total),
    `Total params: ${thousands(m.totalParams)} (${bytes(size.total)})`,
    `Trainable params: ${thousands(m.trainableParams)} (${bytes(size.trainable)})`,
    `Non-trainable params: ${thousands(m.nonTrainableParams)} (${bytes(size.nonTrainable)})`,
    ...(m.gaps?.length
      ? [`INCOMPLETE: ${m.gaps.length === 1 ? 'a statement that changes' : `${m.gaps.length} statements that change`} this model could not be read (line ${m.gaps.map((g) => g.range.line).join(', ')}); the totals above are not Keras's`]
      : []),
    ...((): string[] => {
      const lines = [...new Set(countingErrors(m).map((d) => d.range.line))];
      return lines.length ? [`ERRORS: this model has ${lines.length === 1 ? 'an error' : 'errors'} (line ${lines.join(', ')}); the totals above are not Keras's`] : [];
    })(),
  ].join('\n');
}
