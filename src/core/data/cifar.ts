/**
 * CIFAR-10 / CIFAR-100 in the "python version" Keras downloads to `~/.keras/datasets`
 * (`cifar-10-batches-py/data_batch_1..5`, `test_batch`, `batches.meta`; `cifar-100-python/train`,
 * `test`, `meta`): pickled dicts whose `data` is a uint8 array of N rows of 3072 bytes — the red,
 * green and blue 32×32 planes one after another — and whose labels are lists of ints. Keras's
 * `load_data()` turns each row into a 32×32×3 channels-last image; so does this. Pure: the
 * caller reads the files.
 */
import { DataError } from './errors';
import type { ImageSet } from './image-set';
import { readPickle, type PickledArray, type PyValue } from './pickle';

export type CifarKind = 'cifar10' | 'cifar100' | 'cifar100_coarse';

/** The folder Keras extracts each dataset to, and its files. */
export const CIFAR_LAYOUT: Record<CifarKind, { dir: string; train: string[]; test: string; meta: string; labelKey: string; namesKey: string; classes: number }> = {
  cifar10: { dir: 'cifar-10-batches-py', train: ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5'], test: 'test_batch', meta: 'batches.meta', labelKey: 'labels', namesKey: 'label_names', classes: 10 },
  cifar100: { dir: 'cifar-100-python', train: ['train'], test: 'test', meta: 'meta', labelKey: 'fine_labels', namesKey: 'fine_label_names', classes: 100 },
  cifar100_coarse: { dir: 'cifar-100-python', train: ['train'], test: 'test', meta: 'meta', labelKey: 'coarse_labels', namesKey: 'coarse_label_names', classes: 20 },
};

const SIDE = 32;
const ROW = 3 * SIDE * SIDE;

function dictOf(v: PyValue, file: string): Map<string, PyValue> {
  if (!(v instanceof Map)) throw new DataError(`${file}: the pickle holds a ${Array.isArray(v) ? 'list' : typeof v} where a CIFAR batch holds a dict (data, labels). Is this a CIFAR file?`, 'bad-format', file);
  return v;
}

/** One batch file: its images (N×32×32×3, channels last) and labels from `labelKey`. */
export function cifarBatch(bytes: Uint8Array, file: string, labelKey: string): ImageSet {
  const d = dictOf(readPickle(bytes, file), file);
  const data = d.get('data');
  if (!data || typeof data !== 'object' || (data as PickledArray).kind !== 'ndarray') {
    throw new DataError(`${file}: no 'data' array (keys: ${[...d.keys()].join(', ')}). Is this a CIFAR batch (data_batch_1, test_batch, train, test)?`, 'bad-format', file);
  }
  const arr = data as PickledArray;
  if (arr.dtype !== '|u1' || arr.shape.length !== 2 || arr.shape[1] !== ROW || arr.fortran) {
    throw new DataError(`${file}: 'data' is a ${arr.dtype} array of shape (${arr.shape.join(', ')}); CIFAR batches hold uint8 rows of ${ROW} values (N, 3072).`, 'bad-format', file);
  }
  const count = arr.shape[0]!;
  const labelsV = d.get(labelKey);
  const labelList = Array.isArray(labelsV) ? labelsV : labelsV && typeof labelsV === 'object' && (labelsV as PickledArray).kind === 'ndarray' ? null : undefined;
  if (labelList === undefined) {
    throw new DataError(`${file}: no '${labelKey}' list (keys: ${[...d.keys()].join(', ')}). ${labelKey === 'labels' ? 'Is this a CIFAR-100 file? Use cifar100.' : 'Is this a CIFAR-10 file? Use cifar10.'}`, 'bad-format', file);
  }
  const labels = new Int32Array(count);
  const raw = labelList ?? Array.from((labelsV as PickledArray).bytes);
  if (raw.length !== count) throw new DataError(`${file}: ${raw.length} labels for ${count} images.`, 'mismatch', file);
  for (let i = 0; i < count; i++) {
    const v = raw[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) throw new DataError(`${file}: label #${i} is ${String(v)}; CIFAR labels are class indices.`, 'bad-format', file);
    labels[i] = v;
  }
  // Planes (3 × 32 × 32) → pixels (32 × 32 × 3), as Keras's reshape + transpose(0, 2, 3, 1).
  const src = arr.bytes;
  const images = new Uint8Array(count * ROW);
  const plane = SIDE * SIDE;
  for (let n = 0; n < count; n++) {
    const o = n * ROW;
    for (let p = 0; p < plane; p++) {
      images[o + 3 * p] = src[o + p]!;
      images[o + 3 * p + 1] = src[o + plane + p]!;
      images[o + 3 * p + 2] = src[o + 2 * plane + p]!;
    }
  }
  return { count, height: SIDE, width: SIDE, channels: 3, images, labels };
}

/** Class names from `batches.meta` / `meta` (a list of str or bytes under `namesKey`), or undefined. */
export function cifarClassNames(bytes: Uint8Array, file: string, namesKey: string): string[] | undefined {
  const d = dictOf(readPickle(bytes, file), file);
  const v = d.get(namesKey);
  if (!Array.isArray(v)) return undefined;
  return v.map((n) => (typeof n === 'string' ? n : n instanceof Uint8Array ? new TextDecoder('latin1').decode(n) : String(n)));
}

/** Several batches as one set (CIFAR-10's five training batches). */
export function concatSets(sets: ImageSet[]): ImageSet {
  if (sets.length === 1) return sets[0]!;
  const first = sets[0]!;
  const per = first.height * first.width * first.channels;
  const count = sets.reduce((a, s) => a + s.count, 0);
  const images = new Uint8Array(count * per);
  const labels = new Int32Array(count);
  let at = 0;
  for (const s of sets) {
    images.set(s.images, at * per);
    labels.set(s.labels, at);
    at += s.count;
  }
  return { ...first, count, images, labels };
}
