// Data-parallel training on the wasm backend: a batch is split between the caller's thread and a
// replica worker thread (its own tfjs engine + single-threaded wasm instance + copy of the model).
// Both compute loss and gradients on their rows at the same time; the caller averages the
// gradients (weighted by rows, so the result equals the full-batch gradient up to dropout's
// randomness), applies them with the model's own optimizer, and shares the new weights with the
// replica through shared memory. Uses both cores of a 2-core machine for every part of a step
// (XNNPACK threads only speed up the convolutions and products themselves).
//
//   const trainer = await DataParallelTrainer.start(model, { wasmDir });
//   const [loss, acc] = await trainer.trainOnBatch(x, y);   // like model.trainOnBatch
//   await trainer.stop();
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { computeStep, trainableVariables } from './gradients';
import type { FromReplica, ReplicaStep, ToReplica } from './protocol';
import { offsets, sharedFloats, totalSize } from './shared-buffers';

export interface DataParallelOptions {
  /** Folder of the tfjs-backend-wasm *.wasm files (default: next to the bundle, else node_modules). */
  wasmDir?: string;
  /** Script the replica thread runs (default: dist/replica.js next to the bundle, or replica-main.ts in development). */
  replicaScript?: string;
  /** Compile settings for the replica; default: the model's loss and metric names. */
  loss?: string | string[];
  metrics?: string[];
  /** Batches smaller than this are trained on the caller's thread alone (default 8). */
  minRowsToSplit?: number;
}

function defaultReplicaScript(): string {
  const here = typeof __dirname !== 'undefined' ? __dirname : process.cwd();
  if (typeof __filename !== 'undefined' && __filename.endsWith('.ts')) return path.join(here, 'replica-main.ts');
  return path.join(here, 'replica.js');
}

/** A .ts script (development, under tsx) is started through tsx's require hook. */
function startWorker(script: string): Worker {
  if (!script.endsWith('.ts')) return new Worker(script);
  const tsx = require.resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true });
}

type Rows = { data: Float32Array; shape: number[]; dtype: 'float32' | 'int32' };

export class DataParallelTrainer {
  private pending: { resolve: (m: FromReplica) => void; reject: (e: Error) => void } | undefined;
  private weightsDirty = true;
  private failed: Error | undefined;
  private rowBuffers: Float32Array[] = [];

  private constructor(
    private readonly model: tfl.LayersModel,
    private readonly worker: Worker,
    private readonly weights: Float32Array,
    private readonly grads: Float32Array,
    private readonly minRows: number,
    /** What the replica runs on, e.g. "wasm (SIMD build, 1 thread)". */
    readonly replicaBackend: string,
  ) {
    worker.on('message', (m: FromReplica) => {
      const p = this.pending;
      this.pending = undefined;
      if (!p) return;
      if (m.cmd === 'error') p.reject(new Error(`data-parallel replica failed: ${m.message}`));
      else p.resolve(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`data-parallel replica exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
  }

  private request(msg: ToReplica): Promise<FromReplica> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(msg);
    });
  }

  /** Starts the replica thread with a copy of the compiled `model` (weights are synced at each step). */
  static async start(model: tfl.LayersModel, opts: DataParallelOptions = {}): Promise<DataParallelTrainer> {
    const m = model as unknown as { loss: string | string[]; metricsNames: string[]; outputs: unknown[] };
    const loss = opts.loss ?? m.loss;
    if (typeof loss !== 'string' && !(Array.isArray(loss) && loss.every((l) => typeof l === 'string'))) {
      throw new Error('data-parallel training needs a loss given by name');
    }
    const metrics = opts.metrics ?? (m.outputs.length === 1 ? m.metricsNames.slice(1) : []);
    const weightShapes = model.weights.map((w) => w.shape as number[]);
    const trainableShapes = trainableVariables(model).map((v) => v.shape);
    const weights = sharedFloats(totalSize(weightShapes));
    const grads = sharedFloats(totalSize(trainableShapes));
    const worker = startWorker(opts.replicaScript ?? defaultReplicaScript());
    const trainer = new DataParallelTrainer(model, worker, weights, grads, opts.minRowsToSplit ?? 8, '');
    const ready = await trainer.request({
      cmd: 'init',
      modelTopology: model.toJSON(null, false) as object,
      loss,
      metrics,
      wasmDir: opts.wasmDir,
      weightNames: model.weights.map((w) => w.originalName),
      weightShapes,
      trainableShapes,
      weights,
      grads,
    });
    (trainer as { replicaBackend: string }).replicaBackend = ready.cmd === 'ready' ? ready.backend : '';
    return trainer;
  }

  private writeWeights(): void {
    const offs = offsets(this.model.weights.map((w) => w.shape as number[]));
    this.model.weights.forEach((w, i) => this.weights.set(w.read().dataSync() as Float32Array, offs[i]!));
  }

  /** Copies rows [from, to) of `t` into a shared buffer (reused between steps). */
  private rows(t: tf.Tensor, from: number, to: number, slot: number): Rows {
    const per = t.size / t.shape[0]!;
    const n = (to - from) * per;
    let buf = this.rowBuffers[slot];
    if (!buf || buf.length < n) buf = this.rowBuffers[slot] = sharedFloats(n);
    const src = t.dataSync();
    const view = new Float32Array(buf.buffer, 0, n);
    for (let i = 0; i < n; i++) view[i] = src[from * per + i]!;
    return { data: view, shape: [to - from, ...t.shape.slice(1)], dtype: t.dtype === 'int32' ? 'int32' : 'float32' };
  }

  /**
   * One training step on the batch (xs, ys), split between this thread and the replica.
   * Returns [loss, ...metrics] like LayersModel.trainOnBatch.
   */
  async trainOnBatch(x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[]): Promise<number[]> {
    const xs = Array.isArray(x) ? x : [x];
    const ys = Array.isArray(y) ? y : [y];
    const n = xs[0]!.shape[0]!;
    if (!this.model.optimizer) throw new Error('the model has no optimizer: compile it first');
    if (n < this.minRows || this.failed) {
      const own = computeStep(this.model, xs, ys);
      this.apply(own.grads);
      return own.values;
    }
    const mine = Math.ceil(n / 2);
    if (this.weightsDirty) this.writeWeights();
    const step: ReplicaStep = {
      cmd: 'step',
      xs: xs.map((t, i) => this.rows(t, mine, n, i)),
      ys: ys.map((t, i) => this.rows(t, mine, n, xs.length + i)),
      weightsChanged: this.weightsDirty,
    };
    const reply = this.request(step);
    const sx = xs.map((t) => tf.slice(t, 0, mine));
    const sy = ys.map((t) => tf.slice(t, 0, mine));
    const own = computeStep(this.model, sx, sy);
    tf.dispose([...sx, ...sy]);
    let theirs: FromReplica;
    try {
      theirs = await reply;
    } catch (e) {
      tf.dispose(own.grads);
      throw e;
    }
    if (theirs.cmd !== 'done') throw new Error('data-parallel replica: unexpected reply');
    const a = mine / n;
    const b = (n - mine) / n;
    const vars = trainableVariables(this.model);
    const offs = offsets(vars.map((v) => v.shape));
    const avg = tf.tidy(() =>
      own.grads.map((g, i) => {
        const other = tf.tensor(this.grads.subarray(offs[i]!, offs[i]! + g.size), g.shape);
        return tf.add(tf.mul(g, a), tf.mul(other, b));
      }),
    );
    tf.dispose(own.grads);
    this.apply(avg);
    return own.values.map((v, i) => a * v + b * (theirs.values[i] ?? v));
  }

  private apply(grads: tf.Tensor[]): void {
    const vars = trainableVariables(this.model);
    const named: tf.NamedTensorMap = {};
    vars.forEach((v, i) => (named[v.name] = grads[i]!));
    this.model.optimizer.applyGradients(named);
    tf.dispose(grads);
    this.weightsDirty = true;
  }

  /** Stops the replica thread. */
  async stop(): Promise<void> {
    if (this.failed) return;
    this.failed = new Error('stopped');
    this.worker.postMessage({ cmd: 'stop' } satisfies ToReplica);
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => void this.worker.terminate().then(() => resolve()), 2000);
      this.worker.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
