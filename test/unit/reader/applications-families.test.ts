// keras.applications beyond VGG/ResNet V1/MobileNet/Xception: ResNet V2, MobileNetV2/V3,
// EfficientNetB0–B7, DenseNet, InceptionV3, NASNet. Every expected figure is Keras's own printed
// output (source named at each case); none is computed here or by Model Lens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';

const errors = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
function model(src: string, name?: string): ModelIR {
  const r = readModel('app.py', src);
  assert.deepEqual(errors(r).map((d) => `${d.range.line}: ${d.message}`), []);
  const m = name ? r.models.find((x) => x.name === name) : r.models.at(-1);
  assert.ok(m, `model ${name ?? '(last)'} in ${r.models.map((x) => x.name).join(', ')}`);
  return m;
}
const totals = (m: ModelIR) => [m.totalParams, m.trainableParams, m.nonTrainableParams];
const app = (call: string) => model(`import keras\nmodel = keras.applications.${call}\n`);

describe('keras.applications: the other families', () => {
  // The "Parameters" column of the Keras docs' table of applications (keras-team/keras-io
  // templates/api/applications/index.md at commit 01b6d6c4c4ef2c7975be4c42ac148db57352d978, the
  // version that prints exact counts; later versions round them, e.g. "25.6M"). With the top.
  const DOCS_TABLE: [string, number][] = [
    ['Xception', 22910480],
    ['ResNet101', 44707176],
    ['ResNet152', 60419944],
    ['ResNet50V2', 25613800],
    ['ResNet101V2', 44675560],
    ['ResNet152V2', 60380648],
    ['InceptionV3', 23851784],
    ['MobileNetV2', 3538984],
    ['DenseNet121', 8062504],
    ['DenseNet169', 14307880],
    ['DenseNet201', 20242984],
    ['NASNetMobile', 5326716],
    ['NASNetLarge', 88949818],
    ['EfficientNetB0', 5330571],
    ['EfficientNetB1', 7856239],
    ['EfficientNetB2', 9177569],
    ['EfficientNetB3', 12320535],
    ['EfficientNetB4', 19466823],
    ['EfficientNetB5', 30562527],
    ['EfficientNetB6', 43265143],
    ['EfficientNetB7', 66658687],
  ];
  for (const [name, total] of DOCS_TABLE) {
    it(`${name}() with its top: ${total.toLocaleString('en')} parameters (Keras docs' table)`, () => {
      assert.equal(app(`${name}()`).totalParams, total);
    });
  }

  it('trainable / non-trainable with the top, as model.summary() prints them (a study script printing every application, index id 18463001568)', () => {
    // `for model in [ResNet50V2(), ...]: model.summary()` under TensorFlow 2.x; its repository is not
    // named by the search index (found by its text "Model: \"resnet152v2\" Total params: 60,380,648").
    const printed: [string, number, number, number][] = [
      ['Xception()', 22910480, 22855952, 54528],
      ['ResNet50V2()', 25613800, 25568360, 45440],
      ['ResNet101()', 44707176, 44601832, 105344],
      ['ResNet101V2()', 44675560, 44577896, 97664],
      ['ResNet152()', 60419944, 60268520, 151424],
      ['ResNet152V2()', 60380648, 60236904, 143744],
      ['DenseNet121()', 8062504, 7978856, 83648],
      ['DenseNet169()', 14307880, 14149480, 158400],
      ['DenseNet201()', 20242984, 20013928, 229056],
      ['InceptionV3()', 23851784, 23817352, 34432],
      ['MobileNetV2()', 3538984, 3504872, 34112],
      ['MobileNetV3Small()', 2554968, 2542856, 12112],
      ['MobileNetV3Large()', 5507432, 5483032, 24400],
      ['NASNetLarge()', 88949818, 88753150, 196668],
      ['NASNetMobile()', 5326716, 5289978, 36738],
      ['EfficientNetB0()', 5330571, 5288548, 42023],
      ['EfficientNetB1()', 7856239, 7794184, 62055],
      ['EfficientNetB7()', 66658687, 66347960, 310727],
    ];
    for (const [call, ...expected] of printed) assert.deepEqual([call, ...totals(app(call))], [call, ...expected]);
  });

  it('every application frozen with model.trainable = False (variablejun/keras4 keras2/keras71_ALL_TransferLeaning.py)', () => {
    const printed: [string, number][] = [
      ['MobileNetV3Large', 5507432],
      ['MobileNetV3Small', 2554968],
      ['ResNet152V2', 60380648],
      ['EfficientNetB1', 7856239],
    ];
    for (const [name, total] of printed) {
      const m = model(`from tensorflow.keras.applications import ${name}\nmodel = ${name}()\nmodel.trainable = False\n`);
      assert.deepEqual([name, ...totals(m)], [name, total, 0, total]);
    }
  });

  it('EfficientNetB0 from scratch for 120 classes (keras-team/keras-io examples/vision/md/image_classification_efficientnet_fine_tuning.md)', () => {
    const src = [
      'import keras',
      'from keras.applications import EfficientNetB0',
      'IMG_SIZE = 224',
      'NUM_CLASSES = 120',
      'model = EfficientNetB0(',
      '    include_top=True,',
      '    weights=None,  # from scratch',
      '    classes=NUM_CLASSES,',
      '    input_shape=(IMG_SIZE, IMG_SIZE, 3),',
      ')',
      'model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])',
      '',
    ].join('\n');
    const r = readModel('app.py', src);
    assert.equal(r.diagnostics.filter((d) => d.code === 'weights-not-loaded').length, 0, 'weights=None: nothing to download');
    const m = model(src);
    assert.equal(m.name, 'efficientnetb0');
    assert.deepEqual(totals(m), [4203291, 4161268, 42023]);
    // The printed summary's first rows: the Keras 3 stem, Normalization holding 7 (mean, variance, count).
    assert.deepEqual(
      m.layers.slice(0, 5).map((l) => [l.name, l.type, l.params]),
      [['input_layer', 'InputLayer', 0], ['rescaling', 'Rescaling', 0], ['normalization', 'Normalization', 7], ['stem_conv_pad', 'ZeroPadding2D', 0], ['stem_conv', 'Conv2D', 864]],
    );
    assert.deepEqual(m.layers.find((l) => l.name === 'stem_conv_pad')!.outputShape, [null, 225, 225, 3]);
    assert.deepEqual(m.layers.find((l) => l.name === 'block6c_se_reduce')!.outputShape, [null, 1, 1, 48]);
    assert.equal(m.layers.find((l) => l.name === 'block6c_se_reduce')!.params, 55344);
    assert.equal(m.layers.find((l) => l.name === 'block6c_se_excite')!.type, 'Multiply');
    assert.equal(m.layers.find((l) => l.name === 'predictions')!.params, 153720);
  });

  it("with ImageNet weights EfficientNet's stem has Keras 3's third layer, a Rescaling by 1/sqrt(stddev) per channel", () => {
    const withWeights = app('EfficientNetB0()');
    assert.deepEqual(withWeights.layers.slice(1, 4).map((l) => l.type), ['Rescaling', 'Normalization', 'Rescaling']);
    assert.equal(withWeights.layers.length, app('EfficientNetB0(weights=None)').layers.length + 1);
  });

  it('headless bases under the heads their authors printed', () => {
    // MobileNetV2 on 160×160, frozen: TensorFlow's tutorial "Transfer learning and fine-tuning"
    // (tensorflow.org/tutorials/images/transfer_learning), base_model.summary() after freezing.
    const mnv2 = model([
      'import tensorflow as tf',
      'IMG_SIZE = (160, 160)',
      'IMG_SHAPE = IMG_SIZE + (3,)',
      "base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights='imagenet')",
      'base_model.trainable = False',
      '',
    ].join('\n'));
    assert.equal(mnv2.name, 'mobilenetv2_1.00_160');
    assert.deepEqual(totals(mnv2), [2257984, 0, 2257984]);
    assert.deepEqual(mnv2.layers.at(-1)!.outputShape, [null, 5, 5, 1280]);

    // InceptionV3 on 150×150 without its top: "AI and Machine Learning for Coders" / deeplearning.ai's
    // TensorFlow course, cats vs dogs transfer learning (copy with the printed totals: index id 2684121751).
    const inc = model('from tensorflow.keras.applications.inception_v3 import InceptionV3\npre_trained_model = InceptionV3(input_shape=(150, 150, 3), include_top=False, weights=None)\n');
    assert.deepEqual(totals(inc), [21802784, 21768352, 34432]);
    assert.deepEqual(inc.layers.find((l) => l.name === 'mixed7')!.outputShape, [null, 7, 7, 768]); // "last layer output shape: (None, 7, 7, 768)"

    // DenseNet121 without its top, any input size (a notebook's base_model.summary(), index id 23244000253).
    assert.deepEqual(totals(app("DenseNet121(weights='imagenet', include_top=False)")), [7037504, 6953856, 83648]);
    // ResNet50V2 without its top (a script's summary, index id 24254376392).
    assert.deepEqual(totals(app('ResNet50V2(include_top=False)')), [23564800, 23519360, 45440]);
    // ResNet152V2 on 224×224 without its top, frozen (index id 26224222272; last layer post_relu (None, 7, 7, 2048)).
    const r152 = model('import keras\nbase = keras.applications.ResNet152V2(include_top=False, input_shape=(224, 224, 3))\nbase.trainable = False\n');
    assert.deepEqual(totals(r152), [58331648, 0, 58331648]);
    assert.deepEqual([r152.layers.at(-1)!.name, r152.layers.at(-1)!.outputShape], ['post_relu', [null, 7, 7, 2048]]);
  });

  it('NASNetMobile frozen under Dense(2) (a notebook comparing bases on 224×224 images, index id 42756999576)', () => {
    const src = [
      'from tensorflow.keras.applications import NASNetMobile',
      'from tensorflow.keras.models import Sequential',
      'from tensorflow.keras.layers import Dense',
      "base = NASNetMobile(include_top=False, pooling='avg', weights='imagenet', input_shape=(224, 224, 3))",
      'base.trainable = False',
      'model = Sequential()',
      'model.add(base)',
      "model.add(Dense(2, activation='softmax'))",
      '',
    ].join('\n');
    const m = model(src, 'sequential');
    assert.deepEqual(totals(m), [4271830, 2114, 4269716]);
    assert.deepEqual(m.layers.find((l) => l.type === 'Functional')!.outputShape, [null, 1056]);
  });

  it('EfficientNetB7 frozen under pooling and Dense(10) (a food-classification notebook, index id 24178196574)', () => {
    const src = [
      'import tensorflow as tf',
      'base_model = tf.keras.applications.EfficientNetB7(include_top=False)',
      'base_model.trainable = False',
      'inputs = tf.keras.layers.Input(shape=(224, 224, 3), name="1p_input_layer")',
      'x = base_model(inputs)',
      'x = tf.keras.layers.GlobalAveragePooling2D(name="1p_global_average_pooling_layer")(x)',
      'outputs = tf.keras.layers.Dense(10, activation="softmax", name="1p_output_layer")(x)',
      'model = tf.keras.Model(inputs, outputs)',
      '',
    ].join('\n');
    assert.deepEqual(totals(model(src, 'functional')), [64123297, 25610, 64097687]);
  });

  it('MobileNetV3 without its top on 224×224: 939,120 and 2,996,352 (index ids 9259244886 and 31241183342, printed as "(None, 7, 7, 576)" and "(None, 7, 7, 960)")', () => {
    const small = app('MobileNetV3Small(include_top=False, input_shape=(224, 224, 3))');
    assert.equal(small.totalParams, 939120);
    assert.deepEqual(small.layers.at(-1)!.outputShape, [null, 7, 7, 576]);
    const large = app('MobileNetV3Large(include_top=False, input_shape=(224, 224, 3))');
    assert.equal(large.totalParams, 2996352);
    assert.deepEqual(large.layers.at(-1)!.outputShape, [null, 7, 7, 960]);
  });

  it("MobileNetV3: include_preprocessing=False drops the Rescaling; the squeeze-excite blocks and Keras's layer names", () => {
    const m = app('MobileNetV3Small()');
    assert.deepEqual([m.layers[1]!.type, m.layers[2]!.name], ['Rescaling', 'conv']);
    const bare = app('MobileNetV3Small(include_preprocessing=False)');
    assert.deepEqual([bare.layers[1]!.name, bare.layers.length], ['conv', m.layers.length - 1]);
    assert.equal(bare.totalParams, m.totalParams);
    for (const name of ['expanded_conv_squeeze_excite_mul', 'expanded_conv_3_depthwise_pad', 'expanded_conv_10_add', 'logits']) {
      assert.ok(m.layers.some((l) => l.name === name), name);
    }
    assert.equal(m.layers.find((l) => l.name === 'conv_bn')!.inputs[0], 'conv');
    assert.ok(m.layers.filter((l) => l.type === 'Activation' && l.config['activation'] === 'hard_swish').length > 10, 'hard_swish activations');
    const minimal = app('MobileNetV3Small(minimalistic=True)');
    assert.ok(!minimal.layers.some((l) => l.name.includes('squeeze_excite') || l.config['activation'] === 'hard_swish'), 'minimalistic: no squeeze-excite, no hard-swish');
  });

  it('pooling, classes and classifier_activation as given', () => {
    const avg = app("DenseNet121(include_top=False, pooling='avg', input_shape=(224, 224, 3), weights=None)");
    assert.deepEqual([avg.layers.at(-1)!.name, avg.layers.at(-1)!.outputShape], ['avg_pool', [null, 1024]]);
    const max = app("EfficientNetB0(include_top=False, pooling='max', weights=None)");
    assert.deepEqual([max.layers.at(-1)!.name, max.layers.at(-1)!.outputShape], ['max_pool', [null, 1280]]);
    const top = app("InceptionV3(weights=None, classes=5, classifier_activation=None)");
    assert.deepEqual(top.layers.at(-1)!.outputShape, [null, 5]);
  });

  it('input_tensor: the builder continues from the given tensor', () => {
    const src = [
      'from tensorflow.keras.applications.inception_v3 import InceptionV3',
      'from tensorflow.keras.layers import Input',
      'input_tensor = Input(shape=(224, 224, 3))',
      "model = InceptionV3(input_tensor=input_tensor, weights=None, include_top=True)",
      '',
    ].join('\n');
    const m = model(src);
    assert.deepEqual(m.layers[0]!.outputShape, [null, 224, 224, 3]);
    assert.equal(m.totalParams, app('InceptionV3()').totalParams, 'the top needs no particular input size');
  });

  it("weights='imagenet' says at the call, for every new family, that the weights are not downloaded", () => {
    for (const name of ['ResNet50V2', 'MobileNetV2', 'MobileNetV3Small', 'EfficientNetB7', 'DenseNet121', 'InceptionV3', 'NASNetMobile']) {
      const r = readModel('app.py', `import keras\n\nbase = keras.applications.${name}(include_top=False)\n`);
      const w = r.diagnostics.find((d) => d.code === 'weights-not-loaded');
      assert.ok(w && w.severity === 'warning' && w.range.line === 3 && w.message.includes(name), name);
    }
  });

  it('a call Keras refuses with a ValueError is an error at its line, not a model', () => {
    const cases: [string, RegExp][] = [
      ['EfficientNetB0(classes=10)', /classes=1000/],
      ['ResNet50V2(input_shape=(150, 150, 3))', /input_shape=\(224, 224, 3\)/],
      ['EfficientNetB3(input_shape=(224, 224, 3))', /input_shape=\(300, 300, 3\)/],
      ['InceptionV3(include_top=False, input_shape=(64, 64, 3))', /at least 75×75/],
      ['DenseNet121(include_top=False, input_shape=(224, 224, 1))', /3 input channels/],
    ];
    for (const [call, message] of cases) {
      const r = readModel('app.py', `import keras\nbase = keras.applications.${call}\nm = keras.Sequential([base, keras.layers.Dense(1)])\n`);
      assert.ok(errors(r).some((d) => d.range.line === 2 && message.test(d.message)), call);
      assert.ok(errors(r).some((d) => d.range.line === 3), `${call}: the model using it is incomplete`);
    }
    // What Keras accepts: any size without the top or without ImageNet weights, a listed MobileNetV2 size with it.
    assert.equal(app('MobileNetV2(input_shape=(160, 160, 3))').name, 'mobilenetv2_1.00_160');
    assert.equal(app('DenseNet121(include_top=False, input_shape=(224, 224, 1), weights=None)').layers[0]!.outputShape![3], 1);
  });
});

describe('keras.applications: training them with TF.js', () => {
  it("says before training that MobileNetV3's hard_swish has no TF.js form; the other families have no such blocker", async () => {
    const { trainingBlocker } = await import('../../../src/core/keras/layers/index');
    const v3 = trainingBlocker(app('MobileNetV3Small(weights=None)'));
    assert.match(v3?.message ?? '', /'activation'.*TensorFlow\.js has no 'hard_swish' activation/);
    for (const call of ['MobileNetV3Small(weights=None, minimalistic=True)', 'EfficientNetB0(weights=None)', 'NASNetMobile(weights=None)', 'DenseNet121(weights=None)', 'ResNet50V2(weights=None)', 'InceptionV3(weights=None)', 'MobileNetV2(weights=None)']) {
      assert.equal(trainingBlocker(app(call))?.message, undefined, call);
    }
    assert.match(trainingBlocker(app('EfficientNetB0()'))?.message ?? '', /Rescaling.*one number for scale/, 'the per-channel Rescaling of the ImageNet stem');
  });
});
