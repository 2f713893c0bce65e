/**
 * What a Python file says about training: `compile(...)` (optimizer, loss, metrics in string or
 * object form) and `fit(...)` (batch size, epochs, shuffle, validation split), with Keras's
 * defaults where `fit` is called without them.
 */
import type { CallbackSpec, ConfigValue, MonitorMode, OptimizerConfig, TrainingConfig } from '../model/ir';
import { snakeCase } from './default-names';
import type { Value } from '../python/values';
import { keras, toConfig } from './keras-values';

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

export function optimizerFromValue(v: Value): OptimizerConfig | undefined {
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
    if (typeof lr === 'number') out.learningRate = lr;
    else if (known) out.learningRate = known[1];
    if (Object.keys(args).length) out.args = args;
    return out;
  }
  return undefined;
}

/** 'sparse_categorical_crossentropy', SparseCategoricalCrossentropy(), keras.losses.mse → a Keras loss name. */
function lossName(v: Value): { name: string; fromLogits?: boolean } | undefined {
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
  optimizer: (v: Value) => OptimizerConfig | undefined,
  warn: (node: unknown, message: string) => void,
): void {
  t.compileLine = line;
  const get = (i: number, k: string) => args.kw.get(k) ?? args.pos[i];
  const o = get(0, 'optimizer');
  if (o) {
    const opt = optimizer(o.value);
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

export function applyFit(t: TrainingConfig, args: CallArgs, line: number): void {
  t.fitLine = line;
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
  const cbs = args.kw.get('callbacks');
  if (cbs) {
    const items = cbs.value.k === 'seq' ? cbs.value.items : [cbs.value];
    t.callbacks = items.map((v) => callbackSpec(v, line));
  }
}

/** `keras.callbacks.EarlyStopping(monitor='val_loss', patience=3)` → its spec with Keras's defaults. */
export function callbackSpec(v: Value, line?: number): CallbackSpec {
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
