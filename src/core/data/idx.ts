/**
 * IDX files (the MNIST format): magic 0x00 0x00 <type> <ndims>, then ndims big-endian u32 sizes,
 * then the data. Gzipped files (`.gz`, or starting with 1f 8b) are inflated first — the header
 * alone, then the rest capped at the size that header promises (a small .gz can inflate to GBs).
 */
import { Gunzip } from 'fflate';
import { DataError } from './errors';

export interface IdxArray {
  /** Sizes, e.g. [60000, 28, 28]. */
  shape: number[];
  /** Only unsigned bytes are used by image datasets; other element types are rejected. */
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = { 0x08: 'ubyte', 0x09: 'byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/** Largest IDX data read (header + elements): 1 GiB. */
export const MAX_IDX_BYTES = 1024 * 1024 * 1024;

/** Inflates gzip data; throws when the output would exceed `maxOutput` bytes. */
export type GunzipCapped = (bytes: Uint8Array, maxOutput: number) => Uint8Array;

/**
 * fflate's streaming inflate, fed in steps and stopped once the output passes `maxOutput`
 * (throws then) — or, with `stopAt`, as soon as it reaches `maxOutput` (returns what came).
 */
function inflateUpTo(bytes: Uint8Array, maxOutput: number, stopAt = false): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const g = new Gunzip((chunk) => {
    chunks.push(chunk);
    total += chunk.length;
  });
  // Small steps for a header peek: a step of n input bytes inflates to at most ~1032·n.
  const step = stopAt ? 1024 : 64 * 1024;
  for (let at = 0; at < bytes.length; at += step) {
    g.push(bytes.subarray(at, at + step), at + step >= bytes.length);
    if (total >= maxOutput && (stopAt || total > maxOutput)) break;
  }
  if (!stopAt && total > maxOutput) throw new RangeError(`inflates to more than ${maxOutput} bytes`);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** The pure-JS default (Node callers pass `zlib.gunzipSync` with `maxOutputLength`, several times faster). */
export const gunzipCapped: GunzipCapped = (bytes, maxOutput) => inflateUpTo(bytes, maxOutput);

function tooBig(file: string, shape: number[], bytes: number): DataError {
  return new DataError(
    `${file}: the IDX header declares ${shape.join('×')} = ${bytes} bytes; Model Lens reads IDX data up to ${MAX_IDX_BYTES} bytes (1 GiB). Use a smaller file or split it.`,
    'too-large',
    file,
  );
}

/** The dimensions in an IDX header, or undefined when `bytes` is too short to hold them. */
function idxShape(bytes: Uint8Array): number[] | undefined {
  if (bytes.length < 4) return undefined;
  const ndims = bytes[3]!;
  if (bytes.length < 4 + 4 * ndims) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parse an IDX file of unsigned bytes. `file` is only used in error messages. `gunzip` defaults
 * to fflate (pure JS); Node callers pass `zlib.gunzipSync`, which is several times faster.
 */
export function parseIdx(input: Uint8Array, file: string, gunzip: GunzipCapped = gunzipCapped): IdxArray {
  let bytes = input;
  if (isGzip(bytes)) {
    // The header first (at most 4 + 4·255 bytes), from a bounded prefix of the stream.
    let head: Uint8Array;
    try {
      head = inflateUpTo(input, 4 + 4 * 255, true);
    } catch (e) {
      throw new DataError(`${file}: the gzip data is corrupt (${(e as Error).message}). Download the file again.`, 'truncated', file);
    }
    const shape = head[0] === 0 && head[1] === 0 ? idxShape(head) : undefined;
    // Not an IDX header: inflate a little for the error message below.
    let limit = 1024;
    if (shape) {
      limit = 4 + 4 * shape.length + shape.reduce((a, b) => a * b, 1);
      if (limit > MAX_IDX_BYTES) throw tooBig(file, shape, limit - 4 - 4 * shape.length);
    }
    try {
      bytes = shape ? gunzip(input, limit) : head.subarray(0, limit);
    } catch (e) {
      const m = (e as Error).message;
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        throw new DataError(
          `${file}: the gzip data inflates to more than the ${limit} bytes its IDX header promises (${shape!.join('×')}); refused. Download the file again.`,
          'too-large',
          file,
        );
      }
      throw new DataError(`${file}: the gzip data is corrupt (${m}). Download the file again.`, 'truncated', file);
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
  if (count > MAX_IDX_BYTES) throw tooBig(file, shape, count);
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
