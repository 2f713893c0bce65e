/**
 * Recurrent layers (keras/src/layers/rnn): SimpleRNN, LSTM, GRU (and their cells inside RNN),
 * Bidirectional and TimeDistributed wrappers, ConvLSTM1D/2D/3D. Parameter counts follow the
 * weights Keras creates: kernel (input × gates·units), recurrent kernel (units × gates·units), bias.
 */
import type { Shape } from '../../model/ir';
import {
  activityArg, convLength, dataFormatArg, dot, fmt, init, innerLayer, ints, known, lastDim, rankIs, registry, seedArg, ShapeError, SPATIAL, times,
  type ArgSpec, type Config, type LayerSpec, type Params,
} from './spec';

type Cell = 'SimpleRNN' | 'LSTM' | 'GRU';
const GATES: Record<Cell, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

const recurrentWeights = (withRecurrentActivation: boolean, unitForgetBias: boolean): ArgSpec[] => [
  ...(withRecurrentActivation ? [{ name: 'recurrent_activation', kind: 'activation', default: 'sigmoid', doc: 'Activation of the gates.' } as ArgSpec] : []),
  { name: 'use_bias', kind: 'bool', default: true, doc: 'Whether the layer adds a bias vector.' },
  init('kernel_initializer', 'glorot_uniform', 'Initializer of the input kernel.'),
  init('recurrent_initializer', 'orthogonal', 'Initializer of the recurrent kernel.'),
  init('bias_initializer', 'zeros', 'Initializer of the bias.'),
  ...(unitForgetBias ? [{ name: 'unit_forget_bias', kind: 'bool', default: true, doc: 'Add 1 to the forget gate bias at initialization.' } as ArgSpec] : []),
  init('kernel_regularizer', null, 'Regularizer of the input kernel.'),
  init('recurrent_regularizer', null, 'Regularizer of the recurrent kernel.'),
  init('bias_regularizer', null, 'Regularizer of the bias.'),
];

const sequenceArgs: ArgSpec[] = [
  { name: 'return_sequences', kind: 'bool', default: false, doc: 'Return the output of every step (batch, steps, units) instead of the last one.' },
  { name: 'return_state', kind: 'bool', default: false, doc: 'Also return the final state(s).' },
  { name: 'go_backwards', kind: 'bool', default: false, doc: 'Process the sequence backwards.' },
  { name: 'stateful', kind: 'bool', default: false, doc: 'Keep the state between batches.' },
];

function cellArgs(cell: Cell): ArgSpec[] {
  return [
    { name: 'units', kind: 'int', doc: 'Size of the state (and of the output).' },
    { name: 'activation', kind: 'activation', default: 'tanh', doc: 'Activation of the output/candidate.' },
    ...recurrentWeights(cell !== 'SimpleRNN', cell === 'LSTM'),
    init('kernel_constraint', null, 'Constraint on the input kernel.'),
    init('recurrent_constraint', null, 'Constraint on the recurrent kernel.'),
    init('bias_constraint', null, 'Constraint on the bias.'),
    { name: 'dropout', kind: 'float', default: 0.0, doc: 'Dropout rate on the inputs.' },
    { name: 'recurrent_dropout', kind: 'float', default: 0.0, doc: 'Dropout rate on the recurrent state.' },
    ...(cell === 'GRU' ? [{ name: 'reset_after', kind: 'bool', default: true, doc: 'Apply the reset gate after the matrix product (two biases per gate; the cuDNN form).' } as ArgSpec] : []),
    seedArg,
  ];
}

/** Weights of one cell: kernel, recurrent kernel and bias(es). */
export function cellParams(cell: Cell, inputDim: number, c: Config): Params {
  const u = Number(c['units']);
  const g = GATES[cell];
  const biasRows = c['use_bias'] === false ? 0 : cell === 'GRU' && c['reset_after'] !== false ? 2 : 1;
  const total = g * (u * (inputDim + u) + biasRows * u);
  const bias = biasRows ? ` + ${biasRows > 1 ? `${biasRows}·` : ''}${u}` : '';
  return { trainable: total, nonTrainable: 0, formula: `${g > 1 ? `${g}·` : ''}(${dot(u, `(${inputDim} + ${u})`)}${bias}) = ${total}` };
}

/** How many states a cell carries (LSTM: h and c; GRU, SimpleRNN: h). */
const STATES: Record<Cell, number> = { SimpleRNN: 1, LSTM: 2, GRU: 1 };

/**
 * The initial states a call gets (`initial_state=[h, c]`, after the sequence in `inputs`): Keras
 * needs one per state, each (batch, units) — a mismatch is its error.
 */
function initialStateCheck(states: Shape[], want: Shape[], type: string): void {
  if (!states.length) return;
  if (states.length !== want.length) {
    throw new ShapeError(`initial_state has ${states.length} tensor(s) but ${type} has ${want.length} state(s)${want.length === 2 ? ' (h and c)' : ''}; pass initial_state=[${want.map((_, i) => `s${i}`).join(', ')}]`);
  }
  states.forEach((s, i) => {
    const w = want[i]!;
    if (s.length !== w.length || s.some((d, j) => j > 0 && d !== null && w[j] !== null && d !== w[j])) {
      throw new ShapeError(`initial state ${i + 1} is ${fmt(s)} but ${type}'s state is ${fmt(w)}; give states of its units (e.g. the states of another ${type} with as many units)`);
    }
  });
}

function sequenceShape(x: Shape, type: string, units: number | null, c: Config): Shape {
  rankIs(x, 3, type, 'Give it a sequence (batch, steps, features), e.g. after layers.Embedding or layers.Reshape((steps, features)).');
  return c['return_sequences'] === true ? [null, x[1]!, units] : [null, units];
}

/** An RNN's outputs with return_state=True: its output, then each final state (batch, units). */
function withStates(out: Shape, states: Shape[], c: Config): Shape[] | undefined {
  return c['return_state'] === true ? [out, ...states] : undefined;
}

function rnn(cell: Cell, doc: string): LayerSpec {
  // Keras's order: the cell's arguments (activity_regularizer before the constraints), then the
  // sequence ones; SimpleRNN takes seed last, GRU ends with reset_after, LSTM/GRU with use_cudnn.
  const own = cellArgs(cell);
  const seed = own.find((a) => a.name === 'seed')!;
  const reset = own.filter((a) => a.name === 'reset_after');
  const args = own.filter((a) => a.name !== 'reset_after' && (cell !== 'SimpleRNN' || a.name !== 'seed'));
  args.splice(args.findIndex((a) => a.name === 'kernel_constraint'), 0, activityArg);
  args.push(...sequenceArgs, { name: 'unroll', kind: 'bool', default: false, doc: 'Unroll the loop (faster for short sequences, more memory).' }, ...reset);
  if (cell === 'SimpleRNN') args.push(seed);
  if (cell !== 'SimpleRNN') args.push({ name: 'use_cudnn', kind: 'any', default: 'auto', doc: 'Use the cuDNN kernel when available.' });
  return {
    type: cell,
    family: 'recurrent',
    kind: 'recurrent',
    // GRU is ours (src/worker/gru.ts: both reset_after forms, Keras's weight layout); tfjs-layers' has only reset_after=False.
    tfjs: cell === 'GRU' ? { className: cell, custom: true } : { className: cell },
    doc,
    args,
    initialState: true,
    outputShape: ([x, ...init], c) => {
      const out = sequenceShape(x!, cell, Number(c['units']), c);
      initialStateCheck(init, cellStates(cell, Number(c['units'])), cell);
      return out;
    },
    outputCount: (c) => (c['return_state'] === true ? 1 + STATES[cell] : 1),
    outputShapes: ([x], c) => withStates(sequenceShape(x!, cell, Number(c['units']), c), cellStates(cell, Number(c['units'])), c),
    params: ([x], c) => cellParams(cell, lastDim(x!, cell), c),
    keyArgs: (c) => [String(c['units']), ...(c['return_sequences'] === true ? ['sequences'] : [])].join(' · '),
    macs([x], _out, c) {
      const steps = x![1];
      const f = x![2];
      const u = Number(c['units']);
      if (typeof steps !== 'number' || typeof f !== 'number') return 0;
      return steps * GATES[cell] * u * (f + u);
    },
  };
}

/** The final states of a cell of `units`: (batch, units) each. */
const cellStates = (cell: Cell, units: number): Shape[] => Array.from({ length: STATES[cell] }, () => [null, units]);

function cellSpec(cell: Cell): LayerSpec {
  const type = `${cell}Cell`;
  return {
    type,
    family: 'recurrent',
    kind: 'recurrent',
    tfjs: cell === 'GRU' ? { className: type, custom: true } : { className: type },
    doc: `One step of a ${cell}; used inside layers.RNN(${type}(units)).`,
    args: cellArgs(cell),
    outputShape() {
      throw new ShapeError(`a ${type} is one step of a recurrent layer; wrap it: layers.RNN(layers.${type}(units))`);
    },
    params: ([x], c) => cellParams(cell, lastDim(x!, type), c),
  };
}

/** The states of RNN(cell): those of its standard cell (LSTMCell: h and c). */
function rnnStates(c: Config): Shape[] {
  const { className, config } = inner(c, 'RNN');
  const cell = className.replace(/Cell$/, '') as Cell;
  if (!(cell in STATES)) throw new ShapeError(`cell ${className} is not a standard cell; use SimpleRNNCell, LSTMCell or GRUCell`);
  return cellStates(cell, Number(config['units']));
}

function inner(c: Config, type: string): { spec: LayerSpec; config: Config; className: string } {
  const { className, config } = innerLayer(c['layer'] ?? c['cell'], type);
  const spec = registry.lookup(className);
  if (!spec) throw new ShapeError(`it wraps ${className}, which Model Lens does not know`);
  return { spec, config, className };
}

/** The backward layer's own output, when Bidirectional is given a backward_layer. */
function backwardOutput(c: Config, x: Shape): Shape | undefined {
  if (!c['backward_layer']) return undefined;
  const b = inner({ layer: c['backward_layer'] }, 'Bidirectional');
  return b.spec.outputShape([x], b.config);
}

/** The final states of one direction of a Bidirectional (those of its wrapped layer with return_state=True). */
function bidirectionalStates(c: Config, x: Shape): Shape[] {
  const { spec, config } = inner(c, 'Bidirectional');
  return spec.outputShapes?.([x], { ...config, return_state: true }, {})?.slice(1) ?? [];
}

/** Why TF.js cannot build the layer a wrapper holds (Bidirectional(GRU()) with Keras 3's reset_after), if it cannot. */
function wrappedBuildProblem(c: Config, type: string): string | undefined {
  const held = [c['layer'], c['backward_layer']].filter((v) => v !== undefined && v !== null);
  for (const v of held) {
    let w;
    try {
      w = inner({ layer: v }, type);
    } catch {
      return undefined; // the shape functions report an unknown wrapped layer
    }
    const b = w.spec.tfjs;
    if ('none' in b) return `the wrapped ${w.spec.type}: ${b.none}`;
    const why = b.unsupported?.(w.config);
    if (why) return `the wrapped ${w.spec.type}: ${why}`;
  }
  return undefined;
}

function convLstm(rank: 1 | 2 | 3): LayerSpec {
  const type = `ConvLSTM${rank}D`;
  const tuple = (name: string, doc: string): ArgSpec => ({ name, kind: 'ints', rank, default: Array.from({ length: rank }, () => 1), doc });
  const kOf = (c: Config) => ints(c['kernel_size'], rank);
  return {
    type,
    family: 'recurrent',
    kind: 'recurrent',
    // ConvLSTM1D/3D are ours (src/worker/conv-lstm.ts); tfjs-layers has ConvLSTM2D.
    tfjs: {
      className: type,
      ...(rank === 2 ? {} : { custom: true }),
      unsupported: (c) => {
        if (rank !== 2 && ints(c['dilation_rate'], rank).some((d) => d !== 1)) return `Model Lens's TF.js ${type} has no dilation_rate (TF.js's convolution gradients have none)`;
        if (rank !== 2 && c['stateful'] === true) return `Model Lens's TF.js ${type} has no stateful=True`;
        if (rank !== 2 && c['return_state'] === true) return `Model Lens's TF.js ${type} has no return_state=True`;
        return undefined;
      },
    },
    doc: `An LSTM whose gates are ${rank}-D convolutions: reads a sequence of ${rank === 1 ? 'sequences' : rank === 2 ? 'images' : 'volumes'} (batch, time, …, channels).`,
    args: [
      { name: 'filters', kind: 'int', doc: 'Number of output channels.' },
      { name: 'kernel_size', kind: 'ints', rank, doc: `Size of the kernel, an int or a tuple of ${rank}.` },
      tuple('strides', 'Step of the window along each spatial axis.'),
      { name: 'padding', kind: 'padding', default: 'valid', doc: '"valid" or "same" (the recurrent convolution always uses "same").' },
      dataFormatArg,
      tuple('dilation_rate', 'Spacing between kernel taps.'),
      { name: 'activation', kind: 'activation', default: 'tanh', doc: 'Activation of the candidate state.' },
      ...recurrentWeights(true, true),
      activityArg,
      init('kernel_constraint', null, 'Constraint on the input kernel.'),
      init('recurrent_constraint', null, 'Constraint on the recurrent kernel.'),
      init('bias_constraint', null, 'Constraint on the bias.'),
      { name: 'dropout', kind: 'float', default: 0.0, doc: 'Dropout rate on the inputs.' },
      { name: 'recurrent_dropout', kind: 'float', default: 0.0, doc: 'Dropout rate on the recurrent state.' },
      seedArg,
      ...sequenceArgs,
    ],
    initialState: true,
    outputCount: (c) => (c['return_state'] === true ? 3 : 1),
    outputShapes([x], c) {
      if (c['return_state'] !== true) return undefined;
      const out = this.outputShape([x!], c);
      // Its states h and c are the last step's output maps.
      const state = c['return_sequences'] === true ? [null, ...out.slice(2)] : out;
      return [out, state, state];
    },
    outputShape([x, ...init], c) {
      rankIs(x!, rank + 3, type, `Give it a sequence (batch, time, ${SPATIAL[rank]!.slice(8)}.`);
      const k = kOf(c);
      const s = ints(c['strides'], rank);
      const d = ints(c['dilation_rate'], rank);
      const dims = x!.slice(2, rank + 2).map((n, i) => convLength(n, k[i]!, String(c['padding'] ?? 'valid'), s[i]!, d[i]!));
      if (dims.some((n) => n !== null && n <= 0)) throw new ShapeError(`its ${times(k)} kernel does not fit the input with padding='valid'; use padding='same' or a smaller kernel_size`);
      const f = Number(c['filters']);
      initialStateCheck(init, [[null, ...dims, f], [null, ...dims, f]], type);
      return c['return_sequences'] === true ? [null, x![1]!, ...dims, f] : [null, ...dims, f];
    },
    params([x], c) {
      const k = kOf(c);
      const kk = k.reduce((a, b) => a * b, 1);
      const cin = known(x![x!.length - 1], `channel count of the input to ${type}`);
      const f = Number(c['filters']);
      const b = c['use_bias'] === false ? 0 : 1;
      const total = 4 * (kk * cin * f + kk * f * f + b * f);
      return { trainable: total, nonTrainable: 0, formula: `4·(${dot(...k, cin, f)} + ${dot(...k, f, f)}${b ? ` + ${f}` : ''}) = ${total}` };
    },
    keyArgs: (c) => [String(c['filters']), times(kOf(c)), String(c['padding'])].join(' · '),
  };
}

/**
 * Keras 2's cuDNN-only layers (keras.layers.CuDNNGRU / CuDNNLSTM, tf.compat.v1.keras.layers; gone
 * in Keras 3), common in 2018–2020 code. Fixed activations (tanh, sigmoid gates) and two biases
 * per gate: CuDNNGRU is GRU(reset_after=True), 3·(u·(in + u) + 2u); CuDNNLSTM is 4·(u·(in + u) + 2u)
 * (keras/layers/cudnn_recurrent.py, build: bias shape (units * 6,) / (units * 8,)).
 */
function cudnn(cell: 'GRU' | 'LSTM'): LayerSpec {
  const base = rnn(cell, '');
  const keep = new Set(['units', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'unit_forget_bias', 'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint', 'return_sequences', 'return_state', 'go_backwards', 'stateful']);
  const fixed = (c: Config): Config => ({ ...c, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, ...(cell === 'GRU' ? { reset_after: true } : {}) });
  return {
    ...base,
    type: `CuDNN${cell}`,
    doc: `Keras 2's cuDNN ${cell} (NVIDIA GPUs only; removed in Keras 3): a ${cell} with tanh/sigmoid and two biases per gate${cell === 'GRU' ? ' — GRU(reset_after=True) computes the same' : ''}.`,
    args: base.args.filter((a) => keep.has(a.name)),
    tfjs:
      cell === 'GRU'
        ? { className: 'GRU', custom: true, config: fixed }
        : { none: "CuDNNLSTM's two biases per gate have no TF.js layer; Model Lens reads it but does not train it: layers.LSTM(units) trains the same kind of model here" },
    params: ([x], c) => {
      const u = Number(c['units']);
      const g = GATES[cell];
      const inputDim = lastDim(x!, `CuDNN${cell}`);
      const total = g * (u * (inputDim + u) + 2 * u);
      return { trainable: total, nonTrainable: 0, formula: `${g}·(${dot(u, `(${inputDim} + ${u})`)} + 2·${u}) = ${total}` };
    },
  };
}

export const RECURRENT: LayerSpec[] = [
  cudnn('GRU'),
  cudnn('LSTM'),
  rnn('LSTM', 'Long short-term memory: reads a sequence step by step, keeping a cell state through input, forget and output gates (4 weight sets of units × (features + units) + bias).'),
  rnn('GRU', 'Gated recurrent unit: reads a sequence step by step with update and reset gates (3 weight sets; Keras 3 uses two biases per gate, reset_after=True).'),
  rnn('SimpleRNN', 'A fully connected recurrent layer: each step’s output is activation(W·x + U·h + b).'),
  cellSpec('LSTM'),
  cellSpec('GRU'),
  cellSpec('SimpleRNN'),
  {
    type: 'RNN',
    family: 'recurrent',
    kind: 'recurrent',
    tfjs: { className: 'RNN' },
    doc: 'Runs a recurrent cell (SimpleRNNCell, LSTMCell, GRUCell) over a sequence.',
    args: [
      { name: 'cell', kind: 'layer', doc: 'The cell, e.g. layers.LSTMCell(32).' },
      ...sequenceArgs,
      { name: 'unroll', kind: 'bool', default: false, doc: 'Unroll the loop.' },
      { name: 'zero_output_for_mask', kind: 'bool', default: false, doc: 'Masked steps output zeros.' },
    ],
    initialState: true,
    outputShape([x, ...init], c) {
      const { config } = inner(c, 'RNN');
      const out = sequenceShape(x!, 'RNN', Number(config['units']), c);
      initialStateCheck(init, rnnStates(c), 'RNN');
      return out;
    },
    outputCount: (c) => (c['return_state'] === true ? 1 + rnnStates(c).length : 1),
    outputShapes([x], c) {
      const { config } = inner(c, 'RNN');
      return withStates(sequenceShape(x!, 'RNN', Number(config['units']), c), rnnStates(c), c);
    },
    params([x], c) {
      const { className, config } = inner(c, 'RNN');
      const cell = className.replace(/Cell$/, '') as Cell;
      if (!(cell in GATES)) throw new ShapeError(`cell ${className} is not a standard cell; use SimpleRNNCell, LSTMCell or GRUCell`);
      return cellParams(cell, lastDim(x!, 'RNN'), config);
    },
    keyArgs: (c) => {
      const v = c['cell'];
      return v && typeof v === 'object' && !Array.isArray(v) ? `${v['class_name']}(${(v['config'] as Config | undefined)?.['units'] ?? ''})` : '';
    },
  },
  {
    type: 'Bidirectional',
    family: 'recurrent',
    kind: 'recurrent',
    tfjs: { className: 'Bidirectional', unsupported: (c) => wrappedBuildProblem(c, 'Bidirectional') },
    doc: 'Runs a recurrent layer forwards and a copy backwards over the sequence and merges both outputs (merge_mode "concat" doubles the features). Twice the weights of the wrapped layer.',
    args: [
      { name: 'layer', kind: 'layer', doc: 'The recurrent layer, e.g. layers.LSTM(64).' },
      { name: 'merge_mode', kind: 'any', default: 'concat', doc: '"concat", "sum", "mul", "ave" or None (a list of both outputs).' },
      init('weights', null, 'Initial weights (not read by Model Lens).'),
      { name: 'backward_layer', kind: 'layer', default: null, doc: 'A separate layer for the backward direction (default: a copy of layer).' },
    ],
    initialState: true,
    outputShape([x, ...init], c) {
      const { spec, config } = inner(c, 'Bidirectional');
      const out = spec.outputShape([x!], config);
      const mode = c['merge_mode'];
      if (init.length) {
        // Keras gives the first half of initial_state to the forward layer, the rest to the backward one.
        const states = bidirectionalStates(c, x!);
        initialStateCheck(init, [...states, ...states], 'Bidirectional');
      }
      if (mode === null) return out;
      if (mode === 'concat') {
        const back = backwardOutput(c, x!) ?? out;
        const a = out[out.length - 1]!;
        const b = back[back.length - 1]!;
        return [...out.slice(0, -1), a === null || b === null ? null : a + b];
      }
      if (!['sum', 'mul', 'ave'].includes(String(mode))) throw new ShapeError(`merge_mode=${JSON.stringify(mode)} is not one of "concat", "sum", "mul", "ave", None`);
      return out;
    },
    // merge_mode=None returns both directions' outputs; return_state=True (of the wrapped layer)
    // adds the forward layer's final states, then the backward one's.
    outputCount(c) {
      const { spec, config } = inner(c, 'Bidirectional');
      return (c['merge_mode'] === null ? 2 : 1) + 2 * ((spec.outputCount?.(config, {}) ?? 1) - 1);
    },
    outputShapes([x], c) {
      if (this.outputCount!(c, {}) === 1) return undefined;
      const out = this.outputShape([x!], c);
      const outs = c['merge_mode'] === null ? [out, backwardOutput(c, x!) ?? out] : [out];
      const { config } = inner(c, 'Bidirectional');
      const states = config['return_state'] === true ? bidirectionalStates(c, x!) : [];
      return [...outs, ...states, ...states];
    },
    params([x], c) {
      const f = inner(c, 'Bidirectional');
      const fw = f.spec.params([x!], f.config);
      const bw = c['backward_layer'] ? (() => { const b = inner({ layer: c['backward_layer']! }, 'Bidirectional'); return b.spec.params([x!], b.config); })() : fw;
      const t = fw.trainable + bw.trainable;
      const nt = fw.nonTrainable + bw.nonTrainable;
      return { trainable: t, nonTrainable: nt, formula: c['backward_layer'] ? `forward ${fw.trainable + fw.nonTrainable} + backward ${bw.trainable + bw.nonTrainable} = ${t + nt}` : `2·(${fw.formula}) = ${t + nt}` };
    },
    keyArgs: (c) => {
      try {
        const { spec, config } = inner(c, 'Bidirectional');
        return `${spec.type} ${spec.keyArgs?.(config) ?? ''}`.trim();
      } catch {
        return '';
      }
    },
    macs(inputs, out, c) {
      try {
        const { spec, config } = inner(c, 'Bidirectional');
        return 2 * (spec.macs?.(inputs, out, config) ?? 0);
      } catch {
        return 0;
      }
    },
  },
  {
    type: 'TimeDistributed',
    family: 'recurrent',
    kind: 'recurrent',
    tfjs: { className: 'TimeDistributed', unsupported: (c) => wrappedBuildProblem(c, 'TimeDistributed') },
    doc: 'Applies the wrapped layer to every time step (axis 1) separately, with the same weights for every step.',
    args: [{ name: 'layer', kind: 'layer', doc: 'The layer applied to each step, e.g. layers.Dense(10).' }],
    outputShape([x], c) {
      if (x!.length < 3) throw new ShapeError(`it needs an input with a time axis (batch, time, …) but gets ${x!.length}-D`);
      const { spec, config } = inner(c, 'TimeDistributed');
      const out = spec.outputShape([[null, ...x!.slice(2)]], config);
      return [null, x![1]!, ...out.slice(1)];
    },
    params([x], c) {
      const { spec, config } = inner(c, 'TimeDistributed');
      return spec.params([[null, ...x!.slice(2)]], config);
    },
    keyArgs: (c) => {
      try {
        const { spec, config } = inner(c, 'TimeDistributed');
        return `${spec.type} ${spec.keyArgs?.(config) ?? ''}`.trim();
      } catch {
        return '';
      }
    },
  },
  convLstm(2),
  convLstm(1),
  convLstm(3),
];

