/**
 * `model-lens train` on a file with no compile(): a subclassed model trained by the file's own
 * GradientTape loop is trained with that loop's loss (from_logits kept), optimizer and batch size,
 * and says so; a file with neither compile() nor such a loop says it uses Model Lens's defaults and
 * what to add.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { trainCommand } from '../../../src/cli/train';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-loop-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LOOP_FILE = `import tensorflow as tf
from tensorflow.keras import layers

(xs, ys), (xt, yt) = tf.keras.datasets.mnist.load_data()
xs = (xs / 255.0)[..., tf.newaxis].astype("float32")
batches = tf.data.Dataset.from_tensor_slices((xs, ys)).shuffle(512).batch(16)


class Small(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(4, 3, activation="relu")
        self.flat = layers.Flatten()
        self.out = layers.Dense(10)

    def call(self, x):
        return self.out(self.flat(self.conv(x)))


model = Small()
crit = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
opt = tf.keras.optimizers.SGD(learning_rate=0.1)


@tf.function
def step(x, y):
    with tf.GradientTape() as tape:
        loss = crit(y, model(x, training=True))
    opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))


for epoch in range(2):
    for x, y in batches:
        step(x, y)
`;

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 100 };
}

async function train(name: string, text: string) {
  const file = path.join(tmp, `${name}.py`);
  fs.writeFileSync(file, text);
  const io = capture();
  const code = await trainCommand([file, '--limit', '160', '--test-limit', '64', '--save', path.join(tmp, `run-${name}`), '--seed', '1', '--backend', 'cpu', '--json'], io);
  return { code, io };
}

test("a custom GradientTape loop's loss, optimizer and batch size are what training uses", async () => {
  const { code, io } = await train('loop', LOOP_FILE);
  assert.equal(code, 0, io.errors.join('\n'));
  const events = io.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const batches = events.filter((e) => e.event === 'batch');
  // 160 samples in batches of 16 (the dataset's .batch(16)), not the default 32.
  assert.equal(batches.at(-1)!.batchesPerEpoch, 10);
  // On logits, cross-entropy starts near that of a uniform guess over 10 classes; read as
  // probabilities (without from_logits) the same outputs give a far larger or undefined loss.
  const first = batches[0]!.loss as number;
  assert.ok(first > 1.5 && first < 3, `first batch loss ${first}`);
  const epoch = events.find((e) => e.event === 'epoch')!;
  assert.equal(epoch.lr, Math.fround(0.1));
});

test('the plain output says where the loss and optimizer come from', async () => {
  const file = path.join(tmp, 'plain.py');
  fs.writeFileSync(file, LOOP_FILE);
  const io = capture();
  const code = await trainCommand([file, '--limit', '32', '--test-limit', '32', '--save', path.join(tmp, 'run-plain'), '--backend', 'cpu'], io);
  assert.equal(code, 0, io.errors.join('\n'));
  // The loop's `for epoch in range(2)` is the run's epochs.
  assert.match(io.lines[0]!, /: 2 epoch\(s\), batch 16/);
  const said = io.lines.find((l) => l.startsWith('from the custom training loop'));
  const line = LOOP_FILE.split('\n').findIndex((l) => l.includes('loss = crit(')) + 1;
  assert.ok(said?.startsWith(`from the custom training loop (line ${line}): `), io.lines.join('\n'));
  assert.match(said!, /: loss sparse_categorical_crossentropy \(from_logits\) · optimizer SGD \(learning rate 0\.1\) · batch 16 · 2 epoch\(s\);/);
});

test('no compile() and no loop that trains the model: the defaults are said, with what to add', async () => {
  const file = path.join(tmp, 'bare.py');
  fs.writeFileSync(file, 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])\n');
  const io = capture();
  const code = await trainCommand([file, '--limit', '32', '--test-limit', '32', '--save', path.join(tmp, 'run-bare'), '--backend', 'cpu'], io);
  assert.equal(code, 0, io.errors.join('\n'));
  assert.ok(io.lines.some((l) => /^no compile\(\) in the file: training with loss sparse_categorical_crossentropy and optimizer Adam \(learning rate 0\.001\), Model Lens's defaults; add model\.compile\(optimizer=…, loss=…\)/.test(l)), io.lines.join('\n'));
});
