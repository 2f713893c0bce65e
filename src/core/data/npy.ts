/**
 * NumPy `.npy` arrays and `.npz` archives (a zip of `.npy` files, as in Keras's `mnist.npz`).
 * Supports the element types datasets use: (u)int8/16/32/64, float32/64, little-endian, C order.
 */
import { unzipSync } from 'fflate';
import { DataError } from './errors';

export type NpyData = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface NpyArray {
  /** NumPy dtype string, e.g. '|u1', '<f4'. */
  dtype: string;
  shape: number[];
  data: NpyData;
}

/** Largest array read from a .npy (or one .npz entry), and all entries of an .npz together: 1 GiB. */
export const MAX_NPY_BYTES = 1024 * 1024 * 1024;
/** Largest .npy header (NumPy writes well under 1 KiB). */
const MAX_HEADER_BYTES = 65536;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function field(header: string, key: string): string | undefined {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*`).exec(header);
  if (!m) return undefined;
  const rest = header.slice(m.index + m[0].length);
  if (rest.startsWith('(')) return rest.slice(0, rest.indexOf(')') + 1);
  const q = /^['"]([^'"]*)['"]/.exec(rest);
  if (q) return q[1];
  return /^[A-Za-z0-9_]+/.exec(rest)?.[0];
}

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError(`${file}: not a NumPy .npy array (bad magic number). Save it with numpy.save().`, 'bad-magic', file);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLenSize = major >= 2 ? 4 : 2;
  const headerLen = headerLenSize === 4 ? view.getUint32(8, true) : view.getUint16(8, true);
  const start = 8 + headerLenSize;
  if (headerLen > MAX_HEADER_BYTES) throw new DataError(`${file}: the .npy header claims ${headerLen} bytes (NumPy writes under 1 KiB); the file is corrupt.`, 'bad-format', file);
  if (bytes.length < start + headerLen) throw new DataError(`${file}: truncated .npy header.`, 'truncated', file);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const dtype = field(header, 'descr');
  const fortran = field(header, 'fortran_order');
  const shapeText = field(header, 'shape');
  if (!dtype || !shapeText) throw new DataError(`${file}: unreadable .npy header '${header.trim()}'.`, 'bad-format', file);
  if (fortran === 'True') throw new DataError(`${file}: Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray().`, 'bad-format', file);
  const shape = shapeText
    .replace(/[()\s]/g, '')
    .split(',')
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new DataError(`${file}: bad shape ${shapeText} in .npy header.`, 'bad-format', file);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (dtype.startsWith('>') && !/^>[ui]1$/.test(dtype)) {
    throw new DataError(`${file}: big-endian dtype '${dtype}' is not supported; convert with arr.astype('<…').`, 'bad-format', file);
  }
  const kind = dtype.replace(/^[<>|=]/, '');
  const sizes: Record<string, number> = { u1: 1, i1: 1, b1: 1, u2: 2, i2: 2, u4: 4, i4: 4, u8: 8, i8: 8, f4: 4, f8: 8 };
  const size = sizes[kind];
  if (!size) throw new DataError(`${file}: dtype '${dtype}' is not supported (use uint8, int32/64 or float32/64).`, 'bad-format', file);
  const byteLen = count * size;
  if (!Number.isSafeInteger(byteLen) || byteLen > MAX_NPY_BYTES) {
    throw new DataError(`${file}: shape ${shape.join('×')} of ${dtype} is ${byteLen} bytes; Model Lens reads arrays up to ${MAX_NPY_BYTES} bytes (1 GiB).`, 'too-large', file);
  }
  if (bytes.length - dataStart < byteLen) {
    throw new DataError(
      `${file}: truncated — shape ${shape.join('×')} of ${dtype} needs ${byteLen} bytes but the file holds ${bytes.length - dataStart}.`,
      'truncated',
      file,
    );
  }
  if (bytes.length - dataStart > byteLen) {
    throw new DataError(
      `${file}: shape ${shape.join('×')} of ${dtype} needs ${byteLen} bytes but the file holds ${bytes.length - dataStart} (extra data after the array); the file is corrupt or its header is wrong.`,
      'bad-format',
      file,
    );
  }
  // Copy into an aligned buffer (the data offset need not be a multiple of the element size).
  // (new Uint8Array copies: a Buffer's slice() is a view whose .buffer is the whole pool.)
  const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + byteLen)).buffer;
  const data = npyData(raw, dtype, file);
  return { dtype, shape, data };
}

/**
 * Little-endian C-order bytes of a supported dtype ('|u1', '<i8', '<f4', …) as a typed array;
 * 64-bit integers are narrowed to int32 and a value that does not fit is an error naming `file`.
 */
export function npyData(raw: ArrayBuffer, dtype: string, file: string): NpyData {
  const kind = dtype.replace(/^[<>|=]/, '');
  let data: NpyData;
  switch (kind) {
    case 'u1':
    case 'b1':
      data = new Uint8Array(raw);
      break;
    case 'i1':
      data = new Int8Array(raw);
      break;
    case 'u2':
      data = new Uint16Array(raw);
      break;
    case 'i2':
      data = new Int16Array(raw);
      break;
    case 'u4':
      data = new Uint32Array(raw);
      break;
    case 'i4':
      data = new Int32Array(raw);
      break;
    case 'u8':
    case 'i8': {
      // 64-bit integers: labels/indices in practice; narrowed to int32 — a value that does not
      // fit is an error, never wrapped (2^32 would become 0).
      const big = kind === 'u8' ? new BigUint64Array(raw) : new BigInt64Array(raw);
      const out = new Int32Array(big.length);
      for (let i = 0; i < big.length; i++) {
        const v = big[i]!;
        if (v > 2147483647n || v < -2147483648n) {
          throw new DataError(`${file}: element #${i} is ${v}, outside the 32-bit range Model Lens reads ${dtype} into. Labels must be class indices 0, 1, 2, …`, 'bad-format', file);
        }
        out[i] = Number(v);
      }
      data = out;
      break;
    }
    case 'f4':
      data = new Float32Array(raw);
      break;
    default:
      data = new Float64Array(raw);
  }
  return data;
}

/** Read every `.npy` in an `.npz` archive; keys without the `.npy` suffix (`x_train`, …). */
export function parseNpz(bytes: Uint8Array, file: string): Record<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  let total = 0;
  try {
    // Entry sizes come from the zip directory: checked before anything is inflated (fflate
    // inflates an entry into a buffer of its declared size, never more).
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith('.npy')) return false;
        if (f.originalSize > MAX_NPY_BYTES || (total += f.originalSize) > MAX_NPY_BYTES) {
          throw new DataError(`${file}: entry ${f.name} inflates to ${f.originalSize} bytes (${total} in all); Model Lens reads .npz archives up to ${MAX_NPY_BYTES} bytes (1 GiB) inflated.`, 'too-large', file);
        }
        if (f.compression !== 0 && f.compression !== 8) {
          throw new DataError(`${file}: entry ${f.name} uses zip compression method ${f.compression}; only stored and deflate (what numpy.savez writes) are read.`, 'bad-format', file);
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${file}: not a readable .npz (zip) archive (${(e as Error).message}). Download it again.`, 'bad-format', file);
  }
  const out: Record<string, NpyArray> = {};
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith('.npy')) continue;
    out[name.slice(0, -4)] = parseNpy(content, `${file}:${name}`);
  }
  if (Object.keys(out).length === 0) throw new DataError(`${file}: the archive holds no .npy arrays.`, 'bad-format', file);
  return out;
}
