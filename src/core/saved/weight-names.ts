/**
 * The names of a layer's weights in the order Keras creates them (and so saves them: a Keras 3
 * `.keras` file keeps only `vars/0`, `vars/1`, …), and which of them train. From the `build()`
 * methods of keras/src/layers (names only; shapes come from the file).
 */
import type { ConfigValue } from '../model/ir';

type Cfg = Record<string, ConfigValue>;
const on = (c: Cfg, k: string, dflt = true) => (typeof c[k] === 'boolean' ? (c[k] as boolean) : dflt);

const TABLE: Record<string, (c: Cfg) => string[]> = {
  Dense: (c) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  Conv1D: (c) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  Conv2D: (c) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  Conv3D: (c) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  Conv2DTranspose: (c) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  Conv1DTranspose: (c) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  Conv3DTranspose: (c) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  DepthwiseConv1D: (c) => ['depthwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  DepthwiseConv2D: (c) => ['depthwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  SeparableConv1D: (c) => ['depthwise_kernel', 'pointwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  SeparableConv2D: (c) => ['depthwise_kernel', 'pointwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  BatchNormalization: (c) => [...(on(c, 'scale') ? ['gamma'] : []), ...(on(c, 'center') ? ['beta'] : []), 'moving_mean', 'moving_variance'],
  LayerNormalization: (c) => [...(on(c, 'scale') ? ['gamma'] : []), ...(on(c, 'center') ? ['beta'] : [])],
  EinsumDense: (c) => ['kernel', ...(typeof c['bias_axes'] === 'string' && c['bias_axes'] ? ['bias'] : [])],
  AdditiveAttention: (c) => (on(c, 'use_scale') ? ['scale'] : []),
  Attention: (c) => [...(on(c, 'use_scale', false) ? ['scale'] : []), ...(c['score_mode'] === 'concat' ? ['concat_score_weight'] : [])],
  Embedding: () => ['embeddings'],
  PReLU: () => ['alpha'],
  Normalization: () => ['mean', 'variance', 'count'],
  LSTM: (c) => ['kernel', 'recurrent_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  GRU: (c) => ['kernel', 'recurrent_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  SimpleRNN: (c) => ['kernel', 'recurrent_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
};

/** Weights that keep statistics instead of training. */
const NON_TRAINABLE = new Set(['moving_mean', 'moving_variance', 'mean', 'variance', 'count']);

/** Keras's weight names for `count` saved weights of a layer; `var_<i>` where the table does not know. */
export function weightNames(type: string, config: Cfg, count: number): string[] {
  const names = TABLE[type]?.(config);
  if (names && names.length === count) return names;
  return Array.from({ length: count }, (_, i) => `var_${i}`);
}

export function isTrainableWeight(name: string, layerTrainable: boolean): boolean {
  return layerTrainable && !NON_TRAINABLE.has(name);
}
