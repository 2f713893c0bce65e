/**
 * The reader's manifest (netron's test/models.json idea): real model files with the result Keras
 * gives for each, worked out by hand from Keras's formulas:
 *   Conv2D params = (kh·kw·cin + 1)·filters; Dense = (in + 1)·units; BatchNormalization = 4·C
 *   (2·C non-trainable); DepthwiseConv2D = kh·kw·cin·m + cin·m; SeparableConv2D = kh·kw·cin·m +
 *   cin·m·filters + filters; conv/pool size: "valid" floor((n − k)/s) + 1, "same" ceil(n/s).
 */
import type { DatasetName, Shape } from '../../../src/core/model/ir';

/** [name, type, outputShape, params] */
export type LayerRow = [string, string, Shape, number];

export interface ExpectedModel {
  name: string;
  /** Line of the model's constructor call. */
  line: number;
  variable?: string;
  style: 'functional' | 'sequential' | 'sequential-add' | 'json';
  layers: LayerRow[];
  /** Inputs of layers where they are not simply the previous layer. */
  inputs?: Record<string, string[]>;
  total: number;
  trainable: number;
  nonTrainable: number;
  training?: {
    optimizer?: string;
    learningRate?: number;
    loss?: string;
    metrics?: string[];
    batchSize?: number;
    epochs?: number;
    shuffle?: boolean;
    validationSplit?: number;
    dataset?: DatasetName;
    inputScale?: number;
    compileLine?: number;
    fitLine?: number;
    datasetLine?: number;
  };
}

export interface ManifestEntry {
  file: string;
  models: ExpectedModel[];
}

/** Input 8×8×1 → Conv2D(4, 3) → Flatten → Dense(2), used by the import-spelling fixtures. */
const tiny = (names: [string, string, string, string]): LayerRow[] => {
  return [
    [names[0], 'InputLayer', [null, 8, 8, 1], 0],
    [names[1], 'Conv2D', [null, 6, 6, 4], 40], // (3·3·1 + 1)·4
    [names[2], 'Flatten', [null, 144], 0], // 6·6·4
    [names[3], 'Dense', [null, 2], 290], // (144 + 1)·2
  ];
};
const TINY = ['input_layer', 'conv2d', 'flatten', 'dense'] as [string, string, string, string];

export const MANIFEST: ManifestEntry[] = [
  {
    file: 'examples/basic_cnn.py',
    models: [
      {
        name: 'Basic_CNN',
        line: 31,
        variable: 'model',
        style: 'functional',
        layers: [
          ['input_layer', 'InputLayer', [null, 28, 28, 1], 0],
          ['conv2d', 'Conv2D', [null, 28, 28, 32], 320],
          ['activation', 'Activation', [null, 28, 28, 32], 0],
          ['conv2d_1', 'Conv2D', [null, 28, 28, 32], 9248],
          ['activation_1', 'Activation', [null, 28, 28, 32], 0],
          ['max_pooling2d', 'MaxPooling2D', [null, 14, 14, 32], 0],
          ['dropout', 'Dropout', [null, 14, 14, 32], 0],
          ['conv2d_2', 'Conv2D', [null, 14, 14, 64], 18496],
          ['activation_2', 'Activation', [null, 14, 14, 64], 0],
          ['conv2d_3', 'Conv2D', [null, 14, 14, 64], 36928],
          ['activation_3', 'Activation', [null, 14, 14, 64], 0],
          ['max_pooling2d_1', 'MaxPooling2D', [null, 7, 7, 64], 0],
          ['dropout_1', 'Dropout', [null, 7, 7, 64], 0],
          ['flatten', 'Flatten', [null, 3136], 0],
          ['dense', 'Dense', [null, 512], 1606144],
          ['activation_4', 'Activation', [null, 512], 0],
          ['dropout_2', 'Dropout', [null, 512], 0],
          ['dense_1', 'Dense', [null, 10], 5130],
          ['activation_5', 'Activation', [null, 10], 0],
        ],
        total: 1676266,
        trainable: 1676266,
        nonTrainable: 0,
        training: {
          optimizer: 'Adam',
          learningRate: 0.001,
          loss: 'sparse_categorical_crossentropy',
          metrics: ['accuracy'],
          batchSize: 64,
          epochs: 1,
          shuffle: true,
          dataset: 'mnist',
          inputScale: 1 / 255,
          compileLine: 33,
          fitLine: 45,
          datasetLine: 37,
        },
      },
    ],
  },
  {
    file: 'examples/sequential_cnn.py',
    models: [
      {
        name: 'Sequential_CNN',
        line: 8,
        variable: 'model',
        style: 'sequential',
        layers: [
          ['input_layer', 'InputLayer', [null, 28, 28, 1], 0],
          ['conv2d', 'Conv2D', [null, 28, 28, 32], 320],
          ['conv2d_1', 'Conv2D', [null, 28, 28, 32], 9248],
          ['max_pooling2d', 'MaxPooling2D', [null, 14, 14, 32], 0],
          ['dropout', 'Dropout', [null, 14, 14, 32], 0],
          ['conv2d_2', 'Conv2D', [null, 14, 14, 64], 18496],
          ['conv2d_3', 'Conv2D', [null, 14, 14, 64], 36928],
          ['max_pooling2d_1', 'MaxPooling2D', [null, 7, 7, 64], 0],
          ['dropout_1', 'Dropout', [null, 7, 7, 64], 0],
          ['flatten', 'Flatten', [null, 3136], 0],
          ['dense', 'Dense', [null, 512], 1606144],
          ['dropout_2', 'Dropout', [null, 512], 0],
          ['dense_1', 'Dense', [null, 10], 5130],
        ],
        total: 1676266,
        trainable: 1676266,
        nonTrainable: 0,
        training: { optimizer: 'Adam', learningRate: 0.001, batchSize: 128, epochs: 2, validationSplit: 0.1, shuffle: true, dataset: 'mnist', inputScale: 1 / 255 },
      },
    ],
  },
  {
    file: 'examples/sequential_add.py',
    models: [
      {
        name: 'fashion_mlp',
        line: 5,
        style: 'sequential-add',
        layers: [
          ['input_layer', 'InputLayer', [null, 28, 28], 0],
          ['rescaling', 'Rescaling', [null, 28, 28], 0],
          ['reshape', 'Reshape', [null, 28, 28, 1], 0],
          ['conv2d', 'Conv2D', [null, 12, 12, 16], 416], // valid 5×5 stride 2: floor(23/2)+1 = 12; (25+1)·16
          ['batch_normalization', 'BatchNormalization', [null, 12, 12, 16], 64], // 4·16
          ['flatten', 'Flatten', [null, 2304], 0],
          ['dense', 'Dense', [null, 128], 295040], // (2304+1)·128
          ['dropout', 'Dropout', [null, 128], 0],
          ['dense_1', 'Dense', [null, 10], 1290],
        ],
        total: 296810,
        trainable: 296778,
        nonTrainable: 32,
        training: { optimizer: 'SGD', learningRate: 0.01, loss: 'sparse_categorical_crossentropy', batchSize: 32, epochs: 3, dataset: 'fashion_mnist' },
      },
    ],
  },
  {
    file: 'examples/residual.py',
    models: [
      {
        name: 'residual_cnn',
        line: 20,
        style: 'functional',
        layers: [
          ['image', 'InputLayer', [null, 28, 28, 1], 0],
          ['conv2d', 'Conv2D', [null, 28, 28, 32], 320],
          ['conv2d_1', 'Conv2D', [null, 28, 28, 32], 9248],
          ['batch_normalization', 'BatchNormalization', [null, 28, 28, 32], 128],
          ['re_lu', 'ReLU', [null, 28, 28, 32], 0],
          ['conv2d_2', 'Conv2D', [null, 28, 28, 32], 9248],
          ['batch_normalization_1', 'BatchNormalization', [null, 28, 28, 32], 128],
          ['add', 'Add', [null, 28, 28, 32], 0],
          ['re_lu_1', 'ReLU', [null, 28, 28, 32], 0],
          ['max_pooling2d', 'MaxPooling2D', [null, 14, 14, 32], 0],
          ['global_average_pooling2d', 'GlobalAveragePooling2D', [null, 32], 0],
          ['dense', 'Dense', [null, 10], 330],
        ],
        inputs: { add: ['batch_normalization_1', 'conv2d'] },
        total: 19402,
        trainable: 19274,
        nonTrainable: 128,
        training: { validationSplit: 0.1, dataset: 'mnist', inputScale: 1 / 255, batchSize: 64 },
      },
    ],
  },
  {
    file: 'examples/model.json',
    models: [
      {
        name: 'small_cnn',
        line: 9,
        style: 'json',
        layers: [
          ['conv2d_input', 'InputLayer', [null, 28, 28, 1], 0],
          ['conv2d', 'Conv2D', [null, 26, 26, 8], 80],
          ['max_pooling2d', 'MaxPooling2D', [null, 13, 13, 8], 0],
          ['flatten', 'Flatten', [null, 1352], 0],
          ['dense', 'Dense', [null, 10], 13530],
        ],
        total: 13610,
        trainable: 13610,
        nonTrainable: 0,
        training: { optimizer: 'Adam', learningRate: 0.001, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
      },
    ],
  },
  {
    file: 'test/unit/fixtures/models/keras3_functional.json',
    models: [
      {
        name: 'tiny_residual',
        line: 3,
        style: 'json',
        layers: [
          ['input_layer', 'InputLayer', [null, 8, 8, 3], 0],
          ['conv2d', 'Conv2D', [null, 8, 8, 3], 84], // (9·3 + 1)·3
          ['batch_normalization', 'BatchNormalization', [null, 8, 8, 3], 12],
          ['add', 'Add', [null, 8, 8, 3], 0],
          ['global_average_pooling2d', 'GlobalAveragePooling2D', [null, 3], 0],
          ['dense', 'Dense', [null, 4], 16],
        ],
        inputs: { add: ['batch_normalization', 'input_layer'] },
        total: 112,
        trainable: 106,
        nonTrainable: 6,
      },
    ],
  },
  {
    file: 'test/unit/fixtures/models/all_layers.py',
    models: [
      {
        name: 'all_layers',
        line: 26,
        style: 'functional',
        layers: [
          ['input_layer', 'InputLayer', [null, 32, 32, 3], 0],
          ['rescaling', 'Rescaling', [null, 32, 32, 3], 0],
          ['conv2d', 'Conv2D', [null, 15, 15, 8], 224], // valid s2: floor(29/2)+1 = 15; (27+1)·8
          ['batch_normalization', 'BatchNormalization', [null, 15, 15, 8], 32],
          ['re_lu', 'ReLU', [null, 15, 15, 8], 0],
          ['conv2d_1', 'Conv2D', [null, 8, 15, 8], 960], // same s(2,1): ceil(15/2)=8, 15; no bias 3·5·8·8
          ['depthwise_conv2d', 'DepthwiseConv2D', [null, 8, 15, 16], 160], // 3·3·8·2 + 16
          ['separable_conv2d', 'SeparableConv2D', [null, 6, 13, 16], 416], // 3·3·16 + 16·16 + 16
          ['max_pooling2d', 'MaxPooling2D', [null, 3, 7, 16], 0], // same s2: ceil(6/2), ceil(13/2)
          ['average_pooling2d', 'AveragePooling2D', [null, 2, 6, 16], 0], // valid 2×2 s1
          ['global_average_pooling2d', 'GlobalAveragePooling2D', [null, 16], 0],
          ['global_max_pooling2d', 'GlobalMaxPooling2D', [null, 16], 0],
          ['concatenate', 'Concatenate', [null, 32], 0],
          ['reshape', 'Reshape', [null, 4, 8], 0],
          ['flatten', 'Flatten', [null, 32], 0],
          ['dropout', 'Dropout', [null, 32], 0],
          ['dense', 'Dense', [null, 32], 1056],
          ['add', 'Add', [null, 32], 0],
          ['dense_1', 'Dense', [null, 10], 330],
          ['activation', 'Activation', [null, 10], 0],
          ['softmax', 'Softmax', [null, 10], 0],
        ],
        inputs: { concatenate: ['global_average_pooling2d', 'global_max_pooling2d'], global_max_pooling2d: ['average_pooling2d'], add: ['dropout', 'dense'] },
        total: 3178,
        trainable: 3162,
        nonTrainable: 16,
      },
    ],
  },
  {
    file: 'test/unit/fixtures/models/multi_models.py',
    models: [
      {
        name: 'sequential',
        line: 5,
        variable: 'small',
        style: 'sequential',
        layers: [
          ['input_layer', 'InputLayer', [null, 4], 0],
          ['dense', 'Dense', [null, 8], 40],
          ['dense_1', 'Dense', [null, 3], 27],
        ],
        total: 67,
        trainable: 67,
        nonTrainable: 0,
      },
      {
        name: 'sequential_1',
        line: 10,
        variable: 'big',
        style: 'sequential',
        layers: [
          ['input_layer_1', 'InputLayer', [null, 4], 0],
          ['dense_2', 'Dense', [null, 16], 80],
          ['dense_3', 'Dense', [null, 3], 51],
        ],
        total: 131,
        trainable: 131,
        nonTrainable: 0,
      },
      {
        name: 'two_inputs',
        line: 20,
        variable: 'two_inputs',
        style: 'functional',
        layers: [
          ['a', 'InputLayer', [null, 4], 0],
          ['b', 'InputLayer', [null, 6], 0],
          ['dense_4', 'Dense', [null, 5], 25],
          ['dense_5', 'Dense', [null, 5], 35],
          ['concatenate', 'Concatenate', [null, 10], 0],
          ['dense_6', 'Dense', [null, 1], 11],
        ],
        inputs: { dense_4: ['a'], dense_5: ['b'], concatenate: ['dense_4', 'dense_5'] },
        total: 71,
        trainable: 71,
        nonTrainable: 0,
      },
      {
        name: 'built_in_function',
        line: 24,
        variable: 'from_function',
        style: 'sequential-add',
        layers: [
          ['input_layer_2', 'InputLayer', [null, 2], 0],
          ['dense_7', 'Dense', [null, 7], 21],
        ],
        total: 21,
        trainable: 21,
        nonTrainable: 0,
      },
    ],
  },
  { file: 'test/unit/fixtures/models/import_keras.py', models: [{ name: 'functional', line: 8, style: 'functional', layers: tiny(TINY), total: 330, trainable: 330, nonTrainable: 0 }] },
  {
    file: 'test/unit/fixtures/models/import_from_tensorflow.py',
    models: [{ name: 'from_tensorflow', line: 3, style: 'sequential', layers: tiny(TINY), total: 330, trainable: 330, nonTrainable: 0 }],
  },
  {
    file: 'test/unit/fixtures/models/import_tf_modules.py',
    models: [
      {
        name: 'sequential',
        line: 3,
        style: 'sequential-add',
        layers: tiny(TINY),
        total: 330,
        trainable: 330,
        nonTrainable: 0,
        training: { optimizer: 'SGD', learningRate: 0.01, metrics: ['accuracy'], batchSize: 16, epochs: 4, shuffle: true, dataset: 'fashion_mnist', inputScale: 1 / 255, compileLine: 7, fitLine: 10, datasetLine: 9 },
      },
    ],
  },
  { file: 'test/unit/fixtures/models/import_alias.py', models: [{ name: 'aliased', line: 12, style: 'functional', layers: tiny(TINY), total: 330, trainable: 330, nonTrainable: 0 }] },
  { file: 'test/unit/fixtures/models/import_direct.py', models: [{ name: 'direct', line: 7, style: 'functional', layers: tiny(TINY), total: 330, trainable: 330, nonTrainable: 0 }] },
  { file: 'test/unit/fixtures/models/import_star.py', models: [{ name: 'star', line: 4, style: 'sequential-add', layers: tiny(TINY), total: 330, trainable: 330, nonTrainable: 0 }] },
  {
    file: 'test/unit/fixtures/models/loop_and_functions.py',
    models: [
      {
        name: 'blocks',
        line: 17,
        style: 'functional',
        layers: [
          ['input_layer', 'InputLayer', [null, 16, 16, 1], 0],
          ['conv2d', 'Conv2D', [null, 16, 16, 4], 40],
          ['max_pooling2d', 'MaxPooling2D', [null, 8, 8, 4], 0],
          ['conv2d_1', 'Conv2D', [null, 8, 8, 8], 296],
          ['max_pooling2d_1', 'MaxPooling2D', [null, 4, 4, 8], 0],
          ['global_average_pooling2d', 'GlobalAveragePooling2D', [null, 8], 0],
          ['dense', 'Dense', [null, 3], 27],
        ],
        total: 363,
        trainable: 363,
        nonTrainable: 0,
      },
    ],
  },
  {
    // Comments inside calls, continuations, trailing commas, f-strings, decorators, type hints,
    // keyword-only parameters, **kwargs passed on, dict unpacking, np.prod / math.ceil / int(...),
    // a main() that returns the model and `if __name__ == "__main__":`.
    file: 'test/unit/fixtures/models/any_python.py',
    models: [
      {
        name: 'any_python_10',
        line: 52,
        variable: 'model',
        style: 'functional',
        layers: [
          ['pixels', 'InputLayer', [null, 28, 28, 1], 0],
          ['block1_conv', 'Conv2D', [null, 28, 28, 8], 80], // (3·3·1 + 1)·8
          ['max_pooling2d', 'MaxPooling2D', [null, 14, 14, 8], 0],
          ['block2_conv', 'Conv2D', [null, 14, 14, 16], 1168], // (3·3·8 + 1)·16
          ['max_pooling2d_1', 'MaxPooling2D', [null, 7, 7, 16], 0],
          ['flatten', 'Flatten', [null, 784], 0],
          ['dense', 'Dense', [null, 32], 25120], // (784 + 1)·32
          ['dropout', 'Dropout', [null, 32], 0],
          ['dense_1', 'Dense', [null, 10], 330],
        ],
        total: 26698,
        trainable: 26698,
        nonTrainable: 0,
        training: { optimizer: 'Adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], compileLine: 57 },
      },
    ],
  },
];

/**
 * Published models, each written anew in its own style (never copied): the expected totals are the
 * ones the author's printed `model.summary()` shows, and the comment names where it is printed.
 * `model` picks the model by name when the file has several (default: the last one).
 */
export interface PublishedEntry {
  file: string;
  source: string;
  model?: string;
  /**
   * The figures are those of the file's summary() call at this line (the model as it is there,
   * which the file changes afterwards): the call's snapshot in the reader's result, not the end state.
   */
  summaryLine?: number;
  /** A call at that line run several times (in a loop): which run, from 0 (default: the line's only run). */
  summaryRun?: number;
  total: number;
  trainable: number;
  nonTrainable: number;
}

const DLWP1 = 'fchollet/deep-learning-with-python-notebooks';
/** Krohn, Beyleveld & Bassens, Deep Learning Illustrated (2019), notebooks with their printed outputs. */
const DLILL = 'the-deep-learners/deep-learning-illustrated';
/** Planche & Andres, Hands-On Computer Vision with TensorFlow 2 (2019), notebooks with their printed outputs. */
const HOCV = 'PacktPublishing/Hands-On-Computer-Vision-with-TensorFlow-2';
const KERAS_IO = 'keras-team/keras-io';
const HOML2 = 'ageron/handson-ml2';
const HEATON = 'jeffheaton/t81_558_deep_learning';
const TREKHLEB = 'trekhleb/machine-learning-experiments';
const DLI = 'jonkrohn/DLTFpT';
const PML3 = 'rasbt/python-machine-learning-book-3rd-edition';
const P = 'test/unit/fixtures/published/';
const TFAT = 'ashishpatel26/TensorFlow-Advanced-Techniques-Specialization';

export const PUBLISHED: PublishedEntry[] = [
  { file: P + 'dlwp1_convnet_base.py', source: `${DLWP1} first_edition/5.1-introduction-to-convnets.ipynb (first summary)`, total: 55744, trainable: 55744, nonTrainable: 0 },
  { file: P + 'dlwp1_convnet.py', source: `${DLWP1} first_edition/5.1-introduction-to-convnets.ipynb (second summary)`, total: 93322, trainable: 93322, nonTrainable: 0 },
  { file: P + 'dlwp1_cats_dogs.py', source: `${DLWP1} first_edition/5.2-using-convnets-with-small-datasets.ipynb`, total: 3453121, trainable: 3453121, nonTrainable: 0 },
  { file: P + 'vgg16_base.py', source: `${DLWP1} first_edition/5.3-using-a-pretrained-convnet.ipynb (conv_base.summary())`, total: 14714688, trainable: 14714688, nonTrainable: 0 },
  { file: P + 'vgg16_top.py', source: `${DLWP1} first_edition/5.3-using-a-pretrained-convnet.ipynb (model.summary(), vgg16 as one row)`, model: 'sequential', total: 16812353, trainable: 16812353, nonTrainable: 0 },
  { file: P + 'vgg16_frozen.py', source: `${DLWP1} first_edition/5.3-using-a-pretrained-convnet.ipynb (conv_base.summary() after conv_base.trainable = False)`, total: 14714688, trainable: 0, nonTrainable: 14714688 },
  { file: P + 'keras_functional_mnist.py', source: `${KERAS_IO} guides/md/functional_api.md ("mnist_model")`, total: 55050, trainable: 55050, nonTrainable: 0 },
  { file: P + 'keras_functional_encoder.py', source: `${KERAS_IO} guides/md/functional_api.md ("encoder")`, total: 18672, trainable: 18672, nonTrainable: 0 },
  { file: P + 'keras_toy_resnet.py', source: `${KERAS_IO} guides/md/functional_api.md ("toy_resnet")`, total: 223242, trainable: 223242, nonTrainable: 0 },
  { file: P + 'keras_sequential_called.py', source: `${KERAS_IO} guides/md/sequential_model.md ("sequential_3", built by a call)`, total: 35, trainable: 35, nonTrainable: 0 },
  { file: P + 'keras_sequential_input.py', source: `${KERAS_IO} guides/md/sequential_model.md ("sequential_4")`, total: 10, trainable: 10, nonTrainable: 0 },
  { file: P + 'keras_sequential_input_shape.py', source: `${KERAS_IO} guides/md/sequential_model.md ("sequential_5")`, total: 10, trainable: 10, nonTrainable: 0 },
  { file: P + 'keras_sequential_debug_1.py', source: `${KERAS_IO} guides/md/sequential_model.md ("sequential_6", first summary)`, total: 11680, trainable: 11680, nonTrainable: 0 },
  { file: P + 'keras_sequential_debug_2.py', source: `${KERAS_IO} guides/md/sequential_model.md ("sequential_6", second summary)`, total: 48672, trainable: 48672, nonTrainable: 0 },
  { file: P + 'homl2_fashion_mlp.py', source: `${HOML2} 10_neural_nets_with_keras.ipynb (Fashion-MNIST MLP)`, total: 266610, trainable: 266610, nonTrainable: 0 },
  { file: P + 'homl2_wide_deep.py', source: `${HOML2} 10_neural_nets_with_keras.ipynb (Wide & Deep, 8 features)`, total: 1239, trainable: 1239, nonTrainable: 0 },
  { file: P + 'homl3_wide_deep_housing.py', source: "ageron/handson-ml3 10_neural_nets_with_keras.ipynb (Wide & Deep with Normalization, input size from the scikit-learn data)", total: 1256, trainable: 1239, nonTrainable: 17 },
  { file: P + 'dlwp2_oxford_segmentation.py', source: 'rickiepark/deep-learning-with-python-2nd chapter09_part01_image-segmentation.ipynb (the model, and the checkpoint it writes loaded back)', total: 2880643, trainable: 2880643, nonTrainable: 0 },
  { file: P + 'homl2_batchnorm.py', source: `${HOML2} 11_training_deep_neural_networks.ipynb (BatchNormalization MLP)`, total: 271346, trainable: 268978, nonTrainable: 2368 },
  { file: P + 'homl2_model_b.py', source: `${HOML2} 11_training_deep_neural_networks.ipynb (model_B)`, total: 275801, trainable: 275801, nonTrainable: 0 },
  { file: P + 'pml3_iris.py', source: `${PML3} ch13/ch13_part2.ipynb (iris_model)`, total: 131, trainable: 131, nonTrainable: 0 },
  { file: P + 'pml3_build.py', source: `${PML3} ch14/ch14_part1.ipynb ("sequential_1", model.build)`, total: 624, trainable: 624, nonTrainable: 0 },
  { file: P + 'pml3_logistic.py', source: `${PML3} ch14/ch14_part1.ipynb ("sequential_2")`, total: 3, trainable: 3, nonTrainable: 0 },
  { file: P + 'pml3_xor_sequential.py', source: `${PML3} ch14/ch14_part1.ipynb ("sequential_3")`, total: 57, trainable: 57, nonTrainable: 0 },
  { file: P + 'pml3_xor_functional.py', source: `${PML3} ch14/ch14_part1.ipynb (functional XOR model)`, total: 57, trainable: 57, nonTrainable: 0 },
  { file: P + 'pml3_xor_subclassed.py', source: `${PML3} ch14/ch14_part1.ipynb (MyModel, subclassed)`, total: 57, trainable: 57, nonTrainable: 0 },
  { file: P + 'pml3_xor_input.py', source: `${PML3} ch14/ch14_part3.ipynb (model for the estimator)`, total: 57, trainable: 57, nonTrainable: 0 },
  { file: P + 'pml3_mnist_cnn.py', source: `${PML3} ch15/ch15_part1.ipynb (MNIST CNN)`, total: 3274634, trainable: 3274634, nonTrainable: 0 },
  { file: P + 'pml3_celeba_cnn.py', source: `${PML3} ch15/ch15_part2.ipynb (CelebA smile CNN)`, total: 388673, trainable: 388673, nonTrainable: 0 },
  { file: P + 'heaton_cnn_regression.py', source: `${HEATON} t81_558_class_06_2_cnn.ipynb (regression CNN)`, total: 125999937, trainable: 125999937, nonTrainable: 0 },
  { file: P + 'heaton_cnn_classes.py', source: `${HEATON} t81_558_class_06_2_cnn.ipynb ("sequential_1", 3 classes)`, total: 1279139, trainable: 1279139, nonTrainable: 0 },
  { file: P + 'heaton_iris.py', source: `${HEATON} t81_558_class_09_1_keras_transfer.ipynb (the Iris network)`, total: 1603, trainable: 1603, nonTrainable: 0 },
  { file: P + 'heaton_transfer_frozen.py', source: `${HEATON} t81_558_class_09_1_keras_transfer.ipynb (model3, two frozen layers)`, model: 'sequential_1', total: 1525, trainable: 0, nonTrainable: 1525 },
  { file: P + 'heaton_transfer_head.py', source: `${HEATON} t81_558_class_09_1_keras_transfer.ipynb (model3 with Dense(1) added)`, model: 'sequential_1', total: 1551, trainable: 26, nonTrainable: 1525 },
  { file: P + 'mobilenet_v1.py', source: `${HEATON} t81_558_class_06_3_resnet.ipynb (MobileNet(weights='imagenet', include_top=True).summary())`, total: 4253864, trainable: 4231976, nonTrainable: 21888 },
  { file: P + 'xception_frozen.py', source: `${HEATON} t81_558_class_09_2_keras_xfer_cv.ipynb (Xception base frozen)`, model: 'functional', total: 20863529, trainable: 2049, nonTrainable: 20861480 },
  { file: P + 'xception_unfrozen.py', source: `${HEATON} t81_558_class_09_2_keras_xfer_cv.ipynb (base_model.trainable = True)`, model: 'functional', total: 20863529, trainable: 20809001, nonTrainable: 54528 },
  { file: P + 'vgg16_full.py', source: 'chrisk0312/AI-study keras2/keras62_1_vgg16_include_top.py (VGG16().summary() in its comments)', total: 138357544, trainable: 138357544, nonTrainable: 0 },
  { file: P + 'vgg16_full_frozen.py', source: 'TaeYeon-kim-ai/STUDY_1.py keras2/keras79_include_top.py (VGG16() with trainable = False)', total: 138357544, trainable: 0, nonTrainable: 138357544 },
  { file: P + 'vgg16_cifar_base.py', source: "chrisk0312/AI-study keras2/keras62_1_vgg16_include_top.py (VGG16(include_top=False, input_shape=(32, 32, 3)))", total: 14714688, trainable: 14714688, nonTrainable: 0 },
  { file: P + 'vgg16_finetune_block5.py', source: 'Nika-Keks/spbstu-datahub models/README.md (VGG: vgg16 (Functional) + Dense 1024/512/2)', model: 'sequential', total: 40931650, trainable: 33296386, nonTrainable: 7635264 },
  { file: P + 'resnet50_frozen_head.py', source: 'ColinHmrl/science-de-la-donnee Pipeline_Final/weights/classification/README.txt (ResNet50 base frozen + dense head, 150x150)', model: 'functional', total: 49803137, trainable: 26215425, nonTrainable: 23587712 },
  { file: P + 'trekhleb_digits_cnn.py', source: `${TREKHLEB} experiments/digits_recognition_cnn/digits_recognition_cnn.ipynb`, total: 37610, trainable: 37610, nonTrainable: 0 },
  { file: P + 'trekhleb_digits_mlp.py', source: `${TREKHLEB} experiments/digits_recognition_mlp/digits_recognition_mlp.ipynb`, total: 118282, trainable: 118282, nonTrainable: 0 },
  { file: P + 'trekhleb_rps_cnn.py', source: `${TREKHLEB} experiments/rock_paper_scissors_cnn/rock_paper_scissors_cnn.ipynb`, total: 3473475, trainable: 3473475, nonTrainable: 0 },
  { file: P + 'trekhleb_sketch_cnn.py', source: `${TREKHLEB} experiments/sketch_recognition_cnn/sketch_recognition_cnn.ipynb`, total: 500985, trainable: 500985, nonTrainable: 0 },
  { file: P + 'trekhleb_sketch_mlp.py', source: `${TREKHLEB} experiments/sketch_recognition_mlp/sketch_recognition_mlp.ipynb`, total: 1104217, trainable: 1104217, nonTrainable: 0 },
  { file: P + 'keras_mnist_convnet.py', source: `${KERAS_IO} examples/vision/md/mnist_convnet.md`, total: 34826, trainable: 34826, nonTrainable: 0 },
  { file: P + 'dli_alexnet.py', source: `${DLI} notebooks/alexnet_in_tensorflow.ipynb`, total: 26549834, trainable: 26548362, nonTrainable: 1472 },
  { file: P + 'dli_deep_net.py', source: `${DLI} notebooks/deep_net_in_tensorflow.ipynb`, total: 59978, trainable: 59594, nonTrainable: 384 },
  { file: P + 'dli_intermediate_net.py', source: `${DLI} notebooks/intermediate_net_in_tensorflow.ipynb`, total: 55050, trainable: 55050, nonTrainable: 0 },
  { file: P + 'dli_lenet.py', source: `${DLI} notebooks/lenet_in_tensorflow.ipynb`, total: 1199882, trainable: 1199882, nonTrainable: 0 },
  { file: P + 'dli_lenet_fashion.py', source: `${DLI} notebooks/lenet_in_tensorflow_for_fashion_MNIST.ipynb`, total: 1199882, trainable: 1199882, nonTrainable: 0 },
  { file: P + 'dli_regression.py', source: `${DLI} notebooks/regression_in_tensorflow.ipynb`, total: 1185, trainable: 1089, nonTrainable: 96 },
  { file: P + 'dli_shallow_net.py', source: `${DLI} notebooks/shallow_net_in_tensorflow.ipynb`, total: 50890, trainable: 50890, nonTrainable: 0 },
  { file: P + 'dli_vgg19_transfer.py', source: `${DLI} notebooks/transfer_learning_in_tensorflow.ipynb (VGG19 base frozen)`, model: 'sequential', total: 20074562, trainable: 50178, nonTrainable: 20024384 },
  { file: P + 'dli_vggnet.py', source: `${DLI} notebooks/vggnet_in_tensorflow.ipynb`, total: 33642954, trainable: 33640010, nonTrainable: 2944 },
  { file: P + 'moroney_fashion_cnn.py', source: 'lmoroney/dlaicourse "Course 1 - Part 6 - Lesson 2 - Notebook.ipynb"', total: 243786, trainable: 243786, nonTrainable: 0 },
  { file: P + 'keras3_mnist_model.py', source: `${KERAS_IO} guides/md/keras_core/functional_api.md ("mnist_model", Keras 3)`, total: 55050, trainable: 55050, nonTrainable: 0 },
  { file: P + 'keras3_encoder.py', source: `${KERAS_IO} guides/md/keras_core/functional_api.md ("encoder", Keras 3)`, total: 18672, trainable: 18672, nonTrainable: 0 },
  { file: P + 'keras3_toy_resnet.py', source: `${KERAS_IO} guides/md/keras_core/functional_api.md ("toy_resnet", Keras 3)`, total: 223242, trainable: 223242, nonTrainable: 0 },
  { file: P + 'keras_bidirectional_imdb.py', source: `${KERAS_IO} examples/nlp/md/bidirectional_lstm_imdb.md (Total params: 2,757,761)`, total: 2757761, trainable: 2757761, nonTrainable: 0 },
  { file: P + 'keras_siamese_contrastive.py', source: `${KERAS_IO} examples/vision/md/siamese_contrastive.md (siamese.summary(): the embedding model called on both inputs, counted once)`, model: 'functional', total: 5318, trainable: 4804, nonTrainable: 514 },
  { file: P + 'homl3_fashion_mlp.py', source: 'ageron/handson-ml3 10_neural_nets_with_keras.ipynb (Fashion-MNIST MLP)', total: 266610, trainable: 266610, nonTrainable: 0 },
  { file: P + 'dlwp1_embedding_flatten.py', source: `${DLWP1} first_edition/6.1-using-word-embeddings.ipynb (Embedding + Flatten + Dense)`, total: 80161, trainable: 80161, nonTrainable: 0 },
  { file: P + 'dlwp1_glove_mlp.py', source: `${DLWP1} first_edition/6.1-using-word-embeddings.ipynb (GloVe model)`, total: 1320065, trainable: 1320065, nonTrainable: 0 },
  { file: P + 'dlwp1_simple_rnn_stack.py', source: `${DLWP1} first_edition/6.2-understanding-recurrent-neural-networks.ipynb (four SimpleRNN layers)`, total: 328320, trainable: 328320, nonTrainable: 0 },
  { file: P + 'dlwp1_conv1d_imdb.py', source: `${DLWP1} first_edition/6.4-sequence-processing-with-convnets.ipynb (IMDB 1D convnet)`, total: 1315937, trainable: 1315937, nonTrainable: 0 },
  { file: P + 'dlwp1_conv1d_gru.py', source: `${DLWP1} first_edition/6.4-sequence-processing-with-convnets.ipynb (Conv1D + GRU, Keras 2.0 GRU = reset_after=False)`, total: 13697, trainable: 13697, nonTrainable: 0 },
  { file: P + 'dlwp1_gan_generator.py', source: `${DLWP1} first_edition/8.5-introduction-to-gans.ipynb (generator)`, total: 6264579, trainable: 6264579, nonTrainable: 0 },
  { file: P + 'dlwp1_gan_discriminator.py', source: `${DLWP1} first_edition/8.5-introduction-to-gans.ipynb (discriminator)`, total: 790913, trainable: 790913, nonTrainable: 0 },
  { file: P + 'dlill_multi_convnet.py', source: `${DLILL} notebooks/multi_convnet_sentiment_classifier.ipynb (Keras 2.2)`, total: 681601, trainable: 681601, nonTrainable: 0 },
  { file: P + 'dlill_alexnet.py', source: `${DLILL} notebooks/alexnet_in_keras.ipynb (Keras 2.2)`, total: 21883153, trainable: 21881681, nonTrainable: 1472 },
  { file: P + 'dlill_conv_lstm_stack.py', source: `${DLILL} notebooks/conv_lstm_stack_sentiment_classifier.ipynb (Keras 2.2)`, total: 718529, trainable: 718529, nonTrainable: 0 },
  { file: P + 'dlill_stacked_bi_lstm.py', source: `${DLILL} notebooks/stacked_bi_lstm_sentiment_classifier.ipynb (Keras 2.2)`, total: 804993, trainable: 804993, nonTrainable: 0 },
  { file: P + 'hocv_mnist_autoencoder.py', model: 'functional', source: `${HOCV} Chapter06/ch6_nb1_discover_autoencoders.ipynb (autoencoder)`, total: 222384, trainable: 222384, nonTrainable: 0 },
  { file: P + 'hocv_mnist_autoencoder.py', model: 'functional_1', source: `${HOCV} Chapter06/ch6_nb1_discover_autoencoders.ipynb (encoder)`, total: 110816, trainable: 110816, nonTrainable: 0 },
  { file: P + 'hocv_mnist_autoencoder.py', model: 'functional_2', source: `${HOCV} Chapter06/ch6_nb1_discover_autoencoders.ipynb (decoder from the autoencoder's layers)`, total: 111568, trainable: 111568, nonTrainable: 0 },
  { file: P + 'keras_denoising_autoencoder.py', source: `${KERAS_IO} examples/vision/md/autoencoder.md (Keras 3)`, total: 28353, trainable: 28353, nonTrainable: 0 },
  { file: P + 'keras_3d_ct_cnn.py', source: `${KERAS_IO} examples/vision/md/3D_image_classification.md ("3dcnn", Keras 3)`, total: 1352897, trainable: 1351873, nonTrainable: 1024 },
  { file: P + 'keras_wgan_gp_critic.py', source: `${KERAS_IO} examples/generative/md/wgan_gp.md (d_model, "discriminator")`, total: 4305409, trainable: 4305409, nonTrainable: 0 },
  { file: P + 'keras_wgan_gp_generator.py', source: `${KERAS_IO} examples/generative/md/wgan_gp.md (g_model, "generator")`, total: 910660, trainable: 902082, nonTrainable: 8578 },
  { file: P + 'keras_dcgan_discriminator.py', source: `${KERAS_IO} examples/generative/md/dcgan_overriding_train_step.md (MNIST version, "discriminator")`, total: 74625, trainable: 74625, nonTrainable: 0 },
  { file: P + 'keras_dcgan_generator.py', source: `${KERAS_IO} examples/generative/md/dcgan_overriding_train_step.md (MNIST version, "generator")`, total: 1339905, trainable: 1339905, nonTrainable: 0 },
  { file: P + 'keras_weather_lstm.py', source: `${KERAS_IO} examples/timeseries/md/timeseries_weather_forecasting.md (Keras 3)`, total: 5153, trainable: 5153, nonTrainable: 0 },
  { file: P + 'homl3_bach_wavenet.py', source: 'ageron/handson-ml3 15_processing_sequences_using_rnns_and_cnns.ipynb (Bach chorales: causal dilated Conv1D + LSTM)', total: 396810, trainable: 396330, nonTrainable: 480 },
  { file: P + 'pml3_rnn_builder.py', source: `${PML3} ch16/ch16_part1.ipynb ("sequential_5", bidirectional SimpleRNN from build_rnn_model)`, total: 1180501, trainable: 1180501, nonTrainable: 0 },
  { file: P + 'pml3_rnn_stacks.py', source: `${PML3} ch16/ch16_part1.ipynb ("sequential_3", two GRU layers)`, total: 332705, trainable: 332705, nonTrainable: 0 },
  { file: P + 'pml3_dcgan_generator.py', source: `${PML3} ch17/ch17_part2.ipynb (make_dcgan_generator, gen_model.build((None, 20)))`, total: 817824, trainable: 804832, nonTrainable: 12992 },
  { file: P + 'pml3_dcgan_discriminator.py', source: `${PML3} ch17/ch17_part2.ipynb (make_dcgan_discriminator)`, total: 1040385, trainable: 1039489, nonTrainable: 896 },
  { file: P + 'pml3_char_rnn.py', source: `${PML3} ch16/ch16_part2.ipynb (character-level LSTM, 80 characters)`, total: 1636432, trainable: 1636432, nonTrainable: 0 },
  { file: P + 'heaton_text_lstm.py', source: `${HEATON} t81_558_class_10_3_text_generation.ipynb (LSTM(128) on 40×60 one-hot windows)`, total: 104508, trainable: 104508, nonTrainable: 0 },
  { file: P + 'heaton_embedding_flatten.py', source: `${HEATON} t81_558_class_11_05_embedding.ipynb ("sequential_2")`, total: 433, trainable: 433, nonTrainable: 0 },
  { file: P + 'homl3_mc_dropout.py', source: 'ageron/handson-ml3 11_training_deep_neural_networks.ipynb (mc_model: MCDropout in place of Dropout, the trained layers reused)', model: 'sequential_1', total: 89610, trainable: 89610, nonTrainable: 0 },
  // LSTM(return_state=True) and initial_state= (several outputs per call): a GitHub blog post "Seq2seq Word-Level
  // 번역기(NMT) 만들기" (tf.keras 2; found with find_string 'lstm[0][1]'), its three printed summaries.
  { file: P + 'nmt_seq2seq_masking.py', source: 'GitHub blog post "Seq2seq Word-Level 번역기(NMT) 만들기" ("model": the training model)', model: 'functional', total: 1375075, trainable: 1375075, nonTrainable: 0 },
  { file: P + 'nmt_seq2seq_masking.py', source: 'GitHub blog post "Seq2seq Word-Level 번역기(NMT) 만들기" ("model_1": the encoder, outputs its two states)', model: 'functional_1', total: 322048, trainable: 322048, nonTrainable: 0 },
  { file: P + 'nmt_seq2seq_masking.py', source: 'GitHub blog post "Seq2seq Word-Level 번역기(NMT) 만들기" ("model_2": one decoder step, the trained layers called again)', model: 'functional_2', total: 1053027, trainable: 1053027, nonTrainable: 0 },
  // Keras 3's implicit mask of Embedding(mask_zero=True) (a `not_equal` row): printed Keras 3 summaries.
  { file: P + 'keras3_masked_simple_rnn.py', source: "a Keras 3 script with its printed summary in a comment (found with find_string 'not_equal (NotEqual)')", total: 32209, trainable: 32209, nonTrainable: 0 },
  { file: P + 'dlwp3_lstm_with_embedding.py', source: 'Deep Learning with Python, 3rd ed., chapter 14 (lstm_with_embedding, its printed summary in the book)', total: 1986177, trainable: 1986177, nonTrainable: 0 },
  { file: P + 'dlwp3_seq2seq_rnn.py', source: 'Deep Learning with Python, 3rd ed., chapter 15 (seq2seq_rnn, its printed summary in the book)', total: 34869912, trainable: 34869912, nonTrainable: 0 },
  // tf.range over tf.shape(x)[-1] of an Input of shape (None,): positions of a sequence of any length.
  { file: P + 'dlwp2_positional_transformer.py', source: 'Deep Learning with Python, 2nd ed.: rickiepark/deep-learning-with-python-2nd chapter11_part03_transformer.ipynb ("model_1", PositionalEmbedding + TransformerEncoder)', model: 'functional', total: 5817633, trainable: 5817633, nonTrainable: 0 },
  // A layer class building its inner Conv2D by hand (self.conv.build(input_shape)) before masking its kernel.
  { file: P + 'gdl2_pixelcnn.py', source: 'Generative Deep Learning, 2nd ed.: davidADSP/Generative_Deep_Learning_2nd_Edition notebooks/05_autoregressive/02_pixelcnn/pixelcnn.ipynb at 7df9c41 ("model_1")', model: 'functional', total: 307460, trainable: 307460, nonTrainable: 0 },
  // A VAE's sampling layer: noise of shape (batch, latent) from K.random_normal inside call().
  { file: P + 'gdl2_vae_encoder.py', source: 'Generative Deep Learning, 2nd ed.: csherstan/Generative_Deep_Learning_2nd_Edition notebooks/03_vae/02_vae_fashion/vae_fashion.ipynb ("encoder")', model: 'encoder', total: 100868, trainable: 100868, nonTrainable: 0 },
  // A causal mask built in call() from tf.shape (sizes known at run time in arithmetic, tf.bool as a dtype, tf.tile by a tensor).
  { file: P + 'gdl2_gpt.py', source: 'Generative Deep Learning, 2nd ed.: davidADSP/Generative_Deep_Learning_2nd_Edition notebooks/09_transformer/gpt/gpt.ipynb at f19dac3 ("model")', model: 'functional', total: 5809168, trainable: 5809168, nonTrainable: 0 },
  // Calls of the file's own layer classes, one row each as Keras prints them.
  { file: P + 'pfam_transformer_blocks.py', source: "a Keras 3 script with its printed summary in a comment (found with find_string 'transformer_block (TransformerBlock)'; keras.io's TokenAndPositionEmbedding and TransformerBlock)", total: 994336, trainable: 994336, nonTrainable: 0 },
  { file: P + 'imdb_transformer_eager_positions.py', source: "a Korean Transformer tutorial with its printed Keras 3 summary (found with find_string 'transformer_block (TransformerBlock)'; positions embedded outside the model, two TransformerBlocks)", total: 2964865, trainable: 2964865, nonTrainable: 0 },
  { file: P + 'keras_io_miniature_gpt.py', source: "keras.io text_generation_with_miniature_gpt (a printed Keras 3 summary of it, kept in a summary parser's sources; found with find_string 'transformer_block (TransformerBlock)')", total: 10939168, trainable: 10939168, nonTrainable: 0 },
  { file: P + 'keras3_seq2seq_masked.py', source: 'a Keras 3 seq2seq script with its printed summary in a comment (found with find_string \'lstm[0][1]\'; Embedding mask_zero, encoder_lstm states into decoder_lstm)', total: 4360853, trainable: 4360853, nonTrainable: 0 },
  // DeepLearning.AI TensorFlow courses (figures printed in the course notebooks or their expected outputs).
  { file: P + 'tfat_fcn8.py', source: `${TFAT} Course 3/Week 3/C3W3_Assignment.ipynb cell 28 (encoder, outputs=[(f3, f4, f5), image])`, model: 'functional', total: 1049024, trainable: 1047552, nonTrainable: 1472 },
  { file: P + 'tfat_fcn8.py', source: `${TFAT} Course 3/Week 3/C3W3_Assignment.ipynb cell 37 (FCN-8)`, model: 'functional_1', total: 7756258, trainable: 7754786, nonTrainable: 1472 },
  { file: P + 'tfip_inception_mixed7.py', source: 'https-deeplearning-ai/tensorflow-1-public C2/W3/assignment/C2W3_Assignment.ipynb (expected output: frozen InceptionV3 base)', model: 'inception_v3', total: 21802784, trainable: 0, nonTrainable: 21802784 },
  { file: P + 'tfip_inception_mixed7.py', source: 'https-deeplearning-ai/tensorflow-1-public C2/W3/assignment/C2W3_Assignment.ipynb (expected output: mixed7 + dense head)', model: 'functional', total: 47512481, trainable: 38537217, nonTrainable: 8975264 },
  { file: P + 'tfat_object_localization.py', source: `${TFAT} Course 3/Week 1/object_localization_practice.ipynb cell 7 (classifier + regression heads)`, total: 426638, trainable: 426638, nonTrainable: 0 },
  { file: P + 'tfat_resnet50_cifar.py', source: `${TFAT} Course 3/Week 1/resnet50.ipynb (CIFAR-10 ×7 upsampled into ResNet50)`, model: 'functional', total: 26215818, trainable: 26162698, nonTrainable: 53120 },
  { file: P + 'tfat_resnet_subclass.py', source: `${TFAT} Course 1/Week 4/resnet_implement.ipynb cell 8 (subclassed ResNet with IdentityBlock models)`, model: 'resnet', total: 78474, trainable: 78090, nonTrainable: 384 },
  { file: P + 'gulli_vae_subclass.py', source: 'PacktPublishing/Deep-Learning-with-TensorFlow-2-and-Keras "Chapter 10/VAE.ipynb" cell 6 (subclassed VAE, tf.random.normal in call())', total: 820004, trainable: 820004, nonTrainable: 0 },
  { file: P + 'gulli_dcgan_mnist.py', source: 'PacktPublishing/Deep-Learning-with-TensorFlow-2-and-Keras "Chapter 6/DCGAN_MNIST.ipynb" cell 6 ("sequential": the discriminator)', model: 'sequential', total: 393729, trainable: 392833, nonTrainable: 896 },
  { file: P + 'gulli_dcgan_mnist.py', source: 'PacktPublishing/Deep-Learning-with-TensorFlow-2-and-Keras "Chapter 6/DCGAN_MNIST.ipynb" cell 6 ("sequential_1": the generator)', model: 'sequential_1', total: 856193, trainable: 855809, nonTrainable: 384 },
  { file: P + 'lipnet_conv3d_bilstm.py', source: "rrajsinghhada/Lip_Reading_app README.md (Conv3D + TimeDistributed(Flatten) + BiLSTM; Dense sized by StringLookup.vocabulary_size() + 1)", total: 8471924, trainable: 8471924, nonTrainable: 0 },
  { file: P + 'convlstm_video_classifier.py', source: "a GitHub script's docstring with its printed summary (found with find_string 'time_distributed (TimeDistributed)'; four ConvLSTM2D blocks)", total: 44524, trainable: 44524, nonTrainable: 0 },
  { file: P + 'homl3_resnet34.py', source: "ageron/handson-ml3 14_deep_computer_vision_with_cnns.ipynb ResNet-34 (a Keras 3 printed summary of it in a GitHub script, found with find_string 'residual_unit (ResidualUnit)')", total: 21306826, trainable: 21289802, nonTrainable: 17024 },
  { file: P + 'tfat_vae_faces.py', source: 'pabaq/Coursera-TensorFlow-Advanced-Techniques-Specialization C4/W3 C4W3_Assignment.ipynb (encoder: three outputs)', model: 'encoder', total: 9537472, trainable: 9534976, nonTrainable: 2496 },
  { file: P + 'tfat_vae_faces.py', source: 'pabaq/Coursera-TensorFlow-Advanced-Techniques-Specialization C4/W3 C4W3_Assignment.ipynb (decoder)', model: 'decoder', total: 4476867, trainable: 4460035, nonTrainable: 16832 },
  { file: P + 'alibi_entity_embeddings.py', source: "alibi cfproto_cat_adult_ord example, printed summary (found with find_string 'lambda (Lambda)                 (None, 1)'; Lambda slices in a loop, Embedding widths from np.ceil)", total: 10601, trainable: 10601, nonTrainable: 0 },
  { file: P + 'gulli_vae_subclass.py', source: 'PacktPublishing/Deep-Learning-with-TensorFlow-and-Keras-3rd-edition Chapter_8/VAE.ipynb (the same VAE, printed again: 820,004)', model: 'vae', total: 820004, trainable: 820004, nonTrainable: 0 },
  // A sampling layer's random noise (tf.random.normal of a shape from tf.shape()): keras.io's VAE, tf.keras 2 printout.
  { file: P + 'keras_vae_mnist.py', source: `${KERAS_IO} examples/generative/md/vae.md ("encoder", Sampling layer with tf.random.normal)`, model: 'encoder', total: 69076, trainable: 69076, nonTrainable: 0 },
  { file: P + 'keras_vae_mnist.py', source: `${KERAS_IO} examples/generative/md/vae.md ("decoder")`, model: 'decoder', total: 65089, trainable: 65089, nonTrainable: 0 },
  // GlobalAveragePooling1D(data_format="channels_first") keeps the axis after the batch: keras.io's timeseries Transformer (tf.keras 2 printout).
  { file: P + 'keras_timeseries_transformer.py', source: `${KERAS_IO} examples/timeseries/md/timeseries_classification_transformer.md (pre-norm blocks, channels_first pooling)`, total: 93130, trainable: 93130, nonTrainable: 0 },
  // A sublayer built in the layer class's own build() (self.conv.build(input_shape)) then called in call(): keras.io's PixelCNN (tf.keras 2 printout).
  { file: P + 'keras_pixelcnn.py', source: `${KERAS_IO} examples/generative/md/pixelcnn.md (PixelConvLayer builds its Conv2D in build())`, total: 532673, trainable: 532673, nonTrainable: 0 },
  { file: P + 'keras_pets_unet.py', source: `${KERAS_IO} examples/vision/md/oxford_pets_image_segmentation.md (U-Net, Xception-style down half)`, total: 2058979, trainable: 2055203, nonTrainable: 3776 },
  { file: P + 'keras_ts_anomaly_autoencoder.py', source: `${KERAS_IO} examples/timeseries/md/timeseries_anomaly_detection.md (Keras 3, Conv1DTranspose)`, total: 9505, trainable: 9505, nonTrainable: 0 },
  { file: P + 'keras_addition_rnn.py', source: `${KERAS_IO} examples/nlp/md/addition_rnn.md (Keras 3, LSTM + RepeatVector, a list built by + of lists)`, total: 205324, trainable: 205324, nonTrainable: 0 },
  // Positions from tf.range over a sequence length known only when the model runs, a dtype tf.int32: keras.io's English-to-Spanish Transformer (tf.keras 2 printout).
  { file: P + 'keras_nmt_transformer.py', source: `${KERAS_IO} examples/nlp/md/neural_machine_translation_with_transformer.md ("transformer")`, model: 'transformer', total: 19960216, trainable: 19960216, nonTrainable: 0 },
  // tf.keras's Embedding with no input shape builds a Sequential ((None,) input): keras.io's RNN guide (tf.keras 2 printouts).
  { file: P + 'keras_guide_rnns.py', source: `${KERAS_IO} guides/md/working_with_rnns.md ("sequential": Embedding + LSTM, no input shape)`, model: 'sequential', total: 164106, trainable: 164106, nonTrainable: 0 },
  { file: P + 'keras_guide_rnns.py', source: `${KERAS_IO} guides/md/working_with_rnns.md ("sequential_1": Embedding + GRU + SimpleRNN)`, model: 'sequential_1', total: 361866, trainable: 361866, nonTrainable: 0 },
  { file: P + 'keras_guide_rnns.py', source: `${KERAS_IO} guides/md/working_with_rnns.md (encoder states as the decoder's initial_state)`, model: 'functional', total: 258698, trainable: 258698, nonTrainable: 0 },
  { file: P + 'keras_guide_rnns.py', source: `${KERAS_IO} guides/md/working_with_rnns.md ("sequential_2": stacked Bidirectional LSTMs)`, model: 'sequential_2', total: 80266, trainable: 80266, nonTrainable: 0 },
  // tf.keras 2's RandomWidth/RandomHeight (the image size becomes None) before a ResNet50V2 built for 32×32: keras.io's supervised contrastive learning (tf.keras 2 printouts).
  { file: P + 'keras_supcon_resnet.py', source: `${KERAS_IO} examples/vision/md/supervised-contrastive-learning.md ("cifar10-encoder")`, model: 'cifar10-encoder', total: 23564807, trainable: 23519360, nonTrainable: 45447 },
  { file: P + 'keras_supcon_resnet.py', source: `${KERAS_IO} examples/vision/md/supervised-contrastive-learning.md ("cifar10-classifier")`, model: 'cifar10-classifier', total: 24619025, trainable: 24573578, nonTrainable: 45447 },
  { file: P + 'keras_supcon_resnet.py', source: `${KERAS_IO} examples/vision/md/supervised-contrastive-learning.md ("cifar-encoder_with_projection-head")`, model: 'cifar-encoder_with_projection-head', total: 23827079, trainable: 23781632, nonTrainable: 45447 },
  // A family's preprocess_input on a Keras tensor (Keras 3: TrueDivide and Subtract rows): keras.io's keypoint detector (Keras 3 printout).
  { file: P + 'keras_keypoint_mobilenet.py', source: `${KERAS_IO} examples/vision/md/keypoint_detection.md ("keypoint_detector", mobilenet_v2.preprocess_input, frozen MobileNetV2)`, model: 'keypoint_detector', total: 2354256, trainable: 96272, nonTrainable: 2257984 },
  { file: P + 'keras_guide_transfer_xception.py', source: `${KERAS_IO} guides/md/transfer_learning.md (second summary: the Xception base unfrozen after the model is built)`, model: 'functional', total: 20863536, trainable: 20809001, nonTrainable: 54535 },
  // A wrapper class with train_step and no call() (Keras never builds it; not listed): keras.io's DCGAN (tf.keras 2 printouts).
  { file: P + 'keras_dcgan_train_step.py', source: `${KERAS_IO} examples/generative/md/dcgan_overriding_train_step.md ("discriminator")`, model: 'discriminator', total: 74625, trainable: 74625, nonTrainable: 0 },
  { file: P + 'keras_dcgan_train_step.py', source: `${KERAS_IO} examples/generative/md/dcgan_overriding_train_step.md ("generator")`, model: 'generator', total: 1339905, trainable: 1339905, nonTrainable: 0 },
  // A wrapper with its own compile() and train_step, no call(), fit on arrays of a known shape (builds nothing): keras.io's WGAN-GP (tf.keras 2 printouts).
  { file: P + 'keras_wgan_gp.py', source: `${KERAS_IO} examples/generative/md/wgan_gp.md ("discriminator")`, model: 'discriminator', total: 4305409, trainable: 4305409, nonTrainable: 0 },
  { file: P + 'keras_wgan_gp.py', source: `${KERAS_IO} examples/generative/md/wgan_gp.md ("generator")`, model: 'generator', total: 910660, trainable: 902082, nonTrainable: 8578 },
  // Fit on ImageDataGenerator generators with steps_per_epoch, validation_data from a generator and a callback class of the file: training settings only (warnings), the summary exact.
  { file: P + 'course_cats_dogs_generators.py', source: "DeepLearning.AI TensorFlow in Practice C2W1 cats-vs-dogs convnet, tf.keras 2 printout in course notes (find_string 'Total params: 9,494,561', e.g. search index id 6701074358)", total: 9494561, trainable: 9494561, nonTrainable: 0 },
  // A layer class whose call() computes a loss with tf ops only for self.add_loss and returns its input: keras.io's captcha OCR (Keras 3 printout).
  { file: P + 'keras_captcha_ocr.py', source: `${KERAS_IO} examples/vision/md/captcha_ocr.md ("ocr_model_v1", CTCLayer endpoint)`, model: 'ocr_model_v1', total: 432725, trainable: 432725, nonTrainable: 0 },
  // What each summary() call prints at its line, the model changed after it (summary-snapshots.ts).
  { file: P + 'tf_cnn_tutorial_summaries.py', source: 'tensorflow/docs site/en/tutorials/images/cnn.ipynb (first summary: the convolutional base so far)', summaryLine: 17, total: 56320, trainable: 56320, nonTrainable: 0 },
  { file: P + 'tf_cnn_tutorial_summaries.py', source: 'tensorflow/docs site/en/tutorials/images/cnn.ipynb (second summary: Flatten and Dense head added)', summaryLine: 21, total: 122570, trainable: 122570, nonTrainable: 0 },
  { file: P + 'dlwp2_vgg16_fine_tuning.py', source: 'rickiepark/deep-learning-with-python-2nd chapter08_intro-to-dl-for-computer-vision.ipynb cell 65 (VGG16 base on 180x180x3)', summaryLine: 16, total: 14714688, trainable: 14714688, nonTrainable: 0 },
  { file: P + 'dlwp2_vgg16_fine_tuning.py', source: 'rickiepark/deep-learning-with-python-2nd chapter08_intro-to-dl-for-computer-vision.ipynb cell 88 (the frozen base printed before its last four layers are unfrozen)', summaryLine: 27, total: 14714688, trainable: 0, nonTrainable: 14714688 },
  { file: P + 'dlwp1_vgg16_fine_tuning.py', source: `${DLWP1} first_edition/5.3-using-a-pretrained-convnet.ipynb cell 6 (conv_base.summary())`, summaryLine: 12, total: 14714688, trainable: 14714688, nonTrainable: 0 },
  { file: P + 'dlwp1_vgg16_fine_tuning.py', source: `${DLWP1} first_edition/5.3-using-a-pretrained-convnet.ipynb cell 18 (model.summary() before the base is frozen)`, summaryLine: 17, total: 16812353, trainable: 16812353, nonTrainable: 0 },
  { file: P + 'dlwp1_vgg16_fine_tuning.py', source: `${DLWP1} first_edition/5.3-using-a-pretrained-convnet.ipynb cell 31 (conv_base.summary() frozen, before block5 is unfrozen)`, summaryLine: 20, total: 14714688, trainable: 0, nonTrainable: 14714688 },
  { file: P + 'keras_guide_transfer_two_summaries.py', source: `${KERAS_IO} guides/md/transfer_learning.md (first summary: the Xception base frozen)`, summaryLine: 24, total: 20863536, trainable: 2049, nonTrainable: 20861487 },
  { file: P + 'keras_guide_transfer_two_summaries.py', source: `${KERAS_IO} guides/md/transfer_learning.md (second summary: the base unfrozen)`, summaryLine: 27, total: 20863536, trainable: 20809001, nonTrainable: 54535 },
  { file: P + 'tf_transfer_learning_mobilenet.py', source: 'tensorflow/docs site/en/tutorials/images/transfer_learning.ipynb (base_model.summary(), frozen MobileNetV2)', summaryLine: 14, total: 2257984, trainable: 0, nonTrainable: 2257984 },
  { file: P + 'tf_transfer_learning_mobilenet.py', source: 'tensorflow/docs site/en/tutorials/images/transfer_learning.ipynb (model.summary() with the base frozen)', summaryLine: 22, total: 2259265, trainable: 1281, nonTrainable: 2257984 },
  { file: P + 'tf_transfer_learning_mobilenet.py', source: 'tensorflow/docs site/en/tutorials/images/transfer_learning.ipynb (model.summary() after unfreezing from layer 100 on)', summaryLine: 28, total: 2259265, trainable: 1862721, nonTrainable: 396544 },
  { file: P + 'dlwp2_incremental_sequential.py', source: 'Deep Learning with Python 2nd ed. ch. 7 (summary() after the first Dense is added, in a loop)', summaryLine: 14, summaryRun: 0, total: 256, trainable: 256, nonTrainable: 0 },
  { file: P + 'dlwp2_incremental_sequential.py', source: 'Deep Learning with Python 2nd ed. ch. 7 (summary() after the second Dense is added, in a loop)', summaryLine: 14, summaryRun: 1, total: 906, trainable: 906, nonTrainable: 0 },
  // tf.* functions on Keras tensors, read as tf.keras 2 read them (TFOpLambda rows, 0 params; a warning that Keras 3 raises there).
  { file: P + 'towardsai_mrna_bigru.py', source: 'Towards AI "Deep Learning Model to Predict mRNA Degradation" (2021), printed tf.keras 2 summary (tf.reshape (TFOpLambda), found with find_string \'(TFOpLambda)\')', total: 3688693, trainable: 3688693, nonTrainable: 0 },
  { file: P + 'github_cnn_gru_transpose_squeeze.py', source: "a GitHub script's docstring with its printed tf.keras 2 summary (\"model_1\": tf.expand_dims, tf.compat.v1.transpose, tf.compat.v1.squeeze rows; found with find_string 'tf.expand_dims (TFOpLambda)')", total: 2235, trainable: 2235, nonTrainable: 0 },
  { file: P + 'keras_vqvae_pixelcnn_prior.py', source: `${KERAS_IO} examples/generative/md/vq_vae.md ("pixel_cnn": tf.one_hot (TFOpLambda) on the Keras input)`, model: 'pixel_cnn', total: 1049728, trainable: 1049728, nonTrainable: 0 },
  { file: P + 'github_video_gated_transformer.py', source: "a GitHub script's closing comment with its printed tf.keras 2 summary (tf.expand_dims and tf.compat.v1.squeeze rows around a gated attention layer and a Transformer block; found with find_string 'tf.expand_dims (TFOpLambda)')", model: 'functional', total: 5756934, trainable: 5756934, nonTrainable: 0 },
  { file: P + 'github_traffic_sign_inception.py', source: "a GitHub README of a traffic-sign project (\"Inception like\" model, printed tf.keras 2 summary with tf.concat and tf.concat_1 (TFOpLambda) rows; found with find_string 'tf.concat (TFOpLambda)')", model: 'input_layer', total: 1248051, trainable: 1248051, nonTrainable: 0 },
  { file: P + 'github_flappy_dueling_dqn.py', source: "a GitHub README \"Play Flappy Bird by applying Dueling Double Deep Q Learning\" (printed tf.keras 2 summary \"DDQN\": tf.reduce_mean(keepdims=True) as tf.math.reduce_mean (TFOpLambda), broadcast by Subtract; found with find_string 'tf.math.reduce_mean (TFOpLambd')", model: 'DDQN', total: 10307, trainable: 10307, nonTrainable: 0 },
  { file: P + 'github_seq2seq_manual_attention.py', source: "a GitHub README of a Korean-English seq2seq translator (printed tf.keras 2 summary \"model_1\": attention by hand with tf.matmul(transpose_b=True), tf.nn.softmax, tf.matmul as TFOpLambda rows; found with find_string 'tf.nn.softmax (TFOpLambda)')", total: 31774678, trainable: 31774678, nonTrainable: 0 },
  { file: P + 'github_vae_mnist_add_loss.py', source: "a GitHub tutorial \"Generative Modeling: Variational Autoencoders\" (printed tf.keras 2 summary: the loss built from Keras tensors with K.binary_crossentropy / K.sum / K.mean for vae.add_loss, TFOpLambda and AddLoss rows; found with find_string 'add_loss (AddLoss)')", total: 957054, trainable: 957054, nonTrainable: 0 },
  { file: P + 'mls_content_based_filtering.py', source: "DeepLearning.AI Machine Learning Specialization C3 W2 content-based filtering lab, a GitHub rendering with outputs (two towers, tf.linalg.l2_normalize on Keras tensors: tf.math.l2_normalize (TFOpLambda) rows; found with find_string 'tf.math.l2_normalize (TFOpLam')", model: 'functional', total: 82240, trainable: 82240, nonTrainable: 0 },
  { file: P + 'github_plant_resnet50_caffe.py', source: "a GitHub README of a plant-health project (printed tf.keras 2 summary: tf.cast (TFOpLambda), resnet50.preprocess_input's caffe rows, a frozen ResNet50 and a head; found with find_string '(TFOpLambda)')", model: 'functional', total: 23858370, trainable: 270658, nonTrainable: 23587712 },
  { file: P + 'github_mlp_mixer_cifar100.py', source: "a GitHub README of an MLP-Mixer on CIFAR-100 (printed tf.keras 2 summary: tf.image.extract_patches and tf.reshape by tf.shape(patches)[0] as TFOpLambda rows, a Sequential of mixer blocks built by its call; found with find_string 'tf.reshape (TFOpLambda)')", model: 'functional', total: 242795, trainable: 242788, nonTrainable: 7 },
  { file: P + 'keras_tnt_cifar100.py', source: `${KERAS_IO} examples/vision/md/transformer_in_transformer.md (tf.image.extract_patches, tf.reshape … tf.reshape_6 (TFOpLambda) folding pixels into the batch and back)`, model: 'functional', total: 660164, trainable: 660164, nonTrainable: 0 },
];
