// Hostile and clumsy files: every one ends with an error at the line where the reader's budget ran
// out (issue 16), and a model that a statement could not be read for is reported incomplete.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';
import { layoutModel } from '../../../src/webview/graph/layout';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const errorsAt = (r: ReadResult, code: string) => all(r).filter((d) => d.severity === 'error' && d.code === code).map((d) => d.range.line);

const SEQ = 'import keras\nfrom keras.layers import Dense\nmodel = keras.Sequential()\nmodel.add(keras.Input(shape=(10,)))\n';

describe('reader budget', () => {
  it('a helper that calls itself in a loop stops at the recursion', () => {
    const r = readModel('f.py', 'import keras\ndef f(n):\n    for i in range(10):\n        f(n + 1)\nf(0)\n');
    assert.deepEqual(errorsAt(r, 'budget'), [4]);
    assert.match(all(r)[0]!.message, /call each other more than \d+ levels deep/);
  });

  it('three nested range(1000) loops stop with the line', () => {
    const r = readModel('f.py', SEQ + 'for a in range(1000):\n    for b in range(1000):\n        for c in range(1000):\n            x = a + b + c\n');
    const lines = errorsAt(r, 'budget');
    assert.equal(lines.length, 1);
    assert.ok(lines[0]! >= 5 && lines[0]! <= 8, String(lines[0]));
    // The model built before is marked incomplete: reading stopped.
    assert.equal(r.models[0]!.gaps?.length, 1);
  });

  it("['x'] * 10**8 and [Dense(10)] * 10**9 are refused before allocating", () => {
    assert.deepEqual(errorsAt(readModel('f.py', "import keras\nx = ['x'] * 10**8\n"), 'budget'), [2]);
    const r = readModel('f.py', 'import keras\nfrom keras.layers import Dense\nmodel = keras.Sequential([Dense(10)] * 10**9)\n');
    assert.deepEqual(errorsAt(r, 'budget'), [3]);
    assert.match(all(r)[0]!.message, /1,000,000,000 items/);
  });

  it('a loop adding 100,000 layers is refused at its line, not cut short in silence', () => {
    const r = readModel('f.py', SEQ + 'for i in range(100000):\n    model.add(Dense(10))\n');
    assert.deepEqual(errorsAt(r, 'budget'), [6]);
    assert.match(all(r).find((d) => d.code === 'budget')!.message, /more than 20,000 layers/);
    assert.ok(r.models[0]!.gaps?.length);
    assert.ok(errorsAt(r, 'incomplete').length);
  });

  it('a loop adding 2,000 layers is read in full', () => {
    const r = readModel('f.py', SEQ + 'for i in range(2000):\n    model.add(Dense(10))\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.layers.length, 2001);
    assert.equal(r.models[0]!.totalParams, 2000 * 110); // (10 + 1)·10 each
  });

  it('a file over the size limit is refused at line 1 without parsing', () => {
    const r = readModel('big.py', 'a = 1\n'.repeat(500_000));
    assert.deepEqual(errorsAt(r, 'budget'), [1]);
    assert.match(r.diagnostics[0]!.message, /the file is 3\.0 MB/);
  });

  it('301 trailing comment lines (also inside a call) are not a syntax error', () => {
    const comments = Array.from({ length: 301 }, (_, i) => `# note ${i}`).join('\n');
    const r1 = readModel('f.py', `import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\n${comments}\n`);
    assert.deepEqual(all(r1), []);
    const r2 = readModel('f.py', `import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)),\n${comments}\n  keras.layers.Dense(2,  # units\n  )])\n`);
    assert.deepEqual(all(r2), []);
    assert.equal(r2.models[0]!.totalParams, 10);
  });

  it('deeply nested brackets stop with a message, not a stack overflow', () => {
    const r = readModel('f.py', 'import keras\nx = ' + '['.repeat(5000) + ']'.repeat(5000) + '\n');
    // @lezer/python itself gives up on such depth (a syntax error); a depth it parses meets the budget.
    assert.deepEqual(all(r).map((d) => [d.code, d.range.line]), [['syntax', 2]]);
    const r2 = readModel('f.py', 'import keras\nx = ' + '('.repeat(400) + '1' + ')'.repeat(400) + '\n');
    assert.deepEqual(all(r2).map((d) => [d.code, d.range.line]), [['budget', 2]]);
  });
});

describe('incomplete models', () => {
  const gapLines = (src: string) => {
    const r = readModel('f.py', src);
    return { r, gaps: r.models.map((m) => (m.gaps ?? []).map((g) => [g.range.line, g.after])) };
  };

  it('a loop over unknown data that adds layers', () => {
    const { r, gaps } = gapLines(SEQ + 'import json\ncfg = json.load(open("c.json"))\nmodel.add(Dense(4))\nfor units in cfg["units"]:\n    model.add(Dense(units))\n');
    assert.deepEqual(gaps, [[[8, 'dense']]]);
    assert.deepEqual(errorsAt(r, 'incomplete'), [8]);
  });

  it('model.add of something unknown, and an unknown helper given the model', () => {
    const { gaps } = gapLines(SEQ + 'from mylib import block, extra\nmodel.add(block(32))\nextra(model)\n');
    assert.deepEqual(gaps, [[[6, 'input_layer'], [7, 'input_layer']]]);
  });

  it('a functional model whose tensor went through an unknown loop', () => {
    const { gaps } = gapLines(
      'import keras, sys\nfrom keras import layers\ninp = keras.Input(shape=(8,))\nx = layers.Dense(4)(inp)\nfor n in sys.argv:\n    x = layers.Dense(int(n))(x)\nm = keras.Model(inp, x)\n',
    );
    assert.deepEqual(gaps, [[[5, 'dense']]]);
  });

  it('a condition that cannot be decided, around layers', () => {
    const { gaps } = gapLines(SEQ + 'import os\nif os.environ.get("BIG"):\n    model.add(Dense(100))\nelse:\n    model.add(Dense(10))\n');
    assert.deepEqual(gaps, [[[6, 'input_layer']]]);
  });

  it('statements that do not touch a model leave it complete', () => {
    const { r } = gapLines(SEQ + 'import os\nfor f in os.listdir("."):\n    print(f)\nif os.environ.get("X"):\n    print("x")\nmodel.add(Dense(2))\nmodel.summary()\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.gaps, undefined);
  });

  it('the graph marks the layer after which the gap is', () => {
    const r = readModel('f.py', SEQ + 'import mylib\nmodel.add(Dense(4))\nmylib.more(model)\nmodel.add(Dense(2))\n');
    const nodes = layoutModel(r.models[0]!).nodes;
    assert.deepEqual(nodes.filter((n) => n.gap).map((n) => n.row.layer.name), ['dense']);
    assert.match(nodes.find((n) => n.gap)!.gap!, /^line 7: cannot tell what 'mylib.more' does/);
  });
});

describe('calls that take a model', () => {
  it("well-known libraries (plotting, saving, converting) leave the model complete; the user's own module does not", () => {
    const base = 'import keras\nimport visualkeras\nimport tensorflowjs as tfjs\nimport tensorflow as tf\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n';
    const ok = readModel('f.py', base + 'visualkeras.layered_view(model)\ntfjs.converters.save_keras_model(model, "out")\ntf.keras.utils.plot_model(model)\nconverter = tf.lite.TFLiteConverter.from_keras_model(model)\n');
    assert.deepEqual(all(ok), []);
    const mine = readModel('f.py', base + 'from helpers import add_head\nadd_head(model)\n');
    assert.deepEqual(errorsAt(mine, 'incomplete'), [7]);
  });
});

describe('a condition that cannot be decided', () => {
  const H = 'import sys\nimport keras\nfrom keras import layers\n';
  it('models created inside it are incomplete, with an error at the condition (either branch)', () => {
    const r = readModel(
      'f.py',
      H + 'if len(sys.argv) > 1:\n    model = keras.Sequential([keras.Input((4,)), layers.Dense(100)])\nelse:\n    model = keras.Sequential([keras.Input((4,)), layers.Dense(10)])\nmodel.summary()\n',
    );
    assert.equal(r.models.length, 1);
    assert.deepEqual(r.models[0]!.gaps?.map((g) => g.range.line), [4]);
    assert.deepEqual(errorsAt(r, 'incomplete'), [4]);
  });

  it('a model made in a branch and bound to no name, and one built by a helper called in the branch', () => {
    const r = readModel(
      'f.py',
      H + 'def build(n):\n    return keras.Sequential([keras.Input((4,)), layers.Dense(n)])\nmodels = []\nif len(sys.argv) > 1:\n    models.append(build(3))\n    big = build(300)\n',
    );
    assert.deepEqual(r.models.map((m) => m.gaps?.map((g) => g.range.line)), [[7], [7]]);
  });

  it("a value chosen by it ('64 if big else 32') is unknown at its layer, not the first value", () => {
    const r = readModel('f.py', H + 'units = 64 if len(sys.argv) > 1 else 32\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(units)])\n');
    const errs = all(r).filter((d) => d.severity === 'error');
    assert.ok(errs.some((d) => d.range.line === 5), JSON.stringify(errs.map((d) => [d.range.line, d.message])));
    assert.notEqual(r.models[0]!.totalParams, 4 * 64 + 64);
    // Both values alike: no doubt about it.
    const same = readModel('f.py', H + 'units = 8 if len(sys.argv) > 1 else 8\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(units)])\n');
    assert.deepEqual(all(same).filter((d) => d.severity === 'error'), []);
    assert.equal(same.models[0]!.totalParams, 40);
  });
});

describe('constants set under a condition that cannot be decided', () => {
  const H = 'import os\nimport keras\nfrom keras import layers\n';
  it('are unknown afterwards: the layer given one says so at its line (not the branch read)', () => {
    const r = readModel('f.py', H + 'shape = (28, 28, 1)\nif os.environ.get("CF"):\n    shape = (1, 28, 28)\nmodel = keras.Sequential([keras.Input(shape), layers.Flatten(), layers.Dense(2)])\n');
    const errs = all(r).filter((d) => d.severity === 'error');
    assert.ok(errs.some((d) => d.range.line === 7), JSON.stringify(errs.map((d) => [d.range.line, d.message])));
  });
  it('keras.backend.image_data_format() is channels_last (Keras\'s default), so that common if is decided', () => {
    const r = readModel(
      'f.py',
      'import keras\nfrom keras import backend as K\nfrom keras import layers\nif K.image_data_format() == "channels_first":\n    shape = (1, 28, 28)\nelse:\n    shape = (28, 28, 1)\nmodel = keras.Sequential([keras.Input(shape), layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])\n',
    );
    assert.deepEqual(all(r).filter((d) => d.severity === 'error'), []);
    // Conv2D(4, 3) on 28×28×1: 3·3·1·4 + 4 = 40 → 26×26×4 = 2704 → Dense(2): 2704·2 + 2 = 5410.
    assert.equal(r.models[0]!.totalParams, 40 + 5410);
  });
});
