// A layer (or model) called more than once shares its weights: Keras lists it once, counts its
// weights once, and connects it to the inputs of every call (`embedding[1][0]` names its second call).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { allInputs, type ModelIR, type ReadResult } from '../../../src/core/model/ir';
import { summaryTable } from '../../../src/core/model/summary-table';
import { readModel } from '../../../src/core/read-model';
import { layoutModel } from '../../../src/webview/graph/layout';

const root = path.resolve(__dirname, '../../..');
const errors = (r: ReadResult) => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`);
const H = 'import keras\nfrom keras import layers\n';

describe('shared layers', () => {
  it('layers reused by a second Sequential after an Input of its own: each model shows its own chain (HOML model_B_on_A)', () => {
    // Figures by Keras's formulas: Dense(30) on 784: (784 + 1)·30 = 23,550; Dense(8): 31·8 = 248; Dense(1): 31.
    const r = readModel(
      'm.py',
      H + 'a = keras.Sequential()\na.add(layers.Flatten(input_shape=[28, 28]))\na.add(layers.Dense(30))\na.add(layers.Dense(8))\nb = keras.Sequential(a.layers[:-1])\nb.add(layers.Dense(1))\n',
    );
    assert.deepEqual(errors(r), []);
    const [a, b] = r.models;
    assert.deepEqual(a!.layers.map((l) => [l.name, l.inputs]), [['input_layer', []], ['flatten', ['input_layer']], ['dense', ['flatten']], ['dense_1', ['dense']]]);
    assert.deepEqual(b!.layers.map((l) => [l.name, l.inputs]), [['input_layer_1', []], ['flatten', ['input_layer_1']], ['dense', ['flatten']], ['dense_2', ['dense']]]);
    assert.deepEqual([a!.totalParams, b!.totalParams], [23550 + 248, 23550 + 31]);
  });

  it('layers of one model put behind new layers in another Sequential are called again there, weights shared (HOML MC Dropout); a misfit is an error', () => {
    // Dense(16) on 8: (8 + 1)·16 = 144; Dense(4) on 16: 17·4 = 68; Dropout has no weights.
    const r = readModel(
      'm.py',
      H + 'a = keras.Sequential([keras.Input((8,)), layers.Dense(16), layers.Dropout(0.5), layers.Dense(4)])\nb = keras.Sequential([keras.Input((8,))] + [layers.Dropout(l.rate) if isinstance(l, layers.Dropout) else l for l in a.layers])\n',
    );
    assert.deepEqual(errors(r), []);
    const [a, b] = r.models;
    assert.deepEqual(a!.layers.map((l) => [l.name, l.inputs]), [['input_layer', []], ['dense', ['input_layer']], ['dropout', ['dense']], ['dense_1', ['dropout']]]);
    assert.deepEqual(b!.layers.map((l) => [l.name, l.inputs, l.params]), [['input_layer_1', [], 0], ['dense', ['input_layer_1'], 144], ['dropout_1', ['dense'], 0], ['dense_1', ['dropout_1'], 68]]);
    assert.equal(b!.layers[2]!.config['rate'], 0.5); // layer.rate read back
    // The trained Dense(4) (weights for 16 inputs) behind a new Dense(32): Keras raises; no total is given as Keras's.
    const bad = readModel('m.py', H + 'a = keras.Sequential([keras.Input((8,)), layers.Dense(16), layers.Dense(4)])\nb = keras.Sequential([keras.Input((8,)), a.layers[0], layers.Dense(32), a.layers[1]])\n');
    assert.deepEqual(bad.models[0]!.diagnostics, []);
    assert.ok(bad.models[1]!.diagnostics.some((d) => d.severity === 'error' && d.range.line === 4 && /dense_1/.test(d.message)));
  });

  it("keras.io's siamese network: the embedding model on two inputs is one row, counted once, connected to both", () => {
    // keras-team/keras-io examples/vision/md/siamese_contrastive.md, siamese.summary():
    //   input_layer_1 (InputLayer) (None, 28, 28, 1) 0 | input_layer_2 (InputLayer) (None, 28, 28, 1) 0
    //   embedding (Functional) (None, 10) 5,318 ← input_layer_1[0]…, input_layer_2[0]…
    //   lambda (Lambda) (None, 1) 0 ← embedding[0][0], embedding[1][0]
    //   Total params: 5,318; Trainable params: 4,804; Non-trainable params: 514
    const file = 'test/unit/fixtures/published/keras_siamese_contrastive.py';
    const r = readModel(file, fs.readFileSync(path.join(root, file), 'utf8'));
    assert.deepEqual(errors(r), []);
    const m = r.models.find((x) => x.name === 'functional')!;
    assert.deepEqual(m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]), [
      ['input_layer_1', 'InputLayer', [null, 28, 28, 1], 0],
      ['input_layer_2', 'InputLayer', [null, 28, 28, 1], 0],
      ['embedding', 'Functional', [null, 10], 5318],
      ['lambda', 'Lambda', [null, 1], 0],
    ]);
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [5318, 4804, 514]);
    const emb = m.layers[2]!;
    assert.deepEqual(allInputs(emb), ['input_layer_1', 'input_layer_2']);
    assert.deepEqual(emb.calls, [{ inputs: ['input_layer_2'], outputShape: [null, 10] }]);
    const lambda = m.layers[3]!;
    assert.deepEqual([lambda.inputs, lambda.inputNodes], [['embedding', 'embedding'], [0, 1]]);
    assert.match(summaryTable(m, file), /embedding \(Functional\)\s+\(None, 10\)\s+5,318\s+input_layer_1, input_layer_2/);
  });

  it('a shared layer in the graph: an edge from each call\'s input into it, and into each consumer', () => {
    // DLwP 1st ed. 7.1.4 (layer weight sharing): one LSTM(32) on two inputs of 128 features, then
    // concatenate and Dense(1). LSTM(32) on 128 features: 4·32·(128 + 32 + 1) = 20,608; Dense: 64 + 1 = 65.
    const r = readModel(
      'm.py',
      H +
        'lstm = layers.LSTM(32)\nleft_in = keras.Input(shape=(None, 128))\nleft = lstm(left_in)\nright_in = keras.Input(shape=(None, 128))\nright = lstm(right_in)\n' +
        'merged = layers.concatenate([left, right], axis=-1)\nout = layers.Dense(1, activation="sigmoid")(merged)\nmodel = keras.Model([left_in, right_in], out)\n',
    );
    assert.deepEqual(errors(r), []);
    const m = r.models[0]!;
    assert.deepEqual(m.layers.map((l) => [l.name, l.params]), [['input_layer', 0], ['input_layer_1', 0], ['lstm', 20608], ['concatenate', 0], ['dense', 65]]);
    assert.equal(m.totalParams, 20608 + 65);
    const g = layoutModel(m);
    const edges = g.edges.map((e) => `${e.from}>${e.to}`).sort();
    assert.deepEqual(edges, ['concatenate>dense', 'input_layer>lstm', 'input_layer_1>lstm', 'lstm>concatenate', 'lstm>concatenate'].sort());
    assert.deepEqual(m.layers.find((l) => l.name === 'concatenate')!.inputNodes, [0, 1]);
  });

  it('a layer called twice in a subclassed model\'s call: one row, its weights once', () => {
    const r = readModel(
      'm.py',
      H +
        'class Twin(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(4)\n        self.out = layers.Dense(1)\n' +
        '    def call(self, x):\n        return self.out(self.d(self.d(x)))\n' +
        'model = Twin()\nmodel.build((None, 4))\n',
    );
    assert.deepEqual(errors(r), []);
    const m = r.models[0]!;
    // Dense(4) on 4 features: 4·4 + 4 = 20 (once, though called twice); Dense(1): 5.
    assert.equal(m.totalParams, 25);
    const d = m.layers.find((l) => l.name === 'dense')!;
    assert.deepEqual(d.calls, [{ inputs: ['dense'], outputShape: [null, 4] }]);
  });

  it('a shared layer whose second call gets the wrong input says so at that call', () => {
    const r = readModel('m.py', H + 'd = layers.Dense(3)\na = keras.Input((4,))\nb = keras.Input((5,))\nm = keras.Model([a, b], layers.add([d(a), d(b)]))\n');
    const m: ModelIR = r.models[0]!;
    // Keras: the kernel is (4, 3); a (None, 5) input does not fit it (Keras raises at that call).
    assert.deepEqual(errors(r), ["6: Dense 'dense' is called again here on (None, 5), but its weights fit (None, 4), the input of its first call; a shared layer needs inputs of the same size"]);
    assert.equal(m.totalParams, 15); // 4·3 + 3, once
  });
});
