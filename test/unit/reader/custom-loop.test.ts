// A subclassed model that is only ever called inside a custom training loop, in the style of
// TensorFlow's "advanced" quickstart (issue 10): layers made in __init__, wired in call, a
// tf.data dataset, a GradientTape step under @tf.function. The files are ours; the figures are
// Keras's as printed by model.summary() after such a loop on MNIST (28×28×1 batches):
//   conv2d (Conv2D) 320, flatten (Flatten) 0, dense (Dense) 2769024, dense_1 (Dense) 1290,
//   Total params: 2,770,634 / Trainable params: 2,770,634 / Non-trainable params: 0
// printed at the end of two scripts that run the quickstart (search index ids 36546682960 and
// 6263773151; the second names its model "my_model_1" and the same counts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const messages = (r: ReadResult) => all(r).map((d) => `${d.range.line}: ${d.message}`);
const rows = (m: ModelIR) => m.layers.filter((l) => l.type !== 'InputLayer').map((l) => [l.name, l.type, l.params]);
const PRINTED = [
  ['conv2d', 'Conv2D', 320],
  ['flatten', 'Flatten', 0],
  ['dense', 'Dense', 2769024],
  ['dense_1', 'Dense', 1290],
];
const TOTAL = 2770634;

const NET = `import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


class DigitNet(tf.keras.Model):
    def __init__(self, classes=10):
        super().__init__()
        self.features = layers.Conv2D(32, 3, activation="relu")
        self.flat = layers.Flatten()
        self.hidden = layers.Dense(128, activation="relu")
        self.logits = layers.Dense(classes)

    def call(self, inputs, training=False):
        h = self.features(inputs)
        h = self.hidden(self.flat(h))
        return self.logits(h)


net = DigitNet()
xent = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
opt = tf.keras.optimizers.Adam()
mean_loss = tf.keras.metrics.Mean(name="loss")
hits = tf.keras.metrics.SparseCategoricalAccuracy(name="accuracy")


@tf.function
def fit_batch(images, labels):
    with tf.GradientTape() as tape:
        guesses = net(images, training=True)
        loss = xent(labels, guesses)
    grads = tape.gradient(loss, net.trainable_variables)
    opt.apply_gradients(zip(grads, net.trainable_variables))
    mean_loss(loss)
    hits(labels, guesses)


def check_batch(images, labels):
    guesses = net(images, training=False)
    mean_loss.update_state(xent(labels, guesses))
    hits.update_state(labels, guesses)
`;

const MNIST = `(train_x, train_y), (test_x, test_y) = tf.keras.datasets.mnist.load_data()
train_x, test_x = train_x / 255.0, test_x / 255.0
train_x = train_x[..., tf.newaxis].astype("float32")
test_x = test_x[..., tf.newaxis].astype("float32")
train_ds = tf.data.Dataset.from_tensor_slices((train_x, train_y)).shuffle(10000).batch(32)
test_ds = tf.data.Dataset.from_tensor_slices((test_x, test_y)).batch(32)
`;

const LOOP = `for epoch in range(3):
    mean_loss.reset_state()
    hits.reset_states()
    for images, labels in train_ds:
        fit_batch(images, labels)
    for images, labels in test_ds:
        check_batch(images, labels)
    print(f"epoch {epoch + 1}: loss {mean_loss.result():.3f}, accuracy {hits.result() * 100:.2f}")
`;

function read(text: string): ReadResult {
  return readModel('/tmp/quickstart/loop.py', text);
}
function complete(text: string): ModelIR {
  const r = read(text);
  assert.deepEqual(messages(r), []);
  assert.equal(r.models.length, 1);
  return r.models[0]!;
}

describe('a subclassed model built by its custom training loop', () => {
  it("reads as Keras prints it after TensorFlow's advanced quickstart (tf.data batches, GradientTape step, metrics)", () => {
    const m = complete(NET + MNIST + LOOP);
    assert.deepEqual(rows(m), PRINTED);
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [TOTAL, TOTAL, 0]);
    assert.equal(m.gaps, undefined);
    // The first batch, (32, 28, 28, 1), builds it: the input axis is the image's.
    assert.deepEqual(m.layers[0]!.outputShape, [null, 28, 28, 1]);
    assert.equal(m.training.dataset, 'mnist');
  });

  it('for step, (x, y) in enumerate(train_ds), with the step number used in the body', () => {
    const loop = 'for step, (x, y) in enumerate(train_ds):\n    fit_batch(x, y)\n    if step % 100 == 0:\n        print(step, mean_loss.result())\n';
    const m = complete(NET + MNIST + loop);
    assert.equal(m.totalParams, TOTAL);
  });

  it('built before the loop by a call on tf.zeros or by model.build, over a dataset of .npz arrays whose shape Model Lens does not follow', () => {
    const npz = 'with np.load("digits.npz") as f:\n    xs, ys = f["x_train"], f["y_train"]\ntrain_ds = tf.data.Dataset.from_tensor_slices((xs / 255.0, ys)).shuffle(1024).batch(64)\n';
    for (const build of ['net(tf.zeros((1, 28, 28, 1)))\n', 'net.build((None, 28, 28, 1))\n']) {
      const m = complete(NET + npz + build + 'for xb, yb in train_ds:\n    fit_batch(xb, yb)\n');
      assert.equal(m.totalParams, TOTAL, build);
    }
  });

  it('over a dataset of numpy arrays made in the file (labels not followed), or of images alone', () => {
    const arrays = 'xs = np.random.rand(600, 28, 28, 1).astype("float32")\nys = np.random.randint(0, 10, size=(600,))\n';
    const paired = complete(NET + arrays + 'ds = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(32)\nfor xb, yb in ds:\n    fit_batch(xb, yb)\n');
    assert.equal(paired.totalParams, TOTAL);
    const alone = complete(NET + arrays + 'ds = tf.data.Dataset.from_tensor_slices(xs).shuffle(600).batch(16)\nfor xb in ds:\n    net(xb)\n');
    assert.equal(alone.totalParams, TOTAL);
  });

  it('built by a batch taken with next(iter(ds)) or next(ds.as_numpy_iterator())', () => {
    for (const take of ['first_x, first_y = next(iter(train_ds))\n', 'first_x, first_y = next(train_ds.as_numpy_iterator())\n']) {
      const m = complete(NET + MNIST + take + 'net(first_x)\n');
      assert.equal(m.totalParams, TOTAL, take);
    }
  });

  it('not built when the batches have no known shape and nothing else builds it: the model is incomplete at the call, with what to add', () => {
    const npz = 'data = np.load("digits.npz")\ntrain_ds = tf.data.Dataset.from_tensor_slices((data["x_train"], data["y_train"])).batch(64)\n';
    const r = read(NET + npz + 'for xb, yb in train_ds:\n    fit_batch(xb, yb)\n');
    const m = r.models[0]!;
    assert.ok(m.gaps?.some((g) => /cannot tell the shape of the data model 'digit_net' is called on .*model\.build\(\(None, /.test(g.message)), JSON.stringify(m.gaps));
  });

  it('an unbatched dataset gives single samples, which build nothing: the model is not read as built', () => {
    const ds = MNIST.replace('.shuffle(10000).batch(32)', '');
    const r = read(NET + ds + 'for image, label in train_ds:\n    fit_batch(image, label)\n');
    const m = r.models[0]!;
    assert.equal(m.totalParams, 0);
    assert.ok(m.gaps?.some((g) => /\.batch\(n\)/.test(g.message)), JSON.stringify(m.gaps));
  });

  it('a loop body that changes the model on every batch leaves it incomplete at the loop (not read once and trusted)', () => {
    const seq = `import tensorflow as tf
(x, y), _ = tf.keras.datasets.mnist.load_data()
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(10)])
for xb, yb in ds:
    model.add(tf.keras.layers.Dense(10))
`;
    const r = read(seq);
    const m = r.models[0]!;
    assert.ok(m.gaps?.some((g) => g.range.line === 5 && /runs once per batch/.test(g.message)), JSON.stringify(m.gaps));
  });

  it('a change that depends on a count kept across batches leaves it incomplete too', () => {
    const counted = NET + MNIST + `seen = 0
for xb, yb in train_ds:
    fit_batch(xb, yb)
    seen += 1
    if seen == 500:
        net.hidden.trainable = False
`;
    const r = read(counted);
    const m = r.models[0]!;
    assert.ok(m.gaps && m.gaps.length > 0, 'the model must be incomplete');
    assert.ok(messages(r).some((t) => /seen == 500/.test(t)), messages(r).join('\n'));
  });

  it('a module constant a called function changes through `global` is unknown after the loop: a layer sized by it is incomplete, not sized by the first pass', () => {
    const seq = `import tensorflow as tf
(x, y), _ = tf.keras.datasets.mnist.load_data()
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
width = 8
def step(xb, yb):
    global width
    width = width * 2
for xb, yb in ds:
    step(xb, yb)
model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(width)])
`;
    const r = read(seq);
    const m = r.models[0]!;
    assert.ok(!m.layers.some((l) => l.type === 'Dense' && (l.params === 28 * 28 * 16 + 16 || l.params === 28 * 28 * 32 + 32)), 'a Dense sized by a guess of the passes');
    assert.ok((m.gaps?.length ?? 0) > 0 || m.diagnostics.some((d) => d.severity === 'error'), `the model must be incomplete: ${messages(r).join(' | ')}`);
    assert.ok(all(r).some((d) => d.range.line === 10), messages(r).join('\n'));
  });

  it("gives Train the loop's loss (from_logits kept), optimizer, batch size and data when the file has no compile()", () => {
    const m = complete(NET.replace('tf.keras.optimizers.Adam()', 'tf.keras.optimizers.SGD(learning_rate=0.05)') + MNIST + LOOP);
    const t = m.training;
    // LOOP runs `for epoch in range(3)` around the loop over train_ds.
    assert.deepEqual([t.loss, t.fromLogits, t.optimizer?.name, t.optimizer?.learningRate, t.batchSize, t.epochs, t.dataset], ['sparse_categorical_crossentropy', true, 'SGD', 0.05, 32, 3, 'mnist']);
    // The training step's loss call (in fit_batch), not the test step's.
    const lines = (NET + MNIST + LOOP).split('\n');
    assert.match(lines[t.customLoopLine! - 1]!, /loss = xent\(labels, guesses\)/);
    assert.equal(t.compileLine, undefined);
  });

  it("TensorFlow 2's short aliases tf.losses, tf.optimizers, tf.metrics are Keras's classes", () => {
    const net = NET.replace('tf.keras.losses.', 'tf.losses.').replace('tf.keras.optimizers.Adam()', 'tf.optimizers.Adam(learning_rate=0.002)').replaceAll('tf.keras.metrics.', 'tf.metrics.');
    const m = complete(net + MNIST + LOOP);
    assert.deepEqual([m.totalParams, m.training.loss, m.training.fromLogits, m.training.optimizer?.name, m.training.optimizer?.learningRate], [TOTAL, 'sparse_categorical_crossentropy', true, 'Adam', 0.002]);
  });

  it('compile() decides the loss and optimizer even when a custom loop follows', () => {
    const m = complete(NET + MNIST + 'net.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n' + LOOP);
    assert.deepEqual([m.training.loss, m.training.optimizer?.name, m.training.customLoopLine], ['sparse_categorical_crossentropy', 'RMSprop', undefined]);
  });

  it('losses, metrics, the tape and the optimizer change no layer: nothing is said about them', () => {
    const m = complete(NET + MNIST + 'for xb, yb in train_ds:\n    with tf.GradientTape() as tape:\n        out = net(xb, training=True)\n        loss = xent(yb, out)\n    opt.minimize(loss, net.trainable_variables, tape=tape)\n    hits.update_state(yb, out)\nprint(hits.result())\n');
    assert.equal(m.totalParams, TOTAL);
  });
});

describe('a GAN training step (Gulli et al., ch. 6 DCGAN_MNIST.ipynb: "sequential" 393,729, "sequential_1" 856,193)', () => {
  const file = 'test/unit/fixtures/published/gulli_dcgan_mnist.py';
  it('reads the loop under tqdm(range(n)), and the critic called on the generator\'s output adds nothing and is no error', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const r = readModel(file, fs.readFileSync(path.resolve(__dirname, '../../..', file), 'utf8'));
    assert.deepEqual(messages(r), []);
    assert.deepEqual(r.models.map((m) => [m.name, m.totalParams, m.nonTrainableParams, m.gaps?.length ?? 0]), [
      ['sequential', 393729, 896, 0],
      ['functional', 393729, 896, 0],
      ['sequential_1', 856193, 384, 0],
      ['functional_1', 856193, 384, 0],
    ]);
  });

  it('a model changed inside a tqdm loop is read as the loop runs (Dense: (4 + 1)·4 per layer)', () => {
    const src = ['import keras', 'from tqdm.auto import tqdm', 'model = keras.Sequential([keras.Input((4,))])', 'for i in tqdm(range(3), desc="layers"):', '    model.add(keras.layers.Dense(4))', ''].join('\n');
    const r = readModel('t.py', src);
    assert.deepEqual(messages(r), []);
    assert.deepEqual(rows(r.models[0]!), [['dense', 'Dense', 20], ['dense_1', 'Dense', 20], ['dense_2', 'Dense', 20]]);
  });

  it("a callback's sampling comprehension over predictions, named like a module tensor (GDL 2nd ed. PixelCNN's ImageGenerator), leaves the model complete", () => {
    // The module's x is a tensor of the model; the comprehension's own x is the callback's: Python 3
    // keeps them apart, so nothing about the model is in doubt. Dense(8) on 4: (4 + 1)·8 = 40; Dense(2): (8 + 1)·2 = 18.
    const src = [
      'import numpy as np',
      'import keras',
      'from keras import layers, callbacks',
      'inputs = keras.Input((4,))',
      'x = layers.Dense(8)(inputs)',
      'net = keras.Model(inputs, layers.Dense(2, activation="softmax")(x))',
      'class Sampler(callbacks.Callback):',
      '    def __init__(self, n):',
      '        self.n = n',
      '    def draw(self, p):',
      '        return np.random.choice(len(p), p=p)',
      '    def generate(self):',
      '        batch = np.zeros((self.n,) + net.input_shape[1:])',
      '        for i in range(4):',
      '            probs = self.model.predict(batch, verbose=0)',
      '            batch[:, i] = [self.draw(x) for x in probs]',
      '        return batch',
      'sampler = Sampler(3)',
      'net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")',
      'net.fit(np.zeros((16, 4)), np.zeros((16,)), epochs=1, callbacks=[sampler])',
      'out = sampler.generate()',
      '',
    ].join('\n');
    const r = readModel('t.py', src);
    assert.deepEqual(messages(r), []);
    assert.equal(r.models[0]!.totalParams, 58);
  });
});
