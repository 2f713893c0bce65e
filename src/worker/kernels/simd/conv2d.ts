// A 2-D convolution (NHWC, undilated, any stride and padding), plus bias and optionally ReLU, as
// a hand-written wasm SIMD loop:
//   y[n, oy, ox, co] = bias[co] + Σ_{i, j, ci} x[n, oy·sh + i − top, ox·sw + j − left, ci] · w[i, j, ci, co]
// Four neighbouring output pixels × eight filters are held in eight SIMD registers while the
// taps and input channels are added in: at each input channel, w's eight filters (two vectors)
// times each pixel's input value (splat to a vector). Columns whose window lies wholly inside the
// image take that four-pixel tile; the border columns (and the few left over) one pixel at a
// time, skipping the taps that fall in the padding. Used for the forward pass and, with the
// filter flipped and transposed, for the input gradient (conv2d-backprop-input.ts).
// Needs Co a multiple of 8. Output rows (n·oh + oy) [r0, r1) only: threads split them.
import { kernelFunction, type FunctionBuilder, type Local } from './wasm-module';

export const CONV2D_PARAMS = ['x', 'w', 'bias', 'y', 'r0', 'r1', 'h', 'wd', 'ci', 'oh', 'ow', 'co', 'kh', 'kw', 'top', 'left', 'sh', 'sw', 'relu'] as const;

export function conv2dFunction(): FunctionBuilder {
  const { f, p } = kernelFunction('conv2d', CONV2D_PARAMS);
  const L = () => f.local('i32');
  const [rr, n, oy, c0, ox, a, b, i, j, iy, ix, cc, px, pw, q1, q2, q3, xs, ys, wrow, wtap, xstep, xrowBase, yrow, t] = Array.from({ length: 25 }, L);
  const acc = Array.from({ length: 8 }, () => f.local('v128'));
  const [bv0, bv1, w0, w1, s, zero] = Array.from({ length: 6 }, () => f.local('v128'));
  const g = (l: Local) => () => f.get(l);

  f.get(p.ci).i32(4).mul().set(xs);
  f.get(p.co).i32(4).mul().set(ys);
  f.get(ys).set(wrow);
  f.get(p.ci).get(ys).mul().set(wtap);
  f.get(xs).get(p.sw).mul().set(xstep);
  f.get(xstep).set(q1);
  f.get(xstep).i32(2).mul().set(q2);
  f.get(xstep).i32(3).mul().set(q3);
  f.v128Zero().set(zero);
  // Interior columns [a, b): every tap inside the image. a = ⌈left / sw⌉ (at most ow); b = ⌊(wd − kw + left) / sw⌋ + 1, at most ow, at least a.
  f.get(p.left).get(p.sw).add().i32(1).sub().get(p.sw).divS().set(a);
  f.get(a).get(p.ow).get(a).get(p.ow).ltS().select().set(a);
  f.get(p.wd).get(p.kw).sub().get(p.left).add().set(t);
  f.get(t).get(p.sw).divS().i32(1).add().set(b);
  f.get(b).i32(0).get(t).i32(0).geS().select().set(b);
  f.get(b).get(p.ow).get(b).get(p.ow).ltS().select().set(b);
  f.get(b).get(a).get(b).get(a).gtS().select().set(b);

  /** acc = bias; Σ over valid taps; ReLU if asked; stored at column ox. `pixels` 4 (interior) or 1 (checked). */
  const pixelTile = (pixels: 4 | 1) => {
    for (let r = 0; r < pixels; r++) {
      f.get(bv0).set(acc[2 * r]!);
      f.get(bv1).set(acc[2 * r + 1]!);
    }
    f.range(i, () => f.i32(0), g(p.kh), 1, () => {
      f.get(oy).get(p.sh).mul().get(i).add().get(p.top).sub().set(iy);
      f.get(iy).i32(0).geS().get(iy).get(p.h).ltS().and().when(() => {
        f.range(j, () => f.i32(0), g(p.kw), 1, () => {
          f.get(ox).get(p.sw).mul().get(j).add().get(p.left).sub().set(ix);
          const body = () => {
            f.get(xrowBase).get(iy).get(p.wd).mul().get(ix).add().get(xs).mul().add().set(px);
            f.get(p.w).get(i).get(p.kw).mul().get(j).add().get(wtap).mul().add().get(c0).i32(4).mul().add().set(pw);
            f.range(cc, () => f.i32(0), g(p.ci), 1, () => {
              f.get(pw).load(0).set(w0);
              f.get(pw).load(16).set(w1);
              for (let r = 0; r < pixels; r++) {
                if (r === 0) f.get(px).loadSplat(0).set(s);
                else f.get(px).get([q1, q2, q3][r - 1]!).add().loadSplat(0).set(s);
                f.get(acc[2 * r]!).get(s).get(w0).f32x4Mul().f32x4Add().set(acc[2 * r]!);
                f.get(acc[2 * r + 1]!).get(s).get(w1).f32x4Mul().f32x4Add().set(acc[2 * r + 1]!);
              }
              f.get(px).i32(4).add().set(px);
              f.get(pw).get(wrow).add().set(pw);
            });
          };
          if (pixels === 4) body();
          else f.get(ix).i32(0).geS().get(ix).get(p.wd).ltS().and().when(body);
        });
      });
    });
    for (let r = 0; r < pixels; r++) {
      for (let half = 0; half < 2; half++) {
        const v = acc[2 * r + half]!;
        f.get(p.relu).when(() => {
          f.get(v).get(zero).f32x4Max().set(v);
        });
        f.get(yrow).get(ox).i32(r).add().get(ys).mul().add().get(c0).i32(4).mul().add().get(v).store(16 * half);
      }
    }
  };

  f.range(rr, g(p.r0), g(p.r1), 1, () => {
    f.get(rr).get(p.oh).divS().set(n);
    f.get(rr).get(n).get(p.oh).mul().sub().set(oy);
    f.get(p.x).get(n).get(p.h).mul().get(p.wd).mul().get(xs).mul().add().set(xrowBase); // x at (n, 0, 0); rows added per tap
    f.get(p.y).get(rr).get(p.ow).mul().get(ys).mul().add().set(yrow);
    // xrowBase + (iy·wd + ix)·xs is x at (n, iy, ix)
    f.range(c0, () => f.i32(0), g(p.co), 8, () => {
      f.get(p.bias).get(c0).i32(4).mul().add().load(0).set(bv0);
      f.get(p.bias).get(c0).i32(4).mul().add().load(16).set(bv1);
      // Left border, one pixel at a time.
      f.range(ox, () => f.i32(0), g(a), 1, () => pixelTile(1));
      // Interior, four pixels at a time, then what is left of it one at a time.
      f.get(a).set(ox);
      f.range(t, () => f.i32(0), () => f.get(b).get(a).sub().i32(4).divS(), 1, () => {
        pixelTile(4);
        f.get(ox).i32(4).add().set(ox);
      });
      f.range(ox, g(ox), g(p.ow), 1, () => pixelTile(1));
    });
  });
  return f;
}
