/**
 * Statistics of one weight tensor — min, max, mean, standard deviation, share of zeros, NaN and
 * Inf counts — and a histogram, read in blocks of rows so a large tensor is never held whole
 * (two passes: the histogram needs the range first). NaN/Inf are counted, not binned.
 * `tensorStatsAsync` gives the event loop a turn after every block, so a host that computes the
 * statistics of a large file stays responsive, and can be stopped between blocks.
 */
import type { LayerWeights, WeightTensor } from './weights';

export interface WeightStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (numpy's default, ddof=0). */
  std: number;
  /** Share of exact zeros, 0–1. */
  zeros: number;
  nan: number;
  inf: number;
  /** Equal-width bins over [min, max]; the last bin includes max (as numpy.histogram). */
  histogram: { min: number; max: number; counts: number[] };
}

/** Values per block read from the file (4 MiB of float32). */
export const STATS_BLOCK = 1 << 20;
/** Tensors up to this many values are read once and kept for the second pass (16 MiB). */
const KEEP = 4 * STATS_BLOCK;

/** Row ranges [start, end) of at most STATS_BLOCK values (at least one row). */
export function statsBlocks(t: WeightTensor): [number, number][] {
  const rows = t.shape.length ? t.shape[0]! : 1;
  const rowSize = t.shape.length ? t.size / Math.max(rows, 1) : 1;
  const step = Math.max(1, Math.floor(STATS_BLOCK / Math.max(rowSize, 1)));
  const out: [number, number][] = [];
  for (let r = 0; r < rows; r += step) out.push([r, Math.min(rows, r + step)]);
  return out;
}

/** The computation, one block per step: yields after each block read, returns the statistics. */
function* steps(t: WeightTensor, bins: number): Generator<void, WeightStats> {
  const ranges = statsBlocks(t);
  const kept: Float32Array[] | undefined = t.size <= KEEP ? [] : undefined;
  let count = 0;
  let finite = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let zeros = 0;
  let nan = 0;
  let inf = 0;
  for (const [a, b] of ranges) {
    const block = t.readRows(a, b);
    kept?.push(block);
    count += block.length;
    for (let i = 0; i < block.length; i++) {
      const v = block[i]!;
      if (v !== v) nan++;
      else if (v === Infinity || v === -Infinity) inf++;
      else {
        finite++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v === 0) zeros++;
      }
    }
    yield;
  }
  const mean = finite ? sum / finite : NaN;
  let sq = 0;
  const counts = new Array<number>(bins).fill(0);
  const width = max - min;
  const pass2 = (block: Float32Array) => {
    for (let i = 0; i < block.length; i++) {
      const v = block[i]!;
      if (v !== v || v === Infinity || v === -Infinity) continue;
      sq += (v - mean) * (v - mean);
      const k = width > 0 ? Math.min(bins - 1, Math.floor(((v - min) / width) * bins)) : 0;
      counts[k]!++;
    }
  };
  if (kept) kept.forEach(pass2);
  else {
    for (const [a, b] of ranges) {
      pass2(t.readRows(a, b));
      yield;
    }
  }
  return {
    count,
    min: finite ? min : NaN,
    max: finite ? max : NaN,
    mean,
    std: finite ? Math.sqrt(sq / finite) : NaN,
    zeros: count ? zeros / count : 0,
    nan,
    inf,
    histogram: { min: finite ? min : 0, max: finite ? max : 0, counts },
  };
}

export function tensorStats(t: WeightTensor, bins = 30): WeightStats {
  const it = steps(t, bins);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

const turn = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** As `tensorStats`, giving the event loop a turn after each block; rejects with the signal's reason once aborted. */
export async function tensorStatsAsync(t: WeightTensor, bins = 30, signal?: AbortSignal): Promise<WeightStats> {
  const it = steps(t, bins);
  for (;;) {
    signal?.throwIfAborted();
    const r = it.next();
    if (r.done) return r.value;
    await turn();
  }
}

export interface TensorStatsRow {
  name: string;
  shape: number[];
  dtype: string;
  trainable: boolean;
  stats?: WeightStats;
  /** Why there are no statistics: known when the file was opened, or the read that failed. */
  problem?: string;
}

/**
 * A layer's tensors with their statistics, one after another (`tensorStatsAsync`); a tensor that
 * cannot be read gets its reason instead and the others still come. Rejects only when aborted.
 */
export async function layerStatsAsync(l: LayerWeights, bins: number, signal?: AbortSignal): Promise<TensorStatsRow[]> {
  const out: TensorStatsRow[] = [];
  for (const t of l.tensors) {
    const base = { name: t.name, shape: t.shape, dtype: t.dtype, trainable: t.trainable };
    if (t.problem) {
      out.push({ ...base, problem: t.problem });
      continue;
    }
    try {
      out.push({ ...base, stats: await tensorStatsAsync(t, bins, signal) });
    } catch (e) {
      if (signal?.aborted) throw e;
      out.push({ ...base, problem: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
