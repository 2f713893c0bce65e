// The optimizer updates as one loop over every weight: plain JavaScript source, compiled once on
// the main thread and once in each helper thread (update-pool.ts), so both run the same code.
// Each rule reproduces TensorFlow.js's own optimizer step by step (tfjs-core 4.22
// adam_optimizer.ts, momentum_optimizer.ts, sgd_optimizer.ts, rmsprop_optimizer.ts); AdamW adds
// Keras's decoupled weight decay (the weight shrinks by lr · weight_decay before the Adam step).
//
// `heap` is the wasm heap as float32; `table` holds, per tensor, TABLE_STRIDE integers: its length
// and the float offsets of the weight, its gradient, up to three slots (−1 when unused) and where
// the new weight goes (a fresh buffer in the engine; the same as the weight is allowed).
// A call updates elements [from, to) of all the tensors laid end to end.

export const TABLE_STRIDE = 7;

/** Indices into the parameter array. */
export const P = {
  rule: 0,
  lr: 1,
  beta1: 2,
  beta2: 3,
  epsilon: 4,
  /** 1 − beta1^t, 1 − beta2^t (Adam's bias corrections, as float32 like tfjs's accBeta variables). */
  corr1: 5,
  corr2: 6,
  /** lr · weight_decay (AdamW). */
  decay: 7,
  momentum: 8,
  nesterov: 9,
  rho: 10,
  centered: 11,
  size: 12,
} as const;

export const RULE = { adam: 0, momentum: 1, sgd: 2, rmsprop: 3 } as const;

export const UPDATE_SOURCE = `function update(heap, table, count, p, from, to) {
  var rule = p[0], lr = p[1];
  var base = 0;
  for (var k = 0; k < count; k++) {
    var o = k * 7, n = table[o];
    var lo = (from > base ? from : base) - base, hi = (to < base + n ? to : base + n) - base;
    base += n;
    if (lo >= hi) continue;
    var w = table[o + 1], g = table[o + 2], s1 = table[o + 3], s2 = table[o + 4], s3 = table[o + 5], wo = table[o + 6];
    var i, gi, a, b, c, wi;
    if (rule === 0) {
      var b1 = p[2], b2 = p[3], eps = p[4], c1 = p[5], c2 = p[6], decay = p[7], ob1 = 1 - b1, ob2 = 1 - b2;
      for (i = lo; i < hi; i++) {
        gi = heap[g + i];
        a = Math.fround(b1 * heap[s1 + i] + ob1 * gi);
        b = Math.fround(b2 * heap[s2 + i] + ob2 * gi * gi);
        heap[s1 + i] = a;
        heap[s2 + i] = b;
        wi = heap[w + i];
        if (decay !== 0) wi = Math.fround(wi - wi * decay);
        heap[wo + i] = wi - lr * (a / c1) / (Math.sqrt(b / c2) + eps);
      }
    } else if (rule === 1) {
      // float32 at each step, as tfjs's kernels round: its Nesterov step has four of them.
      var m = Math.fround(p[8]), nesterov = p[9] !== 0, f = Math.fround, nlr = f(-lr);
      for (i = lo; i < hi; i++) {
        gi = heap[g + i];
        a = f(f(m * heap[s1 + i]) + gi);
        heap[s1 + i] = a;
        heap[wo + i] = heap[w + i] + f(nlr * (nesterov ? f(gi + f(a * m)) : a));
      }
    } else if (rule === 2) {
      for (i = lo; i < hi; i++) heap[wo + i] = heap[w + i] - lr * heap[g + i];
    } else {
      var rho = p[10], orho = 1 - rho, mom = p[8], eps2 = p[4], centered = p[11] !== 0;
      for (i = lo; i < hi; i++) {
        gi = heap[g + i];
        a = Math.fround(rho * heap[s1 + i] + orho * gi * gi);
        heap[s1 + i] = a;
        if (centered) {
          b = Math.fround(rho * heap[s3 + i] + orho * gi);
          heap[s3 + i] = b;
          c = gi * lr / Math.sqrt(a - (b * b + eps2));
        } else {
          c = gi * lr / Math.sqrt(a + eps2);
        }
        if (s2 >= 0) {
          c = Math.fround(mom * heap[s2 + i] + c);
          heap[s2 + i] = c;
        }
        heap[wo + i] = heap[w + i] - c;
      }
    }
  }
}`;

export type UpdateFn = (heap: Float32Array, table: Int32Array, count: number, params: Float64Array, from: number, to: number) => void;

/** The update loop, compiled from UPDATE_SOURCE. */
export function compileUpdate(): UpdateFn {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`${UPDATE_SOURCE}\nreturn update;`)() as UpdateFn;
}
