// keras.applications models: Keras's layer structure, so Keras's counts. Every expected figure is
// from a printed summary (source named at each case); none is computed here.
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

describe('keras.applications', () => {
  it("an application's preprocess_input on arrays is no model's concern (DLWP 2nd ed. ch. 8 extracts VGG16 features so); on a Keras tensor it is an error at the line, never an application", () => {
    const pre = 'import numpy as np\nfrom tensorflow import keras\nbase = keras.applications.vgg16.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))\n';
    // Same 14,714,688 as the printed headless VGG16 above.
    assert.deepEqual(totals(model(pre + 'x = keras.applications.vgg16.preprocess_input(np.zeros((2, 32, 32, 3)))\nfeatures = base.predict(x)\n', 'vgg16')), [14714688, 14714688, 0]);
    // On an RGB Keras tensor it is Keras's own operations (tensor-ops.test.ts): the model reads, with VGG16's weights.
    assert.deepEqual(totals(model(pre + 'inputs = keras.Input(shape=(32, 32, 3))\nmodel = keras.Model(inputs, base(keras.applications.vgg16.preprocess_input(inputs)))\n', 'functional')), [14714688, 14714688, 0]);
    const r = readModel('app.py', pre + 'inputs = keras.Input(shape=(32, 32, 3))\nmodel = keras.Model(inputs, base(keras.applications.imagenet_utils.preprocess_input(inputs)))\n');
    const e = errors(r).find((d) => d.range.line === 5 && /preprocess_input'? on a Keras tensor/.test(d.message));
    assert.ok(e, errors(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
    assert.ok(!errors(r).some((d) => /not among the keras.applications models/.test(d.message)));
  });

  it('VGG16 with its top, and headless on 32x32 (chrisk0312/AI-study keras2/keras62_1_vgg16_include_top.py)', () => {
    assert.deepEqual(totals(model('from keras.applications import VGG16\nmodel = VGG16()\n')), [138357544, 138357544, 0]);
    assert.deepEqual(totals(model("from keras.applications import VGG16\nmodel = VGG16(weights='imagenet', include_top=False, input_shape=(32, 32, 3))\n")), [14714688, 14714688, 0]);
  });

  it("star imports: `from tensorflow.keras.layers import *` then `from tensorflow.keras.applications.vgg16 import *` (Hands-On Computer Vision with TF2, ch. 6 FCN-8s) — VGG16 is the application, Input/Conv2D the layers", () => {
    for (const order of [[0, 1], [1, 0]]) {
      const stars = ['from tensorflow.keras.layers import *', 'from tensorflow.keras.applications.vgg16 import *'];
      const src = `${order.map((i) => stars[i]).join('\n')}\nfrom tensorflow.keras.models import Model\ninputs = Input(shape=(224, 224, 3))\nbase = VGG16(include_top=False, weights=None, input_tensor=inputs)\nx = Conv2D(8, 1)(base.get_layer('block5_pool').output)\nm = Model(inputs, x)\n`;
      const m = model(src, 'functional');
      // VGG16 without its top: 14,714,688 (Keras's documented count); Conv2D(8, 1) on 512 channels: 512·8 + 8 = 4,104.
      assert.equal(m.totalParams, 14714688 + 4104, order.join());
    }
  });

  it('VGG16 frozen (TaeYeon-kim-ai/STUDY_1.py keras2/keras79_include_top.py)', () => {
    assert.deepEqual(totals(model('import tensorflow as tf\nmodel = tf.keras.applications.VGG16()\nmodel.trainable = False\n')), [138357544, 0, 138357544]);
  });

  it('DLwP 1st ed. 5.3: the VGG16 base as one row under a classifier', () => {
    const src = [
      'from keras.applications import VGG16',
      'from keras import models, layers',
      "conv_base = VGG16(weights='imagenet', include_top=False, input_shape=(150, 150, 3))",
      'model = models.Sequential()',
      'model.add(conv_base)',
      'model.add(layers.Flatten())',
      "model.add(layers.Dense(256, activation='relu'))",
      "model.add(layers.Dense(1, activation='sigmoid'))",
      '',
    ].join('\n');
    const m = model(src, 'sequential');
    assert.deepEqual(totals(m), [16812353, 16812353, 0]); // first_edition/5.3-using-a-pretrained-convnet.ipynb
    assert.deepEqual([m.layers[1]!.name, m.layers[1]!.type, m.layers[1]!.params], ['vgg16', 'Functional', 14714688]);
    const base = model(src + 'conv_base.trainable = False\n', 'vgg16');
    assert.deepEqual(totals(base), [14714688, 0, 14714688]);
  });

  it('VGG19 base frozen under Flatten → Dropout → Dense(2) (jonkrohn/DLTFpT transfer_learning_in_tensorflow.ipynb)', () => {
    const src = [
      'from tensorflow.keras.applications.vgg19 import VGG19',
      'from tensorflow.keras.models import Sequential',
      'from tensorflow.keras.layers import Dense, Dropout, Flatten',
      "vgg19 = VGG19(include_top=False, weights='imagenet', input_shape=(224, 224, 3), pooling=None)",
      'for layer in vgg19.layers:',
      '    layer.trainable = False',
      'model = Sequential([vgg19, Flatten(), Dropout(0.5), Dense(2, activation="softmax")])',
      '',
    ].join('\n');
    assert.deepEqual(totals(model(src, 'sequential')), [20074562, 50178, 20024384]);
  });

  it('ResNet50 headless on 150x150, frozen, with a dense head on base.output (ColinHmrl/science-de-la-donnee README.txt)', () => {
    const src = [
      'from tensorflow import keras',
      'base = keras.applications.ResNet50(include_top=False, weights="imagenet", input_shape=(150, 150, 3))',
      'for layer in base.layers:',
      '    layer.trainable = False',
      'x = keras.layers.Flatten()(base.output)',
      'x = keras.layers.Dense(512, activation="relu")(x)',
      'x = keras.layers.Dropout(0.5)(x)',
      'out = keras.layers.Dense(1, activation="sigmoid")(x)',
      'model = keras.Model(base.input, out)',
      '',
    ].join('\n');
    assert.deepEqual(totals(model(src, 'functional')), [49803137, 26215425, 23587712]);
  });

  it("MobileNet with its top (jeffheaton/t81_558_deep_learning class 6.3)", () => {
    const m = model("from tensorflow.keras.applications import MobileNet\nmodel = MobileNet(weights='imagenet', include_top=True)\n");
    assert.equal(m.name, 'mobilenet_1.00_224');
    assert.deepEqual(totals(m), [4253864, 4231976, 21888]);
  });

  it('Xception under a transfer head, frozen then unfrozen (jeffheaton/t81_558_deep_learning class 9.2)', () => {
    const src = [
      'from tensorflow import keras',
      'base_model = keras.applications.Xception(weights="imagenet", input_shape=(150, 150, 3), include_top=False)',
      'base_model.trainable = False',
      'inputs = keras.Input(shape=(150, 150, 3))',
      'x = keras.layers.Rescaling(scale=1 / 127.5, offset=-1)(inputs)',
      'x = base_model(x, training=False)',
      'x = keras.layers.GlobalAveragePooling2D()(x)',
      'x = keras.layers.Dropout(0.2)(x)',
      'outputs = keras.layers.Dense(1)(x)',
      'model = keras.Model(inputs, outputs)',
      '',
    ].join('\n');
    assert.deepEqual(totals(model(src, 'functional')), [20863529, 2049, 20861480]);
    assert.deepEqual(totals(model(src + 'base_model.trainable = True\n', 'functional')), [20863529, 20809001, 54528]);
  });

  it('says at the call that pretrained weights are not downloaded, and places the layers there', () => {
    const r = readModel('app.py', 'import keras\n\nbase = keras.applications.VGG16(include_top=False)\n');
    const w = r.diagnostics.find((d) => d.code === 'weights-not-loaded')!;
    assert.equal(w.severity, 'warning');
    assert.equal(w.range.line, 3);
    assert.ok(r.models[0]!.layers.every((l) => l.range.line === 3));
    assert.equal(readModel('app.py', 'import keras\nbase = keras.applications.VGG16(weights=None)\n').diagnostics.length, 0);
  });

  it('an application Model Lens does not have is an error at its line', () => {
    const r = readModel('app.py', 'import keras\nbase = keras.applications.InceptionResNetV2()\nm = keras.Sequential([base, keras.layers.Dense(1)])\n');
    assert.ok(errors(r).some((d) => d.range.line === 2 && /InceptionResNetV2/.test(d.message)));
    assert.ok(errors(r).some((d) => d.code === 'incomplete' && d.range.line === 3));
  });
  it("preprocess_input on data reads on (it changes values, not the model); on a Keras tensor it is an error at its line", () => {
    // Figures: ashishpatel26/TensorFlow-Advanced-Techniques-Specialization "Course 3 - Advanced Computer
    // Vision with TensorFlow/Week 1/resnet50.ipynb" (CIFAR-10 upsampled ×7 into ResNet50: Total params 26,215,818).
    const src = [
      'import tensorflow as tf',
      '(x, y), _ = tf.keras.datasets.cifar10.load_data()',
      "x = tf.keras.applications.resnet50.preprocess_input(x.astype('float32'))",
      'inp = tf.keras.Input((32, 32, 3))',
      "base = tf.keras.applications.ResNet50(include_top=False, weights=None, input_shape=(224, 224, 3))",
      'h = tf.keras.layers.GlobalAveragePooling2D()(base(tf.keras.layers.UpSampling2D(7)(inp)))',
      "h = tf.keras.layers.Dense(1024, activation='relu')(tf.keras.layers.Flatten()(h))",
      "h = tf.keras.layers.Dense(512, activation='relu')(h)",
      "model = tf.keras.Model(inp, tf.keras.layers.Dense(10, activation='softmax')(h))",
      '',
    ].join('\n');
    assert.deepEqual(totals(model(src, 'functional')), [26215818, 26162698, 53120]);
    const r = readModel('app.py', 'import keras\ninp = keras.Input((224, 224, 1))\nx = keras.applications.vgg16.preprocess_input(inp)\nm = keras.Model(inp, keras.layers.Flatten()(x))\n');
    assert.ok(errors(r).some((d) => d.range.line === 3 && /preprocess_input on a Keras tensor .* is not read/.test(d.message)), JSON.stringify(errors(r)));
  });
});
