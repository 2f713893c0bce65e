// Hostile data files end at once with a clear error naming the file: sizes are checked before
// decoding (image headers, gzip output vs the IDX header, .npz entries), only regular files are
// read, image folders are resized to the model's input, 64-bit labels never wrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { DataError } from '../../../src/core/data/errors';
import { jpegSize, pngSize } from '../../../src/core/data/image-header';
import { imageSetFromNpy } from '../../../src/core/data/image-set';
import { parseIdx } from '../../../src/core/data/idx';
import { parseNpy, parseNpz } from '../../../src/core/data/npy';
import { loadDataset } from '../../../src/worker/data/datasets';
import { decodeImage, readImageFile } from '../../../src/worker/data/decode-image';
import { idxBytes, npyBytes } from '../data/make-data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-hostile-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const isData = (code: string, re: RegExp) => (e: unknown) => e instanceof DataError && e.code === code && re.test(e.message);

/** A PNG of a few dozen bytes whose header declares `w`×`h` RGBA pixels. */
function pngDeclaring(w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(8))), chunk('IEND', Buffer.alloc(0))]);
}

/** SOI, an APP0 segment, then a baseline frame header declaring `w`×`h`. */
function jpegDeclaring(w: number, h: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [0xff, 0xc0, 0x00, 0x0b, 8, h >> 8, h & 255, w >> 8, w & 255, 1, 1, 0x11, 0];
  return Uint8Array.from([0xff, 0xd8, ...app0, ...sof, 0xff, 0xd9]);
}

test('a 69-byte PNG declaring 65535×65535 is refused from its header, before decoding', () => {
  const png = pngDeclaring(65535, 65535);
  assert.ok(png.length < 80, `${png.length} bytes`);
  assert.deepEqual(pngSize(png), { width: 65535, height: 65535 });
  const before = process.memoryUsage().rss;
  assert.throws(() => decodeImage(png, 'bomb.png'), isData('too-large', /^bomb\.png: the image is 65535×65535 pixels \(4294\.8 M\); Model Lens decodes images up to 40 M pixels/));
  assert.ok(process.memoryUsage().rss - before < 200e6, 'no large allocation');
  // A real, small PNG still decodes.
  const ok = new PNG({ width: 3, height: 2 });
  assert.deepEqual([decodeImage(PNG.sync.write(ok), 'ok.png').width, decodeImage(PNG.sync.write(ok), 'ok.png').height], [3, 2]);
});

test('a JPEG declaring 65535×65535 is refused from its frame header; one without a frame is corrupt', () => {
  const jpg = jpegDeclaring(65535, 65535);
  assert.deepEqual(jpegSize(jpg), { width: 65535, height: 65535 });
  assert.throws(() => decodeImage(jpg, 'bomb.jpg'), isData('too-large', /bomb\.jpg: the image is 65535×65535/));
  assert.throws(() => decodeImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]), 'empty.jpg'), isData('bad-image', /empty\.jpg: the JPEG header has no image size/));
});

test('gzip IDX: output is capped at what the header promises; a header promising > 1 GiB is refused', () => {
  // 10 labels promised, 40 MB of zeros inflated: ~40 KB of gzip.
  const bomb = zlib.gzipSync(Buffer.concat([Buffer.from(idxBytes([10])), Buffer.alloc(40e6)]));
  const capped = (b: Uint8Array, max: number) => zlib.gunzipSync(b, { maxOutputLength: max });
  assert.throws(() => parseIdx(bomb, 'labels.gz', capped), isData('too-large', /labels\.gz: the gzip data inflates to more than the 18 bytes its IDX header promises \(10\)/));
  assert.throws(() => parseIdx(bomb, 'labels.gz'), isData('too-large', /inflates to more than the 18 bytes/), 'the pure-JS default too');
  const huge = zlib.gzipSync(Buffer.from(idxBytes([70000, 200, 200], new Uint8Array(0)).subarray(0, 16)));
  assert.throws(() => parseIdx(huge, 'images.gz', capped), isData('too-large', /declares 70000×200×200 = 2800000000 bytes; Model Lens reads IDX data up to/));
  // An honest file is read.
  const good = zlib.gzipSync(Buffer.from(idxBytes([4, 2, 2])));
  assert.deepEqual(parseIdx(good, 'ok.gz', capped).shape, [4, 2, 2]);
  assert.deepEqual(parseIdx(good, 'ok.gz').shape, [4, 2, 2]);
});

test('.npz entries: declared sizes checked before inflating, shape vs bytes exact, dtypes checked', () => {
  const npz = (entries: Record<string, Uint8Array>) => zipSync(entries);
  // An entry whose directory says it inflates to 2 GB.
  const big = Buffer.from(npz({ 'x_train.npy': npyBytes('|u1', [4], new Uint8Array(4)) }));
  const cd = big.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  big.writeUInt32LE(2_000_000_000, cd + 24);
  big.writeUInt32LE(2_000_000_000, 22);
  assert.throws(() => parseNpz(big, 'd.npz'), isData('too-large', /d\.npz: entry x_train\.npy inflates to 2000000000 bytes/));
  // An entry that claims fewer bytes than its header's shape needs.
  const lying = Buffer.from(npz({ 'y.npy': npyBytes('|u1', [1000], new Uint8Array(1000)) }));
  const cd2 = lying.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  lying.writeUInt32LE(200, cd2 + 24);
  lying.writeUInt32LE(200, 22);
  assert.throws(() => parseNpz(lying, 'l.npz'), isData('truncated', /l\.npz:y\.npy: truncated/));
  // Extra bytes after the array, a shape whose size overflows, an unsupported dtype.
  const extra = Buffer.concat([Buffer.from(npyBytes('|u1', [4], new Uint8Array(4))), Buffer.alloc(10)]);
  assert.throws(() => parseNpy(extra, 'e.npy'), isData('bad-format', /e\.npy: .*needs 4 bytes but the file holds 14/));
  assert.throws(() => parseNpy(npyBytes('<f8', [1e9, 1e9], new Uint8Array(0)), 'o.npy'), isData('too-large', /o\.npy: shape 1000000000×1000000000 of <f8/));
  assert.throws(() => parseNpy(npyBytes('<c16', [1], new Uint8Array(16)), 'c.npy'), isData('bad-format', /dtype '<c16' is not supported/));
});

test('a .npy read from a Node Buffer (a view into a shared pool) yields only its own data', () => {
  const pooled = Buffer.from(npyBytes('<f4', [2], Float32Array.from([1.5, -2])));
  assert.ok(pooled.buffer.byteLength > pooled.length, 'Buffer.from small data shares a pool');
  const a = parseNpy(pooled, 'p.npy');
  assert.deepEqual([...a.data], [1.5, -2]);
});

test('int64 labels ≥ 2^32 or negative are errors, never 0', () => {
  const x = parseNpy(npyBytes('|u1', [3, 2, 2], new Uint8Array(12)), 'x.npy');
  const wraps = parseNpyLabels([0n, 2n ** 32n, 1n]);
  assert.throws(() => parseNpy(wraps, 'y.npy'), isData('bad-format', /y\.npy: element #1 is 4294967296, outside the 32-bit range/));
  const neg = parseNpy(parseNpyLabels([0n, -1n, 1n]), 'y.npy');
  assert.throws(() => imageSetFromNpy(x, neg, 'x', 'y.npy'), /y\.npy: label #1 is -1/);
  const ok = parseNpy(parseNpyLabels([0n, 2n, 1n]), 'y.npy');
  assert.deepEqual([...imageSetFromNpy(x, ok, 'x', 'y').labels], [0, 2, 1]);
});

function parseNpyLabels(values: bigint[]): Uint8Array {
  return npyBytes('<i8', [values.length], BigInt64Array.from(values));
}

test('FIFOs, devices, folders: a clear error at once, never a hang', () => {
  const fifo = path.join(tmp, 'pipe.png');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const zero = path.join(tmp, 'zero.png');
  fs.symlinkSync('/dev/zero', zero);
  const folder = path.join(tmp, 'folder.png');
  fs.mkdirSync(folder);
  assert.throws(() => readImageFile(fifo), isData('not-a-file', /pipe\.png: the image is a named pipe \(FIFO\), not a regular file/));
  assert.throws(() => readImageFile(zero), isData('not-a-file', /zero\.png: the image is a character device/));
  assert.throws(() => readImageFile(folder), isData('not-a-file', /folder\.png: the image is a folder/));
  const fifoNpz = path.join(tmp, 'pipe.npz');
  assert.equal(spawnSync('mkfifo', [fifoNpz]).status, 0);
  assert.throws(() => loadDataset(fifoNpz), isData('not-a-file', /pipe\.npz: the dataset is not a regular file or a folder/));
  // An IDX folder whose files are a FIFO and a link to /dev/zero.
  const idx = path.join(tmp, 'idx');
  fs.mkdirSync(idx);
  assert.equal(spawnSync('mkfifo', [path.join(idx, 'train-images-idx3-ubyte')]).status, 0);
  fs.symlinkSync('/dev/zero', path.join(idx, 'train-labels-idx1-ubyte'));
  fs.writeFileSync(path.join(idx, 't10k-images-idx3-ubyte'), idxBytes([1, 2, 2]));
  fs.writeFileSync(path.join(idx, 't10k-labels-idx1-ubyte'), idxBytes([1], new Uint8Array([0])));
  assert.throws(() => loadDataset(idx), isData('not-a-file', /train-images-idx3-ubyte: the dataset file is a named pipe/));
});

test('an image folder is resized to the model input, not to its first (large) image', () => {
  const dir = path.join(tmp, 'imgs');
  const sizes = [300, 20, 28, 40];
  for (const [c, shade] of [['a', 30], ['b', 220]] as const) {
    fs.mkdirSync(path.join(dir, c), { recursive: true });
    sizes.forEach((s, i) => {
      const png = new PNG({ width: s, height: s });
      png.data.fill(shade);
      fs.writeFileSync(path.join(dir, c, `${i}.png`), PNG.sync.write(png));
    });
  }
  const ds = loadDataset(dir, undefined, { height: 28, width: 28 });
  assert.deepEqual([ds.train.height, ds.train.width, ds.train.images.length], [28, 28, ds.train.count * 28 * 28]);
  assert.equal(ds.train.count + ds.test.count, 8);
  const other = loadDataset(dir, undefined, { height: 16, width: 12 });
  assert.deepEqual([other.train.height, other.train.width], [16, 12], 'a model with another input gets its own size');
});
