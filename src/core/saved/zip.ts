/**
 * Reading entries of a zip archive (a Keras 3 `.keras` file) without loading the archive: the
 * central directory is parsed from the end of the file, small entries (config.json) are read
 * into memory up to a limit, and large ones (model.weights.h5) are copied or inflated to a file in
 * chunks. Decompression is fflate's; a damaged or truncated archive is an error that says so.
 */
import fs from 'node:fs';
import { Inflate, inflateSync } from 'fflate';

export class ZipError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = fs.readSync(fd, b, 0, len, pos);
  return n === len ? b : b.subarray(0, n);
}

/** The archive's entries, from its central directory. */
export function listZip(file: string, display = file): ZipEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = readAt(fd, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipError(display, `not a complete zip archive (no end-of-archive record in its ${size} bytes): the file is truncated or damaged; copy or save it again`);
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff) {
      // zip64: the real figures are in the zip64 end record, located just before.
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new ZipError(display, 'damaged zip64 archive (no zip64 locator)');
      const z64 = Number(tail.readBigUInt64LE(loc + 8));
      const rec = readAt(fd, z64, 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== 0x06064b50) throw new ZipError(display, 'damaged zip64 archive (no zip64 end record)');
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > size) throw new ZipError(display, `the zip directory points past the end of the file (${size} bytes): the file is truncated; copy or save it again`);
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipError(display, `damaged zip directory at entry ${i + 1} of ${count}`);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      let compressedSize = cd.readUInt32LE(p + 20);
      let uncompressed = cd.readUInt32LE(p + 24);
      let offset = cd.readUInt32LE(p + 42);
      // zip64 extra field: the 0xffffffff figures follow in order.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 1) {
          let q = e + 4;
          if (uncompressed === 0xffffffff) (uncompressed = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (offset === 0xffffffff) offset = Number(cd.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      entries.push({ name: name.replace(/\\/g, '/'), method: cd.readUInt16LE(p + 10), compressedSize, size: uncompressed, localHeaderOffset: offset });
      p = end + commentLen;
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

function dataStart(fd: number, entry: ZipEntry, display: string): number {
  const h = readAt(fd, entry.localHeaderOffset, 30);
  if (h.length < 30 || h.readUInt32LE(0) !== 0x04034b50) throw new ZipError(display, `damaged zip entry '${entry.name}' (bad local header)`);
  return entry.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
}

function checkMethod(entry: ZipEntry, display: string): void {
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError(display, `'${entry.name}' is compressed with zip method ${entry.method}; only stored and deflate entries can be read (Keras writes stored)`);
}

/** A small entry's bytes (refuses entries over `limit` bytes). */
export function readZipEntry(file: string, entry: ZipEntry, limit: number, display = file): Uint8Array {
  checkMethod(entry, display);
  if (entry.size > limit) throw new ZipError(display, `'${entry.name}' is ${entry.size} bytes, over the ${limit}-byte limit for it`);
  const fd = fs.openSync(file, 'r');
  try {
    const start = dataStart(fd, entry, display);
    const raw = readAt(fd, start, entry.compressedSize);
    if (raw.length < entry.compressedSize) throw new ZipError(display, `'${entry.name}' is cut short (${raw.length} of ${entry.compressedSize} bytes): the file is truncated`);
    if (entry.method === 0) return raw;
    try {
      const out = inflateSync(raw, { out: new Uint8Array(entry.size) });
      if (out.length !== entry.size) throw new Error(`${out.length} of ${entry.size} bytes`);
      return out;
    } catch (e) {
      throw new ZipError(display, `'${entry.name}' does not decompress (${(e as Error).message}): the file is damaged`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

const CHUNK = 4 << 20;

/**
 * Copies (stored) or inflates (deflate) an entry into `out`, 4 MiB at a time, asynchronously: the
 * event loop gets a turn between chunks (a large `.keras` is copied while VS Code stays responsive).
 */
export async function extractZipEntry(file: string, entry: ZipEntry, out: string, display = file): Promise<void> {
  checkMethod(entry, display);
  const src = await fs.promises.open(file, 'r');
  try {
    const dst = await fs.promises.open(out, 'w');
    try {
      const start = dataStart(src.fd, entry, display);
      let written = 0;
      const inflated: Uint8Array[] = [];
      const inflater = entry.method === 8 ? new Inflate((chunk) => inflated.push(chunk)) : undefined;
      for (let pos = 0; pos < entry.compressedSize; pos += CHUNK) {
        const len = Math.min(CHUNK, entry.compressedSize - pos);
        // A fresh buffer each time: the inflater may keep a reference to the input it was given.
        const b = Buffer.alloc(len);
        const { bytesRead } = await src.read(b, 0, len, start + pos);
        if (bytesRead < len) throw new ZipError(display, `'${entry.name}' is cut short (${pos + bytesRead} of ${entry.compressedSize} bytes): the file is truncated; copy or save it again`);
        const parts: Uint8Array[] = [b];
        if (inflater) {
          try {
            inflater.push(b, pos + len >= entry.compressedSize);
          } catch (e) {
            throw new ZipError(display, `'${entry.name}' does not decompress (${(e as Error).message}): the file is damaged`);
          }
          parts.splice(0, 1, ...inflated.splice(0));
        }
        for (const part of parts) {
          await dst.write(part, 0, part.length, written);
          written += part.length;
        }
      }
      if (written !== entry.size) throw new ZipError(display, `'${entry.name}' gave ${written} bytes, its directory says ${entry.size}: the file is damaged`);
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}
