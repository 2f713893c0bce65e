/**
 * How a saved model's inputs are scaled. A saved model has no code that says it, so Model Lens
 * states what it assumes and the user can change it (panel setting, CLI --input-scale).
 */
import type { ModelIR } from '../model/ir';

/**
 * How inputs are scaled for a saved model, which has no code that says it: by its own Rescaling /
 * Normalization layer when it has one (then pixels go in as 0–255), else pixels / 255 as Keras's
 * MNIST and Fashion-MNIST tutorials scale them.
 */
export function savedInputScaling(m: ModelIR): void {
  const scaler = m.layers.slice(0, 4).find((l) => l.type === 'Rescaling' || l.type === 'Normalization');
  if (scaler) {
    m.training.inputScale = 1;
    m.training.inputScaleSource = `pixels 0–255 as they are: the model's own ${scaler.type} layer '${scaler.name}' scales them`;
  } else {
    m.training.inputScale = 1 / 255;
    m.training.inputScaleSource = 'pixels / 255 (the file does not say how its inputs were scaled; this is how Keras\'s MNIST tutorials scale them; change it in the panel\'s Input scaling setting or with --input-scale)';
  }
}
