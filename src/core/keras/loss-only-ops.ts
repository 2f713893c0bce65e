/**
 * Tensor operations inside a layer class's call() that feed none of what it returns: keras.io's
 * captcha OCR `CTCLayer.call` computes a CTC loss with tf ops only for `self.add_loss(...)` and
 * returns its input. Model Lens cannot read those ops, but the layer's output (and so every row and
 * count) does not depend on them: their errors become warnings saying so. An op whose line is
 * part of the graph the call returns stays an error.
 */
import type { Diagnostic, SourceRange } from '../model/ir';
import type { GLayer } from './shape-inference';

/**
 * The problems said while one call of a layer class was read (`said`), settled now that its
 * outputs are known tensors: an 'unsupported-op' error away from every layer the call made on the
 * way to its outputs (those made after `mark`) becomes a warning.
 */
export function settleLossOnly(said: Diagnostic[], outputs: GLayer[], order: Map<GLayer, number>, mark: number, layerName: string): Diagnostic[] {
  const used: GLayer[] = [];
  const seen = new Set<GLayer>();
  const stack = [...outputs];
  while (stack.length) {
    const l = stack.pop()!;
    if (seen.has(l)) continue;
    seen.add(l);
    // Layers from before the call (its inputs, the model around it) are not the call's own work.
    if ((order.get(l) ?? 0) <= mark) continue;
    used.push(l);
    stack.push(...l.inputs);
  }
  return said.map((d) => {
    if (d.severity !== 'error' || d.code !== 'unsupported-op' || used.some((l) => overlaps(l.range, d.range))) return d;
    // The op as written ('tf.nn.ctc_loss(…)' …) and why it is not read, without advice to replace it by a layer.
    const op = /^('[^']*'):? /.exec(d.message)?.[1];
    const why = op ? `${op} is not read by Model Lens` : d.message;
    return {
      ...d,
      severity: 'warning',
      message: `${why}, but it feeds nothing that layer '${layerName}' returns (e.g. a loss given to self.add_loss), so the summary does not depend on it; Model Lens does not compute it, so its training leaves it out`,
    };
  });
}

const before = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line < b.line || (a.line === b.line && a.column <= b.column);

function overlaps(a: SourceRange, b: SourceRange): boolean {
  const aEnd = { line: a.endLine, column: a.endColumn };
  const bEnd = { line: b.endLine, column: b.endColumn };
  return before(a, bEnd) && before(b, aEnd);
}
