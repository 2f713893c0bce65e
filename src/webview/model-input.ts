/**
 * What a model takes as input, for the views that show inputs: a single-channel image (the Draw
 * canvas fits), a colour image, token ids, a sequence of feature vectors, or a feature vector.
 * Read from the IR: the input layer's shape and the layer it feeds.
 */
import type { ModelIR } from '../core/model/ir';

export type ModelInput =
  | { kind: 'image'; height: number; width: number; channels: number }
  | { kind: 'tokens'; length: number | null }
  | { kind: 'sequence'; steps: number | null; features: number | null }
  | { kind: 'vector'; size: number | null }
  | { kind: 'unknown' };

/** Layers that read their input as steps × features (so an (T, F) input is a sequence, not an image). */
const SEQUENCE_READERS = /^(LSTM|GRU|SimpleRNN|RNN|Bidirectional|Conv1D|SeparableConv1D|DepthwiseConv1D|Conv1DTranspose|MaxPooling1D|AveragePooling1D|GlobalMaxPooling1D|GlobalAveragePooling1D|MultiHeadAttention|GroupQueryAttention|GroupedQueryAttention|Attention|AdditiveAttention|LayerNormalization|Cropping1D|ZeroPadding1D|UpSampling1D|TimeDistributed|Masking)$/;

export function modelInput(m: ModelIR | null): ModelInput {
  if (!m || m.inputs.length !== 1) return { kind: 'unknown' };
  const input = m.layers.find((l) => l.name === m.inputs[0]);
  const shape = input?.outputShape;
  if (!shape) return { kind: 'unknown' };
  const dims = shape.slice(1);
  const consumer = m.layers.find((l) => l.inputs.includes(m.inputs[0]!));
  if (dims.length === 3 && dims.every((d) => typeof d === 'number')) return { kind: 'image', height: dims[0]!, width: dims[1]!, channels: dims[2]! };
  if (dims.length === 2) {
    if (consumer && SEQUENCE_READERS.test(consumer.type)) return { kind: 'sequence', steps: dims[0] ?? null, features: dims[1] ?? null };
    if (dims[0] !== null && dims[1] !== null) return { kind: 'image', height: dims[0]!, width: dims[1]!, channels: 1 };
    return { kind: 'sequence', steps: dims[0] ?? null, features: dims[1] ?? null };
  }
  if (dims.length === 1) {
    if (consumer?.type === 'Embedding' || consumer?.type === 'TextVectorization') return { kind: 'tokens', length: dims[0] ?? null };
    const n = dims[0];
    // A flat square (784): a flattened gray image, as the worker reads it.
    if (typeof n === 'number' && Number.isInteger(Math.sqrt(n)) && n >= 64) return { kind: 'image', height: Math.sqrt(n), width: Math.sqrt(n), channels: 1 };
    return { kind: 'vector', size: n ?? null };
  }
  return { kind: 'unknown' };
}

/** The Draw canvas is for single-channel images. */
export function canDraw(i: ModelInput): boolean {
  return i.kind === 'image' && i.channels === 1;
}

/** Said where the Draw canvas would be when the model takes something else. */
export function noDrawReason(i: ModelInput): string {
  switch (i.kind) {
    case 'image':
      return `This model takes ${i.height}×${i.width} colour images (${i.channels} channels): drawing is for single-channel (grayscale) image models. Its test samples are in Predictions and Layers see.`;
    case 'tokens':
      return `This model takes token ids${i.length ? ` (${i.length} per sample)` : ''}, not an image: there is nothing to draw. Predictions shows each test sample's tokens; Layers see shows each layer's output per step.`;
    case 'sequence':
      return `This model takes sequences${i.steps ? ` of ${i.steps} steps` : ''}${i.features ? ` × ${i.features} features` : ''}, not an image: there is nothing to draw. Predictions and Layers see show the samples' values.`;
    case 'vector':
      return `This model takes ${i.size ?? 'a vector of'} features, not an image: there is nothing to draw. Predictions shows each test sample's values.`;
    default:
      return 'Model Lens cannot tell what this model takes as input (several inputs, or an unknown shape), so there is no canvas.';
  }
}
