/**
 * The catalog of Keras layers Model Lens understands, gathered from one file per family.
 * It drives the Python and JSON readers, shape inference, hover text, the graph, the panel and
 * the worker's model builder. Lookups resolve Keras 3's aliases (MaxPool2D → MaxPooling2D).
 */
import { ACTIVATION_LAYERS } from './activations';
import { ATTENTION } from './attention';
import { CONVOLUTION } from './convolution';
import { CORE } from './core';
import { MERGING } from './merging';
import { NORMALIZATION } from './normalization';
import { POOLING } from './pooling';
import { PREPROCESSING } from './preprocessing';
import { RECURRENT } from './recurrent';
import { REGULARIZATION } from './regularization';
import { RESHAPING } from './reshaping';
import { registry, type ArgSpec, type LayerSpec } from './spec';

export * from './spec';

export const LAYERS: readonly LayerSpec[] = [
  ...CORE,
  ...CONVOLUTION,
  ...POOLING,
  ...RECURRENT,
  ...NORMALIZATION,
  ...REGULARIZATION,
  ...ATTENTION,
  ...RESHAPING,
  ...MERGING,
  ...ACTIVATION_LAYERS,
  ...PREPROCESSING,
];

const BY_TYPE = new Map<string, LayerSpec>();
for (const l of LAYERS) {
  for (const name of [l.type, ...(l.aliases ?? [])]) {
    if (BY_TYPE.has(name)) throw new Error(`layer catalog: '${name}' is defined twice`);
    BY_TYPE.set(name, l);
  }
}
registry.lookup = (type) => BY_TYPE.get(type);

/** The spec of a Keras class name or of one of its Keras 3 aliases. */
export function layerSpec(type: string): LayerSpec | undefined {
  return BY_TYPE.get(type);
}

/** The Keras class a name stands for (`MaxPool2D` → `MaxPooling2D`); the name itself when unknown. */
export function canonicalLayerType(type: string): string {
  return BY_TYPE.get(type)?.type ?? type;
}

/** Keras class names of every supported layer, sorted (aliases not included). */
export function supportedLayerTypes(): string[] {
  return LAYERS.map((l) => l.type).sort();
}

/** Arguments every Keras layer accepts (base `Layer.__init__` and input-shape shortcuts). */
export const BASE_ARGS: ArgSpec[] = [
  { name: 'name', kind: 'string', default: null, doc: 'Layer name (default: the class name in snake_case, numbered).' },
  { name: 'trainable', kind: 'bool', default: true, doc: 'Whether the weights are updated in training.' },
  { name: 'dtype', kind: 'any', default: null, doc: 'Data type policy of the layer.' },
  { name: 'autocast', kind: 'bool', default: true, doc: 'Cast inputs to the compute dtype.' },
  { name: 'input_shape', kind: 'shape', default: null, doc: 'Shape of the model input (first layer of a Sequential model).', tfjs: 'inputShape' },
  { name: 'batch_input_shape', kind: 'any', default: null, doc: 'Input shape including the batch axis.', tfjs: 'batchInputShape' },
  { name: 'input_dim', kind: 'int', default: null, doc: 'Shortcut for input_shape=(input_dim,).', tfjs: 'inputDim' },
  { name: 'batch_size', kind: 'int', default: null, doc: 'Fixed batch size for the input.' },
];

/** snake_case → camelCase (TF.js argument names). */
export function tfjsArgName(arg: ArgSpec | string): string {
  if (typeof arg !== 'string' && arg.tfjs) return arg.tfjs;
  const name = typeof arg === 'string' ? arg : arg.name;
  return name.replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
}

/** Every argument a layer accepts: its own, then the base ones. */
export function allArgs(spec: LayerSpec): ArgSpec[] {
  let all = ALL_ARGS.get(spec);
  if (!all) {
    const own = new Set(spec.args.map((a) => a.name));
    all = [...spec.args, ...BASE_ARGS.filter((a) => !own.has(a.name))];
    ALL_ARGS.set(spec, all);
  }
  return all;
}
const ALL_ARGS = new WeakMap<LayerSpec, ArgSpec[]>();

/**
 * A layer passed as an argument of another (Bidirectional(LSTM(64)), RNN(LSTMCell(4))), in the form
 * Keras serializes it and the table reads it: `{class_name, config}`. Readers call this for a
 * layer value given to an argument of kind 'layer' (and then do not count the inner layer as a node).
 */
export function wrappedLayerValue(type: string, config: Record<string, import('../../model/ir').ConfigValue>): import('../../model/ir').ConfigValue {
  return { class_name: canonicalLayerType(type), config };
}

/**
 * Keras activations that tfjs-layers 4.22 does not register (its set: elu, selu, relu, relu6, linear,
 * sigmoid, hard_sigmoid, softplus, softsign, tanh, softmax, log_softmax, gelu, gelu_new, mish, swish).
 */
const TFJS_MISSING_ACTIVATIONS: Record<string, string> = {
  silu: " (use 'swish', the same function)",
  exponential: '',
  hard_silu: '',
  hard_swish: '',
  leaky_relu: ' (use layers.LeakyReLU)',
};

/** Why a layer cannot be built by TF.js with this config, or undefined when it can. */
export function whyNotTrainable(spec: LayerSpec | undefined, type: string, config: Record<string, import('../../model/ir').ConfigValue>): string | undefined {
  if (!spec) return `${type} is not a layer Model Lens knows`;
  if ('none' in spec.tfjs) return spec.tfjs.none;
  const act = config['activation'];
  if (typeof act === 'string' && act in TFJS_MISSING_ACTIVATIONS) return `TensorFlow.js has no '${act}' activation${TFJS_MISSING_ACTIVATIONS[act]}`;
  return spec.tfjs.unsupported?.(config);
}

/** Why TF.js cannot build this node of a model: a tensor operation (`x + y`, `ops.mean`) never, a layer as `whyNotTrainable` says. */
export function whyNodeNotTrainable(l: import('../../model/ir').LayerNode): string | undefined {
  if (l.implicitMask) return undefined; // Keras's own mask: TF.js makes it itself
  // TimeDistributed(model) (keras-host / nested-model.ts): read for shapes and counts, not built in TF.js.
  if (l.type === 'TimeDistributed' && (l.config['layer'] === undefined || l.config['layer'] === null)) return 'it wraps a whole model (TimeDistributed(model)), which Model Lens reads (shapes and counts) but cannot train yet; to train here, wrap the layers one by one (TimeDistributed(layers.Conv2D(...)))';
  if (l.operation === 'add_weight') return "it is a weight the layer class makes with add_weight, which Model Lens counts but cannot train yet; to train here, make the class's weights with layers (layers.Dense, layers.EinsumDense)";
  if (l.operation) return `it is a tensor operation (${l.operation.replace(/^tensorflow\./, 'tf.').replace(/^keras\.ops\./, 'ops.')}), which Model Lens reads (shapes and counts) but cannot train yet; to train here, write it with layers (layers.Add, layers.Reshape, layers.Embedding, …)`;
  // The scores of an attention call are an option of the call, not of the layer's config, which is what TF.js is built from.
  if (l.outputShapes && layerSpec(l.type)?.family === 'attention') return 'its call returns the attention scores (return_attention_scores=True), which Model Lens reads (shapes and counts) but cannot train yet; to train here, drop return_attention_scores';
  return whyNotTrainable(layerSpec(l.type), l.type, l.config);
}

/**
 * The first layer of a model that TF.js cannot build, with the reason (undefined when all can).
 * A model used as a layer is built from its own graph: its layers are checked (the message says in
 * which model).
 */
export function trainingBlocker(model: import('../../model/ir').ModelIR, within = ''): { layer: string; type: string; line: number; why: string; message: string } | undefined {
  for (const l of model.layers) {
    // A model nested in a saved model is built from the saved config, inner layers and all (the worker checks those).
    if (model.startWeights?.kind === 'model' && (l.type === 'Sequential' || l.type === 'Functional' || l.type === 'Model')) continue;
    if (l.nested?.graph) {
      const inner = trainingBlocker(l.nested.graph, `${within}in model '${l.name}' (line ${l.range.line}), `);
      if (inner) return inner;
      continue;
    }
    const why = l.nested
      ? `the layers of model '${l.nested.model}' (line ${l.nested.line}) could not be read, and Model Lens builds a model used as a layer from them`
      : whyNodeNotTrainable(l);
    if (why) {
      return {
        layer: l.name,
        type: l.type,
        line: l.range.line,
        why,
        message: `${within}layer '${l.name}' (${l.type}, line ${l.range.line}) cannot be trained here: ${why}. Its graph, shapes and parameter counts still work.`,
      };
    }
  }
  return undefined;
}
