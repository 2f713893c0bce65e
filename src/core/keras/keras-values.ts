/**
 * The Keras objects the reader tracks on top of the Python evaluator (host values): layers, the
 * tensors their calls produce, models, the loaded dataset and other Keras objects (optimizers,
 * losses). Plus the plain-data form of a value for layer configs.
 */
import type { ConfigValue, DatasetName, Diagnostic, ModelGap, ModelIR, SourceRange, TrainingConfig } from '../model/ir';
import type { HostObject, InstValue, Value } from '../python/values';
import type { GLayer } from './shape-inference';
import type { ModelSnapshot } from './cloning';

export interface PyModel {
  style: 'functional' | 'sequential' | 'sequential-add' | 'subclassed';
  name: string;
  variable?: string;
  range: SourceRange;
  /** Functional: the model's layers; Sequential: filled when the file has been read. */
  layers: GLayer[];
  inputs: GLayer[];
  outputs: GLayer[];
  /** Sequential only: the layers in the order they were given/added. */
  items: GLayer[];
  /** Sequential only: the input shape from `model.build(...)` (without the batch axis). */
  builtShape?: (number | null)[];
  /**
   * Sequential only: what was given after a layer class of the file that came first (no input yet
   * to read its call() on); added in order once `build(...)` or the data `fit` gets says the input.
   */
  pending?: { v: Value; at: unknown; range: SourceRange }[];
  /** `model.trainable = False`: every weight is non-trainable. */
  frozen?: boolean;
  training: TrainingConfig;
  problems: Diagnostic[];
  /** Statements that change the model and could not be worked out. */
  gaps: ModelGap[];
  /**
   * Made by clone_model (or from_config) as the copy of a model used inside the one copied: Keras
   * makes it, but it is reached only through the copy's node (listed as its own model only when
   * the file binds it to a name).
   */
  innerCopy?: boolean;
  /** The nodes where this model is used as a layer of another model. */
  uses?: GLayer[];
  /** The node of its calls on tensors (`y = model(x)`); a second call is a later call of it. */
  called?: GLayer;
  /** Subclassed: the instance whose `call` is read, and whether it was built (and its own build run). */
  self?: InstValue;
  built?: boolean;
  userBuilt?: boolean;
  /** `keras.models.load_model("…")`: the model is the saved file's (its IR read from the file's config). */
  loaded?: ModelIR;
  /** Saved weights the model starts from (load_model's file, or `model.load_weights("…")`). */
  startWeights?: ModelIR['startWeights'];
}

export const isSequential = (m: PyModel): boolean => m.style === 'sequential' || m.style === 'sequential-add';

export type KerasObject =
  /** A constructed layer (called or not). */
  | { kind: 'layer'; layer: GLayer }
  /** The output of a layer call (or of keras.Input). */
  | { kind: 'tensor'; layer: GLayer }
  | { kind: 'model'; model: PyModel }
  /** Arrays from `datasets.X.load_data()`, with the scaling applied to them so far. */
  | {
      kind: 'data';
      dataset: DatasetName | null;
      role: 'x' | 'y';
      /** Which half of `load_data()` (or which `x_train`/`x_test`… of an .npz) it came from (undefined: arrays made in the file). */
      split?: 'train' | 'test';
      /**
       * The data file it was read from, as the run's dataset path: the .npz archive (`np.load(PATH)[key]`),
       * or for arrays saved one per file (`np.load('x_train.npy')`, `np.load('y.npy')`) the inputs file of
       * the set (x_train.npy / x.npy beside it), which the loader pairs with its y file; resolved beside the model file.
       */
      npz?: string;
      /** The .npy file itself when the array came from one (said in errors). */
      npy?: string;
      scale: number;
      line: number;
      /** Labels of a built-in dataset: how many classes they hold (0 … classes − 1), and whether they are one-hot (to_categorical). */
      classes?: number;
      oneHot?: true;
      /** `tf.data.Dataset.from_tensor_slices((x, y))`: the labels that go with these images (x then stands for the dataset). */
      pair?: KerasObject & { kind: 'data' };
      /** A `tf.data.Dataset.from_tensor_slices(...)` of these arrays: of `(x, y)` (the labels in `pair` when followed) or of `x` alone. */
      slices?: 'pair' | 'single';
      /** `.batch(n)` on such a dataset: the batch size fit then uses. */
      batch?: number;
      /** `iter(ds)` / `ds.as_numpy_iterator()` of such a dataset: `next(...)` gives one of its items. */
      iterating?: boolean;
      /** One batch of a dataset batched by n, as a `for` loop over it gives (a custom training loop). */
      ofBatches?: number;
      /** …read inside `for epoch in range(n)`: n, the epochs of that training loop. */
      ofEpochs?: number;
      /** Array shape when it can be followed (mnist x: [60000, 28, 28]); null when not. */
      dims: (number | null)[] | null;
    }
  /** `np.load('data.npz')`: the archive; `['x_train']`, `['y_test']`… give its arrays. */
  | { kind: 'npz'; path: string; line: number }
  /** An instance of a class of the file deriving from keras.layers.Layer: its `call` is read. */
  /** `doubt`: a statement Model Lens does not follow changed it (frozen, or given arguments it does not read): what it outputs is in doubt. */
  /**
   * `name`: Keras's name of the instance (its automatic one, or `name=` given to Keras's __init__);
   * `range`: where it is made; `first`: the node of its first call (later calls share its weights).
   */
  | {
      kind: 'custom-layer';
      inst: InstValue;
      built: boolean;
      name: string;
      range: SourceRange;
      first?: GLayer;
      /** The weights its `self.add_weight(shape=…)` calls made (counted in its row). */
      weights?: { trainable: number; nonTrainable: number };
      ownWeights?: ModelGap;
      doubt?: ModelGap;
    }
  /** What a model called on data gives (its predictions, e.g. in a custom training step). */
  | { kind: 'prediction'; model: PyModel }
  /** A Keras loss object applied to a model's predictions (a custom training step's loss). */
  | { kind: 'step-loss'; model: PyModel }
  /** `model.get_config()` / `model.to_json()`: the model's architecture at that point (see cloning.ts). */
  | { kind: 'model-config'; snap: ModelSnapshot; json: boolean }
  /** An instance of a Keras class that is not a layer (optimizer, loss, metric, initializer). */
  | { kind: 'obj'; cls: string; path: string; pos: Value[]; kw: Map<string, Value> };

export type DataObject = Extract<KerasObject, { kind: 'data' }>;

export const host = (h: KerasObject): Value => ({ k: 'host', h });

/** The Keras object a value holds, if any. */
export function keras(v: Value | undefined): KerasObject | undefined {
  return v?.k === 'host' ? (v.h as KerasObject) : undefined;
}

export function asKeras(h: HostObject): KerasObject {
  return h as KerasObject;
}

/** The plain-data form of a value, or undefined when it is not a constant. */
export function toConfig(v: Value): ConfigValue | undefined {
  switch (v.k) {
    case 'py':
      return v.v;
    case 'seq': {
      const out: ConfigValue[] = [];
      for (const i of v.items) {
        const c = toConfig(i);
        if (c === undefined) return undefined;
        out.push(c);
      }
      return out;
    }
    case 'dict': {
      const out: Record<string, ConfigValue> = {};
      for (const [key, i] of v.entries) {
        const c = toConfig(i);
        if (c === undefined) return undefined;
        out[key] = c;
      }
      return out;
    }
    case 'mod': {
      // keras.activations.relu, tf.nn.relu → 'relu'
      const last = v.path.split('.').pop()!;
      // tf.float32 / np.int32 / tf.bool as a dtype: its name, as Keras stores it.
      if (/^(tensorflow|numpy)\.(float16|float32|float64|bfloat16|int8|int16|int32|int64|uint8|uint16|bool|string|complex64|complex128)$/.test(v.path)) return last;
      return /^(keras\.activations|tensorflow\.nn|tensorflow\.math|keras\.ops)\./.test(v.path) ? last : undefined;
    }
    case 'host': {
      const h = v.h as KerasObject;
      return h.kind === 'obj' ? h.cls : undefined;
    }
    default:
      return undefined;
  }
}

/** `tensorflow.keras.X` / `tf_keras.X` / `tensorflow.python.keras.X` / `tensorflow.compat.v1.keras.X` → `keras.X`. */
export function canonicalPath(path: string): string {
  return path
    .replace(/^tensorflow\.python\.keras(?=\.|$)/, 'keras')
    .replace(/^tensorflow\.keras(?=\.|$)/, 'keras')
    // tf.compat.v1.keras.layers.CuDNNLSTM, tf.compat.v2.keras.…: the same classes.
    .replace(/^tensorflow\.compat\.v[12]\.keras(?=\.|$)/, 'keras')
    .replace(/^tf_keras(?=\.|$)/, 'keras')
    // TensorFlow 2's short aliases of Keras's modules (tf.optimizers.Adam is tf.keras.optimizers.Adam).
    .replace(/^tensorflow\.(optimizers|losses|metrics)(?=\.)/, 'keras.$1')
    .replace(/^keras\.api\.(_v2\.)?keras(?=\.|$)/, 'keras')
    .replace(/^keras\.src(?=\.)/, 'keras')
    .replace(/^keras\.engine\.(sequential|training|functional)\./, 'keras.models.')
    // Keras 2's module paths of layer classes (keras.layers.core.Dense, keras.layers.recurrent.LSTM, …)
    // and TF 2.x's experimental ones (layers.experimental.preprocessing.Rescaling).
    .replace(/^keras\.layers\.experimental\.(preprocessing\.)?(?=[A-Z]\w*$)/, 'keras.layers.')
    .replace(/^keras\.layers\.preprocessing\.(?=[A-Z]\w*$)/, 'keras.layers.')
    .replace(/^keras\.layers\.(core|convolutional|pooling|merge|merging|normalization|reshaping|recurrent|recurrent_v2|embeddings|advanced_activations|activation|wrappers|noise|regularization|attention|normalization_v2|dense_attention|local|convolutional_recurrent|cudnn_recurrent|rnn)\.(?=[A-Z]\w*$)/, 'keras.layers.');
}
