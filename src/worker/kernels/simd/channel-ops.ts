// Per-channel passes over an activation laid out as rows of C channels (NHWC with C last), as wasm
// SIMD loops four channels at a time: BatchNormalization's training statistics and gradient in
// a few passes over memory instead of TF.js's ~20 element-wise kernels a layer. Rows [from, to)
// only: threads split them. The sums go to `out` (one partial per chunk, added by the caller).
// Needs C a multiple of 4.
import { kernelFunction, type FunctionBuilder, type Local } from './wasm-module';

/** Loops rows [from, to) and, in each, channels four at a time; `body(off)` gets the byte offset of the four in the row and of the row. */
function rowsByFours(f: FunctionBuilder, from: Local, to: Local, c: Local, body: (row: Local, ch: Local) => void): void {
  const [r, row, ch, rowBytes] = [f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32')];
  f.get(c).i32(4).mul().set(rowBytes);
  f.range(r, () => f.get(from), () => f.get(to), 1, () => {
    f.get(r).get(rowBytes).mul().set(row);
    f.range(ch, () => f.i32(0), () => f.get(rowBytes), 16, () => body(row, ch));
  });
}

export const CHANNEL_SUMS_PARAMS = ['a', 'b', 'mean', 'out', 'from', 'to', 'c', 'mode'] as const;

/**
 * mode 0: out[c] += Σ a; mode 1: out[c] += Σ (a − mean)²; mode 2: out[c] += Σ a and
 * out[C + c] += Σ a·(b − mean) (BatchNormalization's gradient sums, a = dy, b = x).
 */
export function channelSumsFunction(): FunctionBuilder {
  const { f, p } = kernelFunction('channelSums', CHANNEL_SUMS_PARAMS);
  const [o2, v, d] = [f.local('i32'), f.local('v128'), f.local('v128')];
  f.get(p.c).i32(4).mul().set(o2); // out's second half, in bytes
  // out[c] += what `term` leaves on the stack (the four channels at `ch`, in out's half `half`).
  const add = (ch: Local, half: Local | undefined, term: () => void) => {
    const at = () => (half ? f.get(p.out).get(half).add().get(ch).add() : f.get(p.out).get(ch).add());
    at();
    at().load(0);
    term();
    f.f32x4Add().store(0);
  };
  // One loop per mode, chosen once (not tested at every element).
  const modes: Array<(row: Local, ch: Local) => void> = [
    (row, ch) => add(ch, undefined, () => f.get(p.a).get(row).add().get(ch).add().load(0)),
    (row, ch) => {
      f.get(p.a).get(row).add().get(ch).add().load(0).get(p.mean).get(ch).add().load(0).f32x4Sub().set(d);
      add(ch, undefined, () => f.get(d).get(d).f32x4Mul());
    },
    (row, ch) => {
      f.get(p.a).get(row).add().get(ch).add().load(0).set(v);
      add(ch, undefined, () => f.get(v));
      f.get(p.b).get(row).add().get(ch).add().load(0).get(p.mean).get(ch).add().load(0).f32x4Sub().set(d);
      add(ch, o2, () => f.get(v).get(d).f32x4Mul());
    },
  ];
  modes.forEach((body, mode) => f.get(p.mode).i32(mode).eq().when(() => rowsByFours(f, p.from, p.to, p.c, body)));
  return f;
}

export const CHANNEL_AFFINE_PARAMS = ['a', 'b', 'ka', 'kb', 'k0', 'out', 'from', 'to', 'c'] as const;

/** out = a·ka[c] + b·kb[c] + k0[c] (the normalization, and BatchNormalization's input gradient). */
export function channelAffineFunction(): FunctionBuilder {
  const { f, p } = kernelFunction('channelAffine', CHANNEL_AFFINE_PARAMS);
  rowsByFours(f, p.from, p.to, p.c, (row, ch) => {
    f.get(p.out).get(row).add().get(ch).add();
    f.get(p.a).get(row).add().get(ch).add().load(0).get(p.ka).get(ch).add().load(0).f32x4Mul();
    f.get(p.b).get(row).add().get(ch).add().load(0).get(p.kb).get(ch).add().load(0).f32x4Mul().f32x4Add();
    f.get(p.k0).get(ch).add().load(0).f32x4Add();
    f.store(0);
  });
  return f;
}
