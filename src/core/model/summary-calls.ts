/**
 * What the file's own `summary()` calls print, said where Model Lens shows a model's end state: a
 * call made before the model changed prints other figures there (see SummarySnapshot). Pure text,
 * shared by the CLI (`model-lens summary`, under the table) and the editor (a hint at the call).
 */
import { thousands } from './summary-table';
import type { ModelIR, SummarySnapshot } from './ir';
import { isComplete } from './completeness';

/** `Total params: 81, Trainable: 5, Non-trainable: 76` (undefined when the call has no figures). */
export function summaryCallFigures(s: SummarySnapshot): string | undefined {
  if (!s.built || s.totalParams === undefined) return undefined;
  return `Total params: ${thousands(s.totalParams)}, Trainable: ${thousands(s.trainableParams!)}, Non-trainable: ${thousands(s.nonTrainableParams!)}`;
}

const differs = (s: SummarySnapshot, m: ModelIR) =>
  s.totalParams !== m.totalParams || s.trainableParams !== m.trainableParams || s.nonTrainableParams !== m.nonTrainableParams || s.layers !== m.layers.length;

/**
 * One line for each summary() call that prints something else than the end state shown above it
 * (a call in a loop that prints the same thing each time: once). None when every call prints the
 * end state, so the table's output is then unchanged.
 */
export function summaryCallNotes(m: ModelIR): string[] {
  const out: string[] = [];
  for (const s of m.summaries ?? []) {
    let note: string | undefined;
    if (!s.built) {
      note = `line ${s.range.line}: summary() comes before model '${m.name}' is built (no input shape yet): tf.keras 2 raises a ValueError there, Keras 3 prints its layers unbuilt with Total params: 0`;
    } else if (s.totalParams === undefined) {
      // The model's own figures are in doubt (its errors or gaps say why), or one of its parts changes later in a way not followed back.
      if (!isComplete(m)) continue;
      note = `line ${s.range.line}: what summary() prints there is not worked out by Model Lens (a model used in it changes after that line); compare that printout by hand`;
    } else {
      const figures = summaryCallFigures(s);
      if (!figures || !differs(s, m)) continue;
      const rows = s.layers !== m.layers.length ? `${s.layers} rows there, ${m.layers.length} above; ` : '';
      note = `line ${s.range.line}: summary() prints ${figures} there (${rows}the model changes after that line)`;
    }
    if (!out.includes(note)) out.push(note);
  }
  return out;
}
