/**
 * Decode PNG / JPEG files (pngjs, jpeg-js) into RGBA, with errors naming the file. The size in
 * the header is checked before decoding; only regular files of a bounded size are read.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../../core/data/errors';
import { checkImageSize, jpegSize, MAX_IMAGE_PIXELS, pngSize } from '../../core/data/image-header';
import type { RawImage } from '../../core/data/preprocess';
import { MAX_IMAGE_FILE_BYTES, readRegularFile } from './read-file';

export function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}
export function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

export function decodeImage(bytes: Uint8Array, file: string, maxPixels = MAX_IMAGE_PIXELS): RawImage {
  if (isPng(bytes)) checkImageSize(pngSize(bytes), file, 'PNG', maxPixels);
  else if (isJpeg(bytes)) checkImageSize(jpegSize(bytes), file, 'JPEG', maxPixels);
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, channels: 4, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg(bytes)) {
      const jpg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: Math.ceil(maxPixels / 1e6), maxMemoryUsageInMB: 512 });
      return { width: jpg.width, height: jpg.height, channels: 4, data: jpg.data };
    }
  } catch (e) {
    throw new DataError(`${file}: the image is corrupt or truncated (${(e as Error).message}). Save it again as PNG or JPEG.`, 'bad-image', file);
  }
  throw new DataError(`${file}: not a PNG or JPEG image. Convert it to PNG or JPEG.`, 'bad-image', file);
}

export function readImageFile(file: string): RawImage {
  return decodeImage(readRegularFile(file, MAX_IMAGE_FILE_BYTES, 'image'), file);
}
