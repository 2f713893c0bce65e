/** Byte images → scaled float tensors in the model's input shape; labels in the loss's encoding. */
import { DataError } from '../core/data/errors';
import type { ImageSet } from '../core/data/image-set';
import type { BuiltModel } from './build-model';
import { tf } from './tf';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

/** Throws a clear error when the dataset's images cannot feed the model's input. */
export function checkInputFits(set: ImageSet, built: BuiltModel, datasetName: string): void {
  const want = built.inputShape.reduce((a, b) => a * b, 1);
  const have = set.height * set.width * set.channels;
  if (want !== have) {
    throw new DataError(
      `dataset '${datasetName}' has ${set.height}×${set.width}×${set.channels} images but model '${built.ir.name}' expects ${built.inputShape.join('×')}. Change the Input shape or use a matching dataset.`,
      'mismatch',
    );
  }
  let maxLabel = 0;
  for (let i = 0; i < set.count; i++) if (set.labels[i]! > maxLabel) maxLabel = set.labels[i]!;
  if (built.labels !== 'binary' && maxLabel >= built.numClasses) {
    throw new DataError(
      `dataset '${datasetName}' has labels up to ${maxLabel} but model '${built.ir.name}' outputs ${built.numClasses} classes. Make the last layer Dense(${maxLabel + 1}).`,
      'mismatch',
    );
  }
}

const scaleTables = new Map<number, Float32Array>();
function scaleTable(scale: number): Float32Array {
  let t = scaleTables.get(scale);
  if (!t) scaleTables.set(scale, (t = Float32Array.from({ length: 256 }, (_, v) => v * scale)));
  return t;
}

/** Gather `order[from..to)` of the set into an input tensor of shape [n, ...inputShape]. */
export function inputBatch(set: ImageSet, order: ArrayLike<number> | null, from: number, to: number, built: BuiltModel): Tensor {
  const per = set.height * set.width * set.channels;
  const n = to - from;
  const buf = new Float32Array(n * per);
  const table = scaleTable(built.inputScale);
  for (let i = 0; i < n; i++) {
    const j = order ? order[from + i]! : from + i;
    const src = set.images.subarray(j * per, (j + 1) * per);
    const off = i * per;
    for (let k = 0; k < per; k++) buf[off + k] = table[src[k]!]!;
  }
  return tf.tensor(buf, [n, ...built.inputShape]);
}

export function labelBatch(set: ImageSet, order: ArrayLike<number> | null, from: number, to: number, built: BuiltModel): Tensor {
  const n = to - from;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = set.labels[order ? order[from + i]! : from + i]!;
  if (built.labels === 'one-hot') return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), built.numClasses), 'float32'));
  return tf.tensor2d(Float32Array.from(labels), [n, 1]);
}

/** One 0–255 image (h×w, one channel) → [1, ...inputShape], gray copied into every channel. */
export function imageTensor(gray: Uint8Array, built: BuiltModel): Tensor {
  const channels = built.inputShape.length === 3 ? built.inputShape[2]! : 1;
  const table = scaleTable(built.inputScale);
  const buf = new Float32Array(gray.length * channels);
  for (let i = 0; i < gray.length; i++) for (let c = 0; c < channels; c++) buf[i * channels + c] = table[gray[i]!]!;
  return tf.tensor(buf, [1, ...built.inputShape]);
}
