// Core, attention, normalization, regularization, reshaping, merging, activation and preprocessing
// layers against figures Keras documents or prints. Sources, by tag:
//  [doc:<file>]   docstring example or documented Input/Output shape, keras-team/keras keras/src/layers/<file>;
//  [ts-transformer] keras-io examples/timeseries/md/timeseries_classification_transformer.md, printed summary:
//                 LayerNormalization on (None, 500, 1) → 2; MultiHeadAttention(key_dim=256, num_heads=4) on it → 7,169; Dropout → 0;
//  [vit]          printed ViT summary: layer_normalization (None, 122, 768) → 1,536 (found with the search tool);
//  [groupnorm]    printed summary: group_normalization (None, 1024, 1024, 32) → 64 (found with the search tool);
//  [prelu]        printed summaries: p_re_lu (None, 9, 9, 81) → 6,561; (None, 97, 32) → 3,104 (found with the search tool);
//  [norm-tabular] printed summaries: normalization (Normalization) (None, 8) → 17; (None, 21) → 43;
//  [norm-image]   printed summaries: normalization after Rescaling on (None, 224, 224, 3) → 7 (Keras EfficientNet);
//  [spatial-dropout] printed summary: spatial_dropout1d (None, 1024, 300) → 0 after an Embedding;
//  [tf-doc:<Layer>] the printed example on tensorflow.org's tf.keras.layers.<Layer> page.
// The models are our own; only the figures come from the sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerSpec } from '../../../src/core/keras/layer-table';
import { byName, json, one, py } from './read';

type Case = [input: string, layer: string, out: (number | null)[], params: number | null, source: string, nonTrainable?: number];

function run(cases: Case[], inputArgs = ''): void {
  for (const [input, layer, out, params, source, nonTrainable] of cases) {
    it(`${layer} on ${input} [${source}]`, () => {
      const l = one(input, layer, inputArgs);
      assert.deepEqual(l.outputShape, [null, ...out]);
      if (params !== null) assert.equal(l.params, params);
      if (nonTrainable !== undefined) assert.equal(l.nonTrainableParams, nonTrainable);
    });
  }
}

describe('core', () => {
  run([
    ['(10,)', 'layers.Embedding(1000, 64)', [10, 64], 64000, 'doc:core/embedding.py (output (32, 10, 64)); 1000·64 weights'],
    ['(32,)', "layers.EinsumDense('ab,bc->ac', output_shape=64, bias_axes='c')", [64], null, 'doc:core/einsum_dense.py'],
    ['(32, 128)', "layers.EinsumDense('abc,cd->abd', output_shape=(None, 64), bias_axes='d')", [32, 64], null, 'doc:core/einsum_dense.py'],
    ['(32, 128)', "layers.EinsumDense('...x,xy->...y', output_shape=64, bias_axes='y')", [32, 64], null, 'doc:core/einsum_dense.py'],
    ['(10, 8)', 'layers.Masking(mask_value=0.0)', [10, 8], 0, 'doc:core/masking.py'],
    ['(10, 8)', 'layers.Identity()', [10, 8], 0, 'doc:core/identity.py'],
    ['(10, 8)', 'layers.Lambda(lambda t: t[:, 0, :], output_shape=(8,))', [8], 0, 'doc:core/lambda_layer.py (output_shape)'],
  ]);
  // Without output_shape Keras calls the function on a symbolic tensor (lambda_layer.py compute_output_shape).
  it('Lambda without output_shape: its function read on the input shape; one Model Lens cannot read says what to add', () => {
    assert.deepEqual(one('(10, 8)', 'layers.Lambda(lambda t: t * 2)').outputShape, [null, 10, 8]);
    assert.deepEqual(one('(10, 8)', 'layers.Lambda(lambda t: t[:, 0, :])').outputShape, [null, 8]);
    assert.throws(() => one('(10, 8)', 'layers.Lambda(lambda t: t.numpy())'), /pass output_shape=/);
  });
});

describe('attention', () => {
  it('MultiHeadAttention self-attention in a transformer block [ts-transformer]', () => {
    const m = json([
      ['input_1', 'InputLayer', { batch_shape: [null, 500, 1] }, []],
      ['layer_normalization', 'LayerNormalization', { epsilon: 1e-6 }, ['input_1']],
      ['multi_head_attention', 'MultiHeadAttention', { key_dim: 256, num_heads: 4, dropout: 0.25 }, ['layer_normalization', 'layer_normalization']],
      ['dropout', 'Dropout', { rate: 0.25 }, ['multi_head_attention']],
    ]);
    assert.deepEqual(m.layers.slice(1).map((l) => [l.name, l.outputShape, l.params]), [
      ['layer_normalization', [null, 500, 1], 2],
      ['multi_head_attention', [null, 500, 1], 7169],
      ['dropout', [null, 500, 1], 0],
    ]);
  });
  it('MultiHeadAttention cross-attention keeps the target steps [doc:attention/multi_head_attention.py]', () => {
    const spec = layerSpec('MultiHeadAttention')!;
    // target (None, 8, 16), source (None, 4, 16) → (None, 8, 16)
    assert.deepEqual(spec.outputShape([[null, 8, 16], [null, 4, 16]], { num_heads: 2, key_dim: 2, value_dim: null, output_shape: null }), [null, 8, 16]);
  });
  it('Attention and AdditiveAttention: (batch, Tq, dim) [doc:attention/attention.py]', () => {
    const m = py('q = keras.Input(shape=(8, 16))\nv = keras.Input(shape=(4, 16))\na = layers.Attention()([q, v])\nb = layers.AdditiveAttention()([q, v])\nmodel = keras.Model([q, v], [a, b])');
    assert.deepEqual(byName(m, 'attention').outputShape, [null, 8, 16]);
    assert.equal(byName(m, 'attention').params, 0);
    assert.deepEqual(byName(m, 'additive_attention').outputShape, [null, 8, 16]);
  });
});

describe('normalization', () => {
  run([
    ['(500, 1)', 'layers.LayerNormalization(epsilon=1e-6)', [500, 1], 2, 'ts-transformer'],
    ['(122, 768)', 'layers.LayerNormalization()', [122, 768], 1536, 'vit'],
    // [doc] LayerNormalization(axis=[1, 2, 3]) built on (5, 20, 30, 40): beta and gamma of shape (20, 30, 40).
    ['(20, 30, 40)', 'layers.LayerNormalization(axis=[1, 2, 3])', [20, 30, 40], 2 * 20 * 30 * 40, 'doc:normalization/layer_normalization.py'],
    ['(1024, 1024, 32)', 'layers.GroupNormalization(groups=8)', [1024, 1024, 32], 64, 'groupnorm'],
    ['(3,)', 'layers.UnitNormalization()', [3], 0, 'doc:normalization/unit_normalization.py'],
  ]);
  it('GroupNormalization needs groups to divide the channels', () => {
    assert.throws(() => one('(8, 8, 6)', 'layers.GroupNormalization(groups=4)'), /cannot be split into groups=4/);
  });
});

describe('regularization', () => {
  run([
    ['(500, 1)', 'layers.Dropout(0.25)', [500, 1], 0, 'ts-transformer'],
    ['(1024, 300)', 'layers.SpatialDropout1D(0.2)', [1024, 300], 0, 'spatial-dropout'],
    ['(8, 8, 3)', 'layers.SpatialDropout2D(0.2)', [8, 8, 3], 0, 'doc:regularization/spatial_dropout.py (same shape as input)'],
    ['(4, 8, 8, 3)', 'layers.SpatialDropout3D(0.2)', [4, 8, 8, 3], 0, 'doc:regularization/spatial_dropout.py (same shape as input)'],
    ['(16,)', 'layers.GaussianNoise(0.1)', [16], 0, 'doc:regularization/gaussian_noise.py (same shape as input)'],
    ['(16,)', 'layers.GaussianDropout(0.1)', [16], 0, 'doc:regularization/gaussian_dropout.py (same shape as input)'],
    ['(16,)', 'layers.AlphaDropout(0.1)', [16], 0, 'doc:regularization/alpha_dropout.py (same shape as input)'],
    ['(16,)', 'layers.ActivityRegularization(l1=0.01)', [16], 0, 'doc:regularization/activity_regularization.py (same shape as input)'],
  ]);
});

describe('reshaping', () => {
  run([
    ['(3, 2)', 'layers.Cropping1D(cropping=1)', [1, 2], 0, 'doc:reshaping/cropping1d.py'],
    ['(28, 28, 3)', 'layers.Cropping2D(cropping=((2, 2), (4, 4)))', [24, 20, 3], 0, 'doc:reshaping/cropping2d.py'],
    ['(28, 28, 10, 3)', 'layers.Cropping3D(cropping=(2, 4, 2))', [24, 20, 6, 3], 0, 'doc:reshaping/cropping3d.py'],
    ['(10, 64)', 'layers.Flatten()', [640], 0, 'doc:reshaping/flatten.py'],
    ['(10, 64)', 'layers.Permute((2, 1))', [64, 10], 0, 'doc:reshaping/permute.py'],
    ['(32,)', 'layers.RepeatVector(3)', [3, 32], 0, 'doc:reshaping/repeat_vector.py'],
    ['(12,)', 'layers.Reshape((3, 4))', [3, 4], 0, 'doc:reshaping/reshape.py'],
    ['(12,)', 'layers.Reshape((-1, 2, 2))', [3, 2, 2], 0, 'doc:reshaping/reshape.py'],
    ['(2, 3)', 'layers.UpSampling1D(size=2)', [4, 3], 0, 'doc:reshaping/up_sampling1d.py'],
    ['(2, 1, 3)', 'layers.UpSampling2D(size=(1, 2))', [2, 2, 3], 0, 'doc:reshaping/up_sampling2d.py'],
    ['(1, 2, 1, 3)', 'layers.UpSampling3D(size=(2, 2, 2))', [2, 4, 2, 3], 0, 'doc:reshaping/up_sampling3d.py'],
    ['(2, 3)', 'layers.ZeroPadding1D(padding=2)', [6, 3], 0, 'doc:reshaping/zero_padding1d.py'],
    ['(1, 2, 2)', 'layers.ZeroPadding2D(padding=1)', [3, 4, 2], 0, 'doc:reshaping/zero_padding2d.py'],
    ['(224, 224, 3)', 'layers.ZeroPadding2D(padding=((0, 1), (0, 1)))', [225, 225, 3], 0, 'norm-image (stem_conv_pad (ZeroPadding2D) (None, 225, 225, 3))'],
    ['(1, 2, 2, 3)', 'layers.ZeroPadding3D(padding=2)', [5, 6, 6, 3], 0, 'doc:reshaping/zero_padding3d.py'],
  ]);
});

describe('merging', () => {
  for (const cls of ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']) {
    it(`${cls} of two (3, 4) tensors [doc:merging/${cls.toLowerCase()}.py]`, () => {
      const m = py(`a = keras.Input(shape=(3, 4))\nb = keras.Input(shape=(3, 4))\ny = layers.${cls}()([a, b])\nmodel = keras.Model([a, b], y)`);
      assert.deepEqual(m.layers[2]!.outputShape, [null, 3, 4]);
      assert.equal(m.layers[2]!.params, 0);
    });
  }
  it('Concatenate(axis=1) of (2, 5) and (1, 5) → (3, 5) [doc:merging/concatenate.py]', () => {
    const m = py('a = keras.Input(shape=(2, 5))\nb = keras.Input(shape=(1, 5))\ny = layers.Concatenate(axis=1)([a, b])\nmodel = keras.Model([a, b], y)');
    assert.deepEqual(m.layers[2]!.outputShape, [null, 3, 5]);
  });
  it('Dot(axes=(1, 2)) of (5, 2) and (2, 5) → (2, 2); Dot(axes=1) of two vectors → (1,) [doc:merging/dot.py]', () => {
    const m = py('a = keras.Input(shape=(5, 2))\nb = keras.Input(shape=(2, 5))\ny = layers.Dot(axes=(1, 2))([a, b])\nmodel = keras.Model([a, b], y)');
    assert.deepEqual(m.layers[2]!.outputShape, [null, 2, 2]);
    const v = py('a = keras.Input(shape=(8,))\nb = keras.Input(shape=(8,))\ny = layers.Dot(axes=1)([a, b])\nmodel = keras.Model([a, b], y)');
    assert.deepEqual(v.layers[2]!.outputShape, [null, 1]);
  });
  it('Subtract takes exactly two tensors', () => {
    assert.throws(() => py('a = keras.Input(shape=(4,))\ny = layers.Subtract()([a, a, a])\nmodel = keras.Model(a, y)'), /exactly 2 tensors/);
  });
});

describe('activations', () => {
  run([
    ['(4,)', "layers.Activation('relu')", [4], 0, 'doc:activations/activation.py'],
    ['(3,)', 'layers.Softmax()', [3], 0, 'doc:activations/softmax.py'],
    ['(4,)', 'layers.LeakyReLU(negative_slope=0.5)', [4], 0, 'doc:activations/leaky_relu.py'],
    ['(4,)', 'layers.LeakyReLU(alpha=0.2)', [4], 0, 'Keras 3 still reads the Keras 2 name alpha (activations/leaky_relu.py)'],
    ['(4,)', 'layers.ELU()', [4], 0, 'doc:activations/elu.py'],
    ['(4,)', 'layers.ReLU(max_value=6.0)', [4], 0, 'doc:activations/relu.py'],
    ['(9, 9, 81)', 'layers.PReLU()', [9, 9, 81], 6561, 'prelu'],
    ['(97, 32)', 'layers.PReLU()', [97, 32], 3104, 'prelu'],
  ]);
  it('PReLU shares alpha along shared_axes [doc:activations/prelu.py: shared_axes=[1, 2] gives one alpha per channel]', () => {
    assert.equal(one('(9, 9, 81)', 'layers.PReLU(shared_axes=[1, 2])').params, 81);
  });
});

describe('preprocessing', () => {
  run([
    ['(8,)', 'layers.Normalization()', [8], 17, 'norm-tabular', 17],
    ['(21,)', 'layers.Normalization(axis=-1)', [21], 43, 'norm-tabular', 43],
    ['(224, 224, 3)', 'layers.Normalization()', [224, 224, 3], 7, 'norm-image', 7],
    ['(1,)', 'layers.Normalization(mean=3.0, variance=2.0)', [1], 0, 'doc:preprocessing/normalization.py (given mean: no adapt weights)'],
    ['(28, 28, 3)', "layers.RandomFlip('horizontal')", [28, 28, 3], 0, 'doc: augmentation layers keep the shape'],
    ['(28, 28, 3)', 'layers.RandomRotation(0.1)', [28, 28, 3], 0, 'doc: augmentation layers keep the shape'],
    ['(28, 28, 3)', 'layers.RandomZoom(0.1)', [28, 28, 3], 0, 'doc: augmentation layers keep the shape'],
    ['(28, 28, 3)', 'layers.RandomTranslation(0.1, 0.1)', [28, 28, 3], 0, 'doc: augmentation layers keep the shape'],
    ['(28, 28, 3)', 'layers.RandomContrast(0.2)', [28, 28, 3], 0, 'doc: augmentation layers keep the shape'],
    ['(28, 28, 3)', 'layers.RandomBrightness(0.2)', [28, 28, 3], 0, 'doc: augmentation layers keep the shape'],
    ['(32, 32, 3)', 'layers.RandomCrop(24, 24)', [24, 24, 3], 0, 'doc:preprocessing/image_preprocessing/random_crop.py (height, width)'],
    // tf.keras 2's image_preprocessing.py RandomHeight/RandomWidth.compute_output_shape: that axis None (keras.io supcon prints (None, None, None, 3)).
    ['(32, 32, 3)', 'layers.RandomHeight(0.2)', [null, 32, 3], 0, 'doc: tf.keras 2 RandomHeight (random height)'],
    ['(32, 32, 3)', 'layers.RandomWidth(0.2)', [32, null, 3], 0, 'doc: tf.keras 2 RandomWidth (random width)'],
    ['(32, 40, 3)', 'layers.Resizing(64, 48)', [64, 48, 3], 0, 'doc:preprocessing/image_preprocessing/resizing.py (target_height, target_width)'],
    ['(32, 40, 3)', 'layers.CenterCrop(24, 30)', [24, 30, 3], 0, 'doc:preprocessing/image_preprocessing/center_crop.py (height, width)'],
    ['(32, 32, 3)', 'layers.Rescaling(1.0 / 255)', [32, 32, 3], 0, 'doc:preprocessing/rescaling.py'],
    // [doc] CategoryEncoding(num_tokens=4, output_mode="one_hot") on [3, 2, 0, 1] → 4×4; multi_hot on (4, 2) → 4×4.
    ['()', "layers.CategoryEncoding(num_tokens=4, output_mode='one_hot')", [4], 0, 'doc:preprocessing/category_encoding.py'],
    ['(2,)', "layers.CategoryEncoding(num_tokens=4, output_mode='multi_hot')", [4], 0, 'doc:preprocessing/category_encoding.py'],
    ['(1,)', 'layers.Hashing(num_bins=3)', [1], 0, 'doc:preprocessing/hashing.py'],
    ['(4,)', 'layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])', [4], 0, 'doc:preprocessing/discretization.py'],
  ]);
  // [doc:preprocessing/string_lookup.py] vocabulary ["a", "b", "c", "d"]: "int" keeps (2, 3); one_hot of 5 tokens → (5, 5);
  // multi_hot of (2, 4) → (2, 5) (4 tokens + 1 OOV index).
  run([
    ['(3,)', "layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'])", [3], 0, 'doc:preprocessing/string_lookup.py'],
    ['()', "layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'], output_mode='one_hot')", [5], 0, 'doc:preprocessing/string_lookup.py'],
    ['(4,)', "layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'], output_mode='multi_hot')", [5], 0, 'doc:preprocessing/string_lookup.py'],
    ['(4,)', "layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'], num_oov_indices=2, output_mode='count')", [6], 0, 'doc:preprocessing/string_lookup.py (num_oov_indices=2 adds an index)'],
    // [doc] TextVectorization(max_tokens=5000, output_mode='int', output_sequence_length=4) on [["foo qux bar"], ["qux baz"]] → (2, 4).
    ['(1,)', "layers.TextVectorization(max_tokens=5000, output_mode='int', output_sequence_length=4)", [4], 0, 'doc:preprocessing/text_vectorization.py'],
  ], ", dtype='string'");
  run([['(3,)', 'layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])', [3], 0, 'doc:preprocessing/integer_lookup.py']], ", dtype='int64'");
  it('a lookup whose vocabulary adapt() would learn cannot give a one-hot width: the error says so and what to pass', () => {
    assert.throws(() => one('(4,)', "layers.StringLookup(output_mode='multi_hot')", ", dtype='string'"), /needs the vocabulary size, which adapt\(\) would learn from data Model Lens does not run .*: pass vocabulary=\[…\], or max_tokens with pad_to_max_tokens=True/);
    // max_tokens alone only bounds what adapt() learns (DLWP 2nd ed. ch. 11's TextVectorization(max_tokens=20000, output_mode="tf_idf")): said, not taken as the width.
    assert.throws(() => one('(1,)', "layers.TextVectorization(max_tokens=20000, output_mode='tf_idf')", ", dtype='string'"), /max_tokens is only an upper bound/);
  });
  it('vocabulary sizes show on the graph node [doc:preprocessing/text_vectorization.py: vocabulary + "" + "[UNK]"]', () => {
    const spec = layerSpec('TextVectorization')!;
    assert.match(spec.keyArgs!({ output_mode: 'int', vocabulary: ['earth', 'wind', 'and', 'fire'], output_sequence_length: 4 }), /vocabulary 6/);
    assert.match(spec.keyArgs!({ output_mode: 'int', max_tokens: 5000 }), /vocabulary ≤ 5000/);
  });
});

describe('a lookup layer\'s vocabulary_size() and get_vocabulary() (its vocabulary given as a list)', () => {
  // keras/src/layers/preprocessing/string_lookup.py docstring: vocab = ["a", "b", "c", "d"];
  // StringLookup(vocabulary=vocab).get_vocabulary() == ['[UNK]', 'a', 'b', 'c', 'd'];
  // with mask_token="" it starts ['', '[UNK]', …]. IntegerLookup's OOV token is -1.
  const { readModel } = require('../../../src/core/read-model') as typeof import('../../../src/core/read-model');
  const read = (body: string) => readModel('v.py', `import keras\nfrom keras import layers\n${body}\n`);
  const errs = (r: ReturnType<typeof read>) => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error').map((d) => d.message);
  const units = (r: ReturnType<typeof read>) => r.models[0]!.layers.find((l) => l.type === 'Dense')!.config['units'];
  it('sizes a Dense from it: len(vocabulary) + OOV indices (+ 1 for a mask token)', () => {
    const model = (lookup: string, expr: string) => read(`lk = ${lookup}\nm = keras.Sequential([keras.Input((3,)), layers.Dense(${expr})])`);
    let r = model("layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'])", 'lk.vocabulary_size()');
    assert.deepEqual([errs(r), units(r)], [[], 5]);
    r = model("layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'], mask_token='', num_oov_indices=2)", 'lk.vocabulary_size()');
    assert.deepEqual([errs(r), units(r)], [[], 7]);
    r = model("layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'], mask_token='')", 'len(lk.get_vocabulary())');
    assert.deepEqual([errs(r), units(r)], [[], 6]);
    r = model('layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])', 'lk.get_vocabulary()[0] + 3'); // -1 + 3
    assert.deepEqual([errs(r), units(r)], [[], 2]);
  });
  it('a vocabulary from adapt() is not known: the Dense says so at its line', () => {
    const r = read("lk = layers.StringLookup()\nlk.adapt(['a', 'b'])\nm = keras.Sequential([keras.Input((3,)), layers.Dense(lk.vocabulary_size())])");
    assert.ok(errs(r).some((m) => /units=lk\.vocabulary_size\(\), whose value Model Lens cannot work out/.test(m)), errs(r).join('\n'));
  });
});
