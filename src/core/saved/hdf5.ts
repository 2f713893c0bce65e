/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly, maintained by NIST): it reads
 * and writes, and its Node build opens files in place, so a dataset is read only when asked for
 * and only the rows asked for. This file is the only one that touches h5wasm: it opens files,
 * reads string attributes, reads tensors (float16/32/64 and integers) as Float32Array row ranges,
 * and turns h5wasm's failures into messages that say what is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Dataset, Group, File as H5File, Entity } from 'h5wasm/node';
import { readTooLarge } from './weights';

type H5Module = typeof import('h5wasm/node');

export type { Dataset, Group, H5File, Entity };

export class Hdf5Error extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'Hdf5Error';
  }
}

let readyPromise: Promise<void> | undefined;
let h5: H5Module | undefined;

/** Loads the wasm module once per process (h5wasm is an ES module: imported, not required). */
export function h5ready(): Promise<void> {
  readyPromise ??= import('h5wasm/node').then(async (m) => {
    await m.default.ready;
    h5 = m;
  });
  return readyPromise;
}

/** Whether h5wasm is loaded (synchronous readers need it loaded beforehand). */
export const h5loaded = (): boolean => h5 !== undefined;

function lib(): H5Module {
  if (!h5) throw new Error('h5ready() must be awaited before HDF5 is used');
  return h5;
}

export const isDataset = (e: Entity | null | undefined): e is Dataset => e instanceof lib().Dataset;
export const isGroup = (e: Entity | null | undefined): e is Group => e instanceof lib().Group;

/**
 * Runs an HDF5 call with the library's error stack (which it prints to stderr) captured instead
 * of printed; returns what it printed so the caller can say what went wrong.
 */
export function quietly<T>(fn: () => T): { value?: T; error?: unknown; log: string } {
  // h5wasm's Node build writes straight to file descriptor 2 through fs.writeSync.
  const fsMod = fs as { writeSync: typeof fs.writeSync };
  const writeSync = fsMod.writeSync;
  let log = '';
  fsMod.writeSync = ((fd: number, buffer: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
    if (typeof buffer === 'string') {
      log += buffer;
      return Buffer.byteLength(buffer);
    }
    const offset = typeof rest[0] === 'number' ? rest[0] : 0;
    const length = typeof rest[1] === 'number' ? rest[1] : buffer.byteLength - offset;
    log += Buffer.from(buffer.buffer, buffer.byteOffset + offset, length).toString('utf8');
    return length;
  }) as typeof fs.writeSync;
  try {
    return { value: fn(), log };
  } catch (error) {
    return { error, log };
  } finally {
    fsMod.writeSync = writeSync;
  }
}

/** The most specific line of a captured HDF5 error stack, in words. */
function hdf5Reason(log: string): string | undefined {
  const trunc = /truncated file: eof = (\d+).*stored_eof = (\d+)/.exec(log);
  if (trunc) return `the file is truncated: it has ${Number(trunc[1]).toLocaleString('en-US')} bytes but its HDF5 header says ${Number(trunc[2]).toLocaleString('en-US')}; copy or save it again`;
  const lines = [...log.matchAll(/ in ([A-Za-z0-9_]+)\(\): ([^\n]+)/g)].map((m) => m[2]!.trim());
  return lines.length ? lines[lines.length - 1] : undefined;
}

/** Opens an HDF5 file read-only (call `h5ready()` first). */
export function openH5(file: string, display = file): H5File {
  const abs = path.resolve(file);
  const size = fs.statSync(abs).size;
  const r = quietly(() => new (lib().File)(abs, 'r'));
  const id = (r.value as unknown as { file_id?: bigint } | undefined)?.file_id;
  if (r.error || !r.value || id === undefined || id < 0n) {
    const why = hdf5Reason(r.log) ?? (r.error ? shortMessage(r.error) : 'HDF5 could not open it');
    if (r.value && id !== undefined && id >= 0n) quietly(() => r.value!.close());
    throw new Hdf5Error(display, `not a readable HDF5 file (${size.toLocaleString('en-US')} bytes): ${why}`);
  }
  return r.value;
}

/** Creates (truncates) an HDF5 file for writing. */
export function createH5(file: string): H5File {
  return new (lib().File)(path.resolve(file), 'w');
}

function shortMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0]!.slice(0, 200);
}

/** A string attribute (fixed or variable length), or undefined. */
export function attrString(obj: Group | Dataset, name: string): string | undefined {
  const a = obj.attrs[name];
  if (!a) return undefined;
  const v = a.value;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
  return undefined;
}

/** A list-of-strings attribute (`layer_names`, `weight_names`), or undefined. */
export function attrStrings(obj: Group | Dataset, name: string): string[] | undefined {
  const a = obj.attrs[name];
  if (!a) return undefined;
  const v = a.value;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : x instanceof Uint8Array ? new TextDecoder().decode(x).replace(/\0+$/, '') : String(x)));
  // An empty list is stored as an empty float array by h5py.
  if (ArrayBuffer.isView(v) && (v as ArrayLike<number>).length === 0) return [];
  return undefined;
}

export type TensorDtype = 'float16' | 'float32' | 'float64' | 'bfloat16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

/** The numeric type of a dataset, or a reason it is not numeric. */
export function datasetDtype(ds: Dataset): TensorDtype | { unsupported: string } {
  const m = ds.metadata;
  if (ds.attrs['dtype'] && attrString(ds, 'dtype') === 'bfloat16') return 'bfloat16';
  if (m.type === 1) {
    if (m.size === 2) return 'float16';
    if (m.size === 4) return 'float32';
    if (m.size === 8) return 'float64';
    return { unsupported: `${m.size * 8}-bit float` };
  }
  if (m.type === 0) {
    const bits = m.size * 8;
    if (![8, 16, 32, 64].includes(bits)) return { unsupported: `${bits}-bit integer` };
    return `${m.signed ? 'int' : 'uint'}${bits}` as TensorDtype;
  }
  if (m.type === 8 && m.size === 1) return 'bool'; // h5py stores bool as an enum
  return { unsupported: `HDF5 type class ${m.type}` };
}

/** Compression filters h5wasm's HDF5 can decode (deflate and shuffle are built in). */
const BUILTIN_FILTERS = new Set([1, 2, 3]); // deflate, shuffle, fletcher32

export function missingFilter(ds: Dataset): string | undefined {
  for (const f of ds.filters) {
    if (!BUILTIN_FILTERS.has(f.id)) return `${f.name || 'filter'} (HDF5 filter id ${f.id})`;
  }
  return undefined;
}

const f16 = new Float32Array(1);
const f16u = new Uint32Array(f16.buffer);
/** IEEE half → float. */
export function halfToFloat(h: number): number {
  const s = (h & 0x8000) << 16;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) {
    if (m === 0) {
      f16u[0] = s;
      return f16[0]!;
    }
    return (s ? -1 : 1) * m * 2 ** -24; // subnormal
  }
  if (e === 31) f16u[0] = s | 0x7f800000 | (m << 13);
  else f16u[0] = s | ((e + 112) << 23) | (m << 13);
  return f16[0]!;
}

/** float → IEEE half (round to nearest even). */
export function floatToHalf(v: number): number {
  f16[0] = v;
  const x = f16u[0]!;
  const s = (x >>> 16) & 0x8000;
  const e = (x >>> 23) & 0xff;
  let m = x & 0x7fffff;
  if (e === 255) return s | 0x7c00 | (m ? 0x200 : 0);
  const he = e - 112;
  if (he >= 31) return s | 0x7c00;
  if (he <= 0) {
    if (he < -10) return s;
    m |= 0x800000;
    const shift = 14 - he;
    const half = m >> shift;
    const rem = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return s | (half + (rem > mid || (rem === mid && half & 1) ? 1 : 0));
  }
  const half = (he << 10) | (m >> 13);
  const rem = m & 0x1fff;
  return s | (half + (rem > 0x1000 || (rem === 0x1000 && half & 1) ? 1 : 0));
}

interface RawModule {
  get_dataset_data(fileId: bigint, path: string, count: bigint[] | null, offset: bigint[] | null, strides: bigint[] | null, ptr: bigint): number;
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
}

/**
 * Rows [start, end) of a dataset along its first axis (all of a scalar), converted to float32.
 * Reads the stored bytes itself, so float16 (which h5wasm does not convert) works too.
 */
export function readRows(ds: Dataset, start: number, end: number, file: string): Float32Array {
  const dtype = datasetDtype(ds);
  if (typeof dtype !== 'string') throw new Hdf5Error(file, `weight '${ds.path}' has a type Model Lens cannot read (${dtype.unsupported})`);
  const filter = missingFilter(ds);
  if (filter) throw new Hdf5Error(file, `weight '${ds.path}' is compressed with ${filter}, which this HDF5 build cannot decode; save the model without that compression (Keras saves uncompressed by default)`);
  const m = ds.metadata;
  const shape = m.shape ?? [];
  const rowSize = shape.slice(1).reduce((a, d) => a * d, 1);
  const rows = shape.length ? end - start : 1;
  const n = rows * rowSize;
  const bytes = n * m.size;
  if (n === 0) return new Float32Array(0);
  const tooLarge = readTooLarge(ds.path, n, m.size);
  if (tooLarge) throw new Hdf5Error(file, tooLarge);
  const mod = lib().Module as unknown as RawModule;
  const ptr = mod._malloc(bytes);
  if (!ptr) throw new Hdf5Error(file, `out of memory reading '${ds.path}' (${bytes} bytes)`);
  try {
    const fileId = (ds as unknown as { file_id: bigint }).file_id;
    const count = shape.length ? [BigInt(rows), ...shape.slice(1).map(BigInt)] : null;
    const offset = shape.length ? [BigInt(start), ...shape.slice(1).map(() => 0n)] : null;
    const strides = shape.length ? shape.map(() => 1n) : null;
    const r = quietly(() => mod.get_dataset_data(fileId, ds.path, count, offset, strides, BigInt(ptr)));
    if (r.error || (typeof r.value === 'number' && r.value < 0) || /Error detected/.test(r.log)) {
      throw new Hdf5Error(file, `cannot read weight '${ds.path}' (${hdf5Reason(r.log) ?? (r.error ? shortMessage(r.error) : 'read failed')}): the file may be truncated or damaged`);
    }
    const raw = mod.HEAPU8.slice(ptr, ptr + bytes);
    return toFloat32(raw, dtype, m.littleEndian);
  } finally {
    mod._free(ptr);
  }
}

function toFloat32(raw: Uint8Array, dtype: TensorDtype, little: boolean): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dtype === 'float32' && little) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const size = { float16: 2, bfloat16: 2, float32: 4, float64: 8, int8: 1, uint8: 1, bool: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8 }[dtype];
  const n = raw.byteLength / size;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (dtype) {
      case 'float16': out[i] = halfToFloat(view.getUint16(o, little)); break;
      case 'bfloat16': f16u[0] = view.getUint16(o, little) << 16; out[i] = f16[0]!; break;
      case 'float32': out[i] = view.getFloat32(o, little); break;
      case 'float64': out[i] = view.getFloat64(o, little); break;
      case 'int8': out[i] = view.getInt8(o); break;
      case 'uint8': case 'bool': out[i] = view.getUint8(o); break;
      case 'int16': out[i] = view.getInt16(o, little); break;
      case 'uint16': out[i] = view.getUint16(o, little); break;
      case 'int32': out[i] = view.getInt32(o, little); break;
      case 'uint32': out[i] = view.getUint32(o, little); break;
      case 'int64': out[i] = Number(view.getBigInt64(o, little)); break;
      case 'uint64': out[i] = Number(view.getBigUint64(o, little)); break;
    }
  }
  return out;
}
