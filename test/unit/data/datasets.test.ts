import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { DataError } from '../../../src/core/data/errors';
import { DEBIAN_FASHION_DIR, loadDataset } from '../../../src/worker/data/datasets';
import { idxBytes, npyBytes } from './make-data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-data-'));
process.env.KERAS_HOME = path.join(tmp, 'keras-home'); // no Keras cache: the built-in MNIST is used
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('mnist without a Keras cache is the built-in full MNIST', () => {
  const ds = loadDataset('mnist');
  assert.equal(ds.train.count, 60000);
  assert.equal(ds.test.count, 10000);
  assert.equal(ds.numClasses, 10);
  assert.match(ds.source, /built-in MNIST/);
  assert.equal(loadDataset('MNIST'), ds, 'cached');
});

test('a folder of gzipped IDX files', () => {
  const dir = path.join(tmp, 'idx');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes([6, 4, 4])));
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes([6], Uint8Array.from([0, 1, 2, 0, 1, 2]))));
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idxBytes([2, 4, 4])));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes([2], Uint8Array.from([2, 1]))));
  const ds = loadDataset(dir);
  assert.deepEqual([ds.train.count, ds.test.count, ds.train.height, ds.numClasses], [6, 2, 4, 3]);
});

test('IDX folder with mismatched labels, or a missing file, is a clear error', () => {
  const dir = path.join(tmp, 'idx-bad');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), idxBytes([6, 4, 4]));
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idxBytes([5]));
  assert.throws(() => loadDataset(dir), (e: unknown) => e instanceof DataError && e.code === 'not-found' && /t10k-images/.test(e.message));
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), idxBytes([2, 4, 4]));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), idxBytes([2]));
  assert.throws(() => loadDataset(dir), (e: unknown) => e instanceof DataError && e.code === 'mismatch' && /train-labels-idx1-ubyte holds 5 labels/.test(e.message));
});

test('an .npz with x_train/y_train/x_test/y_test', () => {
  const file = path.join(tmp, 'small.npz');
  fs.writeFileSync(
    file,
    zipSync({
      'x_train.npy': npyBytes('|u1', [3, 5, 5], new Uint8Array(75)),
      'y_train.npy': npyBytes('|u1', [3], Uint8Array.from([0, 1, 1])),
      'x_test.npy': npyBytes('|u1', [1, 5, 5], new Uint8Array(25)),
      'y_test.npy': npyBytes('<i8', [1], BigInt64Array.from([1n])),
    }),
  );
  const ds = loadDataset(file);
  assert.deepEqual([ds.train.count, ds.test.count, ds.train.width, ds.numClasses], [3, 1, 5, 2]);
  const partial = path.join(tmp, 'partial.npz');
  fs.writeFileSync(partial, zipSync({ 'x_train.npy': npyBytes('|u1', [1, 2, 2], new Uint8Array(4)) }));
  assert.throws(() => loadDataset(partial), /missing arrays y_train, x_test, y_test/);
});

test('an image folder with one sub-folder per class; every 6th image held out for testing', () => {
  const dir = path.join(tmp, 'shapes');
  for (const [c, shade] of [['circle', 200], ['square', 50]] as const) {
    fs.mkdirSync(path.join(dir, c), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const png = new PNG({ width: 12, height: 12 });
      png.data.fill(shade);
      fs.writeFileSync(path.join(dir, c, `${i}.png`), PNG.sync.write(png));
    }
  }
  const ds = loadDataset(dir);
  assert.deepEqual(ds.classNames, ['circle', 'square']);
  // Without a model to say its input size, images are read at 28×28; with one, at its size.
  assert.deepEqual([ds.train.count, ds.test.count, ds.train.height, ds.train.width], [10, 2, 28, 28]);
  const at12 = loadDataset(dir, undefined, { height: 12, width: 12 });
  assert.deepEqual([at12.train.height, at12.train.width, at12.test.height], [12, 12, 12]);
  assert.deepEqual([...ds.test.labels], [0, 1]);
  // A corrupt image names itself.
  const broken = path.join(tmp, 'shapes-broken');
  fs.cpSync(dir, broken, { recursive: true });
  fs.writeFileSync(path.join(broken, 'circle', 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6]));
  assert.throws(() => loadDataset(broken), (e: unknown) => e instanceof DataError && /broken\.png/.test(e.message));
});

test('unknown paths and fashion-mnist say where they looked and what to do', () => {
  assert.throws(() => loadDataset(path.join(tmp, 'nope')), (e: unknown) => e instanceof DataError && /no such file or folder/.test(e.message));
  if (fs.existsSync(DEBIAN_FASHION_DIR)) {
    const ds = loadDataset('fashion-mnist');
    assert.equal(ds.train.count, 60000);
    assert.equal(ds.classNames?.[9], 'Ankle boot');
  } else {
    assert.throws(() => loadDataset('fashion-mnist'), /apt-get install dataset-fashion-mnist/);
  }
});

test('an image folder for a colour model: RGB kept, resized to a non-square input (20×30×3)', () => {
  const dir = path.join(tmp, 'colours');
  for (const [c, rgb] of [['red', [230, 20, 10]], ['blue', [10, 20, 230]]] as const) {
    fs.mkdirSync(path.join(dir, c), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const png = new PNG({ width: 60, height: 40 });
      for (let p = 0; p < 60 * 40; p++) png.data.set([...rgb, 255], p * 4);
      fs.writeFileSync(path.join(dir, c, `${i}.png`), PNG.sync.write(png));
    }
  }
  const ds = loadDataset(dir, undefined, { height: 20, width: 30, channels: 3 });
  assert.deepEqual([ds.train.height, ds.train.width, ds.train.channels, ds.train.images.length], [20, 30, 3, 10 * 20 * 30 * 3]);
  // Class folders sort as blue, red: sample 0 is blue.
  assert.deepEqual([...ds.train.images.subarray(0, 3)], [10, 20, 230]);
  assert.deepEqual([...ds.test.images.subarray(20 * 30 * 3, 20 * 30 * 3 + 3)], [230, 20, 10]);
  // The same folder for a gray model is read gray.
  assert.equal(loadDataset(dir, undefined, { height: 20, width: 30 }).train.channels, 1);
});
