/**
 * What a layer record in the catalog carries (netron's `*-metadata.json` idea, as TypeScript):
 * arguments in Keras signature order with Keras 3 defaults, documentation, a pure output-shape
 * function and a pure parameter-count function, and what the rest of the program needs to know
 * about the layer — its place in the graph (kind and key arguments), its multiply-adds per sample,
 * whether the panel can show its activations, and how TF.js builds it (as data: the worker applies it).
 * Shared helpers for the family files live here too.
 */
import type { ConfigValue, Shape } from '../../model/ir';

/** How an argument value is checked and normalized (as Keras's `get_config()` would show it). */
export type ArgKind =
  | 'int' // a positive integer
  | 'int0' // a non-negative integer
  | 'float'
  | 'bool'
  | 'string'
  | 'int2' // int or pair of ints → [a, b]
  | 'int2OrNull' // as int2, or None
  | 'ints' // int or tuple of `rank` ints → tuple (rank in ArgSpec.rank)
  | 'intsOrNull' // as ints, or None
  | 'padding' // 'valid' | 'same', any letter case → lower case
  | 'choice' // one of ArgSpec.choices (lower-cased)
  | 'activation' // None | name | keras.activations.X / tf.nn.X → name
  | 'shape' // tuple of ints (None allowed) without the batch axis
  | 'targetShape' // tuple of ints, one -1 allowed
  | 'axis' // int
  | 'axes' // int or tuple of ints
  | 'dataFormat' // None | 'channels_last' (channels_first is not supported)
  | 'dataFormatAny' // None | 'channels_last' | 'channels_first' (layers whose shape rule reads both: global pooling)
  | 'layer' // a layer, as Keras serializes it: {class_name, config}
  | 'any'; // kept as written (initializers, regularizers, …)

export interface ArgSpec {
  /** Keras (snake_case) name. */
  name: string;
  kind: ArgKind;
  /** Keras 3 default; `undefined` means the argument is required. */
  default?: ConfigValue;
  doc: string;
  /** TF.js (camelCase) name, when it has one. */
  tfjs?: string;
  /** For 'ints'/'intsOrNull': how many ints. */
  rank?: number;
  /** For 'choice': the allowed values. */
  choices?: string[];
  /** Older spellings Keras 3 still accepts (LeakyReLU's `alpha` for negative_slope). */
  oldNames?: string[];
}

export interface Params {
  trainable: number;
  nonTrainable: number;
  /** Human formula, e.g. `(3·3·1 + 1)·32 = 320`. */
  formula: string;
}

/** Raised by a shape function; the message says what is wrong and what to change. */
export class ShapeError extends Error {}

/** The graph's colour family for a layer. */
export type LayerKind =
  | 'input'
  | 'conv'
  | 'pool'
  | 'dense'
  | 'embedding'
  | 'recurrent'
  | 'attention'
  | 'activation'
  | 'dropout'
  | 'reshape'
  | 'merge'
  | 'norm'
  | 'preprocess'
  | 'other';

/**
 * How the worker builds the layer with TF.js: a Keras-format layer config under `className`
 * (a class tfjs-layers registers, or one of ours in src/worker/custom-layers when `custom`),
 * or `none` saying why this layer cannot be trained here.
 */
export type TfjsBuilder =
  | {
      className: string;
      custom?: boolean;
      /** The Keras config TF.js gets (default: the layer's own). */
      config?: (c: Record<string, ConfigValue>) => Record<string, ConfigValue>;
      /** Why this configuration cannot be built, when only some can. */
      unsupported?: (c: Record<string, ConfigValue>) => string | undefined;
      /** Another class for some configurations (ours where tfjs-layers' lacks an option), e.g. Conv1D with padding='causal'. */
      classFor?: (c: Record<string, ConfigValue>) => { className: string; custom?: boolean; config?: (c: Record<string, ConfigValue>) => Record<string, ConfigValue> } | undefined;
    }
  | { none: string };

export type Config = Record<string, ConfigValue>;

export interface LayerSpec {
  /** Keras class name. */
  type: string;
  /** Other names Keras 3 exports the same class under (`MaxPool2D` for MaxPooling2D). */
  aliases?: string[];
  /** Family (the file it lives in). */
  family: string;
  tfjs: TfjsBuilder;
  doc: string;
  /** Layer-specific arguments in Keras signature order (positional order). */
  args: ArgSpec[];
  /** Takes a list of tensors (Add, Concatenate, attention's [query, value]). */
  multiInput?: boolean;
  /**
   * Call arguments that are input tensors, in order, when the layer takes them as separate
   * arguments rather than one list: MultiHeadAttention(query, value, key) → ['query', 'value', 'key'].
   */
  callTensors?: string[];
  outputShape(inputs: Shape[], c: Config): Shape;
  /**
   * A layer whose call can return several tensors (an RNN with return_state=True: its output and
   * final states; MultiHeadAttention(…, return_attention_scores=True)): how many, from its config
   * and the call's options (`call`). Absent: one.
   */
  outputCount?(c: Config, call: Config): number;
  /** …and their shapes in Keras's order, when more than one (undefined: the one outputShape). */
  outputShapes?(inputs: Shape[], c: Config, call: Config): Shape[] | undefined;
  /**
   * The call takes initial states after the input (RNN's `initial_state=`, or its second
   * positional argument): they are inputs of the call too, checked by outputShape.
   */
  initialState?: boolean;
  params(inputs: Shape[], c: Config): Params;
  /** Graph colour family. */
  kind: LayerKind;
  /** `32 · 3×3 · same · relu`: what a graph node shows. */
  keyArgs?(c: Config): string;
  /** Multiply-adds for one sample (0 when not counted). */
  macs?(inputs: Shape[], output: Shape, c: Config): number;
  /** The panel can draw its output as feature maps (a 2-D spatial output). */
  showActivations?: boolean;
}

// ---------------------------------------------------------------- shared helpers

export const NONE: Params = { trainable: 0, nonTrainable: 0, formula: 'no weights' };

export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'sigmoid', 'softmax', 'log_softmax', 'tanh', 'elu', 'selu', 'softplus',
  'softsign', 'swish', 'silu', 'gelu', 'mish', 'exponential', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'leaky_relu',
];

export const dot = (...xs: (number | string)[]) => xs.join('·');
export const prod = (dims: (number | null)[]): number | null => dims.reduce<number | null>((a, d) => (a === null || d === null ? null : a * d), 1);

/** An int or tuple config value as `n` numbers. */
export function ints(v: ConfigValue | undefined, n: number): number[] {
  if (Array.isArray(v)) return v.map(Number);
  return Array.from({ length: n }, () => Number(v));
}

export function rankIs(input: Shape, rank: number, type: string, hint: string): void {
  if (input.length !== rank) {
    throw new ShapeError(`${type} expects a ${rank}-D input (batch included) but gets ${input.length}-D ${fmt(input)}. ${hint}`);
  }
}

export function fmt(s: Shape | number[]): string {
  return '(' + s.map((d) => (d === null ? 'None' : String(d))).join(', ') + (s.length === 1 ? ',)' : ')');
}

export function known(d: number | null | undefined, what: string): number {
  if (d === null || d === undefined) throw new ShapeError(`the ${what} is unknown; give the input a full shape, e.g. keras.Input(shape=(28, 28, 1))`);
  return d;
}

export const lastDim = (input: Shape, type: string) => known(input[input.length - 1], `last axis (features) of the input to ${type}`);

/** Keras `compute_conv_output_shape`'s length (with dilation), also used for pooling. */
export function convLength(input: number | null, k: number, padding: string, stride: number, dilation = 1): number | null {
  if (input === null) return null;
  const dk = k + (k - 1) * (dilation - 1);
  const out = padding === 'same' || padding === 'causal' ? input : input - dk + 1;
  return Math.floor((out + stride - 1) / stride);
}

/** Keras `compute_conv_transpose_output_shape`'s length. */
export function deconvLength(input: number | null, k: number, padding: string, stride: number, outputPadding: number | null, dilation = 1): number | null {
  if (input === null) return null;
  const dk = k + (k - 1) * (dilation - 1);
  if (outputPadding === null) return padding === 'valid' ? input * stride + Math.max(dk - stride, 0) : input * stride;
  const pad = padding === 'same' ? Math.floor(dk / 2) : 0;
  return (input - 1) * stride + dk - 2 * pad + outputPadding;
}

/** Axis names of an n-D spatial input, for messages. */
export const SPATIAL: Record<number, string> = {
  1: '(batch, steps, channels)',
  2: '(batch, height, width, channels)',
  3: '(batch, depth, height, width, channels)',
};

export const times = (xs: number[]) => xs.join('×');

export function withBias(w: number, bias: number, useBias: boolean, formula: string): Params {
  const t = w + (useBias ? bias : 0);
  return { trainable: t, nonTrainable: 0, formula: `${formula}${useBias ? ` + ${bias}` : ''} = ${t}` };
}

// ---------------------------------------------------------------- shared arguments

export const dataFormatArg: ArgSpec = { name: 'data_format', kind: 'dataFormat', default: null, doc: "'channels_last' (channels on the last axis); Model Lens reads channels_last only." };
export const activationArg: ArgSpec = { name: 'activation', kind: 'activation', default: null, doc: 'Activation applied to the output (None = linear), e.g. "relu".' };
export const useBiasArg: ArgSpec = { name: 'use_bias', kind: 'bool', default: true, doc: 'Whether the layer adds a bias vector.' };
export const paddingArg: ArgSpec = { name: 'padding', kind: 'padding', default: 'valid', doc: '"valid" (no padding: the output shrinks) or "same" (zero-padded: output = ceil(input / strides)).' };
export const init = (name: string, def: ConfigValue, doc: string): ArgSpec => ({ name, kind: 'any', default: def, doc });
export const seedArg = init('seed', null, 'Random seed.');
/** `<w>_initializer`, `<w>_regularizer`, `<w>_constraint`. */
export const weightArgs = (w: string, initDefault: ConfigValue = w === 'bias' ? 'zeros' : 'glorot_uniform'): ArgSpec[] => [
  init(`${w}_initializer`, initDefault, `Initializer of the ${w.replace(/_/g, ' ')} weights.`),
  init(`${w}_regularizer`, null, `Regularizer applied to the ${w.replace(/_/g, ' ')} weights.`),
  init(`${w}_constraint`, null, `Constraint applied to the ${w.replace(/_/g, ' ')} weights.`),
];
export const activityArg = init('activity_regularizer', null, 'Regularizer applied to the output.');

/** Keras's serialized inner layer `{class_name, config}` of a wrapper. */
export function innerLayer(v: ConfigValue | undefined, type: string): { className: string; config: Config } {
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof v['class_name'] === 'string') {
    const cfg = v['config'];
    return { className: v['class_name'], config: cfg && typeof cfg === 'object' && !Array.isArray(cfg) ? cfg : {} };
  }
  throw new ShapeError(`${type} wraps a layer Model Lens cannot see; pass the layer directly, e.g. ${type}(layers.LSTM(64))`);
}

/** The catalog's lookup, bound by the index (family files cannot import it without a cycle). */
export const registry: { lookup: (type: string) => LayerSpec | undefined } = { lookup: () => undefined };

/** A layer with no weights whose output has its input's shape. */
export function sameShape(type: string, family: string, kind: LayerKind, doc: string, args: ArgSpec[], extra: Partial<LayerSpec> = {}): LayerSpec {
  return { type, family, kind, tfjs: { className: type }, doc, args, outputShape: ([x]) => [...x!], params: () => NONE, ...extra };
}
