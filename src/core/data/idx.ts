/**
 * IDX files (the MNIST format): magic 0x00 0x00 <type> <ndims>, then ndims big-endian u32 sizes,
 * then the data. Gzipped files (`.gz`, or starting with 1f 8b) are inflated first.
 */
import { gunzipSync } from 'fflate';
import { DataError } from './errors';

export interface IdxArray {
  /** Sizes, e.g. [60000, 28, 28]. */
  shape: number[];
  /** Only unsigned bytes are used by image datasets; other element types are rejected. */
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = { 0x08: 'ubyte', 0x09: 'byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parse an IDX file of unsigned bytes. `file` is only used in error messages. `gunzip` defaults
 * to fflate (pure JS); Node callers pass `zlib.gunzipSync`, which is several times faster.
 */
export function parseIdx(input: Uint8Array, file: string, gunzip: (b: Uint8Array) => Uint8Array = gunzipSync): IdxArray {
  let bytes = input;
  if (isGzip(bytes)) {
    try {
      bytes = gunzip(bytes);
    } catch (e) {
      throw new DataError(`${file}: the gzip data is corrupt (${(e as Error).message}). Download the file again.`, 'truncated', file);
    }
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    const got = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataError(
      `${file}: not an IDX file (magic number ${got || 'missing'}; expected 00 00 08 0N). Point the dataset at MNIST-style *-idx3-ubyte / *-idx1-ubyte files.`,
      'bad-magic',
      file,
    );
  }
  const type = bytes[2]!;
  const ndims = bytes[3]!;
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ?? `0x${type.toString(16)}`;
    throw new DataError(`${file}: IDX element type '${name}' is not supported (only unsigned bytes, as in MNIST).`, 'bad-format', file);
  }
  if (ndims < 1 || ndims > 4) {
    throw new DataError(`${file}: IDX header says ${ndims} dimensions; expected 1 (labels) or 3 (images).`, 'bad-format', file);
  }
  const headerLen = 4 + 4 * ndims;
  if (bytes.length < headerLen) {
    throw new DataError(`${file}: truncated IDX header (${bytes.length} bytes). Download the file again.`, 'truncated', file);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerLen;
  if (have < count) {
    throw new DataError(
      `${file}: truncated — the header promises ${shape.join('×')} = ${count} bytes of data but the file holds ${have}. Download the file again.`,
      'truncated',
      file,
    );
  }
  return { shape, data: bytes.subarray(headerLen, headerLen + count) };
}
