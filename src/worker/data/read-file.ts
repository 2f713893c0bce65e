/**
 * Reading a data file from the workspace: regular files only, up to a size limit, decided on
 * the opened file itself (no check-then-open gap). A FIFO, a device such as /dev/zero (or a
 * link to one) or a folder is refused at once with a clear message — never read, never waited on.
 */
import fs from 'node:fs';
import { DataError } from '../../core/data/errors';

/** Largest dataset file read whole (.npz, IDX): 1 GiB. */
export const MAX_DATA_FILE_BYTES = 1024 * 1024 * 1024;
/** Largest image file read (PNG/JPEG). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;
}

/** The bytes of `file`, a regular file of at most `maxBytes`; `what` names it in messages ("image", "dataset file"). */
export function readRegularFile(file: string, maxBytes: number, what: string): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting forever.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new DataError(`${file}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, 'not-found', file);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new DataError(`${file}: the ${what} is ${kindOf(st)}, not a regular file. Point it at a file.`, 'not-a-file', file);
    if (st.size > maxBytes) throw new DataError(`${file}: the ${what} is ${mib(st.size)}; Model Lens reads ${what}s up to ${mib(maxBytes)}.`, 'too-large', file);
    const out = new Uint8Array(st.size);
    let at = 0;
    while (at < out.length) {
      const n = fs.readSync(fd, out, at, out.length - at, at);
      if (n === 0) break;
      at += n;
    }
    if (at !== out.length) throw new DataError(`${file}: the ${what} changed while it was read (${at} of ${st.size} bytes). Try again.`, 'truncated', file);
    return out;
  } finally {
    fs.closeSync(fd);
  }
}
