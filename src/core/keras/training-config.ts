/**
 * What a Python file says about training: `compile(...)` (optimizer — with a learning-rate
 * schedule object —, loss, metrics in string or object form) and `fit(...)` (batch size, epochs,
 * shuffle, validation split or the test split as validation_data, class_weight, callbacks), with
 * Keras's defaults where `fit` is called without them. What cannot be worked out is an error at
 * its line (`env.error`), never dropped.
 */
import type { CallbackSpec, ConfigValue, LrSchedule, MonitorMode, OptimizerConfig, TrainingConfig } from '../model/ir';
import { snakeCase } from './default-names';
import type { Value } from '../python/values';
import { keras1FitKeyword } from './keras1-api';
import { keras, toConfig } from './keras-values';
import { scheduleAt, scheduleFromArgs } from '../train/lr-schedules';

/** What reading compile/fit needs from the reader. */
export interface FitEnv {
  lineOf(node: unknown): number;
  /** An error at that node (the model's diagnostics, and `training.fitErrors` so training refuses): what Keras itself raises at. */
  error(node: unknown, message: string): void;
  /**
   * What Model Lens cannot use for training (a validation set it cannot work out, an unsupported
   * argument): a warning at that node — the summary does not depend on it — and a `fitErrors`
   * entry, so training refuses with the reason.
   */
  cannot(node: unknown, message: string): void;
  /** Runs a function/lambda of the file (pure Python, within the reader's budget). */
  call(fn: Value, args: Value[], node: unknown): Value | undefined;
}

/** Said after what Model Lens cannot use for training: the figures stand. */
export const TRAINING_ONLY = 'this is about training in Model Lens only: the summary does not depend on it, but Train cannot run the model until it is changed';

/** How many epochs of a LearningRateScheduler are worked out (at least fit's epochs). */
export const SCHEDULER_EPOCHS = 100;

interface CallArgs {
  pos: { value: Value; node: unknown }[];
  kw: Map<string, { value: Value; node: unknown }>;
}

/** Keras class name and default learning rate of each optimizer, by its string name. */
const OPTIMIZERS: Record<string, [string, number]> = {
  adam: ['Adam', 0.001],
  adamw: ['AdamW', 0.001],
  sgd: ['SGD', 0.01],
  rmsprop: ['RMSprop', 0.001],
  adagrad: ['Adagrad', 0.001],
  adadelta: ['Adadelta', 0.001],
  adamax: ['Adamax', 0.001],
  nadam: ['Nadam', 0.001],
  ftrl: ['Ftrl', 0.001],
  lion: ['Lion', 0.001],
};

const METRIC_ALIASES: Record<string, string> = { acc: 'accuracy' };

/** `keras.optimizers.schedules.X(...)` → its spec, or an error message; undefined when `v` is no schedule. */
export function scheduleFromValue(v: Value): LrSchedule | string | undefined {
  const o = keras(v);
  if (o?.kind !== 'obj' || !/\.schedules\./.test(o.path)) return undefined;
  const pos = o.pos.map((p) => toConfig(p));
  const kw: Record<string, unknown> = {};
  for (const [k, a] of o.kw) kw[k] = toConfig(a);
  return scheduleFromArgs(o.cls, pos, kw);
}

export function optimizerFromValue(v: Value, scheduleError?: (message: string) => void): OptimizerConfig | undefined {
  if (v.k === 'py' && typeof v.v === 'string') {
    const o = OPTIMIZERS[v.v.toLowerCase()];
    return o ? { name: o[0], learningRate: o[1] } : { name: v.v };
  }
  const o = keras(v);
  if (o?.kind === 'obj') {
    const known = OPTIMIZERS[o.cls.toLowerCase()];
    const lrValue = o.kw.get('learning_rate') ?? o.kw.get('lr') ?? o.pos[0];
    const lr = lrValue ? toConfig(lrValue) : undefined;
    const args: Record<string, ConfigValue> = {};
    for (const [k, a] of o.kw) {
      if (k === 'learning_rate' || k === 'lr') continue;
      const c = toConfig(a);
      if (c !== undefined) args[k] = c;
    }
    const out: OptimizerConfig = { name: known ? known[0] : o.cls };
    const schedule = lrValue ? scheduleFromValue(lrValue) : undefined;
    if (typeof schedule === 'object') {
      out.schedule = schedule;
      out.learningRate = scheduleAt(schedule, 0);
    } else if (typeof schedule === 'string') scheduleError?.(schedule);
    else if (typeof lr === 'number') out.learningRate = lr;
    else if (lrValue) scheduleError?.(`cannot work out the learning rate '${lrValue.k === 'unknown' ? lrValue.text.slice(0, 60) : '?'}'; write a number or a keras.optimizers.schedules object`);
    else if (known) out.learningRate = known[1];
    if (Object.keys(args).length) out.args = args;
    return out;
  }
  return undefined;
}

/** 'sparse_categorical_crossentropy', SparseCategoricalCrossentropy(), keras.losses.mse → a Keras loss name. */
export function lossName(v: Value): { name: string; fromLogits?: boolean } | undefined {
  if (v.k === 'py' && typeof v.v === 'string') return { name: v.v };
  const o = keras(v);
  if (o?.kind === 'obj') {
    const fl = o.kw.get('from_logits');
    return { name: snakeCase(o.cls), ...(fl && fl.k === 'py' && typeof fl.v === 'boolean' ? { fromLogits: fl.v } : {}) };
  }
  if (v.k === 'mod') return { name: v.path.split('.').pop()! };
  return undefined;
}

function metricName(v: Value): string | undefined {
  const o = keras(v);
  const n = v.k === 'py' && typeof v.v === 'string' ? v.v : o?.kind === 'obj' ? snakeCase(o.cls) : v.k === 'mod' ? v.path.split('.').pop()! : undefined;
  return n === undefined ? undefined : (METRIC_ALIASES[n] ?? n);
}

export function applyCompile(
  t: TrainingConfig,
  args: CallArgs,
  line: number,
  optimizer: (v: Value, scheduleError?: (message: string) => void) => OptimizerConfig | undefined,
  warn: (node: unknown, message: string) => void,
  env?: FitEnv,
): void {
  t.compileLine = line;
  // compile() decides loss and optimizer, not a custom loop read before it.
  delete t.customLoopLine;
  const get = (i: number, k: string) => args.kw.get(k) ?? args.pos[i];
  const o = get(0, 'optimizer');
  if (o) {
    const opt = optimizer(o.value, env ? (message) => env.cannot(o.node, message) : undefined);
    if (opt) t.optimizer = opt;
    else warn(o.node, `cannot work out the optimizer; write e.g. optimizer='adam' or tf.keras.optimizers.Adam(0.001)`);
  } else t.optimizer = { name: 'RMSprop', learningRate: 0.001 }; // Keras's compile() default
  const l = get(1, 'loss');
  if (l) {
    const ln = lossName(l.value);
    if (ln) {
      t.loss = ln.name;
      if (ln.fromLogits !== undefined) t.fromLogits = ln.fromLogits;
    } else warn(l.node, `cannot work out the loss; write e.g. loss='sparse_categorical_crossentropy'`);
  }
  const m = get(2, 'metrics');
  if (m) {
    const items = m.value.k === 'seq' ? m.value.items : [m.value];
    t.metrics = items.map(metricName).filter((x): x is string => x !== undefined);
  }
}

export function applyFit(t: TrainingConfig, args: CallArgs, line: number, env?: FitEnv): void {
  t.fitLine = line;
  delete t.validationData;
  delete t.classWeight;
  const get = (i: number, k: string) => {
    const a = args.kw.get(k) ?? args.pos[i];
    return a ? toConfig(a.value) : undefined;
  };
  const bs = get(2, 'batch_size');
  const ep = get(3, 'epochs');
  const sh = get(-1, 'shuffle');
  const vs = get(-1, 'validation_split');
  // Keras's fit() defaults where the call does not say.
  t.batchSize = typeof bs === 'number' ? bs : 32;
  t.epochs = typeof ep === 'number' ? ep : 1;
  t.shuffle = typeof sh === 'boolean' ? sh : true;
  t.validationSplit = typeof vs === 'number' ? vs : 0;
  if (env) {
    for (const [k, a] of args.kw) {
      const old = keras1FitKeyword(k);
      if (old) env.error(a.node, `fit(${k}=…): ${old}`);
    }
  }
  if (!env) {
    const cbs = args.kw.get('callbacks');
    if (cbs) t.callbacks = (cbs.value.k === 'seq' ? cbs.value.items : [cbs.value]).map((v) => callbackSpec(v, line));
    return;
  }
  const vd = args.kw.get('validation_data') ?? args.pos[6];
  if (vd) {
    const problem = validationDataProblem(vd.value, keras(args.kw.get('x')?.value ?? args.pos[0]?.value));
    if (problem) env.cannot(vd.node, problem);
    else {
      // Keras: "validation_data will override validation_split".
      t.validationData = 'test';
      t.validationSplit = 0;
    }
  }
  const cw = args.kw.get('class_weight');
  if (cw) {
    const c = toConfig(cw.value);
    const ok = c !== null && typeof c === 'object' && !Array.isArray(c) && Object.entries(c).every(([k, w]) => /^\d+$/.test(k) && typeof w === 'number' && Number.isFinite(w) && w >= 0);
    if (ok && cw.value.k === 'dict') t.classWeight = c as Record<string, number>;
    else if (!(cw.value.k === 'py' && cw.value.v === null)) env.cannot(cw.node, `cannot work out class_weight; write a dict of class index to weight, e.g. class_weight={0: 1.0, 1: 2.0}`);
  }
  const sw = args.kw.get('sample_weight');
  if (sw && !(sw.value.k === 'py' && sw.value.v === null)) env.cannot(sw.node, `sample_weight is not supported by Model Lens's trainer; use class_weight={class: weight} or remove it`);
  const cbs = args.kw.get('callbacks');
  if (cbs) {
    const items = cbs.value.k === 'seq' ? cbs.value.items : [cbs.value];
    const lr0 = t.optimizer?.learningRate ?? 0.001;
    const epochs = Math.max(t.epochs, SCHEDULER_EPOCHS);
    t.callbacks = items.map((v) => {
      const spec = callbackSpec(v, line, { lr0, epochs, call: (fn, a) => env.call(fn, a, cbs.node) });
      // A callback Keras itself refuses is an error; one Model Lens cannot work out is about training only.
      if (spec.type === 'invalid') (spec.kerasRaises ? env.error : env.cannot)(cbs.node, spec.message);
      return spec;
    });
    const has = (type: string) => t.callbacks!.some((c) => c.type === type);
    const conflict = (message: string, kerasRaises: boolean) => {
      (kerasRaises ? env.error : env.cannot)(cbs.node, message);
      t.callbacks!.push({ type: 'invalid', name: 'callbacks', message, line: env.lineOf(cbs.node) });
    };
    if (has('LearningRateScheduler') && has('ReduceLROnPlateau')) conflict('LearningRateScheduler and ReduceLROnPlateau both set the learning rate; Model Lens works out the scheduler ahead of training and cannot follow the two together; keep one', false);
    if (t.optimizer?.schedule && (has('LearningRateScheduler') || has('ReduceLROnPlateau'))) conflict(`the optimizer's learning rate is a ${t.optimizer.schedule.type} schedule, which Keras does not let a callback change; keep the schedule or the callback`, true);
  }
}

/** Why `validation_data` is not the built-in dataset's test split Model Lens can use, or undefined when it is. */
function validationDataProblem(v: Value, x: ReturnType<typeof keras>): string | undefined {
  const help = 'Model Lens validates on the dataset\'s own test split: write validation_data=(x_test, y_test) with the arrays from load_data() (or an .npz\'s [\'x_test\'], [\'y_test\']), scaled as the training images';
  // A tf.data dataset of (images, labels) stands for its pair.
  const ds = keras(v);
  if (ds?.kind === 'data' && ds.pair) v = { k: 'seq', items: [{ k: 'host', h: { ...ds, pair: undefined } }, { k: 'host', h: ds.pair }], tuple: true };
  if (v.k !== 'seq' || v.items.length < 2) return `cannot work out validation_data; ${help}`;
  if (v.items.length > 2) return `validation_data with sample weights is not supported; ${help}`;
  const [vx, vy] = v.items.map((i) => keras(i));
  if (vx?.kind === 'data' && vx.npy && (vx.split !== 'test' || vy?.kind !== 'data' || vy.split !== 'test' || !vy.npy)) {
    return `validation_data from ${vx.npy.split(/[\\/]/).pop()}: Model Lens validates arrays saved one per file on x_test.npy and y_test.npy beside x_train.npy; ${help}`;
  }
  if (vx?.kind === 'data' && vx.npz && (vx.split !== 'test' || vy?.kind !== 'data' || vy.split !== 'test')) return `validation_data from ${vx.npz}: Model Lens reads an .npz dataset as x_train, y_train, x_test, y_test; validate on its ['x_test'] and ['y_test']`;
  if (vx?.kind !== 'data' || vy?.kind !== 'data' || vx.role !== 'x' || vy.role !== 'y' || vx.split !== 'test' || vy.split !== 'test' || !(vx.dataset || vx.npz) || vx.npz !== vy.npz) return `cannot work out validation_data; ${help}`;
  const source = (d: { dataset: string | null; npz?: string }) => d.npz ?? d.dataset;
  if (x?.kind === 'data' && source(x) && source(x) !== source(vx)) return `validation_data comes from ${source(vx)} but the model trains on ${source(x)}; ${help}`;
  if (vx.dims && vx.dims[0] === null) return `validation_data is a slice of the test split; Model Lens validates on the whole test split (shorten it with --test-limit / modelLens.testLimit)`;
  if (x?.kind === 'data' && Math.abs(x.scale - vx.scale) > 1e-12 * Math.max(1, Math.abs(x.scale))) return `validation images are scaled by ${vx.scale} but training images by ${x.scale}; Model Lens scales both the same way — scale x_test as x_train`;
  return undefined;
}

/** Running the file's LearningRateScheduler function, for `callbackSpec`. */
interface ScheduleRunner {
  /** The optimizer's learning rate before the first epoch. */
  lr0: number;
  /** Epochs to work out. */
  epochs: number;
  call(fn: Value, args: Value[]): Value | undefined;
}

/** schedule(epoch, lr) for epochs 0…n−1, each fed the previous result (as Keras's optimizer variable, float32). */
function runScheduler(fn: Value, r: ScheduleRunner): number[] | string {
  if (fn.k !== 'func') return 'LearningRateScheduler: cannot find the schedule function (give a def or lambda of this file)';
  const params = fn.node.getChild('ParamList');
  let arity = 0;
  for (let c = params?.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName') arity++;
  const out: number[] = [];
  let lr = Math.fround(r.lr0);
  for (let epoch = 0; epoch < r.epochs; epoch++) {
    const args: Value[] = arity === 1 ? [{ k: 'py', v: epoch }] : [{ k: 'py', v: epoch }, { k: 'py', v: lr }];
    let v: Value | undefined;
    try {
      v = r.call(fn, args);
    } catch (e) {
      return `LearningRateScheduler: ${(e as Error).message}`;
    }
    const n = v?.k === 'py' && typeof v.v === 'number' ? v.v : undefined;
    if (n === undefined || !Number.isFinite(n) || n < 0) return `LearningRateScheduler: cannot work out ${fn.name}(${arity === 1 ? epoch : `${epoch}, ${lr}`})${v?.k === 'unknown' ? ` (it needs '${v.text.slice(0, 60)}')` : ''}; the schedule must compute a number from epoch and lr with plain Python and math`;
    lr = Math.fround(n);
    out.push(lr);
  }
  return out;
}

/** `keras.callbacks.EarlyStopping(monitor='val_loss', patience=3)` → its spec with Keras's defaults. */
export function callbackSpec(v: Value, line?: number, scheduler?: ScheduleRunner): CallbackSpec {
  const k = keras(v);
  const at = line !== undefined ? { line } : {};
  if (!k || k.kind !== 'obj') return { type: 'unsupported', name: v.k === 'unknown' ? v.text.slice(0, 80) : 'callback', ...at };
  const arg = (name: string, i: number) => {
    const a = k.kw.get(name) ?? k.pos[i];
    return a ? toConfig(a) : undefined;
  };
  const mode = (m: unknown): MonitorMode => (m === 'min' || m === 'max' ? m : 'auto');
  if (k.cls === 'EarlyStopping') {
    const monitor = arg('monitor', 0);
    const patience = arg('patience', 2);
    const minDelta = arg('min_delta', 1);
    return { type: 'EarlyStopping', monitor: typeof monitor === 'string' ? monitor : 'val_loss', patience: typeof patience === 'number' ? patience : 0, minDelta: typeof minDelta === 'number' ? Math.abs(minDelta) : 0, mode: mode(arg('mode', 4)), restoreBestWeights: arg('restore_best_weights', 6) === true, ...at };
  }
  if (k.cls === 'ModelCheckpoint') {
    const monitor = arg('monitor', 1);
    return { type: 'ModelCheckpoint', monitor: typeof monitor === 'string' ? monitor : 'val_loss', saveBestOnly: arg('save_best_only', 3) === true, mode: mode(arg('mode', 5)), ...at };
  }
  if (k.cls === 'ReduceLROnPlateau') {
    const num = (name: string, i: number, def: number): number | undefined => {
      const x = arg(name, i);
      return x === undefined ? def : typeof x === 'number' && Number.isFinite(x) ? x : undefined;
    };
    const monitor = arg('monitor', 0);
    const f = { factor: num('factor', 1, 0.1), patience: num('patience', 2, 10), minDelta: num('min_delta', 5, 1e-4), cooldown: num('cooldown', 6, 0), minLr: num('min_lr', 7, 0) };
    const bad = Object.entries(f).find(([, x]) => x === undefined);
    if (bad) return { type: 'invalid', name: k.cls, message: `ReduceLROnPlateau: cannot work out '${bad[0]}'; write a number`, ...at };
    if (f.factor! >= 1) return { type: 'invalid', name: k.cls, message: `ReduceLROnPlateau does not support a factor >= 1.0 (got ${f.factor}); Keras raises the same error`, kerasRaises: true, ...at };
    return { type: 'ReduceLROnPlateau', monitor: typeof monitor === 'string' ? monitor : 'val_loss', factor: f.factor!, patience: f.patience!, minDelta: f.minDelta!, cooldown: f.cooldown!, minLr: f.minLr!, mode: mode(arg('mode', 4)), ...at };
  }
  if (k.cls === 'LearningRateScheduler') {
    const fn = k.kw.get('schedule') ?? k.pos[0];
    if (!fn || !scheduler) return { type: 'invalid', name: k.cls, message: 'LearningRateScheduler: cannot find its schedule function', ...at };
    const values = runScheduler(fn, scheduler);
    if (typeof values === 'string') return { type: 'invalid', name: k.cls, message: values, ...at };
    return { type: 'LearningRateScheduler', epochLr: values, schedule: fn.k === 'func' ? fn.name : 'schedule', ...at };
  }
  return { type: 'unsupported', name: k.cls, ...at };
}

/**
 * The seed a file sets for everything random — `keras.utils.set_random_seed(N)` (also
 * `tf.keras.utils…`, `tensorflow.keras.utils…`) or `tf.random.set_seed(N)` — when written as a
 * whole-number literal on its own line (not in a comment). Read from the text, so it needs no help
 * from the Python reader; a seed from a variable is not followed (then the run is unseeded unless
 * `--seed` / the settings give one).
 */
export function randomSeedInSource(text: string): { seed: number; line: number } | undefined {
  const re = /^[ \t]*(?:(?:tf\.)?keras\.utils\.set_random_seed|tensorflow\.keras\.utils\.set_random_seed|set_random_seed|tf\.random\.set_seed)\(\s*(?:seed\s*=\s*)?(\d{1,10})\s*\)/gm;
  let found: { seed: number; line: number } | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const seed = Number(m[1]);
    if (seed <= 0xffffffff) found = { seed, line: text.slice(0, m.index).split('\n').length };
  }
  return found;
}
