// A model used as a layer of another carries its own graph (the panel opens it): layers, shapes and
// counts as Keras's `summary(expand_nested=True)` lists them under the nested row.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';

const root = path.resolve(__dirname, '../../..');
const H = 'import keras\nfrom keras import layers\n';
const rows = (m: ModelIR) => m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]);

describe('nested models carry their inner graph', () => {
  it('the VGG16 base inside a Sequential model: one node whose graph is the base, as DLwP prints conv_base.summary()', () => {
    // fchollet/deep-learning-with-python-notebooks first_edition/5.3-using-a-pretrained-convnet.ipynb:
    // conv_base.summary() lists block1_conv1 (None, 150, 150, 64) 1792 … block5_pool (None, 4, 4, 512) 0,
    // Total params: 14,714,688; model.summary() prints the base as one row "vgg16 (Model) (None, 4, 4, 512) 14714688".
    const file = 'test/unit/fixtures/published/vgg16_top.py';
    const r = readModel(file, fs.readFileSync(path.join(root, file), 'utf8'));
    const top = r.models.find((m) => m.name === 'sequential')!;
    const node = top.layers.find((l) => l.nested)!;
    assert.equal(node.name, 'vgg16');
    assert.deepEqual([node.outputShape, node.params], [[null, 4, 4, 512], 14714688]);
    const inner = node.nested!.graph!;
    assert.ok(inner, 'the node carries the inner graph');
    assert.equal(inner.name, 'vgg16');
    assert.equal(inner.totalParams, 14714688);
    assert.deepEqual(rows(inner)[1], ['block1_conv1', 'Conv2D', [null, 150, 150, 64], 1792]);
    assert.deepEqual(rows(inner).at(-1), ['block5_pool', 'MaxPooling2D', [null, 4, 4, 512], 0]);
    assert.equal(inner.layers.length, 19); // Input + 13 conv + 5 pool
  });

  it('an unbuilt Sequential used in a functional model: its graph has the shapes of its use; nesting two deep', () => {
    const r = readModel(
      'm.py',
      H +
        'block = keras.Sequential([layers.Dense(6), layers.Dense(5)], name="block")\n' +
        'i = keras.Input((3,))\nmid = keras.Model(i, block(i), name="mid")\n' +
        'j = keras.Input((3,))\nout = layers.Dense(1)(mid(j))\nouter = keras.Model(j, out, name="outer")\n',
    );
    const outer = r.models.find((m) => m.name === 'outer')!;
    const mid = outer.layers.find((l) => l.name === 'mid')!.nested!.graph!;
    assert.equal(mid.name, 'mid');
    const block = mid.layers.find((l) => l.name === 'block')!.nested!.graph!;
    // Dense(6) on 3 features: (3 + 1)·6 = 24; Dense(5): (6 + 1)·5 = 35.
    assert.deepEqual(rows(block).slice(1), [['dense', 'Dense', [null, 6], 24], ['dense_1', 'Dense', [null, 5], 35]]);
    assert.equal(block.layers[0]!.outputShape?.[1], 3);
    // The panel's data crosses to the webview as JSON: the graph survives it.
    const copy = JSON.parse(JSON.stringify(outer)) as ModelIR;
    assert.equal(copy.layers.find((l) => l.name === 'mid')!.nested!.graph!.layers.find((l) => l.name === 'block')!.nested!.graph!.totalParams, 59);
  });

  it('a nested model in a Keras JSON config carries its graph too', () => {
    const inner = { class_name: 'Sequential', config: { name: 'inner', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 4], name: 'inner_in' } }, { class_name: 'Dense', config: { name: 'd1', units: 3 } }] } };
    const json = {
      class_name: 'Sequential',
      config: { name: 'outer', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 4], name: 'outer_in' } }, inner, { class_name: 'Dense', config: { name: 'd2', units: 2 } }] },
    };
    const r = readModel('m.json', JSON.stringify(json));
    const m = r.models[0]!;
    const node = m.layers.find((l) => l.name === 'inner')!;
    assert.ok(node.nested, 'marked nested');
    // Dense(3) on 4: (4 + 1)·3 = 15.
    assert.deepEqual(node.nested!.graph!.layers.map((l) => [l.name, l.params]), [['inner_in', 0], ['d1', 15]]);
  });
});

describe('a functional model with several outputs called as a layer', () => {
  it('returns its outputs as a tuple: `p, q = enc(x)`; its row lists their shapes and later calls take enc[0][0], enc[0][1]', () => {
    // Dense(2) and Dense(3) on (None, 4): (4 + 1)·2 + (4 + 1)·3 = 25; Concatenate of (None, 2), (None, 3) → (None, 5).
    const src = H + "i = keras.Input((4,))\nenc = keras.Model(i, [layers.Dense(2)(i), layers.Dense(3)(i)], name='enc')\nx = keras.Input((4,))\np, q = enc(x)\nm = keras.Model(x, layers.Concatenate()([p, q]))\n";
    const r = readModel('m.py', src);
    assert.deepEqual([...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].map((d) => d.message), []);
    const m = r.models[1]!;
    assert.deepEqual(rows(m), [
      ['input_layer_1', 'InputLayer', [null, 4], 0],
      ['enc', 'Functional', [null, 2], 25],
      ['concatenate', 'Concatenate', [null, 5], 0],
    ]);
    assert.deepEqual(m.layers[1]!.outputShapes, [[null, 2], [null, 3]]);
    assert.deepEqual(m.totalParams, 25);
  });

  it('the VAE of DeepLearning.AI C4W3 (pabaq/… C4W3_Assignment.ipynb: encoder 9,537,472, decoder 4,476,867)', () => {
    const file = 'test/unit/fixtures/published/tfat_vae_faces.py';
    const r = readModel(file, fs.readFileSync(path.join(root, file), 'utf8'));
    assert.deepEqual([...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error').map((d) => d.message), []);
    const vae = r.models.find((m) => m.name === 'vae')!;
    assert.deepEqual(vae.layers.find((l) => l.name === 'encoder')!.outputShapes, [[null, 512], [null, 512], [null, 512]]);
    // The decoder is called on z, the encoder's third output.
    assert.deepEqual(vae.layers.find((l) => l.name === 'decoder')!.inputs, ['encoder']);
    assert.deepEqual([vae.totalParams, vae.nonTrainableParams], [9537472 + 4476867, 2496 + 16832]);
  });

  it('a model whose Input leaves sizes open, called on a tensor that has them: its node outputs those sizes', () => {
    // Conv2D(4, 3) "valid" on (None, None, 3): weights (3·3·3 + 1)·4 = 112; called on 10×10 it outputs
    // (None, 8, 8, 4), so Flatten gives 8·8·4 = 256 and Dense(2) (256 + 1)·2 = 514 (DLwP 2nd ed. ch. 8
    // flattens a VGG16(include_top=False) made without input_shape, called on 180×180 images).
    const r = readModel('m.py', `${H}base_in = keras.Input(shape=(None, None, 3))
base = keras.Model(base_in, layers.Conv2D(4, 3)(base_in), name="base")
x = keras.Input(shape=(10, 10, 3))
model = keras.Model(x, layers.Dense(2)(layers.Flatten()(base(x))))
`);
    const errors = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => d.message), []);
    const m = r.models.find((x) => x.name === 'functional')!;
    assert.deepEqual(rows(m).slice(1), [
      ['base', 'Functional', [null, 8, 8, 4], 112],
      ['flatten', 'Flatten', [null, 256], 0],
      ['dense', 'Dense', [null, 2], 514],
    ]);
    assert.equal(m.totalParams, 112 + 514);
    // The base itself keeps its open sizes.
    assert.deepEqual(r.models.find((x) => x.name === 'base')!.layers[1]!.outputShape, [null, null, null, 4]);
  });
});
