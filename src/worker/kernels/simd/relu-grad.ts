// ReLU's gradient as one wasm SIMD pass: dx = dy · step(x), step(x) = 1 where x > 0, 0 elsewhere
// and NaN where x is NaN, exactly TF.js's mul(dy, step(x)) (−0 for a negative dy included) but
// one pass instead of TF.js's Step and Multiply kernels, each a pass on one thread. Elements [from, to) only: threads split them; a scalar loop takes the last few.
import { kernelFunction, type FunctionBuilder } from './wasm-module';

export const RELU_GRAD_PARAMS = ['dy', 'x', 'dx', 'from', 'to'] as const;

export function reluGradFunction(): FunctionBuilder {
  const { f, p } = kernelFunction('reluGrad', RELU_GRAD_PARAMS);
  const [i, end4, o] = [f.local('i32'), f.local('i32'), f.local('i32')];
  const [v, zero, one] = [f.local('v128'), f.local('v128'), f.local('v128')];
  const [s] = [f.local('f32')];
  f.v128Zero().set(zero);
  f.f32Const(1).f32x4Splat().set(one);
  // from + 4·⌊(to − from) / 4⌋: the vector part's end.
  f.get(p.to).get(p.from).sub().i32(-4).and().get(p.from).add().set(end4);
  f.range(i, () => f.get(p.from), () => f.get(end4), 4, () => {
    f.get(i).i32(4).mul().set(o);
    f.get(p.x).get(o).add().load(0).set(v);
    f.get(p.dx).get(o).add();
    // dy · ((1 & (x > 0)) | (x & (x ≠ x))): the step is 1, 0, or x itself when NaN
    f.get(p.dy).get(o).add().load(0);
    f.get(one).get(v).get(zero).f32x4Gt().v128And();
    f.get(v).get(v).get(v).f32x4Ne().v128And().v128Or();
    f.f32x4Mul().store(0);
  });
  f.range(i, () => f.get(end4), () => f.get(p.to), 1, () => {
    f.get(i).i32(4).mul().set(o);
    f.get(p.x).get(o).add().f32Load(0).set(s);
    f.get(p.dx).get(o).add();
    f.get(p.dy).get(o).add().f32Load(0);
    // step: x ≠ x (NaN) ? x : (x > 0 ? 1 : 0)
    f.get(s);
    f.f32Const(1).f32Const(0).get(s).f32Const(0).f32Gt().fSelect();
    f.get(s).get(s).f32Ne().fSelect();
    f.f32Mul().f32Store(0);
  });
  return f;
}
