/**
 * What Keras calls mean, for the Python evaluator: `keras.Input`, layer constructors and calls,
 * `Sequential`/`Model`, `add`/`pop`/`build`/`compile`/`fit`, `trainable`; the built-in datasets and
 * the numpy helpers applied to them through data-values.ts. Everything it cannot work out that
 * changes a model becomes a gap of that model (the model is incomplete, with an error at the line).
 */
import type { SyntaxNode } from '@lezer/common';
import type { DatasetName, Diagnostic, ModelGap, Severity, Shape, SourceRange } from '../model/ir';
import { Budget, BudgetExceeded } from '../python/budget';
import { Evaluator } from '../python/evaluator';
import { parsePython, type Parsed } from '../python/syntax';
import { APPLICATIONS, APPLICATIONS_SOURCE } from './applications/sources';
import { namedArgs, refusedCall } from './applications/imagenet-checks';
import type { Host, IndexItem, Runtime } from '../python/host';
import { lookupVocabulary } from './layers/preprocessing';
import { hasFloat, num, py, NONE, UNKNOWN, walkValues, type Arg, type Args, type HostObject, type InstValue, type Value } from '../python/values';
import type { LineIndex } from '../text/line-index';
import { NameCounter } from './default-names';
import { asKeras, canonicalPath, host, isSequential, keras, toConfig, type DataObject, type KerasObject, type PyModel } from './keras-values';
import { buildConfig, closest, type WrittenArg } from './layer-config';
import { allArgs, layerSpec, ShapeError, supportedLayerTypes, wrappedLayerValue } from './layer-table';
import { dataInputs, infer, outputCount, outputTensor, type GLayer, type ShapeCache } from './shape-inference';
import { collectFunctional } from './build-ir';
import { nestedSpec, timeDistributedModelSpec } from './nested-model';
import { builtinLayerOf } from './builtin-subclass';
import { hasNoCall, refusedUse } from './callless-model';
import { settleLossOnly } from './loss-only-ops';
import { applyCompile, applyFit, lossName, optimizerFromValue, TRAINING_ONLY, type FitEnv } from './training-config';
import { readSavedModelIR, resolveNamedFile, type LoadAccess } from '../saved/loaded-model';
import { sniffFile } from '../saved/sniff';
import { cloneModel, snapshot, type CloneSite } from './cloning';
import { SummarySnapshots } from './summary-snapshots';
import { keras1KernelWarning, keras1ModelKeyword } from './keras1-api';
import { changedDefaultNote } from './changed-defaults';
import { tfdsCall } from './tfds-info';
import { sklearnCall, sklearnMethod } from './sklearn-data';
import { SavedFiles, type SavedHere } from './saved-here';
import type { ConfigValue } from '../model/ir';
import { SublayerBuilds } from './sublayer-builds';
import { preprocessMode, preprocessTensor } from './preprocess-input';
import { OpCalls } from './op-calls';
import { KerasImports, unknownTfFunction } from './tf-op-lambda';
import { Masks } from './masks';
import { foldBlock } from './custom-block';
import { findOp, opSpec } from './tensor-ops';
import { snakeCase } from './default-names';
import { dataAttribute, dataCall, dataHelper, dataMethod, dataSubscript, loadData, loopItemOf, npyFitError, scaleData, shapedArray, type DataSite } from './data-values';

/** More layers than any real model file builds; a file that makes more is refused at the line. */
export const MAX_LAYERS = 20_000;

/** The functional shortcuts of keras.layers and the layer class each one makes. */
const MERGE_FUNCTIONS: Record<string, string> = {
  add: 'Add',
  concatenate: 'Concatenate',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  subtract: 'Subtract',
  dot: 'Dot',
};

/** Modules whose functions take a model without changing its layers (plotting, saving, converting, logging). */
/**
 * Layer classes that derive from another public layer class: `isinstance(layer, Base)` is true
 * for them in every Keras version (true), or only in some (undefined: Conv2DTranspose derived from
 * Conv2D in Keras 2, not in Keras 3). Any other pair of distinct layer classes is false.
 */
const SUBCLASSES: Record<string, Record<string, boolean | undefined>> = {
  RNN: { LSTM: true, GRU: true, SimpleRNN: true, ConvLSTM1D: undefined, ConvLSTM2D: undefined, ConvLSTM3D: undefined },
  Wrapper: { Bidirectional: true, TimeDistributed: true },
  Conv1D: { Conv1DTranspose: undefined, SeparableConv1D: undefined, DepthwiseConv1D: undefined },
  Conv2D: { Conv2DTranspose: undefined, DepthwiseConv2D: undefined, SeparableConv2D: undefined },
  Conv3D: { Conv3DTranspose: undefined },
  Dropout: { SpatialDropout1D: undefined, SpatialDropout2D: undefined, SpatialDropout3D: undefined },
  Attention: { AdditiveAttention: undefined },
  BatchNormalization: { SyncBatchNormalization: undefined },
};

/** Methods of a model or layer that add or change weights (Keras 3's quantization and LoRA among them). */
const WEIGHT_CHANGING_METHODS = new Set(['quantize', 'enable_lora', 'add_weight', 'add_variable', 'build_from_config', 'set_state_tree', 'rebuild']);
/** Named in the message when a model method adds weights or layers (the rest of the unknown ones are said as unknown). */
const KNOWN_CHANGING = new Set([...WEIGHT_CHANGING_METHODS, 'quantized_build', 'add_unprocessed_node', 'process_layer', 'apply', 'swap']);

/** Layer arguments that change no shape or weight count when set after the constructor. */
const SAFE_ATTRIBUTES = /^(name|activation|dtype|.*_(initializer|regularizer|constraint)|dropout|recurrent_dropout|rate|seed|momentum|epsilon)$/;

const KNOWN_LIBRARIES =
  /^(keras|tensorflow|tensorflowjs|tfjs|numpy|visualkeras|matplotlib|sklearn|pandas|tf2onnx|onnx|onnxmltools|wandb|mlflow|tensorboard|PIL|cv2|os|sys|json|pickle|joblib|logging|time|datetime|pathlib|shutil|math|random|itertools|functools|collections|typing|pprint|builtins|io|contextlib|warnings|gc|copy)(\.|$)/;

/**
 * The tf.Variables an instance of a layer class holds as attributes (`self.hp_lambda = hp_lambda`, made
 * outside with tf.Variable(1.0)), said as `'hp_lambda' (1 value)`; undefined when it holds none.
 */
function heldVariables(inst: InstValue): string | undefined {
  const said: string[] = [];
  for (const [name, v] of inst.attrs) {
    const o = v.k === 'host' ? asKeras(v.h) : undefined;
    if (o?.kind !== 'obj' || o.path !== 'tensorflow.Variable') continue;
    const init = o.pos[0] ?? o.kw.get('initial_value');
    const size = init?.k === 'py' && typeof init.v === 'number' ? 1 : undefined;
    said.push(`'${name}'${size !== undefined ? ` (${size} value)` : ''}`);
  }
  return said.length ? said.join(', ') : undefined;
}

/** A Python constant (a string, a number, a list of them): what a layer called eagerly gets. */
function pyConstant(v: Value): boolean {
  return v.k === 'py' ? v.v !== null : v.k === 'seq' && v.items.length > 0 && v.items.every(pyConstant);
}

/** Attributes of a model or layer whose value is plain data, no part of it (names, shapes): reading one changes nothing. */
const PLAIN_ATTRIBUTES = new Set(['metrics_names', 'name', 'input_shape', 'output_shape', 'input_names', 'output_names']);

/** Calls that change nothing of what they are called on and return no part of it (a layer, a weight): predictions, reports, files. */
const PURE_READS = new Set(['get_vocabulary', 'vocabulary_size', 'predict', 'predict_on_batch', 'evaluate', 'test_on_batch', 'summary', 'count_params', 'save', 'save_weights', 'to_json', 'get_weights', 'get_config', 'predict_classes', 'predict_proba']);

/**
 * Methods of Keras models and layers (Keras 3's Model, Trainer, Layer; tf.keras 2's) that change no
 * layer and no weight count: they read, save, train or evaluate, or set weight values, losses and
 * metrics (whose variables `summary()` does not count). Any other method called on a model or a
 * layer — one that adds weights or layers (`add_weight`, `quantize`, `build_from_config`, …), a
 * private one, or one Keras has not (Python raises AttributeError there) — leaves it incomplete.
 */
const READ_ONLY_METHODS = new Set([
  'summary', 'save', 'save_weights', 'load_weights', 'to_json', 'to_yaml', 'get_config', 'count_params', 'get_layer', 'get_weights', 'set_weights',
  'evaluate', 'predict', 'predict_on_batch', 'test_on_batch', 'train_on_batch', 'export', 'get_compile_config', 'compile_from_config', 'reset_states', 'reset_metrics',
  'fit_generator', 'evaluate_generator', 'predict_generator', 'predict_classes', 'predict_proba',
  'make_predict_function', 'make_train_function', 'make_test_function', 'get_weights_paths', 'load_own_variables', 'save_own_variables',
  'add_loss', 'add_metric', 'add_update', 'compute_loss', 'compute_metrics', 'stateless_compute_loss', 'get_metrics_result', 'train_step', 'test_step', 'predict_step',
  'compute_output_shape', 'compute_output_spec', 'compute_output_signature', 'compute_mask', 'get_build_config', 'get_state_tree', 'quantization_summary',
  'get_quantization_layer_structure', 'get_losses_for', 'get_updates_for', 'save_spec', 'get_input_at', 'get_output_at', 'get_input_shape_at', 'get_output_shape_at',
  'stateless_call', 'symbolic_call', '__repr__', '__str__',
  // Its result is unknown, so a model built from it says so; it changes nothing itself.
  'call',
  // A preprocessing layer learns values from data (a vocabulary, a mean): no weight count changes —
  // Normalization's weights follow the input's features; where a shape needs the learned vocabulary
  // size, the layer's own check stops with an error at the line.
  'adapt',
  // A lookup layer's learned vocabulary (TextVectorization, StringLookup): read, never changed; its
  // size is unknown to Model Lens, so a layer sized by it stops with an error at the line.
  'get_vocabulary', 'vocabulary_size',
]);

export interface Source {
  file: string;
  lines: LineIndex;
  text(node: { from: number; to: number }): string;
}

/** Layer attributes that Keras keeps as the argument was given, read back by `layer.<name>`. */
const LAYER_SCALARS = new Set(['rate', 'units', 'filters', 'input_dim', 'output_dim', 'return_sequences', 'return_state', 'use_bias', 'momentum', 'epsilon']);

export class KerasHost implements Host {
  readonly diagnostics: Diagnostic[] = [];
  readonly models: PyModel[] = [];
  readonly layers: GLayer[] = [];
  /** Call order of layers (topological by construction). */
  readonly order = new Map<GLayer, number>();
  readonly datasets: { dataset: DatasetName; line: number }[] = [];
  lastScaledX: { dataset: DatasetName | null; scale: number } | undefined;
  /** Layers whose value a statement that could not be worked out may have changed. */
  readonly tainted = new Map<GLayer, ModelGap>();
  /** Layers called on Python values (eagerly, outside any model): the gap a model that uses them later gets. */
  private readonly eagerCalled = new Map<GLayer, ModelGap>();
  /** Lists of layers that such a statement may have changed. */
  readonly taintedLists = new WeakMap<object, ModelGap>();
  private readonly applied = new Set<GLayer>();
  private readonly names = new NameCounter();
  /** Names of the operations inside the file's own classes' call() (Keras names none there): `block.add`, per class. */
  private readonly innerNames = new NameCounter();
  /** Shapes the operations asked for while reading (see `shapeOf`). */
  private readonly opShapes: ShapeCache = new Map();
  /** Which Keras the file reaches (tf.keras or standalone keras; tf-op-lambda.ts). */
  private readonly imports = new KerasImports();
  /** Tensor operations (op-calls.ts, tensor-ops.ts). */
  private readonly ops = new OpCalls({
    callDepth: () => this.ownScopes.length,
    tensor: (v) => {
      const o = keras(v);
      return o?.kind === 'tensor' ? o.layer : undefined;
    },
    tensorValue: (layer) => host({ kind: 'tensor', layer }),
    unknown: (n) => UNKNOWN(this.text(n)),
    text: (n) => this.text(n),
    error: (n, message) => this.diag('error', 'unsupported-op', n, message),
    warn: (n, message) => this.diag('warning', 'keras-version', n, message),
    kerasLine: () => this.imports.line(),
    // One cache for the whole read: a node's shape does not change once it is called (a residual
    // `x + f(x)` in a loop must not infer the whole graph again at every sum).
    shapeOf: (l) => infer(l, this.src.file, this.shapes ?? this.opShapes).outputShape,
    range: (n) => this.range(n),
    addNode: (make, cls, inner, n, prefix) => {
      this.count(n);
      const scope = this.ownScopes[this.ownScopes.length - 1];
      const l = make(inner && scope ? this.innerNames.nextPrefix(`${snakeCase(scope)}.${snakeCase(cls)}`) : prefix ? this.names.nextPrefix(prefix) : this.names.next(cls));
      this.layers.push(l);
      this.applied.add(l);
      this.order.set(l, ++this.seq);
      return l;
    },
  });
  /** What the data arrays need from the reader (data-values.ts). */
  private readonly dataSite: DataSite;
  private readonly masks = new Masks();
  private readonly globalNamed = new Set<PyModel>();
  /** Model files this file saves (model.save, ModelCheckpoint) that a later load_model may name (saved-here.ts). */
  private savedFiles: SavedFiles | undefined;
  /** What each `model.summary()` prints where it is called (summary-snapshots.ts). */
  readonly summaries = new SummarySnapshots();
  private seq = 0;

  constructor(
    private readonly src: Source,
    private readonly access: LoadAccess = {},
  ) {
    this.dataSite = {
      file: src.file,
      line: (n) => this.range(n).line,
      text: (n) => this.text(n),
      warn: (n, code, message) => this.diag('warning', code, n, message),
      datasetRead: (dataset, line) => this.datasets.push({ dataset, line }),
    };
  }

  // ------------------------------------------------------------------ positions & diagnostics

  range(node: { from: number; to: number }): SourceRange {
    return this.override ?? this.src.lines.range(node.from, node.to);
  }

  /** While a keras.applications builder runs, everything it makes is placed at the user's call. */
  private override: SourceRange | undefined;

  /** `keras.applications.VGG16(...)` and the rest: Keras's builder, run by the evaluator (sources.ts). */
  private application(name: string, args: Args, n: SyntaxNode): Value {
    const given = namedArgs(name, args.pos.map((a) => toConfig(a.value)), new Map([...args.kw].map(([k, a]) => [k, toConfig(a.value)])));
    const refused = refusedCall(name, given);
    if (refused) {
      this.diag('error', 'bad-argument', n, refused);
      return UNKNOWN(this.text(n));
    }
    const weights = given.has('weights') ? given.get('weights') : 'imagenet';
    if (weights !== null) {
      const shown = weights === undefined ? '(not known)' : JSON.stringify(weights).replace(/^"(.*)"$/, "'$1'");
      this.diag('warning', 'weights-not-loaded', n, `${name}: pretrained weights (weights=${shown}) are not downloaded by Model Lens; the layers and parameter counts are Keras's, and training starts from random weights (freeze the base to train only your layers)`);
    }
    const parsed = applicationsModule();
    const saved = { runtime: this.runtime, override: this.override, shapes: this.shapes, appText: this.appText };
    this.override = this.range(n);
    this.appText = (node) => parsed.src.slice(node.from, node.to);
    // A builder's graph does not change under it, so the shapes it asks for are worked out once.
    this.shapes = new Map();
    try {
      const ev = new Evaluator(parsed.src, this, new Budget(), parsed.errorOffsets);
      ev.run(parsed.tree.topNode);
      const f = ev.module.get(name);
      return f?.k === 'func' ? ev.callFunction(f, args, n) : UNKNOWN(this.text(n));
    } finally {
      this.runtime = saved.runtime;
      this.override = saved.override;
      this.shapes = saved.shapes;
      this.appText = saved.appText;
    }
  }

  /** Shapes already inferred while a keras.applications builder runs (undefined otherwise). */
  private shapes: ShapeCache | undefined;

  /** `tensor.shape`: the inferred shape (None for unknown axes), or unknown when it cannot be inferred. */
  private tensorShape(layer: GLayer, n: SyntaxNode): Value {
    const shape = infer(layer, this.src.file, this.shapes ?? new Map()).outputShape;
    return shape ? { k: 'seq', items: shape.map((d) => py(d)), tuple: true } : UNKNOWN(this.text(n));
  }

  makeDiag(severity: Severity, code: string, at: { from: number; to: number } | SourceRange, message: string, layer?: string): Diagnostic {
    const range = 'from' in at ? this.range(at) : at;
    return { severity, code, file: this.src.file, range, message, ...(layer ? { layer } : {}) };
  }

  diag(severity: Severity, code: string, node: { from: number; to: number }, message: string): void {
    const d = this.makeDiag(severity, code, node, message);
    // The same statement read again (a loop's body) says the same thing once.
    if (this.diagnostics.some((e) => e.message === d.message && e.range.line === d.range.line && e.range.column === d.range.column)) return;
    this.diagnostics.push(d);
  }

  warn(at: SyntaxNode, message: string): void {
    this.diag('warning', 'assumed', at, message);
  }

  private text(node: { from: number; to: number }): string {
    return this.appText ? this.appText(node) : this.src.text(node);
  }

  /** While a keras.applications builder runs, node text comes from its source, not the user's file. */
  private appText: ((node: { from: number; to: number }) => string) | undefined;

  // ------------------------------------------------------------------ Host: names

  canonical(path: string): string {
    this.imports.note(path);
    return canonicalPath(path);
  }

  providesGlobal(path: string): boolean {
    // keras.layers has no application (`from keras.layers import *` then `from keras.applications.vgg16 import *`).
    if (/^keras\.layers\.\w+$/.test(path) && (APPLICATIONS as readonly string[]).includes(path.slice('keras.layers.'.length))) return false;
    // `from keras.applications.vgg16 import *`: the application and its module's helpers too.
    const app = /^keras\.applications\.(?:\w+\.)?(\w+)$/.exec(path)?.[1];
    if (app && (APPLICATIONS as readonly string[]).includes(app)) return true;
    return /^keras\.(layers\.\w+|Input|Model|Sequential|models\.\w+|optimizers\.\w+|losses\.\w+|datasets\.\w+|applications\.\w+\.(preprocess_input|decode_predictions))$/.test(path);
  }

  bound(name: string, v: Value, moduleLevel: boolean): void {
    const o = keras(v);
    // The variable a model is known by: the first module-level name it is bound to.
    if (o?.kind === 'model' && (o.model.variable === undefined || (moduleLevel && !this.globalNamed.has(o.model)))) {
      o.model.variable = name;
      if (moduleLevel) this.globalNamed.add(o.model);
    }
  }

  unresolved(at: SyntaxNode, reason: string, mentions: Value[]): void {
    const gapFor = (after: string | null): ModelGap => ({ range: this.range(at), message: `${reason}, so the model may be incomplete here`, after });
    const models = new Set<PyModel>();
    let touched = false;
    for (const m of mentions) {
      for (const v of walkValues(m)) {
        if (v.k === 'seq' && [...walkValues(v)].some((x) => keras(x)?.kind === 'layer' || keras(x)?.kind === 'tensor')) {
          if (!this.taintedLists.has(v)) this.taintedLists.set(v, gapFor(null));
          touched = true;
        }
        const o = keras(v);
        if (!o) continue;
        // A model's config given to what Model Lens cannot follow may be changed: a model made from it is in doubt.
        if (o.kind === 'model-config') o.snap.doubt ??= { range: this.range(at), message: `${reason}, so the config of model '${o.snap.name}' may be changed here`, after: null };
        if (o.kind === 'model') models.add(o.model);
        else if (o.kind === 'tensor' || o.kind === 'layer') {
          if (!this.tainted.has(o.layer)) this.tainted.set(o.layer, gapFor(o.layer.name));
          touched = true;
        }
      }
    }
    // A layer already in a model (model.layers[i], a loop over them) may have been changed there.
    if (touched) {
      const layers = new Set<GLayer>();
      for (const m of mentions) for (const v of walkValues(m)) {
        const o = keras(v);
        if (o?.kind === 'layer' || o?.kind === 'tensor') layers.add(o.layer);
      }
      for (const m of this.models) if ([...m.items, ...m.layers].some((l) => layers.has(l))) models.add(m);
    }
    for (const m of models) this.addGap(m, at, reason);
  }

  /**
   * `logits, mu, log_var = model(x)` on data: a model with that many outputs gives that many values
   * (their contents are data Model Lens does not follow); a call does not change a built model.
   */
  unpack(h: HostObject, count: number): Value[] | undefined {
    const o = asKeras(h);
    if (o.kind !== 'prediction' || !o.model.built || count < 2 || o.model.outputs.length !== count) return undefined;
    return Array.from({ length: count }, () => UNKNOWN('an output of model ' + o.model.name));
  }

  /** Methods that change nothing of a model or layer and hand out no part of it (see Host.readsOnly). */
  readsOnly(method: string): boolean {
    return PURE_READS.has(method);
  }

  /** Attributes whose value is plain data, no part of the object (see Host.readsOnlyAttribute). */
  readsOnlyAttribute(name: string): boolean {
    return PLAIN_ATTRIBUTES.has(name);
  }

  /** A layer object is true in Python (no __bool__ or __len__); a symbolic tensor's truth is an error in Keras. */
  truth(h: HostObject): boolean | undefined {
    return asKeras(h).kind === 'layer' ? true : undefined;
  }

  /**
   * `isinstance(obj, cls)` for a Keras object: decided when Keras's class tree decides it in every
   * version (a Dense is no Conv2D; a Conv2DTranspose was a Conv2D in Keras 2, so that stays open).
   */
  isInstance(h: HostObject, cls: Value): boolean | undefined {
    if (cls.k === 'seq' && cls.tuple) {
      const each = cls.items.map((c) => this.isInstance(h, c));
      return each.some((e) => e === true) ? true : each.every((e) => e === false) ? false : undefined;
    }
    if (cls.k !== 'mod') return undefined;
    const o = asKeras(h);
    const path = cls.path;
    const isLayerClass = path === 'keras.layers.Layer' || path === 'keras.Layer';
    const isModelClass = /^keras\.(Model|models\.Model)$/.test(path);
    const isSeqClass = /^keras\.(Sequential|models\.Sequential)$/.test(path);
    const m = /^keras\.layers\.(\w+)$/.exec(path);
    const spec = m && !isLayerClass ? layerSpec(m[1]!) : undefined;
    if (o.kind === 'model') {
      if (isLayerClass || isModelClass) return true;
      if (isSeqClass) return isSequential(o.model);
      return spec ? false : undefined;
    }
    if (o.kind !== 'layer') return undefined;
    const nested = !!o.layer.nested;
    if (isLayerClass) return true;
    if (isModelClass) return nested;
    if (isSeqClass) return nested ? o.layer.type === 'Sequential' : false;
    if (!spec) return undefined;
    if (nested) return false;
    if (o.layer.type === spec.type) return true;
    const sub = SUBCLASSES[spec.type];
    return sub && o.layer.type in sub ? sub[o.layer.type] : false;
  }

  /**
   * `for images, labels in train_ds:` (or `for images in ds:`) over a tf.data dataset made by
   * from_tensor_slices: one batch of it, with the batch size as first axis, so a model called on it
   * is built as Keras builds it on the first batch. Undefined for anything else.
   */
  loopItem(h: HostObject, _at?: SyntaxNode, repeats?: number): Value | undefined {
    const o = asKeras(h);
    return o.kind === 'data' ? loopItemOf(o, repeats) : undefined;
  }

  fingerprint(): string {
    return [this.models.length, this.layers.length, this.tainted.size, this.diagnostics.length, ...this.models.map((m) => this.fingerprintOf(m))].join(';');
  }

  private fingerprintOf(m: PyModel): string {
    const layers = [...m.layers, ...m.items];
    return [m.layers.length, m.items.length, m.inputs.length, m.outputs.length, m.gaps.length, m.problems.length, m.frozen ? 1 : 0, m.built ? 1 : 0, m.builtShape?.join('x') ?? '', layers.map((l) => (l.config['trainable'] === false ? 0 : 1)).join('')].join(',');
  }

  /** A loop read once for every batch changed the models when read again: each changed or new model is incomplete there. */
  changedOnRepeat(before: string, at: SyntaxNode, reason: string): void {
    const now = this.fingerprint();
    if (now === before) return;
    const [count, layers, tainted, diags, ...models] = before.split(';');
    const changed = this.models.filter((m, i) => i >= Number(count) || models[i] !== this.fingerprintOf(m));
    // Layers or diagnostics made on the later pass with no model changed: every model is in doubt.
    const all = changed.length === 0 || Number(layers) !== this.layers.length || Number(tainted) !== this.tainted.size || Number(diags) !== this.diagnostics.length;
    for (const m of all ? this.models : changed) this.addGap(m, at, reason);
  }

  checkpoint(): number {
    return this.models.length;
  }

  /** Models made under a condition Model Lens cannot decide may differ in Keras: incomplete. */
  unresolvedSince(mark: number, at: SyntaxNode, reason: string): void {
    for (const m of this.models.slice(mark)) this.addGap(m, at, reason);
  }

  addGap(m: PyModel, at: { from: number; to: number }, reason: string): void {
    const last = !isSequential(m) ? m.layers[m.layers.length - 1] : m.items[m.items.length - 1];
    const gap: ModelGap = { range: this.range(at), message: `${reason}, so model '${m.name}' may be incomplete here`, after: last?.name ?? null };
    if (!m.gaps.some((g) => g.range.line === gap.range.line && g.message === gap.message)) m.gaps.push(gap);
  }

  // ------------------------------------------------------------------ Host: calls

  callPath(path: string, args: Args, n: SyntaxNode): Value {
    const segs = path.split('.');
    const last = segs[segs.length - 1]!;
    if (path === 'keras.Input' || path === 'keras.layers.Input') return this.makeInput(args, n);
    // keras.activations.get("relu") / get(None): the activation function itself (a layer class's self.activation).
    if (path === 'keras.activations.get' && args.pos.length + args.kw.size === 1) {
      const a = (args.pos[0] ?? args.kw.get('identifier'))!.value;
      if (a.k === 'py' && a.v === null) return { k: 'mod', path: 'keras.activations.linear' };
      if (a.k === 'py' && typeof a.v === 'string' && /^\w+$/.test(a.v)) return { k: 'mod', path: `keras.activations.${a.v}` };
      if (a.k === 'mod' || a.k === 'func') return a;
    }
    if (segs[0] === 'keras' && segs[1] === 'layers' && segs.length === 3) {
      const merged = MERGE_FUNCTIONS[last];
      if (merged) return this.mergeFunction(merged, args, n);
      if (layerSpec(last) || /^[A-Z]/.test(last)) return this.makeLayer(last, args, n);
    }
    if (path === 'keras.models.clone_model' || path === 'keras.models.cloning.clone_model') return this.cloneCall(args, n);
    if (/^keras\.(models\.)?(model_from_json|model_from_config)$/.test(path)) return this.fromConfig(last === 'model_from_json' ? 'json' : 'config', 'any', args, n, path);
    const fromConfig = /^keras\.(?:models\.)?(Sequential|Model|Functional)\.from_config$/.exec(path);
    if (fromConfig) return this.fromConfig('config', fromConfig[1] === 'Sequential' ? 'sequential' : 'functional', args, n, path);
    const layerFromConfig = /^keras\.layers\.(\w+)\.from_config$/.exec(path);
    if (layerFromConfig) return this.layerFromConfig(layerFromConfig[1]!, args, n);
    if (path === 'keras.Model' || path === 'keras.models.Model' || path === 'keras.Functional') return this.makeFunctional(args, n);
    if (path === 'keras.Sequential' || path === 'keras.models.Sequential') return this.makeSequential(args, n);
    if (path === 'keras.models.load_model' || path === 'keras.saving.load_model') return this.loadModel(path, args, n);
    if (/^keras\.datasets\.\w+\.load_data$/.test(path)) return loadData(segs[2]!, args, n, this.dataSite);
    if (/^keras\.(optimizers|losses|metrics|initializers|regularizers|callbacks|constraints)\./.test(path) && /^[A-Z]/.test(last)) {
      return host({ kind: 'obj', cls: last, path, pos: args.pos.map((a) => a.value), kw: new Map([...args.kw].map(([k, a]) => [k, a.value])) });
    }
    // Keras's default configuration (keras.json is the user's machine, not the file): channels last.
    if (path === 'keras.backend.image_data_format' || path === 'keras.config.image_data_format') return py(this.channelsFirst ? 'channels_first' : 'channels_last');
    if (path === 'keras.backend.set_image_data_format' || path === 'keras.config.set_image_data_format') {
      const v = (args.pos[0] ?? args.kw.get('data_format'))?.value;
      if (v?.k === 'py' && v.v === 'channels_last') this.channelsFirst = undefined;
      else {
        // Every layer made after this that takes data_format is then channels_first (or unknown).
        this.channelsFirst = { line: this.range(n).line, text: this.text(n) };
        this.diag('error', 'bad-argument', n, `'${this.text(n)}': Model Lens reads channels_last models only, so the layers made after this are not read; remove it (channels_last is Keras's default)`);
      }
      return NONE;
    }
    // Keras's global state, automatic names included, starts again (keras/src/backend/common/global_state.py).
    if (path === 'keras.backend.clear_session' || path === 'keras.utils.clear_session') {
      this.names.reset();
      return NONE;
    }
    // tqdm(iterable, desc=…): a progress bar over the same items (a training loop's `for epoch in tqdm(range(n))`).
    if (/^tqdm(\.auto|\.notebook|\.std)?\.tqdm$/.test(path) && (args.pos[0] ?? args.kw.get('iterable'))) return (args.pos[0] ?? args.kw.get('iterable'))!.value;
    if (path === 'tensorflow.TensorShape' || path === 'keras.TensorShape') {
      return args.pos[0]?.value ?? UNKNOWN(this.text(n));
    }
    if (/^keras\.applications\./.test(path)) {
      // preprocess_input of a family on a Keras tensor: Keras 3's operations (preprocess-input.ts).
      const mode = preprocessMode(path);
      const x = args.pos[0]?.value;
      const t = x && keras(x)?.kind === 'tensor' ? (keras(x) as { layer: GLayer }).layer : undefined;
      // (caffe / torch add a mean of 3 channels: read for RGB images only, where it keeps the shape)
      const rgb = t && (mode === 'caffe' || mode === 'torch') ? infer(t, this.src.file, this.shapes ?? this.opShapes).outputShape?.at(-1) === 3 : true;
      if (mode && x && t && rgb && args.pos.length + args.kw.size === 1 && !args.star) {
        return preprocessTensor(mode, x, {
          binary: (a, op, b) => this.binary(a, op, py(b), n),
          channel: (_x, c) => this.ops.subscript(t, [{ k: 'at', value: { k: 'ellipsis' }, node: n }, { k: 'at', value: py(c), node: n }], n),
          stackLast: (items) => this.ops.call('keras.ops.stack', { pos: [{ value: { k: 'seq', items, tuple: false }, node: n }], kw: new Map([['axis', { value: py(-1), node: n }]]), star: false }, n) ?? UNKNOWN(this.text(n)),
        });
      }
      if ((APPLICATIONS as readonly string[]).includes(last)) return this.application(last, args, n);
      // keras.applications.resnet50.preprocess_input(images) on data (arrays, a dataset's images): it
      // changes values, not the model, so the model reads on; what it returns is data Model Lens cannot see.
      if (last === 'preprocess_input' || last === 'decode_predictions') {
        const onTensor = [...args.pos, ...args.kw.values()].some((a) => [...walkValues(a.value)].some((v) => keras(v)?.kind === 'tensor'));
        if (!onTensor) return UNKNOWN(this.text(n));
        this.diag('error', 'unsupported-op', n, `'${this.text(n)}': ${last} on a Keras tensor (inside the model) is not read by Model Lens; apply it to the data instead (e.g. in dataset.map), or use layers such as keras.layers.Rescaling`);
        return UNKNOWN(this.text(n));
      }
      this.diag('error', 'unsupported-model', n, `'${path}' is not among the keras.applications models Model Lens reads (${APPLICATIONS.join(', ')}); build the model from layers to see it`);
      return UNKNOWN(this.text(n));
    }
    // tf.GradientTape(): records a training step's gradients; it changes no layer (its gradient()
    // and the optimizer's apply_gradients() change weight values, not the architecture).
    if (path === 'tensorflow.GradientTape') return host({ kind: 'obj', cls: 'GradientTape', path, pos: [], kw: new Map() });
    // tf.Variable(1.0): a TensorFlow variable (a layer holding one: see heldVariables).
    if (path === 'tensorflow.Variable') return host({ kind: 'obj', cls: 'Variable', path, pos: args.pos.map((a) => a.value), kw: new Map([...args.kw].map(([k, a]) => [k, a.value])) });
    // tfds.builder('mnist').info / tfds.load('mnist', with_info=True): the catalog's shapes and sizes (tfds-info.ts).
    const tfds = tfdsCall(path, args, n) ?? sklearnCall(path, args, n, this.range(n).line);
    if (tfds) return tfds;
    // iter(ds) / next(…) of a tf.data dataset, from_tensor_slices, np.load of an .npz or .npy (data-values.ts).
    const data = dataCall(path, args, n, this.dataSite);
    if (data) return data;
    // Tensor operations on Keras tensors, and constant tensors inside a layer's call() (op-calls.ts).
    const op = this.ops.call(path, args, n);
    if (op) return op;
    // Arrays made from a constant shape (tf.ones((1, 4)), np.random.random((8, 32))): data of that shape.
    const array = shapedArray(path, args, n, this.dataSite);
    if (array) return array;
    // keras.backend.int_shape(x) (K.int_shape): the same tuple as x.shape, None for unknown axes.
    const first = keras(args.pos[0]?.value);
    if (path === 'keras.backend.int_shape' && first?.kind === 'tensor' && args.pos.length === 1) return this.tensorShape(first.layer, n);
    // numpy / tf helpers applied to the dataset keep it (expand_dims, reshape, cast, to_categorical…).
    if (first?.kind === 'data') return dataHelper(first, last, args);
    const values = [...args.pos, ...args.kw.values()].map((a) => a.value);
    if (values.some((v) => keras(v)?.kind === 'tensor')) {
      const tfFn = this.ownScopes.length === 0 && path.startsWith('tensorflow.') ? unknownTfFunction(path, this.imports.line()) : undefined;
      this.diag('error', 'unsupported-op', n, tfFn ?? `'${path.replace(/^tensorflow\./, 'tf.')}' is applied to a Keras tensor; Model Lens reads Keras layers only. Use a layer instead (supported: ${supportedLayerTypes().join(', ')})`);
    } else if (values.some((v) => [...walkValues(v)].some((x) => keras(x)?.kind === 'model' || keras(x)?.kind === 'layer'))) {
      // Well-known libraries read, save, convert or plot a model without changing its layers; a
      // function from anywhere else (e.g. the user's own module) may add to it, or change a layer of it.
      if (!KNOWN_LIBRARIES.test(path)) this.unresolved(n, `cannot tell what '${path}' does to the model`, values);
    }
    return UNKNOWN(this.text(n));
  }

  call(h: HostObject, args: Args, n: SyntaxNode): Value {
    const o = asKeras(h);
    if (o.kind === 'layer') return this.applyLayer(o.layer, args, n);
    // A built model called on another model's predictions (a GAN step: discriminator(generator(noise))):
    // computed when the file runs, on arrays; it adds no layer and no weight.
    if (o.kind === 'model' && keras(args.pos[0]?.value ?? args.kw.get('inputs')?.value)?.kind === 'prediction' && (o.model.built || o.model.inputs.length > 0)) {
      return UNKNOWN(this.text(n));
    }
    const refused = o.kind === 'model' ? refusedUse(o.model, '__call__') : undefined;
    if (refused) {
      this.diag('error', 'not-built', n, refused);
      return UNKNOWN(this.text(n));
    }
    if (o.kind === 'model' && o.model.style === 'subclassed') {
      const x = keras(args.pos[0]?.value ?? args.kw.get('inputs')?.value);
      if (x?.kind === 'tensor') return this.buildSubclassed(o.model, x.layer, n);
      if (x?.kind === 'data' && x.dims) this.buildFromShape(o.model, x.dims.slice(1), n);
      // Once built, a call on data of any shape adds no weight.
      else if (!o.model.built) {
        const what = x?.kind === 'data' ? `the shape of the data model '${o.model.name}' is called on (one batch of a dataset made with .batch(n) from arrays whose shape Model Lens follows, e.g. load_data()'s)` : `what model '${o.model.name}' is called on`;
        this.addGap(o.model, n, `cannot tell ${what}; build it before with model.build((None, …input shape)) or a call on tf.zeros((1, …input shape))`);
      }
      return x?.kind === 'data' ? this.prediction(o.model, x) : UNKNOWN(this.text(n));
    }
    if (o.kind === 'model' && o.model.loaded) {
      this.diag('error', 'unsupported-model', n, `model '${o.model.name}' loaded from ${o.model.startWeights?.file ?? 'a file'} is used as a layer here; Model Lens shows loaded models on their own but does not read them inside another model yet`);
      return UNKNOWN(this.text(n));
    }
    if (o.kind === 'model') {
      // A Sequential model called on an array is built by that call.
      const x = keras(args.pos[0]?.value ?? args.kw.get('inputs')?.value);
      if (x?.kind === 'data') {
        if (x.dims && x.dims.length > 1 && isSequential(o.model)) this.buildSequential(o.model, x.dims.slice(1), n, 'call');
        else if (isSequential(o.model) && o.model.items[0]?.type !== 'InputLayer') this.addGap(o.model, n, `cannot tell the shape of the data model '${o.model.name}' is called on`);
        return this.prediction(o.model, x);
      }
      // A Sequential whose first layer is a class of the file, never given an input: built by its
      // first call on a Keras tensor, with that tensor's shape (Keras builds it so).
      if (x?.kind === 'tensor' && isSequential(o.model) && o.model.pending) {
        const shape = infer(x.layer, this.src.file, this.shapes ?? this.opShapes).outputShape;
        if (shape) this.buildSequential(o.model, shape.slice(1), n, 'call');
      }
      // Called again on another tensor, the model is one shared layer (siamese towers).
      o.model.called ??= this.nestedLayer(o.model, n);
      return this.applyLayer(o.model.called, args, n);
    }
    // loss_fn(labels, model(images)): a custom training step's loss, which Model Lens's training uses.
    if (o.kind === 'obj' && /^keras\.losses\./.test(o.path)) {
      const p = [...args.pos, ...args.kw.values()].map((a) => keras(a.value)).find((v) => v?.kind === 'prediction');
      if (p?.kind !== 'prediction') return UNKNOWN(this.text(n));
      const t = p.model.training;
      const ln = lossName(host(o));
      // The first loss applied (the training step's; a test step's comes later) is the one trained with.
      if (t.compileLine === undefined && t.customLoopLine === undefined && ln) {
        t.loss = ln.name;
        if (ln.fromLogits !== undefined) t.fromLogits = ln.fromLogits;
        t.customLoopLine = this.range(n).line;
      }
      this.stepModel = p.model;
      return host({ kind: 'step-loss', model: p.model });
    }
    if (o.kind === 'custom-layer') {
      let builds: ReturnType<SublayerBuilds['end']> = [];
      if (!o.built) {
        o.built = true;
        const held = heldVariables(o.inst);
        if (held) this.diag('warning', 'keras-version', n, `${o.inst.cls.name} '${o.name}' holds the tf.Variable ${held}: tf.keras 2 (TensorFlow ≤ 2.15) counted it as a weight of the layer, Keras 3 does not track a tf.Variable (only self.add_weight), and Model Lens counts as Keras 3 — a tf.keras 2 printout shows that many more parameters in this row`);
        // Keras builds the layer with the shape of what it is first called on (a tuple, None for the batch).
        const first = [...args.pos, ...args.kw.values()].map((a) => keras(a.value)).find((t) => t?.kind === 'tensor');
        const shape = first?.kind === 'tensor' ? infer(first.layer, this.src.file, new Map()).outputShape : null;
        const given: Value = shape ? { k: 'seq', tuple: true, items: shape.map((d) => py(d)) } : UNKNOWN('input_shape');
        const outer = this.sublayerBuilds.begin();
        try {
          this.runtime?.callOwnMethod(o.inst, 'build', this.args1(given, n), n);
        } finally {
          builds = this.sublayerBuilds.end(outer);
        }
      }
      // The outermost call of a layer class (not one inside another's call()) is one row: folded after its call() is read.
      const outermost = this.blockDepth === 0;
      const mark = this.seq;
      const said = this.diagnostics.length;
      this.blockDepth++;
      let out: Value;
      try {
        out = this.callOwnCall(o.inst, args, n) ?? UNKNOWN(this.text(n));
      } finally {
        this.blockDepth--;
      }
      // Ops that feed only what it does not return (a loss for self.add_loss): warnings (loss-only-ops.ts).
      const returned = out.k === 'unknown' ? null : this.tensorsOf(out);
      if (returned) this.diagnostics.splice(said, Infinity, ...settleLossOnly(this.diagnostics.slice(said), returned, this.order, mark, o.name));
      // Sublayers its build() built: taken when call() called each on a tensor of that shape (sublayer-builds.ts).
      const firstInput = (l: GLayer) => (this.applied.has(l) && l.inputs.length === 1 ? infer(l.inputs[0]!, this.src.file, new Map()).outputShape : null);
      for (const bad of this.sublayerBuilds.check(builds, firstInput)) this.doubtCustomLayer(o, bad.at, bad.reason);
      if (outermost) out = this.fold(o, args, out, mark);
      for (const gap of [o.ownWeights, o.doubt]) if (gap) for (const v of walkValues(out)) {
        const t = keras(v);
        if (t?.kind === 'tensor' && !this.tainted.has(t.layer)) this.tainted.set(t.layer, { ...gap, after: t.layer.name });
      }
      if (out.k === 'unknown') this.diag('error', 'bad-call', n, `the layer class '${o.inst.cls.name}' has no call() method that Model Lens can read`);
      return out;
    }
    return UNKNOWN(this.text(n));
  }

  /** How deep the reading is inside calls of the file's layer classes. */
  private blockDepth = 0;
  /** Sublayers built by a layer class's own build() (`self.conv.build(input_shape)`). */
  private readonly sublayerBuilds = new SublayerBuilds();

  /**
   * A call of a layer class of the file as Keras lists it: one node on the call's tensors whose
   * graph is what its call() made (custom-block.ts). What it returns stays as read when it cannot be
   * folded (a tensor from outside the call, a dict).
   */
  private fold(o: Extract<KerasObject, { kind: 'custom-layer' }>, args: Args, out: Value, mark: number): Value {
    const inputs: GLayer[] = [];
    for (const a of [...args.pos, ...args.kw.values()]) {
      for (const v of walkValues(a.value)) {
        const t = keras(v);
        if (t?.kind === 'tensor' && !inputs.includes(t.layer)) inputs.push(t.layer);
      }
    }
    const single = keras(out)?.kind === 'tensor';
    const outputs = this.tensorsOf(out);
    if (!outputs || out.k === 'dict') return out;
    const block = foldBlock({ cls: o.inst.cls.name, name: o.name, range: o.range, first: o.first, ...(o.weights ? { own: o.weights } : {}) }, inputs, outputs, this.order, mark);
    if (!block) return out;
    o.first ??= block;
    this.applied.add(block);
    this.order.set(block, ++this.seq);
    // What made a layer of the call incomplete (a statement of its call() not followed) makes the row incomplete.
    const gap = [...block.block!.layers, ...outputs].map((l) => this.tainted.get(l)).find((g) => g);
    if (gap) this.tainted.set(block, gap);
    if (single) return host({ kind: 'tensor', layer: block });
    const items = outputs.map((_, index): Value => host({ kind: 'tensor', layer: outputTensor(block, index) }));
    return { k: 'seq', items, tuple: out.k === 'seq' ? out.tuple : true };
  }

  private runtime: Runtime | undefined;
  /** How deep the reading is inside the file's own layer or model classes' call() methods. */
  private get ownCallDepth(): number {
    return this.ownScopes.length;
  }
  /** The classes whose call() is being read, innermost last. */
  private readonly ownScopes: string[] = [];

  /** Runs `inst.call(...)` of a class of the file, counting the depth (see `binary`). */
  private callOwnCall(inst: InstValue, args: Args, n: SyntaxNode): Value | undefined {
    this.ownScopes.push(inst.cls.name);
    try {
      return this.runtime?.callOwnMethod(inst, 'call', args, n);
    } finally {
      this.ownScopes.pop();
    }
  }

  /** The model whose predictions a loss object was last applied to (the model a custom step trains). */
  private stepModel: PyModel | undefined;
  /** Models whose batch size and data were read from a custom training loop. */
  private readonly loopTrained = new Set<PyModel>();

  /**
   * `model(batch)`: its predictions. Called on one batch of a dataset that a `for` loop runs over, it
   * is a custom training loop: with no compile() the batch size and the data are read from there.
   */
  private prediction(m: PyModel, x: DataObject): Value {
    const t = m.training;
    // The first loop over training data sets them (a later loop over the test split checks, not trains).
    if (x.ofBatches !== undefined && x.split !== 'test' && t.compileLine === undefined && t.fitLine === undefined && !this.loopTrained.has(m)) {
      this.loopTrained.add(m);
      t.batchSize = x.ofBatches;
      if (x.ofEpochs !== undefined && x.ofEpochs > 0) t.epochs = x.ofEpochs;
      if (x.dataset) {
        t.dataset = x.dataset;
        t.datasetLine = x.line;
        t.inputScale = x.scale;
      } else if (x.npz) {
        t.dataPath = x.npz;
        t.datasetLine = x.line;
        t.inputScale = x.scale;
      }
    }
    return host({ kind: 'prediction', model: m });
  }

  attach(runtime: Runtime): void {
    this.runtime = runtime;
  }

  /** `class Net(keras.Model)` / `class Block(keras.layers.Layer)`: layers made in `__init__`/`build`, wired in `call`. */
  adopt(inst: InstValue, bases: Value[], args: Args, n: SyntaxNode): Value | void {
    const paths = bases.map((b) => (b.k === 'mod' ? b.path : ''));
    const model = paths.some((p) => /^keras\.(Model|models\.Model)$/.test(p));
    const layer = paths.some((p) => /^keras\.(layers\.Layer|Layer)$/.test(p));
    if (!model && !layer) {
      // class MCDropout(layers.Dropout) that only re-routes call(): that built-in layer, named after the class.
      const type = builtinLayerOf(inst.cls, (x) => this.runtime?.source(x) ?? '');
      if (!type) return;
      const kw = args.kw.has('name') ? args.kw : new Map([...args.kw, ['name', { value: py(this.names.next(inst.cls.name)), node: n }]]);
      const made = this.makeLayer(type, { ...args, kw }, n);
      // Keras prints the subclass's own name as the layer's type: `mc_dropout (MCDropout)`.
      const o = keras(made);
      if (o?.kind === 'layer') o.layer.subclass = inst.cls.name;
      return made;
    }
    const cls = inst.cls;
    const text = this.runtime?.source(cls.node) ?? '';
    // A layer class's add_weight calls are read (their shapes counted); a model's, and Variables, are not.
    const own = (layer && !model ? /\b(tf|keras)\.Variable\s*\(/ : /\badd_weight\s*\(|\b(tf|keras)\.Variable\s*\(/).exec(text);
    const ownWeights: ModelGap | undefined = own
      ? { range: this.range({ from: cls.node.from + own.index, to: cls.node.from + own.index + own[0].length }), message: `class '${cls.name}' makes its own weights (${own[0].replace(/\s*\($/, '')}), which Model Lens cannot count`, after: null }
      : undefined;
    if (layer && !model) {
      // Keras names the layer when its __init__ reaches Layer.__init__, before the layers it makes.
      inst.host = { kind: 'custom-layer', inst, built: false, name: this.names.next(cls.name), range: this.range(n), ...(ownWeights ? { ownWeights } : {}) } satisfies KerasObject as HostObject;
      return;
    }
    this.count(n);
    const nameArg = args.kw.get('name')?.value;
    const name = nameArg?.k === 'py' && typeof nameArg.v === 'string' ? nameArg.v : this.names.next(cls.name);
    const m: PyModel = { style: 'subclassed', name, range: this.range(n), layers: [], inputs: [], outputs: [], items: [], training: {}, problems: [], gaps: ownWeights ? [ownWeights] : [], self: inst };
    this.models.push(m);
    inst.host = { kind: 'model', model: m } satisfies KerasObject as HostObject;
  }

  private args1(value: Value, at: SyntaxNode): Args {
    return { pos: [{ value, node: at }], kw: new Map(), star: false };
  }

  /** Reads a subclassed model's `call` on a symbolic input (its own `build` first, once). */
  private buildSubclassed(m: PyModel, input: GLayer, n: SyntaxNode): Value {
    const inst = m.self!;
    const shape = Array.isArray(input.config['shape']) ? (input.config['shape'] as (number | null)[]) : null;
    if (!m.userBuilt) {
      m.userBuilt = true;
      this.runtime?.callOwnMethod(inst, 'build', this.args1(shape ? { k: 'seq', items: [py(null), ...shape.map((d) => py(d))], tuple: true } : UNKNOWN('input_shape'), n), n);
    }
    const first = !m.built;
    m.built = true;
    const out = this.callOwnCall(inst, this.args1(host({ kind: 'tensor', layer: input }), n), n);
    if (!out) {
      this.addGap(m, n, `class '${inst.cls.name}' has no call() method that Model Lens can read`);
      return UNKNOWN(this.text(n));
    }
    const outputs = this.tensorsOf(out);
    if (!outputs) {
      this.addGap(m, n, `the output of ${inst.cls.name}.call(...) could not be traced to Keras layers (see the earlier problems)`);
      return out;
    }
    if (first) {
      m.inputs = [input];
      m.outputs = outputs;
      // A subclassed model: Keras lists the layers it tracks, in the order they were made.
      m.layers = collectFunctional([input], outputs, this.order, true).layers;
      for (const l of m.layers) {
        const gap = this.tainted.get(l);
        if (gap && !m.gaps.includes(gap)) m.gaps.push(gap);
      }
    }
    return out;
  }

  /** A subclassed model built from a shape (`build`, `fit` data, a call on data). */
  private buildFromShape(m: PyModel, shape: (number | null)[], n: SyntaxNode): void {
    // fit() on a model without call() runs its train_step and builds nothing.
    if (m.built || hasNoCall(m)) return;
    const name = this.names.next('InputLayer');
    const input: GLayer = { name, type: 'InputLayer', spec: layerSpec('InputLayer'), config: { shape, batch_size: null, dtype: 'float32', sparse: false, batch_shape: null, name }, range: this.range(n), inputs: [], problems: [] };
    this.layers.push(input);
    this.applied.add(input);
    this.order.set(input, ++this.seq);
    this.buildSubclassed(m, input, n);
  }

  attribute(h: HostObject, name: string, n: SyntaxNode): Value {
    const o = asKeras(h);
    if (o.kind === 'data') return dataAttribute(o, name, n, this.dataSite);
    // Keras's Layer.add_weight on a layer class of the file (see addWeight).
    if (o.kind === 'custom-layer' && name === 'add_weight') return { k: 'method', self: { k: 'host', h }, name };
    if (o.kind === 'model') {
      const m = o.model;
      if (name === 'layers') {
        const list = !isSequential(m) ? m.layers : m.items.filter((l) => l.type !== 'InputLayer');
        return { k: 'seq', items: list.map((l) => host({ kind: 'layer', layer: l })), tuple: false };
      }
      if (name === 'name') return py(m.name);
      if (name === '__class__') return this.classOf(m) ?? UNKNOWN(this.text(n));
      // Keras's private state (`model._layers.pop()` changes the layer list itself): not followed.
      if (/^_(?!_)/.test(name)) {
        this.addGap(m, n, `Model Lens does not follow Keras's private attribute '${this.text(n)}', through which the model may be changed`);
        return UNKNOWN(this.text(n));
      }
      if (isSequential(m) && /^(input|inputs|output|outputs)$/.test(name)) this.chain(m);
      if (name === 'input' || name === 'inputs') {
        const ins = (!isSequential(m) ? m.inputs : m.items.slice(0, 1)).map((l) => host({ kind: 'tensor', layer: l }));
        return name === 'input' && ins.length === 1 ? ins[0]! : { k: 'seq', items: ins, tuple: false };
      }
      if (name === 'output' || name === 'outputs') {
        const outs = (!isSequential(m) ? m.outputs : m.items.slice(-1)).map((l) => host({ kind: 'tensor', layer: l }));
        return name === 'output' && outs.length === 1 ? outs[0]! : { k: 'seq', items: outs, tuple: false };
      }
      // model.input_shape / output_shape: the tuple of its one input or output (None for the batch), a list of them for several.
      if ((name === 'input_shape' || name === 'output_shape') && (m.style === 'functional' || (isSequential(m) && m.items[0]?.type === 'InputLayer'))) {
        if (isSequential(m)) this.chain(m);
        const ends = name === 'input_shape' ? (!isSequential(m) ? m.inputs : m.items.slice(0, 1)) : !isSequential(m) ? m.outputs : m.items.slice(-1);
        const shapes = ends.map((l) => this.tensorShape(l, n));
        if (shapes.length && shapes.every((v) => v.k === 'seq')) return shapes.length === 1 ? shapes[0]! : { k: 'seq', items: shapes, tuple: false };
      }
      return { k: 'method', self: host(o), name };
    }
    if (o.kind === 'layer' || o.kind === 'tensor') {
      if (name === 'name') return py(o.layer.name);
      if (o.kind === 'layer' && name === '__class__') {
        const inner = o.layer.nested ? this.innerModel(o.layer) : undefined;
        if (inner) return this.classOf(inner) ?? UNKNOWN(this.text(n));
        return o.layer.spec && !o.layer.nested ? { k: 'mod', path: `keras.layers.${o.layer.type}` } : UNKNOWN(this.text(n));
      }
      if (o.kind === 'tensor' && name === 'shape') return this.tensorShape(o.layer, n);
      // layer.rate / layer.units / …: attributes Keras keeps as the argument was given (a number or a bool).
      if (o.kind === 'layer' && LAYER_SCALARS.has(name)) {
        const v = o.layer.config[name];
        if (typeof v === 'number' || typeof v === 'boolean') return py(v);
      }
      if (o.kind === 'layer' && name === 'output' && this.applied.has(o.layer)) {
        for (const m of this.models) if (isSequential(m) && m.items.includes(o.layer)) this.chain(m);
        return host({ kind: 'tensor', layer: o.layer });
      }
      return { k: 'method', self: host(o), name };
    }
    // A custom training step's objects: tape.gradient, optimizer.apply_gradients, a metric's
    // update_state/result/reset_state. They change weight values and counters, never a layer.
    if (o.kind === 'obj' && /^(tensorflow\.GradientTape|keras\.(optimizers|losses|metrics)\..*)$/.test(o.path)) return { k: 'method', self: host(o), name };
    // A scikit-learn scaler's fit / transform (sklearn-data.ts).
    if (o.kind === 'obj' && o.path.startsWith('sklearn.preprocessing.') && /^(fit|fit_transform|transform|inverse_transform)$/.test(name)) return { k: 'method', self: host(o), name };
    return UNKNOWN(this.text(n));
  }

  /**
   * `super().__init__(...)` reaching keras.Model / keras.layers.Layer from a class of the file: the
   * model takes `name=` (its automatic name was not used) and `trainable=`; `dtype=` / `autocast=`
   * change no count. Other arguments (`inputs=`/`outputs=` of a functional subclass, unknown `**kwargs`)
   * are not followed: the model or what the layer outputs is incomplete here.
   */
  private baseInit(o: Extract<KerasObject, { kind: 'model' | 'custom-layer' }>, args: Args, n: SyntaxNode): Value {
    const known = new Set(['name', 'trainable', 'dtype', 'autocast']);
    const other = args.star || args.pos.length > 0 || [...args.kw.keys()].some((k) => !known.has(k));
    const name = args.kw.get('name')?.value;
    if (o.kind === 'model' && name?.k === 'py' && typeof name.v === 'string' && name.v !== o.model.name) {
      this.names.giveBack(o.model.self?.cls.name ?? '', o.model.name);
      o.model.name = name.v;
    }
    if (o.kind === 'custom-layer' && name?.k === 'py' && typeof name.v === 'string' && name.v !== o.name) {
      this.names.giveBack(o.inst.cls.name, o.name);
      o.name = name.v;
    }
    const trainable = args.kw.get('trainable')?.value;
    if (trainable) this.setAttribute(o as HostObject, 'trainable', trainable, n);
    if (other) {
      const reason = `Model Lens does not follow the arguments '${this.text(n)}' gives Keras's own __init__`;
      if (o.kind === 'model') this.addGap(o.model, n, reason);
      else this.doubtCustomLayer(o, n, reason);
    }
    return NONE;
  }

  /** A custom layer changed in a way Model Lens does not follow: its sublayers so far and what it outputs from now on are in doubt. */
  private doubtCustomLayer(o: Extract<KerasObject, { kind: 'custom-layer' }>, n: SyntaxNode, reason: string): void {
    o.doubt ??= { range: this.range(n), message: `${reason}, so the model may be incomplete here`, after: null };
    this.unresolved(n, reason, [o.inst]);
  }

  setAttribute(h: HostObject, name: string, value: Value, n: SyntaxNode): void {
    const o = asKeras(h);
    // Freezing a layer of the file's own class: its weights (made in __init__, build or later) are
    // not counted as trainable by Keras; Model Lens does not follow which those are.
    if (o.kind === 'custom-layer' && name === 'trainable') {
      if (!(value.k === 'py' && value.v === true)) this.doubtCustomLayer(o, n, `Model Lens does not follow '${this.text(n)}' on layer class '${o.inst.cls.name}' (which of its weights Keras then counts as trainable)`);
      return;
    }
    if (name !== 'trainable') {
      // An argument of the layer set afterwards (`layer.units = 100`) changes its weights when it is
      // built later, and Model Lens reads layers from their constructor call: not followed.
      // A layer already built (called on a tensor, or in a Sequential model with its input) keeps its weights.
      const built = (l: GLayer) => this.applied.has(l) && (l.inputs.length > 0 || this.models.some((m) => m.items.includes(l) && m.items[0]?.type === 'InputLayer'));
      if (o.kind === 'layer' && o.layer.spec && !SAFE_ATTRIBUTES.test(name) && allArgs(o.layer.spec).some((a) => a.name === name) && !built(o.layer)) {
        this.unresolved(n, `Model Lens reads a layer's arguments from its constructor call, not '${this.text(n)}' set afterwards`, [host(o)]);
      }
      return;
    }
    const v = value.k === 'py' && typeof value.v === 'boolean' ? value.v : undefined;
    if (o.kind === 'layer') {
      if (v === undefined) o.layer.problems.push(this.makeDiag('error', 'unresolved-argument', n, `cannot tell whether '${o.layer.name}' is trainable ('${this.text(n)}'); set it to True or False`, o.layer.name));
      else {
        o.layer.config['trainable'] = v;
        // A model used as a layer is that model: `model.layers[0].trainable = False` freezes the base itself.
        const inner = o.layer.nested ? this.models.find((x) => x.uses?.includes(o.layer)) : undefined;
        if (inner && v) this.setTrainableDeep(inner);
        else if (inner) inner.frozen = true;
      }
    } else if (o.kind === 'model') {
      if (v === undefined) this.addGap(o.model, n, `cannot tell whether the model is trainable ('${this.text(n)}')`);
      else {
        o.model.frozen = !v;
        // As Keras's setter: every layer inside (nested models too) takes the value now, so
        // `model.trainable = True` undoes an earlier `layer.trainable = False`.
        if (v) this.setTrainableDeep(o.model);
      }
    }
  }

  subscript(h: HostObject, index: IndexItem[], n: SyntaxNode): Value {
    const o = asKeras(h);
    if (o.kind === 'model-config') {
      const key = index.length === 1 && index[0]!.k === 'at' ? index[0].value : undefined;
      if (!o.json && key?.k === 'py' && key.v === 'name') return py(o.snap.name);
      // Its items may be changed through what this gives: a model made from the config is in doubt.
      this.unresolved(n, `Model Lens does not follow the items of a model's config ('${this.text(n)}')`, [host(o)]);
      return UNKNOWN(this.text(n));
    }
    if (o.kind === 'data' || o.kind === 'npz') return dataSubscript(o, index);
    if (o.kind === 'tensor') return this.ops.subscript(o.layer, index, n);
    return UNKNOWN(this.text(n));
  }

  binary(a: Value, op: string, b: Value, n: SyntaxNode): Value {
    // A Keras object is never None: `input_tensor is not None` is decided.
    if ((op === 'is' || op === 'is not') && ((a.k === 'py' && a.v === null && b.k === 'host') || (b.k === 'py' && b.v === null && a.k === 'host'))) {
      return py(op === 'is not');
    }
    const x = keras(a);
    const y = keras(b);
    // Scaling of the dataset: x / 255., x * (1/255), x - 0 …
    const scaled = scaleData(a, op, b, (last) => (this.lastScaledX = last));
    if (scaled) return scaled;
    if (x?.kind === 'tensor' || y?.kind === 'tensor') {
      const read = this.ops.binary(a, op, b, n);
      if (read) return read;
      // The other side could not be worked out: said as that, not as a missing layer.
      if (a.k === 'unknown' || b.k === 'unknown') {
        this.diag('error', 'unsupported-op', n, `'${this.text(n)}': cannot tell what '${a.k === 'unknown' ? a.text : (b as { text: string }).text}' is, so the result of '${op}' is unknown`);
        return UNKNOWN(this.text(n));
      }
      const merge: Record<string, string> = { '+': 'Add', '*': 'Multiply', '-': 'Subtract' };
      const type = merge[op];
      // Inside a custom layer's or subclassed model's call(), arithmetic on tensors is computation
      // within that layer: no weights and, in every Keras version, no row of its own. Two tensors
      // are read as the merge layer the operator stands for (the shapes checked as Keras checks
      // them); a tensor with a number keeps the tensor's shape.
      if (this.ownCallDepth > 0) {
        if (x?.kind === 'tensor' && y?.kind === 'tensor' && type) {
          return this.mergeFunction(type, { pos: [{ value: { k: 'seq', items: [a, b], tuple: false }, node: n }], kw: new Map(), star: false }, n);
        }
        const scalar = x?.kind === 'tensor' ? num(b) : num(a);
        if (scalar !== undefined && ['+', '-', '*', '/', '**'].includes(op) && !(op === '**' && x?.kind !== 'tensor')) return x?.kind === 'tensor' ? a : b;
      }
      const hint = type ? `layers.${type}()([a, b])` : 'a Keras layer';
      this.diag('error', 'unsupported-op', n, `'${this.text(n)}' applies '${op}' to Keras tensors, which Model Lens cannot read; use ${hint} instead`);
      return UNKNOWN(this.text(n));
    }
    return UNKNOWN(this.text(n));
  }

  callMethod(h: HostObject, name: string, args: Args, n: SyntaxNode): Value {
    const o = asKeras(h);
    const scaled = sklearnMethod(o, { k: 'host', h }, name, args);
    if (scaled) return scaled;
    if (name === '__init__' && (o.kind === 'model' || o.kind === 'custom-layer')) return this.baseInit(o, args, n);
    if (name === 'add_weight' && o.kind === 'custom-layer') return this.addWeight(o, args, n);
    if (name === '__setattr__' && (o.kind === 'layer' || o.kind === 'model')) {
      const [attr, value] = args.pos.map((a) => a.value);
      if (attr?.k === 'py' && typeof attr.v === 'string' && value) this.setAttribute(h, attr.v, value, n);
      else this.unresolved(n, `cannot tell which attribute '${this.text(n)}' sets`, [host(o)]);
      return NONE;
    }
    if (o.kind === 'layer' && (name === '__call__' || name === 'apply')) return this.call(h, args, n);
    // A lookup layer's vocabulary given as a list: its size (a Dense's units = vocabulary_size() + 1) and tokens.
    if (o.kind === 'layer' && (name === 'vocabulary_size' || name === 'get_vocabulary') && !args.pos.length && !args.kw.size) {
      const tokens = lookupVocabulary(o.layer.type, o.layer.config);
      if (tokens) return name === 'vocabulary_size' ? py(tokens.length) : { k: 'seq', tuple: false, items: tokens.map((t) => py(t)) };
    }
    // `self.conv.build(input_shape)` in a layer class's build(): checked against its call() (sublayer-builds.ts).
    if (o.kind === 'layer' && name === 'build' && args.pos.length + args.kw.size === 1 && !args.star) {
      const shape = (args.pos[0] ?? args.kw.get('input_shape'))?.value;
      if (shape && this.sublayerBuilds.record(o.layer, shape, n)) return NONE;
      // At the top level, before its first call: the layer stays in doubt (below) unless that call,
      // when it is a plain call, gets inputs whose weights are the built ones (applyLayer).
      if (shape && this.ownScopes.length === 0 && !this.applied.has(o.layer) && !o.layer.inputs.length && !this.tainted.has(o.layer)) {
        this.sublayerBuilds.recordTop(o.layer, shape, n);
      }
    }
    // `model.layers[0].summary()`: the summary of the model used as that layer.
    const inner = o.kind === 'layer' && name === 'summary' && o.layer.nested ? this.innerModel(o.layer) : undefined;
    if (inner) return this.modelMethod(inner, name, args, n);
    if (o.kind === 'layer' && !WEIGHT_CHANGING_METHODS.has(name) && !READ_ONLY_METHODS.has(name) && name !== 'get_config') {
      // A layer's other methods (`layer.call(x)` skips the layer's own bookkeeping, `build` fixes its weights' shapes): not followed.
      this.unresolved(n, `Model Lens does not follow '${this.text(n)}' on layer '${o.layer.name}'`, [host(o)]);
      return UNKNOWN(this.text(n));
    }
    if ((o.kind === 'model' || o.kind === 'layer') && WEIGHT_CHANGING_METHODS.has(name)) {
      this.unresolved(n, `'${this.text(n)}' changes the weights in a way Model Lens does not follow`, [host(o)]);
      return UNKNOWN(this.text(n));
    }
    if (o.kind === 'model') return this.modelMethod(o.model, name, args, n);
    if (o.kind === 'layer' && name === 'get_config' && !args.pos.length && !args.kw.size) {
      const inner = o.layer.nested ? this.innerModel(o.layer) : undefined;
      if (inner) return this.modelConfig(inner, false, n);
      const d = configValue(o.layer.config);
      if (d.k === 'dict') this.configOrigin.set(d, o.layer);
      return d;
    }
    if (o.kind === 'model-config') {
      this.unresolved(n, `Model Lens does not follow '${this.text(n)}' on a model's config`, [host(o)]);
      return UNKNOWN(this.text(n));
    }
    // optimizer.apply_gradients(zip(grads, model.trainable_variables)) / optimizer.minimize(loss, …):
    // the optimizer of the custom step (the model its loss was computed for).
    if (o.kind === 'obj' && /^keras\.optimizers\./.test(o.path) && (name === 'apply_gradients' || name === 'minimize')) {
      const values = [...args.pos, ...args.kw.values()].map((a) => a.value);
      let m: PyModel | undefined;
      for (const v of values) for (const w of walkValues(v)) {
        const k = keras(w);
        if (k?.kind === 'model' || k?.kind === 'prediction' || k?.kind === 'step-loss') m ??= k.model;
      }
      m ??= this.stepModel;
      if (m && m.training.compileLine === undefined && m.training.customLoopLine !== undefined) {
        const opt = optimizerFromValue(host(o), (message) => this.fitEnv(m!).error(n, message));
        if (opt) m.training.optimizer = opt;
      }
      return UNKNOWN(this.text(n));
    }
    if (o.kind === 'data') return dataMethod(o, name, args, n, this.dataSite);
    return UNKNOWN(this.text(n));
  }

  // ------------------------------------------------------------------ layers

  private written(a: Arg): WrittenArg {
    const w: WrittenArg = { value: toConfig(a.value), text: this.text(a.node), at: a.node };
    if (hasFloat(a.value)) w.float = true;
    return w;
  }

  /**
   * A layer passed to a wrapper: its Keras form `{class_name, config}` (see wrappedLayerValue). The
   * inner layer leaves the file's layers (it is no node of any model) and its problems go to the wrapper.
   */
  private wrapped(a: Arg, wrapper: GLayer): WrittenArg {
    const o = keras(a.value);
    if (o?.kind !== 'layer' || this.applied.has(o.layer)) return this.written(a);
    const inner = o.layer;
    const at = this.layers.indexOf(inner);
    if (at >= 0) this.layers.splice(at, 1);
    this.order.delete(inner);
    wrapper.problems.push(...inner.problems.map((p) => ({ ...p, layer: wrapper.name })));
    inner.problems = [];
    return { value: wrappedLayerValue(inner.type, inner.config), text: this.text(a.node), at: a.node };
  }

  private count(n: SyntaxNode): void {
    if (this.layers.length >= MAX_LAYERS) {
      throw new BudgetExceeded('layers', n, `Model Lens stopped reading here: the file builds more than ${MAX_LAYERS.toLocaleString('en-US')} layers, more than it reads in one file`);
    }
  }

  /** Where the file set a data format other than channels_last (keras.config.set_image_data_format). */
  private channelsFirst: { line: number; text: string } | undefined;

  makeLayer(written: string, args: Args, n: SyntaxNode): Value {
    this.count(n);
    const className = written;
    const spec = layerSpec(written);
    const type = spec?.type ?? written;
    const explicit = args.kw.get('name')?.value;
    const name = explicit?.k === 'py' && typeof explicit.v === 'string' ? explicit.v : this.names.next(type);
    const layer: GLayer = { name, type, spec, config: { name }, range: this.range(n), inputs: [], problems: [] };
    if (!spec) {
      const near = closest(type, supportedLayerTypes());
      layer.problems.push(
        this.makeDiag(
          'error',
          'unsupported-layer',
          n,
          `${type} is not supported by Model Lens${near ? ` (did you mean ${near}?)` : ''}; supported layers: ${supportedLayerTypes().join(', ')}. Replace '${name}' with one of them or remove it`,
          name,
        ),
      );
    } else {
      // A layer given to an argument of kind 'layer' (Bidirectional(LSTM(64)), RNN(LSTMCell(4)),
      // TimeDistributed(Dense(8))) is part of its wrapper, as Keras serializes it: not a node.
      const layerArgs = new Set(allArgs(spec).filter((a) => a.kind === 'layer').flatMap((a) => [a.name, ...(a.oldNames ?? [])]));
      const written = (a: Arg, argName: string | undefined): WrittenArg =>
        argName !== undefined && layerArgs.has(argName) ? this.wrapped(a, layer) : this.written(a);
      const kw = new Map([...args.kw].map(([k, a]) => [k, written(a, k)]));
      const built = buildConfig(spec, args.pos.map((a, i) => written(a, spec.args[i]?.name)), kw, n);
      layer.config = { ...built.config, name };
      // A whole model given to a wrapper (TimeDistributed(base_cnn)): said once, plainly, not as an unknown value.
      const wrappedModel = [...args.pos.filter((_, i) => layerArgs.has(spec.args[i]?.name ?? '')), ...[...args.kw].filter(([k]) => layerArgs.has(k)).map(([, a]) => a)].find((a) => keras(a.value)?.kind === 'model');
      if (wrappedModel) {
        const inner = (keras(wrappedModel.value) as Extract<KerasObject, { kind: 'model' }>).model;
        if (type === 'TimeDistributed' && inner.style !== 'subclassed' && !inner.loaded) {
          // TimeDistributed(cnn): the model on every step, its weights once (nested-model.ts).
          layer.spec = timeDistributedModelSpec(inner, this.src.file);
          (inner.uses ??= []).push(layer);
        } else {
          layer.problems.push(this.makeDiag('error', 'unsupported-layer', wrappedModel.node, `${type} '${name}' wraps model '${inner.name}': Model Lens does not read a model inside ${type} yet (only a layer, e.g. ${type}(layers.Conv2D(...))), so the totals are not Keras's`, name));
        }
        built.problems.splice(0, built.problems.length, ...built.problems.filter((p) => p.at !== wrappedModel.node));
      }
      for (const p of built.problems) {
        layer.problems.push(this.makeDiag(p.severity, p.code, p.at as SyntaxNode, `${type} '${name}' ${p.message}`, name));
      }
      const ints = args.pos.slice(1).map((a) => (a.value.k === 'py' && typeof a.value.v === 'number' && !a.value.f ? a.value.v : undefined));
      const oldKernel = keras1KernelWarning(type, className, ints, args.kw.keys());
      if (oldKernel) layer.problems.push(this.makeDiag('warning', 'keras1-api', args.pos[1]!.node, oldKernel, name));
      // Only in files of the standalone keras package with nothing Keras-3-only, as the 2017–2019 books were (tf.keras 2 never had the old default).
      const changed = this.imports.line() === 'keras' ? changedDefaultNote(type, layer.config, built.written) : undefined;
      if (changed) layer.problems.push(this.makeDiag('info', 'keras-version', n, `${type} '${name}' ${changed}`, name));
      if (args.star) layer.problems.push(this.makeDiag('error', 'unresolved-argument', n, `${type} '${name}' gets *args/**kwargs whose values Model Lens cannot see; write the arguments out`, name));
      // (Flatten's order of values changes with it, not its shape.)
      if (this.channelsFirst && type !== 'Flatten' && allArgs(spec).some((a) => a.name === 'data_format') && layer.config['data_format'] == null) {
        layer.problems.push(this.makeDiag('error', 'bad-argument', n, `${type} '${name}' is channels_first (set by '${this.channelsFirst.text}' at line ${this.channelsFirst.line}); Model Lens reads channels_last models only`, name));
      }
    }
    if (type === 'InputLayer') {
      // The shape from wherever Keras takes it: shape=, batch_shape=, or the legacy input_shape= / batch_input_shape=.
      const c = layer.config;
      const from = (v: unknown, drop: number) => (Array.isArray(v) ? v.slice(drop) : undefined);
      if (c['shape'] === null || c['shape'] === undefined) {
        const shape = from(c['batch_shape'], 1) ?? from(c['batch_input_shape'], 1) ?? from(c['input_shape'], 0);
        if (shape) c['shape'] = shape;
      }
    }
    if (type === 'Lambda') {
      const fn = args.pos[0]?.value ?? args.kw.get('function')?.value;
      if (fn) this.lambdaFns.set(layer, { fn, at: n });
    }
    this.layers.push(layer);
    this.order.set(layer, ++this.seq);
    return host({ kind: 'layer', layer });
  }

  /** A model used as a layer: one node, counted as Keras counts it (see nested-model.ts). */
  private nestedLayer(inner: PyModel, n: SyntaxNode): GLayer {
    this.count(n);
    const spec = nestedSpec(inner, this.src.file);
    const layer: GLayer = { name: inner.name, type: spec.type, spec, config: { name: inner.name, trainable: true }, range: this.range(n), inputs: [], problems: [], nested: { model: inner.name, line: inner.range.line } };
    (inner.uses ??= []).push(layer);
    this.layers.push(layer);
    this.order.set(layer, ++this.seq);
    return layer;
  }

  private makeInput(args: Args, n: SyntaxNode): Value {
    const made = keras(this.makeLayer('InputLayer', args, n));
    if (made?.kind !== 'layer') return UNKNOWN(this.text(n));
    const l = made.layer;
    if (l.config['shape'] === null && !l.problems.length) {
      l.problems.push(this.makeDiag('error', 'missing-argument', n, `keras.Input needs a shape, e.g. keras.Input(shape=(28, 28, 1))`, l.name));
    }
    this.applied.add(l);
    return host({ kind: 'tensor', layer: l });
  }

  /** `layers.add([a, b])`, `layers.concatenate([a, b], axis=-1)`, …: a merge layer made and called at once. */
  private mergeFunction(type: string, args: Args, n: SyntaxNode): Value {
    const inputs = args.pos[0] ?? args.kw.get('inputs');
    const kw = new Map(args.kw);
    kw.delete('inputs');
    const made = keras(this.makeLayer(type, { pos: args.pos.slice(1), kw, star: args.star }, n));
    if (made?.kind !== 'layer' || !inputs) return made ? host(made) : UNKNOWN(this.text(n));
    return this.applyLayer(made.layer, { pos: [inputs], kw: new Map(), star: false }, n);
  }

  /**
   * The tensors of a call whose spec names them as separate arguments (`callTensors`):
   * MultiHeadAttention(query, value, key) — positionally, then by keyword, in that order; the list
   * stops at the first one not given (key defaults to value). Undefined for other layers.
   */
  private callTensorArgs(layer: GLayer, args: Args, n: SyntaxNode): Arg[] | undefined {
    const names = layer.spec?.callTensors;
    if (!names) return undefined;
    // Attention-style layers also accept the Keras 2 form: one list of [query, value(, key)].
    if (args.pos.length === 1 && args.pos[0]!.value.k === 'seq' && !names.some((k) => args.kw.has(k))) return undefined;
    const out: Arg[] = [];
    for (const [i, name] of names.entries()) {
      const a = args.pos[i] ?? args.kw.get(name);
      if (args.pos[i] && args.kw.has(name)) {
        layer.problems.push(this.makeDiag('error', 'bad-call', args.kw.get(name)!.node, `${layer.type} '${layer.name}' gets ${name} twice (positionally and by keyword); keep one`, layer.name));
      }
      if (!a) break;
      out.push(a);
    }
    // Other tensors of the call (attention_mask=, value_mask=, …) are not followed.
    const used = new Set(out);
    const others = [...args.pos.slice(names.length), ...[...args.kw].filter(([k]) => !names.includes(k)).map(([, a]) => a)].filter((a) => !used.has(a));
    for (const a of others) {
      if ([...walkValues(a.value)].some((v) => keras(v)?.kind === 'tensor')) {
        layer.problems.push(this.makeDiag('warning', 'unsupported-op', a.node, `${layer.type} '${layer.name}' gets the tensor '${this.text(a.node)}' as a mask or option; Model Lens draws and counts the layer from ${names.join(', ')} only`, layer.name));
      }
    }
    if (out.length < 2) {
      this.diag('error', 'bad-call', n, `${layer.type} '${layer.name}' is called without ${out.length ? names[1] : `${names[0]} and ${names[1]}`}; call it as layer(query, value), e.g. ${layer.type}(...)(x, x) for self-attention`);
      return [];
    }
    return out;
  }

  /**
   * `layer(x, training=False)` / `training=True`: Keras runs that call in inference (or training) mode
   * whatever fit or predict asks — the fine-tuning idiom `base(x, training=False)` keeps its
   * BatchNormalization on the moving statistics. Recorded on the layer for the trainer; a value the
   * reader cannot tell, or a shared layer called in two modes, is said at the line.
   */
  private callMode(layer: GLayer, args: Args): void {
    const a = args.kw.get('training');
    if (!a) return;
    const v = a.value;
    const owner = layer.sharedOf ?? layer;
    if (v.k === 'py' && v.v === null) return;
    if (!(v.k === 'py' && typeof v.v === 'boolean')) {
      layer.problems.push(this.makeDiag('warning', 'unsupported-op', a.node, `${layer.type} '${layer.name}': cannot tell training=${this.text(a.node)}; Model Lens trains and predicts with the layer in its usual mode (training in fit, inference in predict)`, layer.name));
      return;
    }
    if (owner.callTraining !== undefined && owner.callTraining !== v.v) {
      layer.problems.push(this.makeDiag('warning', 'unsupported-op', a.node, `${layer.type} '${layer.name}' is called with training=${owner.callTraining ? 'True' : 'False'} before and training=${v.v ? 'True' : 'False'} here; Model Lens runs every call of a layer in one mode, the first's`, layer.name));
      return;
    }
    owner.callTraining = v.v;
  }

  private applyLayer(layer: GLayer, args: Args, n: SyntaxNode): Value {
    if (layer.type === 'InputLayer') {
      this.diag('error', 'bad-call', n, `an InputLayer is not called on tensors; use keras.Input(shape=...) for functional models`);
      return UNKNOWN(this.text(n));
    }
    // A layer of a model already built, called on arrays (`model.decode(z)` with z = tf.random.normal((16, 20))):
    // Keras computes it when the file runs; no tensor of any model, and no weight, comes of it.
    const first = args.pos[0]?.value ?? args.kw.get('inputs')?.value;
    if (this.applied.has(layer) && first && keras(first)?.kind === 'data') return UNKNOWN(this.text(n));
    // A layer called again (shared weights): a later call of it, with its own inputs.
    if (this.applied.has(layer)) layer = this.sharedCall(layer, n);
    const separate = this.callTensorArgs(layer, args, n);
    if (separate && !separate.length) return UNKNOWN(this.text(n));
    const a: Arg | undefined = separate
      ? { value: { k: 'seq', items: separate.map((x) => x.value), tuple: false }, node: n }
      : (args.pos[0] ?? args.kw.get('inputs'));
    if (!a) {
      this.diag('error', 'bad-call', n, `layer '${layer.name}' is called without an input tensor; pass one, e.g. ${layer.type}(...)(x)`);
      return UNKNOWN(this.text(n));
    }
    const inputs: Arg[] = separate ?? (a.value.k === 'seq' ? a.value.items.map((value) => ({ value, node: a.node })) : [a]);
    const tensors: GLayer[] = [];
    for (const { value: v, node } of inputs) {
      const o = keras(v);
      if (o?.kind === 'tensor') tensors.push(o.layer);
      else {
        // Called on Python values (`text_vectorization("a sentence")`, a layer tried on a list):
        // run when the file runs, outside any model; a model that uses the layer later is in doubt.
        if (pyConstant(v)) {
          if (!this.eagerCalled.has(layer)) this.eagerCalled.set(layer, { range: this.range(n), message: `layer '${layer.name}' is called on Python values here, which builds it from their shape before this model uses it, so the model may be incomplete here`, after: layer.name });
          return UNKNOWN(this.text(n));
        }
        // The input is unknown (an earlier problem or an unsupported operation): nothing to chain.
        if (v.k !== 'unknown') {
          this.diag('error', 'bad-call', node, `layer '${layer.name}' is called on '${this.text(node)}', which is not a Keras tensor; call it on the output of keras.Input or of another layer`);
        }
        return UNKNOWN(this.text(n));
      }
    }
    const eager = this.eagerCalled.get(layer);
    if (eager && !this.tainted.has(layer)) this.tainted.set(layer, eager);
    if (layer.spec && !layer.spec.multiInput && tensors.length !== 1) {
      layer.problems.push(this.makeDiag('error', 'bad-call', a.node, `${layer.type} '${layer.name}' takes one tensor but is called on ${tensors.length}; merge them first with layers.Add() or layers.Concatenate()`, layer.name));
    }
    const states = this.initialStates(layer, args, separate !== undefined);
    if (!states) return UNKNOWN(this.text(n));
    const given = [...tensors];
    tensors.push(...states);
    layer.inputs = tensors;
    // A layer built at the top level before this call (sublayer-builds.ts): its weights must be those for these inputs.
    // (Its doubt, set at the build, is lifted when the weights for these inputs are the built ones.)
    if (this.sublayerBuilds.checkTop(layer, layer.spec, tensors.map((t) => infer(t, this.src.file, new Map()).outputShape)) === 'same') this.tainted.delete(layer);
    if (!this.callOutputs(layer, args)) return UNKNOWN(this.text(n));
    // A layer called on constants only (an Embedding of `ops.arange(n)` in a call()) outputs a constant.
    if (tensors.length && tensors.every((t) => t.constant)) layer.constant = true;
    // …at the top level, on values computed when the file runs: computed then too, outside any model.
    if (!this.ownScopes.length && tensors.length && tensors.every((t) => t.eager)) layer.eager = true;
    if (layer.type === 'Lambda') this.traceLambda(layer, a.value.k === 'seq', n);
    this.callMode(layer, args);
    // Keras's attention layers make a Softmax and a Dropout when first built (their call): those take
    // the next automatic names, as later layers' names show (MultiHeadAttention._build_attention).
    if (!layer.sharedOf && (layer.type === 'MultiHeadAttention' || layer.type === 'GroupedQueryAttention')) {
      this.names.next('Softmax');
      this.names.next('Dropout');
    }
    this.applied.add(layer);
    this.order.set(layer, ++this.seq);
    // Keras 3's masks at the top level of a functional model (inside a call() they are the layer's own business).
    if (!this.ownScopes.length) this.masks.afterCall(layer, given, states.length ? 2 : 1, args.kw.has('mask'), (ids) => this.maskNode(layer, ids));
    // A call that returns several tensors (return_state=True, return_attention_scores=True): a
    // tuple of them, each its own tensor of the call (`out, h, c = lstm(x)`).
    let count = 1;
    try {
      count = outputCount(layer);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e; // the layer's shape says it (an unknown cell)
    }
    if (count > 1) {
      const items = Array.from({ length: count }, (_, index): Value => host({ kind: 'tensor', layer: outputTensor(layer, index) }));
      return { k: 'seq', items, tuple: true };
    }
    return host({ kind: 'tensor', layer });
  }

  /**
   * `self.add_weight(shape=…, trainable=…)` in a layer class of the file: a weight of that shape
   * (counted in the class's row, trainable unless trainable=False), a constant tensor in its call().
   * A shape or trainable= that cannot be worked out leaves the model incomplete at the line.
   */
  private addWeight(o: Extract<KerasObject, { kind: 'custom-layer' }>, args: Args, n: SyntaxNode): Value {
    // Keras 3: add_weight(shape, initializer, …); tf.keras 2: add_weight(name, shape, …).
    const firstIsName = args.pos[0]?.value.k === 'py' && typeof args.pos[0].value.v === 'string';
    const shapeArg = args.kw.get('shape') ?? (firstIsName ? args.pos[1] : args.pos[0]);
    const nameArg = args.kw.get('name') ?? (firstIsName ? args.pos[0] : undefined);
    const raw = shapeArg ? toConfig(shapeArg.value) : [];
    const shape = raw === null ? [] : typeof raw === 'number' ? [raw] : raw;
    const dims = Array.isArray(shape) && shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0) ? (shape as number[]) : undefined;
    const t = args.kw.get('trainable')?.value;
    const trainable = t === undefined ? true : t.k === 'py' && typeof t.v === 'boolean' ? t.v : undefined;
    if (!dims || trainable === undefined) {
      const why = !dims ? `cannot work out the shape of the weight '${this.text(n)}'` : `cannot tell trainable= of the weight '${this.text(n)}'`;
      o.ownWeights ??= { range: this.range(n), message: `${why}, so Model Lens cannot count it`, after: null };
      return UNKNOWN(this.text(n));
    }
    const count = dims.reduce((a, d) => a * d, 1);
    const w = (o.weights ??= { trainable: 0, nonTrainable: 0 });
    if (trainable) w.trainable += count;
    else w.nonTrainable += count;
    const wName = nameArg?.value.k === 'py' && typeof nameArg.value.v === 'string' ? nameArg.value.v : 'weight';
    const name = `${o.name}/${wName}`;
    const node: GLayer = {
      name,
      type: 'Variable',
      spec: { type: 'Variable', family: 'ops', kind: 'other', tfjs: { none: 'a weight made with add_weight' }, doc: `A weight of ${o.inst.cls.name}.`, args: [], outputShape: () => dims, params: () => ({ trainable: 0, nonTrainable: 0, formula: 'counted in its layer' }) },
      config: { name, shape: dims },
      range: this.range(n),
      inputs: [],
      problems: [],
      constant: true,
      operation: 'add_weight',
    };
    this.applied.add(node);
    this.order.set(node, ++this.seq);
    return host({ kind: 'tensor', layer: node });
  }

  /** The `not_equal` node Keras 3 makes for the mask of an Embedding(mask_zero=True) call on `ids` (see masks.ts). */
  private maskNode(embedding: GLayer, ids: GLayer): GLayer {
    const def = findOp('keras.ops.not_equal')!;
    const name = this.names.next(def.cls);
    const node: GLayer = { name, type: def.cls, spec: opSpec(def), config: { name }, range: embedding.range, inputs: [ids], problems: [], operation: 'keras.ops.not_equal', implicitMask: true };
    this.applied.add(node);
    this.order.set(node, ++this.seq);
    return node;
  }

  /**
   * An RNN's initial states: `initial_state=[h, c]` (or its second positional argument), more
   * inputs of the call after the sequence. Undefined when they are not Keras tensors (said at the line).
   */
  private initialStates(layer: GLayer, args: Args, separate: boolean): GLayer[] | undefined {
    if (!layer.spec?.initialState || separate) return [];
    const a = args.kw.get('initial_state') ?? args.pos[1];
    if (!a || (a.value.k === 'py' && a.value.v === null)) return [];
    const states = this.tensorsOf(a.value);
    if (states) return states;
    if (a.value.k !== 'unknown') {
      this.diag('error', 'bad-call', a.node, `${layer.type} '${layer.name}': initial_state '${this.text(a.node)}' is not a Keras tensor or a list of them; pass the states another call returned (e.g. initial_state=[state_h, state_c])`);
    }
    return undefined;
  }

  /**
   * Call options that change how many tensors the call returns (`return_attention_scores=True`):
   * kept on the call for its spec. False when the value cannot be told (said at the line).
   */
  private callOutputs(layer: GLayer, args: Args): boolean {
    const a = args.kw.get('return_attention_scores');
    if (!a) return true;
    if (a.value.k === 'py' && typeof a.value.v === 'boolean') {
      if (a.value.v) layer.callOptions = { return_attention_scores: true };
      return true;
    }
    layer.problems.push(this.makeDiag('error', 'unresolved-argument', a.node, `${layer.type} '${layer.name}': cannot tell return_attention_scores=${this.text(a.node)}, so not how many tensors the call returns; write True or False`, layer.name));
    return false;
  }

  /** The Python function of each Lambda layer made (`Lambda(fn)` / `Lambda(function=fn)`). */
  private readonly lambdaFns = new WeakMap<GLayer, { fn: Value; at: SyntaxNode }>();

  /** The Lambdas of a Sequential model, linked once the file is read (their input is the layer before). */
  traceLambdas(m: PyModel): void {
    for (const l of m.layers) {
      const made = this.lambdaFns.get(l.sharedOf ?? l);
      if (l.type !== 'Lambda' || l.traced || !made || l.inputs.length !== 1) continue;
      try {
        this.traceLambda(l, false, made.at);
      } catch (e) {
        // The file has been read: the budget running out in the function is said where it did, as during the read.
        if (!(e instanceof BudgetExceeded)) throw e;
        this.diag('error', 'budget', e.at, e.message);
        this.addGap(m, e.at, `reading stopped at line ${this.range(e.at).line}`);
        return;
      }
    }
  }

  /**
   * A Lambda without output_shape: Keras finds its output shape by calling the function on symbolic
   * tensors (Lambda.compute_output_shape), and so does Model Lens — the function of the file is read
   * on a tensor of the input's shape, as a layer's call() is (keras.ops / tf functions, arithmetic).
   * What that reading makes is not kept (the Lambda is one row with no weights); a function that
   * cannot be read leaves the shape unknown and the error asks for output_shape=.
   */
  private traceLambda(layer: GLayer, list: boolean, n: SyntaxNode): void {
    const owner = layer.sharedOf ?? layer;
    const fn = this.lambdaFns.get(owner)?.fn;
    if (!fn || !this.runtime || owner.config['output_shape'] != null || owner.config['arguments'] != null) return;
    if (fn.k !== 'func' && fn.k !== 'partial') return;
    // Its own cache: what comes before may still change (a Sequential built later), and nothing read here is kept.
    const cache: ShapeCache = new Map();
    const shapes = dataInputs(layer).map((t) => infer(t, this.src.file, cache).outputShape);
    if (!shapes.length || shapes.some((s) => !s)) return;
    const spec = layerSpec('InputLayer');
    const probes = shapes.map((s, i): Value => host({ kind: 'tensor', layer: { name: `${layer.name}_input_${i}`, type: 'InputLayer', spec, config: { shape: s!.slice(1), name: `${layer.name}_input_${i}` }, range: layer.range, inputs: [], problems: [] } }));
    const mark = this.layers.length;
    this.ownScopes.push(layer.name);
    let out: Value | undefined;
    try {
      out = this.runtime.callValue(fn, [list ? { k: 'seq', items: probes, tuple: false } : probes[0]!], n);
    } catch (e) {
      // Python would stop in the function (a raise, a TypeError): the shape stays unknown, with its error.
      if (e instanceof BudgetExceeded) throw e;
    } finally {
      this.ownScopes.pop();
      this.layers.length = Math.max(mark, 0);
    }
    // A list or tuple of tensors: the Lambda returns that many (Keras 3 and tf.keras 2 both allow it).
    if (out?.k === 'seq' && out.items.length > 1 && out.items.length <= 64) {
      const many = out.items.map((i) => keras(i)).map((x) => (x?.kind === 'tensor' ? infer(x.layer, this.src.file, cache).outputShape : null));
      if (many.every((x) => x)) layer.tracedMany = many as Shape[];
      return;
    }
    const t = keras(out);
    if (t?.kind !== 'tensor') return;
    const shape = infer(t.layer, this.src.file, cache).outputShape;
    if (shape) layer.traced = shape;
  }

  /** A later call of a layer already called: same name, spec and config (weights), its own inputs. */
  private sharedCall(layer: GLayer, n: SyntaxNode): GLayer {
    this.count(n);
    const owner = layer.sharedOf ?? layer;
    const call: GLayer = { name: owner.name, type: owner.type, spec: owner.spec, config: owner.config, range: this.range(n), inputs: [], problems: [], sharedOf: owner, ...(owner.nested ? { nested: owner.nested } : {}) };
    this.layers.push(call);
    return call;
  }

  // ------------------------------------------------------------------ models

  /**
   * The tensors of a tensor, or of a list / tuple / dict of them, nested as Keras 3's tree.flatten
   * reads them (`outputs=[(f3, f4, f5), x]` is four outputs, in that order); null if anything else is in it.
   */
  private tensorsOf(v: Value | undefined, depth = 0): GLayer[] | null {
    if (!v || depth > 16) return null;
    const o = keras(v);
    if (o?.kind === 'tensor') return [o.layer];
    const items = v.k === 'seq' ? v.items : v.k === 'dict' ? [...v.entries.values()] : null;
    if (!items) return null;
    const out: GLayer[] = [];
    for (const i of items) {
      const t = this.tensorsOf(i, depth + 1);
      if (!t) return null;
      out.push(...t);
    }
    return out;
  }

  private newModel(style: PyModel['style'], args: Args, n: SyntaxNode, defaultPrefix: string): PyModel {
    const nameArg = args.kw.get('name')?.value;
    const name = nameArg?.k === 'py' && typeof nameArg.v === 'string' ? nameArg.v : this.names.nextPrefix(defaultPrefix);
    const m: PyModel = { style, name, range: this.range(n), layers: [], inputs: [], outputs: [], items: [], training: {}, problems: [], gaps: [] };
    this.models.push(m);
    return m;
  }

  private arg(args: Args, index: number, name: string): Arg | undefined {
    return args.kw.get(name) ?? args.pos[index];
  }

  private makeFunctional(args: Args, n: SyntaxNode): Value {
    const m = this.newModel('functional', args, n, 'functional');
    const inArg = this.arg(args, 0, 'inputs');
    const outArg = this.arg(args, 1, 'outputs');
    const inputs = this.tensorsOf(inArg?.value);
    const outputs = this.tensorsOf(outArg?.value);
    if (!inputs || !outputs) {
      const which = !inputs ? 'inputs' : 'outputs';
      const node = (!inputs ? inArg?.node : outArg?.node) ?? n;
      const v = (!inputs ? inArg : outArg)?.value;
      const legacy = !v ? [...args.kw.keys()].map((k) => keras1ModelKeyword(k)).find((x) => x) : undefined;
      // With no error before it, the cause is a call Model Lens could not follow that a tensor went into (hub.KerasLayer(...)(x)): say which.
      const taint = this.diagnostics.some((d) => d.severity === 'error') ? undefined : [...this.tainted.values()].filter((g) => g.range.line <= this.range(node).line).at(-1);
      const earlier = taint ? `(line ${taint.range.line}: ${taint.message.replace(/, so the model may be incomplete here$/, '')})` : '(see the earlier problems)';
      const why = legacy ? legacy : !v ? `${which}= is missing` : v.k === 'unknown' ? `'${v.text}' could not be traced to Keras layers ${earlier}` : `'${this.text(node)}' is not a Keras tensor`;
      m.problems.push(this.makeDiag('error', 'bad-model', node, `model '${m.name}': ${why}${legacy ? '' : `; pass ${which}= the tensors from keras.Input / layer calls`}`));
      return host({ kind: 'model', model: m });
    }
    for (const i of inputs) {
      if (i.type !== 'InputLayer') {
        m.problems.push(this.makeDiag('error', 'bad-model', inArg!.node, `model '${m.name}': input '${i.name}' is not created by keras.Input(...); model inputs must be Input tensors`));
      }
    }
    const { layers, stray } = collectFunctional(inputs, outputs, this.order);
    for (const s of stray) {
      m.problems.push(
        this.makeDiag('error', 'bad-model', outArg!.node, `model '${m.name}': the outputs depend on '${s.name}' (line ${s.range.line}), which is not among the model's inputs; add it to inputs=[...]`),
      );
    }
    m.layers = layers;
    m.inputs = inputs;
    m.outputs = outputs;
    for (const l of layers) {
      const gap = this.tainted.get(l);
      if (gap && !m.gaps.includes(gap)) m.gaps.push(gap);
    }
    return host({ kind: 'model', model: m });
  }

  private makeSequential(args: Args, n: SyntaxNode): Value {
    const m = this.newModel('sequential', args, n, 'sequential');
    const list = this.arg(args, 0, 'layers');
    if (list && !(list.value.k === 'py' && list.value.v === null)) {
      if (list.value.k !== 'seq') {
        if (list.value.k === 'unknown') this.addGap(m, list.node, `cannot work out the layers '${this.text(list.node)}'`);
        else m.problems.push(this.makeDiag('error', 'bad-model', list.node, `Sequential expects a list of layers; '${this.text(list.node)}' is not one`));
      } else {
        const gap = this.taintedLists.get(list.value);
        if (gap) m.gaps.push(gap);
        for (const item of list.value.items) this.addToSequential(m, item, list.node);
      }
    } else m.style = 'sequential-add';
    return host({ kind: 'model', model: m });
  }

  private addToSequential(m: PyModel, v: Value, at: SyntaxNode): void {
    if (m.pending) {
      m.pending.push({ v, at, range: this.range(at) });
      return;
    }
    // An instance of a class of the file carries its Keras object (a layer class: 'custom-layer').
    const o = keras(v) ?? (v.k === 'inst' && v.host ? asKeras(v.host) : undefined);
    if (o?.kind === 'layer' || (o?.kind === 'tensor' && o.layer.type === 'InputLayer')) {
      if (o.layer.type === 'InputLayer' && m.items.length) {
        m.problems.push(this.makeDiag('error', 'bad-model', at, `Sequential model '${m.name}': an Input can only be its first layer`));
        return;
      }
      // Keras 3: when the first layer carries input_shape=, Sequential.add creates the InputLayer first.
      if (!m.items.length && o.layer.type !== 'InputLayer') this.addInputFor(m, o.layer);
      // A layer built by hand keeps the weights of that build, which the Sequential's shapes do not show.
      const eager = this.eagerCalled.get(o.layer);
      if (eager && !this.tainted.has(o.layer)) this.tainted.set(o.layer, eager);
      m.items.push(o.layer);
      this.applied.add(o.layer);
      const gap = this.tainted.get(o.layer);
      if (gap && !m.gaps.includes(gap)) m.gaps.push(gap);
    } else if (o?.kind === 'model') {
      if (o.model === m) {
        m.problems.push(this.makeDiag('error', 'bad-model', at, `model '${m.name}' cannot be added to itself`));
        return;
      }
      if (o.model.loaded) {
        this.addGap(m, at, `model '${o.model.name}' loaded from a file is used as a layer; Model Lens does not read loaded models inside another model yet`);
        return;
      }
      const refused = refusedUse(o.model, '__call__');
      if (refused) {
        m.problems.push(this.makeDiag('error', 'not-built', at, refused));
        return;
      }
      // The same model twice in one Sequential: one layer called twice (its weights counted once).
      const again = m.items.find((l) => l.nested && !l.sharedOf && this.innerModel(l) === o.model);
      const layer = again ? this.sharedCall(again, at) : this.nestedLayer(o.model, at);
      if (!m.items.length) {
        // The outer model takes the inner model's input (its Input layer, when it has one).
        const inner = o.model;
        const input = !isSequential(inner) ? inner.inputs[0] : inner.items[0]?.type === 'InputLayer' ? inner.items[0] : undefined;
        if (input && Array.isArray(input.config['shape'])) this.addInputFor(m, { ...input, type: 'Nested', config: { input_shape: input.config['shape'] } });
      }
      m.items.push(layer);
      this.applied.add(layer);
    } else if (o?.kind === 'custom-layer' && m.items.length) {
      // A layer class of the file: Keras calls it on the previous layer's output when the model is
      // built; its call() is read on that output now, and the call is one layer of the chain.
      const out = this.call(o as HostObject, this.args1(host({ kind: 'tensor', layer: m.items[m.items.length - 1]! }), at), at);
      const t = keras(out);
      if (t?.kind !== 'tensor' || !t.layer.block) {
        m.problems.push(this.makeDiag('error', 'bad-model', at, `Sequential model '${m.name}': the call() of layer class '${o.inst.cls.name}' could not be read as one layer on the output before it (see the problems above); use it in a functional model`));
        return;
      }
      m.items.push(t.layer);
      const gap = this.tainted.get(t.layer);
      if (gap && !m.gaps.includes(gap)) m.gaps.push(gap);
    } else if (v.k === 'unknown') {
      this.addGap(m, at, `cannot tell what '${v.text.length <= 80 ? v.text : this.text(at)}' is (not a Keras layer Model Lens knows)`);
    } else if (o?.kind === 'custom-layer') {
      // First, with no input yet: Keras builds the model when build(...) or fit says the input
      // shape; until then this and what follows wait (checkSequential says so if that never comes).
      m.pending = [{ v, at, range: this.range(at) }];
    } else {
      m.problems.push(this.makeDiag('error', 'bad-model', at, `Sequential model '${m.name}': '${this.text(at)}' is not a Keras layer; add layers such as layers.Dense(10)`));
    }
  }

  private addInputFor(m: PyModel, first: GLayer): void {
    const c = first.config;
    const shape = Array.isArray(c['input_shape'])
      ? c['input_shape']
      : Array.isArray(c['batch_input_shape'])
        ? c['batch_input_shape'].slice(1)
        : first.type === 'Embedding'
          ? // Keras 2's Embedding builds on (input_length,), or (None,) without it: its input_dim is the
            // vocabulary, not an input size (the book printouts show (None, None, 32) for Embedding(10000, 32)).
            [typeof c['input_length'] === 'number' ? c['input_length'] : null]
          : typeof c['input_dim'] === 'number'
            ? [c['input_dim']]
            : null;
    if (!shape) return;
    const name = this.names.next('InputLayer');
    const input: GLayer = { name, type: 'InputLayer', spec: layerSpec('InputLayer'), config: { shape, batch_size: null, dtype: 'float32', sparse: false, batch_shape: null, name }, range: first.range, inputs: [], problems: [] };
    m.items.push(input);
  }

  /** `model.build(input_shape)` / the data `fit` gets: the input of a Sequential model made without one. */
  private buildSequential(m: PyModel, shape: (number | null)[], n: SyntaxNode, from: string): void {
    if (!isSequential(m)) return;
    if (m.items[0]?.type === 'InputLayer') return;
    if (!m.items.length && !m.pending) {
      m.builtShape = shape;
      return;
    }
    const name = this.names.next('InputLayer');
    const input: GLayer = { name, type: 'InputLayer', spec: layerSpec('InputLayer'), config: { shape, batch_size: null, dtype: 'float32', sparse: false, batch_shape: null, name }, range: this.range(n), inputs: [], problems: [] };
    m.items.unshift(input);
    const pending = m.pending;
    delete m.pending;
    // A layer class that came first: its call() is read on this input now, then the rest follows.
    for (const p of pending ?? []) this.addToSequential(m, p.v, p.at as SyntaxNode);
    void from;
  }

  // ------------------------------------------------------------------ clones (cloning.ts)

  /** `layer.get_config()` dicts and the layer each came from (its problems go with a layer made from it). */
  private readonly configOrigin = new WeakMap<object, GLayer>();

  private innerModel(l: GLayer): PyModel | undefined {
    const owner = l.sharedOf ?? l;
    return this.models.find((x) => x.uses?.includes(owner));
  }

  /** The Keras class of a model, as `model.__class__` gives it (subclassed and loaded models: not followed). */
  private classOf(m: PyModel): Value | undefined {
    if (m.loaded || m.style === 'subclassed') return undefined;
    return { k: 'mod', path: isSequential(m) ? 'keras.Sequential' : 'keras.Model' };
  }

  /** `model.get_config()` / `model.to_json()`: the architecture now (subclassed and loaded models: not followed). */
  private modelConfig(m: PyModel, json: boolean, n: SyntaxNode): Value {
    if (m.loaded || m.style === 'subclassed') return UNKNOWN(this.text(n));
    return host({ kind: 'model-config', snap: snapshot(m, this.cloneSite(n)), json });
  }

  private cloneSite(n: SyntaxNode): CloneSite {
    return {
      range: (at) => this.range(at),
      addLayer: (l) => {
        if (!this.order.has(l)) {
          this.count(n);
          this.layers.push(l);
        }
        this.applied.add(l);
        this.order.set(l, ++this.seq);
      },
      addModel: (m) => this.models.push(m),
      nestedLayer: (inner, at) => {
        const l = this.nestedLayer(inner, at as SyntaxNode);
        this.applied.add(l);
        return l;
      },
      innerModel: (l) => this.innerModel(l),
      taint: (l) => this.tainted.get(l),
      callCloneFunction: (fn, l, inner) => {
        const given = inner ? host({ kind: 'model', model: inner }) : host({ kind: 'layer', layer: l.sharedOf ?? l });
        const r = keras(this.runtime?.callValue(fn, [given], n));
        if (r?.kind === 'layer') return { layer: r.layer };
        if (r?.kind === 'model') return { model: r.model };
        return undefined;
      },
    };
  }

  /** A model Model Lens cannot clone (subclassed: Keras rebuilds it from its own get_config; loaded from a file): said at the line. */
  private uncloneable(m: PyModel, n: SyntaxNode, call: string): boolean {
    if (!m.loaded && m.style !== 'subclassed') return false;
    const what = m.loaded ? 'loaded from a file' : 'of a subclass of keras.Model';
    this.diag('error', 'unsupported-model', n, `${call}: model '${m.name}' is ${what}, and Model Lens does not follow its copy; use the model itself, or build the copy from layers`);
    return true;
  }

  /** `keras.models.clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False)`. */
  private cloneCall(args: Args, n: SyntaxNode): Value {
    const a = this.arg(args, 0, 'model');
    // An instance of a subclass of keras.Model is its host object.
    const src = keras(a?.value.k === 'inst' && a.value.host ? host(a.value.host as KerasObject) : a?.value);
    if (src?.kind !== 'model') {
      this.diag('error', 'unsupported-model', a?.node ?? n, `clone_model(${a ? this.text(a.node) : ''}): cannot tell which model this is, so Model Lens cannot show the copy; clone a model built in this file`);
      return UNKNOWN(this.text(n));
    }
    if (this.uncloneable(src.model, n, 'clone_model')) return UNKNOWN(this.text(n));
    const given = (v: Value | undefined) => (v && !(v.k === 'py' && v.v === null) ? v : undefined);
    const cloneFunction = given(this.arg(args, 2, 'clone_function')?.value);
    const callFunction = given(this.arg(args, 3, 'call_function')?.value);
    const recursive = given(this.arg(args, 4, 'recursive')?.value);
    const tensorsArg = given(this.arg(args, 1, 'input_tensors')?.value);
    const tensors = tensorsArg ? this.tensorsOf(tensorsArg) : undefined;
    const site = this.cloneSite(n);
    const m = cloneModel(snapshot(src.model, site), n, site, {
      keepTrainable: true,
      what: 'clone_model(...)',
      ...(cloneFunction ? { cloneFunction } : {}),
      ...(tensors && tensors.every((t) => t.type === 'InputLayer') ? { inputTensors: tensors } : {}),
      recursive: recursive?.k === 'py' && recursive.v === true,
    });
    if (tensorsArg && !(tensors && tensors.every((t) => t.type === 'InputLayer'))) this.addGap(m, n, `Model Lens follows input_tensors= given as keras.Input tensors only ('${this.text(n)}')`);
    if (recursive && !(recursive.k === 'py' && typeof recursive.v === 'boolean')) this.addGap(m, n, `cannot tell recursive=${recursive.k === 'unknown' ? recursive.text : '…'}`);
    if (callFunction) this.addGap(m, n, `Model Lens does not follow the call_function of clone_model, which may add layers to the copy`);
    return host({ kind: 'model', model: m });
  }

  /** `model_from_json(s)`, `model_from_config(c)`, `Sequential.from_config(c)`, `Model.from_config(c)`: a copy of the model the config was taken from. */
  private fromConfig(form: 'json' | 'config', cls: 'sequential' | 'functional' | 'any', args: Args, n: SyntaxNode, path: string): Value {
    const call = path.split('.').slice(-2).join('.').replace(/^models\./, '');
    const a = this.arg(args, 0, form === 'json' ? 'json_string' : 'config');
    const o = keras(a?.value);
    if (o?.kind !== 'model-config') {
      this.diag('error', 'unsupported-model', a?.node ?? n, `${call}(${a ? this.text(a.node) : ''}): cannot tell which model this config describes, so Model Lens cannot show the model; it follows ${form === 'json' ? 'model_from_json(model.to_json())' : 'from_config(model.get_config())'} of a model built in this file`);
      return UNKNOWN(this.text(n));
    }
    if (o.json !== (form === 'json')) {
      this.diag('error', 'bad-model', a!.node, `${call}(...) takes ${form === 'json' ? 'a JSON string (model.to_json())' : 'a config dict (model.get_config())'}, not ${o.json ? 'a JSON string' : 'a dict'}: Keras raises an error here`);
      return UNKNOWN(this.text(n));
    }
    const seq = isSequential(o.snap.source);
    if (cls !== 'any' && (cls === 'sequential') !== seq) {
      this.diag('error', 'unsupported-model', n, `${call}(...) is given the config of a ${seq ? 'Sequential' : 'functional'} model; Model Lens follows each class's from_config on its own configs only`);
      return UNKNOWN(this.text(n));
    }
    const site = this.cloneSite(n);
    return host({ kind: 'model', model: cloneModel(o.snap, n, site, { keepTrainable: false, what: `${call}(...)` }) });
  }

  /** `keras.layers.Dense.from_config(config)` (`layer.__class__.from_config(layer.get_config())`): a new layer from a config dict. */
  private layerFromConfig(type: string, args: Args, n: SyntaxNode): Value {
    const a = this.arg(args, 0, 'config');
    const v = a?.value;
    if (v?.k !== 'dict' || args.pos.length > 1) {
      const made = keras(this.makeLayer(type, { pos: [], kw: new Map([['name', { value: py(this.names.next(type)), node: n }]]), star: false }, n));
      if (made?.kind === 'layer') made.layer.problems.push(this.makeDiag('error', 'unresolved-argument', a?.node ?? n, `${type}.from_config(${a ? this.text(a.node) : ''}): cannot work out the config, so Model Lens cannot tell this layer's arguments`, made.layer.name));
      return made ? host(made) : UNKNOWN(this.text(n));
    }
    const kw = new Map<string, Arg>([...v.entries].map(([k, x]) => [k, { value: x, node: a!.node }]));
    const made = keras(this.makeLayer(type, { pos: [], kw, star: false }, n));
    const origin = this.configOrigin.get(v);
    if (made?.kind === 'layer' && origin) {
      made.layer.problems.push(...origin.problems.map((p) => ({ ...p, layer: made.layer.name })));
      const gap = this.tainted.get(origin);
      if (gap) this.tainted.set(made.layer, { ...gap, after: made.layer.name });
    }
    return made ? host(made) : UNKNOWN(this.text(n));
  }

  /** What reading `compile`/`fit` needs from the reader: lines, errors at a line, and running a schedule function of the file. */
  private fitEnv(m: PyModel): FitEnv {
    return {
      lineOf: (node) => this.range(node as SyntaxNode).line,
      error: (node, message) => {
        m.problems.push(this.makeDiag('error', 'training-config', node as SyntaxNode, message));
        (m.training.fitErrors ??= []).push({ message, line: this.range(node as SyntaxNode).line });
      },
      cannot: (node, message) => {
        m.problems.push(this.makeDiag('warning', 'training-config', node as SyntaxNode, `${message} (${TRAINING_ONLY})`));
        (m.training.fitErrors ??= []).push({ message, line: this.range(node as SyntaxNode).line });
      },
      call: (fn, args, node) => this.runtime?.callValue(fn, args, node as SyntaxNode),
    };
  }

  /** The constant path argument of load_model/load_weights, resolved inside the workspace, or a diagnostic. */
  private namedFile(call: string, args: Args, n: SyntaxNode): string | undefined {
    const a = this.arg(args, 0, 'filepath');
    const v = a?.value;
    if (!(v?.k === 'py' && typeof v.v === 'string')) {
      this.diag('warning', 'saved-file', a?.node ?? n, `${call}(${a ? this.text(a.node) : ''}): Model Lens reads the file only when its path is written as a string here`);
      return undefined;
    }
    const r = resolveNamedFile(this.src.file, v.v, this.access);
    if ('error' in r && call === 'load_weights') {
      // A weights file Model Lens cannot read here (not there, or outside the workspace): its values change no
      // layer or count, so the summary stands; only runs would differ.
      this.diag('warning', 'saved-file', a!.node, `${call}: ${r.error}; the summary does not depend on it, but runs in Model Lens start from new weights, not from that file`);
      return undefined;
    }
    if ('error' in r) {
      this.diag('error', 'saved-file', a!.node, `${call}: ${r.error}`);
      return undefined;
    }
    return r.file;
  }

  /** `keras.models.load_model("mnist.keras")`: the model as its file saved it, shown at this line. */
  private loadModel(path: string, args: Args, n: SyntaxNode): Value {
    // A file this script writes first (model.save, a ModelCheckpoint in fit), not there yet: the model it saves.
    const literal = this.arg(args, 0, 'filepath')?.value;
    const savedHere = literal?.k === 'py' && typeof literal.v === 'string' && 'error' in resolveNamedFile(this.src.file, literal.v, this.access) ? this.savedFiles?.find(literal.v) : undefined;
    // (A call of a layer class of the file is not copied from its config: said so at the line.)
    const block = savedHere && (isSequential(savedHere.model) ? savedHere.model.items : savedHere.model.layers).find((l) => l.block);
    if (savedHere && block && literal?.k === 'py') {
      this.diag('error', 'saved-file', n, `load_model: '${literal.v}' is not there yet; this script writes it at line ${savedHere.line} (model '${savedHere.model.name}'), but Model Lens does not copy a model that calls a layer class of the file (${block.type}); use model '${savedHere.model.name}' itself here`);
      return UNKNOWN(this.text(n));
    }
    if (savedHere && literal?.k === 'py') {
      const copy = cloneModel(savedHere.snap, n, this.cloneSite(n), { keepTrainable: true, what: 'load_model(...)' });
      this.diag('info', 'saved-file', n, `load_model: '${literal.v}' is not there yet; it is the file this script writes at line ${savedHere.line} (${savedHere.how === 'save' ? 'save' : 'a ModelCheckpoint in fit'} of model '${savedHere.model.name}'), read as that model as it was then`);
      return host({ kind: 'model', model: copy });
    }
    const file = this.namedFile(path.split('.').pop()!, args, n);
    if (!file) return UNKNOWN(this.text(n));
    const read = readSavedModelIR(file);
    if ('error' in read) {
      this.diag('error', 'saved-file', n, `load_model: cannot read ${file}: ${read.error}`);
      return UNKNOWN(this.text(n));
    }
    const range = this.range(n);
    const ir = read.ir;
    const model: PyModel = {
      style: ir.style === 'sequential' ? 'sequential' : 'functional',
      name: ir.name,
      range,
      layers: [],
      inputs: [],
      outputs: [],
      items: [],
      training: {},
      problems: [],
      gaps: [],
      loaded: ir,
      startWeights: { file, line: range.line, kind: 'model' },
    };
    this.models.push(model);
    return host({ kind: 'model', model });
  }

  /**
   * A Sequential model's layers are chained when the file has been read; a file that takes a
   * tensor out of it before (`keras.Model(seq.inputs, seq.layers[-2].output)`) gets them chained
   * now. Only missing links are made, so the final chaining finds the same ones.
   */
  private chain(m: PyModel): void {
    let prev: GLayer | undefined;
    for (const l of m.items) {
      if (prev && !l.inputs.length) l.inputs = [prev];
      prev = l;
    }
  }

  /** `model.trainable = True`: every layer of the model, and of the models nested in it, trainable. */
  private setTrainableDeep(m: PyModel, seen = new Set<PyModel>()): void {
    if (seen.has(m)) return;
    seen.add(m);
    m.frozen = false;
    // Its nodes in other models are the model itself (`outer.layers[0].trainable = False` set them).
    for (const u of m.uses ?? []) u.config['trainable'] = true;
    for (const l of [...m.items, ...m.layers]) {
      l.config['trainable'] = true;
      const inner = l.nested ? this.models.find((x) => x.uses?.includes(l)) : undefined;
      if (inner) this.setTrainableDeep(inner, seen);
    }
  }

  /** `model.get_layer(name)` / `get_layer(index=i)`: the layer, from the list `model.layers` gives (as Keras looks it up). */
  private getLayer(m: PyModel, args: Args, n: SyntaxNode): Value {
    const list = !isSequential(m) ? m.layers : m.items.filter((l) => l.type !== 'InputLayer');
    const name = this.arg(args, 0, 'name')?.value;
    const index = this.arg(args, 1, 'index')?.value;
    if (name?.k === 'py' && typeof name.v === 'string') {
      const found = list.find((l) => l.name === name.v);
      if (found) return host({ kind: 'layer', layer: found });
      this.diag('error', 'bad-model', n, `model '${m.name}' has no layer named '${name.v}' (Keras raises a ValueError here); its layers: ${list.map((l) => l.name).join(', ') || 'none'}`);
      return UNKNOWN(this.text(n));
    }
    if ((!name || (name.k === 'py' && name.v === null)) && index?.k === 'py' && typeof index.v === 'number' && Number.isInteger(index.v)) {
      const found = list[index.v];
      if (found && index.v >= 0) return host({ kind: 'layer', layer: found });
      this.diag('error', 'bad-model', n, `model '${m.name}' has ${list.length} layers, so get_layer(index=${index.v}) fails in Keras`);
      return UNKNOWN(this.text(n));
    }
    this.addGap(m, n, `cannot tell which layer '${this.text(n)}' gives`);
    return UNKNOWN(this.text(n));
  }

  /** `model.load_weights("w.weights.h5")`: runs of this model start from those weights. */
  private loadWeights(m: PyModel, args: Args, n: SyntaxNode): void {
    const file = this.namedFile('load_weights', args, n);
    if (!file) return;
    let kind;
    try {
      kind = sniffFile(file);
    } catch {
      kind = 'text';
    }
    if (kind !== 'hdf5') {
      this.diag('error', 'saved-file', n, `load_weights: ${file} is not an HDF5 weights file (.weights.h5 or .h5); Model Lens reads those (TensorFlow checkpoints are not read)`);
      return;
    }
    for (const k of ['by_name', 'skip_mismatch']) {
      if (args.kw.has(k)) this.diag('warning', 'saved-file', args.kw.get(k)!.node, `load_weights(${k}=…) is not followed by Model Lens: weights are matched as Keras does by default (by structure), and any mismatch is an error`);
    }
    m.startWeights = { file, line: this.range(n).line, kind: 'weights' };
  }

  private modelMethod(m: PyModel, name: string, args: Args, n: SyntaxNode): Value {
    const line = this.range(n).line;
    // model.save("m.keras") / fit(callbacks=[ModelCheckpoint("best.h5")]): a later load_model of it is this model.
    const savedNow = (how: SavedHere['how']) => (): SavedHere => ({ model: m, line, snap: snapshot(m, this.cloneSite(n)), how });
    if (m.style !== 'subclassed' && !m.loaded) {
      this.savedFiles ??= new SavedFiles(this.src.file);
      if (name === 'save') this.savedFiles.saved(this.arg(args, 0, 'filepath')?.value, savedNow('save'));
      if (name === 'fit') this.savedFiles.checkpoints(this.arg(args, 5, 'callbacks')?.value, savedNow('ModelCheckpoint'));
    }
    const refused = refusedUse(m, name);
    if (refused) {
      this.diag('error', 'not-built', n, refused);
      return name === 'summary' || name === 'build' ? NONE : UNKNOWN(this.text(n));
    }
    switch (name) {
      case 'summary':
        this.summaries.record(m, n, { models: this.models, layers: this.layers, range: (at) => this.range(at), warn: (at, code, message) => this.diag('warning', code, at, message) });
        return UNKNOWN(this.text(n));
      case 'add': {
        const a = args.pos[0] ?? args.kw.get('layer');
        if (a) this.addToSequential(m, a.value, a.node);
        if (m.builtShape && m.items.length === 1 && m.items[0]!.type !== 'InputLayer') {
          const shape = m.builtShape;
          delete m.builtShape;
          this.buildSequential(m, shape, n, 'build');
        }
        return NONE;
      }
      case 'pop': {
        const last = m.items[m.items.length - 1];
        if (!isSequential(m) || !last || last.type === 'InputLayer') {
          m.problems.push(this.makeDiag('error', 'bad-model', n, `model '${m.name}': pop() needs a Sequential model with layers`));
          return NONE;
        }
        m.items.pop();
        return host({ kind: 'layer', layer: last });
      }
      case 'build': {
        const a = this.arg(args, 0, 'input_shape');
        const c = a ? toConfig(a.value) : undefined;
        if (!Array.isArray(c) || !c.every((d) => d === null || typeof d === 'number')) {
          this.addGap(m, a?.node ?? n, `cannot work out the input shape of build(${a ? this.text(a.node) : ''})`);
          return NONE;
        }
        if (hasFloat(a!.value)) {
          // Keras's standardize_shape refuses float dimensions, whole or not.
          m.problems.push(this.makeDiag('error', 'bad-argument', a!.node, `model '${m.name}': build(${this.text(a!.node)}) has a float dimension; Keras raises a ValueError (a shape takes ints). Use ints, e.g. '//' instead of '/'`));
          return NONE;
        }
        if (m.style === 'subclassed') {
          // Reached after the class's own build (if any) ran: do not run that again.
          m.userBuilt = true;
          this.buildFromShape(m, (c as (number | null)[]).slice(1), n);
          return NONE;
        }
        const first = m.items[0];
        if (isSequential(m) && first?.type === 'InputLayer' && Array.isArray(first.config['shape'])) {
          // Keras 3's Sequential.build: a model that has an Input already is built with that very batch shape, or raises.
          const have = [first.config['batch_size'] ?? null, ...(first.config['shape'] as (number | null)[])];
          if (JSON.stringify(have) !== JSON.stringify(c)) {
            const show = (s: unknown[]) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
            m.problems.push(this.makeDiag('error', 'bad-model', a!.node, `Sequential model '${m.name}' already takes input shape ${show(have)}, so build(${show(c)}) raises a ValueError in Keras; remove the build call or the Input`));
            return NONE;
          }
        }
        this.buildSequential(m, (c as (number | null)[]).slice(1), n, 'build');
        return NONE;
      }
      case 'compile':
        applyCompile(m.training, args, line, (v, scheduleError) => optimizerFromValue(v, scheduleError), (node, msg) => m.problems.push(this.makeDiag('warning', 'training-config', node as SyntaxNode, msg)), this.fitEnv(m));
        return NONE;
      case 'fit': {
        applyFit(m.training, args, line, this.fitEnv(m));
        const x = keras(this.arg(args, 0, 'x')?.value);
        // A batched tf.data dataset sets the batch size (fit's batch_size does not apply to it).
        if (x?.kind === 'data' && x.batch !== undefined) m.training.batchSize = x.batch;
        if (x?.kind === 'data' && x.dataset) {
          m.training.dataset = x.dataset;
          m.training.datasetLine = x.line;
          m.training.inputScale = x.scale;
        }
        // np.load('x.npy') with np.load('y.npy'): the labels must be the file beside the inputs, as the loader pairs them.
        const npy = x?.kind === 'data' ? npyFitError(x, this.arg(args, 1, 'y')) : undefined;
        if (npy) this.fitEnv(m).cannot(npy.at ?? n, npy.message);
        // np.load('data.npz')['x_train'] (or ['x']: split as the settings say).
        if (x?.kind === 'data' && x.npz && x.split !== 'test') {
          m.training.dataPath = x.npy ?? x.npz; // an .npy set: its inputs file as written (X_train.npy), which the loader pairs
          m.training.datasetLine = x.line;
          m.training.inputScale = x.scale;
        }
        if (x?.kind === 'data' && x.dims && x.dims.length > 1 && m.style === 'subclassed') this.buildFromShape(m, x.dims.slice(1), n);
        // A Sequential model without an input shape is built from the data it is fit on.
        if (x?.kind === 'data' && x.dims && x.dims.length > 1 && isSequential(m) && (m.items.length || m.pending) && m.items[0]?.type !== 'InputLayer') {
          this.buildSequential(m, x.dims.slice(1), n, 'fit');
        }
        return UNKNOWN('history');
      }
      case 'get_layer':
        return this.getLayer(m, args, n);
      case 'get_config':
      case 'to_json':
        return this.modelConfig(m, name === 'to_json', n);
      case 'load_weights':
        this.loadWeights(m, args, n);
        return NONE;
      case 'evaluate':
        m.training.evaluateLine ??= line;
        return UNKNOWN('scores');
      case 'predict':
        m.training.predictLine ??= line;
        return UNKNOWN('predictions');
      case '__call__':
        return this.call({ kind: 'model', model: m } satisfies KerasObject as HostObject, args, n);
      default:
        if (!READ_ONLY_METHODS.has(name)) this.addGap(m, n, `'${this.text(n)}': Model Lens does not follow ${KNOWN_CHANGING.has(name) ? `'${name}', which adds weights or layers` : `'${name}', which Keras models either have not (Python stops there) or may change the model with`}`);
        return UNKNOWN(this.text(n));
    }
  }
}

/** A layer's config as `get_config()` gives it: a dict of plain values (tuples for lists, as Keras's are mostly tuples). */
function configValue(c: ConfigValue): Value {
  if (c === null || typeof c !== 'object') return py(c);
  if (Array.isArray(c)) return { k: 'seq', items: c.map(configValue), tuple: true };
  return { k: 'dict', entries: new Map(Object.entries(c).map(([k, x]) => [k, configValue(x)])) };
}

let parsedApplications: Parsed | undefined;
function applicationsModule(): Parsed {
  parsedApplications ??= parsePython(APPLICATIONS_SOURCE);
  return parsedApplications;
}
