// `layer.build(shape)` written in the file (sublayer-builds.ts) and model.input_shape / output_shape.
// Expected figures from Keras's formulas, written beside each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ReadResult } from '../../../src/core/model/ir';
import { isComplete } from '../../../src/core/model/completeness';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const said = (r: ReadResult) => all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n');
const K = 'import keras\nfrom keras import layers\n';

const wrapper = (inner: string) =>
  'class Wrapped(layers.Layer):\n' +
  '    def __init__(self):\n' +
  '        super().__init__()\n' +
  '        self.conv = layers.Conv2D(8, 3)\n' +
  '    def build(self, input_shape):\n' +
  `        self.conv.build(${inner})\n` +
  '    def call(self, x):\n' +
  '        return self.conv(x)\n';

describe('layer.build(shape) written in the file', () => {
  it("a layer class building its inner Conv2D for the shape it is called on (PixelCNN's masked conv): counted as the call builds it", () => {
    const r = readModel('m.py', K + wrapper('input_shape') + 'inputs = keras.Input(shape=(6, 6, 2))\nmodel = keras.Model(inputs, Wrapped()(inputs))\n');
    assert.equal(said(r), '');
    // Conv2D (3·3·2 + 1)·8 = 152, output 6 − 3 + 1 = 4.
    assert.equal(r.models[0]!.totalParams, 152);
    assert.deepEqual(r.models[0]!.layers.at(-1)!.outputShape, [null, 4, 4, 8]);
  });

  it('a layer built at the top level, then called on that shape (the batch axis aside)', () => {
    const r = readModel('m.py', K + 'd = layers.Dense(3)\nd.build((1, 5))\ninputs = keras.Input(shape=(5,))\nmodel = keras.Model(inputs, d(inputs))\n');
    assert.equal(said(r), '');
    assert.equal(r.models[0]!.totalParams, 18); // (5 + 1)·3
  });

  it('built for another shape than it is called on: the model is incomplete at the build, never the count of the call', () => {
    const r = readModel('m.py', K + wrapper('(None, 6, 6, 3)') + 'inputs = keras.Input(shape=(6, 6, 2))\nmodel = keras.Model(inputs, Wrapped()(inputs))\n');
    assert.equal(isComplete(r.models[0]!), false);
    const e = all(r).find((d) => d.severity === 'error' && /\(None, 6, 6, 3\)/.test(d.message) && /\(None, 6, 6, 2\)/.test(d.message));
    assert.ok(e, said(r));
    assert.equal(e.range.line, 8);
  });

  it('a shape it cannot work out stays a gap at the build', () => {
    const r = readModel('m.py', K + 'import sys\n' + wrapper('(None, int(sys.argv[1]), 6, 2)') + 'inputs = keras.Input(shape=(6, 6, 2))\nmodel = keras.Model(inputs, Wrapped()(inputs))\n');
    assert.equal(isComplete(r.models[0]!), false, said(r));
  });
});

describe('model.input_shape / output_shape', () => {
  it('the tuples of its input and output, usable as constants (an array the size of one input, a loop over its rows)', () => {
    const r = readModel(
      'm.py',
      K +
        'import numpy as np\n' +
        'inputs = keras.Input(shape=(4, 4, 1))\nmodel = keras.Model(inputs, layers.Conv2D(2, 3)(inputs))\n' +
        'grid = np.zeros(shape=(3,) + model.input_shape[1:])\n' +
        'n, rows, cols, ch = grid.shape\n' +
        'for row in range(rows):\n    model.predict(grid)\n' +
        'head = keras.Sequential([keras.Input(shape=(7,)), layers.Dense(model.output_shape[-1] * 5)])\n',
    );
    assert.equal(said(r), '');
    assert.equal(r.models[0]!.totalParams, 20); // (3·3·1 + 1)·2
    // output (None, 2, 2, 2): Dense(2·5) on 7 inputs, (7 + 1)·10 = 80.
    assert.equal(r.models[1]!.totalParams, 80);
  });
});

describe('a build Model Lens cannot check', () => {
  it('a layer built by hand, then put in a Sequential: a gap at the build (Keras keeps the build, the Sequential shows another shape)', () => {
    const r = readModel('m.py', K + 'd = layers.Dense(3)\nd.build((None, 5))\nmodel = keras.Sequential([keras.Input(shape=(7,)), d])\n');
    assert.equal(isComplete(r.models[0]!), false);
    assert.ok(r.models[0]!.gaps?.some((g) => g.range.line === 4), said(r));
  });

  it("a layer built by hand and never called (its kernel used in another layer's call()): every model in doubt at the build", () => {
    const r = readModel(
      'm.py',
      K +
        'from keras import ops\n' +
        'class Tied(layers.Layer):\n' +
        '    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(4)\n' +
        '    def build(self, shape):\n        self.d.build(shape)\n' +
        '    def call(self, x):\n        return ops.matmul(x, self.d.kernel)\n' +
        'inputs = keras.Input(shape=(6,))\nmodel = keras.Model(inputs, Tied()(inputs))\n',
    );
    assert.equal(isComplete(r.models[0]!), false, said(r));
    assert.ok(r.models[0]!.gaps?.some((g) => g.range.line === 9), JSON.stringify(r.models[0]!.gaps));
  });
});

describe('a layer called on Python values (eagerly, outside any model)', () => {
  it("DLWP 2nd ed. ch. 11 tries a TextVectorization on a sentence: no error, the models are whole", () => {
    const r = readModel('m.py', K + 'tv = layers.TextVectorization(output_mode="int")\ntv.adapt(["a b", "c"])\nencoded = tv("I write, rewrite")\nprint(tv(["a", "b c"]))\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n');
    assert.equal(said(r), '');
    assert.equal(isComplete(r.models[0]!), true);
    assert.equal(r.models[0]!.totalParams, 10); // (4 + 1)·2
  });

  it('a layer built so and then used in a model (functional or Sequential): that model is in doubt at the eager call', () => {
    for (const use of ['inputs = keras.Input(shape=(3,))\nmodel = keras.Model(inputs, d(inputs))\n', 'model = keras.Sequential([keras.Input(shape=(3,)), d])\n']) {
      const r = readModel('m.py', K + 'd = layers.Dense(2)\nprint(d([[1.0, 2.0, 3.0]]))\n' + use);
      assert.equal(isComplete(r.models[0]!), false, use);
      assert.ok(r.models[0]!.gaps?.some((g) => g.range.line === 4), JSON.stringify(r.models[0]!.gaps));
    }
  });
});
