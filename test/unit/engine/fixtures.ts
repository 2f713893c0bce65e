/** Hand-built model IRs for the engine tests (the same shapes the reader produces). */
import type { ConfigValue, LayerNode, ModelIR, TrainingConfig } from '../../../src/core/model/ir';

const range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function layer(name: string, type: string, config: Record<string, ConfigValue>, inputs: string[], outputShape: (number | null)[] | null = null): LayerNode {
  return { name, type, config, inputs, outputShape, params: 0, trainableParams: 0, nonTrainableParams: 0, range };
}

/** A chain of layers: each takes the previous one's output. */
export function chain(name: string, specs: [string, string, Record<string, ConfigValue>][], inputShape: number[], training: TrainingConfig = {}): ModelIR {
  const layers: LayerNode[] = [layer('input_1', 'InputLayer', {}, [], [null, ...inputShape])];
  for (const [n, type, config] of specs) layers.push(layer(n, type, config, [layers[layers.length - 1]!.name]));
  return {
    name,
    style: 'functional',
    range,
    layers,
    inputs: ['input_1'],
    outputs: [layers[layers.length - 1]!.name],
    totalParams: 0,
    trainableParams: 0,
    nonTrainableParams: 0,
    training: { optimizer: { name: 'Adam', learningRate: 0.001 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], batchSize: 64, epochs: 1, dataset: 'mnist', inputScale: 1 / 255, ...training },
    diagnostics: [],
  };
}

/** The reference Basic_CNN as the reader gives it (Keras defaults filled in). */
export function basicCnn(): ModelIR {
  const conv = (filters: number): Record<string, ConfigValue> => ({
    filters,
    kernel_size: [3, 3],
    strides: [1, 1],
    padding: 'SAME',
    data_format: 'channels_last',
    dilation_rate: [1, 1],
    activation: null,
    use_bias: true,
    kernel_initializer: 'glorot_uniform',
    bias_initializer: 'zeros',
  });
  return chain(
    'Basic_CNN',
    [
      ['conv2d', 'Conv2D', conv(32)],
      ['activation', 'Activation', { activation: 'relu' }],
      ['conv2d_1', 'Conv2D', conv(32)],
      ['activation_1', 'Activation', { activation: 'relu' }],
      ['max_pooling2d', 'MaxPooling2D', { pool_size: [2, 2], strides: null, padding: 'valid' }],
      ['dropout', 'Dropout', { rate: 0.5 }],
      ['conv2d_2', 'Conv2D', conv(64)],
      ['activation_2', 'Activation', { activation: 'relu' }],
      ['conv2d_3', 'Conv2D', conv(64)],
      ['activation_3', 'Activation', { activation: 'relu' }],
      ['max_pooling2d_1', 'MaxPooling2D', { pool_size: [2, 2], strides: null, padding: 'valid' }],
      ['dropout_1', 'Dropout', { rate: 0.5 }],
      ['flatten', 'Flatten', {}],
      ['dense', 'Dense', { units: 512, activation: null }],
      ['activation_4', 'Activation', { activation: 'relu' }],
      ['dropout_2', 'Dropout', { rate: 0.5 }],
      ['dense_1', 'Dense', { units: 10, activation: null }],
      ['activation_5', 'Activation', { activation: 'softmax' }],
    ],
    [28, 28, 1],
  );
}

/** A tiny conv net: fast enough to train in tests. */
export function tinyCnn(): ModelIR {
  return chain(
    'tiny_cnn',
    [
      ['conv', 'Conv2D', { filters: 4, kernel_size: 3, padding: 'same', activation: 'relu' }],
      ['pool', 'MaxPooling2D', { pool_size: 2 }],
      ['flatten', 'Flatten', {}],
      ['out', 'Dense', { units: 10, activation: 'softmax' }],
    ],
    [28, 28, 1],
  );
}

/** Dense only. */
export function tinyDense(): ModelIR {
  return chain(
    'tiny_dense',
    [
      ['flatten', 'Flatten', {}],
      ['hidden', 'Dense', { units: 32, activation: 'relu' }],
      ['out', 'Dense', { units: 10, activation: 'softmax' }],
    ],
    [28, 28, 1],
  );
}
