/**
 * `.npz` / `.npy` arrays as `model.fit(x, y)` gets them, for sequence and tabular models: x int
 * token ids (N, T) for an Embedding, floats (N, F) for Dense layers, (N, T, F) for RNN/Conv1D;
 * y class indices (N) / (N, 1) or one-hot (N, C). Pure: the caller reads the files.
 */
import { DataError } from './errors';
import { imageSetFromNpy, type ImageSet } from './image-set';
import type { NpyArray } from './npy';

/** Largest whole number a float32 holds exactly (token ids above it would be rounded). */
const MAX_EXACT_F32 = 2 ** 24;

/**
 * Arrays of 3 or 4 dimensions (N×H×W(×C)) are images when they are uint8, or floats that are
 * bytes exactly (whole numbers 0–255, or multiples of 1/255 in 0–1: `x / 255` saved). Anything
 * else — (N, T) ids, (N, F) features, (N, T, F) float steps — is fed as the numbers it holds.
 */
export function isImageArray(x: NpyArray): boolean {
  if (x.shape.length !== 3 && x.shape.length !== 4) return false;
  if (x.data instanceof Uint8Array) return true;
  if (!(x.data instanceof Float32Array || x.data instanceof Float64Array)) return false;
  let max = 0;
  for (let i = 0; i < x.data.length; i++) if (x.data[i]! > max) max = x.data[i]!;
  const k = max <= 1 ? 255 : 1;
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]! * k;
    if (!(v >= 0 && v <= 255 && Math.abs(v - Math.round(v)) < 1e-3)) return false;
  }
  return true;
}

/** Class indices from y: (N), (N, 1), or one-hot (N, C) rows (each exactly one 1). */
export function labelsFromY(y: NpyArray, count: number, yName: string, xName: string): Int32Array {
  const [n, c] = y.shape;
  if (n !== count) throw new DataError(`${yName} holds ${n ?? 0} labels but ${xName} holds ${count} samples. Use the y that belongs to this x.`, 'mismatch', yName);
  const out = new Int32Array(count);
  if (y.shape.length === 1 || (y.shape.length === 2 && c === 1)) {
    for (let i = 0; i < count; i++) {
      const v = y.data[i]!;
      if (!Number.isInteger(v) || v < 0 || v > 65535) {
        throw new DataError(
          `${yName}: y[${i}] is ${v}; Model Lens trains classifiers and reads y as class indices 0, 1, 2, … (or one-hot rows). Regression targets are not supported.`,
          'bad-format',
          yName,
        );
      }
      out[i] = v;
    }
    return out;
  }
  if (y.shape.length === 2) {
    const k = c!;
    for (let i = 0; i < count; i++) {
      let hot = -1;
      for (let j = 0; j < k; j++) {
        const v = y.data[i * k + j]!;
        if (v === 1 && hot < 0) hot = j;
        else if (v !== 0) {
          throw new DataError(`${yName}: row ${i} is not one-hot (y[${i}, ${j}] = ${v}); give one-hot rows of 0 and a single 1, or class indices of shape (N,).`, 'bad-format', yName);
        }
      }
      if (hot < 0) throw new DataError(`${yName}: row ${i} is all zeros; a one-hot row holds a single 1.`, 'bad-format', yName);
      out[i] = hot;
    }
    return out;
  }
  throw new DataError(`${yName}: shape (${y.shape.join(', ')}); y must be class indices (N,) or (N, 1), or one-hot (N, classes).`, 'bad-format', yName);
}

/** A set of non-image samples: x as float32 numbers (int64 token ids are exact below 2^24). */
export function arraySetFromNpy(x: NpyArray, y: NpyArray, xName: string, yName: string): ImageSet {
  if (x.shape.length < 2) {
    throw new DataError(`${xName}: shape (${x.shape.join(', ')}); x needs a sample axis first and at least one more: (N, T) token ids, (N, F) features or (N, T, F) steps.`, 'bad-format', xName);
  }
  const count = x.shape[0]!;
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  let integers = true;
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    if (!Number.isFinite(v)) throw new DataError(`${xName}: element #${i} is ${v}; x must hold finite numbers.`, 'bad-format', xName);
    if (integers && !Number.isInteger(v)) integers = false;
    if (integers && Math.abs(v) > MAX_EXACT_F32) throw new DataError(`${xName}: element #${i} is ${v}; whole numbers above 2^24 do not survive float32 (TF.js's input type). Re-number the tokens.`, 'bad-format', xName);
  }
  return { count, height: 0, width: 0, channels: 0, images: new Uint8Array(0), labels: labelsFromY(y, count, yName, xName), values: { shape: x.shape.slice(1), data, dtype: x.dtype, integers } };
}

/** Images (uint8, N×H×W(×C)) stay image sets; anything else becomes an array set. */
export function sampleSetFromNpy(x: NpyArray, y: NpyArray, xName: string, yName: string): ImageSet {
  return isImageArray(x) ? imageSetFromNpy(x, y, xName, yName) : arraySetFromNpy(x, y, xName, yName);
}

/** The share of samples `x`/`y`-only archives hold out for testing (the last ones, as Keras's validation_split). */
export const HOLDOUT = 0.2;
