// Tensor operations in a layer class's call() that feed nothing it returns (a loss for
// self.add_loss, keras.io's captcha OCR CTCLayer): warnings, not errors, since no row or count
// depends on them. Figures: Dense (in + 1)·units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const said = (r: ReadResult) => all(r).filter((d) => d.code === 'unsupported-op').map((d) => [d.severity, d.range.line]);

const FILE = (body: string) => `import tensorflow as tf
import keras
from keras import layers

class Endpoint(layers.Layer):
    def call(self, target, pred):
${body}

x = keras.Input((6,))
t = keras.Input((3,))
p = layers.Dense(3)(x)
out = Endpoint(name="end")(t, p)
model = keras.Model([x, t], out)
`;

describe('ops that feed only add_loss', () => {
  it('a loss from ops Model Lens cannot read, given to add_loss, with the input returned: warnings at the ops, exact totals', () => {
    const r = readModel('m.py', FILE('        loss = tf.nn.ctc_loss(target, pred, None, None)\n        self.add_loss(tf.reduce_mean(loss))\n        return pred'));
    assert.deepEqual(said(r), [['warning', 7]]);
    assert.match(all(r).find((d) => d.code === 'unsupported-op')!.message, /'tf\.nn\.ctc_loss' is not read by Model Lens, but it feeds nothing that layer 'end' returns .*the summary does not depend on it/);
    const m = r.models[0]!;
    assert.equal(m.totalParams, 21); // (6 + 1)·3
    assert.deepEqual(m.layers.find((l) => l.name === 'end')?.outputShape, [null, 3]);
    assert.ok(!all(r).some((d) => d.severity === 'error'));
  });

  it('the same op on the way to what call() returns stays an error', () => {
    const r = readModel('m.py', FILE('        return tf.nn.ctc_loss(target, pred, None, None)'));
    assert.deepEqual(said(r), [['error', 7]]);
  });

  it('an unreadable op beside a returned layer output: only the op off the path is a warning', () => {
    const r = readModel('m.py', FILE('        extra = tf.nn.ctc_loss(target, pred, None, None)\n        self.add_loss(extra)\n        return layers.Dense(2)(pred)'));
    assert.deepEqual(said(r), [['warning', 7]]);
    // Dense(2) on 3 features inside the call: (3 + 1)·2 = 8, counted in the layer's row.
    assert.equal(r.models[0]!.totalParams, 21 + 8);
  });
});
