/**
 * A labelled set of samples — what every dataset source becomes: images as bytes (N × H × W × C,
 * 0–255), or, for sequence and tabular models, arrays as `model.fit(x, y)` gets them (`values`:
 * token ids (N, T), features (N, F), steps (N, T, F)). Built from IDX or .npy arrays with the
 * checks that catch mismatched files.
 */
import { DataError } from './errors';
import type { IdxArray } from './idx';
import type { NpyArray } from './npy';

export interface ImageSet {
  count: number;
  height: number;
  width: number;
  channels: number;
  /** count × height × width × channels bytes. */
  images: Uint8Array;
  /** count class indices. */
  labels: Int32Array;
  /**
   * Non-image samples: count × (product of `shape`) numbers, fed to the model as they are.
   * `images` is then empty and height/width/channels are 0 (an image view has nothing to show).
   */
  values?: SampleValues;
}

export interface SampleValues {
  /** One sample's shape, e.g. [200] token ids, [8] features, [50, 3] steps × features. */
  shape: number[];
  data: Float32Array;
  /** The NumPy dtype the file held ('<i8', '<f4', '|u1'…), said in messages. */
  dtype: string;
  /** Every value is a whole number (token ids, counts): what an Embedding needs. */
  integers: boolean;
}

/** Numbers per sample. */
export function sampleSize(set: ImageSet): number {
  return set.values ? set.values.shape.reduce((a, b) => a * b, 1) : set.height * set.width * set.channels;
}

/** What one sample is, for messages: '32×32×3 images' or 'int token ids of shape (200)'. */
export function describeSamples(set: ImageSet): string {
  const v = set.values;
  if (!v) return `${set.height}×${set.width}×${set.channels} images`;
  return `${v.integers ? 'whole-number' : 'float'} arrays (${v.dtype}) of shape (${v.shape.join(', ')}) per sample`;
}

/** Samples [from, to) as a set (no copy). */
export function sliceSet(set: ImageSet, from: number, to: number): ImageSet {
  const per = sampleSize(set);
  const out: ImageSet = { ...set, count: to - from, images: set.values ? set.images : set.images.subarray(from * per, to * per), labels: set.labels.subarray(from, to) };
  if (set.values) out.values = { ...set.values, data: set.values.data.subarray(from * per, to * per) };
  return out;
}

export interface DatasetSplits {
  /** 'mnist', 'fashion_mnist' or the path given. */
  name: string;
  /** Where the files were found, said to the user. */
  source: string;
  train: ImageSet;
  test: ImageSet;
  numClasses: number;
  classNames?: string[];
  /** Token id → word, for token-id data (a `vocab.txt` beside the .npz: one word per line, line n = id n). */
  vocabulary?: string[];
}

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

function checkLabels(labels: ArrayLike<number>, count: number, labelsFile: string, imagesFile: string): Int32Array {
  if (labels.length !== count) {
    throw new DataError(
      `${labelsFile} holds ${labels.length} labels but ${imagesFile} holds ${count} images. Use the labels file that belongs to these images.`,
      'mismatch',
      labelsFile,
    );
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 65535) {
      throw new DataError(`${labelsFile}: label #${i} is ${v}; labels must be class indices 0, 1, 2, …`, 'bad-format', labelsFile);
    }
    out[i] = v;
  }
  return out;
}

export function imageSetFromIdx(images: IdxArray, labels: IdxArray, imagesFile: string, labelsFile: string): ImageSet {
  if (images.shape.length !== 3 && images.shape.length !== 4) {
    throw new DataError(`${imagesFile}: expected images (N×H×W), got shape ${images.shape.join('×')}. Is this a labels file?`, 'bad-format', imagesFile);
  }
  if (labels.shape.length !== 1) {
    throw new DataError(`${labelsFile}: expected labels (N), got shape ${labels.shape.join('×')}. Is this an images file?`, 'bad-format', labelsFile);
  }
  const [count, height, width, channels = 1] = images.shape as [number, number, number, number?];
  return { count, height, width, channels, images: images.data, labels: checkLabels(labels.data, count, labelsFile, imagesFile) };
}

export function imageSetFromNpy(x: NpyArray, y: NpyArray, xName: string, yName: string): ImageSet {
  if (x.shape.length !== 3 && x.shape.length !== 4) {
    throw new DataError(`${xName}: expected images of shape N×H×W(×C), got ${x.shape.join('×')}.`, 'bad-format', xName);
  }
  const [count, height, width, channels = 1] = x.shape as [number, number, number, number?];
  let images: Uint8Array;
  if (x.data instanceof Uint8Array) images = x.data;
  else {
    // Float images in 0–1 or 0–255: bring to bytes.
    let max = 0;
    for (let i = 0; i < x.data.length; i++) if (x.data[i]! > max) max = x.data[i]!;
    const k = max <= 1 ? 255 : 1;
    images = Uint8Array.from(x.data, (v) => Math.max(0, Math.min(255, Math.round(v * k))));
  }
  const labelData = y.shape.length === 2 && y.shape[1] === 1 ? y.data : y.data;
  if (y.shape.length > 2 || (y.shape.length === 2 && y.shape[1] !== 1)) {
    throw new DataError(`${yName}: expected class indices of shape N, got ${y.shape.join('×')} (one-hot labels: use argmax first).`, 'bad-format', yName);
  }
  return { count, height, width, channels, images, labels: checkLabels(labelData, count, yName, xName) };
}

/** First `limit` samples (no copy). */
export function takeFirst(set: ImageSet, limit: number | undefined): ImageSet {
  if (limit === undefined || limit >= set.count) return set;
  return sliceSet(set, 0, Math.max(0, Math.floor(limit)));
}

export function countClasses(...sets: ImageSet[]): number {
  let max = -1;
  for (const s of sets) for (let i = 0; i < s.count; i++) if (s.labels[i]! > max) max = s.labels[i]!;
  return max + 1;
}
