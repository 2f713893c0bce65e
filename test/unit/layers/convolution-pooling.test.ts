// Convolution and pooling layers against figures Keras documents. Sources, by tag:
//  [doc:<file>]  the example in the layer's docstring, keras-team/keras keras/src/layers/<file>
//                (e.g. Conv1D: x of shape (4, 10, 128) → Conv1D(32, 3) → (4, 8, 32));
//  [ts-transformer] keras-io examples/timeseries/md/timeseries_classification_transformer.md, printed summary;
//  [unet]        a printed model.summary() of a Keras U-Net (conv2d_transpose (Conv2DTranspose) (None, 16, 16, 128) 131200
//                after conv2d_9 (None, 8, 8, 256)), found with the search tool;
//  [ucf50]       printed summaries of the ConvLSTM2D action-recognition model (conv_lstm2d (None, 20, 62, 62, 4) 1024,
//                max_pooling3d (None, 20, 31, 31, 4) 0), found with the search tool;
//  [tf-doc:<Layer>] the printed example on tensorflow.org's tf.keras.layers.<Layer> page (e.g. MaxPool1D:
//                pool 2 stride 1 "valid" on (1, 5, 1) → shape=(1, 4, 1); stride 2 → (1, 2, 1); "same" → (1, 5, 1)).
// The models are our own; only the figures come from the sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalLayerType, layerSpec } from '../../../src/core/keras/layer-table';
import { one } from './read';

type Case = [input: string, layer: string, out: (number | null)[], params: number | null, source: string];

function run(cases: Case[]): void {
  for (const [input, layer, out, params, source] of cases) {
    it(`${layer} on ${input} [${source}]`, () => {
      const l = one(input, layer);
      assert.deepEqual(l.outputShape, [null, ...out]);
      if (params !== null) {
        assert.equal(l.params, params);
        assert.equal(l.nonTrainableParams, 0);
      }
    });
  }
}

describe('convolution: output shapes and parameters', () => {
  run([
    ['(10, 128)', "layers.Conv1D(32, 3, activation='relu')", [8, 32], null, 'doc:convolutional/conv1d.py'],
    ['(500, 1)', 'layers.Conv1D(filters=4, kernel_size=1)', [500, 4], 8, 'ts-transformer'],
    ['(500, 4)', 'layers.Conv1D(filters=1, kernel_size=1)', [500, 1], 5, 'ts-transformer'],
    ['(10, 128)', "layers.Conv1DTranspose(32, 3, 2, activation='relu')", [21, 32], null, 'doc:convolutional/conv1d_transpose.py'],
    ['(10, 10, 128)', "layers.Conv2D(32, 3, activation='relu')", [8, 8, 32], null, 'doc:convolutional/conv2d.py'],
    ['(10, 8, 128)', "layers.Conv2DTranspose(32, 2, 2, activation='relu')", [20, 16, 32], null, 'doc:convolutional/conv2d_transpose.py'],
    ['(8, 8, 256)', "layers.Conv2DTranspose(128, (2, 2), strides=(2, 2), padding='same')", [16, 16, 128], 131200, 'unet'],
    ['(10, 10, 10, 128)', "layers.Conv3D(32, 3, activation='relu')", [8, 8, 8, 32], null, 'doc:convolutional/conv3d.py'],
    ['(10, 8, 12, 128)', "layers.Conv3DTranspose(32, 2, 2, activation='relu')", [20, 16, 24, 32], null, 'doc:convolutional/conv3d_transpose.py'],
    ['(10, 10, 12)', "layers.DepthwiseConv2D(kernel_size=3, activation='relu')", [8, 8, 12], null, 'doc:convolutional/depthwise_conv2d.py'],
  ]);

  it('Keras 3 aliases read as their class [keras-team/keras @keras_export names]', () => {
    const a = one('(10, 10, 128)', 'layers.Convolution2D(32, 3)');
    assert.deepEqual(a.outputShape, [null, 8, 8, 32]);
    for (const [alias, cls] of [
      ['Convolution1D', 'Conv1D'], ['Convolution3D', 'Conv3D'], ['Convolution2DTranspose', 'Conv2DTranspose'], ['Convolution1DTranspose', 'Conv1DTranspose'],
      ['Convolution3DTranspose', 'Conv3DTranspose'], ['SeparableConvolution1D', 'SeparableConv1D'], ['SeparableConvolution2D', 'SeparableConv2D'],
    ]) {
      assert.equal(canonicalLayerType(alias!), cls);
      assert.equal(layerSpec(alias!), layerSpec(cls!));
    }
  });

  it('errors say how to fix the input', () => {
    assert.throws(() => one('(28, 28, 1)', 'layers.Conv1D(4, 3)'), /expects a 3-D input/);
    assert.throws(() => one('(10, 128)', "layers.Conv1D(4, 3, strides=2, dilation_rate=2)"), /strides > 1 and dilation_rate > 1/);
    assert.throws(() => one('(4, 4, 3)', "layers.Conv2D(4, 3, padding='causal')"), /expected 'valid' or 'same'/);
  });
});

describe('pooling: output shapes', () => {
  run([
    ['(5, 1)', "layers.MaxPooling1D(pool_size=2, strides=1, padding='valid')", [4, 1], 0, 'tf-doc:MaxPool1D'],
    ['(5, 1)', "layers.MaxPooling1D(pool_size=2, strides=2, padding='valid')", [2, 1], 0, 'tf-doc:MaxPool1D'],
    ['(5, 1)', "layers.AveragePooling1D(pool_size=2, strides=1, padding='same')", [5, 1], 0, 'tf-doc:AveragePooling1D'],
    ['(3, 3, 1)', "layers.MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding='valid')", [2, 2, 1], 0, 'tf-doc:MaxPool2D'],
    ['(3, 4, 1)', "layers.AveragePooling2D(pool_size=(2, 2), strides=(2, 2), padding='valid')", [1, 2, 1], 0, 'tf-doc:AveragePooling2D'],
    ['(3, 3, 1)', "layers.AvgPool2D(pool_size=(2, 2), strides=(1, 1), padding='same')", [3, 3, 1], 0, 'tf-doc:AveragePooling2D'],
    ['(20, 62, 62, 4)', 'layers.MaxPooling3D(pool_size=(1, 2, 2))', [20, 31, 31, 4], 0, 'ucf50'],
    ['(20, 62, 62, 4)', 'layers.AveragePooling3D(pool_size=(1, 2, 2))', [20, 31, 31, 4], 0, 'ucf50 (same window)'],
    ['(3, 4)', 'layers.GlobalAveragePooling1D()', [4], 0, 'doc:pooling/global_average_pooling1d.py'],
    ['(3, 4)', 'layers.GlobalMaxPool1D()', [4], 0, 'doc:pooling/global_max_pooling1d.py'],
    ['(4, 5, 3)', 'layers.GlobalAvgPool2D()', [3], 0, 'doc:pooling/global_average_pooling2d.py'],
    ['(4, 5, 4, 3)', 'layers.GlobalAveragePooling3D()', [3], 0, 'doc:pooling/global_average_pooling3d.py'],
    ['(4, 5, 4, 3)', 'layers.GlobalMaxPooling3D()', [3], 0, 'doc:pooling/global_max_pooling3d.py'],
  ]);

  it('pooling aliases [keras-team/keras @keras_export names]', () => {
    for (const [alias, cls] of [['MaxPool1D', 'MaxPooling1D'], ['MaxPool2D', 'MaxPooling2D'], ['MaxPool3D', 'MaxPooling3D'], ['AvgPool1D', 'AveragePooling1D'], ['AvgPool3D', 'AveragePooling3D'], ['GlobalAvgPool1D', 'GlobalAveragePooling1D'], ['GlobalAvgPool3D', 'GlobalAveragePooling3D'], ['GlobalMaxPool2D', 'GlobalMaxPooling2D'], ['GlobalMaxPool3D', 'GlobalMaxPooling3D']]) {
      assert.equal(canonicalLayerType(alias!), cls);
    }
  });
});
