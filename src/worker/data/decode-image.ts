/** Decode PNG / JPEG files (pngjs, jpeg-js) into RGBA, with errors naming the file. */
import fs from 'node:fs';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../../core/data/errors';
import type { RawImage } from '../../core/data/preprocess';

export function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}
export function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

export function decodeImage(bytes: Uint8Array, file: string): RawImage {
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, channels: 4, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg(bytes)) {
      const jpg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return { width: jpg.width, height: jpg.height, channels: 4, data: jpg.data };
    }
  } catch (e) {
    throw new DataError(`${file}: the image is corrupt or truncated (${(e as Error).message}). Save it again as PNG or JPEG.`, 'bad-image', file);
  }
  throw new DataError(`${file}: not a PNG or JPEG image. Convert it to PNG or JPEG.`, 'bad-image', file);
}

export function readImageFile(file: string): RawImage {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new DataError(`${file}: cannot read the image (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, 'not-found', file);
  }
  return decodeImage(bytes, file);
}
