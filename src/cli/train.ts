/**
 * `model-lens train FILE [--model NAME] [--epochs N] [--batch-size N] [--limit N]
 *   [--data(set) mnist|fashion-mnist|cifar10|cifar100|cifar100-coarse|PATH] [--backend auto|tensorflow|wasm|cpu] [--save DIR] [--json]
 *   [--seed N] [--test-limit N] [--predict-first N] [--profile]`
 * Trains in the worker with a progress bar (plain lines when not a terminal; JSON lines with --json).
 */
import path from 'node:path';
import type { BatchEvent, EpochEvent } from '../core/protocol/worker';
import type { RunRecord, TrainSettings } from '../core/run/record';
import { cleanLeftovers, defaultRunsRoot, newRunId, readRunRecord, settleOnThisMachine, writeRunRecord } from '../core/run/store';
import { loadAnyModel } from './saved-model-arg';
import { describeCallback } from '../core/run/callbacks';
import { describeSchedule } from '../core/train/lr-schedules';
import { trainingBlocker } from '../core/keras/layer-table';
import { addTimes, emptyTimes, formatShares, totalMs } from '../core/train/step-times';
import type { ModelIR, TrainingConfig } from '../core/model/ir';
import { withoutCompile } from '../core/train/loss-source';
import { backendChoice, dataFlag, datasetArg, fmtDuration, int, ModelFileError, parseArgs, runCommand, startEngine, stdio, str, UsageError, type CliIO, type Parsed } from './engine-session';

export const trainUsage =
  'model-lens train FILE [--model NAME] [--epochs N] [--batch-size N] [--limit N] [--data(set) mnist|fashion-mnist|cifar10|cifar100|cifar100-coarse|PATH] [--backend auto|tensorflow|wasm|cpu] [--save DIR] [--input-scale X] [--json] [--seed N] [--test-limit N] [--predict-first N] [--profile]';

function bar(progress: number, width: number): string {
  const full = Math.round(progress * width);
  return '█'.repeat(full) + '░'.repeat(Math.max(0, width - full));
}

export function batchLine(b: BatchEvent, columns: number): string {
  const pct = `${Math.floor(b.progress * 100)}%`.padStart(4);
  const tail = ` ${pct} ${b.batch}/${b.batchesPerEpoch} loss ${b.loss.toFixed(4)}${b.acc !== undefined ? ` acc ${b.acc.toFixed(4)}` : ''} · ${Math.round(b.samplesPerSec)} samples/s · ETA ${fmtDuration(b.etaSec)}`;
  const head = `epoch ${b.epoch}/${b.epochs} `;
  const width = Math.max(10, Math.min(30, columns - head.length - tail.length - 3));
  return `${head}[${bar(b.progress, width)}]${tail}`;
}

/** What the file's fit()/compile() add to plain training, said before it starts. */
export function fitAsWritten(s: TrainSettings): string {
  const parts: string[] = [];
  if (s.validationData === 'test') parts.push(`validation_data: the test split${s.testLimit ? ` (first ${s.testLimit})` : ''}`);
  if (s.classWeight) parts.push(`class_weight ${Object.entries(s.classWeight).map(([k, w]) => `${k}: ${w}`).join(', ')}`);
  if (s.shuffle === false) parts.push('shuffle=False');
  if (s.lrSchedule) parts.push(`learning rate ${describeSchedule(s.lrSchedule)} per step`);
  for (const c of s.callbacks ?? []) parts.push(describeCallback(c));
  return parts.join(' · ');
}

/** A learning rate with float32's significant digits: 0.001, 0.000316228. */
export function formatRate(lr: number): string {
  return String(Number(lr.toPrecision(6)));
}

export function epochLine(e: EpochEvent): string {
  const parts = [`epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}`];
  if (e.acc !== undefined) parts.push(`acc ${e.acc.toFixed(4)}`);
  if (e.valLoss !== undefined) parts.push(`val_loss ${e.valLoss.toFixed(4)}`);
  if (e.valAcc !== undefined) parts.push(`val_acc ${e.valAcc.toFixed(4)}`);
  if (e.lr !== undefined) parts.push(`lr ${formatRate(e.lr)}`);
  parts.push(fmtDuration(e.durationMs / 1000));
  return parts.join(' · ');
}

/** Mark a run whose worker died as failed (its last saved weights stay listed). */
function markCrashed(runDir: string, message: string): void {
  const r = readRunRecord(runDir);
  if (r && r.status === 'running') writeRunRecord(runDir, { ...r, status: 'failed', error: message, finishedAt: new Date().toISOString() });
}

/** The run's settings: the options given, else what the file says, else Keras's defaults. */
/** A layer TF.js cannot build: say which and why before starting the engine. */
export function assertTrainable(file: string, ir: ModelIR): void {
  const blocked = trainingBlocker(ir);
  if (blocked) throw new ModelFileError(`${file}: model '${ir.name}' cannot be trained: ${blocked.message}`);
}

/** `fit(...)` arguments or callbacks the reader could not work out: say where, before starting the engine. */
export function assertRunnable(file: string, ir: ModelIR): void {
  const errors = [...(ir.training.fitErrors ?? [])];
  for (const c of ir.training.callbacks ?? []) if (c.type === 'invalid' && !errors.some((e) => e.message === c.message)) errors.push({ line: c.line ?? 0, message: c.message });
  if (errors.length) throw new ModelFileError(errors.map((e) => `${file}:${e.line}: ${e.message}`).join('\n'));
}

export function settingsFromArgs(p: Parsed, t: TrainingConfig): TrainSettings {
  const settings: TrainSettings = {
    epochs: int(p, 'epochs') ?? t.epochs ?? 1,
    batchSize: int(p, 'batch-size') ?? t.batchSize ?? 32,
    dataset: datasetArg(dataFlag(p), t.dataset ?? t.dataPath),
  };
  const limit = int(p, 'limit');
  if (limit !== undefined) settings.limit = limit;
  const testLimit = int(p, 'test-limit');
  if (testLimit !== undefined) settings.testLimit = testLimit;
  const seed = int(p, 'seed', 0) ?? t.seed;
  if (seed !== undefined) {
    if (seed > 0xffffffff) throw new UsageError(`--seed must be at most 4294967295 (got ${seed})`);
    settings.seed = seed;
  }
  if (t.validationSplit !== undefined) settings.validationSplit = t.validationSplit;
  if (t.validationData) settings.validationData = t.validationData;
  if (t.classWeight && Object.keys(t.classWeight).length) settings.classWeight = t.classWeight;
  if (t.shuffle !== undefined) settings.shuffle = t.shuffle;
  if (t.callbacks?.length) settings.callbacks = t.callbacks;
  if (t.optimizer?.schedule) settings.lrSchedule = t.optimizer.schedule;
  const lr = str(p, 'lr');
  if (lr !== undefined) {
    if (!(Number(lr) > 0)) throw new UsageError(`--lr must be a positive number (got '${lr}')`);
    if (settings.lrSchedule) throw new UsageError(`--lr cannot replace the file's ${settings.lrSchedule.type} learning-rate schedule (line ${t.compileLine ?? '?'}); change the schedule in the file`);
    if (t.callbacks?.some((c) => c.type === 'LearningRateScheduler')) throw new UsageError(`--lr cannot be used with the file's LearningRateScheduler, which sets the learning rate each epoch; change the schedule in the file`);
    settings.learningRate = Number(lr);
  }
  return settings;
}

export function trainCommand(argv: string[], io: CliIO = stdio): Promise<number> {
  return runCommand(io, async () => {
    const p = parseArgs(argv, ['model', 'epochs', 'batch-size', 'limit', 'dataset', 'data', 'backend', 'save', 'seed', 'test-limit', 'predict-first', 'lr', 'input-scale'], ['json', 'profile']);
    const profile = p.flags.has('profile');
    const json = p.flags.has('json');
    const file = p.positional[0];
    if (!file || p.positional.length > 1) throw new UsageError(`usage: ${trainUsage}`);
    const m = await loadAnyModel(file, str(p, 'model'), io, str(p, 'input-scale'));
    assertTrainable(file, m.ir);
    const settings = settingsFromArgs(p, m.ir.training);
    assertRunnable(m.file, m.ir);
    const predictFirst = int(p, 'predict-first', 0) ?? 0;
    const runId = newRunId();
    const save = str(p, 'save');
    const runDir = save ? path.resolve(save) : path.join(defaultRunsRoot(process.cwd()), runId);
    // What killed trainings left behind (temp folders of dead processes) goes at the next start.
    if (!save) cleanLeftovers(defaultRunsRoot(process.cwd()));
    // A finished run already in --save DIR is replaced (said, not silent); a live one refuses (the worker's lock).
    const found = save ? readRunRecord(runDir) : undefined;
    const earlier = found ? settleOnThisMachine([found])[0] : undefined;
    if (earlier && earlier.status !== 'running') io.err(`note: ${save} holds run ${earlier.id} (${earlier.status}); this training replaces it`);

    const { client, backend } = await startEngine(backendChoice(p), io, { quiet: json });
    let interrupted = 0;
    const onSigint = () => {
      interrupted++;
      if (interrupted === 1) {
        io.err('\nstopping after this batch… (Ctrl+C again to kill)');
        void client.request('cancel', { runId }).catch(() => undefined);
      } else void client.dispose();
    };
    process.on('SIGINT', onSigint);
    try {
      let lastPlain = 0;
      // --profile: each event carries mean phase times over the steps since the previous one.
      const phases = emptyTimes();
      let lastStep = 0;
      client.on('batch', (b) => {
        if (b.time) addTimes(phases, b.time, b.step - lastStep);
        lastStep = b.step;
        if (json) {
          const { points: _points, ...shown } = b;
          io.out(JSON.stringify({ event: 'batch', ...shown }));
        }
        else if (io.tty) io.status(batchLine(b, io.columns));
        else if (Date.now() - lastPlain > 5000 || b.batch === b.batchesPerEpoch) {
          lastPlain = Date.now();
          io.out(batchLine(b, 60));
        }
      });
      client.on('epoch', (e) => {
        if (json) {
          const { runId: _r, epochs: _n, durationMs: _d, ...rest } = e;
          io.out(JSON.stringify({ event: 'epoch', ...rest, durationMs: e.durationMs }));
        } else {
          if (io.tty) io.status('');
          io.out(epochLine(e));
        }
      });
      if (!json) {
        io.out(`training ${m.ir.name} (${path.relative(process.cwd(), m.file) || m.file}) on ${settings.dataset}: ${settings.epochs} epoch(s), batch ${settings.batchSize}${settings.limit ? `, first ${settings.limit} samples` : ''}`);
        const asWritten = fitAsWritten(settings);
        if (asWritten) io.out(`from fit(): ${asWritten}`);
        const lossAndOptimizer = withoutCompile(m.ir.training);
        if (lossAndOptimizer && !m.savedFile) io.out(lossAndOptimizer);
      }
      // A saved model continues from its own weights (fine-tuning; layers saved as not trainable stay frozen).
      // Its run keeps no source snapshot: the file is binary, and restoring a config text over it would break it.
      if (m.savedFile && !json) io.out(`starting from the weights in ${m.savedFile}${m.savedBy ? ` (saved by ${m.savedBy})` : ''}`);
      const { modelId } = await client.request('loadModel', { model: m.ir, ...(m.savedFile ? { savedFile: m.savedFile } : {}) });
      let record: RunRecord;
      try {
        record = await client.request('train', { modelId, runId, settings, runDir, modelFile: m.file, modelHash: m.hash, ...(m.savedFile ? {} : { sourceText: m.text }) });
      } catch (e) {
        if (client.crash) markCrashed(runDir, client.crash.message);
        throw e;
      }
      if (io.tty && !json) io.status('');
      const savedTo = record.weightsDir ?? runDir;
      let predictions: { predicted: number[]; labels: number[] } | undefined;
      if (predictFirst > 0 && record.status === 'completed') {
        const s = await client.request('samples', { dataset: settings.dataset, split: 'test', start: 0, count: predictFirst, modelId });
        const predicted: number[] = [];
        for (let i = 0; i < s.count; i++) {
          const row = Array.from(s.probs!.subarray(i * s.numClasses, (i + 1) * s.numClasses));
          predicted.push(row.indexOf(Math.max(...row)));
        }
        predictions = { predicted, labels: Array.from(s.labels) };
      }
      if (json) {
        const done: Record<string, unknown> = {
          event: 'done',
          status: record.status,
          testLoss: record.test?.loss,
          testAcc: record.test?.acc,
          trainSamplesPerSec: record.trainSamplesPerSec,
          backend: backend.backend,
          savedTo,
          runDir,
          durationMs: record.durationMs,
        };
        if (predictions) done.predictions = predictions.predicted;
        if (profile && lastStep > 0) done.stepTimeMs = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v / lastStep]));
        if (record.stoppedEarly) done.stoppedEarly = record.stoppedEarly;
        io.out(JSON.stringify(done));
      } else {
        if (record.status === 'cancelled') io.out(`cancelled after ${record.epochs.length} epoch(s)${record.weightsDir ? `; last saved weights: ${record.weightsDir}` : '; no weights saved'}`);
        if (record.stoppedEarly) io.out(`EarlyStopping ended training after epoch ${record.stoppedEarly} of ${settings.epochs}${record.weightsEpoch && record.weightsEpoch !== record.stoppedEarly ? `; the weights kept are those of epoch ${record.weightsEpoch} (ModelCheckpoint, best only)` : ''}`);
        if (record.test) io.out(`test loss ${record.test.loss.toFixed(4)} · test accuracy ${record.test.acc.toFixed(4)} (${record.test.samples} samples)`);
        io.out(`${Math.round(record.trainSamplesPerSec ?? 0)} samples/s on ${backend.backend} · ${fmtDuration((record.durationMs ?? 0) / 1000)}`);
        if (profile && lastStep > 0) io.out(`time per step ${(totalMs(phases) / lastStep).toFixed(1)} ms: ${formatShares(phases)}`);
        io.out(`savedTo: ${savedTo}`);
        if (predictions) {
          const agree = predictions.predicted.filter((v, i) => v === predictions!.labels[i]).length;
          io.out(`first ${predictions.predicted.length} test images:`);
          io.out(`  predicted ${predictions.predicted.join(' ')}`);
          io.out(`  labels    ${predictions.labels.join(' ')}`);
          io.out(`  ${agree}/${predictions.predicted.length} correct`);
        }
      }
      return record.status === 'completed' ? 0 : record.status === 'cancelled' ? 130 : 1;
    } finally {
      process.off('SIGINT', onSigint);
      await client.dispose();
    }
  });
}
