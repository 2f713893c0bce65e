/**
 * Defaults that changed between Keras versions in a way that changes a printed figure. Model Lens
 * counts as Keras 3 does (also tf.keras 2 and Keras ≥ 2.3); a file written for an older Keras
 * (2017–2019 books: Keras ≤ 2.2, or TensorFlow 1.x's tf.keras) printed another number there. The
 * note says so at the layer's line, so the user comparing with an old printout is not left with a
 * silent difference.
 *
 * GRU: Keras 2.3.0 (September 2019) and TensorFlow 2.0 made reset_after=True the default (the cuDNN
 * form, keras/layers/recurrent.py `GRU.__init__`): the bias has two rows, 3·units more weights than
 * the reset_after=False GRU of Keras ≤ 2.2, which had one: 3·(units·(input + units) + units).
 */
import type { ConfigValue } from '../model/ir';

/** The note for a layer whose figure a changed default decides, or undefined. `written`: the arguments the file wrote. */
export function changedDefaultNote(type: string, config: Record<string, ConfigValue>, written: ReadonlySet<string>): string | undefined {
  if (type !== 'GRU' || written.has('reset_after') || config['use_bias'] === false) return undefined;
  const units = config['units'];
  if (typeof units !== 'number') return undefined;
  return (
    `counts ${(3 * units).toLocaleString('en-US')} more parameters (3·units) than Keras ≤ 2.2 and TensorFlow 1.x printed for it: ` +
    `reset_after=True has been GRU's default since Keras 2.3 / TensorFlow 2.0 (Model Lens counts as Keras 3). ` +
    `If you compare with an older printout, write reset_after=False here to get its figures`
  );
}
