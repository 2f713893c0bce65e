/** Predictions, dataset samples with probabilities, and layer activations. */
import { DataError } from '../core/data/errors';
import { layerSpec } from '../core/keras/layer-table';
import type { DatasetSplits, ImageSet } from '../core/data/image-set';
import { mnistStyle, resizeGray, toGray } from '../core/data/preprocess';
import type { GrayImage, LayerActivation, PredictInput, Prediction, SampleBatch } from '../core/protocol/worker';
import type { BuiltModel } from './build-model';
import { readImageFile } from './data/decode-image';
import { imageTensor, inputBatch } from './tensors';
import { tf } from './tf';

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;

function modelSize(built: BuiltModel): { h: number; w: number } {
  const s = built.inputShape;
  if (s.length >= 2) return { h: s[0]!, w: s[1]! };
  const side = Math.round(Math.sqrt(s[0]!));
  if (side * side !== s[0]) throw new DataError(`model '${built.ir.name}' takes a flat input of ${s[0]} values, which is not a square image.`, 'mismatch');
  return { h: side, w: side };
}

/** The first channel of image `index` of a set, as 0–255 bytes. */
export function sampleImage(set: ImageSet, index: number, where: string): GrayImage {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new DataError(`sample ${index} is out of range: ${where} has ${set.count} images (0–${set.count - 1}).`, 'out-of-range');
  }
  const per = set.height * set.width * set.channels;
  const data = new Uint8Array(set.height * set.width);
  for (let i = 0; i < data.length; i++) data[i] = set.images[index * per + i * set.channels]!;
  return { width: set.width, height: set.height, data };
}

/** Resolve a predict input to the 0–255 image the model sees (and its true label when known). */
export function resolveInput(input: PredictInput, built: BuiltModel, dataset: (name: string) => DatasetSplits): { image: GrayImage; trueLabel?: number } {
  const { h, w } = modelSize(built);
  const mnistLike = (built.inputShape[2] ?? 1) === 1;
  const prep = (g: GrayImage) => (mnistLike ? mnistStyle(g, { width: w, height: h }) : resizeGray(g, w, h));
  switch (input.kind) {
    case 'sample': {
      const ds = dataset(input.dataset);
      const set = input.split === 'train' ? ds.train : ds.test;
      const image = sampleImage(set, input.index, `${ds.name} ${input.split}`);
      if (image.width !== w || image.height !== h) {
        throw new DataError(`dataset '${ds.name}' has ${image.height}×${image.width} images but model '${built.ir.name}' expects ${h}×${w}.`, 'mismatch');
      }
      return { image, trueLabel: set.labels[input.index]! };
    }
    case 'image': {
      const raw = readImageFile(input.path);
      return { image: mnistLike ? mnistStyle(raw, { width: w, height: h }) : resizeGray(toGray(raw), w, h) };
    }
    case 'pixels': {
      const g = input.image;
      if (g.data.length !== g.width * g.height) throw new DataError(`pixels: ${g.data.length} bytes for a ${g.width}×${g.height} image.`, 'bad-image');
      return { image: prep(g) };
    }
  }
}

/** Probabilities from the model's output (softmax applied when the output is not one already). */
export function toProbs(out: Float32Array | number[]): number[] {
  const v = Array.from(out);
  const sum = v.reduce((a, b) => a + b, 0);
  if (v.every((x) => x >= 0) && Math.abs(sum - 1) < 1e-3) return v;
  if (v.length === 1) {
    // One sigmoid unit: [P(0), P(1)]; a raw logit goes through the sigmoid first.
    const p = v[0]! >= 0 && v[0]! <= 1 ? v[0]! : 1 / (1 + Math.exp(-v[0]!));
    return [1 - p, p];
  }
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export function topK(probs: number[], k: number): { label: number; prob: number }[] {
  return probs
    .map((prob, label) => ({ label, prob }))
    .sort((a, b) => b.prob - a.prob)
    .slice(0, Math.max(1, k));
}

export async function predict(built: BuiltModel, input: PredictInput, topk: number, dataset: (name: string) => DatasetSplits): Promise<Prediction> {
  const { image, trueLabel } = resolveInput(input, built, dataset);
  const x = imageTensor(image.data, built);
  const y = built.model.predict(x) as import('@tensorflow/tfjs-core').Tensor;
  const probs = toProbs(await y.data<'float32'>());
  tf.dispose([x, y]);
  const p: Prediction = { top: topK(probs, topk), probs, input: image };
  if (trueLabel !== undefined) p.trueLabel = trueLabel;
  return p;
}

export async function samples(ds: DatasetSplits, split: 'train' | 'test', start: number, count: number, built?: BuiltModel): Promise<SampleBatch> {
  const set = split === 'train' ? ds.train : ds.test;
  const s = Math.max(0, Math.min(set.count, Math.floor(start)));
  const n = Math.max(0, Math.min(set.count - s, Math.floor(count)));
  const hw = set.height * set.width;
  const images = new Uint8Array(n * hw);
  for (let i = 0; i < n; i++) images.set(sampleImage(set, s + i, ds.name).data, i * hw);
  const out: SampleBatch = {
    start: s,
    count: n,
    images,
    width: set.width,
    height: set.height,
    labels: Uint8Array.from(set.labels.subarray(s, s + n)),
    numClasses: built?.numClasses ?? ds.numClasses,
  };
  if (ds.classNames) out.classNames = ds.classNames;
  if (built && n > 0) {
    const probs = new Float32Array(n * built.numClasses);
    for (let from = 0; from < n; from += 256) {
      const to = Math.min(n, from + 256);
      const x = inputBatch(set, null, s + from, s + to, built);
      const y = built.model.predict(x) as import('@tensorflow/tfjs-core').Tensor;
      probs.set(await y.data<'float32'>(), from * built.numClasses);
      tf.dispose([x, y]);
    }
    // Rows of logits become probabilities.
    for (let i = 0; i < n; i++) {
      const row = toProbs(probs.subarray(i * built.numClasses, (i + 1) * built.numClasses));
      probs.set(row, i * built.numClasses);
    }
    out.probs = probs;
  }
  return out;
}

export async function activations(
  built: BuiltModel & { activationModels?: Map<string, LayersModel> },
  input: PredictInput,
  layers: string[] | undefined,
  dataset: (name: string) => DatasetSplits,
): Promise<{ input: GrayImage; layers: LayerActivation[]; kernels?: LayerActivation }> {
  const { image } = resolveInput(input, built, dataset);
  const names = layers ?? built.ir.layers.filter((l) => layerSpec(l.type)?.showActivations === true).map((l) => l.name);
  const chosen = names.map((n) => {
    try {
      return built.model.getLayer(n);
    } catch {
      throw new DataError(`model '${built.ir.name}' has no layer '${n}'.`, 'bad-layer');
    }
  });
  const key = names.join('\n');
  built.activationModels ??= new Map();
  let sub = built.activationModels.get(key);
  if (!sub && chosen.length) {
    sub = tf.model({ inputs: built.model.inputs, outputs: chosen.map((l) => l.output as import('@tensorflow/tfjs-layers').SymbolicTensor) });
    built.activationModels.set(key, sub);
  }
  const result: { input: GrayImage; layers: LayerActivation[]; kernels?: LayerActivation } = { input: image, layers: [] };
  if (sub) {
    const x = imageTensor(image.data, built);
    const outs = sub.predict(x) as import('@tensorflow/tfjs-core').Tensor | import('@tensorflow/tfjs-core').Tensor[];
    const list = Array.isArray(outs) ? outs : [outs];
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      result.layers.push({ layer: names[i]!, type: chosen[i]!.getClassName(), shape: t.shape.slice(1), data: await t.data<'float32'>() });
    }
    tf.dispose([x, ...list]);
  }
  const conv = built.ir.layers.find((l) => l.type === 'Conv2D');
  if (conv) {
    const kernel = built.model.getLayer(conv.name).getWeights()[0];
    if (kernel) result.kernels = { layer: conv.name, type: 'Conv2D', shape: kernel.shape, data: await kernel.data<'float32'>() };
  }
  return result;
}
