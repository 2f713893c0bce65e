/**
 * Image dimensions read from a PNG or JPEG header, before decoding: a 69-byte PNG can declare
 * 65535×65535 pixels (16 GB of RGBA). Pure; no decoder.
 */
import { DataError } from './errors';

/** Largest image decoded: 40 M pixels (e.g. 8000×5000; 160 MB as RGBA). */
export const MAX_IMAGE_PIXELS = 40_000_000;

export interface ImageSize {
  width: number;
  height: number;
}

/** PNG: the IHDR chunk must come first (bytes 12–15 'IHDR', width and height big-endian at 16 and 20). */
export function pngSize(b: Uint8Array): ImageSize | undefined {
  if (b.length < 24 || b[12] !== 0x49 || b[13] !== 0x48 || b[14] !== 0x44 || b[15] !== 0x52) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: v.getUint32(16, false), height: v.getUint32(20, false) };
}

/** JPEG: walks the marker segments to the first start-of-frame (SOF0–SOF15, not DHT/JPG/DAC). */
export function jpegSize(b: Uint8Array): ImageSize | undefined {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / scan before any frame
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    if (len < 2) return undefined;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return undefined;
      return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    }
    i += 2 + len;
  }
  return undefined;
}

/**
 * Refuses an image whose header declares more than `maxPixels` (or no size, or a zero side),
 * naming the file and the size, before any decoding.
 */
export function checkImageSize(size: ImageSize | undefined, file: string, format: 'PNG' | 'JPEG', maxPixels = MAX_IMAGE_PIXELS): ImageSize {
  if (!size) throw new DataError(`${file}: the ${format} header has no image size (the file is corrupt or truncated). Save it again as PNG or JPEG.`, 'bad-image', file);
  if (size.width === 0 || size.height === 0) throw new DataError(`${file}: the ${format} header declares a ${size.width}×${size.height} image (empty).`, 'bad-image', file);
  const pixels = size.width * size.height;
  if (pixels > maxPixels) {
    throw new DataError(
      `${file}: the image is ${size.width}×${size.height} pixels (${(pixels / 1e6).toFixed(1)} M); Model Lens decodes images up to ${maxPixels / 1e6} M pixels. Resize it first (the model needs only its input size).`,
      'too-large',
      file,
    );
  }
  return size;
}
