/**
 * The memory Keras 3's summary prints beside each total (`Total params: 4,203,291 (16.03 MB)`):
 * the weights' sizes by dtype (keras/src/utils/summary_utils.py `weight_memory_size`). Every weight
 * Model Lens counts is float32 (4 bytes) except the `count` an adapted Normalization keeps
 * (keras/src/layers/preprocessing/normalization.py: add_weight(name="count", shape=(),
 * dtype="int"), an int64 of 8 bytes, non-trainable). keras.io's EfficientNetB0 printout shows it:
 * 42,023 non-trainable params are 164.16 KB (42,022·4 + 8 bytes), not 164.15 KB.
 */
import type { LayerNode, ModelIR } from './ir';

/** Bytes of a model's weights: all, trainable, non-trainable. */
export interface WeightBytes {
  total: number;
  trainable: number;
  nonTrainable: number;
}

/** How many 8-byte (int64) weights a model's layers hold, nested models' layers included (each layer once). */
function int64Weights(layers: LayerNode[], depth = 0): number {
  let n = 0;
  for (const l of layers) {
    // An adapted Normalization (no mean given): mean, variance and one int64 count.
    if (l.type === 'Normalization' && l.params > 0 && (l.config['mean'] === null || l.config['mean'] === undefined)) n += 1;
    if (l.nested?.graph && depth < 16) n += int64Weights(l.nested.graph.layers, depth + 1);
  }
  return n;
}

export function weightBytes(m: ModelIR): WeightBytes {
  const wide = int64Weights(m.layers);
  return { total: m.totalParams * 4 + wide * 4, trainable: m.trainableParams * 4, nonTrainable: m.nonTrainableParams * 4 + wide * 4 };
}
