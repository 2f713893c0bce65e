// No total that is not Keras's without a word (issue 10): statements that reach into a model's
// layers are followed (isinstance, get_layer, setattr, model.trainable = True) or the model is
// incomplete with an error at the line (exec, map(model.add, …) over unknown items, a helper of the user's own module,
// an undecided condition around a layer already in the model, an incomplete model nested in another).
// Expected figures follow Keras's formulas: Dense = (in + 1)·units; BatchNormalization = 4·C, of
// which 2·C (moving mean and variance) are never trainable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summaryJson } from '../../../src/cli/summary';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { isComplete } from '../../../src/core/model/completeness';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
// Input(8) → Dense(8): 72 → BatchNormalization: 32 (16 trainable) → Dense(4): 36.
const H = 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((8,)), layers.Dense(8), layers.BatchNormalization(), layers.Dense(4)])\n';
function clean(body: string): ModelIR {
  const r = readModel('m.py', H + body);
  assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), []);
  assert.equal(r.models[0]!.gaps, undefined);
  return r.models[0]!;
}
/** The lines of the model's gaps, and of the 'incomplete' errors said for them. */
function incomplete(body: string, header = H): { gaps: number[][]; errors: number[] } {
  const r = readModel('m.py', header + body);
  return {
    gaps: r.models.map((m) => (m.gaps ?? []).map((g) => g.range.line)),
    errors: all(r).filter((d) => d.code === 'incomplete').map((d) => d.range.line),
  };
}

describe('statements that reach into layers are followed', () => {
  it('isinstance(layer, a Keras layer class) is decided: freezing the BatchNormalization layers of a model', () => {
    const m = clean('for layer in model.layers:\n    if isinstance(layer, layers.BatchNormalization):\n        layer.trainable = False\n');
    assert.equal(m.totalParams, 72 + 32 + 36);
    assert.equal(m.trainableParams, 72 + 36);
    const none = clean('for layer in model.layers:\n    if isinstance(layer, (layers.Conv2D, layers.LSTM)):\n        layer.trainable = False\n');
    assert.equal(none.trainableParams, 72 + 16 + 36);
    const every = clean('for layer in model.layers:\n    if isinstance(layer, keras.layers.Layer) and not isinstance(layer, keras.Model):\n        layer.trainable = False\n');
    assert.equal(every.trainableParams, 0);
  });

  it('isinstance is left open where Keras versions differ (Conv2DTranspose derived from Conv2D in Keras 2): the model is incomplete there', () => {
    const src = 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2DTranspose(2, 3)])\n';
    assert.deepEqual(incomplete('for l in model.layers:\n    if isinstance(l, layers.Conv2D):\n        l.trainable = False\n', src), { gaps: [[5]], errors: [5] });
  });

  it('model.get_layer(name) and get_layer(index=) give the layer; a name the model lacks is an error', () => {
    const m = clean('model.get_layer("dense").trainable = False\nmodel.get_layer(index=2).trainable = False\n');
    assert.equal(m.trainableParams, 16);
    const r = readModel('m.py', H + 'model.get_layer("dense_9").trainable = False\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 4 && /no layer named 'dense_9'/.test(d.message)));
    assert.deepEqual(incomplete('import sys\nmodel.get_layer(sys.argv[1]).trainable = False\n'), { gaps: [[5]], errors: [5] });
  });

  it('setattr / getattr with a constant name, as the attribute written out', () => {
    const m = clean('setattr(model.layers[0], "trainable", False)\ngetattr(model, "layers")[2].trainable = False\n');
    assert.equal(m.trainableParams, 16);
  });

  it('model.trainable = True makes every layer trainable again, as Keras\'s setter does', () => {
    const m = clean('model.layers[0].trainable = False\nmodel.trainable = True\n');
    assert.equal(m.trainableParams, 72 + 16 + 36);
    const frozen = clean('model.trainable = False\n');
    assert.equal(frozen.trainableParams, 0);
  });

  it('a model used as a layer is that model: model.layers[0].trainable = False freezes the base itself (its own summary too)', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\nbase = keras.Sequential([keras.Input((8,)), layers.Dense(8)], name="base")\nmodel = keras.Sequential([base, layers.Dense(1)])\nmodel.layers[0].trainable = False\n');
    assert.deepEqual(all(r), []);
    const [base, model] = r.models;
    assert.deepEqual([base!.totalParams, base!.trainableParams], [72, 0]);
    assert.deepEqual([model!.totalParams, model!.trainableParams], [72 + 9, 9]);
  });
});

describe('statements that may change a model and cannot be followed make it incomplete', () => {
  it('exec / eval of a string', () => {
    assert.deepEqual(incomplete('exec("model.add(layers.Dense(100))")\n'), { gaps: [[4]], errors: [4] });
    assert.deepEqual(incomplete('def grow():\n    eval("model.pop()")\ngrow()\n'), { gaps: [[5]], errors: [5] });
  });

  it('map(model.add, …) over what cannot be known, and other calls given a bound method of the model', () => {
    assert.deepEqual(incomplete('import os\nlist(map(model.add, os.environ["LAYERS"]))\n'), { gaps: [[5]], errors: [5] });
    assert.deepEqual(incomplete('import mylib\nmylib.apply(model.add, [layers.Dense(3)])\n'), { gaps: [[5]], errors: [5] });
  });

  it("a layer of the model given to a function of the user's own module", () => {
    assert.deepEqual(incomplete('from mylib import freeze\nfreeze(model.layers[0])\n'), { gaps: [[5]], errors: [5] });
  });

  it('a condition that cannot be decided, around a change to a layer already in the model', () => {
    assert.deepEqual(incomplete('import os\nfor layer in model.layers:\n    if os.environ.get(layer.name):\n        layer.trainable = False\n'), { gaps: [[6]], errors: [6] });
  });

  it("a function of the file that changes the model, called in a loop or under a condition Model Lens cannot work out", () => {
    assert.deepEqual(incomplete('import sys\ndef add_block(units):\n    model.add(layers.Dense(units))\nfor u in sys.argv[1:]:\n    add_block(int(u))\n'), { gaps: [[7]], errors: [7] });
    assert.deepEqual(incomplete('import sys\ndef grow():\n    helper()\ndef helper():\n    model.add(layers.Dense(4))\nif len(sys.argv) > 2:\n    grow()\n'), { gaps: [[9]], errors: [9] });
  });

  it('an incomplete model used as a layer of another makes that one incomplete, at the use', () => {
    const src = 'import keras, random\nfrom keras import layers\ninner = keras.Sequential([keras.Input((8,)), layers.Dense(8)])\nif random.random() > 0.5:\n    inner.add(layers.Dense(8))\nouter = keras.Sequential([keras.Input((8,)), inner, layers.Dense(1)])\n';
    const r = readModel('m.py', src);
    assert.deepEqual(r.models.map((m) => [m.name, (m.gaps ?? []).map((g) => [g.range.line, g.after])]), [
      ['sequential', [[4, 'dense']]],
      ['sequential_1', [[6, 'sequential']]],
    ]);
  });
});

describe('summary --json', () => {
  it('complete is false for a model with an error (a layer whose argument cannot be worked out), not only for gaps', () => {
    const r = readModel('m.py', 'import keras, json\nfrom keras import layers\ncfg = json.load(open("c.json"))\nmodel = keras.Sequential([keras.Input((8,)), layers.Dense(cfg["units"])])\n');
    const j = summaryJson(r);
    assert.equal(j.models[0]!.complete, false);
    assert.equal(j.complete, false);
    const ok = summaryJson(readModel('m.py', H));
    assert.equal(ok.models[0]!.complete, true);
    assert.equal(ok.complete, true);
  });
});

describe('layers taken from another model, and partial layer constructors', () => {
  it("functools.partial(layers.Conv2D, …) as Géron's Hands-On ML writes its CNN: the fixed arguments, overridden by the call's", () => {
    const r = readModel(
      'm.py',
      'import tensorflow as tf\nfrom functools import partial\nConv = partial(tf.keras.layers.Conv2D, kernel_size=3, activation="relu", padding="SAME")\nmodel = tf.keras.Sequential([\n    Conv(filters=8, kernel_size=7, input_shape=[28, 28, 1]),\n    Conv(filters=4),\n    tf.keras.layers.Flatten(),\n])\n',
    );
    assert.deepEqual(all(r), []);
    const m = r.models[0]!;
    // Conv2D: (7·7·1 + 1)·8 = 400 and (3·3·8 + 1)·4 = 292, 'same' padding keeps 28×28.
    assert.deepEqual(m.layers.map((l) => [l.name, l.outputShape, l.params]), [
      ['input_layer', [null, 28, 28, 1], 0],
      ['conv2d', [null, 28, 28, 8], 400],
      ['conv2d_1', [null, 28, 28, 4], 292],
      ['flatten', [null, 28 * 28 * 4], 0],
    ]);
  });

  it("a functional base's layers re-added in order to a new Sequential (the Keras 2 way to swap VGG16's head) read; the base keeps its figures", () => {
    const src =
      'import keras\nfrom keras import layers\ninp = keras.Input((8,))\nx = layers.Dense(8)(inp)\nx = layers.Dense(4)(x)\nbase = keras.Model(inp, layers.Dense(3)(x))\nmodel = keras.Sequential()\nfor layer in base.layers[:-1]:\n    model.add(layer)\nfor layer in model.layers:\n    layer.trainable = False\nmodel.add(layers.Dense(2))\n';
    const r = readModel('m.py', src);
    assert.deepEqual(all(r).map((d) => d.message), []);
    const [base, model] = r.models;
    assert.equal(base!.totalParams, 72 + 36 + 15);
    assert.deepEqual(model!.layers.map((l) => l.name), ['input_layer', 'dense', 'dense_1', 'dense_3']);
    assert.equal(model!.totalParams, 72 + 36 + 10);
    assert.equal(model!.trainableParams, 10);
  });

  it('keras.Sequential(other.layers[:-1]) without an input: an error for the new model, and the other model keeps its figures', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.Dense(8), layers.Dense(4)])\nm2 = keras.Sequential(m.layers[:-1])\nm2.add(layers.Dense(2))\n');
    const [m, m2] = r.models;
    assert.equal(m!.totalParams, 72 + 36);
    assert.deepEqual(m!.diagnostics, []);
    assert.ok(m2!.diagnostics.some((d) => d.severity === 'error' && d.range.line === 4 && /layer 'dense' is already connected to 'input_layer'/.test(d.message)));
    assert.equal(summaryJson(r).models[1]!.complete, false);
  });
});

describe('raise', () => {
  it('ends the block: the lines after it in the try block are not read, and the handler Model Lens does not pick leaves the model incomplete', () => {
    assert.deepEqual(incomplete('try:\n    model.add(layers.Dense(3))\n    raise ValueError("x")\n    model.add(layers.Dense(100))\nexcept ValueError:\n    model.add(layers.Dense(2))\n'), { gaps: [[6]], errors: [6] });
  });

  it("a check that raises under a condition Model Lens decides, or cannot decide, does not stop the reading", () => {
    const m = clean('KIND = "mlp"\nif KIND not in ("mlp", "cnn"):\n    raise ValueError(KIND)\ndef head(kind):\n    if kind == "mlp":\n        return layers.Dense(2)\n    raise ValueError(kind)\nmodel.add(head(KIND))\n');
    assert.equal(m.totalParams, 72 + 32 + 36 + 10);
    const r = readModel('m.py', H + 'import os\nif os.environ.get("KIND") == "x":\n    raise SystemExit(1)\nmodel.add(layers.Dense(2))\n');
    assert.equal(r.models[0]!.totalParams, 72 + 32 + 36 + 10);
  });

  it('raised at the top level: Python stops there, so every model is incomplete at that line', () => {
    assert.deepEqual(incomplete('raise RuntimeError("not yet")\nmodel.add(layers.Dense(2))\n'), { gaps: [[4]], errors: [4] });
  });
});

describe('the image data format', () => {
  it("set_image_data_format('channels_first') is an error at its line and at every layer made after it that takes data_format", () => {
    const r = readModel('m.py', 'import keras\nfrom keras import backend as K\nfrom keras import layers\nK.set_image_data_format("channels_first")\nmodel = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])\n');
    const errors = all(r).filter((d) => d.severity === 'error').map((d) => [d.range.line, d.layer ?? null]);
    assert.deepEqual(errors, [[4, null], [5, 'conv2d']]);
    assert.equal(summaryJson(r).models[0]!.complete, false);
  });

  it("set back to 'channels_last' (Keras's default), the layers read", () => {
    clean('keras.config.set_image_data_format("channels_last")\nmodel.add(layers.Dense(2))\n');
  });
});

describe('names bound in functions', () => {
  it('global and nonlocal bind where Python binds them', () => {
    const r = readModel(
      'm.py',
      'import keras\nfrom keras import layers\nmodel = None\ndef build():\n    global model\n    model = keras.Sequential([keras.Input((8,)), layers.Dense(8)])\nbuild()\nmodel.add(layers.Dense(2))\ndef outer(m):\n    count = 0\n    def grow():\n        nonlocal count\n        count += 1\n        m.add(layers.Dense(3))\n    grow()\n    if count == 1:\n        m.add(layers.Dense(1))\nouter(model)\n',
    );
    assert.deepEqual(all(r), []);
    // Dense: (8 + 1)·8 = 72, (8 + 1)·2 = 18, (2 + 1)·3 = 9, (3 + 1)·1 = 4.
    assert.equal(r.models[0]!.totalParams, 72 + 18 + 9 + 4);
    assert.equal(r.models[0]!.variable, 'model');
  });

  it('a layer given to a method of an object Model Lens lost track of, and in no model it read: every model is incomplete there', () => {
    assert.deepEqual(incomplete('import mystuff\nholder = mystuff.Holder()\nholder.m.add(layers.Dense(2))\n'), { gaps: [[6]], errors: [6] });
  });
});

describe('tensors taken out of a Sequential model', () => {
  it("keras.io's feature extractor: keras.Model(seq.inputs, [layer.output for layer in seq.layers]) and get_layer(name=…).output", () => {
    const r = readModel(
      'm.py',
      'import keras\nfrom keras import layers\nseq = keras.Sequential([keras.Input(shape=(250, 250, 3)), layers.Conv2D(32, 5, strides=2), layers.Conv2D(32, 3, name="mid"), layers.Conv2D(32, 3)])\nall_out = keras.Model(inputs=seq.inputs, outputs=[layer.output for layer in seq.layers])\nto_mid = keras.Model(inputs=seq.inputs, outputs=seq.get_layer(name="mid").output)\nhead = keras.Model(seq.inputs, seq.layers[-2].output)\n',
    );
    assert.deepEqual(all(r), []);
    // Conv2D: (5·5·3 + 1)·32 = 2,432; (3·3·32 + 1)·32 = 9,248.
    assert.deepEqual(r.models.map((m) => [m.name, m.layers.length, m.totalParams]), [
      ['sequential', 4, 2432 + 9248 * 2],
      ['functional', 4, 2432 + 9248 * 2],
      ['functional_1', 3, 2432 + 9248],
      ['functional_2', 3, 2432 + 9248],
    ]);
  });
});

describe('attributes set after the constructor', () => {
  it("a layer argument set before the layer is built (d.units = 100) is not followed: incomplete; once built, its weights stay (no gap); __setattr__ as setattr", () => {
    assert.deepEqual(incomplete('d = layers.Dense(8)\nd.units = 100\nd.kernel_initializer = "zeros"\nmodel.add(d)\n'), { gaps: [[5]], errors: [5] });
    const built = clean('model.layers[0].units = 100\n');
    assert.equal(built.totalParams, 72 + 32 + 36);
    const frozen = clean('model.layers[0].__setattr__("trainable", False)\n');
    assert.equal(frozen.trainableParams, 16 + 36);
  });
});

describe('methods that change weights', () => {
  it("Keras 3's model.quantize(…) and layer.enable_lora(…) make the model incomplete at their line", () => {
    assert.deepEqual(incomplete('model.quantize("int8")\n'), { gaps: [[4]], errors: [4] });
    assert.deepEqual(incomplete('model.layers[0].enable_lora(2)\n'), { gaps: [[4]], errors: [4] });
  });
});

describe('a syntax error', () => {
  it('Python runs no file with one: every model is incomplete at the first, said once (as the syntax error)', () => {
    const r = readModel('m.py', H + 'model.add(layers.Dense(4)\nmodel.add(layers.Dense(2))\n');
    assert.deepEqual(r.models.map((m) => (m.gaps ?? []).map((g) => g.range.line)), [[5]]);
    assert.deepEqual(all(r).filter((d) => d.code === 'incomplete'), []);
    assert.ok(all(r).some((d) => d.code === 'syntax' && d.range.line === 5));
    assert.equal(summaryJson(r).complete, false);
  });
});

describe('methods called on a model or a layer', () => {
  it('those that read, save, train or set weight values, losses and metrics change no count: the model stays complete', () => {
    const m = clean(
      'import numpy as np\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae"])\nmodel.add_loss(lambda: 0.0)\nmodel.summary()\nmodel.count_params()\n' +
        'w = model.get_weights()\nmodel.set_weights(w)\nmodel.to_json()\nmodel.get_config()\nmodel.save("m.keras")\nmodel.save_weights("m.weights.h5")\n' +
        'model.layers[0].get_weights()\nmodel.layers[0].count_params()\nmodel.export("saved")\nmodel.reset_metrics()\n',
    );
    assert.equal(m.totalParams, 72 + 32 + 36);
  });

  it('those that add weights or layers, a layer rebuilt, or a method Keras models have not (a typo: Python stops there) leave the model incomplete at the line', () => {
    for (const call of ['model.quantize("int8")', 'model.add_weight(shape=(3,))', 'model.build_from_config({"input_shape": (None, 8)})', 'model.layers[0].add_weight(shape=(3,))', 'model.layers[0].build((None, 4))', 'model.sumary()', 'model._maybe_build((None, 8))']) {
      assert.deepEqual(incomplete(call + '\n'), { gaps: [[4]], errors: [4] }, call);
    }
  });

  it("a preprocessing layer's adapt(data) learns values, not weights: the model stays complete with the same total", () => {
    const src = (adapt: string) =>
      `import keras\nimport numpy as np\nfrom keras import layers\nnorm = layers.Normalization()\n${adapt}model = keras.Sequential([keras.Input((4,)), norm, layers.Dense(2)])\n`;
    const plain = readModel('m.py', src(''));
    const adapted = readModel('m.py', src('norm.adapt(np.zeros((10, 4)))\n'));
    assert.deepEqual(all(adapted), []);
    assert.equal(adapted.models[0]!.gaps, undefined);
    assert.equal(adapted.models[0]!.totalParams, plain.models[0]!.totalParams);
  });

  it('layer.__call__(x) is the call layer(x)', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\ninp = keras.Input((8,))\nd = layers.Dense(4)\nmodel = keras.Model(inp, d.__call__(inp))\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 36);
  });
});

describe('a float where Keras needs an int is an error at the line, not a count', () => {
  const S = 'import keras\nfrom keras import layers\nn = 128\n';
  const errorsAt = (src: string) => all(readModel('m.py', S + src)).filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`);

  it('Dense(n / 2), Dense(64.0), Conv2D(32, 3.0), Input(shape=(28 / 1, 28)), Reshape((n / 2, 2)) and build((None, 8.0)): Keras 3 raises a ValueError', () => {
    for (const [code, arg] of [
      ['keras.Sequential([keras.Input((8,)), layers.Dense(n / 2)])', 'units=n / 2'],
      ['keras.Sequential([keras.Input((8,)), layers.Dense(64.0)])', 'units=64.0'],
      ['keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(32, 3.0)])', 'kernel_size=3.0'],
      ['keras.Sequential([keras.Input(shape=(28 / 1, 28)), layers.Flatten()])', 'shape=(28 / 1, 28)'],
      ['keras.Sequential([keras.Input((n,)), layers.Reshape((n / 2, 2))])', 'target_shape=(n / 2, 2)'],
    ] as const) {
      const e = errorsAt(`model = ${code}\n`);
      assert.ok(e.some((x) => x.startsWith('4: ') && x.includes(`argument ${arg} is a float`) && x.includes('raises a ValueError')), `${code}: ${e.join('\n')}`);
      const m = readModel('m.py', S + `model = ${code}\n`).models[0]!;
      assert.equal(isComplete(m), false, code);
    }
    const built = errorsAt('model = keras.Sequential([layers.Dense(4)])\nmodel.build((None, 8.0))\n');
    assert.ok(built.some((x) => x.startsWith('5: ') && /float dimension/.test(x)), built.join('\n'));
  });

  it('// and int(...) give ints: the counts are Keras\'s', () => {
    const r = readModel('m.py', S + 'model = keras.Sequential([keras.Input((8,)), layers.Dense(n // 2), layers.Dense(int(n / 4))])\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 9 * 64 + 65 * 32);
  });

  it('range(n / 4) in a loop that adds layers: Python stops there with a TypeError, so the model is incomplete at that line', () => {
    const r = readModel('m.py', S + 'model = keras.Sequential([keras.Input((8,))])\nfor i in range(n / 64):\n    model.add(layers.Dense(8))\n');
    assert.deepEqual(r.models[0]!.gaps?.map((g) => g.range.line), [5]);
    assert.ok(all(r).some((d) => d.code === 'incomplete' && d.range.line === 5 && /TypeError: 'float' object cannot be interpreted as an integer/.test(d.message)));
  });

  it('a layer name made from a float is Python\'s (dense_32.0), as get_layer then finds it', () => {
    const r = readModel('m.py', S + 'model = keras.Sequential([keras.Input((8,)), layers.Dense(4, name=f"dense_{n / 4}")])\nmodel.get_layer("dense_32.0").trainable = False\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.trainableParams, 0);
  });
});

// Found by writing small files the way real code is written and reading Python's and Keras's
// source for what they do (each printed another total with exit 0 before).
describe('Python and Keras rules that decide what a file builds', () => {
  const S = 'import keras\nfrom keras import layers\nn = 20\nmodel = keras.Sequential([keras.Input((8,))])\n';

  it('a chained comparison is Python\'s `a < b and b < c` (0 < 20 < 10 is False, not (0 < 20) < 10)', () => {
    const r = readModel('m.py', S + 'if 0 < n < 10:\n    model.add(layers.Dense(8))\nif 10 < n <= 20 != 7:\n    model.add(layers.Dense(2))\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 18);
  });

  it('a decorator defined in the file is applied (a wrapper that calls the function twice adds two layers)', () => {
    const src = S + 'def twice(f):\n    def g():\n        f()\n        f()\n    return g\ndef repeat(k):\n    def deco(f):\n        def g():\n            for _ in range(k):\n                f()\n        return g\n    return deco\n@twice\ndef grow():\n    model.add(layers.Dense(8))\n@repeat(3)\ndef more():\n    model.add(layers.Dense(8))\ngrow()\nmore()\n';
    const r = readModel('m.py', src);
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 5 * 72);
    const unknown = readModel('m.py', S + 'def wrap(f):\n    return cache.get(f)\n@wrap\ndef grow():\n    model.add(layers.Dense(8))\ngrow()\n');
    assert.ok(unknown.models[0]!.gaps?.some((g) => g.range.line === 7), JSON.stringify(unknown.models[0]!.gaps));
  });

  it('a keyword given twice (Dense(units=10, **cfg) with cfg["units"]) is Python\'s TypeError: the program stops there', () => {
    const r = readModel('m.py', S + 'cfg = {"units": 20}\nmodel.add(layers.Dense(units=10, **cfg))\n');
    assert.ok(all(r).some((d) => d.code === 'incomplete' && d.range.line === 6 && /got multiple values for keyword argument 'units'/.test(d.message)));
    const fn = readModel('m.py', S + 'def block(units, act="relu"):\n    model.add(layers.Dense(units, activation=act))\nblock(8, units=4)\n');
    assert.ok(all(fn).some((d) => d.code === 'incomplete' && d.range.line === 7 && /multiple values for argument 'units'/.test(d.message)));
  });

  it("two layers of one model with the same name: Keras raises a ValueError (unique names), so there is no total", () => {
    const r = readModel('m.py', S + 'for i in range(2):\n    model.add(layers.Dense(8, name="d"))\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && /the name 'd' is used by two layers/.test(d.message)));
    const f = readModel('m.py', 'import keras\nfrom keras import layers\nx = keras.Input((8,), name="x")\ny = layers.Dense(4, name="x")(x)\nmodel = keras.Model(x, y)\n');
    assert.ok(all(f).some((d) => d.severity === 'error' && /the name 'x' is used by two layers/.test(d.message)));
    // One layer called twice is one operation: no error.
    const shared = readModel('m.py', 'import keras\nfrom keras import layers\nx = keras.Input((8,))\nd = layers.Dense(8, name="d")\nmodel = keras.Model(x, d(d(x)))\n');
    assert.deepEqual(all(shared), []);
  });

  it("Keras's private state (model._layers.pop()) is not followed: the model is incomplete there", () => {
    const r = readModel('m.py', S + 'model.add(layers.Dense(8))\nmodel._layers.pop()\n');
    assert.deepEqual(r.models[0]!.gaps?.map((g) => g.range.line), [6]);
  });
});

describe('a model used twice as a layer', () => {
  it('the same model twice in a Sequential is one layer called twice: its weights are counted once', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\nouter = keras.Sequential([keras.Input((4,)), m, m])\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[1]!.totalParams, 20);
  });

  it('a model called on inputs its Input shape does not take is an error (Keras checks the call), not a count', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(8)])\nouter = keras.Sequential([keras.Input((4,)), m, m])\nx = keras.Input((6,))\nf = keras.Model(x, m(x))\n');
    const errs = all(r).filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`);
    assert.ok(errs.some((e) => e.startsWith('4: ') && /takes inputs of shape \(None, 4\) and is called on \(None, 8\)/.test(e)), errs.join('\n'));
    assert.ok(errs.some((e) => e.startsWith('6: ') && /called on \(None, 6\)/.test(e)), errs.join('\n'));
  });
});

describe('Sequential.build on a model that has its input already', () => {
  it('another shape is Keras 3\'s ValueError (not the Input\'s count with exit 0); the same shape is fine', () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\nmodel = keras.Sequential()\nmodel.add(layers.Dense(4, input_shape=(8,)))\nmodel.build((None, 16))\n');
    assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === 5 && /already takes input shape \(None, 8\), so build\(\(None, 16\)\) raises/.test(d.message)));
    const same = readModel('m.py', 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((8,)), layers.Dense(4)])\nmodel.build((None, 8))\n');
    assert.deepEqual(all(same), []);
    assert.equal(same.models[0]!.totalParams, 36);
  });
});

describe('what code read once (or not at all) changes is unknown after it', () => {
  const S = 'import keras, sys, os\nfrom keras import layers\n';
  it('a constant assigned, or a list or dict changed in place, in a loop over unknown data or under an undecided condition (also inside a function it calls)', () => {
    for (const [body, line] of [
      ['units = 8\nfor u in sys.argv[1:]:\n    units = int(u)\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(units)])\n', 6],
      ['sizes = [8]\nfor u in sys.argv[1:]:\n    sizes.append(int(u))\nmodel = keras.Sequential([keras.Input((4,))] + [layers.Dense(s) for s in sizes])\n', 6],
      ['sizes = [8]\nif os.environ.get("BIG"):\n    sizes.append(64)\nmodel = keras.Sequential([keras.Input((4,))] + [layers.Dense(s) for s in sizes])\n', 6],
      ['cfg = {"units": 8}\ndef bump():\n    cfg["units"] *= 2\nwhile os.environ.get("MORE"):\n    bump()\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(cfg["units"])])\n', 8],
    ] as const) {
      const r = readModel('m.py', S + body);
      assert.equal(isComplete(r.models[0]!), false, body);
      assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === line), `${body}\n${all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n')}`);
    }
  });

  it("a model only asked for predictions in such a loop (DLWP 2nd ed.'s VAE latent grid: vae.decoder.predict) stays whole; one whose layer is changed there does not", () => {
    const pre = S + 'import numpy as np\ndecoder = keras.Sequential([keras.Input((2,)), layers.Dense(4)])\nclass Holder:\n    def __init__(self, d):\n        self.decoder = d\nh = Holder(decoder)\n';
    for (const body of ['for y in np.linspace(-1, 1, int(sys.argv[1])):\n    out = h.decoder.predict(np.array([[y, y]]))\n', 'for y in sys.argv:\n    decoder.summary()\n    print(decoder.count_params())\n']) {
      const r = readModel('m.py', pre + body);
      assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), [], body);
      assert.equal(r.models[0]!.totalParams, 12); // (2 + 1)·4
    }
    for (const body of ['for y in sys.argv:\n    decoder.get_layer("dense").trainable = False\n', 'for y in sys.argv:\n    decoder.predict(np.zeros((1, 2)))\n    decoder.add(layers.Dense(3))\n']) {
      const r = readModel('m.py', pre + body);
      assert.equal(isComplete(r.models[0]!), false, body);
    }
  });

  it("plain data read off a model in such a loop (Hvass-Labs 03C: zip(model.metrics_names, result)) leaves it whole; assigning to it does not", () => {
    const pre = S + 'model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\nresult = model.evaluate(x, y)\n';
    for (const body of ['for name, value in zip(model.metrics_names, result):\n    print(name, value)\n', 'for a in sys.argv:\n    print(model.name, model.output_shape)\n']) {
      const r = readModel('m.py', pre + body);
      assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), [], body);
      assert.equal(isComplete(r.models[0]!), true, body);
    }
    for (const body of ['for a in sys.argv:\n    model.name = a\n', 'for a in sys.argv:\n    model.layers[0].trainable = False\n']) {
      assert.equal(isComplete(readModel('m.py', pre + body).models[0]!), false, body);
    }
  });

  it("a function's local that has a model's name at module level (Hvass-Labs 22's caption loop: decoder_output = decoder_model.predict(…)) is not that model; the global itself still is", () => {
    const pre = S + 'import numpy as np\ninp = keras.Input((4,))\ndecoder_output = layers.Dense(3)(inp)\nmodel = keras.Model(inp, decoder_output)\n';
    const local = 'def caption(n):\n    k = 0\n    while k < n:\n        decoder_output = model.predict(np.zeros((1, 4)))\n        k = int(decoder_output[0, 0])\n    return k\ncaption(int(sys.argv[1]))\n';
    const r = readModel('m.py', pre + local);
    assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), []);
    assert.equal(isComplete(r.models[0]!), true);
    // Without the assignment the name is the module's tensor, and a call on it changes the model's graph in doubt.
    const global = 'def grow(n, units=decoder_output):\n    for _ in range(n):\n        model.layers[-1].trainable = False\ngrow(int(sys.argv[1]))\n';
    assert.equal(isComplete(readModel('m.py', pre + global).models[0]!), false);
  });

  it("a TextVectorization's vocabulary read (get_vocabulary, as GDL 2nd ed.'s GPT prints it) leaves the layer and the models whole", () => {
    const r = readModel('m.py', S + 'import tensorflow as tf\nv = layers.TextVectorization(max_tokens=100, output_sequence_length=9)\nv.adapt(tf.data.Dataset.from_tensor_slices(["a b", "c"]).batch(2))\nvocab = v.get_vocabulary()\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n');
    assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), []);
    assert.equal(isComplete(r.models[0]!), true);
  });

  it('a dict only read in such a loop keeps its value', () => {
    const r = readModel('m.py', S + 'cfg = {"units": 8}\nfor a in sys.argv:\n    print(cfg["units"])\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(cfg["units"])])\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 40);
  });
});

describe('a return Model Lens cannot be sure of', () => {
  const S = 'import keras, os\nfrom keras import layers\n';
  it('under a condition it cannot decide, or in a loop over unknown data: what the function gives is in doubt', () => {
    const model = readModel('m.py', S + 'def build(big):\n    if big:\n        return keras.Sequential([keras.Input((4,)), layers.Dense(64)])\n    return keras.Sequential([keras.Input((4,)), layers.Dense(8)])\nmodel = build(os.environ.get("BIG"))\n');
    assert.equal(isComplete(model.models[0]!), false);
    assert.ok(model.models[0]!.gaps?.some((g) => g.range.line === 7));
    for (const fn of ['def units(big):\n    if big:\n        return 64\n    return 8\n', 'def units(xs):\n    for x in xs:\n        if x:\n            return 64\n    return 8\n']) {
      const r = readModel('m.py', S + fn + 'model = keras.Sequential([keras.Input((4,)), layers.Dense(units(os.environ.get("BIG")))])\n');
      assert.equal(isComplete(r.models[0]!), false, fn);
    }
  });

  it('a break under such a condition leaves the loop in doubt: the layers added after it too', () => {
    const r = readModel('m.py', S + 'model = keras.Sequential([keras.Input((4,))])\nfor u in [8, 16, 32]:\n    if os.environ.get("STOP"):\n        break\n    model.add(layers.Dense(u))\n');
    assert.equal(isComplete(r.models[0]!), false);
  });

  it("such a break in a loop that names no model (DLWP 2nd ed. ch. 8 prints a tf.data dataset's first items) leaves the models whole", () => {
    const r = readModel('m.py', S + 'import numpy as np\nimport tensorflow as tf\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\ndataset = tf.data.Dataset.from_tensor_slices(np.zeros((100, 4)))\nfor i, element in enumerate(dataset):\n    print(element.shape)\n    if i >= 2:\n        break\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 10); // (4 + 1)·2
  });

  it('a value the loop assigns is unknown after such a break, and a model the loop calls a function on is in doubt', () => {
    const assigned = readModel('m.py', S + 'units = 4\nfor u in [8, 16, 32]:\n    units = u\n    if os.environ.get("STOP"):\n        break\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(units)])\n');
    assert.equal(isComplete(assigned.models[0]!), false);
    assert.ok(all(assigned).some((d) => d.severity === 'error' && d.range.line === 8), all(assigned).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
    const called = readModel('m.py', S + 'model = keras.Sequential([keras.Input((4,))])\ndef grow():\n    model.add(layers.Dense(8))\nfor _ in range(3):\n    if os.environ.get("STOP"):\n        continue\n    grow()\n');
    assert.equal(isComplete(called.models[0]!), false);
  });
});

describe('generators', () => {
  it("a generator's body runs only as it is iterated: calling it adds nothing, and a loop over it is incomplete", () => {
    const r = readModel('m.py', 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\ndef blocks():\n    model.add(layers.Dense(8))\n    yield 1\ng = blocks()\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 10);
    const loop = readModel('m.py', 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((4,))])\ndef gen(n):\n    for i in range(n):\n        yield layers.Dense(8)\nfor l in gen(2):\n    model.add(l)\n');
    assert.deepEqual(loop.models[0]!.gaps?.map((g) => g.range.line), [7]);
  });
});

describe('a conditional expression Model Lens cannot decide', () => {
  const S = 'import keras, os\nfrom keras import layers\nbig = os.environ.get("BIG")\n';
  it('a list of sizes, a layer class or a function chosen by it is unknown (was the first, taken as a guess)', () => {
    for (const [body, line] of [
      ['sizes = [64, 32] if big else [8]\nmodel = keras.Sequential([keras.Input((4,))] + [layers.Dense(s) for s in sizes])\n', 5],
      ['Layer = layers.Conv1D if big else layers.Dense\nmodel = keras.Sequential([keras.Input((4, 4)), Layer(8, 1) if False else Layer(8)])\n', 5],
      ['fn = (lambda: 8) if big else (lambda: 16)\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(fn())])\n', 5],
    ] as const) {
      const r = readModel('m.py', S + body);
      assert.equal(isComplete(r.models[0]!), false, body);
      assert.ok(all(r).some((d) => d.severity === 'error' && d.range.line === line), `${body}\n${all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n')}`);
    }
  });

  it('both sides the same, or getattr(layers, "Dense") with a constant name: read', () => {
    const r = readModel('m.py', S + 'L = layers.Dense if big else layers.Dense\nmodel = keras.Sequential([keras.Input((4,)), L(8), getattr(layers, "Dense")(2)])\n');
    assert.deepEqual(all(r), []);
    assert.equal(r.models[0]!.totalParams, 40 + 18);
  });

  it("a condition on a setting of the user's own module (config.BIG, from settings import DEBUG) is undecided, not taken as true", () => {
    for (const [head, cond] of [['import config\n', 'config.BIG'], ['from settings import DEBUG\n', 'DEBUG']] as const) {
      const r = readModel('m.py', head + H + `if ${cond}:\n    model.add(layers.Dense(10))\n`);
      assert.equal(isComplete(r.models[0]!), false, cond);
      assert.ok(all(r).some((d) => d.code === 'incomplete' && d.range.line === 5), `${cond}: ${all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n')}`);
    }
  });
});

describe("iterators (zip, map, filter, iter) are one-shot and lazy, as in Python 3", () => {
  // Dense = (in + 1)·units: Input(10) → Dense(64) 704 → Dense(32) 2,080 → Dense(3) 99 → Dense(2) 8.
  it('a second loop over a zip adds nothing; map(model.add, …) adds only when iterated; next() takes one (each counted twice or guessed before)', () => {
    const r = readModel(
      'm.py',
      [
        'import keras',
        'from keras import layers',
        'model = keras.Sequential([keras.Input(shape=(10,))])',
        'pairs = zip([64, 32], ["relu", "tanh"])',
        'for units, act in pairs:',
        '    model.add(layers.Dense(units, activation=act))',
        'for units, act in pairs:  # used up: Python runs this body no time',
        '    model.add(layers.Dense(units, activation=act))',
        'map(model.add, [layers.Dense(5)])  # never iterated: adds nothing',
        'list(map(model.add, [layers.Dense(3)]))',
        'it = iter([layers.Dense(2), layers.Dense(7)])',
        'model.add(next(it))',
        '',
      ].join('\n'),
    );
    assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), []);
    const m = r.models[0]!;
    assert.deepEqual(m.layers.map((l) => l.name), ['input_layer', 'dense', 'dense_1', 'dense_3', 'dense_4']);
    assert.equal(m.totalParams, 704 + 2080 + 99 + 8);
  });

  it('layer sizes from map/filter read; a map whose items are not known makes the model incomplete at the line', () => {
    const m = clean('sizes = list(map(int, ["6", "3"]))\nfor s in filter(lambda s: s > 4, sizes):\n    model.add(layers.Dense(s))\n');
    assert.equal(m.totalParams, 72 + 32 + 36 + (4 + 1) * 6);
    assert.deepEqual(incomplete('import os\nlist(map(model.add, [layers.Dense(int(n)) for n in os.environ["SIZES"]]))\n'), { gaps: [[5]], errors: [5] });
  });
});
