import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../../../src/core/data/errors';
import { borderMean, mnistStyle, resizeGray, toGray } from '../../../src/core/data/preprocess';
import { decodeImage, readImageFile } from '../../../src/worker/data/decode-image';

/** RGBA image: light paper, a dark thick "1"-like bar off-centre plus a foot. */
function drawDigit(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ink = (x >= 20 && x < 32 && y >= 10 && y < 70) || (x >= 12 && x < 44 && y >= 60 && y < 70);
      const i = (y * width + x) * 4;
      data.set(ink ? [30, 30, 40, 255] : [240, 235, 230, 255], i);
    }
  }
  return data;
}

function centreOfMass(img: { width: number; height: number; data: Uint8Array }): [number, number, number] {
  let m = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x]!;
      m += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  return [cx / m, cy / m, m];
}

function inkBox(img: { width: number; height: number; data: Uint8Array }): { w: number; h: number } {
  let minX = 99, maxX = -1, minY = 99, maxY = -1;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.data[y * img.width + x]! > 40) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
  return { w: maxX - minX + 1, h: maxY - minY + 1 };
}

function checkMnistLike(out: { width: number; height: number; data: Uint8Array }) {
  assert.equal(out.width, 28);
  assert.equal(out.height, 28);
  assert.ok(borderMean(out) < 10, 'background is dark after inverting the light paper');
  const [cx, cy, mass] = centreOfMass(out);
  assert.ok(mass > 0);
  assert.ok(Math.abs(cx - 14) <= 1 && Math.abs(cy - 14) <= 1, `centre of mass ${cx.toFixed(2)},${cy.toFixed(2)}`);
  const box = inkBox(out);
  assert.ok(Math.max(box.w, box.h) <= 21 && Math.max(box.w, box.h) >= 18, `fitted into 20×20 (got ${box.w}×${box.h})`);
}

test('PNG of any size and colour → 28×28, inverted, fitted into 20×20, centred by mass', () => {
  const png = new PNG({ width: 80, height: 100 });
  png.data.set(drawDigit(80, 100));
  const bytes = PNG.sync.write(png);
  checkMnistLike(mnistStyle(decodeImage(bytes, 'digit.png')));
});

test('JPEG decodes and gives the same kind of image', () => {
  const jpg = encodeJpeg({ width: 80, height: 100, data: Buffer.from(drawDigit(80, 100)) }, 90);
  checkMnistLike(mnistStyle(decodeImage(jpg.data, 'digit.jpg')));
});

test('a white-on-black image is not inverted; a blank one stays blank', () => {
  const g = { width: 28, height: 28, data: new Uint8Array(784) };
  for (let y = 8; y < 20; y++) for (let x = 12; x < 15; x++) g.data[y * 28 + x] = 255;
  const out = mnistStyle(g);
  assert.ok(borderMean(out) < 10);
  assert.ok(out.data.some((v) => v > 200));
  assert.ok(mnistStyle({ width: 10, height: 10, data: new Uint8Array(100) }).data.every((v) => v === 0));
});

test('transparent pixels count as white paper; grayscale helpers', () => {
  const gray = toGray({ width: 2, height: 1, channels: 4, data: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 255]) });
  assert.deepEqual([...gray.data], [255, 0]);
  const half = resizeGray({ width: 4, height: 2, data: new Uint8Array([0, 255, 255, 255, 0, 255, 255, 255]) }, 2, 1);
  assert.deepEqual([...half.data], [128, 255]);
});

test('corrupt and non-image files are DataErrors naming the file', () => {
  const png = new PNG({ width: 8, height: 8 });
  const good = PNG.sync.write(png);
  assert.throws(() => decodeImage(good.subarray(0, 30), 'cut.png'), (e: unknown) => e instanceof DataError && e.code === 'bad-image' && /cut\.png/.test(e.message));
  assert.throws(() => decodeImage(new TextEncoder().encode('hello world, not an image'), 'notes.txt'), (e: unknown) => e instanceof DataError && /not a PNG or JPEG/.test(e.message));
  const missing = path.join(os.tmpdir(), 'model-lens-no-such-image.png');
  assert.throws(() => readImageFile(missing), (e: unknown) => e instanceof DataError && e.code === 'not-found');
  assert.ok(!fs.existsSync(missing));
});
