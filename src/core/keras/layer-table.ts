/**
 * The one table of Keras layers Model Lens understands (netron's `*-metadata.json` idea):
 * each layer's arguments in Keras signature order with Keras 3 defaults, its Keras ↔ TF.js names,
 * documentation, a pure output-shape function and a pure parameter-count function.
 * It drives the Python and JSON readers, shape inference, hover text and the worker's model builder.
 */
import type { ConfigValue, Shape } from '../model/ir';

/** How an argument value is checked and normalized (as Keras's `get_config()` would show it). */
export type ArgKind =
  | 'int' // a positive integer
  | 'float'
  | 'bool'
  | 'string'
  | 'int2' // int or pair of ints → [a, b]
  | 'int2OrNull' // as int2, or None
  | 'padding' // 'valid' | 'same', any letter case → lower case
  | 'activation' // None | name | keras.activations.X / tf.nn.X → name
  | 'shape' // tuple of ints (None allowed) without the batch axis
  | 'targetShape' // tuple of ints, one -1 allowed
  | 'axis' // int
  | 'dataFormat' // None | 'channels_last' (channels_first is not supported)
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
}

export interface Params {
  trainable: number;
  nonTrainable: number;
  /** Human formula, e.g. `(3·3·1 + 1)·32 = 320`. */
  formula: string;
}

/** Raised by a shape function; the message says what is wrong and what to change. */
export class ShapeError extends Error {}

export interface LayerSpec {
  /** Keras class name. */
  type: string;
  /** TF.js class name (`tf.layers` registers the same class names). */
  tfjs: string;
  doc: string;
  /** Layer-specific arguments in Keras signature order (positional order). */
  args: ArgSpec[];
  /** Takes a list of tensors (Add, Concatenate). */
  multiInput?: boolean;
  outputShape(inputs: Shape[], c: Record<string, ConfigValue>): Shape;
  params(inputs: Shape[], c: Record<string, ConfigValue>): Params;
}

// ---------------------------------------------------------------- helpers

const NONE: Params = { trainable: 0, nonTrainable: 0, formula: 'no weights' };
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'sigmoid', 'softmax', 'log_softmax', 'tanh', 'elu', 'selu', 'softplus',
  'softsign', 'swish', 'silu', 'gelu', 'mish', 'exponential', 'hard_sigmoid', 'hard_silu', 'leaky_relu',
];

const dot = (...xs: (number | string)[]) => xs.join('·');
const n2 = (v: ConfigValue): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)]);
const prod = (dims: (number | null)[]): number | null => dims.reduce<number | null>((a, d) => (a === null || d === null ? null : a * d), 1);

function rankIs(input: Shape, rank: number, type: string, hint: string): void {
  if (input.length !== rank) {
    throw new ShapeError(`${type} expects a ${rank}-D input (batch included) but gets ${input.length}-D ${fmt(input)}. ${hint}`);
  }
}
function fmt(s: Shape): string {
  return '(' + s.map((d) => (d === null ? 'None' : String(d))).join(', ') + ')';
}
function known(d: number | null, what: string): number {
  if (d === null) throw new ShapeError(`the ${what} is unknown; give the input a full shape, e.g. keras.Input(shape=(28, 28, 1))`);
  return d;
}

/** Keras `conv_output_length` (with dilation), also used for pooling. */
export function convLength(input: number | null, k: number, padding: string, stride: number, dilation = 1): number | null {
  if (input === null) return null;
  const dk = k + (k - 1) * (dilation - 1);
  const out = padding === 'same' ? input : input - dk + 1;
  return Math.floor((out + stride - 1) / stride);
}

function spatial(input: Shape, c: Record<string, ConfigValue>, type: string, kernelKey: string, stridesKey: string): [number | null, number | null] {
  rankIs(input, 4, type, 'Give it an image tensor (batch, height, width, channels); add layers.Reshape((h, w, c)) if the input is flat.');
  const [kh, kw] = n2(c[kernelKey]!);
  const strides = c[stridesKey] === null || c[stridesKey] === undefined ? c[kernelKey]! : c[stridesKey]!;
  const [sh, sw] = n2(strides);
  const [dh, dw] = c['dilation_rate'] !== undefined ? n2(c['dilation_rate']) : [1, 1];
  const padding = String(c['padding'] ?? 'valid');
  const h = convLength(input[1]!, kh, padding, sh, dh);
  const w = convLength(input[2]!, kw, padding, sw, dw);
  if ((h !== null && h <= 0) || (w !== null && w <= 0)) {
    throw new ShapeError(
      `its ${kh}×${kw} window does not fit the ${input[1]}×${input[2]} input with padding='valid'; ` +
        `use padding='same', a smaller ${kernelKey} or ${stridesKey}, or fewer pooling layers before it`,
    );
  }
  return [h, w];
}

const channels = (input: Shape, type: string) => known(input[input.length - 1]!, `channel count of the input to ${type}`);

const dataFormatArg: ArgSpec = { name: 'data_format', kind: 'dataFormat', default: null, doc: "'channels_last' (batch, height, width, channels); Model Lens reads channels_last only." };
const activationArg: ArgSpec = { name: 'activation', kind: 'activation', default: null, doc: 'Activation applied to the output (None = linear), e.g. "relu".' };
const useBiasArg: ArgSpec = { name: 'use_bias', kind: 'bool', default: true, doc: 'Whether the layer adds a bias vector.' };
const paddingArg: ArgSpec = { name: 'padding', kind: 'padding', default: 'valid', doc: '"valid" (no padding: the output shrinks) or "same" (zero-padded: output = ceil(input / strides)).' };
const stridesArg: ArgSpec = { name: 'strides', kind: 'int2', default: [1, 1], doc: 'Step of the window along height and width.' };
const dilationArg: ArgSpec = { name: 'dilation_rate', kind: 'int2', default: [1, 1], doc: 'Spacing between kernel taps (atrous convolution).' };
const init = (name: string, def: ConfigValue, doc: string): ArgSpec => ({ name, kind: 'any', default: def, doc });
const weightArgs = (w: string): ArgSpec[] => [
  init(`${w}_initializer`, w === 'bias' ? 'zeros' : 'glorot_uniform', `Initializer of the ${w} weights.`),
  init(`${w}_regularizer`, null, `Regularizer applied to the ${w} weights.`),
  init(`${w}_constraint`, null, `Constraint applied to the ${w} weights.`),
];
const activityArg = init('activity_regularizer', null, 'Regularizer applied to the output.');

// ---------------------------------------------------------------- the table

function pooling(type: string, op: string): LayerSpec {
  return {
    type,
    tfjs: type,
    doc: `${op} over a pool_size window moved by strides; no weights. Output: floor((in − pool)/stride) + 1 ("valid") or ceil(in/stride) ("same").`,
    args: [
      { name: 'pool_size', kind: 'int2', default: [2, 2], doc: 'Window size along height and width.' },
      { name: 'strides', kind: 'int2OrNull', default: null, doc: 'Step of the window; None means pool_size.' },
      paddingArg,
      dataFormatArg,
    ],
    outputShape([x], c) {
      const [h, w] = spatial(x!, c, type, 'pool_size', 'strides');
      return [null, h, w, x![3]!];
    },
    params: () => NONE,
  };
}

function globalPooling(type: string, op: string): LayerSpec {
  return {
    type,
    tfjs: type,
    doc: `${op} over height and width: one value per channel; no weights.`,
    args: [dataFormatArg, { name: 'keepdims', kind: 'bool', default: false, doc: 'Keep height and width as size 1.' }],
    outputShape([x], c) {
      rankIs(x!, 4, type, 'It pools an image tensor (batch, height, width, channels).');
      return c['keepdims'] ? [null, 1, 1, x![3]!] : [null, x![3]!];
    },
    params: () => NONE,
  };
}

function identity(type: string, doc: string, args: ArgSpec[]): LayerSpec {
  return { type, tfjs: type, doc, args, outputShape: ([x]) => [...x!], params: () => NONE };
}

const LAYERS: LayerSpec[] = [
  {
    type: 'InputLayer',
    tfjs: 'InputLayer',
    doc: 'The model input: a tensor of the given shape (batch axis not included). Created by keras.Input(shape=...).',
    args: [
      { name: 'shape', kind: 'shape', default: null, doc: 'Input shape without the batch axis, e.g. (28, 28, 1).', tfjs: 'inputShape' },
      { name: 'batch_size', kind: 'int', default: null, doc: 'Fixed batch size (usually None).' },
      { name: 'dtype', kind: 'string', default: 'float32', doc: 'Data type of the input.' },
      { name: 'sparse', kind: 'bool', default: false, doc: 'Whether the input is a sparse tensor.' },
      { name: 'batch_shape', kind: 'any', default: null, doc: 'Shape including the batch axis (alternative to shape).', tfjs: 'batchInputShape' },
      { name: 'tensor', kind: 'any', default: null, doc: 'An existing tensor to wrap (not read by Model Lens).' },
      { name: 'optional', kind: 'bool', default: false, doc: 'Whether the input may be None.' },
    ],
    outputShape: (_i, c) => [null, ...((c['shape'] as (number | null)[] | null) ?? [])],
    params: () => NONE,
  },
  {
    type: 'Conv2D',
    tfjs: 'Conv2D',
    doc: 'A 2-D convolution: `filters` kernels of size kernel_size slide over the image; each output channel is a weighted sum over a window of all input channels plus a bias.',
    args: [
      { name: 'filters', kind: 'int', doc: 'Number of output channels (kernels).' },
      { name: 'kernel_size', kind: 'int2', doc: 'Height and width of the kernel, an int or a pair.' },
      stridesArg,
      paddingArg,
      dataFormatArg,
      dilationArg,
      { name: 'groups', kind: 'int', default: 1, doc: 'Split the input channels into this many groups.' },
      activationArg,
      useBiasArg,
      init('kernel_initializer', 'glorot_uniform', 'Initializer of the kernel weights.'),
      init('bias_initializer', 'zeros', 'Initializer of the bias.'),
      init('kernel_regularizer', null, 'Regularizer of the kernel weights.'),
      init('bias_regularizer', null, 'Regularizer of the bias.'),
      activityArg,
      init('kernel_constraint', null, 'Constraint on the kernel weights.'),
      init('bias_constraint', null, 'Constraint on the bias.'),
    ],
    outputShape([x], c) {
      const [h, w] = spatial(x!, c, 'Conv2D', 'kernel_size', 'strides');
      const cin = x![3];
      const groups = Number(c['groups'] ?? 1);
      if (cin !== null && cin !== undefined && cin % groups !== 0) throw new ShapeError(`its ${cin} input channels cannot be split into groups=${groups}; use a divisor of ${cin}`);
      return [null, h, w, Number(c['filters'])];
    },
    params([x], c) {
      const [kh, kw] = n2(c['kernel_size']!);
      const cin = channels(x!, 'Conv2D') / Number(c['groups'] ?? 1);
      const f = Number(c['filters']);
      const w = kh * kw * cin * f;
      if (c['use_bias'] === false) return { trainable: w, nonTrainable: 0, formula: `${dot(kh, kw, cin, f)} = ${w}` };
      return { trainable: w + f, nonTrainable: 0, formula: `(${dot(kh, kw, cin)} + 1)·${f} = ${w + f}` };
    },
  },
  {
    type: 'DepthwiseConv2D',
    tfjs: 'DepthwiseConv2D',
    doc: 'A depthwise 2-D convolution: each input channel is convolved with its own depth_multiplier kernels (no mixing across channels).',
    args: [
      { name: 'kernel_size', kind: 'int2', doc: 'Height and width of the kernel, an int or a pair.' },
      stridesArg,
      paddingArg,
      { name: 'depth_multiplier', kind: 'int', default: 1, doc: 'Output channels per input channel.' },
      dataFormatArg,
      dilationArg,
      activationArg,
      useBiasArg,
      init('depthwise_initializer', 'glorot_uniform', 'Initializer of the depthwise kernel.'),
      init('bias_initializer', 'zeros', 'Initializer of the bias.'),
      init('depthwise_regularizer', null, 'Regularizer of the depthwise kernel.'),
      init('bias_regularizer', null, 'Regularizer of the bias.'),
      activityArg,
      init('depthwise_constraint', null, 'Constraint on the depthwise kernel.'),
      init('bias_constraint', null, 'Constraint on the bias.'),
    ],
    outputShape([x], c) {
      const [h, w] = spatial(x!, c, 'DepthwiseConv2D', 'kernel_size', 'strides');
      const cin = x![3]!;
      return [null, h, w, cin === null ? null : cin * Number(c['depth_multiplier'] ?? 1)];
    },
    params([x], c) {
      const [kh, kw] = n2(c['kernel_size']!);
      const cin = channels(x!, 'DepthwiseConv2D');
      const m = Number(c['depth_multiplier'] ?? 1);
      const w = kh * kw * cin * m;
      if (c['use_bias'] === false) return { trainable: w, nonTrainable: 0, formula: `${dot(kh, kw, cin, m)} = ${w}` };
      return { trainable: w + cin * m, nonTrainable: 0, formula: `${dot(kh, kw, cin, m)} + ${dot(cin, m)} = ${w + cin * m}` };
    },
  },
  {
    type: 'SeparableConv2D',
    tfjs: 'SeparableConv2D',
    doc: 'A depthwise convolution per channel followed by a 1×1 pointwise convolution that mixes channels into `filters` outputs.',
    args: [
      { name: 'filters', kind: 'int', doc: 'Number of output channels.' },
      { name: 'kernel_size', kind: 'int2', doc: 'Height and width of the depthwise kernel.' },
      stridesArg,
      paddingArg,
      dataFormatArg,
      dilationArg,
      { name: 'depth_multiplier', kind: 'int', default: 1, doc: 'Depthwise output channels per input channel.' },
      activationArg,
      useBiasArg,
      init('depthwise_initializer', 'glorot_uniform', 'Initializer of the depthwise kernel.'),
      init('pointwise_initializer', 'glorot_uniform', 'Initializer of the pointwise kernel.'),
      init('bias_initializer', 'zeros', 'Initializer of the bias.'),
      init('depthwise_regularizer', null, 'Regularizer of the depthwise kernel.'),
      init('pointwise_regularizer', null, 'Regularizer of the pointwise kernel.'),
      init('bias_regularizer', null, 'Regularizer of the bias.'),
      activityArg,
      init('depthwise_constraint', null, 'Constraint on the depthwise kernel.'),
      init('pointwise_constraint', null, 'Constraint on the pointwise kernel.'),
      init('bias_constraint', null, 'Constraint on the bias.'),
    ],
    outputShape([x], c) {
      const [h, w] = spatial(x!, c, 'SeparableConv2D', 'kernel_size', 'strides');
      return [null, h, w, Number(c['filters'])];
    },
    params([x], c) {
      const [kh, kw] = n2(c['kernel_size']!);
      const cin = channels(x!, 'SeparableConv2D');
      const m = Number(c['depth_multiplier'] ?? 1);
      const f = Number(c['filters']);
      const dw = kh * kw * cin * m;
      const pw = cin * m * f;
      const b = c['use_bias'] === false ? 0 : f;
      const total = dw + pw + b;
      return { trainable: total, nonTrainable: 0, formula: `${dot(kh, kw, cin, m)} + ${dot(cin, m, f)}${b ? ` + ${f}` : ''} = ${total}` };
    },
  },
  pooling('MaxPooling2D', 'The maximum'),
  pooling('AveragePooling2D', 'The average'),
  globalPooling('GlobalAveragePooling2D', 'The average'),
  globalPooling('GlobalMaxPooling2D', 'The maximum'),
  identity('Dropout', 'During training sets a fraction `rate` of the inputs to 0 (and scales the rest by 1/(1−rate)); does nothing at inference. No weights.', [
    { name: 'rate', kind: 'float', doc: 'Fraction of the inputs to drop, between 0 and 1.' },
    { name: 'noise_shape', kind: 'any', default: null, doc: 'Shape of the dropout mask (to share it across axes).' },
    { name: 'seed', kind: 'any', default: null, doc: 'Random seed.' },
  ]),
  {
    type: 'Flatten',
    tfjs: 'Flatten',
    doc: 'Reshapes the input to one dimension per sample (e.g. 7×7×64 → 3136) so Dense layers can follow. No weights.',
    args: [dataFormatArg],
    outputShape([x]) {
      if (x!.length < 2) throw new ShapeError('its input has no axis besides the batch axis');
      return [null, prod(x!.slice(1))];
    },
    params: () => NONE,
  },
  {
    type: 'Dense',
    tfjs: 'Dense',
    doc: 'A fully connected layer: every output unit is a weighted sum of all inputs plus a bias.',
    args: [
      { name: 'units', kind: 'int', doc: 'Number of output units.' },
      activationArg,
      useBiasArg,
      ...weightArgs('kernel').slice(0, 1),
      init('bias_initializer', 'zeros', 'Initializer of the bias.'),
      init('kernel_regularizer', null, 'Regularizer of the kernel weights.'),
      init('bias_regularizer', null, 'Regularizer of the bias.'),
      activityArg,
      init('kernel_constraint', null, 'Constraint on the kernel weights.'),
      init('bias_constraint', null, 'Constraint on the bias.'),
      init('lora_rank', null, 'Rank of a LoRA adapter (None = none).'),
    ],
    outputShape([x], c) {
      if (x!.length < 2) throw new ShapeError('its input has no feature axis');
      return [...x!.slice(0, -1), Number(c['units'])];
    },
    params([x], c) {
      const cin = channels(x!, 'Dense');
      const u = Number(c['units']);
      if (c['use_bias'] === false) return { trainable: cin * u, nonTrainable: 0, formula: `${dot(cin, u)} = ${cin * u}` };
      return { trainable: cin * u + u, nonTrainable: 0, formula: `(${cin} + 1)·${u} = ${cin * u + u}` };
    },
  },
  identity('Activation', 'Applies an activation function element-wise. No weights.', [
    { name: 'activation', kind: 'activation', doc: 'Activation name, e.g. "relu" or "softmax".' },
  ]),
  identity('ReLU', 'Rectified linear unit max(x, 0), optionally capped (max_value) or leaky (negative_slope). No weights.', [
    { name: 'max_value', kind: 'any', default: null, doc: 'Upper cap of the output (None = no cap).' },
    { name: 'negative_slope', kind: 'float', default: 0.0, doc: 'Slope for inputs below the threshold.' },
    { name: 'threshold', kind: 'float', default: 0.0, doc: 'Inputs below this are damped.' },
  ]),
  identity('Softmax', 'Softmax along `axis`: outputs are positive and sum to 1 (class probabilities). No weights.', [
    { name: 'axis', kind: 'axis', default: -1, doc: 'Axis along which the softmax is taken.' },
  ]),
  {
    type: 'BatchNormalization',
    tfjs: 'BatchNormalization',
    doc: 'Normalizes each channel with its batch mean and variance, then scales (gamma) and shifts (beta). 4 numbers per channel: gamma and beta are trained, the moving mean and variance are not.',
    args: [
      { name: 'axis', kind: 'axis', default: -1, doc: 'The channel axis.' },
      { name: 'momentum', kind: 'float', default: 0.99, doc: 'Momentum of the moving mean and variance.' },
      { name: 'epsilon', kind: 'float', default: 0.001, doc: 'Added to the variance to avoid dividing by zero.' },
      { name: 'center', kind: 'bool', default: true, doc: 'Learn an offset beta.' },
      { name: 'scale', kind: 'bool', default: true, doc: 'Learn a scale gamma.' },
      init('beta_initializer', 'zeros', 'Initializer of beta.'),
      init('gamma_initializer', 'ones', 'Initializer of gamma.'),
      init('moving_mean_initializer', 'zeros', 'Initializer of the moving mean.'),
      init('moving_variance_initializer', 'ones', 'Initializer of the moving variance.'),
      init('beta_regularizer', null, 'Regularizer of beta.'),
      init('gamma_regularizer', null, 'Regularizer of gamma.'),
      init('beta_constraint', null, 'Constraint on beta.'),
      init('gamma_constraint', null, 'Constraint on gamma.'),
      { name: 'synchronized', kind: 'bool', default: false, doc: 'Synchronize statistics across devices.' },
    ],
    outputShape([x], c) {
      const axis = Number(c['axis'] ?? -1);
      const a = axis < 0 ? x!.length + axis : axis;
      if (a <= 0 || a >= x!.length) throw new ShapeError(`axis=${axis} is not a feature axis of its ${x!.length}-D input; use axis=-1`);
      return [...x!];
    },
    params([x], c) {
      const axis = Number(c['axis'] ?? -1);
      const ch = known(x![axis < 0 ? x!.length + axis : axis]!, 'channel count of the input to BatchNormalization');
      const learned = (c['center'] === false ? 0 : 1) + (c['scale'] === false ? 0 : 1);
      return {
        trainable: learned * ch,
        nonTrainable: 2 * ch,
        formula: `${learned}·${ch} trainable (${[c['scale'] !== false && 'gamma', c['center'] !== false && 'beta'].filter(Boolean).join(', ') || 'none'}) + 2·${ch} non-trainable (moving mean, variance) = ${(learned + 2) * ch}`,
      };
    },
  },
  {
    type: 'Reshape',
    tfjs: 'Reshape',
    doc: 'Reshapes each sample to target_shape (one entry may be -1: inferred). The number of values must stay the same. No weights.',
    args: [{ name: 'target_shape', kind: 'targetShape', doc: 'New shape without the batch axis, e.g. (28, 28, 1) or (-1,).' }],
    outputShape([x], c) {
      const target = (c['target_shape'] as number[]).map(Number);
      const total = prod(x!.slice(1));
      const free = target.indexOf(-1);
      const fixed = target.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
      if (free >= 0) {
        if (total === null) return [null, ...target.map((d) => (d === -1 ? null : d))];
        if (fixed === 0 || total % fixed !== 0) throw new ShapeError(`cannot reshape ${total} values to ${fmt(target)}: ${total} is not divisible by ${fixed}`);
        return [null, ...target.map((d) => (d === -1 ? total / fixed : d))];
      }
      if (total !== null && total !== fixed) {
        throw new ShapeError(`cannot reshape ${fmt(x!.slice(1))} (${total} values) to ${fmt(target)} (${fixed} values); the counts must match (use -1 for one axis to infer it)`);
      }
      return [null, ...target];
    },
    params: () => NONE,
  },
  identity('Rescaling', 'Multiplies the input by `scale` and adds `offset` (e.g. scale=1/255 maps pixels to [0, 1]). No weights.', [
    { name: 'scale', kind: 'float', doc: 'Multiplier, e.g. 1./255.' },
    { name: 'offset', kind: 'float', default: 0.0, doc: 'Added after scaling.' },
  ]),
  {
    type: 'Add',
    tfjs: 'Add',
    multiInput: true,
    doc: 'Adds a list of tensors of the same shape element-wise (skip connections). No weights.',
    args: [],
    outputShape(inputs) {
      if (inputs.length < 2) throw new ShapeError(`it needs a list of at least 2 tensors, e.g. layers.Add()([x, skip]); it got ${inputs.length}`);
      const rank = inputs[0]!.length;
      if (inputs.some((s) => s.length !== rank)) throw new ShapeError(`its inputs have different ranks: ${inputs.map(fmt).join(' and ')}; all inputs must have the same shape`);
      const out: Shape = [null];
      for (let i = 1; i < rank; i++) {
        let d: number | undefined;
        let unknown = false;
        for (const s of inputs) {
          const e = s[i]!;
          if (e === null) unknown = true;
          else if (d === undefined || d === 1) d = e;
          else if (e !== 1 && e !== d) {
            throw new ShapeError(`its inputs have different shapes: ${inputs.map(fmt).join(' and ')}; make them equal (e.g. a 1×1 Conv2D or matching strides on the shortcut)`);
          }
        }
        out.push(unknown || d === undefined ? null : d);
      }
      return out;
    },
    params: () => NONE,
  },
  {
    type: 'Concatenate',
    tfjs: 'Concatenate',
    multiInput: true,
    doc: 'Joins a list of tensors along `axis`; all other axes must match. No weights.',
    args: [{ name: 'axis', kind: 'axis', default: -1, doc: 'Axis along which to join (default: the last, channels).' }],
    outputShape(inputs, c) {
      if (inputs.length < 2) throw new ShapeError(`it needs a list of at least 2 tensors, e.g. layers.Concatenate()([a, b]); it got ${inputs.length}`);
      const rank = inputs[0]!.length;
      if (inputs.some((s) => s.length !== rank)) throw new ShapeError(`its inputs have different ranks: ${inputs.map(fmt).join(' and ')}`);
      const axis = Number(c['axis'] ?? -1);
      const a = axis < 0 ? rank + axis : axis;
      if (a <= 0 || a >= rank) throw new ShapeError(`axis=${axis} is not a feature axis of its ${rank}-D inputs`);
      const out: Shape = [null];
      for (let i = 1; i < rank; i++) {
        if (i === a) {
          out.push(inputs.reduce<number | null>((s, x) => (s === null || x[i] === null ? null : s + (x[i] as number)), 0));
          continue;
        }
        const dims = new Set(inputs.map((s) => s[i]).filter((d) => d !== null));
        if (dims.size > 1) {
          throw new ShapeError(`its inputs differ on axis ${i} (not the concatenation axis ${axis}): ${inputs.map(fmt).join(' and ')}; only axis ${axis} may differ`);
        }
        out.push(dims.size ? [...dims][0]! : null);
      }
      return out;
    },
    params: () => NONE,
  },
];

/** Arguments every Keras layer accepts (base `Layer.__init__` and input-shape shortcuts). */
export const BASE_ARGS: ArgSpec[] = [
  { name: 'name', kind: 'string', default: null, doc: 'Layer name (default: the class name in snake_case, numbered).' },
  { name: 'trainable', kind: 'bool', default: true, doc: 'Whether the weights are updated in training.' },
  { name: 'dtype', kind: 'any', default: null, doc: 'Data type policy of the layer.' },
  { name: 'autocast', kind: 'bool', default: true, doc: 'Cast inputs to the compute dtype.' },
  { name: 'input_shape', kind: 'shape', default: null, doc: 'Shape of the model input (first layer of a Sequential model).', tfjs: 'inputShape' },
  { name: 'batch_input_shape', kind: 'any', default: null, doc: 'Input shape including the batch axis.', tfjs: 'batchInputShape' },
  { name: 'input_dim', kind: 'int', default: null, doc: 'Shortcut for input_shape=(input_dim,).', tfjs: 'inputDim' },
  { name: 'batch_size', kind: 'int', default: null, doc: 'Fixed batch size for the input.' },
];

const BY_TYPE = new Map(LAYERS.map((l) => [l.type, l]));

export function layerSpec(type: string): LayerSpec | undefined {
  return BY_TYPE.get(type);
}

/** Keras class names of every supported layer, sorted. */
export function supportedLayerTypes(): string[] {
  return LAYERS.map((l) => l.type).sort();
}

/** snake_case → camelCase (TF.js argument names). */
export function tfjsArgName(arg: ArgSpec | string): string {
  if (typeof arg !== 'string' && arg.tfjs) return arg.tfjs;
  const name = typeof arg === 'string' ? arg : arg.name;
  return name.replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
}

/** Every argument a layer accepts: its own, then the base ones. */
export function allArgs(spec: LayerSpec): ArgSpec[] {
  let all = ALL_ARGS.get(spec);
  if (!all) {
    const own = new Set(spec.args.map((a) => a.name));
    all = [...spec.args, ...BASE_ARGS.filter((a) => !own.has(a.name))];
    ALL_ARGS.set(spec, all);
  }
  return all;
}
const ALL_ARGS = new WeakMap<LayerSpec, ArgSpec[]>();
