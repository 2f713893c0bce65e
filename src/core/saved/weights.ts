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

/** The whole tensor (fine for one layer's kernel; statistics read in row blocks instead). */
export function readTensor(t: WeightTensor): Float32Array {
  return t.readRows(0, t.shape.length ? t.shape[0]! : 1);
}
