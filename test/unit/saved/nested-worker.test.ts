/**
 * Saved models with a nested model (a Sequential or functional block inside a functional model;
 * Keras 3 `.keras` and Keras 2 `.h5` layouts, written by nested-fixtures.ts) in the worker: built
 * as saved, they predict with the file's weights — checked against the layer formulas worked by
 * hand here (keras.io: Dense = activation(x·kernel + bias); BatchNormalization at inference =
 * gamma·(x − moving_mean)/sqrt(moving_variance + epsilon) + beta; softmax) — fine-tune from them,
 * and survive export → read back with identical weights and predictions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { evaluateCommand } from '../../../src/cli/evaluate';
import { trainCommand } from '../../../src/cli/train';
import { exportModel, type ExportFormat } from '../../../src/core/saved/export';
import { readSavedConfigSync } from '../../../src/core/saved/loaded-model';
import { openModelFile } from '../../../src/core/saved/open-saved';
import { readTensor } from '../../../src/core/saved/weights';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { loadStartWeights } from '../../../src/worker/saved-weights';
import { tf } from '../../../src/worker/tf';
import { W, writeNestedH5, writeNestedKeras, writeTwoBlocksKeras } from './nested-fixtures';
import { readWeightsFolder } from '../../../src/worker/weights';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-nested-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const files = { seqKeras: path.join(tmp, 'seq.keras'), funKeras: path.join(tmp, 'fun.keras'), seqH5: path.join(tmp, 'seq.h5') };
test.before(async () => {
  await initBackend('cpu');
  await writeNestedKeras(files.seqKeras, 'Sequential');
  await writeNestedKeras(files.funKeras, 'Functional');
  await writeNestedH5(files.seqH5);
});

const N = 3;
const input = Float32Array.from({ length: N * 784 }, (_, i) => (Math.sin(i * 0.37) + 1) / 2);

/** The model's output worked by hand from W, one sample at a time. */
function byHand(x: Float32Array): Float32Array {
  const out = new Float32Array(N * 10);
  const [k1, b1] = W.d1 as [Float32Array, Float32Array];
  const [gamma, beta, mean, variance] = W.bn as [Float32Array, Float32Array, Float32Array, Float32Array];
  const [k2, b2] = W.head as [Float32Array, Float32Array];
  for (let n = 0; n < N; n++) {
    const h = [0, 1, 2].map((j) => {
      let s = b1[j]!;
      for (let i = 0; i < 784; i++) s += x[n * 784 + i]! * k1[i * 3 + j]!;
      const r = Math.max(0, s);
      return (gamma[j]! * (r - mean[j]!)) / Math.sqrt(variance[j]! + 0.001) + beta[j]!;
    });
    const z = Array.from({ length: 10 }, (_, c) => b2[c]! + h.reduce((a, v, j) => a + v * k2[j * 10 + c]!, 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => (out[n * 10 + c] = v / sum));
  }
  return out;
}

/** Built as the worker builds a saved model (loadModel with savedFile), then predict. */
async function predictInWorker(file: string): Promise<Float32Array> {
  const o = await openModelFile(file);
  const ir = o.result.models[0]!;
  o.close();
  const built = await buildModel(ir, {}, readSavedConfigSync(file).modelConfig);
  try {
    await loadStartWeights(built.model, ir, { file, kind: 'model' });
    const x = tf.tensor(input, [N, 28, 28, 1]);
    const y = built.model.predict(x) as import('@tensorflow/tfjs-core').Tensor;
    const v = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    return v;
  } finally {
    built.model.dispose();
  }
}

for (const [name, file] of Object.entries(files)) {
  test(`${name}: the worker builds the nested model as saved and predicts with its weights`, async () => {
    const got = await predictInWorker(file);
    const want = byHand(input);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-5, `output ${i}: ${v} vs ${want[i]} by hand`));
  });

  for (const format of ['keras', 'h5', 'tfjs'] as ExportFormat[]) {
    test(`${name} → ${format} → read back: identical weights and identical predictions in the worker`, async () => {
      const src = await openModelFile(file);
      const out = path.join(tmp, `${name}-out`, format === 'tfjs' ? 'model.json' : `m.${format}`);
      try {
        const written = await exportModel({ modelConfig: src.modelConfig!, ...(src.trainingConfig ? { trainingConfig: src.trainingConfig } : {}), weights: src.weights!, source: file }, format, out);
        const back = await openModelFile(written);
        try {
          assert.deepEqual(back.weights!.layers.map((l) => l.layer), ['block/d1', 'block/bn', 'head']);
          src.weights!.layers.forEach((l, i) => l.tensors.forEach((t, j) => assert.deepEqual(readTensor(back.weights!.layers[i]!.tensors[j]!), readTensor(t), `${l.layer}/${t.name}`)));
        } finally {
          back.close();
        }
        assert.deepEqual(await predictInWorker(written), await predictInWorker(file));
      } finally {
        src.close();
      }
    });
  }
}

test('fine-tuning a nested .keras starts from its weights and moves them (the BatchNormalization statistics too)', async () => {
  const lines: string[] = [];
  const errors: string[] = [];
  const io: CliIO = { out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
  const runDir = path.join(tmp, 'run');
  const code = await trainCommand([files.seqKeras, '--epochs', '1', '--limit', '128', '--test-limit', '32', '--batch-size', '32', '--backend', 'cpu', '--save', runDir], io);
  assert.equal(code, 0, errors.join('\n'));
  assert.ok(lines.some((l) => l.startsWith(`starting from the weights in ${files.seqKeras}`)), lines.join('\n'));
  const after = await openModelFile(path.join(runDir, 'weights', 'model.json'));
  try {
    const get = (layer: string, name: string) => readTensor(after.weights!.layers.find((l) => l.layer === layer)!.tensors.find((t) => t.name === name)!);
    const head = get('head', 'kernel');
    assert.notDeepEqual(head, W.head[0], 'the head trained');
    // From the saved weights, not random ones: 4 steps of Adam at 0.001 move each value a little.
    head.forEach((v, i) => assert.ok(Math.abs(v - W.head[0]![i]!) < 0.05, `head kernel ${i}`));
    const mean = get('block/bn', 'moving_mean');
    assert.notDeepEqual(mean, W.bn[2], 'moving statistics updated by training');
    mean.forEach((v, i) => assert.ok(Math.abs(v - W.bn[2]![i]!) < 0.5, `moving_mean ${i}`));
  } finally {
    after.close();
  }
});

test('a nested base called with training=False (the fine-tuning idiom) fine-tunes with its BatchNormalization statistics kept, as in Keras', async () => {
  const file = path.join(tmp, 'base-inference.keras');
  await writeNestedKeras(file, 'Sequential', { training: false });
  const errors: string[] = [];
  const io: CliIO = { out: () => undefined, err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
  const runDir = path.join(tmp, 'run-base-inference');
  const code = await trainCommand([file, '--epochs', '1', '--limit', '128', '--test-limit', '32', '--batch-size', '32', '--backend', 'cpu', '--save', runDir], io);
  assert.equal(code, 0, errors.join('\n'));
  const after = await openModelFile(path.join(runDir, 'weights', 'model.json'));
  try {
    const get = (layer: string, name: string) => readTensor(after.weights!.layers.find((l) => l.layer === layer)!.tensors.find((t) => t.name === name)!);
    assert.deepEqual(get('block/bn', 'moving_mean'), W.bn[2], 'moving mean as saved');
    assert.deepEqual(get('block/bn', 'moving_variance'), W.bn[3], 'moving variance as saved');
    assert.notDeepEqual(get('block/d1', 'kernel'), W.d1[0], 'the base is trainable: its Dense still trains');
  } finally {
    after.close();
  }
});

test('a saved model whose two inner models each hold a layer "fc": its run saves both under their models\' names and reloads (evaluate --weights RUN gives the run\'s test figures)', async () => {
  const file = path.join(tmp, 'twice.keras');
  await writeTwoBlocksKeras(file);
  const lines: string[] = [];
  const errors: string[] = [];
  const io: CliIO = { out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
  const runDir = path.join(tmp, 'run-twice');
  const code = await trainCommand([file, '--epochs', '1', '--limit', '64', '--test-limit', '32', '--batch-size', '32', '--backend', 'cpu', '--save', runDir], io);
  assert.equal(code, 0, errors.join('\n'));
  const names = readWeightsFolder(path.join(runDir, 'weights')).specs.map((s) => s.name);
  assert.deepEqual(names, ['one/fc/kernel', 'one/fc/bias', 'two/fc/kernel', 'two/fc/bias', 'head/kernel', 'head/bias']);
  const trained = lines.find((l) => l.startsWith('test loss'));
  assert.ok(trained, lines.join('\n'));
  lines.length = 0;
  const again = await evaluateCommand([file, '--weights', runDir, '--limit', '32', '--backend', 'cpu'], io);
  assert.equal(again, 0, errors.join('\n'));
  // The same 32 test samples, the same weights: the loss and accuracy train printed.
  const [, loss, acc] = /test loss (\d+\.\d+) · test accuracy (\d+\.\d+)/.exec(trained)!;
  assert.ok(lines.some((l) => l.includes(`loss ${loss} · accuracy ${acc}`)), `${lines.join('\n')} (train printed ${trained})`);
  const back = await openModelFile(path.join(runDir, 'weights', 'model.json'));
  try {
    assert.deepEqual(back.weights!.layers.map((l) => l.layer), ['one/fc', 'two/fc', 'head']);
  } finally {
    back.close();
  }
});
