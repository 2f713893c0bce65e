/**
 * Real files saved by Keras (not by this project), read from ../shared/reference/keras-files/ as
 * CI lays it beside the clone. Expected totals are the figures listed in that folder's README
 * (printed by Keras for those files); never computed with Model Lens's own code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { summaryCommand } from '../../../src/cli/summary';
import { openModelFile } from '../../../src/core/saved/open-saved';
import { kernelChannel, readTensor } from '../../../src/core/saved/weights';
import { h5pyTree } from './h5py';

export const REF = path.resolve('../shared/reference/keras-files');

const cases = [
  { file: 'mnist.h5', format: 'h5', savedBy: 'Keras 2.1.6', layers: 10, total: 44426, input: [null, 28, 28], loss: 'sparse_categorical_crossentropy' },
  { file: 'pretrainedResnet.h5', format: 'h5', savedBy: 'Keras 2.4.0', layers: 30, total: 78666, input: [null, 32, 32, 3], loss: 'categorical_crossentropy' },
  { file: 'mnist_model.h5', format: 'h5', savedBy: 'Keras 3.1.1', layers: 8, total: 34826, input: [null, 28, 28, 1], loss: 'categorical_crossentropy' },
  { file: 'mnist_model.keras', format: 'keras', savedBy: 'Keras 3.1.1', layers: 8, total: 34826, input: [null, 28, 28, 1], loss: 'categorical_crossentropy' },
  { file: 'scratch_extension/model.json', format: 'tfjs', savedBy: 'TensorFlow.js Converter v4.20.0', layers: 2, total: 2, input: [null, 1], loss: 'mean_absolute_error' },
];

for (const c of cases) {
  test(`${c.file}: graph, counts, training config and weights as Keras saved them`, async () => {
    const o = await openModelFile(path.join(REF, c.file));
    try {
      assert.equal(o.format, c.format);
      assert.equal(o.savedBy, c.savedBy);
      const m = o.result.models[0]!;
      assert.deepEqual([...o.result.diagnostics, ...m.diagnostics].filter((d) => d.severity === 'error'), []);
      assert.equal(m.layers.length, c.layers);
      assert.equal(m.totalParams, c.total);
      assert.deepEqual(m.layers[0]!.outputShape, c.input);
      assert.equal(m.training.loss, c.loss);
      // Every weight value of the file is found and matches the config's count.
      const values = o.weights!.layers.reduce((a, l) => a + l.tensors.reduce((b, t) => b + t.size, 0), 0);
      assert.equal(values, c.total);
      for (const l of o.weights!.layers) for (const t of l.tensors) assert.equal(readTensor(t).length, t.size);
    } finally {
      o.close();
    }
  });
}

test('pretrainedResnet.h5: BatchNormalization moving statistics are non-trainable (480 per Keras)', async () => {
  const o = await openModelFile(path.join(REF, 'pretrainedResnet.h5'));
  try {
    const m = o.result.models[0]!;
    assert.equal(m.nonTrainableParams, 480);
    const bn = o.weights!.layers.find((l) => l.layer === 'batch_normalization')!;
    assert.deepEqual(bn.tensors.map((t) => [t.name, t.trainable]), [['gamma', true], ['beta', true], ['moving_mean', false], ['moving_variance', false]]);
    const variance = readTensor(bn.tensors[3]!);
    assert.ok(variance.every((v) => v > 0), 'moving variances are positive');
  } finally {
    o.close();
  }
});

test('every weight value equals what h5py reads from the same file (.keras and .h5)', async () => {
  for (const [file, inner, prefix] of [
    ['mnist_model.keras', 'model.weights.h5', ''],
    ['mnist_model.h5', '', ''],
    ['pretrainedResnet.h5', '', ''],
  ] as const) {
    const tree = h5pyTree(path.join(REF, file), inner);
    const o = await openModelFile(path.join(REF, file));
    try {
      let n = 0;
      for (const l of o.weights!.layers) {
        for (const t of l.tensors) {
          const ref = tree[prefix + t.location.replace(/^\//, '')];
          assert.ok(ref && ref.kind === 'dataset', `${file}: ${t.location} in h5py's tree`);
          assert.deepEqual(t.shape, ref.shape);
          const v = readTensor(t);
          assert.deepEqual(Array.from(v.slice(0, 5)), ref.first);
          const sum = v.reduce((a, x) => a + x, 0);
          assert.ok(Math.abs(sum - ref.sum!) <= 1e-4 * Math.max(1, Math.abs(ref.sum!)), `${t.location}: sum ${sum} vs ${ref.sum}`);
          n++;
        }
      }
      assert.ok(n > 0);
    } finally {
      o.close();
    }
  }
});

test('the content decides, not the extension: HDF5 named .keras and a zip named .h5', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-sniff-'));
  try {
    fs.copyFileSync(path.join(REF, 'mnist_model.h5'), path.join(tmp, 'really-hdf5.keras'));
    fs.copyFileSync(path.join(REF, 'mnist_model.keras'), path.join(tmp, 'really-zip.h5'));
    const a = await openModelFile(path.join(tmp, 'really-hdf5.keras'));
    const b = await openModelFile(path.join(tmp, 'really-zip.h5'));
    assert.equal(a.format, 'h5');
    assert.equal(b.format, 'keras');
    assert.equal(a.result.models[0]!.totalParams, 34826);
    assert.equal(b.result.models[0]!.totalParams, 34826);
    a.close();
    b.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a stored .keras whose model.weights.h5 starts at byte 1024 (where an HDF5 user block would end) is read as a .keras', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-sniff-'));
  try {
    const entries = unzipSync(new Uint8Array(fs.readFileSync(path.join(REF, 'mnist_model.keras'))));
    // A small model's config.json can put it there; this one's is 3.8 KB, so metadata.json (JSON
    // allows trailing spaces) is padded instead, with the weights entry second.
    const meta = new TextDecoder().decode(entries['metadata.json']!);
    let zip: Uint8Array | undefined;
    for (let pad = 0; pad < 1024 && !zip; pad++) {
      const z = zipSync({ 'metadata.json': new TextEncoder().encode(meta + ' '.repeat(pad)), 'model.weights.h5': entries['model.weights.h5']!, 'config.json': entries['config.json']! }, { level: 0 });
      if (z[1024] === 0x89 && z[1025] === 0x48 && z[1026] === 0x44 && z[1027] === 0x46) zip = z;
    }
    assert.ok(zip, 'a zip with the HDF5 signature at 1024');
    const file = path.join(tmp, 'aligned.keras');
    fs.writeFileSync(file, zip);
    const o = await openModelFile(file);
    try {
      assert.equal(o.format, 'keras');
      assert.deepEqual([...o.result.diagnostics, ...(o.result.models[0]?.diagnostics ?? [])].filter((d) => d.severity === 'error'), []);
      assert.equal(o.result.models[0]!.totalParams, 34826);
    } finally {
      o.close();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('model-lens summary prints each real file like model.summary(), with what saved it', async () => {
  for (const c of cases) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await summaryCommand([path.join(REF, c.file)], { out: (l) => out.push(l), err: (l) => err.push(l) });
    assert.equal(code, 0, err.join('\n'));
    const text = out.join('\n');
    assert.match(text, new RegExp(`Total params: ${c.total.toLocaleString('en-US')} `));
    assert.match(text, new RegExp(`Saved by ${c.savedBy.replace(/\./g, '\\.')}`));
  }
  const out: string[] = [];
  await summaryCommand([path.join(REF, 'pretrainedResnet.h5'), '--json'], { out: (l) => out.push(l), err: () => undefined });
  const j = JSON.parse(out[0]!) as { models: { totalParams: number; nonTrainableParams: number }[]; format: string; savedBy: string };
  assert.equal(j.models[0]!.totalParams, 78666);
  assert.equal(j.models[0]!.nonTrainableParams, 480);
  assert.equal(j.format, 'h5');
});

test('a convolution kernel\'s input channel, read row by row, equals h5py\'s kernel[:, :, c, :] (mnist_model.keras conv2d_1, 3×3×32×64)', async () => {
  const file = path.join(REF, 'mnist_model.keras');
  const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `import sys, io, json, zipfile, h5py
f = h5py.File(io.BytesIO(zipfile.ZipFile(sys.argv[1]).read("model.weights.h5")), "r")
k = f["layers/conv2d_1/vars/0"][()]
print(json.dumps({"shape": list(k.shape), "c5": k[:, :, 5, :].ravel().tolist()}))`, file], { encoding: 'utf8' })) as { shape: number[]; c5: number[] };
  const o = await openModelFile(file);
  try {
    const t = o.weights!.layers.find((l) => l.layer === 'conv2d_1')!.tensors.find((x) => x.name === 'kernel')!;
    assert.deepEqual(t.shape, ref.shape);
    const rows: number[] = [];
    const spy = { ...t, readRows: (a: number, b: number) => (rows.push(b - a), t.readRows(a, b)) };
    assert.deepEqual(Array.from(kernelChannel(spy, 5)), ref.c5.map((v) => Math.fround(v)));
    assert.deepEqual(rows, [1, 1, 1], 'one kernel row per read');
  } finally {
    o.close();
  }
});
