/**
 * What Keras 1 called things, for the messages on files written for it (2016-era tutorials).
 * Keras 2.0–2.3 converted these with a warning ("Update your `Dense` call to the Keras 2 API",
 * keras/legacy/interfaces.py); tf.keras and Keras 3 have no such layer: an old keyword is a
 * TypeError, and `Conv2D(32, 3, 3)` means a 3-wide kernel with strides 3. Model Lens reads Keras 3,
 * so these only shape what the user is told; they never change a figure.
 */

type Renames = Readonly<Record<string, string>>;

const WEIGHTS: Renames = {
  init: 'kernel_initializer',
  W_regularizer: 'kernel_regularizer',
  b_regularizer: 'bias_regularizer',
  W_constraint: 'kernel_constraint',
  b_constraint: 'bias_constraint',
  bias: 'use_bias',
};
const CONV: Renames = { ...WEIGHTS, nb_filter: 'filters', subsample: 'strides', border_mode: 'padding', dim_ordering: 'data_format' };
const POOL: Renames = { border_mode: 'padding', dim_ordering: 'data_format' };
const RECURRENT: Renames = {
  ...WEIGHTS,
  output_dim: 'units',
  inner_init: 'recurrent_initializer',
  inner_activation: 'recurrent_activation',
  U_regularizer: 'recurrent_regularizer',
  dropout_W: 'dropout',
  dropout_U: 'recurrent_dropout',
  consume_less: 'implementation',
  forget_bias_init: 'unit_forget_bias',
};
const DATA_FORMAT: Renames = { dim_ordering: 'data_format' };

/** Keras 1 keyword → its Keras 2 name, by the Keras 3 class a layer resolves to. */
const LAYER_RENAMES: Readonly<Record<string, Renames>> = {
  Dense: { ...WEIGHTS, output_dim: 'units' },
  Dropout: { p: 'rate' },
  SpatialDropout1D: { p: 'rate' },
  SpatialDropout2D: { p: 'rate', ...DATA_FORMAT },
  SpatialDropout3D: { p: 'rate', ...DATA_FORMAT },
  GaussianDropout: { p: 'rate' },
  GaussianNoise: { sigma: 'stddev' },
  Embedding: { init: 'embeddings_initializer', W_regularizer: 'embeddings_regularizer', W_constraint: 'embeddings_constraint' },
  PReLU: { init: 'alpha_initializer' },
  BatchNormalization: { beta_init: 'beta_initializer', gamma_init: 'gamma_initializer' },
  Conv1D: { ...WEIGHTS, nb_filter: 'filters', filter_length: 'kernel_size', subsample_length: 'strides', border_mode: 'padding' },
  Conv2D: CONV,
  Conv3D: CONV,
  Conv2DTranspose: CONV,
  SeparableConv2D: { ...CONV, init: 'depthwise_initializer and pointwise_initializer' },
  MaxPooling1D: { pool_length: 'pool_size', stride: 'strides', border_mode: 'padding' },
  AveragePooling1D: { pool_length: 'pool_size', stride: 'strides', border_mode: 'padding' },
  MaxPooling2D: POOL,
  AveragePooling2D: POOL,
  MaxPooling3D: POOL,
  AveragePooling3D: POOL,
  GlobalMaxPooling2D: DATA_FORMAT,
  GlobalAveragePooling2D: DATA_FORMAT,
  UpSampling1D: { length: 'size' },
  UpSampling2D: DATA_FORMAT,
  UpSampling3D: DATA_FORMAT,
  ZeroPadding2D: DATA_FORMAT,
  ZeroPadding3D: DATA_FORMAT,
  Cropping2D: DATA_FORMAT,
  Cropping3D: DATA_FORMAT,
  SimpleRNN: RECURRENT,
  GRU: RECURRENT,
  LSTM: RECURRENT,
  ConvLSTM2D: { ...CONV, ...RECURRENT, output_dim: 'filters' },
};

/** Keras 1 keywords of keras.Model(...) and of fit/evaluate. */
const MODEL_RENAMES: Renames = { input: 'inputs', output: 'outputs' };
const FIT_RENAMES: Renames = { nb_epoch: 'epochs', samples_per_epoch: 'steps_per_epoch', nb_val_samples: 'validation_steps', val_samples: 'steps' };

function said(old: string, now: string | undefined): string | undefined {
  return now ? `'${old}' is Keras 1's name for '${now}' (Keras 2.0–2.3 renamed it with a warning; tf.keras and Keras 3 raise a TypeError); rename it to ${now}` : undefined;
}

/** Why a keyword a layer does not take was written, when it is Keras 1's name for one it does. */
export function keras1LayerKeyword(type: string, keyword: string): string | undefined {
  return said(keyword, LAYER_RENAMES[type]?.[keyword]);
}

/** The same for keras.Model(input=, output=). */
export function keras1ModelKeyword(keyword: string): string | undefined {
  return said(keyword, MODEL_RENAMES[keyword]);
}

/** The same for fit / evaluate / fit_generator (nb_epoch=). */
export function keras1FitKeyword(keyword: string): string | undefined {
  return said(keyword, FIT_RENAMES[keyword]);
}

/**
 * `Convolution2D(32, 3, 3)` / `Conv2D(32, 3, 3)`: Keras 1 wrote a 3×3 kernel as two numbers
 * (nb_row, nb_col), and Keras 2.0–2.3 still read it so; tf.keras and Keras 3 read the number after
 * the kernel size as strides (a Conv3D's next as padding, which Keras 3 refuses). A warning when
 * whole numbers follow `filters` where Keras 1 put the kernel's sizes and no strides/kernel_size is
 * given by keyword: always under Keras 1's class names (Convolution2D, Deconvolution2D, …), and for
 * the Keras 2 names when the numbers are all equal (a stride as large as the kernel is rare; a square
 * kernel written Keras 1's way is not).
 */
export function keras1KernelWarning(type: string, written: string, afterFilters: (number | undefined)[], keywords: Iterable<string>): string | undefined {
  const dims = /^(Conv2D|Conv2DTranspose|SeparableConv2D|ConvLSTM2D)$/.test(type) ? 2 : type === 'Conv3D' ? 3 : 0;
  const sizes = afterFilters.slice(0, dims);
  if (!dims || sizes.length < dims || !sizes.every((n) => n !== undefined && Number.isInteger(n))) return undefined;
  const kw = new Set(keywords);
  if (kw.has('kernel_size') || kw.has('strides')) return undefined;
  const oldName = /^(Atrous)?(De)?[Cc]onvolution/.test(written);
  if (!oldName && new Set(sizes).size !== 1) return undefined;
  const list = sizes.join(', ');
  return (
    `${written}(filters, ${list}) is Keras 1's way to write a ${sizes.join('×')} kernel; tf.keras and Keras 3 read it as kernel_size=${sizes[0]}, ` +
    `${dims === 3 ? `strides=${sizes[1]}, padding=${sizes[2]}` : `strides=${sizes[1]}`}, which is what is shown here. ` +
    `If a ${sizes.join('×')} kernel was meant, write ${type}(filters, (${list})); if strides were meant, write strides=${sizes[1]}`
  );
}
