import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { DataError } from '../../../src/core/data/errors';
import { imageSetFromNpy } from '../../../src/core/data/image-set';
import { parseNpy, parseNpz } from '../../../src/core/data/npy';
import { npyBytes } from './make-data';

test('uint8 images, int64 and float32 arrays', () => {
  const u8 = parseNpy(npyBytes('|u1', [2, 3, 3], Uint8Array.from({ length: 18 }, (_, i) => i * 10)), 'a.npy');
  assert.deepEqual(u8.shape, [2, 3, 3]);
  assert.ok(u8.data instanceof Uint8Array);
  assert.equal(u8.data[17], 170);
  const i8 = parseNpy(npyBytes('<i8', [3], BigInt64Array.from([7n, 2n, 1n])), 'b.npy');
  assert.deepEqual([...i8.data], [7, 2, 1]);
  const f4 = parseNpy(npyBytes('<f4', [2], Float32Array.from([0.5, 1])), 'c.npy');
  assert.deepEqual([...f4.data], [0.5, 1]);
});

test('bad magic, truncated data and unsupported dtypes are clear errors', () => {
  assert.throws(() => parseNpy(new Uint8Array(20), 'x.npy'), (e: unknown) => e instanceof DataError && e.code === 'bad-magic' && /x\.npy/.test(e.message));
  const full = npyBytes('|u1', [10, 10], new Uint8Array(100));
  assert.throws(() => parseNpy(full.subarray(0, full.length - 1), 'x.npy'), (e: unknown) => e instanceof DataError && e.code === 'truncated');
  assert.throws(() => parseNpy(npyBytes('<c8', [1], new Uint8Array(8)), 'x.npy'), /dtype '<c8' is not supported/);
});

test('npz: a zip of arrays, read like Keras mnist.npz', () => {
  const zip = zipSync({
    'x_train.npy': npyBytes('|u1', [4, 2, 2], Uint8Array.from({ length: 16 }, (_, i) => i)),
    'y_train.npy': npyBytes('|u1', [4], Uint8Array.from([0, 1, 2, 3])),
  });
  const arrays = parseNpz(zip, 'mnist.npz');
  assert.deepEqual(Object.keys(arrays).sort(), ['x_train', 'y_train']);
  const set = imageSetFromNpy(arrays.x_train!, arrays.y_train!, 'x', 'y');
  assert.equal(set.count, 4);
  assert.deepEqual([...set.labels], [0, 1, 2, 3]);
  assert.throws(() => parseNpz(new Uint8Array([1, 2, 3, 4]), 'bad.npz'), (e: unknown) => e instanceof DataError && /bad\.npz/.test(e.message));
});

test('labels ≠ images in npy arrays', () => {
  const x = parseNpy(npyBytes('|u1', [3, 2, 2], new Uint8Array(12)), 'x');
  const y = parseNpy(npyBytes('|u1', [2], new Uint8Array(2)), 'y');
  assert.throws(() => imageSetFromNpy(x, y, 'f:x_train', 'f:y_train'), (e: unknown) => e instanceof DataError && e.code === 'mismatch');
});

test('float images in 0–1 become bytes', () => {
  const x = parseNpy(npyBytes('<f4', [1, 1, 2], Float32Array.from([0, 1])), 'x');
  const y = parseNpy(npyBytes('|u1', [1], new Uint8Array([0])), 'y');
  assert.deepEqual([...imageSetFromNpy(x, y, 'x', 'y').images], [0, 255]);
});
