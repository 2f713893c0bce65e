// Layers whose parameter counts the family tests had only from docstring shapes (no printed count),
// against printed model.summary() output found with the search tool. Sources, by tag:
//  [so-bn]     Stack Overflow 42521005 "How the number of parameters associated with BatchNormalization
//              layer is 2048?": Dense(512) on (None, 4096) 2,097,664 · BatchNormalization (None, 512) 2,048 ·
//              Dropout · Dense(80) 41,040; Total 2,140,752, Trainable 2,139,728, Non-trainable 1,024;
//  [homl2-bn]  "Hands-On Machine Learning" 2nd ed., ch. 11 notebook, printed summary (a reader's copy):
//              flatten (None, 784) 0 · batch_normalization (None, 784) 3,136 · dense (None, 300) 235,500;
//  [rsna-3d]   a printed summary of a 3-D CNN ("3d_mpmri_cnn", after the keras.io 3D image classification
//              example): input (None, 128, 128, 32, 1) · conv3d (None, 126, 126, 30, 64) 1,792 · max_pooling3d
//              (None, 63, 63, 15, 64) · batch_normalization 256 · conv3d_1 (None, 61, 61, 13, 64) 110,656 · … ·
//              global_average_pooling3d (None, 256) · dense 32,896 · dense_1 129; Total 1,253,825, Non-trainable 1,024;
//  [dw-doc]    printed summaries of single-layer models on (32, 32, 3): Conv2D(32, 3, padding='same') 896;
//              DepthwiseConv2D(3, padding='same', use_bias=False) (None, 32, 32, 3) 27; Conv2D(32, 1) 128;
//  [so-sep]    Stack Overflow 54705367: SeparableConv2D(filters=1, kernel_size=2, depth_multiplier=1) on
//              (3, 3, 3) → (None, 2, 2, 1) 16;
//  [lstm-ae]   a printed Keras 3 summary of an LSTM autoencoder on (24, 6): lstm (None, 24, 64) 18,176 ·
//              lstm_1 (None, 32) 12,416 · repeat_vector (None, 24, 32) · lstm_2 (None, 24, 32) 8,320 ·
//              lstm_3 (None, 24, 64) 24,832 · time_distributed (None, 24, 6) 390; Total 64,134;
//  [tts-conv]  a printed Keras 3 summary of a convolutional TTS decoder: conv1d_transpose (None, 336, 256)
//              327,936 after (None, 168, 256); conv1d_transpose_1 (None, 672, 128) 98,432; conv1d_transpose_2
//              (None, 1344, 128) 49,280. The source's code is not in the printout: the kernel sizes written here
//              (5, 3, 3) and strides 2 'same' are the only ones those figures allow.
//  [sep1d]     a printed summary of a 1-D EfficientNet-style model whose code is beside it: SeparableConv1D(64, 2, 1,
//              padding='same', activation='relu') after (None, 12, 64) → block3a_conv (None, 12, 64) 4,288;
//              SeparableConv1D(32, 2, 1, padding='same', use_bias=False) on (None, 24, 32) → block1b_dwconv 1,088.
//  [unet3d]    "Tensorflow-Slightly-Flexible-3D-UNet" README, code and printed summary together: Conv3DTranspose(filters,
//              (2, 2, 2), strides=(2, 2, 2), padding='same') on (None, 1, 8, 8, 512) → (None, 2, 16, 16, 256) 1,048,832;
//              … on (None, 8, 64, 64, 64) → (None, 16, 128, 128, 32) 16,416; on (None, 16, 128, 128, 32) → (None, 32, 256, 256, 16) 4,112;
//  [equiv]     figures above carried over by an equivalence Keras documents: EinsumDense("ab,bc->ac",
//              output_shape=64, bias_axes="c") "is equivalent to Dense(64, use_bias=True)", and "…->abd" applies
//              that Dense to each step of a sequence (einsum_dense.py docstring); GroupQueryAttention "when
//              num_key_value_heads is equal to num_query_heads … is equivalent to multi-head attention"
//              (keras.io) — so the printed MultiHeadAttention(key_dim=256, num_heads=4) on (None, 500, 1),
//              7,169 (timeseries transformer example), is its count too.
//              The cells are "Cell class for the LSTM/GRU/SimpleRNN layer", which "processes one step within the
//              whole time sequence input, whereas keras.layers.LSTM processes the whole sequence" (lstm.py, gru.py,
//              simple_rnn.py docstrings): RNN(cell) has the layer's weights, so the printed layer counts of
//              recurrent.test.ts ([tf21-rnn] LSTM(1) on (None, 1) 12; [so-simple-rnn] SimpleRNN(10) on (3, 1) 120;
//              [se-gru] GRU(5) on (None, 25) 480) are the cells' too.
// The models are our own; only the figures come from the sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byName, json, one, py } from './read';

const rows = (m: ReturnType<typeof py>) => m.layers.map((l) => [l.name, l.outputShape, l.params]);

describe('printed summaries: BatchNormalization, Dense, Conv3D, depthwise/separable, TimeDistributed, Conv1DTranspose', () => {
  it('Dense → BatchNormalization → Dropout → Dense, and the non-trainable moving statistics [so-bn]', () => {
    const m = py(`x = keras.Input(shape=(4096,))
h = layers.Dense(512, activation='relu')(x)
h = layers.BatchNormalization()(h)
h = layers.Dropout(0.5)(h)
y = layers.Dense(80, activation='sigmoid')(h)
model = keras.Model(x, y)`);
    assert.deepEqual(rows(m).slice(1), [
      ['dense', [null, 512], 2097664],
      ['batch_normalization', [null, 512], 2048],
      ['dropout', [null, 512], 0],
      ['dense_1', [null, 80], 41040],
    ]);
    assert.equal(byName(m, 'batch_normalization').nonTrainableParams, 1024);
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [2140752, 2139728, 1024]);
  });

  it('BatchNormalization right after Flatten, then Dense(300) [homl2-bn]', () => {
    const m = py(`model = keras.models.Sequential([
    keras.layers.Flatten(input_shape=[28, 28]),
    keras.layers.BatchNormalization(),
    keras.layers.Dense(300, activation="elu", kernel_initializer="he_normal"),
])`);
    assert.deepEqual(rows(m).filter((r) => r[0] !== 'input_layer'), [
      ['flatten', [null, 784], 0],
      ['batch_normalization', [null, 784], 3136],
      ['dense', [null, 300], 235500],
    ]);
  });

  it('a 3-D CNN: Conv3D, MaxPooling3D, BatchNormalization on volumes, GlobalAveragePooling3D [rsna-3d]', () => {
    const m = py(`inputs = keras.Input((128, 128, 32, 1))
x = layers.Conv3D(filters=64, kernel_size=3, activation='relu')(inputs)
x = layers.MaxPool3D(pool_size=2)(x)
x = layers.BatchNormalization()(x)
x = layers.Conv3D(filters=64, kernel_size=3, activation='relu')(x)
x = layers.MaxPool3D(pool_size=2)(x)
x = layers.BatchNormalization()(x)
x = layers.Conv3D(filters=128, kernel_size=3, activation='relu')(x)
x = layers.BatchNormalization()(x)
x = layers.Conv3D(filters=256, kernel_size=3, activation='relu')(x)
x = layers.BatchNormalization()(x)
x = layers.Dropout(0.3)(x)
x = layers.GlobalAveragePooling3D()(x)
x = layers.Dense(units=128, activation='relu')(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(units=1, activation='sigmoid')(x)
model = keras.Model(inputs, outputs, name='3d_mpmri_cnn')`);
    assert.deepEqual(rows(m), [
      ['input_layer', [null, 128, 128, 32, 1], 0],
      ['conv3d', [null, 126, 126, 30, 64], 1792],
      ['max_pooling3d', [null, 63, 63, 15, 64], 0],
      ['batch_normalization', [null, 63, 63, 15, 64], 256],
      ['conv3d_1', [null, 61, 61, 13, 64], 110656],
      ['max_pooling3d_1', [null, 30, 30, 6, 64], 0],
      ['batch_normalization_1', [null, 30, 30, 6, 64], 256],
      ['conv3d_2', [null, 28, 28, 4, 128], 221312],
      ['batch_normalization_2', [null, 28, 28, 4, 128], 512],
      ['conv3d_3', [null, 26, 26, 2, 256], 884992],
      ['batch_normalization_3', [null, 26, 26, 2, 256], 1024],
      ['dropout', [null, 26, 26, 2, 256], 0],
      ['global_average_pooling3d', [null, 256], 0],
      ['dense', [null, 128], 32896],
      ['dropout_1', [null, 128], 0],
      ['dense_1', [null, 1], 129],
    ]);
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [1253825, 1252801, 1024]);
  });

  it('Conv2D, DepthwiseConv2D without bias and a 1×1 Conv2D on (32, 32, 3) [dw-doc]; SeparableConv2D [so-sep]', () => {
    const c = one('(32, 32, 3)', "layers.Conv2D(32, 3, activation='relu', padding='same')");
    assert.deepEqual([c.outputShape, c.params], [[null, 32, 32, 32], 896]);
    const d = one('(32, 32, 3)', "layers.DepthwiseConv2D(3, activation='relu', padding='same', use_bias=False)");
    assert.deepEqual([d.outputShape, d.params], [[null, 32, 32, 3], 27]);
    const p = one('(32, 32, 3)', "layers.Conv2D(32, 1, activation='relu', padding='same')");
    assert.deepEqual([p.outputShape, p.params], [[null, 32, 32, 32], 128]);
    const s = one('(3, 3, 3)', "layers.SeparableConv2D(filters=1, strides=1, padding='valid', activation='relu', kernel_size=2, depth_multiplier=1)");
    assert.deepEqual([s.outputShape, s.params], [[null, 2, 2, 1], 16]);
  });

  it('SeparableConv1D with and without bias [sep1d]', () => {
    const a = one('(12, 64)', "layers.SeparableConv1D(64, 2, 1, padding='same', activation='relu')");
    assert.deepEqual([a.outputShape, a.params], [[null, 12, 64], 4288]);
    const b = one('(24, 32)', "layers.SeparableConv1D(32, 2, 1, padding='same', use_bias=False)");
    assert.deepEqual([b.outputShape, b.params], [[null, 24, 32], 1088]);
  });

  it('an LSTM autoencoder with RepeatVector and TimeDistributed(Dense) [lstm-ae]', () => {
    const m = py(`model = keras.Sequential([
    keras.Input(shape=(24, 6)),
    layers.LSTM(64, return_sequences=True),
    layers.LSTM(32),
    layers.RepeatVector(24),
    layers.LSTM(32, return_sequences=True),
    layers.LSTM(64, return_sequences=True),
    layers.TimeDistributed(layers.Dense(6)),
])`);
    assert.deepEqual(rows(m).filter((r) => r[0] !== 'input_layer'), [
      ['lstm', [null, 24, 64], 18176],
      ['lstm_1', [null, 32], 12416],
      ['repeat_vector', [null, 24, 32], 0],
      ['lstm_2', [null, 24, 32], 8320],
      ['lstm_3', [null, 24, 64], 24832],
      ['time_distributed', [null, 24, 6], 390],
    ]);
    assert.equal(m.totalParams, 64134);
  });

  it('Conv1DTranspose upsampling a sequence by 2, three times [tts-conv]', () => {
    const cases: [string, string, (number | null)[], number][] = [
      ['(168, 256)', "layers.Conv1DTranspose(256, 5, strides=2, padding='same')", [336, 256], 327936],
      ['(336, 256)', "layers.Conv1DTranspose(128, 3, strides=2, padding='same')", [672, 128], 98432],
      ['(672, 128)', "layers.Conv1DTranspose(128, 3, strides=2, padding='same')", [1344, 128], 49280],
    ];
    for (const [input, layer, out, params] of cases) {
      const l = one(input, layer);
      assert.deepEqual([l.outputShape, l.params], [[null, ...out], params], layer);
    }
  });

  it('EinsumDense written as a Dense, on vectors [so-bn] and on each step of a sequence [lstm-ae] [equiv]', () => {
    const v = one('(4096,)', "layers.EinsumDense('ab,bc->ac', output_shape=512, bias_axes='c')");
    assert.deepEqual([v.outputShape, v.params], [[null, 512], 2097664]);
    const s = one('(24, 64)', "layers.EinsumDense('abc,cd->abd', output_shape=(None, 6), bias_axes='d')");
    assert.deepEqual([s.outputShape, s.params], [[null, 24, 6], 390]);
  });

  it('GroupedQueryAttention with as many key/value heads as query heads counts as MultiHeadAttention [equiv]', () => {
    const m = json([
      ['input_1', 'InputLayer', { batch_shape: [null, 500, 1] }, []],
      ['gqa', 'GroupedQueryAttention', { head_dim: 256, num_query_heads: 4, num_key_value_heads: 4 }, ['input_1', 'input_1']],
    ]);
    assert.deepEqual([byName(m, 'gqa').outputShape, byName(m, 'gqa').params], [[null, 500, 1], 7169]);
  });

  it('RNN(LSTMCell), RNN(SimpleRNNCell), RNN(GRUCell) count as the printed LSTM, SimpleRNN and GRU [equiv]', () => {
    const cases: [(number | null)[], string, Record<string, unknown>, number][] = [
      [[null, null, 1], 'LSTMCell', { units: 1 }, 12],
      [[null, 3, 1], 'SimpleRNNCell', { units: 10 }, 120],
      [[null, null, 25], 'GRUCell', { units: 5 }, 480],
    ];
    for (const [shape, cell, config, params] of cases) {
      const m = json([
        ['in', 'InputLayer', { batch_shape: shape }, []],
        ['rnn', 'RNN', { cell: { class_name: cell, config } }, ['in']],
      ]);
      assert.deepEqual([byName(m, 'rnn').outputShape, byName(m, 'rnn').params], [[null, config.units], params], cell);
    }
  });

  it('Conv3DTranspose doubling a volume in a 3-D U-Net [unet3d]', () => {
    const cases: [string, number, (number | null)[], number][] = [
      ['(1, 8, 8, 512)', 256, [2, 16, 16, 256], 1048832],
      ['(2, 16, 16, 256)', 128, [4, 32, 32, 128], 262272],
      ['(4, 32, 32, 128)', 64, [8, 64, 64, 64], 65600],
      ['(8, 64, 64, 64)', 32, [16, 128, 128, 32], 16416],
      ['(16, 128, 128, 32)', 16, [32, 256, 256, 16], 4112],
    ];
    for (const [input, filters, out, params] of cases) {
      const l = one(input, `layers.Conv3DTranspose(${filters}, (2, 2, 2), strides=(2, 2, 2), padding='same')`);
      assert.deepEqual([l.outputShape, l.params], [[null, ...out], params], input);
    }
  });
});
