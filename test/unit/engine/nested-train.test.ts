// A model written in Python that uses another model as a layer trains: the inner model is built as a
// TF.js sub-model holding its own weights. As keras.io's transfer-learning guide documents it
// ("Transfer learning & fine-tuning"): `base_model.trainable = False` freezes every weight of the base
// (its non-trainable count is all of them), and `base_model(inputs, training=False)` keeps the base's
// BatchNormalization in inference mode while the layers around it train. The trainable count the
// worker trains is the one Keras prints (published summaries: test/unit/reader/manifest.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { ModelIR } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import { initBackend } from '../../../src/worker/backend';
import { buildModel, type BuiltModel } from '../../../src/worker/build-model';
import { loadDataset } from '../../../src/worker/data/datasets';
import { checkBatchFitsWasm } from '../../../src/worker/fatal';
import { activations } from '../../../src/worker/predict';
import { withSeededMathRandom } from '../../../src/worker/seeded-random';
import { tf } from '../../../src/worker/tf';
import { loadWeightsInto, readWeightsFolder, saveWeights } from '../../../src/worker/weights';
import { npyBytes } from '../data/make-data';

type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Layer = import('@tensorflow/tfjs-layers').layers.Layer;

const root = path.resolve(__dirname, '../../..');

test.before(async () => {
  await initBackend('wasm');
});

const read = (body: string, name?: string): ModelIR => {
  const r = readModel('m.py', `import keras\nfrom keras import layers\n${body}\n`);
  const m = name ? r.models.find((x) => x.name === name) : r.models.at(-1);
  assert.ok(m, `model ${name ?? '(last)'} read`);
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
  return m;
};

/** Seeded inputs and class labels (the class is which of the first `classes` features is largest). */
function data(n: number, shape: number[], classes: number, seed: number): { x: Tensor; y: number[] } {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const per = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n * per);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    y.push(c);
    for (let j = 0; j < per; j++) values[i * per + j] = rand() + (j % classes === c ? 1 : 0);
  }
  return { x: tf.tensor(values, [n, ...shape]), y };
}

function labels(built: BuiltModel, y: number[]): Tensor {
  return built.labels === 'sparse' ? tf.tensor2d(y, [y.length, 1]) : tf.oneHot(tf.tensor1d(y, 'int32'), built.numClasses);
}

/** Every weight of a layer (inner layers of a sub-model too), by name, copied out. */
function snapshot(layer: Layer): Map<string, Float32Array> {
  return new Map(layer.weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync() as Float32Array)]));
}

/** Built with seeded initial weights (Math.random seeded, as a seeded run builds), so every run starts alike. */
const build = (ir: ModelIR, inputScale?: number) => withSeededMathRandom(5, () => buildModel(ir, inputScale === undefined ? {} : { inputScale }));

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

function trainedCount(built: BuiltModel): number {
  return built.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

async function steps(built: BuiltModel, x: Tensor, y: number[], n: number): Promise<number[]> {
  const t = labels(built, y);
  const losses: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await built.model.trainOnBatch(x, t);
    losses.push(Array.isArray(r) ? r[0]! : r);
  }
  t.dispose();
  return losses;
}

test('Sequential([a small Sequential block, Dense]) trains: the block’s weights and the head’s all move, loss falls', async () => {
  const ir = read(`block = keras.Sequential([layers.Dense(16, activation='relu'), layers.Dense(8, activation='relu')], name='block')
model = keras.Sequential([keras.Input(shape=(6,)), block, layers.Dense(3, activation='softmax')], name='outer')
model.compile(optimizer=keras.optimizers.Adam(0.02), loss='sparse_categorical_crossentropy')`, 'outer');
  assert.equal(trainingBlocker(ir), undefined);
  const built = await build(ir, 1);
  const block = built.model.getLayer('block');
  assert.equal(block.getClassName(), 'Model', 'the block is a TF.js sub-model, not flattened away');
  assert.equal(trainedCount(built), ir.trainableParams);
  const before = snapshot(block);
  const head = Float32Array.from(built.model.getLayer('dense_2').getWeights()[0]!.dataSync() as Float32Array);
  const { x, y } = data(96, [6], 3, 7);
  const losses = await steps(built, x, y, 30);
  assert.ok(losses.at(-1)! < losses[0]! * 0.7, `loss ${losses[0]} → ${losses.at(-1)}`);
  const after = snapshot(block);
  assert.equal(after.size, 4, 'two Dense layers: kernel and bias each');
  for (const [name, v] of before) assert.ok(!same(v, after.get(name)!), `${name} trained`);
  assert.ok(!same(head, built.model.getLayer('dense_2').getWeights()[0]!.dataSync() as Float32Array), 'the head trained');
  x.dispose();
  built.model.dispose();
});

const BASE = `inp = keras.Input(shape=(6, 6, 2))
h = layers.Conv2D(4, 3, activation='relu')(inp)
h = layers.BatchNormalization(name='base_bn')(h)
h = layers.GlobalAveragePooling2D()(h)
base = keras.Model(inp, h, name='base')`;

test('a frozen base called with training=False: its weights (BatchNormalization statistics too) stay bit for bit, the head trains, loss falls', async () => {
  const ir = read(`${BASE}
base.trainable = False
inputs = keras.Input(shape=(6, 6, 2))
x = base(inputs, training=False)
x = layers.Dense(8, activation='relu')(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs, name='tuned')
model.compile(optimizer=keras.optimizers.Adam(0.05), loss='sparse_categorical_crossentropy')`, 'tuned');
  // Keras: a frozen base's weights are all non-trainable (here the Conv2D's 76 and the BatchNormalization's 16).
  assert.equal(ir.layers.find((l) => l.name === 'base')!.trainableParams, 0);
  const built = await build(ir, 1);
  assert.equal(trainedCount(built), ir.trainableParams);
  const base = built.model.getLayer('base');
  assert.equal(base.trainable, false);
  const before = snapshot(base);
  assert.equal(before.size, 6, 'conv kernel and bias; gamma, beta, moving mean and variance');
  const heads = ['dense', 'dense_1'].map((n) => Float32Array.from(built.model.getLayer(n).getWeights()[0]!.dataSync() as Float32Array));
  const { x, y } = data(64, [6, 6, 2], 2, 3);
  const losses = await steps(built, x, y, 25);
  assert.ok(losses.at(-1)! < losses[0]! * 0.8, `loss ${losses[0]} → ${losses.at(-1)}`);
  const after = snapshot(base);
  for (const [name, v] of before) assert.ok(same(v, after.get(name)!), `${name} unchanged`);
  ['dense', 'dense_1'].forEach((n, i) => assert.ok(!same(heads[i]!, built.model.getLayer(n).getWeights()[0]!.dataSync() as Float32Array), `${n} trained`));
  // Predictions and evaluation run through the sub-model.
  const p = built.model.predict(x) as Tensor;
  assert.deepEqual(p.shape, [64, 2]);
  p.dispose();
  x.dispose();
  built.model.dispose();
});

test('a trainable base called with training=False (fine-tuning): its weights train, its BatchNormalization statistics do not move; called plainly they do', async () => {
  const ir = (call: string) =>
    read(`${BASE}
inputs = keras.Input(shape=(6, 6, 2))
x = ${call}
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs, name='tuned')
model.compile(optimizer=keras.optimizers.Adam(0.02), loss='sparse_categorical_crossentropy')`, 'tuned');
  const stats = (built: BuiltModel) => {
    const bn = (built.model.getLayer('base') as unknown as { getLayer(n: string): Layer }).getLayer('base_bn');
    return bn.getWeights().slice(2).map((w) => Float32Array.from(w.dataSync() as Float32Array));
  };
  const { x, y } = data(32, [6, 6, 2], 2, 11);
  for (const [call, moves] of [
    ['base(inputs, training=False)', false],
    ['base(inputs)', true],
  ] as const) {
    const m = ir(call);
    const built = await build(m, 1);
    assert.equal(trainedCount(built), m.trainableParams);
    const kernel = Float32Array.from(built.model.getLayer('base').getWeights()[0]!.dataSync() as Float32Array);
    const [mean, variance] = stats(built);
    await steps(built, x, y, 3);
    const [mean2, variance2] = stats(built);
    assert.equal(!same(mean!, mean2!) && !same(variance!, variance2!), moves, `${call}: statistics ${moves ? 'move' : 'stay'}`);
    assert.ok(!same(kernel, built.model.getLayer('base').getWeights()[0]!.dataSync() as Float32Array), `${call}: the base's conv kernel trains`);
    built.model.dispose();
  }
  x.dispose();
});

test('the weights the worker trains are the trainable count Keras printed for published nested models', async () => {
  // test/unit/reader/manifest.ts: Deep Learning Illustrated's frozen VGG19 base (trainable 50,178) and a
  // VGG16 base with blocks 1-4 frozen inside a Sequential model (trainable 33,296,386).
  for (const [file, model, trainable] of [
    ['dli_vgg19_transfer.py', 'sequential', 50178],
    ['vgg16_finetune_block5.py', 'sequential', 33296386],
  ] as const) {
    const f = path.join(root, 'test/unit/fixtures/published', file);
    const ir = readModel(f, fs.readFileSync(f, 'utf8')).models.find((m) => m.name === model)!;
    assert.equal(trainingBlocker(ir), undefined, file);
    const built = await build(ir);
    assert.equal(trainedCount(built), trainable, file);
    built.model.dispose();
  }
});

test('a layer of an inner model that TF.js cannot build is named with the model it is in', async () => {
  const ir = read(`block = keras.Sequential([layers.Lambda(lambda t: t * 2, output_shape=(6,)), layers.Dense(4)], name='block')
model = keras.Sequential([keras.Input(shape=(6,)), block, layers.Dense(2, activation='softmax')], name='outer')`, 'outer');
  const blocked = trainingBlocker(ir);
  assert.match(blocked?.message ?? '', /^in model 'block' \(line 4\), layer 'lambda' \(Lambda, line 3\) cannot be trained here: Lambda runs Python code/);
  await assert.rejects(buildModel(ir, { inputScale: 1 }), /in model 'block' \(line 4\), layer 'lambda' \(Lambda, line 3\) cannot be trained here/);
});

test('Layers see reaches into a block: its conv and pool layers, named block/layer, computed from the model’s input; kernels from the block’s first Conv2D', async () => {
  const ir = read(`block = keras.Sequential([layers.Conv2D(3, 3, activation='relu'), layers.MaxPooling2D()], name='block')
model = keras.Sequential([keras.Input(shape=(8, 8, 1)), block, layers.Flatten(), layers.Dense(2, activation='softmax')], name='outer')`, 'outer');
  const built = await build(ir, 1);
  const pixels = new Uint8Array(10 * 64).map((_, i) => (i * 37) % 256);
  const file = path.join(os.tmpdir(), `model-lens-nested-${process.pid}.npz`);
  fs.writeFileSync(file, zipSync({ 'x.npy': npyBytes('|u1', [10, 8, 8, 1], pixels), 'y.npy': npyBytes('|u1', [10], new Uint8Array(10).map((_, i) => i % 2)) }));
  try {
    // 10 samples: the last 20% held out as the test split, whose sample 0 is image 8.
    const act = await activations(built, { kind: 'sample', dataset: file, split: 'test', index: 0 }, undefined, loadDataset);
    assert.deepEqual(act.layers.map((l) => [l.layer, l.type, l.shape]), [['block/conv2d', 'Conv2D', [6, 6, 3]], ['block/max_pooling2d', 'MaxPooling2D', [3, 3, 3]]]);
    const conv = (built.model.getLayer('block') as unknown as { getLayer(n: string): Layer }).getLayer('conv2d');
    const expected = (conv.apply(tf.tensor(Array.from(pixels.subarray(8 * 64, 9 * 64)), [1, 8, 8, 1])) as Tensor).dataSync();
    assert.ok(act.layers[0]!.data.every((v, i) => Math.abs(v - expected[i]!) < 1e-4), 'the block’s conv output for that image');
    assert.deepEqual([act.kernels?.layer, act.kernels?.shape], ['block/conv2d', [3, 3, 1, 3]]);
  } finally {
    fs.rmSync(file, { force: true });
    built.model.dispose();
  }
});

test('Layers see reaches every level: a model in a model in a model shows its conv layers as block/inner/deep/conv, computed from the model\'s input', async () => {
  const ir = read(`deep = keras.Sequential([keras.Input(shape=(4, 4, 3)), layers.Conv2D(2, 3, activation='relu', name='conv_c')], name='deep')
inner = keras.Sequential([keras.Input(shape=(6, 6, 3)), layers.Conv2D(3, 3, activation='relu', name='conv_b'), deep], name='inner')
block = keras.Sequential([layers.Conv2D(3, 3, activation='relu', name='conv_a'), inner], name='block')
model = keras.Sequential([keras.Input(shape=(8, 8, 1)), block, layers.Flatten(), layers.Dense(2, activation='softmax')], name='outer')`, 'outer');
  const built = await build(ir, 1);
  const pixels = new Uint8Array(10 * 64).map((_, i) => (i * 53) % 256);
  const file = path.join(os.tmpdir(), `model-lens-deep-${process.pid}.npz`);
  fs.writeFileSync(file, zipSync({ 'x.npy': npyBytes('|u1', [10, 8, 8, 1], pixels), 'y.npy': npyBytes('|u1', [10], new Uint8Array(10).map((_, i) => i % 2)) }));
  try {
    const act = await activations(built, { kind: 'sample', dataset: file, split: 'test', index: 0 }, undefined, loadDataset);
    assert.deepEqual(act.layers.map((l) => [l.layer, l.type, l.shape]), [
      ['block/conv_a', 'Conv2D', [6, 6, 3]],
      ['block/inner/conv_b', 'Conv2D', [4, 4, 3]],
      ['block/inner/deep/conv_c', 'Conv2D', [2, 2, 2]],
    ]);
    // The innermost conv's output is the three convs applied in turn to that image (test sample 0 is image 8).
    const sub = (m: unknown, n: string) => (m as { getLayer(n: string): Layer }).getLayer(n);
    const blockM = built.model.getLayer('block');
    const innerM = sub(blockM, 'inner');
    let t = tf.tensor(Array.from(pixels.subarray(8 * 64, 9 * 64)), [1, 8, 8, 1]) as Tensor;
    for (const conv of [sub(blockM, 'conv_a'), sub(innerM, 'conv_b'), sub(sub(innerM, 'deep'), 'conv_c')]) t = conv.apply(t) as Tensor;
    const expected = t.dataSync();
    assert.equal(act.layers[2]!.data.length, expected.length);
    assert.ok(act.layers[2]!.data.every((v, i) => Math.abs(v - expected[i]!) < 1e-4), 'the deepest conv output for that image');
    assert.ok(act.layers[2]!.data.some((v) => v !== 0), 'not all zero');
    assert.deepEqual([act.kernels?.layer, act.kernels?.shape], ['block/conv_a', [3, 3, 1, 3]]);
  } finally {
    fs.rmSync(file, { force: true });
    built.model.dispose();
  }
});

test('the memory check before a run counts the activations inside a model used as a layer', () => {
  // DLwP's VGG16 base (150×150 input) as one row of a Sequential model: its block1 alone outputs
  // 150·150·64 values twice per sample, which at batch 256 cannot fit the wasm backend's 4 GB.
  const f = path.join(root, 'test/unit/fixtures/published/vgg16_top.py');
  const ir = readModel(f, fs.readFileSync(f, 'utf8')).models.find((m) => m.name === 'sequential')!;
  assert.throws(() => checkBatchFitsWasm(ir, ir.totalParams, 256, true), (e: Error & { code?: string }) => e.code === 'too-big' && /^training with batch size 256 needs ~\d+\.\d GB of activations/.test(e.message));
  assert.doesNotThrow(() => checkBatchFitsWasm(ir, ir.totalParams, 4, true));
});

test('two blocks each holding a layer of one name (Keras allows it): run weights are saved under the block’s name and load back', async () => {
  const ir = read(`def block(name):
    return keras.Sequential([layers.Dense(4, activation='relu', name='fc')], name=name)

inputs = keras.Input(shape=(6,))
x = block('one')(inputs)
x = block('two')(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs, name='twice')`, 'twice');
  const built = await build(ir, 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-nested-w-'));
  try {
    const { x, y } = data(16, [6], 2, 5);
    await steps(built, x, y, 2);
    const saved = await saveWeights(built.model, dir);
    const names = readWeightsFolder(saved).specs.map((s) => s.name);
    assert.deepEqual(names.filter((n) => n.includes('fc')).sort(), ['one/fc/bias', 'one/fc/kernel', 'two/fc/bias', 'two/fc/kernel']);
    const again = await build(ir, 1);
    loadWeightsInto(again.model, saved);
    const a = built.model.predict(x) as Tensor;
    const b = again.model.predict(x) as Tensor;
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()), 'the same predictions from the loaded weights');
    tf.dispose([a, b, x]);
    again.model.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    built.model.dispose();
  }
});
