/**
 * The model IR: plain data that every part of Model Lens shares.
 * Produced by the readers (Keras Python source, Keras/TF.js JSON), consumed by the
 * extension host (lenses, hints, diagnostics), the worker (builds a tfjs model) and
 * the webview (graph, shape flow). No methods: it crosses process boundaries as JSON.
 */

/** One tensor dimension; `null` is an unknown size (the batch axis). */
export type Dim = number | null;
/** A tensor shape including the batch axis first, e.g. `[null, 28, 28, 1]`. */
export type Shape = Dim[];

/** A position in a source file, 1-based line and column (as editors show them). */
export interface SourcePos {
  line: number;
  column: number;
}

export interface SourceRange extends SourcePos {
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading a model. Always says what to change. */
export interface Diagnostic {
  severity: Severity;
  /** Human message naming the layer / argument and what to do about it. */
  message: string;
  /** File path as given to the reader. */
  file: string;
  range: SourceRange;
  /** Machine-readable kind: 'syntax' | 'unsupported-layer' | 'unknown-argument' | 'shape' | ... */
  code: string;
  /** The layer the problem belongs to, when there is one. */
  layer?: string;
}

/** A resolved argument value (after constant folding of the safe subset). */
export type ConfigValue =
  | number
  | string
  | boolean
  | null
  | ConfigValue[]
  | { [key: string]: ConfigValue };

export interface LayerNode {
  /** Keras layer name: `name=` or Keras's default (`conv2d`, `conv2d_1`, …). */
  name: string;
  /** Keras class name: `Conv2D`, `InputLayer`, … (the built-in class a subclass of the file re-routes). */
  type: string;
  /** A class of the file deriving from a built-in layer (`class MCDropout(layers.Dropout)`): the type Keras prints for it. */
  subclass?: string;
  /** Arguments with Keras defaults filled in (snake_case keys as in Keras). */
  config: Record<string, ConfigValue>;
  /** Names of the layers whose outputs feed this one, in call order (its first call, for a shared layer). */
  inputs: string[];
  /**
   * Which call of each input layer feeds this one, when not its first (a shared layer's later call,
   * Keras's node index: `embedding[1][0]`); absent when every input is a first call.
   */
  inputNodes?: number[];
  /**
   * A layer called more than once (shared weights: siamese towers, a shared embedding): its later
   * calls, each with its own inputs and output shape. Keras lists the layer once and counts its
   * weights once; the graph draws an edge from every call's inputs.
   */
  calls?: { inputs: string[]; inputNodes?: number[]; inputTensors?: number[]; outputShape: Shape | null; outputShapes?: Shape[] }[];
  /**
   * Which output of each input's call feeds this one, when the input returns several tensors and
   * it is not the first (Keras's tensor index: the states of `LSTM(return_state=True)`, `lstm[0][1]`).
   */
  inputTensors?: number[];
  /** Output shape with `null` batch axis; `null` when it could not be inferred. The first output's, when it returns several. */
  outputShape: Shape | null;
  /** Every output's shape when a call returns several tensors (an RNN with return_state=True), in Keras's order. */
  outputShapes?: Shape[];
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Where the layer is created in the source (the `layers.X(` call). */
  range: SourceRange;
  /**
   * This node is another model used as one layer (Keras prints it as one row). `graph` is that
   * model's own graph with its shapes and counts, as `summary(expand_nested=True)` lists it: the
   * panel opens it in place of the node.
   */
  nested?: {
    model: string;
    line: number;
    graph?: ModelIR;
    /** A call of a layer class of the file (not a model): its graph is the layers its call() used, its lines the file's. */
    block?: true;
  };
  /**
   * The call fixed the layer's mode, as Keras honours it: `training=False` runs it in inference mode
   * even in fit() (BatchNormalization uses its moving statistics, Dropout passes through), `True` in
   * training mode even in predict(). Absent: the usual mode of each.
   */
  callTraining?: boolean;
  /**
   * A tensor operation, not a layer (`x + y`, `keras.ops.mean(x, axis=1)` at the top level, as
   * Keras 3 records them; `ops.arange(…)` inside a layer's call()): the function or operator it
   * came from. No weights; TF.js does not build it.
   */
  operation?: string;
  /**
   * Keras 3's mask of an Embedding(mask_zero=True), an operation Keras makes itself and passes to
   * the layer that reads masks (its row `not_equal (NotEqual)`): not in the file's code; TF.js
   * computes masks on its own, so the engine leaves it out.
   */
  implicitMask?: true;
  /** Made from constants only inside a layer's call() (`ops.arange(n)`, an Embedding of it): its shape has no batch axis. */
  constant?: true;
}

export interface OptimizerConfig {
  /** Keras class name, e.g. 'Adam', 'SGD', 'RMSprop'. */
  name: string;
  learningRate?: number;
  /** Any other resolved keyword arguments (momentum, beta_1, …). */
  args?: Record<string, ConfigValue>;
  /** `learning_rate=keras.optimizers.schedules.X(...)`: the rate per optimizer step (learningRate is its value at step 0). */
  schedule?: LrSchedule;
}

/** A `keras.optimizers.schedules` object given as an optimizer's learning_rate, with Keras's defaults filled in. */
export type LrSchedule =
  | { type: 'ExponentialDecay' | 'InverseTimeDecay'; initialLearningRate: number; decaySteps: number; decayRate: number; staircase: boolean }
  | { type: 'PiecewiseConstantDecay'; boundaries: number[]; values: number[] }
  | { type: 'CosineDecay'; initialLearningRate: number; decaySteps: number; alpha: number; warmupTarget: number | null; warmupSteps: number }
  | { type: 'PolynomialDecay'; initialLearningRate: number; decaySteps: number; endLearningRate: number; power: number; cycle: boolean };

/** Which improvement a callback watches for: `min` (a loss), `max` (an accuracy), `auto` (by the name). */
export type MonitorMode = 'min' | 'max' | 'auto';

/** A `fit(callbacks=[...])` entry: the ones Model Lens honours, and the others by name (listed, not honoured). */
export type CallbackSpec =
  | { type: 'EarlyStopping'; monitor: string; patience: number; minDelta: number; mode: MonitorMode; restoreBestWeights: boolean; line?: number }
  | { type: 'ModelCheckpoint'; monitor: string; saveBestOnly: boolean; mode: MonitorMode; line?: number }
  | { type: 'ReduceLROnPlateau'; monitor: string; factor: number; patience: number; minDelta: number; cooldown: number; minLr: number; mode: MonitorMode; line?: number }
  /** `LearningRateScheduler(schedule)`: the file's schedule(epoch, lr) worked out by the reader for epochs 0…n−1. */
  | { type: 'LearningRateScheduler'; epochLr: number[]; schedule: string; line?: number }
  /** A callback Model Lens honours but could not work out from the file: training refuses to start, naming the line. */
  /** `kerasRaises`: Keras itself refuses it (an error in the file), not only Model Lens's training. */
  | { type: 'invalid'; name: string; message: string; line?: number; kerasRaises?: true }
  | { type: 'unsupported'; name: string; line?: number };

/** Which data the file trains on. */
/** `keras.datasets.X.load_data()`; cifar100_coarse is `cifar100.load_data(label_mode='coarse')`. */
export type DatasetName = 'mnist' | 'fashion_mnist' | 'cifar10' | 'cifar100' | 'cifar100_coarse';

/** What the file says about training; every field optional (the file may not say). */
export interface TrainingConfig {
  optimizer?: OptimizerConfig;
  /** Keras loss name, e.g. 'sparse_categorical_crossentropy'. */
  loss?: string;
  metrics?: string[];
  batchSize?: number;
  epochs?: number;
  shuffle?: boolean;
  validationSplit?: number;
  /** `validation_data=(x_test, y_test)`: the dataset's test split is the validation set. */
  validationData?: 'test';
  /** `class_weight={0: 1.0, 1: 2.0}`: class index → weight of its samples in the training loss. */
  classWeight?: Record<string, number>;
  /** `fit` arguments that cannot be worked out or are not supported (training refuses to start, naming the line). */
  fitErrors?: { message: string; line: number }[];
  dataset?: DatasetName;
  /** The .npz (or the inputs .npy, paired with its y file) the file loads with `np.load('…')` and fits on (absolute; a relative path is taken from the file's folder). */
  dataPath?: string;
  /** Inputs are multiplied by this (e.g. 1/255 for `x / 255.`). */
  inputScale?: number;
  /** Where inputScale comes from, said to the user (a saved model has no code that says it). */
  inputScaleSource?: string;
  /** Line of `compile(`, `fit(`, `load_data(` when found. */
  compileLine?: number;
  fitLine?: number;
  datasetLine?: number;
  /** Line of the first `evaluate(` / `predict(` call on the model, when found. */
  evaluateLine?: number;
  predictLine?: number;
  /** `fit(callbacks=[...])`. */
  callbacks?: CallbackSpec[];
  /** `keras.utils.set_random_seed(N)` / `tf.random.set_seed(N)` in the file (the last one), and its line. */
  seed?: number;
  seedLine?: number;
  /** The loss was given as an object with `from_logits=` (e.g. SparseCategoricalCrossentropy(from_logits=True)). */
  fromLogits?: boolean;
  /**
   * No compile(): the model is trained by the file's own loop (a loss object on its predictions, an
   * optimizer's apply_gradients/minimize); loss, optimizer and batch size were read from there. The line of that loss call.
   */
  customLoopLine?: number;
}

/**
 * A statement that changes a model but could not be worked out (a loop over unknown data, a call
 * of an unknown function, a budget reached): the model is incomplete and its totals are not Keras's.
 */
export interface ModelGap {
  range: SourceRange;
  message: string;
  /** The last layer read before the gap (null: before the first), where the graph draws it. */
  after: string | null;
}

/**
 * What one `model.summary()` call of the file prints, from the model as it is at that line (layers
 * added or popped later, `trainable` changed later, are not in it yet). `built: false`: the model
 * has no input yet there (tf.keras 2 raises "This model has not yet been built"; Keras 3 prints its
 * layers unbuilt, Total params: 0). Counts are absent when Model Lens cannot give Keras's (the
 * model is incomplete or has errors).
 */
export interface SummarySnapshot {
  range: SourceRange;
  built: boolean;
  totalParams?: number;
  trainableParams?: number;
  nonTrainableParams?: number;
  /** Rows of the table at that line (its layers, as Model Lens's table lists them). */
  layers?: number;
}

export type ModelStyle = 'functional' | 'sequential' | 'sequential-add' | 'subclassed' | 'json';

export interface ModelIR {
  /** `name=` of the model, else Keras's default name (`functional`, `sequential`, `sequential_1`, …). */
  name: string;
  /** Python variable the model is bound to, if any. */
  variable?: string;
  style: ModelStyle;
  /** Where the model is built (`tf.keras.Model(` / `Sequential(` call), for the lenses. */
  range: SourceRange;
  /** Layers in topological order; InputLayer(s) first. */
  layers: LayerNode[];
  /** Names of input and output layers. */
  inputs: string[];
  outputs: string[];
  /** Which call of each output layer is the output, when not its first (a shared layer); see LayerNode.inputNodes. */
  outputNodes?: number[];
  /** Which output of each output layer's call is the model's output, when not its first (see LayerNode.inputTensors). */
  outputTensors?: number[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  training: TrainingConfig;
  /** Problems belonging to this model (shape errors, unsupported layers…). */
  diagnostics: Diagnostic[];
  /** Set when the model is incomplete (each gap is also an error diagnostic): totals are a lower bound. */
  gaps?: ModelGap[];
  /**
   * Saved weights the source starts this model from: `keras.models.load_model("m.keras")` (kind
   * 'model': the model is the file's) or `model.load_weights("w.weights.h5")` (kind 'weights').
   * An absolute path inside the workspace; runs start from these weights.
   */
  startWeights?: { file: string; line: number; kind: 'model' | 'weights' };
  /** Each `summary()` call of this model in the file, in the order Python runs them (see SummarySnapshot). */
  summaries?: SummarySnapshot[];
}

export interface ReadResult {
  file: string;
  models: ModelIR[];
  /** Problems not tied to one model (syntax errors, unknown imports…). */
  diagnostics: Diagnostic[];
  /**
   * Models Keras never builds (a class without call(): keras.io's GAN/VAE wrappers with their own
   * train_step): not listed with totals, since Keras has none for them; said at their line.
   */
  unbuilt?: UnbuiltModel[];
}

/** A model of the file that Keras never builds, so it has no summary (see ReadResult.unbuilt). */
export interface UnbuiltModel {
  name: string;
  variable?: string;
  className: string;
  range: SourceRange;
  /** Its class defines train_step, which Model Lens does not run. */
  trainStep: boolean;
  /** What is said at its line, and by `model-lens train/summary --model NAME`. */
  message: string;
}

/** Every layer feeding this one, over all its calls (a shared layer's later calls too), in call order. */
export function allInputs(l: LayerNode): string[] {
  return l.calls ? [...l.inputs, ...l.calls.flatMap((c) => c.inputs)] : l.inputs;
}

/** Which output of its layer each of allInputs(l) is (0 but for a call that returns several tensors). */
export function allInputTensors(l: LayerNode): number[] {
  const of = (c: { inputs: string[]; inputTensors?: number[] }) => c.inputTensors ?? c.inputs.map(() => 0);
  return l.calls ? [...of(l), ...l.calls.flatMap(of)] : of(l);
}

/** The shape of the model's k-th output: its layer's output, or the one of its outputs the model takes. */
export function modelOutputShape(m: ModelIR, k = 0): Shape | null {
  const l = m.layers.find((x) => x.name === m.outputs[k]);
  if (!l) return null;
  const t = m.outputTensors?.[k] ?? 0;
  return l.outputShapes ? (l.outputShapes[t] ?? null) : t === 0 ? l.outputShape : null;
}

/** `[null, 28, 28, 1]` → `28×28×1`; unknown dims as `?`. */
export function formatShape(shape: Shape | null): string {
  if (!shape) return '?';
  const dims = shape.slice(1);
  return dims.length === 0 ? 'scalar' : dims.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** A layer's output as the editor shows it: `28×28×32`, or `[?×64, 64, 64]` for a call that returns several tensors. */
export function formatOutputs(l: Pick<LayerNode, 'outputShape' | 'outputShapes' | 'constant'>, tensor?: number): string {
  // A constant has no batch axis: every dimension is shown (`200×32` for positions embedded inside a call()).
  const one = (s: Shape | null) => (l.constant && s ? (s.length ? s.map((d) => (d === null ? '?' : String(d))).join('×') : 'scalar') : formatShape(s));
  // `tensor`: the one of its outputs an edge carries (an LSTM's state h is output 1).
  if (l.outputShapes && tensor !== undefined) return one(l.outputShapes[tensor] ?? null);
  return l.outputShapes ? `[${l.outputShapes.map(one).join(', ')}]` : one(l.outputShape);
}

/** An approximate count, always three significant digits: 1676266 → `1.68 M`, 225792 → `226 k`, 12500 → `12.5 k`, 320 → `320`. */
export function formatCount(n: number): string {
  const three = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  if (n >= 999.5e6) return `${three(n / 1e9)} G`;
  if (n >= 999.5e3) return `${three(n / 1e6)} M`;
  if (n >= 1e4) return `${three(n / 1e3)} k`;
  return String(n);
}
