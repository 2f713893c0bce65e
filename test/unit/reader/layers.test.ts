// One layer at a time, through the real reader, against Keras's formulas worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerNode } from '../../../src/core/model/ir';
import { snakeCase } from '../../../src/core/keras/default-names';
import { layerSpec, supportedLayerTypes, tfjsArgName } from '../../../src/core/keras/layer-table';
import { readModel } from '../../../src/core/read-model';

/** Reads `keras.Input(shape) → layer` and returns the layer. */
function one(shape: string, layer: string): LayerNode {
  const src = `import keras\nfrom keras import layers\ninputs = keras.Input(shape=${shape})\nx = ${layer}(inputs)\nmodel = keras.Model(inputs, x)\n`;
  const r = readModel('one.py', src);
  const ds = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
  assert.deepEqual(ds.map((d) => d.message), [], `${layer}: no diagnostics`);
  return r.models[0]!.layers[1]!;
}

describe('layers: output shapes and parameters', () => {
  // [input (h, w, c), layer, expected output shape without batch, params]
  const conv: [string, string, number[], number][] = [
    ['(28, 28, 1)', 'layers.Conv2D(32, 3)', [26, 26, 32], 320],
    ['(28, 28, 1)', "layers.Conv2D(32, 3, padding='same')", [28, 28, 32], 320],
    ['(28, 28, 1)', 'layers.Conv2D(8, 3, strides=2)', [13, 13, 8], 80], // floor(25/2)+1
    ['(28, 28, 1)', "layers.Conv2D(8, 3, strides=2, padding='SAME')", [14, 14, 8], 80], // ceil(28/2)
    ['(28, 28, 3)', 'layers.Conv2D(4, 5, strides=3)', [8, 8, 4], 304], // floor(23/3)+1; (75+1)·4
    ['(28, 28, 3)', "layers.Conv2D(4, 5, strides=3, padding='Same')", [10, 10, 4], 304], // ceil(28/3)
    ['(7, 7, 2)', "layers.Conv2D(2, (2, 2), (2, 2), 'valid')", [3, 3, 2], 18], // positional strides/padding
    ['(7, 7, 2)', "layers.Conv2D(2, (2, 2), (2, 2), 'same')", [4, 4, 2], 18],
    ['(28, 28, 1)', 'layers.Conv2D(8, 3, dilation_rate=2)', [24, 24, 8], 80], // effective kernel 5
    ['(10, 12, 4)', 'layers.Conv2D(6, (3, 1), strides=(1, 2))', [8, 6, 6], 78], // (3·1·4+1)·6
    ['(8, 8, 4)', 'layers.Conv2D(8, 1, use_bias=False)', [8, 8, 8], 32],
    ['(8, 8, 4)', 'layers.Conv2D(8, 3, groups=2)', [6, 6, 8], 152], // 3·3·2·8 + 8
    ['(5, 5, 1)', 'layers.Conv2D(1, 5)', [1, 1, 1], 26],
  ];
  for (const [shape, layer, out, params] of conv) {
    it(`${layer} on ${shape}`, () => {
      const l = one(shape, layer);
      assert.deepEqual(l.outputShape, [null, ...out]);
      assert.equal(l.params, params);
      assert.equal(l.trainableParams, params);
    });
  }

  const pools: [string, string, number[]][] = [
    ['(28, 28, 8)', 'layers.MaxPooling2D()', [14, 14, 8]],
    ['(7, 7, 8)', 'layers.MaxPooling2D()', [3, 3, 8]],
    ['(7, 7, 8)', "layers.MaxPooling2D(padding='same')", [4, 4, 8]],
    ['(28, 28, 8)', 'layers.MaxPooling2D(3)', [9, 9, 8]], // strides default to pool_size
    ['(28, 28, 8)', 'layers.MaxPooling2D(pool_size=(3, 3), strides=(1, 1))', [26, 26, 8]],
    ['(28, 28, 8)', "layers.AveragePooling2D(3, strides=2, padding='same')", [14, 14, 8]],
    ['(9, 6, 2)', 'layers.AveragePooling2D((3, 2))', [3, 3, 2]],
    ['(9, 6, 2)', 'layers.GlobalAveragePooling2D()', [2]],
    ['(9, 6, 2)', 'layers.GlobalMaxPooling2D(keepdims=True)', [1, 1, 2]],
    // channels_first: the axis after the batch is the channels one and is kept; the rest are pooled
    // (keras/src/layers/pooling/base_global_pooling.py). keras.io's timeseries Transformer pools
    // (None, 500, 1) this way to (None, 500).
    ['(500, 1)', 'layers.GlobalAveragePooling1D(data_format="channels_first")', [500]],
    ['(500, 1)', 'layers.GlobalAveragePooling1D(data_format="channels_last")', [1]],
    ['(3, 9, 6)', "layers.GlobalMaxPooling2D(data_format='channels_first', keepdims=True)", [3, 1, 1]],
    ['(4, 5, 6, 7)', "layers.GlobalAveragePooling3D(data_format='channels_first')", [4]],
  ];
  for (const [shape, layer, out] of pools) {
    it(`${layer} on ${shape}`, () => {
      const l = one(shape, layer);
      assert.deepEqual(l.outputShape, [null, ...out]);
      assert.equal(l.params, 0);
    });
  }

  it("a global pooling's data_format other than channels_last/channels_first is an error at the layer", () => {
    const r = readModel('one.py', 'import keras\nfrom keras import layers\ninputs = keras.Input(shape=(5, 3))\nx = layers.GlobalMaxPooling1D(data_format="nchw")(inputs)\nmodel = keras.Model(inputs, x)\n');
    const ds = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
    assert.ok(ds.some((d) => d.range.line === 4 && /channels_first/.test(d.message)), ds.map((d) => d.message).join('\n'));
  });

  it('BatchNormalization: 4 per channel, 2 of them non-trainable', () => {
    const l = one('(6, 6, 10)', 'layers.BatchNormalization()');
    assert.deepEqual([l.params, l.trainableParams, l.nonTrainableParams], [40, 20, 20]);
    const noScale = one('(10,)', 'layers.BatchNormalization(scale=False)');
    assert.deepEqual([noScale.params, noScale.trainableParams, noScale.nonTrainableParams], [30, 10, 20]);
    const neither = one('(10,)', 'layers.BatchNormalization(center=False, scale=False)');
    assert.deepEqual([neither.trainableParams, neither.nonTrainableParams], [0, 20]);
  });

  it('trainable=False moves a layer’s weights to non-trainable', () => {
    const l = one('(4,)', 'layers.Dense(3, trainable=False)');
    assert.deepEqual([l.params, l.trainableParams, l.nonTrainableParams], [15, 0, 15]);
  });

  it('DepthwiseConv2D and SeparableConv2D', () => {
    let l = one('(10, 10, 3)', 'layers.DepthwiseConv2D(3)');
    assert.deepEqual([l.outputShape, l.params], [[null, 8, 8, 3], 30]); // 3·3·3 + 3
    l = one('(10, 10, 3)', "layers.DepthwiseConv2D((3, 3), strides=2, padding='same', depth_multiplier=4, use_bias=False)");
    assert.deepEqual([l.outputShape, l.params], [[null, 5, 5, 12], 108]); // 3·3·3·4
    l = one('(10, 10, 3)', 'layers.SeparableConv2D(8, 3)');
    assert.deepEqual([l.outputShape, l.params], [[null, 8, 8, 8], 59]); // 27 + 24 + 8
    l = one('(10, 10, 3)', "layers.SeparableConv2D(8, 3, depth_multiplier=2, padding='same')");
    assert.deepEqual([l.outputShape, l.params], [[null, 10, 10, 8], 110]); // 54 + 48 + 8
  });

  it('Dense, Flatten, Reshape (with -1), Rescaling, activations, Dropout', () => {
    assert.deepEqual(one('(3136,)', 'layers.Dense(512)').params, 1606144);
    assert.deepEqual(one('(20,)', 'layers.Dense(5, use_bias=False)').params, 100);
    assert.deepEqual(one('(5, 20)', 'layers.Dense(5)').outputShape, [null, 5, 5]); // 3-D: last axis, like Keras
    assert.deepEqual(one('(7, 7, 64)', 'layers.Flatten()').outputShape, [null, 3136]);
    assert.deepEqual(one('(784,)', 'layers.Reshape((28, 28, 1))').outputShape, [null, 28, 28, 1]);
    assert.deepEqual(one('(28, 28)', 'layers.Reshape((-1,))').outputShape, [null, 784]);
    assert.deepEqual(one('(28, 28)', 'layers.Reshape((-1, 7))').outputShape, [null, 112, 7]);
    assert.deepEqual(one('(28, 28, 1)', 'layers.Rescaling(1. / 255, offset=-1)').outputShape, [null, 28, 28, 1]);
    assert.equal(one('(28, 28, 1)', 'layers.Rescaling(1. / 255, offset=-1)').config['scale'], 1 / 255);
    for (const l of ["layers.Activation('tanh')", 'layers.ReLU(max_value=6.0)', 'layers.Softmax(axis=-1)', 'layers.Dropout(rate=0.25)']) {
      const x = one('(4, 4, 2)', l);
      assert.deepEqual([x.outputShape, x.params], [[null, 4, 4, 2], 0], l);
    }
  });

  it('Add and Concatenate on several inputs, and on any axis', () => {
    const src = `import keras\nfrom keras import layers\na = keras.Input((4, 4, 3))\nb = keras.Input((4, 4, 5))\nc = keras.Input((4, 4, 3))\n` +
      `s = layers.Add()([a, c, a])\nj = layers.Concatenate(axis=-1)([a, b, s])\nk = layers.Concatenate(axis=1)([a, c])\nm = keras.Model([a, b, c], [j, k])\n`;
    const m = readModel('m.py', src).models[0]!;
    assert.deepEqual(m.diagnostics, []);
    const by = (n: string) => m.layers.find((l) => l.name === n)!;
    assert.deepEqual(by('add').outputShape, [null, 4, 4, 3]);
    assert.deepEqual(by('add').inputs, ['input_layer', 'input_layer_2', 'input_layer']);
    assert.deepEqual(by('concatenate').outputShape, [null, 4, 4, 11]);
    assert.deepEqual(by('concatenate_1').outputShape, [null, 8, 4, 3]);
    assert.deepEqual(m.outputs, ['concatenate', 'concatenate_1']);
    assert.deepEqual(m.inputs, ['input_layer', 'input_layer_1', 'input_layer_2']);
  });

  it('the functional shortcuts layers.add / layers.concatenate', () => {
    const src = `import keras\nfrom keras import layers\na = keras.Input((4,))\nb = keras.Input((4,))\nx = layers.add([a, b])\ny = layers.concatenate([x, b])\nm = keras.Model([a, b], y)\n`;
    const m = readModel('m.py', src).models[0]!;
    assert.deepEqual(m.layers.map((l) => [l.type, l.outputShape]), [
      ['InputLayer', [null, 4]],
      ['InputLayer', [null, 4]],
      ['Add', [null, 4]],
      ['Concatenate', [null, 8]],
    ]);
  });
});

describe('layer table', () => {
  it('lists every layer the issue asks for', () => {
    const want = ['InputLayer', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'Dropout', 'Flatten', 'Dense', 'Activation', 'ReLU', 'Softmax', 'BatchNormalization', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'Reshape', 'Rescaling', 'Add', 'Concatenate', 'DepthwiseConv2D', 'SeparableConv2D'];
    const have = new Set(supportedLayerTypes());
    for (const t of want) assert.ok(have.has(t), t);
    for (const t of want) {
      const spec = layerSpec(t)!;
      assert.ok(spec.doc.length > 20, `${t} has a doc`);
      assert.ok(spec.args.every((a) => a.doc.length > 0), `${t} args documented`);
    }
  });

  it('knows the TF.js names', () => {
    const conv = layerSpec('Conv2D')!;
    assert.ok('className' in conv.tfjs && conv.tfjs.className === 'Conv2D');
    assert.deepEqual(conv.args.slice(0, 4).map(tfjsArgName), ['filters', 'kernelSize', 'strides', 'padding']);
    assert.equal(tfjsArgName(layerSpec('InputLayer')!.args[0]!), 'inputShape');
    assert.equal(tfjsArgName('depth_multiplier'), 'depthMultiplier');
  });

  it("Keras's default names", () => {
    assert.deepEqual(
      ['Conv2D', 'MaxPooling2D', 'ReLU', 'InputLayer', 'BatchNormalization', 'GlobalAveragePooling2D', 'DepthwiseConv2D', 'Dense'].map(snakeCase),
      ['conv2d', 'max_pooling2d', 're_lu', 'input_layer', 'batch_normalization', 'global_average_pooling2d', 'depthwise_conv2d', 'dense'],
    );
  });

  it('an explicit name= does not use up a number', () => {
    const src = `import keras\nfrom keras import layers\ni = keras.Input((4,), name='pixels')\nx = layers.Dense(3, name='hidden')(i)\nx = layers.Dense(3)(x)\nx = layers.Dense(3)(x)\nm = keras.Model(i, x, name='named')\n`;
    assert.deepEqual(readModel('m.py', src).models[0]!.layers.map((l) => l.name), ['pixels', 'hidden', 'dense', 'dense_1']);
  });
});

describe("Keras 2's cuDNN layers (CuDNNGRU, CuDNNLSTM)", () => {
  // Printed summaries (find_string 'cu_dnnlstm_1 (CuDNNLSTM)'): a Hamburg-station temperature README,
  // Input (32, 1) → CuDNNLSTM(100, return_sequences) (…, 32, 100) 41,200 → CuDNNLSTM(100) 80,800 →
  // Dense(1) 101, total 122,101; a Pfam domain script: Bidirectional(CuDNNGRU(32, return_sequences))
  // on 32 features (None, None, 64) 12,672.
  it('count two biases per gate, as printed', () => {
    const r = readModel(
      'cudnn.py',
      'from keras.models import Model\nfrom keras.layers import Input, Dense, CuDNNLSTM\n' +
        'seq_input = Input(shape=(32, 1))\nh = CuDNNLSTM(100, return_sequences=True)(seq_input)\nh = CuDNNLSTM(100)(h)\nmodel = Model(seq_input, Dense(1)(h))\n',
    );
    const m = r.models[0]!;
    assert.deepEqual(m.layers.map((l) => [l.name, l.outputShape, l.params]), [
      ['input_layer', [null, 32, 1], 0],
      ['cu_dnnlstm', [null, 32, 100], 41200],
      ['cu_dnnlstm_1', [null, 100], 80800],
      ['dense', [null, 1], 101],
    ]);
    assert.equal(m.totalParams, 122101);
    // The printed tf.compat.v1 model (find_string above): CuDNNLSTM(20) on 64 features 4·(20·84 + 40) = 6,880.
    const v1 = readModel('v1.py', 'import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.Input((20, 64)), tf.compat.v1.keras.layers.CuDNNLSTM(20)])\n').models[0]!;
    assert.deepEqual([v1.layers[1]!.type, v1.totalParams], ['CuDNNLSTM', 6880]);
    const gru = one('(None, 32)', 'layers.Bidirectional(layers.CuDNNGRU(32, return_sequences=True))');
    assert.deepEqual([gru.outputShape, gru.params], [[null, null, 64], 12672]);
  });

  it('CuDNNGRU trains as our GRU with reset_after=True; CuDNNLSTM says why it does not train here', () => {
    const gru = layerSpec('CuDNNGRU')!.tfjs;
    assert.ok('className' in gru && gru.className === 'GRU' && gru.config!({ units: 4 })['reset_after'] === true);
    const lstm = layerSpec('CuDNNLSTM')!.tfjs;
    assert.ok('none' in lstm && /LSTM\(units\)/.test(lstm.none));
    // Only cuDNN's arguments: an activation is Keras's TypeError, a problem at the line here.
    const r = readModel('x.py', 'import keras\nfrom keras import layers\ni = keras.Input(shape=(5, 3))\nm = keras.Model(i, layers.CuDNNGRU(4, activation="relu")(i))\n');
    assert.ok([...r.diagnostics, ...r.models.flatMap((x) => x.diagnostics)].some((d) => d.range.line === 4 && /activation/.test(d.message)));
  });
});

describe('GRU: the reset_after default that changed in Keras 2.3', () => {
  const read = (imports: string, gru: string) => {
    const r = readModel('g.py', `${imports}\ni = Input(shape=(10, 64))\nx = ${gru}(i)\nm = Model(i, x)\n`);
    const ds = [...r.diagnostics, ...r.models.flatMap((x) => x.diagnostics)];
    return { model: r.models[0]!, infos: ds.filter((d) => d.severity === 'info'), others: ds.filter((d) => d.severity !== 'info') };
  };
  const standalone = 'from keras.layers import Input, GRU, Bidirectional\nfrom keras.models import Model';

  it('a file of the standalone keras package is told, at the GRU, the 3·units an older Keras printed fewer; the figure stays Keras 3\'s', () => {
    const { model, infos, others } = read(standalone, 'GRU(256)');
    assert.deepEqual(others, []);
    // Keras ≥ 2.3: 3·(u·(in + u) + 2u) = 3·(256·320 + 512) = 247,296 (Keras ≤ 2.2: 3·(256·320 + 256) = 246,528).
    assert.equal(model.totalParams, 247296);
    assert.equal(infos.length, 1);
    assert.equal(infos[0]!.range.line, 4);
    assert.match(infos[0]!.message, /GRU 'gru' counts 768 more parameters .*reset_after=False/);
  });

  it('no note when reset_after is written, when there is no bias, or in a tf.keras file', () => {
    const written = read(standalone, 'GRU(256, reset_after=False)');
    assert.deepEqual([written.infos, written.model.totalParams], [[], 246528]);
    assert.deepEqual(read(standalone, 'GRU(256, use_bias=False)').infos, []);
    assert.deepEqual(read('from tensorflow.keras.layers import Input, GRU\nfrom tensorflow.keras.models import Model', 'GRU(256)').infos, []);
  });

  it('a GRU inside Bidirectional: the note is the wrapper\'s, at its line', () => {
    const { infos, model } = read(standalone, 'Bidirectional(GRU(32))');
    assert.equal(model.layers[1]!.type, 'Bidirectional');
    assert.equal(infos.length, 1);
    assert.equal(infos[0]!.layer, 'bidirectional');
    assert.match(infos[0]!.message, /96 more parameters/);
  });
});
