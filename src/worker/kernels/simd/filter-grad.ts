// The filter gradient of an undilated 2-D convolution as a hand-written wasm SIMD loop:
//   dW[i, j, ci, co] += Σ_{n, oy, ox} x[n, oy·sh + i − top, ox·sw + j − left, ci] · dy[n, oy, ox, co]
// read straight from the NHWC tensors: no padding, transposing or packing copies (XNNPACK's
// matrix products need all three here, as much time as the products themselves). For each
// output row and filter tap, the columns whose input pixel lies inside the image are one run;
// each 4-channel × 8-filter tile of dW is held in eight SIMD registers over that run, adding
// x's four channels (each splat to a vector) times dy's eight filters at every pixel.
// Channels beyond the last group of four (a first layer's 1 or 3) take a one-channel tile. Needs Co a multiple of 8. Images [n0, n1) only: threads split the batch.
import { kernelFunction, type FunctionBuilder, type Local } from './wasm-module';

/** Parameters, in order (i32: byte addresses, then sizes). */
export const FILTER_GRAD_PARAMS = ['x', 'dy', 'out', 'n0', 'n1', 'h', 'w', 'ci', 'oh', 'ow', 'co', 'kh', 'kw', 'top', 'left', 'sh', 'sw'] as const;

export function filterGradFunction(): FunctionBuilder {
  const { f, p } = kernelFunction('filterGrad', FILTER_GRAD_PARAMS);
  const [n, oy, i, j, iy, lo, hi, ci, co, xrow, dyrow, tap, px, pd, o, k, xs, ds, xstep, t, ci4] = Array.from({ length: 21 }, () => f.local('i32'));
  const acc = Array.from({ length: 8 }, () => f.local('v128'));
  const [b0, b1, s] = [f.local('v128'), f.local('v128'), f.local('v128')];
  const g = (l: Local) => () => f.get(l);

  // Strides in bytes: one pixel of x, one pixel of dy, x's step from one output column to the next.
  f.get(p.ci).i32(4).mul().set(xs);
  f.get(p.co).i32(4).mul().set(ds);
  f.get(xs).get(p.sw).mul().set(xstep);
  f.get(p.ci).i32(-4).and().set(ci4); // channels in whole groups of four
  f.range(n, g(p.n0), g(p.n1), 1, () => {
    f.range(oy, () => f.i32(0), g(p.oh), 1, () => {
      f.range(i, () => f.i32(0), g(p.kh), 1, () => {
        f.get(oy).get(p.sh).mul().get(i).add().get(p.top).sub().set(iy);
        // 0 <= iy < h
        f.get(iy).i32(0).geS().get(iy).get(p.h).ltS().and().when(() => {
          f.range(j, () => f.i32(0), g(p.kw), 1, () => {
            // Output columns whose input column ox·sw + j − left is inside [0, w): [lo, hi) with
            // lo = max(0, ⌈(left − j) / sw⌉), hi = min(ow, ⌊(w − 1 + left − j) / sw⌋ + 1) (0 when negative).
            f.get(p.left).get(j).sub().set(t);
            f.get(t).get(p.sw).add().i32(1).sub().get(p.sw).divS().i32(0).get(t).i32(0).gtS().select().set(lo);
            f.get(p.w).i32(1).sub().get(p.left).add().get(j).sub().set(t);
            f.get(t).get(p.sw).divS().i32(1).add().set(hi);
            f.get(hi).get(p.ow).get(hi).get(p.ow).ltS().select().set(hi);
            f.get(hi).i32(0).get(t).i32(0).geS().select().set(hi);
            f.get(hi).get(lo).gtS().when(() => {
              // x at (n, iy, lo + j − left), dy at (n, oy, lo), the tap's block of dW.
              f.get(p.x).get(n).get(p.h).mul().get(iy).add().get(p.w).mul().get(lo).get(p.sw).mul().add().get(j).add().get(p.left).sub().get(xs).mul().add().set(xrow);
              f.get(p.dy).get(n).get(p.oh).mul().get(oy).add().get(p.ow).mul().get(lo).add().get(ds).mul().add().set(dyrow);
              f.get(p.out).get(i).get(p.kw).mul().get(j).add().get(p.ci).mul().get(ds).mul().add().set(tap);
              // Channels four at a time, then the rest (fewer than four: a first layer's 1 or 3) one at a time.
              const tile = (rows: number) => () => {
                f.range(co, () => f.i32(0), g(p.co), 8, () => {
                  f.get(tap).get(ci).get(ds).mul().add().get(co).i32(4).mul().add().set(o);
                  for (let r = 0; r < rows; r++) {
                    f.get(o).get(ds).i32(r).mul().add().load(0).set(acc[2 * r]!);
                    f.get(o).get(ds).i32(r).mul().add().load(16).set(acc[2 * r + 1]!);
                  }
                  f.get(xrow).get(ci).i32(4).mul().add().set(px);
                  f.get(dyrow).get(co).i32(4).mul().add().set(pd);
                  f.range(k, g(lo), g(hi), 1, () => {
                    f.get(pd).load(0).set(b0);
                    f.get(pd).load(16).set(b1);
                    for (let r = 0; r < rows; r++) {
                      f.get(px).loadSplat(4 * r).set(s);
                      f.get(acc[2 * r]!).get(s).get(b0).f32x4Mul().f32x4Add().set(acc[2 * r]!);
                      f.get(acc[2 * r + 1]!).get(s).get(b1).f32x4Mul().f32x4Add().set(acc[2 * r + 1]!);
                    }
                    f.get(px).get(xstep).add().set(px);
                    f.get(pd).get(ds).add().set(pd);
                  });
                  for (let r = 0; r < rows; r++) {
                    f.get(o).get(ds).i32(r).mul().add().get(acc[2 * r]!).store(0);
                    f.get(o).get(ds).i32(r).mul().add().get(acc[2 * r + 1]!).store(16);
                  }
                });
              };
              f.range(ci, () => f.i32(0), g(ci4), 4, tile(4));
              f.range(ci, g(ci4), g(p.ci), 1, tile(1));
            });
          });
        });
      });
    });
  });
  return f;
}
