/**
 * Using a saved model's own weights in the worker: evaluate and predict a real Keras-trained MNIST
 * model (mnist_model.keras, Keras 3.1.1, from ../shared/reference/keras-files/), and fine-tune it
 * with a layer saved as not trainable, which must keep its weights. Input scaling is stated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import type { CliIO } from '../../../src/cli/engine-session';
import { evaluateCommand } from '../../../src/cli/evaluate';
import { predictCommand } from '../../../src/cli/predict';
import { trainCommand } from '../../../src/cli/train';
import type { ModelIR } from '../../../src/core/model/ir';
import { openModelFile, savedInputScaling } from '../../../src/core/saved/open-saved';
import { readTensor } from '../../../src/core/saved/weights';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-use-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
}

test('evaluate and predict a Keras-trained .keras with its own weights, saying how inputs are scaled', async () => {
  const io = capture();
  const code = await evaluateCommand([path.join(REF, 'mnist_model.keras'), '--limit', '500', '--backend', 'cpu', '--json'], io);
  assert.equal(code, 0, io.errors.join('\n'));
  const r = JSON.parse(io.lines[0]!) as { acc: number; samples: number; weights: string };
  assert.equal(r.samples, 500);
  // A trained model: far above the 0.1 of random weights.
  assert.ok(r.acc > 0.95, `accuracy ${r.acc}`);
  assert.equal(r.weights, path.join(REF, 'mnist_model.keras'));
  assert.ok(io.errors.some((l) => /^input scaling: pixels \/ 255 \(the file does not say/.test(l)), io.errors.join('\n'));

  const p = capture();
  assert.equal(await predictCommand([path.join(REF, 'mnist.h5'), '--sample', '0', '--backend', 'cpu', '--json'], p), 0, p.errors.join('\n'));
  const pr = JSON.parse(p.lines[0]!) as { predictions: { label: number }[]; trueLabel: number };
  assert.equal(pr.predictions[0]!.label, pr.trueLabel);
});

test('--input-scale overrides the stated scaling', async () => {
  const io = capture();
  assert.equal(await evaluateCommand([path.join(REF, 'mnist_model.keras'), '--limit', '64', '--backend', 'cpu', '--input-scale', '1/255', '--json'], io), 0, io.errors.join('\n'));
  assert.ok(io.errors.includes('input scaling: pixels × 1/255 (--input-scale)'));
});

test('a Rescaling layer in the saved config means pixels go in as they are', () => {
  const m = { layers: [{ name: 'in', type: 'InputLayer' }, { name: 'scale', type: 'Rescaling' }], training: {} } as unknown as ModelIR;
  savedInputScaling(m);
  assert.equal(m.training.inputScale, 1);
  assert.match(m.training.inputScaleSource!, /the model's own Rescaling layer 'scale' scales them/);
});

test('train continues from the file\'s weights; a layer saved with trainable=false keeps them', async () => {
  const entries = unzipSync(new Uint8Array(fs.readFileSync(path.join(REF, 'mnist_model.keras'))));
  const config = new TextDecoder().decode(entries['config.json']!);
  // Freeze the first convolution as Keras saves it: "trainable": false in its config.
  entries['config.json'] = new TextEncoder().encode(config.replace('"name": "conv2d", "trainable": true', '"name": "conv2d", "trainable": false'));
  const file = path.join(tmp, 'frozen.keras');
  fs.writeFileSync(file, zipSync(entries, { level: 0 }));
  const before = await openModelFile(file);
  assert.equal(before.result.models[0]!.nonTrainableParams, 320);
  const io = capture();
  const runDir = path.join(tmp, 'run');
  const code = await trainCommand([file, '--epochs', '1', '--limit', '256', '--test-limit', '64', '--batch-size', '64', '--backend', 'cpu', '--save', runDir], io);
  assert.equal(code, 0, io.errors.join('\n'));
  assert.ok(io.lines.some((l) => l.startsWith(`starting from the weights in ${file}`)));
  const after = await openModelFile(path.join(runDir, 'weights', 'model.json'));
  try {
    const get = (o: typeof before, layer: string, name: string) => readTensor(o.weights!.layers.find((l) => l.layer === layer)!.tensors.find((t) => t.name === name)!);
    assert.deepEqual(get(after, 'conv2d', 'kernel'), get(before, 'conv2d', 'kernel'), 'the frozen layer is unchanged');
    assert.notDeepEqual(get(after, 'dense', 'kernel'), get(before, 'dense', 'kernel'), 'a trainable layer moved');
    // It started from the saved weights, not from random ones: most values are still close.
    const a = get(after, 'conv2d_1', 'kernel');
    const b = get(before, 'conv2d_1', 'kernel');
    let near = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) < 0.05) near++;
    assert.ok(near / a.length > 0.9, `${near} of ${a.length} within 0.05`);
  } finally {
    after.close();
    before.close();
  }
});
