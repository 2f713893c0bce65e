/**
 * IR → a compiled tfjs LayersModel. The IR becomes a Keras functional-model config (the format
 * TF.js reads Keras models in), so every layer class TF.js registers is supported with its Keras
 * arguments, and layer names are kept (activations and weights map back to the source).
 */
import type { ConfigValue, LayerNode, ModelIR, OptimizerConfig, TrainingConfig } from '../core/model/ir';
import { layerSpec, whyNodeNotTrainable } from '../core/keras/layer-table';
import { batchNormFrozenLikeKeras } from './frozen-batch-norm';
import { fixCallModes } from './call-modes';
import './conv2d-on-input'; // Conv2D without the data's gradient when it reads the input (replaces tfjs-layers' under the same class name)
import './batch-norm'; // BatchNormalization's training pass in SIMD passes on wasm (replaces tfjs-layers' under the same class name)
import './dropout'; // Dropout with one-pass masks (replaces tfjs-layers' under the same class name)
import './rnn-initial-state'; // each recurrent call keeps its own initial_state (tfjs-layers writes it into kwargs shared by all layers)
import './custom-layers'; // registers the Keras layers tfjs-layers lacks (augmentations, Normalization, GroupNormalization)
import { FusedOptimizer } from './optimizers/fused-optimizer';
import { endsInSoftmax, softmaxCrossEntropy } from './softmax-cross-entropy';
import { tf, type TF } from './tf';
import { toTfjsTopology } from '../core/saved/keras2-config';

/** Layer types that are whole models nested in another. */
const NESTED_MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type Optimizer = import('@tensorflow/tfjs-core').Optimizer;
type Tensor = import('@tensorflow/tfjs-core').Tensor;

export class ModelBuildError extends Error {
  readonly code = 'model-build';
  constructor(message: string) {
    super(message);
    this.name = 'ModelBuildError';
  }
}

export interface BuiltModel {
  model: LayersModel;
  ir: ModelIR;
  /** Input shape without the batch axis, e.g. [28, 28, 1]. */
  inputShape: number[];
  /** Units of the output (classes). */
  numClasses: number;
  /** TF.js loss name (camelCase). */
  loss: string;
  /** Labels are class indices (sparse) or one-hot (categorical). */
  labels: 'sparse' | 'one-hot' | 'binary';
  /** Inputs are multiplied by this (the file's `x / 255.`); default 1/255. */
  inputScale: number;
  optimizer: string;
  learningRate: number;
  /** `fit(class_weight=…)` of the current run: compile() then weights each sample's training loss. */
  classWeight?: Record<string, number>;
  /** The weights of the samples of the batch being trained (set around trainOnBatch only, so evaluation is unweighted as in Keras). */
  batchWeights?: Tensor | null;
}

/** Keys that describe where a layer sits, not what it does: the graph wiring supplies them. */
const PLACEMENT_KEYS = new Set(['input_shape', 'batch_input_shape', 'batch_shape', 'batch_size', 'input_dim', 'shape']);

/** Keras initializer aliases TF.js does not register under the same name. */
const INITIALIZER_ALIASES: Record<string, string> = { uniform: 'RandomUniform', normal: 'RandomNormal', random_uniform: 'RandomUniform', random_normal: 'RandomNormal', truncated_normal: 'TruncatedNormal' };

function normalizeValue(key: string, v: ConfigValue): ConfigValue | undefined {
  if (key.endsWith('_initializer') && typeof v === 'string' && INITIALIZER_ALIASES[v]) return INITIALIZER_ALIASES[v]!;
  // Model Lens reads channels_last only; tfjs-layers' Cropping2D takes a null data_format as channels_first.
  if (key === 'data_format' && v === null) return 'channels_last';
  if (key === 'padding' && typeof v === 'string') return v.toLowerCase();
  if (key === 'dtype' && typeof v !== 'string') return undefined; // Keras 3 dtype policies
  if (key === 'activation' && typeof v === 'string') return v.toLowerCase() === 'linear' ? 'linear' : v;
  return v;
}

function layerConfig(layer: LayerNode): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  if (layer.type === 'InputLayer') {
    const shape =
      layer.outputShape ??
      ((layer.config.batch_input_shape ?? layer.config.batch_shape) as ConfigValue[] | undefined) ??
      (Array.isArray(layer.config.shape) ? [null, ...layer.config.shape] : undefined);
    if (!shape) throw new ModelBuildError(`input layer '${layer.name}' has no known shape; give Input(shape=(…)).`);
    return { batch_input_shape: shape as ConfigValue[], dtype: 'float32', name: layer.name, sparse: false };
  }
  const own = new Set(layerSpec(layer.type)?.args.map((a) => a.name) ?? []);
  for (const [k, v] of Object.entries(layer.config)) {
    if (PLACEMENT_KEYS.has(k) && !own.has(k)) continue; // Embedding's input_dim is its own argument
    const n = normalizeValue(k, v);
    if (n !== undefined) out[k] = n;
  }
  out.name = layer.name;
  const spec = layerSpec(layer.type);
  if (!spec || !('className' in spec.tfjs)) return out;
  const other = spec.tfjs.classFor?.(layer.config);
  const transform = other ? other.config : spec.tfjs.config;
  return transform ? { ...transform(out), name: layer.name } : out;
}

/** The TF.js class that builds a layer (the catalog's builder, for this config; the Keras class name otherwise). */
function tfjsClass(type: string, config: Record<string, ConfigValue>): string {
  const b = layerSpec(type)?.tfjs;
  if (!b || !('className' in b)) return type;
  return b.classFor?.(config)?.className ?? b.className;
}

function registeredClasses(t: TF): Set<string> {
  const map = t.serialization.SerializationMap.getMap().classNameMap as Record<string, unknown>;
  return new Set(Object.keys(map));
}

/**
 * The Keras functional config for the IR. A model used as a layer whose graph the reader read
 * (`Sequential([base, …])`, `base(x, training=False)`, a block called in a functional model)
 * becomes a nested functional config of its own layers: TF.js builds it as a sub-model holding
 * its weights, so freezing it freezes exactly those.
 */
export function kerasModelConfig(ir: ModelIR): Record<string, unknown> {
  return { class_name: 'Model', config: graphConfig(ir, ir.name) };
}

function graphConfig(ir: ModelIR, name: string): Record<string, unknown> {
  const models = new Set(ir.layers.filter((l) => l.nested?.graph).map((l) => l.name));
  // Keras 3's implicit masks (an Embedding's not_equal) are left out: TF.js passes masks from layer to layer itself.
  const masks = new Set(ir.layers.filter((l) => l.implicitMask).map((l) => l.name));
  const own = (c: { inputs: string[]; inputNodes?: number[]; inputTensors?: number[] }) => c.inputs.flatMap((i, k) => (masks.has(i) ? [] : [[i, node(i, c.inputNodes?.[k]), c.inputTensors?.[k] ?? 0, {}]]));
  // TF.js (as Keras 2) numbers a nested model's calls on the outer graph from 1: its node 0 is its own graph.
  const node = (layer: string, k: number | undefined) => (k ?? 0) + (models.has(layer) ? 1 : 0);
  return {
    name,
    layers: ir.layers.filter((l) => !l.implicitMask).map((l) => ({
      class_name: l.nested?.graph ? 'Model' : tfjsClass(l.type, l.config),
      name: l.name,
      config: l.nested?.graph ? graphConfig(l.nested.graph, l.name) : layerConfig(l),
      // One inbound node per call (a shared layer has several); an input names the call it comes from.
      // An input names its layer, that layer's call and which of the call's outputs (an LSTM's states: 1, 2).
      inbound_nodes: l.inputs.length ? [l, ...(l.calls ?? [])].map(own) : [],
    })),
    input_layers: ir.inputs.map((n) => [n, 0, 0]),
    output_layers: ir.outputs.map((n, k) => [n, node(n, ir.outputNodes?.[k]), ir.outputTensors?.[k] ?? 0]),
  };
}

/** Why the IR's model cannot be built by TF.js (its first such layer, inner models' layers too), or undefined. */
function notBuildable(ir: ModelIR, known: Set<string>, skipNested: boolean, within = ''): string | undefined {
  for (const l of ir.layers) {
    if (skipNested && NESTED_MODEL_CLASSES.has(l.type)) continue; // its inner layers are built (and checked) by TF.js
    if (l.implicitMask) continue; // not built: TF.js makes its masks itself
    if (l.nested?.graph) {
      const inner = notBuildable(l.nested.graph, known, false, `${within}in model '${l.name}' (line ${l.range.line}), `);
      if (inner) return inner;
      continue;
    }
    const why = whyNodeNotTrainable(l) ?? (known.has(tfjsClass(l.type, l.config)) ? undefined : `TensorFlow.js has no ${tfjsClass(l.type, l.config)} layer`);
    if (why) return `${within}layer '${l.name}' (${l.type}, line ${l.range.line}) cannot be trained here: ${why}. Its graph, shapes and parameter counts still work.`;
  }
  return undefined;
}

type AnyLayer = { name: string; trainable: boolean; layers?: AnyLayer[] };

/**
 * `model.trainable = False` on a model used as a layer: its TF.js sub-model is frozen too (its
 * layers were built with their own `trainable` from the IR), before compile collects the weights.
 */
function freezeNested(layers: AnyLayer[], ir: ModelIR): void {
  for (const node of ir.layers) {
    if (!node.nested?.graph) continue;
    const sub = layers.find((l) => l.name === node.name);
    if (!sub?.layers) continue;
    if (node.config.trainable === false) sub.trainable = false;
    freezeNested(sub.layers, node.nested.graph);
  }
}

/**
 * The weights of a model used as a layer are named under it (`one/fc/kernel`), as Keras nests them:
 * two blocks may each hold a layer `fc` (Keras allows it), and run weights are saved and loaded by
 * these names. Done on the built model's own structure, so a model built from a saved config
 * (a `.keras` with nested models) is scoped as one built from code.
 */
function scopeNestedWeights(layers: ScopedLayer[], prefix = ''): void {
  for (const sub of layers) {
    if (!sub.layers) continue;
    const scope = `${prefix}${sub.name}/`;
    for (const inner of sub.layers) if (!inner.layers) for (const w of inner.weights) w.originalName = scope + w.originalName;
    scopeNestedWeights(sub.layers, scope);
  }
}
type ScopedLayer = { name: string; layers?: ScopedLayer[]; weights: { originalName: string }[] };

/** Weights of the built model that training updates. */
function trainableCount(model: LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

const KERAS_LR: Record<string, number> = { sgd: 0.01 };

export function makeOptimizer(cfg: OptimizerConfig | undefined, lrOverride?: number): { optimizer: Optimizer; name: string; learningRate: number } {
  const name = (cfg?.name ?? 'Adam').toLowerCase();
  const lr = lrOverride ?? cfg?.learningRate ?? KERAS_LR[name] ?? 0.001;
  const a = cfg?.args ?? {};
  const num = (k: string, d: number) => (typeof a[k] === 'number' ? (a[k] as number) : d);
  // On wasm, Adam, AdamW, SGD and RMSprop update every weight in one pass on the threads
  // (optimizers/fused-optimizer.ts); elsewhere tfjs's own optimizers.
  const fused = tf.getBackend() === 'wasm';
  switch (name) {
    case 'adam':
    case 'adamw': {
      const rule = { kind: 'adam', learningRate: lr, beta1: num('beta_1', 0.9), beta2: num('beta_2', 0.999), epsilon: num('epsilon', 1e-7), weightDecay: name === 'adamw' ? num('weight_decay', 0.004) : 0 } as const;
      const label = name === 'adamw' ? 'AdamW' : 'Adam';
      if (fused) return { optimizer: new FusedOptimizer(rule), name: label, learningRate: lr };
      if (rule.weightDecay) throw new ModelBuildError(`AdamW trains on the wasm backend only (this one is ${tf.getBackend()}); use --backend wasm or Adam.`);
      return { optimizer: tf.train.adam(lr, rule.beta1, rule.beta2, rule.epsilon), name: label, learningRate: lr };
    }
    case 'sgd': {
      const m = num('momentum', 0);
      if (fused) return { optimizer: new FusedOptimizer({ kind: 'sgd', learningRate: lr, momentum: m, nesterov: a.nesterov === true }), name: 'SGD', learningRate: lr };
      const opt = m > 0 ? tf.train.momentum(lr, m, a.nesterov === true) : tf.train.sgd(lr);
      return { optimizer: opt, name: 'SGD', learningRate: lr };
    }
    case 'rmsprop': {
      const rule = { kind: 'rmsprop', learningRate: lr, rho: num('rho', 0.9), momentum: num('momentum', 0), epsilon: num('epsilon', 1e-7), centered: a.centered === true } as const;
      if (fused) return { optimizer: new FusedOptimizer(rule), name: 'RMSprop', learningRate: lr };
      return { optimizer: tf.train.rmsprop(lr, rule.rho, rule.momentum, rule.epsilon, rule.centered), name: 'RMSprop', learningRate: lr };
    }
    case 'adagrad':
      return { optimizer: tf.train.adagrad(lr, num('initial_accumulator_value', 0.1)), name: 'Adagrad', learningRate: lr };
    case 'adadelta':
      return { optimizer: tf.train.adadelta(lr, num('rho', 0.95), num('epsilon', 1e-7)), name: 'Adadelta', learningRate: lr };
    case 'adamax':
      return { optimizer: tf.train.adamax(lr, num('beta_1', 0.9), num('beta_2', 0.999), num('epsilon', 1e-7)), name: 'Adamax', learningRate: lr };
    default:
      throw new ModelBuildError(`optimizer '${cfg?.name}' is not supported; use Adam, AdamW, SGD, RMSprop, Adagrad, Adadelta or Adamax.`);
  }
}

const LOSS_ALIASES: Record<string, string> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
};

export function tfLossName(keras: string | undefined): string {
  if (!keras) return 'sparseCategoricalCrossentropy';
  if (LOSS_ALIASES[keras]) return LOSS_ALIASES[keras]!;
  const camel = keras.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return camel.charAt(0).toLowerCase() + camel.slice(1);
}

/** Compile (or re-compile with a new learning rate). */
export function compile(built: BuiltModel, training: TrainingConfig, learningRate?: number): void {
  const opt = makeOptimizer(training.optimizer, learningRate);
  // A re-compile (new learning rate) replaces the optimizer: free the old one's slots.
  const previous = built.model.optimizer as Optimizer | undefined;
  let metrics: (string | ((a: Tensor, b: Tensor) => Tensor))[] = (training.metrics?.length ? training.metrics : ['accuracy']).map((m) => (m === 'acc' ? 'accuracy' : m));
  let loss: string | ((yTrue: Tensor, yPred: Tensor) => Tensor) = built.loss;
  const crossEntropy = built.loss === 'sparseCategoricalCrossentropy' || built.loss === 'categoricalCrossentropy';
  if (built.labels !== 'binary' && (training.fromLogits || (crossEntropy && endsInSoftmax(built.model)))) {
    // Our own cross-entropy: on logits (from_logits=True), or on a softmax output with the
    // logits' gradient as Keras trains it (see softmax-cross-entropy.ts). Custom losses get
    // targets shaped like the output, so labels are fed one-hot; accuracy by argmax.
    built.labels = 'one-hot';
    loss = training.fromLogits ? (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred) : softmaxCrossEntropy();
    metrics = metrics.map((m) => (m === 'accuracy' ? tf.metrics.categoricalAccuracy : m));
  }
  if (built.classWeight) {
    // Keras turns class_weight into per-sample weights and reduces sum(w·loss) / batch size
    // (keras/src/losses/loss.py, "sum_over_batch_size"); tfjs-layers takes the mean of what the
    // loss returns per sample, so a per-sample loss times w is exactly that. Metrics stay unweighted.
    let base: (yTrue: Tensor, yPred: Tensor) => Tensor;
    if (typeof loss === 'function') base = training.fromLogits ? (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred, undefined, 0, tf.Reduction.NONE) : loss;
    else if (crossEntropy && built.labels !== 'binary') {
      built.labels = 'one-hot';
      base = (yTrue, yPred) => tf.metrics.categoricalCrossentropy(yTrue, yPred);
      metrics = metrics.map((m) => (m === 'accuracy' ? tf.metrics.categoricalAccuracy : m));
    } else {
      const perSample = (tf.metrics as unknown as Record<string, unknown>)[loss];
      if (typeof perSample !== 'function') throw new ModelBuildError(`class_weight cannot be applied to the loss '${training.loss}' (Model Lens weights cross-entropy, binary cross-entropy, mse, mae and mape); remove class_weight or change the loss.`);
      base = perSample as (yTrue: Tensor, yPred: Tensor) => Tensor;
    }
    loss = (yTrue, yPred) => {
      const l = base(yTrue, yPred);
      const w = built.batchWeights;
      return w ? tf.mul(l, w.reshape(l.shape)) : l;
    };
  }
  try {
    built.model.compile({ optimizer: opt.optimizer, loss, metrics: metrics as string[] });
  } catch (e) {
    throw new ModelBuildError(`compile failed: ${(e as Error).message}. Check loss '${training.loss}' and metrics ${JSON.stringify(training.metrics)}.`);
  }
  previous?.dispose();
  built.optimizer = opt.name;
  built.learningRate = opt.learningRate;
}

/**
 * `savedConfig`: the Keras config of a saved model the IR was read from. A model nested as a layer
 * (a Sequential or functional block) is then built from it, inner layers and all, as saved; without
 * it a nested model cannot be built (the IR keeps the block as one row).
 */
export async function buildModel(ir: ModelIR, overrides: { learningRate?: number; inputScale?: number } = {}, savedConfig?: Record<string, ConfigValue>): Promise<BuiltModel> {
  const known = registeredClasses(tf);
  const fromSaved = savedConfig !== undefined && ir.layers.some((l) => NESTED_MODEL_CLASSES.has(l.type));
  const why = notBuildable(ir, known, fromSaved);
  if (why) throw new ModelBuildError(why);
  if (ir.inputs.length !== 1 || ir.outputs.length !== 1) {
    throw new ModelBuildError(`model '${ir.name}' has ${ir.inputs.length} inputs and ${ir.outputs.length} outputs; training supports one image input and one output.`);
  }
  let model: LayersModel;
  try {
    model = (await tf.models.modelFromJSON({ modelTopology: fromSaved ? toTfjsTopology(savedConfig) : kerasModelConfig(ir) } as never)) as LayersModel;
  } catch (e) {
    const msg = (e as Error).message;
    const layer = ir.layers.find((l) => msg.includes(`'${l.name}'`) || msg.includes(` ${l.name} `));
    throw new ModelBuildError(`cannot build model '${ir.name}'${layer ? ` at layer '${layer.name}' (line ${layer.range.line})` : ''}: ${msg}`);
  }
  scopeNestedWeights((model as unknown as ScopedLayer).layers ?? []);
  const nested = !fromSaved && ir.layers.some((l) => l.nested?.graph);
  if (nested) {
    freezeNested((model as unknown as AnyLayer).layers ?? [], ir);
    // Keras's trainable count is what fit() updates; a build that differs would train another model.
    const n = trainableCount(model);
    if (n !== ir.trainableParams) {
      model.dispose();
      throw new ModelBuildError(`model '${ir.name}' built with ${n} trainable weights where Keras counts ${ir.trainableParams}; it is not trained rather than trained differently.`);
    }
  }
  batchNormFrozenLikeKeras(model);
  fixCallModes(model, ir);
  const inShape = model.inputs[0]!.shape.slice(1);
  if (inShape.some((d) => d === null)) throw new ModelBuildError(`model '${ir.name}' input shape ${JSON.stringify(inShape)} has unknown sizes; give a fixed Input shape.`);
  const outShape = model.outputs[0]!.shape;
  const numClasses = (outShape[outShape.length - 1] as number | null) ?? 1;
  const loss = tfLossName(ir.training.loss);
  const labels: BuiltModel['labels'] = loss.startsWith('sparse') ? 'sparse' : loss === 'binaryCrossentropy' ? 'binary' : 'one-hot';
  const built: BuiltModel = {
    model,
    ir,
    inputShape: inShape as number[],
    numClasses,
    loss,
    labels,
    inputScale: overrides.inputScale ?? ir.training.inputScale ?? 1 / 255,
    optimizer: '',
    learningRate: 0,
  };
  compile(built, ir.training, overrides.learningRate);
  return built;
}
