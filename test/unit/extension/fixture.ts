// A small hand-made IR (not read from a file) so these tests do not depend on the reader.
import type { LayerNode, ModelIR, Shape } from '../../../src/core/model/ir';

export function layer(name: string, type: string, line: number, shape: Shape, params: number, extra: Partial<LayerNode> = {}): LayerNode {
  return {
    name,
    type,
    config: {},
    inputs: [],
    outputShape: shape,
    params,
    trainableParams: params,
    nonTrainableParams: 0,
    range: { line, column: 7, endLine: line, endColumn: 40 },
    ...extra,
  };
}

export function tinyCnn(): ModelIR {
  const layers = [
    layer('input_1', 'InputLayer', 3, [null, 28, 28, 1], 0),
    layer('conv2d', 'Conv2D', 4, [null, 28, 28, 32], 320),
    layer('max_pooling2d', 'MaxPooling2D', 5, [null, 14, 14, 32], 0),
    layer('flatten', 'Flatten', 6, [null, 6272], 0),
    layer('dense', 'Dense', 7, [null, 10], 62730),
  ];
  return {
    name: 'Basic_CNN',
    style: 'functional',
    range: { line: 9, column: 9, endLine: 9, endColumn: 60 },
    layers,
    inputs: ['input_1'],
    outputs: ['dense'],
    totalParams: 1676266,
    trainableParams: 1676266,
    nonTrainableParams: 0,
    training: { epochs: 1, batchSize: 64, dataset: 'mnist', optimizer: { name: 'Adam', learningRate: 0.001 } },
    diagnostics: [],
  };
}
