/** Byte images → scaled float tensors in the model's input shape; labels in the loss's encoding. */
import { DataError } from '../core/data/errors';
import { describeSamples, sampleSize, type ImageSet, type SampleValues } from '../core/data/image-set';
import type { BuiltModel } from './build-model';
import { tf } from './tf';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

/** An Embedding fed straight from the model's input: its name and vocabulary size (input_dim). */
export function inputEmbedding(built: Pick<BuiltModel, 'ir'>): { name: string; inputDim: number } | undefined {
  const inputs = new Set(built.ir.layers.filter((l) => l.type === 'InputLayer').map((l) => l.name));
  const first = built.ir.layers.find((l) => l.type !== 'InputLayer');
  const e = built.ir.layers.find((l) => l.type === 'Embedding' && (l.inputs.some((i) => inputs.has(i)) || (l === first && l.inputs.length === 0)));
  const dim = e?.config['input_dim'];
  return e && typeof dim === 'number' ? { name: e.name, inputDim: dim } : undefined;
}

/** Arrays (sequence / tabular data) against the model's input: shape, and token ids against an Embedding. */
function checkArraysFit(set: ImageSet, values: SampleValues, built: BuiltModel, datasetName: string): void {
  const model = `model '${built.ir.name}' takes input (${built.inputShape.join(', ')})`;
  if (values.shape.join(',') !== built.inputShape.join(',')) {
    const same = values.shape.reduce((a, b) => a * b, 1) === built.inputShape.reduce((a, b) => a * b, 1);
    throw new DataError(
      `dataset '${datasetName}' holds ${describeSamples(set)} but ${model}. ${same ? `Reshape x to (N, ${built.inputShape.join(', ')}) before saving it` : 'Save x with that shape (pad or cut sequences to its length), or change the Input shape'}.`,
      'mismatch',
    );
  }
  const emb = inputEmbedding(built);
  if (!emb) return;
  if (!values.integers) {
    throw new DataError(`dataset '${datasetName}' holds ${describeSamples(set)} with fractions, but ${model} into Embedding '${emb.name}', which takes whole-number token ids. Save x as int32/int64 token ids.`, 'mismatch');
  }
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < values.data.length; i++) {
    const v = values.data[i]!;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (max >= emb.inputDim || min < 0) {
    throw new DataError(
      `dataset '${datasetName}' holds token ids from ${min} to ${max}, but Embedding '${emb.name}' of model '${built.ir.name}' has input_dim ${emb.inputDim} (ids 0–${emb.inputDim - 1}). Make input_dim at least ${max + 1}, or map rare tokens to an out-of-vocabulary id.`,
      'mismatch',
    );
  }
}

/** Throws a clear error when the dataset's samples cannot feed the model's input. */
export function checkInputFits(set: ImageSet, built: BuiltModel, datasetName: string): void {
  if (set.values) checkArraysFit(set, set.values, built, datasetName);
  else {
    const want = built.inputShape.reduce((a, b) => a * b, 1);
    const have = set.height * set.width * set.channels;
    if (want !== have) {
      const emb = inputEmbedding(built);
      throw new DataError(
        `dataset '${datasetName}' has ${set.height}×${set.width}×${set.channels} images but model '${built.ir.name}' expects ${built.inputShape.join('×')}${emb ? ` token ids (Embedding '${emb.name}')` : ''}. ${emb ? 'Give it token ids: an .npz with x_train (N, ' + built.inputShape.join(', ') + ') ints and y_train' : 'Change the Input shape or use a matching dataset'}.`,
        'mismatch',
      );
    }
  }
  let maxLabel = 0;
  for (let i = 0; i < set.count; i++) if (set.labels[i]! > maxLabel) maxLabel = set.labels[i]!;
  if (built.labels !== 'binary' && maxLabel >= built.numClasses) {
    throw new DataError(
      `dataset '${datasetName}' has labels up to ${maxLabel} but model '${built.ir.name}' outputs ${built.numClasses} classes. Make the last layer Dense(${maxLabel + 1}).`,
      'mismatch',
    );
  }
  if (built.labels === 'binary' && maxLabel > 1) {
    throw new DataError(
      `dataset '${datasetName}' has labels up to ${maxLabel} but model '${built.ir.name}' has one sigmoid output (binary_crossentropy: labels 0 and 1). Use Dense(${maxLabel + 1}, activation='softmax') with sparse_categorical_crossentropy, or labels 0/1.`,
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
  const per = sampleSize(set);
  const n = to - from;
  const buf = new Float32Array(n * per);
  if (set.values) {
    // Arrays are fed as they are (what model.fit(x, y) gets): no 0–255 scaling.
    const src = set.values.data;
    for (let i = 0; i < n; i++) {
      const j = order ? order[from + i]! : from + i;
      buf.set(src.subarray(j * per, (j + 1) * per), i * per);
    }
    return tf.tensor(buf, [n, ...built.inputShape]);
  }
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

/** One RGB image (h×w×3 bytes) → [1, h, w, 3], scaled as the model's inputs are. */
export function rgbTensor(rgb: Uint8Array, built: BuiltModel): Tensor {
  const table = scaleTable(built.inputScale);
  return tf.tensor(Float32Array.from(rgb, (v) => table[v]!), [1, ...built.inputShape]);
}
