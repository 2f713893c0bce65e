/** Predictions, dataset samples with probabilities, and layer activations. */
import { DataError } from '../core/data/errors';
import { layerSpec } from '../core/keras/layer-table';
import { describeSamples, sampleSize, sliceSet, type DatasetSplits, type ImageSet } from '../core/data/image-set';
import { mnistStyle, resizeGray, resizeRgb, toGray, toRgb } from '../core/data/preprocess';
import type { ActivationsResult, ArraySample, GrayImage, PredictInput, Prediction, RgbInput, SampleBatch } from '../core/protocol/worker';
import type { BuiltModel } from './build-model';
import { readImageFile } from './data/decode-image';
import { checkInputFits, imageTensor, inputBatch, inputEmbedding, rgbTensor } from './tensors';
import { tf } from './tf';

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type Tensor = import('@tensorflow/tfjs-core').Tensor;

function modelSize(built: BuiltModel): { h: number; w: number } {
  const s = built.inputShape;
  if (s.length >= 2) return { h: s[0]!, w: s[1]! };
  const side = Math.round(Math.sqrt(s[0]!));
  if (side * side !== s[0]) throw new DataError(`model '${built.ir.name}' takes a flat input of ${s[0]} values, which is not a square image.`, 'mismatch');
  return { h: side, w: side };
}

/** Image `index` of a set as 0–255 gray bytes (luminance of a colour image). */
export function sampleImage(set: ImageSet, index: number, where: string): GrayImage {
  checkIndex(set, index, where);
  if (set.values) throw new DataError(`${where} holds ${describeSamples(set)}, not images.`, 'mismatch');
  const per = set.height * set.width * set.channels;
  const data = new Uint8Array(set.height * set.width);
  const src = set.images;
  const o = index * per;
  if (set.channels >= 3) {
    for (let i = 0; i < data.length; i++) data[i] = Math.round(0.299 * src[o + i * set.channels]! + 0.587 * src[o + i * set.channels + 1]! + 0.114 * src[o + i * set.channels + 2]!);
  } else for (let i = 0; i < data.length; i++) data[i] = src[o + i * set.channels]!;
  return { width: set.width, height: set.height, data };
}

function checkIndex(set: ImageSet, index: number, where: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new DataError(`sample ${index} is out of range: ${where} has ${set.count} samples (0–${set.count - 1}).`, 'out-of-range');
  }
}

/** Image `index` of a colour set as interleaved RGB. */
function sampleRgb(set: ImageSet, index: number): RgbInput {
  const per = set.height * set.width * set.channels;
  return { width: set.width, height: set.height, rgb: set.images.slice(index * per, (index + 1) * per) };
}

/** An input resolved for the model: the tensor it gets, and what the panel shows of it. */
export interface ResolvedInput {
  /** [1, ...inputShape]; the caller disposes it. */
  tensor(): Tensor;
  image: GrayImage;
  color?: RgbInput;
  sample?: ArraySample;
  trueLabel?: number;
}

const NO_IMAGE: GrayImage = { width: 0, height: 0, data: new Uint8Array(0) };

/** Resolve a predict input to what the model gets (and its true label when known). */
export function resolveInput(input: PredictInput, built: BuiltModel, dataset: (name: string) => DatasetSplits): ResolvedInput {
  const channels = built.inputShape.length === 3 ? built.inputShape[2]! : 1;
  if (input.kind === 'sample') {
    const ds = dataset(input.dataset);
    const set = input.split === 'train' ? ds.train : ds.test;
    const where = `${ds.name} ${input.split}`;
    checkIndex(set, input.index, where);
    const one = sliceSet(set, input.index, input.index + 1);
    const trueLabel = set.labels[input.index]!;
    if (set.values) {
      checkInputFits(one, built, ds.name);
      const v = one.values!;
      const sample: ArraySample = { shape: v.shape, values: Array.from(v.data), tokens: v.integers && !!inputEmbedding(built) };
      if (sample.tokens && ds.vocabulary) sample.vocabulary = ds.vocabulary;
      return { tensor: () => inputBatch(one, null, 0, 1, built), image: NO_IMAGE, sample, trueLabel };
    }
    const { h, w } = modelSize(built);
    if (set.width !== w || set.height !== h || (set.channels !== channels && set.channels * h * w !== built.inputShape.reduce((a, b) => a * b, 1))) {
      throw new DataError(`dataset '${ds.name}' has ${set.height}×${set.width}×${set.channels} images but model '${built.ir.name}' expects ${built.inputShape.join('×')}.`, 'mismatch');
    }
    const out: ResolvedInput = { tensor: () => inputBatch(one, null, 0, 1, built), image: sampleImage(set, input.index, where), trueLabel };
    if (set.channels === 3) out.color = sampleRgb(set, input.index);
    return out;
  }
  if (inputEmbedding(built) || built.inputShape.length === 2) {
    throw new DataError(`model '${built.ir.name}' takes ${inputEmbedding(built) ? 'token ids' : 'sequences'} of shape (${built.inputShape.join(', ')}), not an image: predict on a dataset sample (an .npz) instead.`, 'mismatch');
  }
  const { h, w } = modelSize(built);
  if (input.kind === 'image') {
    const raw = readImageFile(input.path);
    if (channels === 3) {
      const rgb = resizeRgb(toRgb(raw), w, h);
      return { tensor: () => rgbTensor(rgb.data, built), image: resizeGray(toGray(raw), w, h), color: { width: w, height: h, rgb: rgb.data } };
    }
    const image = channels === 1 ? mnistStyle(raw, { width: w, height: h }) : resizeGray(toGray(raw), w, h);
    return { tensor: () => imageTensor(image.data, built), image };
  }
  const g = input.image;
  if (g.data.length !== g.width * g.height) throw new DataError(`pixels: ${g.data.length} bytes for a ${g.width}×${g.height} image.`, 'bad-image');
  const image = channels === 1 ? mnistStyle(g, { width: w, height: h }) : resizeGray(g, w, h);
  return { tensor: () => imageTensor(image.data, built), image };
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
  const r = resolveInput(input, built, dataset);
  const x = r.tensor();
  const y = built.model.predict(x) as Tensor;
  const probs = toProbs(await y.data<'float32'>());
  tf.dispose([x, y]);
  const p: Prediction = { top: topK(probs, topk), probs, input: r.image };
  if (r.color) p.color = r.color;
  if (r.sample) p.sample = r.sample;
  if (r.trueLabel !== undefined) p.trueLabel = r.trueLabel;
  return p;
}

export async function samples(ds: DatasetSplits, split: 'train' | 'test', start: number, count: number, built?: BuiltModel): Promise<SampleBatch> {
  const set = split === 'train' ? ds.train : ds.test;
  const s = Math.max(0, Math.min(set.count, Math.floor(start)));
  const n = Math.max(0, Math.min(set.count - s, Math.floor(count)));
  // Gray bytes per pixel, or RGB for colour images; the numbers themselves for non-image samples.
  const per = set.height * set.width * (set.channels === 3 ? 3 : 1);
  const images = new Uint8Array(n * per);
  if (set.channels === 3) images.set(set.images.subarray(s * per, (s + n) * per));
  else if (!set.values) for (let i = 0; i < n; i++) images.set(sampleImage(set, s + i, ds.name).data, i * per);
  const out: SampleBatch = {
    start: s,
    count: n,
    images,
    width: set.width,
    height: set.height,
    labels: Uint8Array.from(set.labels.subarray(s, s + n)),
    numClasses: built?.numClasses ?? ds.numClasses,
  };
  if (set.channels === 3) out.channels = 3;
  if (set.values) {
    const k = sampleSize(set);
    out.values = set.values.data.slice(s * k, (s + n) * k);
    out.sampleShape = set.values.shape;
    out.tokens = set.values.integers && (built ? !!inputEmbedding(built) : set.values.shape.length === 1);
  }
  if (ds.classNames) out.classNames = ds.classNames;
  if (out.tokens && ds.vocabulary) out.vocabulary = ds.vocabulary;
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

/** Layers shown for a non-image sample (the first ones; a text model rarely has more). */
const MAX_SEQUENCE_LAYERS = 16;

type Layer = import('@tensorflow/tfjs-layers').layers.Layer;
type SymbolicTensor = import('@tensorflow/tfjs-layers').SymbolicTensor;

/**
 * The layers an image's activations are shown for: the conv and pool layers, and those of models
 * used as layers at any depth (a base, a block, a block in a block), named by their path
 * (`base/block1_conv1`, `block/inner/conv`).
 */
function imageLayers(ir: BuiltModel['ir'], prefix = ''): string[] {
  return ir.layers.flatMap((l) => (l.nested?.graph ? imageLayers(l.nested.graph, `${prefix}${l.name}/`) : layerSpec(l.type)?.showActivations === true ? [`${prefix}${l.name}`] : []));
}

/** The first Conv2D: the model's own, else the first inside a model used as a layer (at any depth). */
function firstConv(ir: BuiltModel['ir'], prefix = ''): string | undefined {
  const own = ir.layers.find((l) => l.type === 'Conv2D');
  if (own) return `${prefix}${own.name}`;
  for (const l of ir.layers) {
    const inner = l.nested?.graph ? firstConv(l.nested.graph, `${prefix}${l.name}/`) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** A layer by name, or by its path through models used as layers (`block/inner/conv`): the layer and the models it is in, outermost first. */
function findLayer(built: BuiltModel, name: string): { layer: Layer; within: LayersModel[] } {
  try {
    return { layer: built.model.getLayer(name), within: [] };
  } catch {
    const parts = name.split('/');
    const within: LayersModel[] = [];
    let scope: LayersModel = built.model;
    try {
      for (const part of parts.slice(0, -1)) {
        const m = scope.getLayer(part) as unknown as LayersModel;
        if (!('layers' in m)) throw new Error('not a model');
        within.push(m);
        scope = m;
      }
      if (within.length) return { layer: scope.getLayer(parts[parts.length - 1]!), within };
    } catch {
      // not found: said below
    }
    throw new DataError(`model '${built.ir.name}' has no layer '${name}'.`, 'bad-layer');
  }
}

/**
 * A layer's output as a tensor of the whole model. A model used as a layer has its own graph as its
 * call 0, so its first call in the model around it is call 1; a layer inside it is reached through
 * a model of that graph applied where the model is called, one level at a time from the innermost.
 */
function outerOutput(c: { layer: Layer; within: LayersModel[] }): SymbolicTensor {
  if (!c.within.length) return ('layers' in c.layer ? c.layer.getOutputAt(1) : c.layer.output) as SymbolicTensor;
  let t = c.layer.output as SymbolicTensor;
  for (const m of [...c.within].reverse()) t = tf.model({ inputs: m.inputs, outputs: t }).apply(m.getInputAt(1)) as SymbolicTensor;
  return t;
}

export async function activations(
  built: BuiltModel & { activationModels?: Map<string, LayersModel> },
  input: PredictInput,
  layers: string[] | undefined,
  dataset: (name: string) => DatasetSplits,
): Promise<ActivationsResult> {
  const r = resolveInput(input, built, dataset);
  // Image models: the conv/pool layers. Sequence and tabular samples: every layer with per-step
  // (steps × units) or vector output, at most MAX_SEQUENCE_LAYERS of them.
  const names =
    layers ??
    (r.sample
      ? built.ir.layers.filter((l) => l.type !== 'InputLayer' && !l.implicitMask && l.outputShape && (l.outputShape.length === 3 || l.outputShape.length === 2)).slice(0, MAX_SEQUENCE_LAYERS).map((l) => l.name)
      : imageLayers(built.ir));
  const chosen = names.map((n) => findLayer(built, n));
  const key = names.join('\n');
  built.activationModels ??= new Map();
  let sub = built.activationModels.get(key);
  if (!sub && chosen.length) {
    sub = tf.model({ inputs: built.model.inputs, outputs: chosen.map((c) => outerOutput(c)) });
    built.activationModels.set(key, sub);
  }
  const result: ActivationsResult = { input: r.image, layers: [] };
  if (r.color) result.color = r.color;
  if (r.sample) result.sample = r.sample;
  if (sub) {
    const x = r.tensor();
    const outs = sub.predict(x) as import('@tensorflow/tfjs-core').Tensor | import('@tensorflow/tfjs-core').Tensor[];
    const list = Array.isArray(outs) ? outs : [outs];
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      result.layers.push({ layer: names[i]!, type: chosen[i]!.layer.getClassName(), shape: t.shape.slice(1), data: await t.data<'float32'>() });
    }
    tf.dispose([x, ...list]);
  }
  const conv = firstConv(built.ir);
  if (conv) {
    const kernel = findLayer(built, conv).layer.getWeights()[0];
    if (kernel) result.kernels = { layer: conv, type: 'Conv2D', shape: kernel.shape, data: await kernel.data<'float32'>() };
  }
  return result;
}
