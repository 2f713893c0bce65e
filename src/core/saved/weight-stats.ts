/**
 * Statistics of one weight tensor — min, max, mean, standard deviation, share of zeros, NaN and
 * Inf counts — and a histogram, read in blocks of rows so a large tensor is never held whole
 * (two passes: the histogram needs the range first). NaN/Inf are counted, not binned.
 */
import type { WeightTensor } from './weights';

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

/** Values per block read from the file. */
const BLOCK = 1 << 20;

function* blocks(t: WeightTensor): Generator<Float32Array> {
  const rows = t.shape.length ? t.shape[0]! : 1;
  const rowSize = t.shape.length ? t.size / Math.max(rows, 1) : 1;
  const step = Math.max(1, Math.floor(BLOCK / Math.max(rowSize, 1)));
  for (let r = 0; r < rows; r += step) yield t.readRows(r, Math.min(rows, r + step));
}

export function tensorStats(t: WeightTensor, bins = 30): WeightStats {
  // Small tensors are read once and kept for the second pass.
  const kept: Float32Array[] | undefined = t.size <= 4 * BLOCK ? [] : undefined;
  let count = 0;
  let finite = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let zeros = 0;
  let nan = 0;
  let inf = 0;
  for (const b of blocks(t)) {
    kept?.push(b);
    count += b.length;
    for (let i = 0; i < b.length; i++) {
      const v = b[i]!;
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
  }
  const mean = finite ? sum / finite : NaN;
  let sq = 0;
  const counts = new Array<number>(bins).fill(0);
  const width = max - min;
  for (const b of kept ?? blocks(t)) {
    for (let i = 0; i < b.length; i++) {
      const v = b[i]!;
      if (v !== v || v === Infinity || v === -Infinity) continue;
      sq += (v - mean) * (v - mean);
      const k = width > 0 ? Math.min(bins - 1, Math.floor(((v - min) / width) * bins)) : 0;
      counts[k]!++;
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
