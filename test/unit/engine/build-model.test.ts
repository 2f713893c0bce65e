import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../../src/worker/backend';
import { buildModel, ModelBuildError, tfLossName } from '../../../src/worker/build-model';
import { tf } from '../../../src/worker/tf';
import { loadWeightsInto, saveWeights } from '../../../src/worker/weights';
import type { ModelIR } from '../../../src/core/model/ir';
import { basicCnn, chain, tinyDense } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-build-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.before(async () => {
  const info = await initBackend('auto');
  assert.equal(info.backend, 'wasm', `wasm should load here (${info.reason})`);
});

test('the reference Basic_CNN builds with its Keras parameter count and layer names', async () => {
  const built = await buildModel(basicCnn());
  assert.equal(built.model.countParams(), 1676266);
  assert.deepEqual(built.inputShape, [28, 28, 1]);
  assert.equal(built.numClasses, 10);
  assert.equal(built.loss, 'sparseCategoricalCrossentropy');
  // Sparse labels in Keras; fed one-hot to the engine's softmax cross-entropy (Keras's gradient).
  assert.equal(built.labels, 'one-hot');
  assert.equal(built.optimizer, 'Adam');
  assert.equal(built.learningRate, 0.001);
  assert.deepEqual(
    built.model.layers.map((l) => l.name),
    basicCnn().layers.map((l) => l.name),
  );
  assert.equal(built.model.getLayer('conv2d_3').getWeights()[0]!.shape.join('x'), '3x3x64x64');
  built.model.dispose();
});

test('a residual model (Add, BatchNormalization, GlobalAveragePooling2D) builds', async () => {
  const range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const L = (name: string, type: string, config: Record<string, unknown>, inputs: string[], outputShape: (number | null)[] | null = null) =>
    ({ name, type, config, inputs, outputShape, params: 0, trainableParams: 0, nonTrainableParams: 0, range }) as ModelIR['layers'][number];
  const ir: ModelIR = {
    ...tinyDense(),
    name: 'residual',
    layers: [
      L('image', 'InputLayer', {}, [], [null, 28, 28, 1]),
      L('c1', 'Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same', activation: 'relu' }, ['image']),
      L('c2', 'Conv2D', { filters: 4, kernel_size: 3, padding: 'same' }, ['c1']),
      L('bn', 'BatchNormalization', { axis: -1, momentum: 0.99, epsilon: 0.001 }, ['c2']),
      L('add', 'Add', {}, ['bn', 'c1']),
      L('relu', 'ReLU', {}, ['add']),
      L('gap', 'GlobalAveragePooling2D', {}, ['relu']),
      L('out', 'Dense', { units: 10, activation: 'softmax' }, ['gap']),
    ],
    inputs: ['image'],
    outputs: ['out'],
  };
  const built = await buildModel(ir);
  // conv 40 + conv 148 + bn 16 + dense 50
  assert.equal(built.model.countParams(), 40 + 148 + 16 + 50);
  const y = built.model.predict(tf.zeros([2, 28, 28, 1])) as import('@tensorflow/tfjs-core').Tensor;
  assert.deepEqual(y.shape, [2, 10]);
  y.dispose();
  built.model.dispose();
});

test('an unknown layer or optimizer is refused naming it; categorical loss wants one-hot labels', async () => {
  const bad = chain('bad', [['weird', 'NoSuchLayer', {}]], [4]);
  await assert.rejects(buildModel(bad), (e: unknown) => e instanceof ModelBuildError && /'weird' \(NoSuchLayer, line 1\)/.test(e.message));
  const opt = { ...tinyDense(), training: { ...tinyDense().training, optimizer: { name: 'Nadamax' } } };
  await assert.rejects(buildModel(opt), /optimizer 'Nadamax' is not supported/);
  const cat = await buildModel({ ...tinyDense(), training: { ...tinyDense().training, loss: 'categorical_crossentropy', optimizer: { name: 'SGD' } } });
  assert.equal(cat.labels, 'one-hot');
  assert.equal(cat.learningRate, 0.01, "Keras's SGD default");
  cat.model.dispose();
  assert.equal(tfLossName('mse'), 'meanSquaredError');
  assert.equal(tfLossName('SparseCategoricalCrossentropy'), 'sparseCategoricalCrossentropy');
});

test('weights saved in TF.js layers format load back by name and give the same predictions', async () => {
  const a = await buildModel(tinyDense());
  const dir = await saveWeights(a.model, path.join(tmp, 'run'));
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin']);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.weightsManifest[0].weights.map((w: { name: string }) => w.name), ['hidden/kernel', 'hidden/bias', 'out/kernel', 'out/bias']);
  const b = await buildModel(tinyDense());
  const x = tf.randomUniform([3, 28, 28, 1]);
  const before = await (b.model.predict(x) as import('@tensorflow/tfjs-core').Tensor).data();
  loadWeightsInto(b.model, dir);
  const ya = await (a.model.predict(x) as import('@tensorflow/tfjs-core').Tensor).data();
  const yb = await (b.model.predict(x) as import('@tensorflow/tfjs-core').Tensor).data();
  assert.notDeepEqual([...before], [...ya], 'fresh weights differ');
  assert.deepEqual([...yb], [...ya]);
  // The same weights do not fit another architecture.
  const other = await buildModel(basicCnn());
  assert.throws(() => loadWeightsInto(other.model, dir), /do not fit this model/);
  for (const m of [a, b, other]) m.model.dispose();
});

test('training in-process keeps no tensors behind between runs', async () => {
  const { runTraining } = await import('../../../src/worker/train');
  const { loadDataset } = await import('../../../src/worker/data/datasets');
  const built = await buildModel(tinyDense());
  const dataset = loadDataset('mnist');
  const events: string[] = [];
  const job = (runId: string) => ({
    built,
    dataset,
    runId,
    runDir: path.join(tmp, runId),
    modelFile: '/m.py',
    modelHash: 'h',
    settings: { epochs: 2, batchSize: 32, dataset: 'mnist', limit: 128, testLimit: 64, validationSplit: 0.25 },
    backend: { backend: 'wasm' as const, reason: 'test' },
    emit: ((e: string) => events.push(e)) as never,
    isCancelled: () => false,
  });
  await runTraining(job('leak-1')); // creates the optimizer's slots
  const before = tf.memory().numTensors;
  const r = await runTraining(job('leak-2'));
  assert.equal(r.status, 'completed');
  assert.equal(tf.memory().numTensors, before);
  assert.ok(events.includes('batch') && events.includes('epoch') && events.includes('done'));
  built.model.dispose();
});

test('a model with a tensor operation (x + x read as Keras 3 records it) is refused naming the operation, not built as the Add layer of the same name', async () => {
  const { readModel } = await import('../../../src/core/read-model');
  const r = readModel('ops.py', 'import keras\nfrom keras import layers\na = keras.Input(shape=(4,))\nmodel = keras.Model(a, layers.Dense(2)(a + a))\n');
  const ir = r.models[0]!;
  assert.equal(ir.layers.find((l) => l.name === 'add')?.operation, 'operator +');
  await assert.rejects(buildModel(ir), (e: unknown) => e instanceof ModelBuildError && /'add' \(Add, line 4\).*tensor operation/.test(e.message));
});
