// The CLI's train refuses a model with a layer TF.js cannot build, naming the layer and why,
// before starting the engine; summary still prints its shapes and counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { trainCommand } from '../../../src/cli/train';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-untrainable-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('train names the layer that cannot train and says why (exit 1, no engine started)', async () => {
  const file = path.join(dir, 'augment.py');
  fs.writeFileSync(
    file,
    `import keras
from keras import layers
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Lambda(lambda t: t * 2, output_shape=(28, 28, 1))(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`,
  );
  const lines: string[] = [];
  const errors: string[] = [];
  const io: CliIO = { out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
  const code = await trainCommand([file], io);
  assert.equal(code, 1);
  assert.match(errors.join('\n'), /cannot be trained: layer 'lambda' \(Lambda, line 4\) cannot be trained here: Lambda runs Python code, which Model Lens never executes/);
});

test('the vocabulary and hashing layers (and an adapt()-learned lookup) are refused naming the layer and what to do instead', async () => {
  const cases: [string, string, string, RegExp][] = [
    ["layers.StringLookup(vocabulary=['a', 'b', 'c'])", "dtype='string'", 'string_lookup', /\(StringLookup, line 5\) cannot be trained here: StringLookup maps strings to indices.*run it outside the model/],
    ['layers.TextVectorization(max_tokens=100, output_sequence_length=3)', "dtype='string', shape=(1,)", 'text_vectorization', /\(TextVectorization, line 5\) cannot be trained here: TextVectorization splits text.*vectorize the text outside the model/],
    ['layers.Hashing(num_bins=8)', "dtype='int64'", 'hashing', /\(Hashing, line 5\) cannot be trained here: Hashing has no TF\.js version.*FarmHash.*hash outside the model/],
    ['layers.IntegerLookup(vocabulary=[3, 5, 7])', "dtype='int64'", 'integer_lookup', /\(IntegerLookup, line 5\) cannot be trained here: IntegerLookup has no TF\.js version.*map the integers outside the model/],
    ['layers.Discretization(bin_boundaries=[0.0, 1.0])', "dtype='float32'", 'discretization', /\(Discretization, line 5\) cannot be trained here: Discretization has no TF\.js version.*bucket the values outside the model/],
  ];
  for (const [layer, dtype, name, why] of cases) {
    const file = path.join(dir, `${name}.py`);
    fs.writeFileSync(
      file,
      `import keras
from keras import layers
inputs = keras.Input(${dtype.includes('shape=') ? dtype : `shape=(3,), ${dtype}`})
x = inputs
x = ${layer}(x)
x = layers.Embedding(200, 4)(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`,
    );
    const errors: string[] = [];
    const io: CliIO = { out: () => undefined, err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
    assert.equal(await trainCommand([file], io), 1, name);
    assert.match(errors.join('\n'), new RegExp(`layer '${name}' ${why.source}`), name);
    assert.match(errors.join('\n'), /Its graph, shapes and parameter counts still work\./);
  }
  // A lookup that learns its vocabulary with adapt() (data the reader never runs) is refused the same way.
  const adapted = path.join(dir, 'adapted.py');
  fs.writeFileSync(
    adapted,
    `import keras
from keras import layers
lookup = layers.StringLookup()
lookup.adapt(['a', 'b', 'c'])
inputs = keras.Input(shape=(3,), dtype='string')
x = lookup(inputs)
x = layers.Embedding(10, 4)(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
`,
  );
  const errors: string[] = [];
  assert.equal(await trainCommand([adapted], { out: () => undefined, err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 }), 1);
  assert.match(errors.join('\n'), /layer 'string_lookup' \(StringLookup, line 3\) cannot be trained here: StringLookup maps strings/);
});
