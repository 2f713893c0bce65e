// Layers no printed summary or docstring example we found covers, against the shapes Keras's own
// layer tests assert (keras-team/keras keras/src/layers/<file>, `run_layer_test(...,
// expected_output_shape=...)`) and the docstrings of the recurrent cells. Parameter counts that no
// figure gives are checked against the weight shapes those files' build() creates, said at the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byName, json, one } from './read';

describe('shapes from Keras layer tests', () => {
  const cases: [string, string, (number | null)[], string][] = [
    ['(5, 4)', "layers.DepthwiseConv1D(kernel_size=2, depth_multiplier=5, strides=1, padding='valid')", [4, 20], 'convolutional/depthwise_conv_test.py'],
    ['(4, 4)', "layers.DepthwiseConv1D(kernel_size=2, depth_multiplier=6, padding='same', dilation_rate=(2,))", [4, 24], 'convolutional/depthwise_conv_test.py'],
    ['(5, 4)', "layers.DepthwiseConv1D(kernel_size=2, depth_multiplier=6, strides=(2,), padding='valid')", [2, 24], 'convolutional/depthwise_conv_test.py'],
    ['(5, 4)', "layers.SeparableConv1D(filters=5, kernel_size=2, depth_multiplier=5, padding='valid')", [4, 5], 'convolutional/separable_conv_test.py'],
    ['(4, 4)', "layers.SeparableConv1D(filters=6, kernel_size=2, depth_multiplier=6, padding='same', dilation_rate=(2,))", [4, 6], 'convolutional/separable_conv_test.py'],
    ['(5, 4)', "layers.SeparableConv1D(filters=6, kernel_size=2, depth_multiplier=6, strides=(2,), padding='valid')", [2, 6], 'convolutional/separable_conv_test.py'],
    ['(2, 4, 3)', "layers.ConvLSTM1D(filters=5, kernel_size=3, padding='same')", [4, 5], 'rnn/conv_lstm1d_test.py'],
    ['(2, 8, 3)', "layers.ConvLSTM1D(filters=5, kernel_size=3, padding='valid')", [6, 5], 'rnn/conv_lstm1d_test.py'],
    ['(2, 4, 4, 4, 3)', "layers.ConvLSTM3D(filters=5, kernel_size=3, padding='same')", [4, 4, 4, 5], 'rnn/conv_lstm3d_test.py'],
    ['(2, 8, 8, 8, 3)', "layers.ConvLSTM3D(filters=5, kernel_size=3, padding='valid', recurrent_dropout=0.5)", [6, 6, 6, 5], 'rnn/conv_lstm3d_test.py'],
    ['(2, 4)', 'layers.GRU(3, dropout=0.5)', [3], 'rnn/gru_test.py'],
    ['(2, 4)', 'layers.SimpleRNN(3, dropout=0.5, recurrent_dropout=0.5)', [3], 'rnn/simple_rnn_test.py'],
    ['(2,)', 'layers.RMSNormalization()', [2], 'normalization/rms_normalization_test.py'],
    ['(5, 4)', 'layers.GlobalMaxPooling1D()', [4], 'pooling/global_max_pooling1d.py docstring, (2, 3, 4) → (2, 4) style'],
  ];
  for (const [input, layer, out, source] of cases) {
    it(`${layer} on ${input} [${source}]`, () => assert.deepEqual(one(input, layer).outputShape, [null, ...out]));
  }

  it('DepthwiseConv1D and SeparableConv1D weights (the kernel shapes their build() makes)', () => {
    // depthwise kernel (2, 4, 5) + bias (20,)
    assert.equal(one('(5, 4)', 'layers.DepthwiseConv1D(kernel_size=2, depth_multiplier=5)').params, 2 * 4 * 5 + 20);
    // depthwise (2, 4, 5) + pointwise (1, 20, 5) + bias (5,)
    assert.equal(one('(5, 4)', 'layers.SeparableConv1D(filters=5, kernel_size=2, depth_multiplier=5)').params, 2 * 4 * 5 + 20 * 5 + 5);
  });

  it('RMSNormalization has one scale per feature (rms_normalization.py build: shape (input_shape[-1],))', () => {
    assert.equal(one('(2,)', 'layers.RMSNormalization()').params, 2);
  });

  it('RNN with SimpleRNNCell / GRUCell: (batch, units) [doc: rnn/simple_rnn.py, rnn/gru.py]', () => {
    for (const cell of ['SimpleRNNCell', 'GRUCell']) {
      const m = json([
        ['in', 'InputLayer', { batch_shape: [32, 10, 8] }, []],
        ['rnn', 'RNN', { cell: { class_name: cell, config: { units: 4 } } }, ['in']],
      ]);
      assert.deepEqual(byName(m, 'rnn').outputShape, [null, 4]);
    }
  });

  it('SpectralNormalization(Dense(2)) and (Embedding(10, 4)) [normalization/spectral_normalization_test.py]', () => {
    const d = json([
      ['in', 'InputLayer', { batch_shape: [10, 3, 4] }, []],
      ['sn', 'SpectralNormalization', { layer: { class_name: 'Dense', config: { units: 2 } } }, ['in']],
    ]);
    assert.deepEqual(byName(d, 'sn').outputShape, [null, 3, 2]);
    // One non-trainable weight, vector_u of shape (1, kernel_shape[-1]) (spectral_normalization.py build).
    assert.equal(byName(d, 'sn').nonTrainableParams, 2);
    assert.equal(byName(d, 'sn').trainableParams, 4 * 2 + 2);
    const e = json([
      ['in', 'InputLayer', { batch_shape: [10] }, []],
      ['sn', 'SpectralNormalization', { layer: { class_name: 'Embedding', config: { input_dim: 10, output_dim: 4 } } }, ['in']],
    ]);
    assert.deepEqual(byName(e, 'sn').outputShape, [null, 4]);
    assert.equal(byName(e, 'sn').nonTrainableParams, 4);
  });

  it('GroupedQueryAttention keeps the query shape [attention/grouped_query_attention_test.py]', () => {
    const m = json([
      ['q', 'InputLayer', { batch_shape: [2, 8, 16] }, []],
      ['v', 'InputLayer', { batch_shape: [2, 4, 16] }, []],
      ['gqa', 'GroupedQueryAttention', { num_query_heads: 2, num_key_value_heads: 2, head_dim: 2 }, ['q', 'v']],
    ]);
    assert.deepEqual(byName(m, 'gqa').outputShape, [null, 8, 16]);
    // Four EinsumDense projections with biases (the test's 8 weights): query/key/value (16, 2, 2) + (2, 2), output (2, 2, 16) + (16,).
    assert.equal(byName(m, 'gqa').params, 3 * (16 * 4 + 4) + (4 * 16 + 16));
  });

  it('AdditiveAttention learns one scale per feature unless use_scale=False (attention/additive_attention.py build: scale of shape (dim,))', () => {
    const attention = (config: Record<string, unknown>) =>
      byName(
        json([
          ['q', 'InputLayer', { batch_shape: [2, 8, 16] }, []],
          ['v', 'InputLayer', { batch_shape: [2, 4, 16] }, []],
          ['a', 'AdditiveAttention', config, ['q', 'v']],
        ]),
        'a',
      );
    assert.deepEqual([attention({}).outputShape, attention({}).params], [[null, 8, 16], 16]);
    assert.equal(attention({ use_scale: false }).params, 0);
  });
});

