/**
 * The names of a layer's weights in the order Keras creates them (and so saves them: a Keras 3
 * `.keras` file keeps only `vars/0`, `vars/1`, …), which of them train, and where a `.keras` file
 * keeps them. From the `build()` methods of keras/src/layers (names only; shapes come from the
 * file) and keras/src/saving/saving_lib.py: a layer's own variables go to `<group>/vars`, and a
 * layer it holds as an attribute gets a group named after the attribute (public attributes first,
 * then private ones) — so an RNN's weights are in `<group>/cell/vars` (its `cell`), a
 * Bidirectional's in `forward_layer/cell/vars` and `backward_layer/cell/vars`, a TimeDistributed's
 * in `layer/vars`, a MultiHeadAttention's in `query_dense/vars`, `key_dense/vars`,
 * `value_dense/vars` and `output_dense/vars` (its EinsumDense projections).
 */
import type { ConfigValue } from '../model/ir';

type Cfg = Record<string, ConfigValue>;
const on = (c: Cfg, k: string, dflt = true) => (typeof c[k] === 'boolean' ? (c[k] as boolean) : dflt);
const isObj = (v: unknown): v is Cfg => typeof v === 'object' && v !== null && !Array.isArray(v);

const kernelBias = (c: Cfg) => ['kernel', ...(on(c, 'use_bias') ? ['bias'] : [])];
const recurrent = (c: Cfg) => ['kernel', 'recurrent_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])];
const gammaBeta = (c: Cfg) => [...(on(c, 'scale') ? ['gamma'] : []), ...(on(c, 'center') ? ['beta'] : [])];

/** Weights a layer creates itself (its own `vars`). */
const OWN: Record<string, (c: Cfg) => string[]> = {
  Dense: kernelBias,
  EinsumDense: (c) => ['kernel', ...(typeof c['bias_axes'] === 'string' && c['bias_axes'] ? ['bias'] : [])],
  Conv1D: kernelBias,
  Conv2D: kernelBias,
  Conv3D: kernelBias,
  Conv1DTranspose: kernelBias,
  Conv2DTranspose: kernelBias,
  Conv3DTranspose: kernelBias,
  DepthwiseConv1D: (c) => ['depthwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  DepthwiseConv2D: (c) => ['depthwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  SeparableConv1D: (c) => ['depthwise_kernel', 'pointwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  SeparableConv2D: (c) => ['depthwise_kernel', 'pointwise_kernel', ...(on(c, 'use_bias') ? ['bias'] : [])],
  BatchNormalization: (c) => [...gammaBeta(c), 'moving_mean', 'moving_variance'],
  LayerNormalization: gammaBeta,
  GroupNormalization: gammaBeta,
  RMSNormalization: () => ['scale'],
  Embedding: () => ['embeddings'],
  PReLU: () => ['alpha'],
  Normalization: () => ['mean', 'variance', 'count'],
  Attention: (c) => [...(on(c, 'use_scale', false) ? ['scale'] : []), ...(c['score_mode'] === 'concat' ? ['concat_score_weight'] : [])],
  AdditiveAttention: (c) => (on(c, 'use_scale') ? ['scale'] : []),
  // Keras 2 layouts keep an RNN's weights as its own.
  LSTMCell: recurrent,
  GRUCell: recurrent,
  SimpleRNNCell: recurrent,
};

const RNNS = new Set(['LSTM', 'GRU', 'SimpleRNN', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D']);

/** Where a `.keras` file keeps a layer's weights: groups relative to the layer's own (`''` = its `vars`). */
export interface VarGroup {
  /** `''`, `cell`, `forward_layer/cell`, `query_dense`, … */
  group: string;
  /** Keras's weight names there, in order. */
  names: string[];
}

function wrapped(c: Cfg): { type: string; config: Cfg } | undefined {
  const l = c['layer'];
  if (!isObj(l) || typeof l['class_name'] !== 'string') return undefined;
  return { type: l['class_name'], config: isObj(l['config']) ? l['config'] : {} };
}

/** The groups of a layer's weights in a `.keras` file, in Keras's weight order; undefined when unknown. */
export function keras3Layout(type: string, c: Cfg): VarGroup[] | undefined {
  if (RNNS.has(type)) return [{ group: 'cell', names: recurrent(c) }];
  if (type === 'Bidirectional' || type === 'TimeDistributed') {
    const inner = wrapped(c);
    const layout = inner ? keras3Layout(inner.type, inner.config) : undefined;
    if (!layout) return undefined;
    const under = (prefix: string) => layout.map((g) => ({ group: g.group ? `${prefix}/${g.group}` : prefix, names: g.names }));
    // A backward layer given explicitly has its own config; Keras mirrors the forward one otherwise.
    const back = isObj(c['backward_layer']) && typeof c['backward_layer']['class_name'] === 'string' ? keras3Layout(String(c['backward_layer']['class_name']), isObj(c['backward_layer']['config']) ? c['backward_layer']['config'] : {}) : layout;
    if (type === 'TimeDistributed') return under('layer');
    if (!back) return undefined;
    return [...under('forward_layer'), ...back.map((g) => ({ group: g.group ? `backward_layer/${g.group}` : 'backward_layer', names: g.names }))];
  }
  if (type === 'MultiHeadAttention') {
    const bias = on(c, 'use_bias') ? ['kernel', 'bias'] : ['kernel'];
    return [
      { group: 'query_dense', names: bias },
      { group: 'key_dense', names: bias },
      { group: 'value_dense', names: bias },
      { group: 'output_dense', names: bias },
    ];
  }
  const own = OWN[type];
  return own ? [{ group: '', names: own(c) }] : undefined;
}

/** The name a weight is shown and exported by: `kernel`, or `forward_layer/kernel` inside a sub-layer (never `cell/`). */
export function displayName(group: string, name: string): string {
  const g = group.split('/').filter((p) => p !== 'cell' && p !== 'layer').join('/');
  return g ? `${g}/${name}` : name;
}

/** Keras's weight names for `count` saved weights of a layer; `var_<i>` where the table does not know. */
export function weightNames(type: string, config: Cfg, count: number): string[] {
  const layout = keras3Layout(type, config);
  const names = layout?.flatMap((g) => g.names.map((n) => displayName(g.group, n)));
  if (names && names.length === count) return names;
  return Array.from({ length: count }, (_, i) => `var_${i}`);
}

/** Weights that keep statistics instead of training. */
const NON_TRAINABLE = new Set(['moving_mean', 'moving_variance', 'mean', 'variance', 'count']);

export function isTrainableWeight(name: string, layerTrainable: boolean): boolean {
  return layerTrainable && !NON_TRAINABLE.has(name.split('/').pop()!);
}
