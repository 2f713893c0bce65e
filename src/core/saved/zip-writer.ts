/**
 * Writing a stored (uncompressed) zip, as Keras's `saving_lib` does with Python's zipfile: small
 * entries from memory, large ones (model.weights.h5) copied from a file in 4 MiB chunks, so the
 * archive is never held in memory. Each local header is written first and its CRC-32 filled in
 * once the entry's bytes are through (the file is seekable, as zipfile does it). Archives or
 * entries of 4 GiB and more would need zip64: refused with a message instead.
 */
import fs from 'node:fs';

export type ZipSource = { name: string; bytes: Uint8Array } | { name: string; file: string };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continues a CRC-32 (start with 0) over `bytes`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const CHUNK = 4 << 20;
const LIMIT = 0xffffffff;

export class ZipWriteError extends Error {}

/** 1980-01-01 00:00 in DOS format, the date Keras's zipfile entries carry. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

export function writeStoredZip(out: string, sources: ZipSource[]): void {
  const fd = fs.openSync(out, 'w');
  try {
    let pos = 0;
    const write = (b: Uint8Array) => {
      fs.writeSync(fd, b, 0, b.length, pos);
      pos += b.length;
    };
    const central: Buffer[] = [];
    for (const s of sources) {
      const name = Buffer.from(s.name, 'utf8');
      const size = 'bytes' in s ? s.bytes.length : fs.statSync(s.file).size;
      if (size >= LIMIT || pos >= LIMIT) throw new ZipWriteError(`'${s.name}' would end past 4 GiB in the archive, which needs zip64; Model Lens writes .keras files under 4 GiB`);
      const at = pos;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt16LE(DOS_TIME, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(0, 14); // CRC, filled in below
      local.writeUInt32LE(size, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      write(local);
      write(name);
      let crc = 0;
      if ('bytes' in s) {
        crc = crc32(s.bytes);
        write(s.bytes);
      } else {
        const rfd = fs.openSync(s.file, 'r');
        try {
          const buf = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
          for (let done = 0; done < size; ) {
            const n = fs.readSync(rfd, buf, 0, Math.min(buf.length, size - done), done);
            if (n <= 0) throw new ZipWriteError(`'${s.name}' shrank while it was being written`);
            const part = buf.subarray(0, n);
            crc = crc32(part, crc);
            write(part);
            done += n;
          }
        } finally {
          fs.closeSync(rfd);
        }
      }
      const crcBytes = Buffer.alloc(4);
      crcBytes.writeUInt32LE(crc, 0);
      fs.writeSync(fd, crcBytes, 0, 4, at + 14);
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, zip 2.0 (as Python's zipfile on Linux)
      cd.writeUInt16LE(20, 6);
      cd.writeUInt16LE(0x0800, 8);
      cd.writeUInt16LE(0, 10);
      cd.writeUInt16LE(DOS_TIME, 12);
      cd.writeUInt16LE(DOS_DATE, 14);
      cd.writeUInt32LE(crc, 16);
      cd.writeUInt32LE(size, 20);
      cd.writeUInt32LE(size, 24);
      cd.writeUInt16LE(name.length, 28);
      cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
      cd.writeUInt32LE(at, 42);
      central.push(cd, name);
    }
    const cdStart = pos;
    for (const b of central) write(b);
    if (pos >= LIMIT) throw new ZipWriteError('the archive would reach 4 GiB, which needs zip64; Model Lens writes .keras files under 4 GiB');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(sources.length, 8);
    end.writeUInt16LE(sources.length, 10);
    end.writeUInt32LE(pos - cdStart, 12);
    end.writeUInt32LE(cdStart, 16);
    write(end);
  } finally {
    fs.closeSync(fd);
  }
}
