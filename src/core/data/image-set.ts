/**
 * A labelled set of images as bytes (N × H × W × C, 0–255) — what every dataset source becomes.
 * Built from IDX or .npy arrays with the checks that catch mismatched files.
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
  const n = Math.max(0, Math.floor(limit));
  const per = set.height * set.width * set.channels;
  return { ...set, count: n, images: set.images.subarray(0, n * per), labels: set.labels.subarray(0, n) };
}

export function countClasses(...sets: ImageSet[]): number {
  let max = -1;
  for (const s of sets) for (let i = 0; i < s.count; i++) if (s.labels[i]! > max) max = s.labels[i]!;
  return max + 1;
}
