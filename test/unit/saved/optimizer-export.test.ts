/**
 * The optimizer's saved state carried into exports as Keras writes it, checked with Debian's
 * python3-h5py (an independent HDF5 reader) name by name against files Keras itself wrote
 * (../shared/reference/keras-files/): mnist_model.keras (Keras 3.1.1: `optimizer/vars/0..13` in
 * model.weights.h5 — iterations int64, learning_rate, then momentum and velocity per trainable
 * weight), mnist_model.h5 (Keras 3.1.1 legacy: `optimizer_weights` named `iteration`,
 * `learning_rate`, `sequential_conv2d_kernel_momentum`, …) and pretrainedResnet.h5 (Keras 2.4.0:
 * `Adam/iter:0`, `Adam/conv2d/kernel/m:0`, …). The layouts are those of keras/src/saving/
 * saving_lib.py and legacy_h5_format.py (save_optimizer_weights_to_hdf5_group).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportModel, type ExportFormat } from '../../../src/core/saved/export';
import { openModelFile } from '../../../src/core/saved/open-saved';
import { h5pyTree, type H5Node } from './h5py';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-opt-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function exported(src: string, format: ExportFormat, out: string): Promise<string[]> {
  const o = await openModelFile(src);
  const notes: string[] = [];
  try {
    await exportModel({ modelConfig: o.modelConfig!, trainingConfig: o.trainingConfig!, weights: o.weights!, source: src, ...(o.optimizer ? { optimizer: o.optimizer } : {}), note: (m) => notes.push(m) }, format, out);
  } finally {
    o.close();
  }
  return notes;
}

const under = (t: Record<string, H5Node>, prefix: string) => Object.keys(t).filter((k) => k === prefix || k.startsWith(`${prefix}/`)).sort();

function sameSubtree(ours: Record<string, H5Node>, keras: Record<string, H5Node>, prefix: string): void {
  assert.deepEqual(under(ours, prefix), under(keras, prefix));
  for (const k of under(keras, prefix)) {
    const a = keras[k]!;
    const b = ours[k]!;
    assert.equal(b.kind, a.kind, k);
    if (a.kind === 'dataset') assert.deepEqual([b.shape, b.dtype, b.sum, b.first], [a.shape, a.dtype, a.sum, a.first], k);
    else assert.deepEqual(b.attrs, a.attrs, `attributes of ${k}`);
  }
}

test('.keras → .keras: optimizer/vars as Keras 3.1.1 wrote them (int64 counter, slots in order), values identical', async () => {
  const out = path.join(tmp, 'a.keras');
  assert.deepEqual(await exported(path.join(REF, 'mnist_model.keras'), 'keras', out), []);
  const keras = h5pyTree(path.join(REF, 'mnist_model.keras'), 'model.weights.h5');
  const ours = h5pyTree(out, 'model.weights.h5');
  assert.equal(under(keras, 'optimizer/vars').length, 15); // the group and 14 variables
  sameSubtree(ours, keras, 'optimizer');
  assert.equal(ours['optimizer/vars/0']!.dtype, 'int64');
  // Everything else of the tree too.
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(keras).sort());
});

test('.h5 → .h5: optimizer_weights copied name for name (Keras 3 legacy and Keras 2.4 layouts)', async () => {
  for (const name of ['mnist_model.h5', 'pretrainedResnet.h5']) {
    const out = path.join(tmp, `b-${name}`);
    assert.deepEqual(await exported(path.join(REF, name), 'h5', out), []);
    sameSubtree(h5pyTree(out, ''), h5pyTree(path.join(REF, name), ''), 'optimizer_weights');
  }
});

test('Keras 3 .h5 → .keras and .keras → .h5: the same variables under the other layout\'s names', async () => {
  const k = path.join(tmp, 'c.keras');
  assert.deepEqual(await exported(path.join(REF, 'mnist_model.h5'), 'keras', k), []);
  const fromH5 = h5pyTree(k, 'model.weights.h5');
  const legacy = h5pyTree(path.join(REF, 'mnist_model.h5'), '');
  const order = legacy['optimizer_weights']!.attrs['weight_names'] as string[];
  order.forEach((n, i) => assert.deepEqual([fromH5[`optimizer/vars/${i}`]!.shape, fromH5[`optimizer/vars/${i}`]!.sum], [legacy[`optimizer_weights/${n}`]!.shape, legacy[`optimizer_weights/${n}`]!.sum], n));

  const h = path.join(tmp, 'd.h5');
  assert.deepEqual(await exported(path.join(REF, 'mnist_model.keras'), 'h5', h), []);
  const ours = h5pyTree(h, '');
  // The names Keras 3.1.1's legacy writer gave the same model's variables (mnist_model.h5).
  assert.deepEqual(ours['optimizer_weights']!.attrs['weight_names'], order);
  const zipped = h5pyTree(path.join(REF, 'mnist_model.keras'), 'model.weights.h5');
  order.forEach((n, i) => assert.deepEqual([ours[`optimizer_weights/${n}`]!.shape, ours[`optimizer_weights/${n}`]!.sum], [zipped[`optimizer/vars/${i}`]!.shape, zipped[`optimizer/vars/${i}`]!.sum], n));
});

test('what cannot be carried is said, not dropped silently: Keras 2 state into .keras, any state into TF.js', async () => {
  const notes = await exported(path.join(REF, 'pretrainedResnet.h5'), 'keras', path.join(tmp, 'e.keras'));
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /optimizer state is not exported: it was saved by Keras 2/);
  assert.ok(!Object.keys(h5pyTree(path.join(tmp, 'e.keras'), 'model.weights.h5')).some((k) => k.startsWith('optimizer')));
  const tfjs = await exported(path.join(REF, 'mnist_model.keras'), 'tfjs', path.join(tmp, 'f', 'model.json'));
  assert.match(tfjs[0]!, /TF\.js layers format holds the model and its weights only/);
});
