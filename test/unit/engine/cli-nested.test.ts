// The transfer-learning pattern of keras.io's guide ("Transfer learning & fine-tuning": a
// keras.applications base with `trainable = False`, called with `training=False`, under a new head)
// trains from the command line: the file is read, the base built as a sub-model, the head trained on
// an .npz made here; the saved run evaluates and predicts. The base stays as it was built — its
// BatchNormalization statistics still at their initial 0 and 1, its kernels the same bit for bit in a
// one-epoch and a two-epoch run from the same seed — while the head's differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { CliIO } from '../../../src/cli/engine-session';
import { evaluateCommand } from '../../../src/cli/evaluate';
import { predictCommand } from '../../../src/cli/predict';
import { trainCommand } from '../../../src/cli/train';
import { readWeightsFolder } from '../../../src/worker/weights';
import { npyBytes } from '../data/make-data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-cli-nested-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const modelFile = path.join(tmp, 'transfer.py');
fs.writeFileSync(
  modelFile,
  `import keras
from keras import layers

base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(32, 32, 3), alpha=0.35)
base.trainable = False

inputs = keras.Input(shape=(32, 32, 3))
x = base(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
`,
);

/** Colour images of 3 classes (a colour each, with noise), seeded: uint8 as Keras's datasets hold them. */
function images(n: number, seed: number): { x: Uint8Array; y: Uint8Array } {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const colours = [[220, 40, 40], [40, 220, 40], [40, 40, 220]];
  const x = new Uint8Array(n * 32 * 32 * 3);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let p = 0; p < 32 * 32; p++) for (let c = 0; c < 3; c++) x[(i * 1024 + p) * 3 + c] = Math.max(0, Math.min(255, colours[y[i]!]![c]! + Math.floor((rand() - 0.5) * 120)));
  }
  return { x, y };
}

const data = path.join(tmp, 'colours.npz');
const train = images(96, 1);
const held = images(30, 2);
fs.writeFileSync(
  data,
  zipSync({
    'x_train.npy': npyBytes('|u1', [96, 32, 32, 3], train.x),
    'y_train.npy': npyBytes('|u1', [96], train.y),
    'x_test.npy': npyBytes('|u1', [30, 32, 32, 3], held.x),
    'y_test.npy': npyBytes('|u1', [30], held.y),
  }),
);

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
}

/** The saved weights by name. */
function weights(dir: string): Map<string, Float32Array> {
  const { specs, data: bytes } = readWeightsFolder(dir);
  const out = new Map<string, Float32Array>();
  let at = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    out.set(s.name, new Float32Array(bytes.slice(at, at + n * 4)));
    at += n * 4;
  }
  return out;
}

async function trainRun(epochs: number): Promise<{ events: Record<string, unknown>[]; errors: string[]; dir: string }> {
  const io = capture();
  const dir = path.join(tmp, `run-${epochs}`);
  const code = await trainCommand([modelFile, '--data', data, '--epochs', String(epochs), '--batch-size', '16', '--seed', '3', '--json', '--save', dir], io);
  assert.equal(code, 0, io.errors.join('\n'));
  return { events: io.lines.map((l) => JSON.parse(l) as Record<string, unknown>), errors: io.errors, dir };
}

test('a frozen MobileNetV2 base under a Dense head trains from the CLI; the base stays as built, the head learns', async () => {
  const one = await trainRun(1);
  // The file's last model (the one compiled) is trained, not the base it uses.
  assert.match(one.errors.join('\n'), /defines 2 models \(mobilenetv2_0\.35_32, functional\); using 'functional'/);
  const two = await trainRun(2);
  const epochs = two.events.filter((e) => e.event === 'epoch').map((e) => e.loss as number);
  assert.equal(epochs.length, 2);
  assert.ok(epochs[1]! < epochs[0]!, `epoch loss ${epochs.join(' → ')}`);
  assert.equal(two.events.at(-1)!.status, 'completed');

  const a = weights(path.join(one.dir, 'weights'));
  const b = weights(path.join(two.dir, 'weights'));
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  const base = [...a.keys()].filter((k) => !k.startsWith('dense/'));
  assert.ok(base.length > 200, `${base.length} base weights`);
  for (const k of base) assert.ok(a.get(k)!.every((v, i) => Object.is(v, b.get(k)![i])), `${k}: frozen, identical after 1 and 2 epochs`);
  const moving = base.filter((k) => k.endsWith('/moving_mean') || k.endsWith('/moving_variance'));
  assert.equal(moving.length, 2 * 52, 'MobileNetV2 has 52 BatchNormalization layers');
  for (const k of moving) assert.ok(a.get(k)!.every((v) => v === (k.endsWith('mean') ? 0 : 1)), `${k}: never updated (inference mode)`);
  assert.ok(!a.get('dense/kernel')!.every((v, i) => v === b.get('dense/kernel')![i]), 'the head trained on');

  // The run's model records Keras's counts: all of the base non-trainable, the head trainable.
  const run = JSON.parse(fs.readFileSync(path.join(two.dir, 'run.json'), 'utf8')) as { model: { trainableParams: number; nonTrainableParams: number; layers: { name: string; trainableParams: number }[] } };
  assert.equal(run.model.layers.find((l) => l.name === 'mobilenetv2_0.35_32')!.trainableParams, 0);
  assert.equal(run.model.trainableParams, run.model.layers.find((l) => l.name === 'dense')!.trainableParams);

  const ev = capture();
  assert.equal(await evaluateCommand([modelFile, '--weights', path.join(two.dir, 'weights'), '--data', data, '--json'], ev), 0, ev.errors.join('\n'));
  const e = JSON.parse(ev.lines[0]!) as { samples: number; loss: number; acc: number };
  assert.equal(e.samples, 30);
  assert.ok(Number.isFinite(e.loss) && e.acc >= 0 && e.acc <= 1);
  const pr = capture();
  assert.equal(await predictCommand([modelFile, '--weights', two.dir, '--data', data, '--sample', '0', '--json'], pr), 0, pr.errors.join('\n'));
  const p = JSON.parse(pr.lines[0]!) as { predictions: { label: number; prob: number }[]; trueLabel: number };
  assert.equal(p.trueLabel, 0);
  assert.equal(p.predictions.length, 3);
});
