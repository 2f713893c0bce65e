// Arrays saved one per file with np.save (what model.fit(x, y) gets): the inputs file is given and its
// labels are read from the y file beside it; x_train.npy takes x_test.npy/y_test.npy as its test split.
// Every error names the file and says what to save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataError } from '../../../src/core/data/errors';
import { loadDataset } from '../../../src/worker/data/datasets';
import { npyBytes } from './make-data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-npy-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Features (n, 3) with labels i % 2, written as `x` and `y` files (names given) in a new folder. */
function write(folder: string, files: Record<string, { n: number; labels?: boolean }>): string {
  const dir = path.join(tmp, folder);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, { n, labels }] of Object.entries(files)) {
    const bytes = labels
      ? npyBytes('<i8', [n], BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 2)))
      : npyBytes('<f4', [n, 3], Float32Array.from({ length: n * 3 }, (_, i) => i / 10));
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}

const throwsData = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.match((e as Error).message, re);
    return true;
  });

test('x.npy with y.npy beside it: the last 20% held out for testing, as an .npz of x and y', () => {
  const dir = write('xy', { 'x.npy': { n: 10 }, 'y.npy': { n: 10, labels: true } });
  const ds = loadDataset(path.join(dir, 'x.npy'));
  assert.deepEqual([ds.train.count, ds.test.count, ds.numClasses], [8, 2, 2]);
  assert.deepEqual(ds.train.values?.shape, [3]);
  // The held-out samples are the last two: features 8·3/10 … and labels 8 % 2, 9 % 2.
  assert.deepEqual(Array.from(ds.test.labels), [0, 1]);
  assert.ok(Math.abs(ds.test.values!.data[0]! - 2.4) < 1e-6);
  assert.match(ds.source, /x\.npy \(with y\.npy: the last 2 samples held out for testing\)/);
  // The folder holding them is the same data.
  assert.deepEqual([loadDataset(dir).train.count, loadDataset(dir).test.count], [8, 2]);
});

test('x_train.npy takes y_train.npy, and x_test.npy with y_test.npy as the test split (capitals too)', () => {
  const dir = write('split', { 'x_train.npy': { n: 6 }, 'y_train.npy': { n: 6, labels: true }, 'x_test.npy': { n: 4 }, 'y_test.npy': { n: 4, labels: true } });
  const ds = loadDataset(path.join(dir, 'x_train.npy'));
  assert.deepEqual([ds.train.count, ds.test.count], [6, 4]);
  assert.match(ds.source, /with y_train\.npy, x_test\.npy, y_test\.npy/);
  assert.deepEqual([loadDataset(dir).train.count, loadDataset(dir).test.count], [6, 4], 'the folder');
  const caps = write('caps', { 'X_train.npy': { n: 5 }, 'Y_train.npy': { n: 5, labels: true } });
  const c = loadDataset(path.join(caps, 'X_train.npy'));
  assert.deepEqual([c.train.count, c.test.count], [4, 1], 'no test files: the last 20% held out');
});

test('a lone .npy is refused saying where its labels should be, and how to save them', () => {
  const dir = write('lone', { 'x.npy': { n: 10 }, 'data.npy': { n: 10 }, 'y.npy.bak': { n: 1 } });
  throwsData(() => loadDataset(path.join(dir, 'x.npy')), new RegExp(`x\\.npy: its labels are missing — no y\\.npy beside it \\(looked for ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/y\\.npy\\)\\. Save them with np\\.save\\('y\\.npy', y\\), or save both in one \\.npz`));
  throwsData(() => loadDataset(path.join(dir, 'data.npy')), /data\.npy: a single \.npy holds one array, and training needs inputs and labels\. Name the inputs x\.npy/);
});

test('the labels file, the test split or half a test split given is refused naming the file to pass or save', () => {
  const labels = write('labels', { 'x.npy': { n: 10 }, 'y.npy': { n: 10, labels: true } });
  throwsData(() => loadDataset(path.join(labels, 'y.npy')), /y\.npy holds labels \(y\): pass the inputs file/);
  const half = write('half', { 'x_train.npy': { n: 6 }, 'y_train.npy': { n: 6, labels: true }, 'x_test.npy': { n: 4 } });
  throwsData(() => loadDataset(path.join(half, 'x_train.npy')), /x_test\.npy is beside x_train\.npy but y_test\.npy is not/);
  throwsData(() => loadDataset(path.join(half, 'x_test.npy')), /x_test\.npy is the test split: pass the training inputs x_train\.npy/);
});

test('labels that do not match the inputs name both files', () => {
  const dir = write('mismatch', { 'x.npy': { n: 10 }, 'y.npy': { n: 7, labels: true } });
  throwsData(() => loadDataset(path.join(dir, 'x.npy')), /y\.npy.*7.*x\.npy.*10|x\.npy.*10.*y\.npy.*7/);
});

test('a vocabulary beside token ids in x.npy is read (x.vocab.txt or vocab.txt), never the .npy itself', () => {
  const dir = path.join(tmp, 'tokens');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'x.npy'), npyBytes('<i4', [5, 4], Int32Array.from({ length: 20 }, (_, i) => i % 6)));
  fs.writeFileSync(path.join(dir, 'y.npy'), npyBytes('<i4', [5], Int32Array.from([0, 1, 0, 1, 0])));
  assert.equal(loadDataset(path.join(dir, 'x.npy')).vocabulary, undefined);
  const tok = path.join(tmp, 'tokens2');
  fs.mkdirSync(tok);
  fs.copyFileSync(path.join(dir, 'x.npy'), path.join(tok, 'x.npy'));
  fs.copyFileSync(path.join(dir, 'y.npy'), path.join(tok, 'y.npy'));
  fs.writeFileSync(path.join(tok, 'x.vocab.txt'), 'pad\nunk\na\nb\nc\nd\n');
  assert.deepEqual(loadDataset(path.join(tok, 'x.npy')).vocabulary, ['pad', 'unk', 'a', 'b', 'c', 'd']);
});

test('any other file is refused naming both formats', () => {
  const f = path.join(tmp, 'data.csv');
  fs.writeFileSync(f, '1,2\n');
  throwsData(() => loadDataset(f), /must be an \.npz .* or an \.npy of inputs with its labels beside it \(x\.npy with y\.npy\)/);
});
