/**
 * Where training takes its loss and optimizer from when the Python file has no compile(): the
 * file's custom training loop (a loss object applied to the model's predictions, an optimizer's
 * apply_gradients/minimize), or else Model Lens's defaults — said before a run starts, with what
 * to add to choose them. Undefined when compile() decides them.
 */
import type { TrainingConfig } from '../model/ir';

/** Model Lens's optimizer and rate when neither compile() nor a custom loop names one (worker makeOptimizer). */
const DEFAULT_OPTIMIZER = { name: 'Adam', learningRate: 0.001 };

export function withoutCompile(t: TrainingConfig): string | undefined {
  if (t.compileLine !== undefined) return undefined;
  const o = t.optimizer ?? DEFAULT_OPTIMIZER;
  const opt = `${o.name} (learning rate ${Number((o.learningRate ?? DEFAULT_OPTIMIZER.learningRate).toPrecision(6))})`;
  if (t.customLoopLine !== undefined) {
    return `from the custom training loop (line ${t.customLoopLine}): loss ${t.loss ?? 'sparse_categorical_crossentropy'}${t.fromLogits ? ' (from_logits)' : ''} · optimizer ${opt}${t.batchSize !== undefined ? ` · batch ${t.batchSize}` : ''}${t.epochs !== undefined ? ` · ${t.epochs} epoch(s)` : ''}; Model Lens trains with them as fit() does (its own loop, not the file's)`;
  }
  return `no compile() in the file: training with loss sparse_categorical_crossentropy and optimizer ${opt}, Model Lens's defaults; add model.compile(optimizer=…, loss=…) to choose them`;
}
