/**
 * Preprocessing (keras/src/layers/preprocessing): Rescaling, Resizing, CenterCrop, Normalization,
 * the Random* image augmentations (random in training, identity in inference), CategoryEncoding,
 * Hashing, Discretization, StringLookup, IntegerLookup and TextVectorization (vocabulary sizes).
 */
import type { Shape } from '../../model/ir';
import { dataFormatArg, init, known, NONE, rankIs, sameShape, seedArg, ShapeError, type ArgSpec, type Config, type LayerSpec } from './spec';

const image = (x: Shape, type: string) => rankIs(x, 4, type, 'Give it a batch of images (batch, height, width, channels).');
const fillArgs: ArgSpec[] = [
  { name: 'fill_mode', kind: 'choice', choices: ['reflect', 'wrap', 'constant', 'nearest', 'crop'], default: 'reflect', doc: 'How points outside the image are filled.' },
  { name: 'interpolation', kind: 'choice', choices: ['nearest', 'bilinear'], default: 'bilinear', doc: 'Interpolation used to resample.' },
];
/** Why the vocabulary and hashing layers do not train here, and what to do instead. */
const NO_TFJS: Record<string, string> = {
  StringLookup: 'StringLookup maps strings to indices, and training here feeds the model numbers: run it outside the model (e.g. dataset.map(lookup)) and train on the indices it gives',
  TextVectorization: 'TextVectorization splits text and maps words to indices, and training here feeds the model numbers: vectorize the text outside the model (e.g. dataset.map(vectorizer)) and train on the token indices',
  IntegerLookup: 'IntegerLookup has no TF.js version in Model Lens (its vocabulary comes from adapt() or a file); map the integers outside the model and train on the indices it gives',
  Hashing: "Hashing has no TF.js version in Model Lens (Keras hashes with FarmHash, which is not reproduced here); hash outside the model and train on the bins",
  Discretization: 'Discretization has no TF.js version in Model Lens (and no gradient); bucket the values outside the model and train on the bucket indices',
};
const noTfjs = (type: string) => ({ none: NO_TFJS[type] ?? `TensorFlow.js has no ${type} layer` });

/** A Random* augmentation: same shape, random in training, identity in inference. */
function augmentation(type: string, doc: string, args: ArgSpec[], keyArgs?: (c: Config) => string): LayerSpec {
  return sameShape(type, 'preprocessing', 'preprocess', `${doc} Random in training, the identity at inference (as in Keras). No weights.`, args, {
    // Ours in src/worker/custom-layers.ts (tfjs-layers has none of them).
    tfjs: type === 'RandomCrop' ? { className: type, custom: true } : { className: type, custom: true, unsupported: (c) => (c['fill_mode'] === 'crop' ? "Model Lens's TF.js augmentations have no fill_mode='crop' (they have reflect, wrap, constant and nearest)" : undefined) },
    outputShape([x]) {
      image(x!, type);
      return [...x!];
    },
    ...(keyArgs ? { keyArgs } : {}),
  });
}

const factor = (name = 'factor', doc = 'Range of the random amount, a float f (±f) or a pair (lower, upper).'): ArgSpec => ({ name, kind: 'any', doc });
const valueRange: ArgSpec = { name: 'value_range', kind: 'any', default: [0, 255], doc: 'Range of the input values.' };
const fmtFactor = (c: Config) => JSON.stringify(c['factor'] ?? c['height_factor']);

/**
 * The vocabulary size (output width of the non-"int" modes): a given vocabulary plus the special
 * tokens, or max_tokens when outputs are padded to it; otherwise only adapt() knows (null).
 */
function vocabSize(c: Config, specialTokens: number): number | null {
  const v = c['vocabulary'];
  if (Array.isArray(v)) return v.length + specialTokens;
  if (typeof c['max_tokens'] === 'number' && c['pad_to_max_tokens'] === true) return c['max_tokens'];
  return null;
}

const vocabText = (c: Config, special: number) => {
  const n = vocabSize(c, special);
  return n !== null ? `vocabulary ${n}` : typeof c['max_tokens'] === 'number' ? `vocabulary ≤ ${c['max_tokens']}` : 'vocabulary from adapt()';
};

/** Lookup layers: how many indices they produce (vocabulary + OOV + mask). */
function lookupSpecial(c: Config): number {
  return Number(c['num_oov_indices'] ?? 1) + (c['mask_token'] === null || c['mask_token'] === undefined ? 0 : 1);
}

/**
 * `lookup.get_vocabulary()` / `lookup.vocabulary_size()` of a StringLookup / IntegerLookup given its
 * vocabulary as a list: Keras's index order, the mask token (if any), then num_oov_indices OOV tokens,
 * then the vocabulary (keras/src/layers/preprocessing/index_lookup.py get_vocabulary). Null otherwise
 * (a file, or adapt(): values only Keras sees).
 */
export function lookupVocabulary(type: string, c: Config): (string | number)[] | null {
  if (type !== 'StringLookup' && type !== 'IntegerLookup') return null;
  const v = c['vocabulary'];
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string' || typeof t === 'number')) return null;
  const mask = c['mask_token'];
  const oov = c['oov_token'] ?? (type === 'StringLookup' ? '[UNK]' : -1);
  const oovs = Number(c['num_oov_indices'] ?? 1);
  if (typeof oov !== 'string' && typeof oov !== 'number') return null;
  const head: (string | number)[] = mask === null || mask === undefined ? [] : typeof mask === 'string' || typeof mask === 'number' ? [mask] : [];
  return [...head, ...Array.from({ length: oovs }, () => oov), ...(v as (string | number)[])];
}

/** Output of a token-encoding layer: the same shape for "int", one axis of `depth` otherwise. */
function encoded(x: Shape, mode: string, depth: number | null): Shape {
  if (mode === 'int') return [...x];
  if (mode === 'one_hot') {
    if (x.length === 1 || (x.length === 2 && x[1] === 1)) return [null, depth];
    return [...x, depth];
  }
  if (x.length > 2) throw new ShapeError(`output_mode='${mode}' takes a batch of vectors (batch, tokens); its input is ${x.length}-D`);
  if (depth === null) throw new ShapeError(`output_mode='${mode}' needs the vocabulary size, which adapt() would learn from data Model Lens does not run (max_tokens is only an upper bound): pass vocabulary=[…], or max_tokens with pad_to_max_tokens=True`);
  return [null, depth];
}

const outputMode = (choices: string[], def = 'int'): ArgSpec => ({ name: 'output_mode', kind: 'choice', choices, default: def, doc: `How tokens are output: ${choices.map((c) => `"${c}"`).join(', ')}.` });

function lookup(type: 'StringLookup' | 'IntegerLookup'): LayerSpec {
  const s = type === 'StringLookup';
  return {
    type,
    family: 'preprocessing',
    kind: 'preprocess',
    tfjs: noTfjs(type),
    doc: `Maps ${s ? 'strings' : 'integers'} to indices in a vocabulary (index 0…num_oov_indices−1 for out-of-vocabulary tokens, after the mask token if any). No trainable weights; the vocabulary size is vocabulary + OOV + mask.`,
    args: [
      { name: 'max_tokens', kind: 'int', default: null, doc: 'Largest vocabulary size (including OOV and mask).' },
      { name: 'num_oov_indices', kind: 'int0', default: 1, doc: 'Indices for out-of-vocabulary tokens.' },
      init('mask_token', null, 'Token that means padding (None = no mask).'),
      init('oov_token', s ? '[UNK]' : -1, 'Token returned for out-of-vocabulary indices when inverting.'),
      { name: 'vocabulary', kind: 'any', default: null, doc: 'The vocabulary (a list or a file path); otherwise learned by adapt().' },
      ...(s ? [] : [init('vocabulary_dtype', 'int64', 'Data type of the vocabulary.')]),
      init('idf_weights', null, 'Inverse document frequencies (output_mode="tf_idf").'),
      { name: 'invert', kind: 'bool', default: false, doc: 'Map indices back to tokens.' },
      outputMode(['int', 'one_hot', 'multi_hot', 'count', 'tf_idf']),
      ...(s ? [{ name: 'pad_to_max_tokens', kind: 'bool', default: false, doc: 'Pad multi_hot/count outputs to max_tokens.' } as ArgSpec, { name: 'sparse', kind: 'bool', default: false, doc: 'Return a sparse tensor.' } as ArgSpec, init('encoding', 'utf-8', 'Text encoding.')] : [{ name: 'sparse', kind: 'bool', default: false, doc: 'Return a sparse tensor.' } as ArgSpec, { name: 'pad_to_max_tokens', kind: 'bool', default: false, doc: 'Pad multi_hot/count outputs to max_tokens.' } as ArgSpec, init('oov_method', 'floormod', 'How OOV tokens are spread over the OOV indices.')]),
      init('salt', null, 'Salt of the OOV hashing.'),
    ],
    outputShape([x], c) {
      return encoded(x!, String(c['output_mode'] ?? 'int'), vocabSize(c, lookupSpecial(c)));
    },
    params: () => NONE,
    keyArgs(c) {
      return [vocabText(c, lookupSpecial(c)), String(c['output_mode'])].join(' · ');
    },
  };
}

/** A number (or list of numbers) with 4 significant digits, for the key arguments line. */
const rounded = (v: unknown): string => (typeof v === 'number' ? String(+v.toPrecision(4)) : Array.isArray(v) ? `[${v.map(rounded).join(', ')}]` : String(v));

export const PREPROCESSING: LayerSpec[] = [
  sameShape('Rescaling', 'preprocessing', 'preprocess', 'Multiplies the input by `scale` and adds `offset` (e.g. scale=1/255 maps pixels to [0, 1]); a list gives one value per channel. No weights.', [
    { name: 'scale', kind: 'any', doc: 'Multiplier, e.g. 1./255, or one per channel (a list).' },
    { name: 'offset', kind: 'any', default: 0.0, doc: 'Added after scaling (a number, or one per channel).' },
  ], {
    outputShape([x], c) {
      for (const key of ['scale', 'offset']) {
        const v = c[key];
        if (typeof v === 'number') continue;
        if (!Array.isArray(v) || !v.every((e) => typeof e === 'number')) throw new ShapeError(`${key} must be a number or a list of numbers, got ${JSON.stringify(v)}`);
        const ch = x![x!.length - 1];
        if (v.length !== 1 && ch !== null && v.length !== ch) throw new ShapeError(`${key} has ${v.length} values but the input has ${ch} channels; give one number or one per channel`);
      }
      return [...x!];
    },
    keyArgs: (c) => `×${rounded(c['scale'])}${c['offset'] ? ` + ${rounded(c['offset'])}` : ''}`,
    tfjs: { className: 'Rescaling', unsupported: (c) => (Array.isArray(c['scale']) || Array.isArray(c['offset']) ? "TensorFlow.js's Rescaling takes one number for scale and offset, not one per channel" : undefined) },
  }),
  {
    type: 'Resizing',
    family: 'preprocessing',
    kind: 'preprocess',
    // Ours in src/worker/custom-layers.ts: tfjs-layers 4.22's Resizing.computeOutputShape drops the
    // batch axis ((None, h, w, c) → (h', w', c)), so a model using it cannot be built with it.
    tfjs: {
      className: 'Resizing',
      custom: true,
      unsupported: (c) => {
        const interp = String(c['interpolation'] ?? 'bilinear');
        if (!['bilinear', 'nearest'].includes(interp)) return `Model Lens's TF.js Resizing has bilinear and nearest interpolation only, not '${interp}'`;
        if (c['pad_to_aspect_ratio'] === true) return "Model Lens's TF.js Resizing has no pad_to_aspect_ratio";
        if (c['antialias'] === true) return "Model Lens's TF.js Resizing has no antialias";
        return undefined;
      },
    },
    doc: 'Resizes images to height × width (bilinear by default). No weights.',
    args: [
      { name: 'height', kind: 'int', doc: 'Output height.' },
      { name: 'width', kind: 'int', doc: 'Output width.' },
      { name: 'interpolation', kind: 'choice', choices: ['bilinear', 'nearest', 'lanczos3', 'lanczos5', 'bicubic', 'area'], default: 'bilinear', doc: 'Interpolation method.' },
      { name: 'crop_to_aspect_ratio', kind: 'bool', default: false, doc: 'Crop to keep the aspect ratio.' },
      { name: 'pad_to_aspect_ratio', kind: 'bool', default: false, doc: 'Pad to keep the aspect ratio.' },
      init('fill_mode', 'constant', 'How padding is filled.'),
      { name: 'fill_value', kind: 'float', default: 0.0, doc: 'Padding value.' },
      { name: 'antialias', kind: 'bool', default: false, doc: 'Antialias when downsampling.' },
      dataFormatArg,
    ],
    outputShape([x], c) {
      image(x!, 'Resizing');
      return [null, Number(c['height']), Number(c['width']), x![3]!];
    },
    params: () => NONE,
    keyArgs: (c) => `${c['height']}×${c['width']}`,
  },
  {
    type: 'CenterCrop',
    family: 'preprocessing',
    kind: 'preprocess',
    tfjs: { className: 'CenterCrop' },
    doc: 'Crops the central height × width part of each image (resizing first when the image is smaller). No weights.',
    args: [{ name: 'height', kind: 'int', doc: 'Output height.' }, { name: 'width', kind: 'int', doc: 'Output width.' }, dataFormatArg],
    outputShape([x], c) {
      image(x!, 'CenterCrop');
      return [null, Number(c['height']), Number(c['width']), x![3]!];
    },
    params: () => NONE,
    keyArgs: (c) => `${c['height']}×${c['width']}`,
  },
  {
    type: 'Normalization',
    family: 'preprocessing',
    kind: 'norm',
    // Ours in src/worker/custom-layers.ts; the trainer runs adapt() on the training data first.
    tfjs: { className: 'Normalization', custom: true },
    doc: 'Subtracts a mean and divides by the standard deviation per feature (axis). Given mean/variance, or learned by adapt() on the data: then non-trainable mean, variance (one per feature) and a count.',
    args: [
      { name: 'axis', kind: 'any', default: -1, doc: 'Axis or axes that keep one mean/variance each (None = one for everything).' },
      init('mean', null, 'The mean (otherwise learned by adapt()).'),
      init('variance', null, 'The variance (otherwise learned by adapt()).'),
      { name: 'invert', kind: 'bool', default: false, doc: 'Undo the normalization instead.' },
    ],
    outputShape: ([x]) => [...x!],
    params([x], c) {
      if (c['mean'] !== null && c['mean'] !== undefined) return NONE;
      const rank = x!.length;
      const raw = c['axis'];
      const axes = raw === null ? [] : (Array.isArray(raw) ? raw : [raw]).map((a) => (Number(a) < 0 ? rank + Number(a) : Number(a)));
      for (const a of axes) if (a < 0 || a >= rank) throw new ShapeError(`axis=${JSON.stringify(raw)} is outside its ${rank}-D input`);
      const n = axes.reduce((p, a) => p * known(x![a], `size of axis ${a} (kept by Normalization)`), 1);
      return { trainable: 0, nonTrainable: 2 * n + 1, formula: `2·${n} (mean, variance) + 1 (count) non-trainable = ${2 * n + 1}` };
    },
  },
  augmentation('RandomFlip', 'Flips images horizontally and/or vertically at random.', [
    { name: 'mode', kind: 'choice', choices: ['horizontal', 'vertical', 'horizontal_and_vertical'], default: 'horizontal_and_vertical', doc: 'Which flips.' },
    seedArg,
    dataFormatArg,
  ], (c) => String(c['mode'])),
  augmentation('RandomRotation', 'Rotates images by a random angle (factor × 2π).', [factor(), ...fillArgs.slice(0, 2), seedArg, { name: 'fill_value', kind: 'float', default: 0.0, doc: 'Fill value for fill_mode="constant".' }, dataFormatArg], fmtFactor),
  augmentation('RandomZoom', 'Zooms images in or out by a random factor.', [factor('height_factor'), { ...factor('width_factor'), default: null }, ...fillArgs, seedArg, { name: 'fill_value', kind: 'float', default: 0.0, doc: 'Fill value for fill_mode="constant".' }, dataFormatArg], fmtFactor),
  augmentation('RandomTranslation', 'Shifts images by a random fraction of their height and width.', [factor('height_factor'), factor('width_factor'), ...fillArgs, seedArg, { name: 'fill_value', kind: 'float', default: 0.0, doc: 'Fill value for fill_mode="constant".' }, dataFormatArg], fmtFactor),
  augmentation('RandomContrast', 'Scales each image’s contrast by a random factor.', [factor(), valueRange, seedArg], fmtFactor),
  augmentation('RandomBrightness', 'Adds a random brightness offset to each image.', [factor(), valueRange, seedArg], fmtFactor),
  {
    ...augmentation('RandomCrop', 'Crops a random height × width window (the centre at inference).', [{ name: 'height', kind: 'int', doc: 'Output height.' }, { name: 'width', kind: 'int', doc: 'Output width.' }, seedArg, dataFormatArg], (c) => `${c['height']}×${c['width']}`),
    outputShape([x], c) {
      image(x!, 'RandomCrop');
      return [null, Number(c['height']), Number(c['width']), x![3]!];
    },
  },
  // tf.keras 2's RandomHeight / RandomWidth (keras/layers/preprocessing/image_preprocessing.py):
  // images resized to a random height (width) in training, so compute_output_shape gives that
  // axis as None; keras.io's supervised contrastive learning example prints (None, None, None, 3).
  ...(['Height', 'Width'] as const).map((axis): LayerSpec => ({
    ...augmentation(`Random${axis}`, `Resizes images to a random ${axis.toLowerCase()} (1 + a factor drawn from the range) in training (tf.keras 2's layer).`, [
      factor(),
      { name: 'interpolation', kind: 'choice', choices: ['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic'], default: 'bilinear', doc: 'Interpolation method.' },
      seedArg,
    ], fmtFactor),
    tfjs: { none: `Model Lens has no TF.js Random${axis} (its output ${axis.toLowerCase()} changes from batch to batch)` },
    outputShape([x]) {
      image(x!, `Random${axis}`);
      return axis === 'Height' ? [null, null, x![2]!, x![3]!] : [null, x![1]!, null, x![3]!];
    },
  })),
  {
    type: 'CategoryEncoding',
    family: 'preprocessing',
    kind: 'preprocess',
    tfjs: { className: 'CategoryEncoding' },
    doc: 'Encodes integer category ids below num_tokens as one-hot, multi-hot or count vectors. No weights.',
    args: [{ name: 'num_tokens', kind: 'int', default: null, doc: 'Number of categories.' }, outputMode(['one_hot', 'multi_hot', 'count'], 'multi_hot'), { name: 'sparse', kind: 'bool', default: false, doc: 'Return a sparse tensor.' }],
    outputShape([x], c) {
      if (c['num_tokens'] === null || c['num_tokens'] === undefined) throw new ShapeError('it needs num_tokens');
      return encoded(x!, String(c['output_mode'] ?? 'multi_hot'), Number(c['num_tokens']));
    },
    params: () => NONE,
    keyArgs: (c) => `${c['num_tokens']} · ${c['output_mode']}`,
  },
  {
    type: 'Hashing',
    family: 'preprocessing',
    kind: 'preprocess',
    tfjs: noTfjs('Hashing'),
    doc: 'Hashes values (strings or ints) into num_bins bins (bin 0 is kept for mask_value when given). No weights.',
    args: [
      { name: 'num_bins', kind: 'int', doc: 'Number of bins, including the mask bin.' },
      init('mask_value', null, 'Value that hashes to bin 0.'),
      init('salt', null, 'Salt of the hash (SipHash64) instead of FarmHash64.'),
      outputMode(['int', 'one_hot', 'multi_hot', 'count']),
      { name: 'sparse', kind: 'bool', default: false, doc: 'Return a sparse tensor.' },
    ],
    outputShape: ([x], c) => encoded(x!, String(c['output_mode'] ?? 'int'), Number(c['num_bins'])),
    params: () => NONE,
    keyArgs: (c) => `${c['num_bins']} bins`,
  },
  {
    type: 'Discretization',
    family: 'preprocessing',
    kind: 'preprocess',
    tfjs: noTfjs('Discretization'),
    doc: 'Buckets continuous values by bin_boundaries (or num_bins learned by adapt()) into bin indices. No weights.',
    args: [
      { name: 'bin_boundaries', kind: 'any', default: null, doc: 'Sorted boundaries; n boundaries make n + 1 bins.' },
      { name: 'num_bins', kind: 'int', default: null, doc: 'Number of bins to learn with adapt().' },
      { name: 'epsilon', kind: 'float', default: 0.01, doc: 'Error tolerance of adapt().' },
      outputMode(['int', 'one_hot', 'multi_hot', 'count']),
      { name: 'sparse', kind: 'bool', default: false, doc: 'Return a sparse tensor.' },
    ],
    outputShape([x], c) {
      const b = c['bin_boundaries'];
      const bins = Array.isArray(b) ? b.length + 1 : typeof c['num_bins'] === 'number' ? c['num_bins'] : null;
      return encoded(x!, String(c['output_mode'] ?? 'int'), bins);
    },
    params: () => NONE,
    keyArgs: (c) => (Array.isArray(c['bin_boundaries']) ? `${c['bin_boundaries'].length + 1} bins` : `${c['num_bins']} bins`),
  },
  lookup('StringLookup'),
  lookup('IntegerLookup'),
  {
    type: 'TextVectorization',
    family: 'preprocessing',
    kind: 'preprocess',
    tfjs: noTfjs('TextVectorization'),
    doc: 'Turns strings into token indices (standardize, split, look up in a vocabulary learned by adapt() or given). "int" gives (batch, output_sequence_length) indices; other modes one vector of the vocabulary size. The vocabulary holds padding ("int" mode) and one OOV index besides the tokens.',
    args: [
      { name: 'max_tokens', kind: 'int', default: null, doc: 'Largest vocabulary size, including padding and OOV.' },
      init('standardize', 'lower_and_strip_punctuation', 'Text standardization.'),
      init('split', 'whitespace', 'How text is split into tokens.'),
      init('ngrams', null, 'Build n-grams up to this length.'),
      outputMode(['int', 'multi_hot', 'count', 'tf_idf']),
      { name: 'output_sequence_length', kind: 'int', default: null, doc: 'Pad or cut the token sequence to this length ("int" mode).' },
      { name: 'pad_to_max_tokens', kind: 'bool', default: false, doc: 'Pad multi_hot/count outputs to max_tokens.' },
      { name: 'vocabulary', kind: 'any', default: null, doc: 'The vocabulary (a list or a file path); otherwise learned by adapt().' },
      init('idf_weights', null, 'Inverse document frequencies (output_mode="tf_idf").'),
      { name: 'sparse', kind: 'bool', default: false, doc: 'Return a sparse tensor.' },
      { name: 'ragged', kind: 'bool', default: false, doc: 'Return a ragged tensor.' },
      init('encoding', 'utf-8', 'Text encoding.'),
    ],
    outputShape([x], c) {
      if (x!.length > 2 || (x!.length === 2 && x![1] !== 1 && x![1] !== null)) throw new ShapeError(`it takes one string per sample, (batch,) or (batch, 1); its input is ${x!.length}-D`);
      const mode = String(c['output_mode'] ?? 'int');
      if (mode === 'int') return [null, typeof c['output_sequence_length'] === 'number' ? c['output_sequence_length'] : null];
      // Only "int" mode has a padding index; every mode has one OOV index.
      return encoded([null, null], mode, vocabSize(c, 1));
    },
    params: () => NONE,
    keyArgs(c) {
      return [vocabText(c, c['output_mode'] === 'int' ? 2 : 1), String(c['output_mode']), ...(typeof c['output_sequence_length'] === 'number' ? [`length ${c['output_sequence_length']}`] : [])].join(' · ');
    },
  },
];

