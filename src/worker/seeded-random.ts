/**
 * Seeded runs: while a seeded run builds and trains, `Math.random` is a seeded generator, so every
 * draw TensorFlow.js makes without a seed of its own (weight initializers, dropout masks) repeats
 * from run to run. The worker trains one run at a time; a request served in between (a prediction
 * from the panel) draws from the same stream, which is the one thing that can make two seeded runs
 * differ (besides the backend and its thread count).
 */

/** mulberry32: small, fast, seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let depth = 0;

/**
 * Runs `fn` with `Math.random` seeded (when a seed is given); restores it after. When another
 * seeded run is already training in this worker (two models at once), `fn` runs on the shared
 * stream and `onShared` is told: that run will not repeat exactly.
 */
export async function withSeededMathRandom<T>(seed: number | undefined, fn: () => Promise<T>, onShared?: () => void): Promise<T> {
  if (seed === undefined) return fn();
  if (depth > 0) {
    onShared?.();
    return fn();
  }
  const original = Math.random;
  // A stream distinct from the shuffle's (which uses `seed` itself).
  Math.random = seededRandom((seed ^ 0x9e3779b9) >>> 0);
  depth++;
  try {
    return await fn();
  } finally {
    depth--;
    Math.random = original;
  }
}
