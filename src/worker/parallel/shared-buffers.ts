// Flat float32 views of a list of tensors in a SharedArrayBuffer, for passing weights and
// gradients between threads without copies through the message channel.
export function totalSize(shapes: number[][]): number {
  return shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
}

/** Offsets (in floats) of each tensor in the flat buffer. */
export function offsets(shapes: number[][]): number[] {
  const out: number[] = [];
  let o = 0;
  for (const s of shapes) {
    out.push(o);
    o += s.reduce((x, y) => x * y, 1);
  }
  return out;
}

export function sharedFloats(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4));
}
