/**
 * What a model file is, from its first bytes (never from its extension: real `.keras` files can be
 * HDF5, and a `model.json` can be any JSON). HDF5's signature may sit after a user block at 512,
 * 1024, 2048… bytes; a zip starts with a local file header (or is an empty archive), which wins
 * over a signature further on.
 */
import fs from 'node:fs';

export type FileKind = 'hdf5' | 'zip' | 'json' | 'text';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffBytes(head: Uint8Array): FileKind {
  const hdf5At = (at: number) => at + 8 <= head.length && HDF5_SIGNATURE.every((b, i) => head[at + i] === b);
  if (hdf5At(0)) return 'hdf5';
  // A zip first: a stored `.keras` holds model.weights.h5 verbatim, so HDF5's signature can sit
  // at 512 or 1024 bytes inside it, where a user block would end.
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return 'zip';
  for (let at = 512; at + 8 <= head.length; at *= 2) if (hdf5At(at)) return 'hdf5';
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return head[i] === 0x7b ? 'json' : 'text';
}

/** Reads at most the first 4 KiB of a file (enough for HDF5 user blocks up to 2 KiB). */
export function sniffFile(file: string): FileKind {
  const fd = fs.openSync(file, 'r');
  try {
    const head = new Uint8Array(4096);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return sniffBytes(head.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}
