/**
 * Attention (keras/src/layers/attention): Attention, AdditiveAttention, MultiHeadAttention and
 * GroupedQueryAttention. Called on [query, value] (and key); the output has the query's steps.
 * MultiHeadAttention's weights are Keras's four (five with use_gate) EinsumDense projections.
 */
import type { Shape } from '../../model/ir';
import { init, known, NONE, seedArg, ShapeError, fmt, type ArgSpec, type Config, type LayerSpec, type Params } from './spec';

function qkv(inputs: Shape[], type: string): { q: Shape; v: Shape; k: Shape } {
  if (inputs.length < 2 || inputs.length > 3) {
    throw new ShapeError(`it takes a query and a value (and optionally a key), e.g. ${type === 'MultiHeadAttention' || type === 'GroupedQueryAttention' ? 'layer(query, value)' : 'layer([query, value])'}; it got ${inputs.length} tensor${inputs.length === 1 ? '' : 's'}`);
  }
  const [q, v, k] = [inputs[0]!, inputs[1]!, inputs[2] ?? inputs[1]!];
  if (q.length < 3 || v.length < 3) throw new ShapeError(`query and value must be sequences (batch, steps, features); got ${fmt(q)} and ${fmt(v)}`);
  if (JSON.stringify(v.slice(1, -1)) !== JSON.stringify(k.slice(1, -1))) throw new ShapeError(`value ${fmt(v)} and key ${fmt(k)} must agree on every axis but the last`);
  return { q, v, k };
}

/**
 * `return_attention_scores=True` in the call: the output, then the attention weights of each query
 * step over the value steps — (batch, heads, Tq, Tv) for the multi-head layers, (batch, Tq, Tv) for
 * Attention. Only sequences with attention over their steps (the default axes) are followed.
 */
function withScores(type: string, heads: ((c: Config) => number) | null): Pick<LayerSpec, 'outputCount' | 'outputShapes'> {
  return {
    outputCount: (_c: Config, call: Config) => (call['return_attention_scores'] === true ? 2 : 1),
    outputShapes(this: LayerSpec, inputs: Shape[], c: Config, call: Config): Shape[] | undefined {
      if (call['return_attention_scores'] !== true) return undefined;
      const { q, v } = qkv(inputs, type);
      if (q.length !== 3 || (c['attention_axes'] !== null && c['attention_axes'] !== undefined)) {
        throw new ShapeError(`return_attention_scores=True with ${q.length !== 3 ? `${q.length}-D inputs` : 'attention_axes'}: Model Lens follows the scores of sequences (batch, steps, features) attended over their steps only; drop return_attention_scores or reshape to sequences`);
      }
      const scores: Shape = heads === null ? [null, q[1]!, v[1]!] : [null, heads(c), q[1]!, v[1]!];
      return [this.outputShape(inputs, c), scores];
    },
  };
}

const commonWeightArgs: ArgSpec[] = [
  init('kernel_initializer', 'glorot_uniform', 'Initializer of the projection kernels.'),
  init('bias_initializer', 'zeros', 'Initializer of the projection biases.'),
  init('kernel_regularizer', null, 'Regularizer of the projection kernels.'),
  init('bias_regularizer', null, 'Regularizer of the projection biases.'),
  init('activity_regularizer', null, 'Regularizer applied to the output.'),
  init('kernel_constraint', null, 'Constraint on the projection kernels.'),
  init('bias_constraint', null, 'Constraint on the projection biases.'),
];

function dense(name: string, fanIn: number, out: number, bias: boolean): { n: number; text: string } {
  const n = fanIn * out + (bias ? out : 0);
  return { n, text: `${name} ${fanIn}·${out}${bias ? ` + ${out}` : ''}` };
}

function sum(parts: { n: number; text: string }[]): Params {
  const t = parts.reduce((a, p) => a + p.n, 0);
  return { trainable: t, nonTrainable: 0, formula: `${parts.map((p) => p.text).join(' + ')} = ${t}` };
}

const outDims = (c: Config, q: Shape): number[] => {
  const o = c['output_shape'];
  if (o === null || o === undefined) return [known(q[q.length - 1], 'query feature size')];
  return Array.isArray(o) ? o.map(Number) : [Number(o)];
};


/** MultiHeadAttention's and GroupedQueryAttention's arguments after their head sizes (Keras signature order). */
const dropoutAndBiasArgs: ArgSpec[] = [
  { name: 'dropout', kind: 'float', default: 0.0, doc: 'Dropout rate on the attention weights.' },
  { name: 'use_bias', kind: 'bool', default: true, doc: 'Whether the projections have biases.' },
];
/** …and their last ones: sliding window, flash attention, weight initializers and regularizers, gate, seed. */
const headTailArgs: ArgSpec[] = [
  init('sliding_window', null, 'Attend only to this many neighbouring steps.'),
  init('flash_attention', null, 'Use flash attention when available.'),
  ...commonWeightArgs,
  { name: 'use_gate', kind: 'bool', default: false, doc: 'Gate the heads with a sigmoid projection of the query.' },
  seedArg,
];

export const ATTENTION: LayerSpec[] = [
  {
    type: 'MultiHeadAttention',
    family: 'attention',
    kind: 'attention',
    multiInput: true,
    callTensors: ['query', 'value', 'key'],
    // Ours in src/worker/custom-layers.ts (tfjs-layers' own is internal to its NLP models).
    tfjs: {
      className: 'MultiHeadAttention',
      custom: true,
      unsupported: (c) =>
        c['use_gate'] === true || (c['attention_axes'] !== null && c['attention_axes'] !== undefined) || (Array.isArray(c['output_shape']) && c['output_shape'].length > 1)
          ? "Model Lens's TF.js MultiHeadAttention has no use_gate, attention_axes or multi-axis output_shape"
          : undefined,
    },
    doc: 'Multi-head attention: the query, key and value are projected into num_heads heads of key_dim (value_dim) features; each query step takes a softmax-weighted mix of the value steps; the heads are projected back to the query’s features (or output_shape).',
    args: [
      { name: 'num_heads', kind: 'int', doc: 'Number of attention heads.' },
      { name: 'key_dim', kind: 'int', doc: 'Size of each head for query and key.' },
      { name: 'value_dim', kind: 'int', default: null, doc: 'Size of each head for value (None = key_dim).' },
      ...dropoutAndBiasArgs,
      { name: 'output_shape', kind: 'any', default: null, doc: 'Output features (None = the query’s last axis).' },
      { name: 'attention_axes', kind: 'any', default: null, doc: 'Axes attention is applied over (None = all but batch, heads and features).' },
      ...headTailArgs,
    ],
    outputShape(inputs, c) {
      const { q } = qkv(inputs, 'MultiHeadAttention');
      return [...q.slice(0, -1), ...outDims(c, q)];
    },
    params(inputs, c) {
      const { q, v, k } = qkv(inputs, 'MultiHeadAttention');
      const h = Number(c['num_heads']);
      const kd = Number(c['key_dim']);
      const vd = c['value_dim'] === null || c['value_dim'] === undefined ? kd : Number(c['value_dim']);
      const b = c['use_bias'] !== false;
      const dq = known(q[q.length - 1], 'query feature size');
      const dk = known(k[k.length - 1], 'key feature size');
      const dv = known(v[v.length - 1], 'value feature size');
      const out = outDims(c, q).reduce((a, x) => a * x, 1);
      const parts = [dense('query', dq, h * kd, b), dense('key', dk, h * kd, b)];
      if (c['use_gate'] === true) parts.push(dense('gate', dq, h * vd, b));
      parts.push(dense('value', dv, h * vd, b), dense('output', h * vd, out, b));
      return sum(parts);
    },
    ...withScores('MultiHeadAttention', (c) => Number(c['num_heads'])),
    keyArgs: (c) => `${c['num_heads']} heads × ${c['key_dim']}`,
    macs(inputs, _out, c) {
      const [q, v] = inputs;
      if (!q || !v) return 0;
      const tq = q[1];
      const tv = v[1];
      const dq = q[q.length - 1];
      const dv = v[v.length - 1];
      if ([tq, tv, dq, dv].some((d) => typeof d !== 'number')) return 0;
      const hk = Number(c['num_heads']) * Number(c['key_dim']);
      return (tq as number) * (dq as number) * hk * 2 + (tv as number) * (dv as number) * hk * 2 + 2 * (tq as number) * (tv as number) * hk;
    },
  },
  {
    type: 'GroupedQueryAttention',
    aliases: ['GroupQueryAttention'],
    family: 'attention',
    kind: 'attention',
    multiInput: true,
    callTensors: ['query', 'value', 'key'],
    // Ours in src/worker/custom-layers.ts.
    tfjs: {
      className: 'GroupedQueryAttention',
      custom: true,
      unsupported: (c) => (c['use_gate'] === true || (c['sliding_window'] !== null && c['sliding_window'] !== undefined) ? "Model Lens's TF.js GroupedQueryAttention has no use_gate or sliding_window" : undefined),
    },
    doc: 'Grouped-query attention: num_query_heads query heads share num_key_value_heads key/value heads of head_dim features; the output has the query’s features.',
    args: [
      { name: 'head_dim', kind: 'int', doc: 'Size of each head.' },
      { name: 'num_query_heads', kind: 'int', doc: 'Number of query heads.' },
      { name: 'num_key_value_heads', kind: 'int', doc: 'Number of key/value heads (divides num_query_heads).' },
      ...dropoutAndBiasArgs,
      ...headTailArgs,
    ],
    outputShape(inputs, c) {
      const { q } = qkv(inputs, 'GroupedQueryAttention');
      if (Number(c['num_query_heads']) % Number(c['num_key_value_heads']) !== 0) throw new ShapeError('num_query_heads must be divisible by num_key_value_heads');
      return [...q];
    },
    params(inputs, c) {
      const { q, v, k } = qkv(inputs, 'GroupedQueryAttention');
      const hd = Number(c['head_dim']);
      const hq = Number(c['num_query_heads']);
      const hkv = Number(c['num_key_value_heads']);
      const b = c['use_bias'] !== false;
      const dq = known(q[q.length - 1], 'query feature size');
      const parts = [dense('query', dq, hq * hd, b), dense('key', known(k[k.length - 1], 'key feature size'), hkv * hd, b)];
      if (c['use_gate'] === true) parts.push(dense('gate', dq, hq * hd, b));
      parts.push(dense('value', known(v[v.length - 1], 'value feature size'), hkv * hd, b), dense('output', hq * hd, dq, b));
      return sum(parts);
    },
    ...withScores('GroupedQueryAttention', (c) => Number(c['num_query_heads'])),
    keyArgs: (c) => `${c['num_query_heads']}/${c['num_key_value_heads']} heads × ${c['head_dim']}`,
  },
  {
    type: 'Attention',
    family: 'attention',
    kind: 'attention',
    multiInput: true,
    // Ours in src/worker/custom-layers.ts (score_mode "dot" and "concat").
    tfjs: { className: 'Attention', custom: true },
    doc: 'Dot-product (Luong) attention over [query, value, key]: each query step takes a softmax-weighted mix of the value steps. Output: (batch, query steps, value features).',
    args: [
      { name: 'use_scale', kind: 'bool', default: false, doc: 'Learn a scalar that scales the scores.' },
      { name: 'score_mode', kind: 'choice', choices: ['dot', 'concat'], default: 'dot', doc: '"dot" (q·k) or "concat" (tanh(q + k)).' },
      { name: 'dropout', kind: 'float', default: 0.0, doc: 'Dropout rate on the attention weights.' },
      seedArg,
    ],
    ...withScores('Attention', null),
    outputShape(inputs) {
      const { q, v } = qkv(inputs, 'Attention');
      return [...q.slice(0, -1), v[v.length - 1]!];
    },
    params(_i, c) {
      const n = (c['use_scale'] === true ? 1 : 0) + (c['score_mode'] === 'concat' ? 1 : 0);
      return n ? { trainable: n, nonTrainable: 0, formula: `${[c['use_scale'] === true && 'scale', c['score_mode'] === 'concat' && 'concat_score_weight'].filter(Boolean).join(' + ')} = ${n}` } : NONE;
    },
  },
  {
    type: 'AdditiveAttention',
    family: 'attention',
    kind: 'attention',
    multiInput: true,
    tfjs: { className: 'AdditiveAttention', custom: true }, // ours, src/worker/custom-layers.ts
    doc: 'Additive (Bahdanau) attention over [query, value, key]: scores are sum(scale · tanh(q + k)). Output: (batch, query steps, value features).',
    args: [
      { name: 'use_scale', kind: 'bool', default: true, doc: 'Learn a scale vector (one per feature).' },
      { name: 'dropout', kind: 'float', default: 0.0, doc: 'Dropout rate on the attention weights.' },
    ],
    ...withScores('AdditiveAttention', null),
    outputShape(inputs) {
      const { q, v } = qkv(inputs, 'AdditiveAttention');
      return [...q.slice(0, -1), v[v.length - 1]!];
    },
    params(inputs, c) {
      if (c['use_scale'] === false) return NONE;
      const d = known(inputs[0]![inputs[0]!.length - 1], 'query feature size');
      return { trainable: d, nonTrainable: 0, formula: `scale ${d}` };
    },
  },
];
