/**
 * The training loop: seeded shuffle, batches through `trainOnBatch`, progress events (each batch,
 * at most every 50 ms, so well under the 100 ms promise when batches are fast), validation and a
 * weights save at each epoch end, cancel checked between batches, a final test evaluation, and
 * run.json rewritten atomically at each step so a crash leaves the last good record.
 */
import os from 'node:os';
import type { DatasetSplits, ImageSet } from '../core/data/image-set';
import { sliceSet, takeFirst } from '../core/data/image-set';
import type { BatchEvent, BackendInfo, EpochEvent, WorkerEvents } from '../core/protocol/worker';
import type { BatchPoint, RunRecord, TrainSettings } from '../core/run/record';
import { BatchSampler, epochMetrics } from '../core/run/run-model';
import { EpochCallbacks } from '../core/run/callbacks';
import { HEARTBEAT_MS, writeRunRecord } from '../core/run/store';
import type { BuiltModel } from './build-model';
import { compile } from './build-model';
import { StepProfiler } from './step-profile';
import { checkInputFits, inputBatch, labelBatch } from './tensors';
import { adaptNormalization } from './custom-layers';
import { tf } from './tf';
import { saveWeights } from './weights';
import { modelKindOf } from '../core/saved/model-classes';
import { seededRandom } from './seeded-random';
import { setLearningRate } from './learning-rate';
import { describeSchedule, scheduleAt } from '../core/train/lr-schedules';
import { batchNormWarmup } from '../core/train/batch-norm-warmup';

export type Emit = <E extends keyof WorkerEvents & string>(event: E, data: WorkerEvents[E]) => void;

export { seededRandom };

export function shuffleInPlace(order: Int32Array, rand: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/** Loss and accuracy over a whole set, in batches. */
export async function evaluateSet(built: BuiltModel, set: ImageSet, batchSize: number): Promise<{ loss: number; acc: number; samples: number }> {
  let loss = 0;
  let acc = 0;
  for (let from = 0; from < set.count; from += batchSize) {
    const to = Math.min(set.count, from + batchSize);
    const x = inputBatch(set, null, from, to, built);
    const y = labelBatch(set, null, from, to, built);
    const out = built.model.evaluate(x, y, { batchSize: to - from });
    const scalars = Array.isArray(out) ? out : [out];
    const values = await Promise.all(scalars.map((s) => s.data()));
    loss += values[0]![0]! * (to - from);
    acc += (values[1]?.[0] ?? 0) * (to - from);
    tf.dispose([x, y, ...scalars]);
    await new Promise((r) => setImmediate(r)); // keep IPC responsive
  }
  return { loss: set.count ? loss / set.count : NaN, acc: set.count ? acc / set.count : NaN, samples: set.count };
}

export interface TrainJob {
  built: BuiltModel;
  dataset: DatasetSplits;
  runId: string;
  runDir: string;
  modelFile: string;
  modelHash: string;
  settings: TrainSettings;
  backend: BackendInfo;
  emit: Emit;
  isCancelled(): boolean;
  /** Told the global step after each batch. */
  onStep?(step: number): void;
  /** File name (in runDir) of the model source snapshot, recorded in run.json. */
  sourceSnapshot?: string;
  /** The weights (moving statistics too) came from a saved file, not Keras's initializers. */
  startedFromSaved?: boolean;
}

export async function runTraining(job: TrainJob): Promise<RunRecord> {
  const { built, settings, emit, runId, runDir } = job;
  const started = Date.now();
  const record: RunRecord = {
    id: runId,
    modelName: built.ir.name,
    modelFile: job.modelFile,
    modelHash: job.modelHash,
    status: 'running',
    startedAt: new Date(started).toISOString(),
    settings,
    backend: job.backend.backend,
    backendReason: job.backend.reason,
    batches: [],
    epochs: [],
    model: built.ir,
    pid: process.pid,
    host: os.hostname(),
  };
  if (job.backend.threads !== undefined) record.threads = job.backend.threads;
  if (job.sourceSnapshot) record.sourceSnapshot = job.sourceSnapshot;
  let lastSave = 0;
  const save = () => {
    lastSave = Date.now();
    if (record.status === 'running') record.heartbeatAt = new Date(lastSave).toISOString();
    else delete record.heartbeatAt;
    writeRunRecord(runDir, record);
  };
  try {
    // fit(callbacks=[...]): EarlyStopping, ModelCheckpoint(save_best_only), ReduceLROnPlateau and
    // LearningRateScheduler; one the reader could not work out stops here, naming its line.
    const fitErrors = built.ir.training.fitErrors ?? [];
    if (fitErrors.length) throw Object.assign(new Error(`fit(...) cannot be run as written: ${fitErrors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`), { code: 'config' });
    const callbacks = new EpochCallbacks(settings.callbacks);
    if (settings.lrSchedule && settings.learningRate !== undefined && settings.learningRate !== scheduleAt(settings.lrSchedule, 0)) {
      throw Object.assign(new Error(`the learning rate is a ${settings.lrSchedule.type} schedule in the file; a fixed learning rate (${settings.learningRate}) cannot replace it — change the schedule in the file`), { code: 'config' });
    }
    const fileLr = built.ir.training.optimizer?.learningRate;
    if (settings.learningRate !== undefined && fileLr !== undefined && settings.learningRate !== fileLr && settings.callbacks?.some((c) => c.type === 'LearningRateScheduler')) {
      throw Object.assign(new Error(`the file's LearningRateScheduler sets the learning rate each epoch, worked out from the file's ${fileLr}; a different learning rate (${settings.learningRate}) cannot be used with it — change the schedule in the file`), { code: 'config' });
    }
    const classWeight = settings.classWeight && Object.keys(settings.classWeight).length ? settings.classWeight : undefined;
    const recompile = (settings.learningRate !== undefined && settings.learningRate !== built.learningRate) || classWeight !== undefined || built.classWeight !== undefined;
    if (classWeight) built.classWeight = classWeight;
    else delete built.classWeight;
    if (recompile) compile(built, built.ir.training, settings.learningRate);
    const all = takeFirst(job.dataset.train, settings.limit);
    checkInputFits(all, built, job.dataset.name);
    // Keras's Normalization.adapt(): statistics of the training inputs (the first 10,000 are plenty).
    adaptNormalization(built.model, () => inputBatch(all, null, 0, Math.min(all.count, 10000), built));
    // validation_data=(x_test, y_test) overrides validation_split, as in Keras.
    const nVal = settings.validationSplit && settings.validationData !== 'test' ? Math.floor(all.count * settings.validationSplit) : 0;
    const train = takeFirst(all, all.count - nVal);
    const test = takeFirst(job.dataset.test, settings.testLimit);
    const val: ImageSet | undefined = settings.validationData === 'test' ? test : nVal > 0 ? sliceSet(all, train.count, all.count) : undefined;
    if (train.count === 0) throw Object.assign(new Error(`no training samples (limit ${settings.limit}, validation split ${settings.validationSplit ?? 0}).`), { code: 'data' });
    save();
    emit('log', { level: 'info', runId, message: `training ${built.ir.name} on ${job.dataset.source}: ${train.count} samples${val ? `, ${val.count} for validation${settings.validationData === 'test' ? ' (the test split, validation_data)' : ''}` : ''}, ${settings.epochs} epoch(s), batch ${settings.batchSize}, ${built.optimizer} lr ${settings.lrSchedule ? describeSchedule(settings.lrSchedule) : built.learningRate}${classWeight ? `, class_weight ${JSON.stringify(classWeight)}` : ''}, backend ${job.backend.backend}` });

    const bs = Math.max(1, Math.floor(settings.batchSize));
    const bpe = Math.ceil(train.count / bs);
    const total = bpe * settings.epochs;
    const rand = seededRandom(settings.seed ?? (Math.random() * 2 ** 32) >>> 0);
    const order = Int32Array.from({ length: train.count }, (_, i) => i);
    const sampler = new BatchSampler();
    let unsent: BatchPoint[] = [];
    let step = 0;
    let trainMs = 0;
    let samplesSeen = 0;
    let lastEmit = 0;
    let cancelled = false;
    const profiler = new StepProfiler();
    for (const message of callbacks.notHonoured) emit('log', { level: 'warn', runId, message });
    // The learning rate actually used: the schedule's per step, the callbacks' per epoch.
    let lr = built.learningRate;
    // Said once, before the first result that uses BatchNormalization's moving statistics.
    let batchNormWarned = job.startedFromSaved === true; // saved moving statistics are not Keras's initial 0 and 1
    const warnUnsettledBatchNorm = () => {
      if (batchNormWarned) return;
      batchNormWarned = true;
      const message = batchNormWarmup(built.ir, step);
      if (!message) return;
      (record.warnings ??= []).push(message);
      emit('log', { level: 'warn', runId, message });
    };
    const classWeightOf = (label: number) => classWeight![String(label)] ?? 1; // Keras: classes not in the dict weigh 1

    outer: for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const epochStart = Date.now();
      const fromScheduler = callbacks.learningRateAtEpochBegin(epoch - 1);
      if (fromScheduler !== undefined) lr = fromScheduler;
      if (settings.shuffle !== false) shuffleInPlace(order, rand);
      let lossSum = 0;
      let accSum = 0;
      let hasAcc = false;
      let seen = 0;
      for (let b = 0; b < bpe; b++) {
        if (job.isCancelled()) {
          cancelled = true;
          break outer;
        }
        const from = b * bs;
        const to = Math.min(train.count, from + bs);
        const t0 = performance.now();
        const x = inputBatch(train, order, from, to, built);
        const y = labelBatch(train, order, from, to, built);
        if (classWeight) {
          const w = new Float32Array(to - from);
          for (let i = 0; i < w.length; i++) w[i] = classWeightOf(train.labels[order[from + i]!]!);
          built.batchWeights = tf.tensor1d(w);
        }
        // Keras's optimizer asks the schedule for the rate at its iteration count (0 for the first batch).
        if (settings.lrSchedule) lr = scheduleAt(settings.lrSchedule, step);
        setLearningRate(built.model.optimizer, lr);
        const t1 = performance.now();
        profiler.attach(built.model.optimizer); // re-compiles replace the optimizer
        let out: number | number[];
        try {
          out = await built.model.trainOnBatch(x, y);
        } finally {
          tf.dispose([x, y]);
          if (built.batchWeights) {
            built.batchWeights.dispose();
            built.batchWeights = null;
          }
        }
        const t2 = performance.now();
        profiler.step(t1 - t0, t2 - t1);
        trainMs += t2 - t0;
        const [loss, acc] = Array.isArray(out) ? out : [out];
        if (!Number.isFinite(loss)) emit('log', { level: 'warn', runId, message: `loss is ${loss} at step ${step + 1}: lower the learning rate.` });
        const n = to - from;
        step++;
        job.onStep?.(step);
        samplesSeen += n;
        seen += n;
        lossSum += loss! * n;
        if (acc !== undefined) {
          accSum += acc * n;
          hasAcc = true;
        }
        const point: BatchPoint = { step, epoch, loss: loss! };
        if (acc !== undefined) point.acc = acc;
        const recorded = sampler.add(record.batches, point);
        if (recorded) unsent.push(recorded);
        const now = Date.now();
        if (now - lastEmit >= 50 || b === bpe - 1) {
          lastEmit = now;
          const perSec = samplesSeen / (trainMs / 1000);
          const ev: BatchEvent = {
            runId,
            epoch,
            epochs: settings.epochs,
            batch: b + 1,
            batchesPerEpoch: bpe,
            step,
            loss: loss!,
            samplesPerSec: perSec,
            etaSec: ((total - step) * trainMs) / step / 1000,
            progress: step / total,
          };
          if (acc !== undefined) ev.acc = acc;
          const time = profiler.take();
          if (time) ev.time = time;
          ev.points = unsent;
          unsent = [];
          emit('batch', ev);
        }
        // The heartbeat: a run whose run.json stops changing (and whose pid is gone) was interrupted.
        if (now - lastSave >= HEARTBEAT_MS) save();
        // Let IPC messages (cancel) in between batches.
        await new Promise((r) => setImmediate(r));
      }
      const metrics: EpochEvent = { runId, epochs: settings.epochs, epoch, loss: lossSum / seen, durationMs: 0 };
      if (hasAcc) metrics.acc = accSum / seen;
      if (seen > 0) metrics.lr = Math.fround(lr); // as Keras logs it: the value of its float32 variable
      if (val) {
        warnUnsettledBatchNorm();
        const v = await evaluateSet(built, val, Math.max(bs, 256));
        metrics.valLoss = v.loss;
        metrics.valAcc = v.acc;
      }
      metrics.durationMs = Date.now() - epochStart;
      record.epochs.push(epochMetrics(metrics));
      const decision = callbacks.onEpochEnd(epochMetrics(metrics), Math.fround(lr)); // Keras reads its float32 variable
      for (const message of decision.messages) emit('log', { level: decision.stop || decision.learningRate !== undefined ? 'info' : 'warn', runId, message });
      if (decision.learningRate !== undefined) lr = decision.learningRate;
      if (decision.save) {
        record.weightsDir = await saveWeights(built.model, runDir, modelKindOf(built.ir));
        record.weightsEpoch = epoch;
      }
      record.trainSamplesPerSec = samplesSeen / (trainMs / 1000);
      if (decision.stop && epoch < settings.epochs) record.stoppedEarly = epoch;
      save();
      emit('epoch', metrics);
      if (decision.stop) break;
    }
    record.trainSamplesPerSec = trainMs > 0 ? samplesSeen / (trainMs / 1000) : undefined;
    if (cancelled) {
      record.status = 'cancelled';
      emit('log', { level: 'info', runId, message: `cancelled at step ${step}${record.weightsDir ? `; weights of epoch ${record.epochs.length} kept` : ''}` });
    } else {
      warnUnsettledBatchNorm();
      record.test = await evaluateSet(built, test, Math.max(bs, 256));
      record.status = 'completed';
    }
    record.finishedAt = new Date().toISOString();
    record.durationMs = Date.now() - started;
    save();
    emit('done', { runId, record });
    return record;
  } catch (e) {
    record.status = 'failed';
    record.error = (e as Error).message ?? String(e);
    record.finishedAt = new Date().toISOString();
    record.durationMs = Date.now() - started;
    try {
      save();
    } catch {
      /* the run folder itself is unwritable: the error below says why */
    }
    emit('error', { runId, message: record.error });
    if (typeof e === 'object' && e !== null) (e as { reported?: boolean }).reported = true;
    throw e;
  }
}
