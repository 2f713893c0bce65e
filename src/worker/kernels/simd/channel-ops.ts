// Per-channel passes over an activation laid out as rows of C channels (NHWC with C last), as wasm
// SIMD loops four channels at a time: BatchNormalization's training statistics and gradient in
// a few passes over memory instead of TF.js's ~20 element-wise kernels a layer. Rows [from, to)
// only: threads split them. The sums go to `out` (one partial per chunk, added by the caller).
// Needs C a multiple of 4.
import { FunctionBuilder, type Local } from './wasm-module';

type P<T extends readonly string[]> = Record<T[number], Local>;
const params = <T extends readonly string[]>(f: FunctionBuilder, names: T) => Object.fromEntries(names.map((n, i) => [n, f.param(i)])) as P<T>;

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
  const f = new FunctionBuilder('channelSums', CHANNEL_SUMS_PARAMS.length);
  const p = params(f, CHANNEL_SUMS_PARAMS);
  const [o2, v, d] = [f.local('i32'), f.local('v128'), f.local('v128')];
  f.get(p.c).i32(4).mul().set(o2); // out's second half, in bytes
  rowsByFours(f, p.from, p.to, p.c, (row, ch) => {
    f.get(p.a).get(row).add().get(ch).add().load(0).set(v);
    f.get(p.mode).i32(0).geS().get(p.mode).i32(1).ltS().and().when(() => {
      f.get(p.out).get(ch).add().get(p.out).get(ch).add().load(0).get(v).f32x4Add().store(0);
    });
    f.get(p.mode).i32(1).geS().get(p.mode).i32(2).ltS().and().when(() => {
      f.get(v).get(p.mean).get(ch).add().load(0).f32x4Sub().set(d);
      f.get(p.out).get(ch).add().get(p.out).get(ch).add().load(0).get(d).get(d).f32x4Mul().f32x4Add().store(0);
    });
    f.get(p.mode).i32(2).geS().when(() => {
      f.get(p.out).get(ch).add().get(p.out).get(ch).add().load(0).get(v).f32x4Add().store(0);
      f.get(p.b).get(row).add().get(ch).add().load(0).get(p.mean).get(ch).add().load(0).f32x4Sub().set(d);
      f.get(p.out).get(o2).add().get(ch).add().get(p.out).get(o2).add().get(ch).add().load(0).get(v).get(d).f32x4Mul().f32x4Add().store(0);
    });
  });
  return f;
}

export const CHANNEL_AFFINE_PARAMS = ['a', 'b', 'ka', 'kb', 'k0', 'out', 'from', 'to', 'c'] as const;

/** out = a·ka[c] + b·kb[c] + k0[c] (the normalization, and BatchNormalization's input gradient). */
export function channelAffineFunction(): FunctionBuilder {
  const f = new FunctionBuilder('channelAffine', CHANNEL_AFFINE_PARAMS.length);
  const p = params(f, CHANNEL_AFFINE_PARAMS);
  rowsByFours(f, p.from, p.to, p.c, (row, ch) => {
    f.get(p.out).get(row).add().get(ch).add();
    f.get(p.a).get(row).add().get(ch).add().load(0).get(p.ka).get(ch).add().load(0).f32x4Mul();
    f.get(p.b).get(row).add().get(ch).add().load(0).get(p.kb).get(ch).add().load(0).f32x4Mul().f32x4Add();
    f.get(p.k0).get(ch).add().load(0).f32x4Add();
    f.store(0);
  });
  return f;
}
