// MaxPoolGrad for 2×2 windows at stride 2 that tile the input (the usual pooling), as a wasm SIMD
// loop over four channels at a time: each window's maximum, then the gradient to the first input
// position holding it (in the order top-left, top-right, bottom-left, bottom-right, the rule the
// cpu backend and max-pool-grad.ts follow) and 0 to the other three. Every input position lies in
// exactly one window, so each is written once. Needs channels a multiple of 4. Images [n0, n1)
// only: threads split the batch.
import { kernelFunction, type FunctionBuilder } from './wasm-module';

export const MAX_POOL_GRAD_PARAMS = ['x', 'dy', 'dx', 'n0', 'n1', 'oh', 'ow', 'c'] as const;

export function maxPoolGrad2x2Function(): FunctionBuilder {
  const { f, p } = kernelFunction('maxPoolGrad2x2', MAX_POOL_GRAD_PARAMS);
  const [n, y, xo, ch, cs, row, off, gp, end] = Array.from({ length: 9 }, () => f.local('i32'));
  const [a, b, d, e, m, sa, sb, sd, taken, g] = Array.from({ length: 10 }, () => f.local('v128'));
  // Bytes: one input pixel (c floats), one input row (2·ow pixels).
  f.get(p.c).i32(4).mul().set(cs);
  f.get(p.ow).i32(2).mul().get(cs).mul().set(row);
  f.range(n, () => f.get(p.n0), () => f.get(p.n1), 1, () => {
    f.range(y, () => f.i32(0), () => f.get(p.oh), 1, () => {
      f.range(xo, () => f.i32(0), () => f.get(p.ow), 1, () => {
        // The window's top-left pixel (bytes from x's start, the same from dx's) and dy's pixel.
        f.get(n).get(p.oh).i32(2).mul().mul().get(y).i32(2).mul().add().get(row).mul().get(xo).i32(2).mul().get(cs).mul().add().set(off);
        f.get(p.dy).get(n).get(p.oh).mul().get(y).add().get(p.ow).mul().get(xo).add().get(cs).mul().add().set(gp);
        f.get(off).get(cs).add().set(end);
        f.range(ch, () => f.get(off), () => f.get(end), 16, () => {
          f.get(p.x).get(ch).add().load(0).set(a);
          f.get(p.x).get(ch).add().get(cs).add().load(0).set(b);
          f.get(p.x).get(ch).add().get(row).add().load(0).set(d);
          f.get(p.x).get(ch).add().get(row).add().get(cs).add().load(0).set(e);
          f.get(gp).get(ch).add().get(off).sub().load(0).set(g);
          f.get(a).get(b).f32x4Max().get(d).get(e).f32x4Max().f32x4Max().set(m);
          f.get(a).get(m).f32x4Eq().set(sa);
          f.get(b).get(m).f32x4Eq().get(sa).v128AndNot().set(sb);
          f.get(sa).get(sb).v128Or().set(taken);
          f.get(d).get(m).f32x4Eq().get(taken).v128AndNot().set(sd);
          f.get(taken).get(sd).v128Or().set(taken);
          f.get(p.dx).get(ch).add().get(g).get(sa).v128And().store(0);
          f.get(p.dx).get(ch).add().get(cs).add().get(g).get(sb).v128And().store(0);
          f.get(p.dx).get(ch).add().get(row).add().get(g).get(sd).v128And().store(0);
          f.get(p.dx).get(ch).add().get(row).add().get(cs).add().get(g).get(taken).v128AndNot().store(0);
        });
      });
    });
  });
  return f;
}
