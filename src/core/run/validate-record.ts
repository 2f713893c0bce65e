/**
 * `run.json` is untrusted input (a workspace can ship any file there): checked field by field on
 * read — types, ranges, sizes — so the rest of Model Lens can trust a `RunRecord`. A bad file gives
 * a `RunFileError` naming the file and the field. Paths are not trusted either: the weights folder
 * is taken from the run folder itself (`store.ts`), never from the file.
 */
import type { LrSchedule, ModelIR } from '../model/ir';
import type { BatchPoint, EpochMetrics, RunRecord, RunStatus, TrainSettings } from './record';

export class RunFileError extends Error {
  readonly code = 'run-file';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail} — not a valid Model Lens run; delete or fix that run folder.`);
  }
}

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'cancelled', 'failed', 'interrupted'];
const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
/** More than any run writes (the series is capped at 4,000 points; epochs at a million). */
const MAX_POINTS = 100_000;
const MAX_EPOCHS = 1_000_000;
const MAX_LAYERS = 100_000;
const MAX_TEXT = 100_000;

type Obj = Record<string, unknown>;

class Check {
  constructor(private readonly file: string) {}
  fail(field: string, want: string, got: unknown): never {
    const shown = typeof got === 'string' ? JSON.stringify(got.length > 40 ? got.slice(0, 40) + '…' : got) : Array.isArray(got) ? 'a list' : got === null ? 'null' : typeof got;
    throw new RunFileError(this.file, `'${field}' must be ${want} (found ${shown})`);
  }
  obj(v: unknown, field: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'an object', v);
    return v as Obj;
  }
  str(v: unknown, field: string, max = MAX_TEXT): string {
    if (typeof v !== 'string' || v.length > max) this.fail(field, `text of at most ${max} characters`, v);
    return v as string;
  }
  optStr(o: Obj, key: string, field = key, max = MAX_TEXT): string | undefined {
    return o[key] === undefined ? undefined : this.str(o[key], field, max);
  }
  /** A finite number in [min, max]; `null` (JSON's NaN/Infinity) is allowed where `nullable`. */
  num(v: unknown, field: string, min = -Infinity, max = Infinity, opts: { int?: boolean; nullable?: boolean } = {}): number {
    if (v === null && opts.nullable) return NaN;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (opts.int && !Number.isInteger(v))) {
      this.fail(field, `${opts.int ? 'a whole number' : 'a number'} from ${min} to ${max}`, v);
    }
    return v as number;
  }
  optNum(o: Obj, key: string, field: string, min?: number, max?: number, opts?: { int?: boolean; nullable?: boolean }): number | undefined {
    return o[key] === undefined ? undefined : this.num(o[key], field, min, max, opts);
  }
  arr(v: unknown, field: string, max: number): unknown[] {
    if (!Array.isArray(v) || v.length > max) this.fail(field, `a list of at most ${max} items`, v);
    return v as unknown[];
  }
  date(v: unknown, field: string): string {
    const s = this.str(v, field, 64);
    if (!Number.isFinite(Date.parse(s))) this.fail(field, 'a date (ISO 8601)', v);
    return s;
  }
}

function settings(c: Check, v: unknown): TrainSettings {
  const o = c.obj(v, 'settings');
  const s: TrainSettings = {
    epochs: c.num(o.epochs, 'settings.epochs', 1, MAX_EPOCHS, { int: true }),
    batchSize: c.num(o.batchSize, 'settings.batchSize', 1, 1_000_000, { int: true }),
    dataset: c.str(o.dataset, 'settings.dataset', 4096),
  };
  const limit = c.optNum(o, 'limit', 'settings.limit', 0, 1e9, { int: true });
  if (limit !== undefined) s.limit = limit;
  const testLimit = c.optNum(o, 'testLimit', 'settings.testLimit', 0, 1e9, { int: true });
  if (testLimit !== undefined) s.testLimit = testLimit;
  const vs = c.optNum(o, 'validationSplit', 'settings.validationSplit', 0, 1);
  if (vs !== undefined) s.validationSplit = vs;
  if (o.shuffle !== undefined) {
    if (typeof o.shuffle !== 'boolean') c.fail('settings.shuffle', 'true or false', o.shuffle);
    s.shuffle = o.shuffle as boolean;
  }
  const lr = c.optNum(o, 'learningRate', 'settings.learningRate', 0, 1e6);
  if (lr !== undefined) s.learningRate = lr;
  if (o.validationData !== undefined) {
    if (o.validationData !== 'test') c.fail('settings.validationData', "'test'", o.validationData);
    s.validationData = 'test';
  }
  if (o.classWeight !== undefined) {
    const cw = c.obj(o.classWeight, 'settings.classWeight');
    const keys = Object.keys(cw);
    if (keys.length > 100_000) c.fail('settings.classWeight', 'at most 100000 classes', keys.length);
    s.classWeight = {};
    for (const k of keys) {
      if (!/^\d{1,9}$/.test(k)) c.fail('settings.classWeight', 'class indices as keys', k);
      s.classWeight[k] = c.num(cw[k], `settings.classWeight.${k}`, 0, 1e12);
    }
  }
  if (o.lrSchedule !== undefined) s.lrSchedule = lrSchedule(c, o.lrSchedule);
  const seed = c.optNum(o, 'seed', 'settings.seed', 0, 2 ** 32 - 1, { int: true });
  if (seed !== undefined) s.seed = seed;
  if (o.callbacks !== undefined) {
    s.callbacks = c.arr(o.callbacks, 'settings.callbacks', 100).map((x, i) => {
      const cb = c.obj(x, `settings.callbacks[${i}]`);
      const type = c.str(cb.type, `settings.callbacks[${i}].type`, 40);
      if (type === 'EarlyStopping')
        return { type, monitor: c.str(cb.monitor, `settings.callbacks[${i}].monitor`, 40), patience: c.num(cb.patience, `settings.callbacks[${i}].patience`, 0, 1e6, { int: true }), minDelta: c.num(cb.minDelta, `settings.callbacks[${i}].minDelta`, 0), mode: cb.mode === 'min' || cb.mode === 'max' ? cb.mode : 'auto', restoreBestWeights: cb.restoreBestWeights === true };
      if (type === 'ModelCheckpoint') return { type, monitor: c.str(cb.monitor, `settings.callbacks[${i}].monitor`, 40), saveBestOnly: cb.saveBestOnly === true, mode: cb.mode === 'min' || cb.mode === 'max' ? cb.mode : 'auto' };
      const f = `settings.callbacks[${i}]`;
      if (type === 'ReduceLROnPlateau')
        return { type, monitor: c.str(cb.monitor, `${f}.monitor`, 40), factor: c.num(cb.factor, `${f}.factor`, 0, 1), patience: c.num(cb.patience, `${f}.patience`, 0, 1e6), minDelta: c.num(cb.minDelta, `${f}.minDelta`, -1e12, 1e12), cooldown: c.num(cb.cooldown, `${f}.cooldown`, 0, 1e6), minLr: c.num(cb.minLr, `${f}.minLr`, 0, 1e6), mode: cb.mode === 'min' || cb.mode === 'max' ? cb.mode : 'auto' };
      if (type === 'LearningRateScheduler') return { type, schedule: c.str(cb.schedule, `${f}.schedule`, 200), epochLr: c.arr(cb.epochLr, `${f}.epochLr`, MAX_EPOCHS).map((x, j) => c.num(x, `${f}.epochLr[${j}]`, 0, 1e6)) };
      if (type === 'invalid') return { type, name: c.str(cb.name, `${f}.name`, 200), message: c.str(cb.message, `${f}.message`, 2000) };
      return { type: 'unsupported' as const, name: c.str(cb.name ?? type, `settings.callbacks[${i}].name`, 200) };
    });
  }
  return s;
}

const SCHEDULE_FIELDS: Record<string, string[]> = {
  ExponentialDecay: ['initialLearningRate', 'decaySteps', 'decayRate'],
  InverseTimeDecay: ['initialLearningRate', 'decaySteps', 'decayRate'],
  CosineDecay: ['initialLearningRate', 'decaySteps', 'alpha', 'warmupSteps'],
  PolynomialDecay: ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power'],
};

function lrSchedule(c: Check, v: unknown): LrSchedule {
  const o = c.obj(v, 'settings.lrSchedule');
  const type = c.str(o.type, 'settings.lrSchedule.type', 40);
  if (type === 'PiecewiseConstantDecay') {
    const boundaries = c.arr(o.boundaries, 'settings.lrSchedule.boundaries', 10_000).map((x, j) => c.num(x, `settings.lrSchedule.boundaries[${j}]`, -1e15, 1e15));
    const values = c.arr(o.values, 'settings.lrSchedule.values', 10_001).map((x, j) => c.num(x, `settings.lrSchedule.values[${j}]`, -1e6, 1e6));
    if (values.length !== boundaries.length + 1) c.fail('settings.lrSchedule.values', 'one more entry than boundaries', values.length);
    return { type, boundaries, values };
  }
  const fields = SCHEDULE_FIELDS[type];
  if (!fields) c.fail('settings.lrSchedule.type', Object.keys(SCHEDULE_FIELDS).concat('PiecewiseConstantDecay').join(', '), type);
  const out: Record<string, unknown> = { type };
  for (const k of fields!) out[k] = c.num(o[k], `settings.lrSchedule.${k}`, -1e15, 1e15);
  if (type === 'CosineDecay') out.warmupTarget = o.warmupTarget === null || o.warmupTarget === undefined ? null : c.num(o.warmupTarget, 'settings.lrSchedule.warmupTarget', -1e6, 1e6);
  if (type === 'PolynomialDecay') out.cycle = o.cycle === true;
  else if (type !== 'CosineDecay') out.staircase = o.staircase === true;
  return out as unknown as LrSchedule;
}

function batches(c: Check, v: unknown): BatchPoint[] {
  return c.arr(v, 'batches', MAX_POINTS).map((x, i) => {
    const o = c.obj(x, `batches[${i}]`);
    const p: BatchPoint = {
      step: c.num(o.step, `batches[${i}].step`, 0, 1e12, { int: true }),
      epoch: c.num(o.epoch, `batches[${i}].epoch`, 0, MAX_EPOCHS, { int: true }),
      loss: c.num(o.loss, `batches[${i}].loss`, -Infinity, Infinity, { nullable: true }),
    };
    const acc = c.optNum(o, 'acc', `batches[${i}].acc`, 0, 1, { nullable: true });
    if (acc !== undefined) p.acc = acc;
    return p;
  });
}

function epochs(c: Check, v: unknown): EpochMetrics[] {
  return c.arr(v, 'epochs', MAX_POINTS).map((x, i) => {
    const o = c.obj(x, `epochs[${i}]`);
    const f = `epochs[${i}]`;
    const m: EpochMetrics = {
      epoch: c.num(o.epoch, `${f}.epoch`, 0, MAX_EPOCHS, { int: true }),
      loss: c.num(o.loss, `${f}.loss`, -Infinity, Infinity, { nullable: true }),
      durationMs: c.num(o.durationMs, `${f}.durationMs`, 0),
    };
    for (const k of ['acc', 'valLoss', 'valAcc'] as const) {
      const n = c.optNum(o, k, `${f}.${k}`, k === 'valLoss' ? -Infinity : 0, k === 'valLoss' ? Infinity : 1, { nullable: true });
      if (n !== undefined) m[k] = n;
    }
    const lr = c.optNum(o, 'lr', `${f}.lr`, 0, 1e6);
    if (lr !== undefined) m.lr = lr;
    return m;
  });
}

/** The IR's structure (what the worker and the panel index into); layer configs stay plain JSON. */
function model(c: Check, v: unknown): ModelIR {
  const o = c.obj(v, 'model');
  c.str(o.name, 'model.name', 1000);
  const layers = c.arr(o.layers, 'model.layers', MAX_LAYERS);
  layers.forEach((x, i) => {
    const l = c.obj(x, `model.layers[${i}]`);
    c.str(l.name, `model.layers[${i}].name`, 1000);
    c.str(l.type, `model.layers[${i}].type`, 200);
    c.obj(l.config, `model.layers[${i}].config`);
    c.arr(l.inputs, `model.layers[${i}].inputs`, MAX_LAYERS).forEach((n, j) => c.str(n, `model.layers[${i}].inputs[${j}]`, 1000));
    c.num(l.params, `model.layers[${i}].params`, 0, 1e13, { int: true });
    if (l.callTraining !== undefined && typeof l.callTraining !== 'boolean') c.fail(`model.layers[${i}].callTraining`, 'true or false', l.callTraining);
    if (l.outputShape !== null && l.outputShape !== undefined) c.arr(l.outputShape, `model.layers[${i}].outputShape`, 32).forEach((d, j) => d === null || c.num(d, `model.layers[${i}].outputShape[${j}]`, 0, 1e12, { int: true }));
  });
  c.arr(o.inputs, 'model.inputs', MAX_LAYERS).forEach((n, j) => c.str(n, `model.inputs[${j}]`, 1000));
  c.arr(o.outputs, 'model.outputs', MAX_LAYERS).forEach((n, j) => c.str(n, `model.outputs[${j}]`, 1000));
  c.num(o.totalParams, 'model.totalParams', 0, 1e13, { int: true });
  c.obj(o.training ?? {}, 'model.training');
  if (o.diagnostics !== undefined) c.arr(o.diagnostics, 'model.diagnostics', MAX_POINTS);
  return o as unknown as ModelIR;
}

/** A checked model IR (the `model` of a run.json of `file`), on its own. */
export function validateRunModel(data: unknown, file: string): ModelIR {
  return model(new Check(file), data);
}

/**
 * A checked `RunRecord` from the parsed content of `file`. Unknown fields are dropped; `weightsDir`
 * is not taken from the file (the caller sets it from the run folder).
 */
/** A run's batch curve (run.json's `batches`), checked as `validateRunRecord` checks it. */
export function validateBatchPoints(data: unknown, file: string): BatchPoint[] {
  return batches(new Check(file), data);
}

export function validateRunRecord(data: unknown, file: string): RunRecord {
  const c = new Check(file);
  const o = c.obj(data, '(top level)');
  const id = c.str(o.id, 'id', 200);
  if (!/^[\w.-]+$/.test(id)) c.fail('id', 'letters, digits, "-", "_" or "."', id);
  const status = c.str(o.status, 'status', 20) as RunStatus;
  if (!STATUSES.includes(status)) c.fail('status', STATUSES.join(', '), status);
  const r: RunRecord = {
    id,
    modelName: c.str(o.modelName, 'modelName', 1000),
    modelFile: c.str(o.modelFile, 'modelFile', 4096),
    modelHash: c.str(o.modelHash, 'modelHash', 128),
    status,
    startedAt: c.date(o.startedAt, 'startedAt'),
    settings: settings(c, o.settings),
    batches: batches(c, o.batches ?? []),
    epochs: epochs(c, o.epochs ?? []),
  };
  if (o.finishedAt !== undefined) r.finishedAt = c.date(o.finishedAt, 'finishedAt');
  if (o.heartbeatAt !== undefined) r.heartbeatAt = c.date(o.heartbeatAt, 'heartbeatAt');
  if (o.backend !== undefined) {
    if (!BACKENDS.includes(o.backend as never)) c.fail('backend', BACKENDS.join(', '), o.backend);
    r.backend = o.backend as RunRecord['backend'];
  }
  const stopped = c.optNum(o, 'stoppedEarly', 'stoppedEarly', 1, MAX_EPOCHS, { int: true });
  if (stopped !== undefined) r.stoppedEarly = stopped;
  const we = c.optNum(o, 'weightsEpoch', 'weightsEpoch', 1, MAX_EPOCHS, { int: true });
  if (we !== undefined) r.weightsEpoch = we;
  const threads = c.optNum(o, 'threads', 'threads', 1, 1024, { int: true });
  if (threads !== undefined) r.threads = threads;
  const reason = c.optStr(o, 'backendReason', 'backendReason', 2000);
  if (reason !== undefined) r.backendReason = reason;
  if (o.test !== undefined) {
    const t = c.obj(o.test, 'test');
    r.test = { loss: c.num(t.loss, 'test.loss', -Infinity, Infinity, { nullable: true }), acc: c.num(t.acc, 'test.acc', 0, 1, { nullable: true }), samples: c.num(t.samples, 'test.samples', 0, 1e12, { int: true }) };
  }
  const sps = c.optNum(o, 'trainSamplesPerSec', 'trainSamplesPerSec', 0, Infinity, { nullable: true });
  if (sps !== undefined && !Number.isNaN(sps)) r.trainSamplesPerSec = sps;
  const dur = c.optNum(o, 'durationMs', 'durationMs', 0);
  if (dur !== undefined) r.durationMs = dur;
  const error = c.optStr(o, 'error', 'error', 10_000);
  if (error !== undefined) r.error = error;
  if (o.model !== undefined) r.model = model(c, o.model);
  const pid = c.optNum(o, 'pid', 'pid', 1, 2 ** 32, { int: true });
  if (pid !== undefined) r.pid = pid;
  const host = c.optStr(o, 'host', 'host', 256);
  if (host !== undefined) r.host = host;
  const snap = c.optStr(o, 'sourceSnapshot', 'sourceSnapshot', 200);
  if (snap !== undefined) {
    if (!/^[\w][\w.-]*$/.test(snap)) c.fail('sourceSnapshot', 'a plain file name inside the run folder', snap);
    r.sourceSnapshot = snap;
  }
  if (o.warnings !== undefined) r.warnings = c.arr(o.warnings, 'warnings', 20).map((w, i) => c.str(w, `warnings[${i}]`, 2000));
  const label = c.optStr(o, 'label', 'label', 200);
  if (label !== undefined) r.label = label;
  const note = c.optStr(o, 'note', 'note', 10_000);
  if (note !== undefined) r.note = note;
  if (o.pinned !== undefined) r.pinned = o.pinned === true;
  if (o.weightsDir !== undefined) c.str(o.weightsDir, 'weightsDir', 4096);
  return r;
}
