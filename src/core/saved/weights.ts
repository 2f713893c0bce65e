/**
 * The weights of an opened model file, read lazily: each tensor knows its shape, dtype and place in
 * the file, and reads its rows only when asked. One shape for every format (.keras, .h5, TF.js).
 */
import type { TensorDtype } from './hdf5';

export type { TensorDtype };

export interface WeightTensor {
  /** Keras weight name within the layer: `kernel`, `bias`, `gamma`, `moving_mean`, … */
  name: string;
  shape: number[];
  dtype: TensorDtype;
  /** Where it is stored, for messages: an HDF5 path or `shard.bin @ offset`. */
  location: string;
  trainable: boolean;
  /** Number of values. */
  size: number;
  /** Why it cannot be read (a compression filter or type this build lacks), known when opened. */
  problem?: string;
  /** Rows [start, end) along the first axis as float32 (the whole tensor for a scalar). */
  readRows(start: number, end: number): Float32Array;
}

export interface LayerWeights {
  /** Layer name; `outer/inner` for a layer of a nested model. */
  layer: string;
  /** Keras class name. */
  type: string;
  tensors: WeightTensor[];
}

export interface WeightStore {
  file: string;
  layers: LayerWeights[];
  /** Releases the file (and any temporary copy). */
  close(): void;
}

export const tensorSize = (shape: number[]) => shape.reduce((a, d) => a * d, 1);

/**
 * The most stored bytes one read may cover (1 GiB): a larger read is refused with a message, never
 * attempted (HDF5's wasm heap is 32-bit, and a weight that large cannot be run or exported here).
 * Statistics read far smaller blocks, so they work on any size.
 */
export const READ_LIMIT_BYTES = 1 << 30;

/** Why a read of `values` values of `bytesPerValue` bytes each is refused, or undefined. */
export function readTooLarge(location: string, values: number, bytesPerValue: number): string | undefined {
  const bytes = values * bytesPerValue;
  if (bytes <= READ_LIMIT_BYTES) return undefined;
  return `weight '${location}' would be read as ${values.toLocaleString('en-US')} values (${(bytes / 2 ** 30).toFixed(1)} GiB) at once, over the 1 GiB Model Lens reads in one go: too large to run or export here (its statistics are read in blocks)`;
}

/** The whole tensor (fine for one layer's kernel; statistics read in row blocks instead). */
export function readTensor(t: WeightTensor): Float32Array {
  return t.readRows(0, t.shape.length ? t.shape[0]! : 1);
}

/**
 * One input channel of a convolution kernel laid out [kh, kw, in, filters] (Keras's layout), as
 * [kh, kw, filters] values, read one kernel row at a time (not the whole kernel).
 */
export function kernelChannel(t: WeightTensor, channel: number): Float32Array {
  const [kh, kw, cin, filters] = t.shape as [number, number, number, number];
  const data = new Float32Array(kh * kw * filters);
  for (let y = 0; y < kh; y++) {
    const row = t.readRows(y, y + 1); // [kw, in, filters]
    for (let x = 0; x < kw; x++) for (let f = 0; f < filters; f++) data[(y * kw + x) * filters + f] = row[(x * cin + channel) * filters + f]!;
  }
  return data;
}
