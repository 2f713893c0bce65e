// Bad input: every problem comes back as a diagnostic with file, line, column, the layer and what to change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ReadResult } from '../../../src/core/model/ir';
import { supportedLayerTypes } from '../../../src/core/keras/layer-table';
import { readModel } from '../../../src/core/read-model';
import { isComplete } from '../../../src/core/model/completeness';
import { summaryTable } from '../../../src/core/model/summary-table';

const HEAD = 'import tensorflow as tf\nfrom tensorflow.keras import layers\ninputs = tf.keras.Input(shape=(28, 28, 1))\n';
const TAIL = 'model = tf.keras.Model(inputs, x)\n';

function read(body: string, file = 'bad.py'): ReadResult {
  return readModel(file, HEAD + body + TAIL);
}
function all(r: ReadResult): Diagnostic[] {
  return [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
}
function only(r: ReadResult): Diagnostic {
  const ds = all(r);
  assert.equal(ds.length, 1, `exactly one diagnostic, got: ${ds.map((d) => d.message).join(' | ')}`);
  return ds[0]!;
}

describe('reader diagnostics', () => {
  it('a syntax error is reported at its line, and the rest of the file is still read', () => {
    const r = read('x = layers.Flatten()(inputs)\ny = = 3\n');
    const ds = all(r);
    assert.equal(ds.length, 1, ds.map((d) => d.message).join(' | '));
    assert.equal(ds[0]!.code, 'syntax');
    assert.equal(ds[0]!.file, 'bad.py');
    assert.equal(ds[0]!.range.line, 5);
    assert.match(ds[0]!.message, /syntax error/);
    assert.equal(r.models[0]!.layers.length, 2); // input_layer + flatten
  });

  it('a statement with a syntax error is skipped, not half-read', () => {
    const r = read('x = layers.Conv2D(32, (3, 3)(inputs)\n');
    const ds = all(r);
    assert.equal(ds[0]!.code, 'syntax');
    assert.ok(!ds.some((d) => d.code === 'unresolved-argument' || d.code === 'bad-call'), ds.map((d) => d.message).join(' | '));
  });

  it('a missing colon is a syntax error', () => {
    const r = readModel('f.py', 'import keras\nif True\n    x = 1\n');
    const d = all(r).find((x) => x.code === 'syntax')!;
    assert.equal(d.range.line, 2);
  });

  it('a float with a trailing dot (`/ 255.`) and notebook magics are not errors', () => {
    const r = readModel('f.py', '%matplotlib inline\nimport keras\nx = 1 / 255.  # scale\ny = 3.\n');
    assert.deepEqual(all(r), []);
  });

  it('an unsupported layer names the supported ones and the place', () => {
    const d = only(read('x = layers.Reshape((28, 28))(inputs)\nx = layers.MelSpectrogram(32)(x)\n'));
    assert.equal(d.code, 'unsupported-layer');
    assert.equal(d.severity, 'error');
    assert.equal(d.layer, 'mel_spectrogram');
    assert.deepEqual([d.range.line, d.range.column], [5, 5]);
    assert.match(d.message, /^MelSpectrogram is not supported/);
    for (const t of supportedLayerTypes()) assert.ok(d.message.includes(t), `names ${t}`);
  });

  it('a misspelt layer class suggests the right one', () => {
    const d = only(read('x = layers.Conv2d(8, 3)(inputs)\n'));
    assert.match(d.message, /did you mean Conv2D\?/);
  });

  it('an unknown argument is pointed at, with a suggestion', () => {
    const d = only(read("x = layers.Conv2D(32, 3, kernal_initializer='he_normal')(inputs)\n"));
    assert.equal(d.code, 'unknown-argument');
    assert.deepEqual([d.range.line, d.range.column], [4, 45]); // the value of the argument
    assert.match(d.message, /^Conv2D 'conv2d' has no argument 'kernal_initializer' \(did you mean 'kernel_initializer'\?\)/);
  });

  it('a missing required argument and a bad value are errors', () => {
    assert.match(only(read('x = layers.Conv2D(8)(inputs)\n')).message, /Conv2D 'conv2d' needs the argument 'kernel_size'/);
    const bad = only(read("x = layers.Conv2D(8, 3, padding='full')(inputs)\n"));
    assert.equal(bad.code, 'bad-argument');
    assert.match(bad.message, /padding='full': expected 'valid' or 'same'/);
    assert.match(only(read("x = layers.Conv2D(8, 3, activation='rellu')(inputs)\n")).message, /unknown activation/);
    assert.match(only(read('x = layers.Conv2D(8, 3, strides=0)(inputs)\n')).message, /positive integer/);
  });

  it('an argument whose value cannot be worked out says so', () => {
    const d = only(read('x = layers.Dense(get_units())(layers.Flatten()(inputs))\n'));
    assert.equal(d.code, 'unresolved-argument');
    assert.match(d.message, /units=get_units\(\)/);
  });

  it('Dense on a 4-D tensor without Flatten says to add Flatten', () => {
    const r = read('x = layers.Conv2D(8, 3)(inputs)\nx = layers.Dense(10)(x)\n');
    const d = only(r);
    assert.equal(d.code, 'shape');
    assert.equal(d.layer, 'dense');
    assert.equal(d.range.line, 5);
    assert.match(d.message, /4-D tensor \(None, 26, 26, 8\).*Add layers\.Flatten\(\)/);
    // Keras semantics are kept for the figures: the last axis only.
    assert.deepEqual(r.models[0]!.layers[2]!.outputShape, [null, 26, 26, 10]);
  });

  it('Add of different shapes is an error naming both shapes', () => {
    const d = only(read("a = layers.Conv2D(8, 3)(inputs)\nb = layers.Conv2D(8, 3, padding='same')(inputs)\nx = layers.Add()([a, b])\n"));
    assert.equal(d.layer, 'add');
    assert.equal(d.range.line, 6);
    assert.match(d.message, /different shapes: \(None, 26, 26, 8\) and \(None, 28, 28, 8\)/);
  });

  it('Add with broadcastable 1-sized axes is fine, like Keras', () => {
    const r = read('a = layers.Conv2D(8, 3)(inputs)\nb = layers.GlobalAveragePooling2D(keepdims=True)(a)\nx = layers.Add()([a, b])\n');
    assert.deepEqual(all(r), []);
    assert.deepEqual(r.models[0]!.layers.at(-1)!.outputShape, [null, 26, 26, 8]);
  });

  it('Concatenate with mismatching non-axis dims, Reshape with the wrong count and a too-small input are errors', () => {
    assert.match(only(read("a = layers.Conv2D(8, 3)(inputs)\nb = layers.Conv2D(8, 3, padding='same')(inputs)\nx = layers.Concatenate()([a, b])\n")).message, /differ on axis 1/);
    assert.match(only(read('x = layers.Reshape((10, 10))(inputs)\n')).message, /784 values.*100 values/);
    assert.match(only(read('x = layers.Reshape((-1, 5))(inputs)\n')).message, /not divisible/);
    assert.match(only(read('x = layers.Conv2D(8, 30)(inputs)\n')).message, /30×30 window does not fit the 28×28 input/);
    assert.match(only(read('x = layers.Add()(inputs)\n')).message, /at least 2 tensors/);
  });

  it('shape errors do not cascade: later layers just have unknown shapes', () => {
    const r = read('x = layers.Reshape((10, 10))(inputs)\nx = layers.Flatten()(x)\nx = layers.Dense(3)(x)\n');
    assert.equal(all(r).length, 1);
    assert.equal(r.models[0]!.layers.at(-1)!.outputShape, null);
  });

  it('a model whose outputs need an input it does not list is an error', () => {
    const d = only(read('other = tf.keras.Input(shape=(4,))\nx = layers.Concatenate()([layers.Flatten()(inputs), other])\n'));
    assert.equal(d.code, 'bad-model');
    assert.match(d.message, /depend on 'input_layer_1' \(line 4\).*add it to inputs/);
  });

  it('arithmetic on Keras tensors of shapes that do not broadcast is an error at the line naming both shapes', () => {
    // Keras 3 records `y + inputs` as an Add operation; numpy's rules refuse (26, 26, 2) with (28, 28, 1).
    const d = only(read('y = layers.Conv2D(2, 3)(inputs)\nx = y + inputs\n'));
    assert.equal(d.severity, 'error');
    assert.equal(d.range.line, 5);
    assert.match(d.message, /\(None, 26, 26, 2\) and \(None, 28, 28, 1\) cannot be broadcast/);
  });

  it('a Sequential model without an input shape is an error (Keras cannot print its summary either), not a total of 0', () => {
    const r = readModel('s.py', 'from keras import Sequential, layers\nmodel = Sequential([layers.Dense(3), layers.Dense(2)])\n');
    const d = only(r);
    assert.equal(d.severity, 'error');
    assert.match(d.message, /keras\.Input\(shape=/);
    assert.equal(r.models[0]!.layers.length, 2);
    assert.equal(r.models[0]!.layers[0]!.outputShape, null);
  });

  it('a layer problem outside any model is still reported', () => {
    const r = readModel('f.py', 'from keras import layers\nlayers.MelSpectrogram(3)\n');
    assert.equal(r.models.length, 0);
    assert.equal(r.diagnostics[0]!.code, 'unsupported-layer');
  });

  it('JSON: invalid JSON gives line and column; unsupported layers are named', () => {
    const bad = readModel('m.json', '{\n  "modelTopology": {\n    "class_name": \n  }\n}');
    assert.equal(bad.diagnostics[0]!.code, 'syntax');
    assert.equal(bad.diagnostics[0]!.range.line, 4);
    const lstm = readModel(
      'm.json',
      JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 3, 4], name: 'in' } }, { class_name: 'MelSpectrogram', config: { name: 'lstm', fft_length: 3 } }] } } }, null, 1),
    );
    const d = all(lstm).find((x) => x.code === 'unsupported-layer')!;
    assert.equal(d.layer, 'lstm');
    assert.ok(d.range.line > 1);
    assert.equal(readModel('m.json', '{"weights": []}').diagnostics[0]!.code, 'not-a-model');
  });

  it('never throws, whatever the input', () => {
    const inputs = ['', '(((', 'x = layers.Conv2D(', 'import', '{', 'def f(:\n  return', 'model = tf.keras.Model(inputs=1, outputs=2)', '\u0000\uffff', 'for i in range(10**9):\n  pass'];
    for (const text of inputs) {
      for (const file of ['x.py', 'x.json']) {
        const r = readModel(file, text);
        assert.equal(r.file, file);
        assert.ok(Array.isArray(r.models));
      }
    }
  });
});

// Keras 1's API (keras/legacy/interfaces.py of Keras 2.0–2.3 lists each rename it converted):
// tf.keras and Keras 3 refuse the old keywords and read Conv2D(32, 3, 3) as a 3-wide kernel, strides 3.
describe("files written for Keras 1", () => {
  it("an old keyword names the Keras 2 argument to use (Dense init=, Conv2D border_mode=, Dropout p=, LSTM dropout_W=)", () => {
    for (const [call, old, now] of [
      ["layers.Dense(10, init='uniform')", 'init', 'kernel_initializer'],
      ["layers.Conv2D(8, 3, border_mode='same')", 'border_mode', 'padding'],
      ['layers.Dropout(p=0.5)', 'p', 'rate'],
      ['layers.LSTM(4, dropout_W=0.2)', 'dropout_W', 'dropout'],
      ['layers.Embedding(100, 8, W_regularizer=None)', 'W_regularizer', 'embeddings_regularizer'],
    ] as const) {
      const d = all(read(`x = ${call}(inputs)\n`)).find((x) => x.code === 'unknown-argument');
      assert.ok(d, call);
      assert.equal(d.severity, 'error', call);
      assert.equal(d.range.line, 4, call);
      assert.match(d.message, new RegExp(`'${old}' is Keras 1's name for '${now}'.*rename it to ${now}`), call);
    }
  });

  it('Convolution2D(32, 3, 3) warns that Keras 3 reads strides=3 (the figures shown are Keras 3\'s); Conv2D(64, 3, 2) and strides= do not', () => {
    const r = read('x = layers.Convolution2D(32, 3, 3)(inputs)\n');
    const d = only(r);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /Keras 1's way to write a 3×3 kernel.*kernel_size=3, strides=3.*Conv2D\(filters, \(3, 3\)\)/);
    // (28 − 3) // 3 + 1 = 9: Keras 3's shape, as the warning says.
    assert.deepEqual(r.models[0]!.layers[1]!.outputShape, [null, 9, 9, 32]);
    assert.equal(only(read('x = layers.Conv2D(32, 5, 5)(inputs)\n')).severity, 'warning');
    for (const ok of ['layers.Conv2D(64, 3, 2)', 'layers.Convolution2D(32, 3, strides=3)', 'layers.Conv2D(32, (3, 3))']) assert.deepEqual(all(read(`x = ${ok}(inputs)\n`)), [], ok);
  });

  it('keras.Model(input=, output=) and fit(nb_epoch=) name the Keras 2 keywords; fit is not read with 1 epoch in silence', () => {
    const m = readModel('m.py', HEAD + 'x = layers.Flatten()(inputs)\nmodel = tf.keras.Model(input=inputs, output=x)\n');
    assert.match(all(m).map((d) => d.message).join('\n'), /'input' is Keras 1's name for 'inputs'/);
    const f = readModel('m.py', HEAD + 'x = layers.Flatten()(inputs)\n' + TAIL + 'model.fit(x_train, y_train, nb_epoch=10)\n');
    const d = all(f).find((x) => /nb_epoch/.test(x.message));
    assert.ok(d, all(f).map((x) => x.message).join('\n'));
    assert.equal(d.severity, 'error');
    assert.equal(d.range.line, 6);
    assert.match(d.message, /'nb_epoch' is Keras 1's name for 'epochs'/);
    // A problem with how fit is written stops training, not the counts: they are still Keras's.
    const fitted = f.models[0]!;
    assert.equal(isComplete(fitted), true);
    assert.doesNotMatch(summaryTable(fitted, 'm.py'), /ERRORS|not Keras's/);
  });
});

describe('a Sequential list whose first item is not a Keras layer Model Lens knows', () => {
  // A TensorFlow Hub layer (DeepLearning.AI "TensorFlow: Advanced Techniques" C2W3): it carries the input shape.
  const src = ['import tensorflow as tf', 'import tensorflow_hub as hub', 'model = tf.keras.Sequential([', "    hub.KerasLayer('data/resnet_50_feature_vector', input_shape=(224, 224, 3)),", "    tf.keras.layers.Dense(2, activation='softmax'),", '])', ''].join('\n');
  it('names the item, and does not also say the model has no input shape (the item may carry it)', () => {
    const r = readModel('hub.py', src);
    const ds = all(r).filter((d) => d.severity === 'error');
    assert.equal(ds.length, 1, ds.map((d) => d.message).join(' | '));
    assert.match(ds[0]!.message, /^cannot tell what 'hub\.KerasLayer\('data\/resnet_50_feature_vector'.*' is \(not a Keras layer Model Lens knows\), so model 'sequential' may be incomplete here/);
    assert.equal(isComplete(r.models[0]!), false);
  });
  it('a Sequential with known layers and no input shape still says so', () => {
    const r = readModel('s.py', 'import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\n');
    assert.ok(all(r).some((d) => d.code === 'no-input-shape'));
  });
});

describe('a size written as a string (Dense(units=\'128\'), as in a DeepLearning.AI lab run on tf.keras 2)', () => {
  it('says that tf.keras 2 converted it and Keras 3 does not, at the argument', () => {
    // Keras 3.13 Dense: "Received an invalid value for `units`, expected a positive integer" for anything not an int.
    const r = read("x = layers.Flatten()(inputs)\nx = layers.Dense(units='128')(x)\n");
    const d = only(r);
    assert.equal(d.severity, 'error');
    assert.equal(d.range.line, 5);
    assert.match(d.message, /units='128': expected a positive integer, got the string '128': tf\.keras 2 turned it into a number with int\(\), Keras 3 does not; write 128 without quotes/);
  });
});
