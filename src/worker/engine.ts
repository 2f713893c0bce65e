/**
 * The worker's request handlers: models by id, datasets cached, training runs cancellable.
 * Independent of the transport (main.ts wires it to process IPC; tests can use memory transports).
 */
import os from 'node:os';
import type { Handlers } from '../core/protocol/rpc';
import type { BackendInfo, WorkerApi } from '../core/protocol/worker';
import type { RunRecord } from '../core/run/record';
import { currentBackend, initBackend } from './backend';
import { buildModel, type BuiltModel } from './build-model';
import { loadDataset } from './data/datasets';
import { activations, predict, samples } from './predict';
import { checkBatchFitsWasm, checkFitsWasm, guardFatal } from './fatal';
import { evaluateSet, runTraining, type Emit } from './train';
import { takeFirst } from '../core/data/image-set';
import { checkInputFits, inputBatch, labelBatch } from './tensors';
import { tf } from './tf';
import { loadWeightsInto, WeightsError } from './weights';
import { loadStartWeights } from './saved-weights';
import { h5ready } from '../core/saved/hdf5';
import { readSavedConfigSync } from '../core/saved/loaded-model';
import { withSeededMathRandom } from './seeded-random';
import { cleanRunDir, lockRunDir, writeSourceSnapshot } from '../core/run/store';

type Entry = BuiltModel & {
  /** The saved file whose weights this model started from (a saved model, or load_weights' file). */
  startFrom?: { file: string; kind: 'model' | 'weights' };
  /** The saved Keras config a model with nested models was built from (runs build it again from it). */
  savedConfig?: Record<string, import('../core/model/ir').ConfigValue>;
  activationModels?: Map<string, import('@tensorflow/tfjs-layers').LayersModel>;
  /** Runs training this model now. */
  training?: number;
  /** Dispose asked while training: done when the last run ends. */
  disposeWhenIdle?: boolean;
};

/** Frees a model's weights and optimizer slots. Activation sub-models share its layers and own no tensors. */
function disposeEntry(m: Entry): void {
  m.activationModels?.clear();
  m.model.optimizer?.dispose();
  m.model.dispose();
}

/** The saved config of a model file, when the model nests another model (only then is it built from it). */
async function nestedSavedConfig(ir: import('../core/model/ir').ModelIR, file: string) {
  if (!ir.layers.some((l) => l.type === 'Sequential' || l.type === 'Functional' || l.type === 'Model')) return undefined;
  await h5ready();
  try {
    return readSavedConfigSync(file).modelConfig;
  } catch (e) {
    throw new WeightsError(`${file}: ${(e as Error).message}`);
  }
}

export class Engine {
  private readonly models = new Map<string, Entry>();
  private readonly runs = new Map<string, { cancelled: boolean; step: number }>();
  /** Cancels that arrived before their run started (Ctrl+C while the model or data loads). */
  private readonly cancelledEarly = new Set<string>();
  private nextModel = 1;

  constructor(private readonly emit: Emit) {}

  private async backend(): Promise<BackendInfo> {
    return currentBackend() ?? initBackend('auto');
  }

  private model(id: string): Entry {
    const m = this.models.get(id);
    if (!m) throw Object.assign(new Error(`no model '${id}' in the worker (load it first; the worker may have restarted).`), { code: 'no-model' });
    return m;
  }

  /** Puts a new tfjs model behind an id (a run's fresh build), disposing the old one. */
  /** Puts `next` in `id`'s place and frees the model it replaces (when that one ends its run, if it trains). */
  private replaceModel(id: string, next: BuiltModel): void {
    const old = this.models.get(id);
    this.models.set(id, next);
    if (old && old.model !== next.model) {
      if (old.training) old.disposeWhenIdle = true;
      else disposeEntry(old);
    }
  }

  /**
   * The handlers, each guarded: a fatal backend error (wasm trapped or out of memory) ends the
   * request with a clear message and code 'worker-restart' — main.ts then ends the process once
   * that answer is sent, and the host starts a new worker for the next request.
   */
  handlers(): Handlers<WorkerApi> {
    return guardFatal(this.rawHandlers(), (p) => {
      const modelId = (p as { modelId?: unknown })?.modelId;
      const entry = typeof modelId === 'string' ? this.models.get(modelId) : undefined;
      return { backend: currentBackend()?.backend, params: entry ? entry.model.countParams() : (p as { model?: { totalParams?: number } })?.model?.totalParams };
    });
  }

  private rawHandlers(): Handlers<WorkerApi> {
    return {
      init: async ({ backend, nativeModulePath, threads }) => {
        const info = await initBackend(backend, nativeModulePath, threads);
        this.emit('log', { level: 'info', message: `backend: ${info.backend} (${info.reason}); ${os.cpus().length} cores` });
        return info;
      },
      loadModel: async ({ model, weightsDir, savedFile }) => {
        const backend = await this.backend();
        if (backend.backend === 'wasm') checkFitsWasm(model.totalParams, false);
        // A run's weights win; else the saved file opened, else what the source loads (load_model / load_weights).
        const start = savedFile ? { file: savedFile, kind: 'model' as const } : model.startWeights;
        const savedConfig = start?.kind === 'model' ? await nestedSavedConfig(model, start.file) : undefined;
        const built: Entry = await buildModel(model, {}, savedConfig);
        if (savedConfig) built.savedConfig = savedConfig;
        if (weightsDir) loadWeightsInto(built.model, weightsDir);
        else if (start) {
          try {
            await loadStartWeights(built.model, model, start);
          } catch (e) {
            disposeEntry(built);
            throw e;
          }
          built.startFrom = { file: start.file, kind: start.kind };
        }
        const id = `m${this.nextModel++}`;
        this.models.set(id, built);
        return { modelId: id, params: built.model.countParams() };
      },
      train: async ({ modelId, runId, settings, runDir, modelFile, modelHash, sourceText }): Promise<RunRecord> => {
        const backend = await this.backend();
        const built = this.model(modelId);
        if (backend.backend === 'wasm') {
          checkFitsWasm(built.model.countParams(), true);
          checkBatchFitsWasm(built.ir, built.model.countParams(), Math.min(settings.batchSize, settings.limit ?? Infinity), true);
        }
        if (this.runs.has(runId)) throw Object.assign(new Error(`run '${runId}' is already training.`), { code: 'busy' });
        const state = { cancelled: this.cancelledEarly.delete(runId), step: 0 };
        // One training per run folder: a second one into the same folder is refused while this one lives.
        const release = lockRunDir(runDir);
        this.runs.set(runId, state);
        try {
          cleanRunDir(runDir);
          const sourceSnapshot = sourceText !== undefined ? writeSourceSnapshot(runDir, modelFile, sourceText) : undefined;
          return await withSeededMathRandom(settings.seed, async () => {
            // Every run starts from freshly initialised weights, as Keras's fit() on a new model
            // (never from what an earlier run of the same loaded model left); seeded when asked.
            const fresh: Entry = await buildModel(built.ir, {}, built.savedConfig);
            if (built.savedConfig) fresh.savedConfig = built.savedConfig;
            // A saved model's runs fine-tune: they start from the file's weights, not random ones.
            if (built.startFrom) {
              await loadStartWeights(fresh.model, fresh.ir, built.startFrom);
              fresh.startFrom = built.startFrom;
            }
            this.replaceModel(modelId, fresh);
            // A dispose asked while this model trains is done when the run ends.
            fresh.training = (fresh.training ?? 0) + 1;
            try {
              const dataset = datasetFor(settings.dataset, fresh);
              return await runTraining({ built: fresh, dataset, runId, runDir, modelFile, modelHash, settings, backend, emit: this.emit, startedFromSaved: fresh.startFrom !== undefined, isCancelled: () => state.cancelled, onStep: (n) => (state.step = n), ...(sourceSnapshot ? { sourceSnapshot } : {}) });
            } finally {
              fresh.training!--;
              if (!fresh.training && fresh.disposeWhenIdle) disposeEntry(fresh);
            }
          }, () => this.emit('log', { level: 'warn', runId, message: `another seeded run is training in this worker at the same time: the two share one random stream, so this run (seed ${settings.seed}) will not repeat exactly` }));
        } catch (e) {
          // runTraining reports its own failures; errors before it (dataset) are reported here.
          if (!(e as { reported?: boolean }).reported) this.emit('error', { runId, message: (e as Error).message });
          throw e;
        } finally {
          this.runs.delete(runId);
          release();
        }
      },
      evaluate: async ({ modelId, dataset, limit, batchSize }) => {
        const backend = await this.backend();
        const built = this.model(modelId);
        if (backend.backend === 'wasm') checkBatchFitsWasm(built.ir, built.model.countParams(), Math.min(batchSize ?? 256, limit ?? Infinity), false);
        const ds = datasetFor(dataset, built);
        const test = takeFirst(ds.test, limit);
        checkInputFits(test, built, ds.name);
        return evaluateSet(built, test, batchSize ?? 256);
      },
      predict: async ({ modelId, input, topK }) => {
        const built = this.model(modelId);
        return predict(built, input, topK ?? 3, (n) => datasetFor(n, built));
      },
      samples: async ({ dataset, split, start, count, modelId }) => {
        const built = modelId ? this.model(modelId) : undefined;
        return samples(datasetFor(dataset, built), split, start, count, built);
      },
      activations: async ({ modelId, input, layers }) => {
        const built = this.model(modelId);
        return activations(built, input, layers, (n) => datasetFor(n, built));
      },
      cancel: ({ runId }) => {
        const r = this.runs.get(runId);
        if (!r) {
          if (this.cancelledEarly.size > 100) this.cancelledEarly.clear();
          this.cancelledEarly.add(runId);
          return { cancelled: false };
        }
        r.cancelled = true;
        return { cancelled: true, step: r.step };
      },
      dispose: ({ modelId }) => {
        const m = this.models.get(modelId);
        if (!m) return;
        this.models.delete(modelId);
        if (m.training) m.disposeWhenIdle = true;
        else disposeEntry(m);
      },
      memory: () => {
        const mem = tf.memory();
        return {
          rssBytes: process.memoryUsage.rss(),
          peakRssBytes: process.resourceUsage().maxRSS * 1024,
          tensors: mem.numTensors,
          tensorBytes: mem.numBytes,
          models: this.models.size,
        };
      },
      bench: async ({ model, batchSize, trainBatches, predictBatches }) => {
        const backend = await this.backend();
        const built = await buildModel(model);
        try {
          const [h, w, c] = [...built.inputShape, 1, 1];
          const n = batchSize * 4;
          const set = {
            count: n,
            height: h!,
            width: w!,
            channels: c!,
            images: Uint8Array.from({ length: n * built.inputShape.reduce((a, b) => a * b, 1) }, () => (Math.random() * 256) | 0),
            labels: Int32Array.from({ length: n }, () => (Math.random() * built.numClasses) | 0),
          };
          const batch = (i: number) => {
            const from = (i % 4) * batchSize;
            return { x: inputBatch(set, null, from, from + batchSize, built), y: labelBatch(set, null, from, from + batchSize, built) };
          };
          const timeTrain = async (count: number) => {
            const t0 = performance.now();
            for (let i = 0; i < count; i++) {
              const { x, y } = batch(i);
              await built.model.trainOnBatch(x, y);
              tf.dispose([x, y]);
            }
            return performance.now() - t0;
          };
          await timeTrain(2); // warm-up: kernel set-up, optimizer slots
          const trainMs = await timeTrain(trainBatches);
          const xs = inputBatch(set, null, 0, batchSize, built);
          tf.dispose(built.model.predict(xs) as import('@tensorflow/tfjs-core').Tensor);
          const p0 = performance.now();
          for (let i = 0; i < predictBatches; i++) {
            const y = built.model.predict(xs) as import('@tensorflow/tfjs-core').Tensor;
            await y.data();
            y.dispose();
          }
          const predictMs = performance.now() - p0;
          xs.dispose();
          return {
            trainSamplesPerSec: (trainBatches * batchSize) / (trainMs / 1000),
            predictSamplesPerSec: (predictBatches * batchSize) / (predictMs / 1000),
            backend: backend.backend,
          };
        } finally {
          disposeEntry(built);
        }
      },
    };
  }
}

/** A dataset as the model reads it: image folders resized to the model's input height × width. */
function datasetFor(name: string, built: { inputShape: number[] } | undefined) {
  const s = built?.inputShape;
  return s && s.length >= 2 ? loadDataset(name, process.cwd(), { height: s[0]!, width: s[1]!, ...(s[2] === 3 ? { channels: 3 } : {}) }) : loadDataset(name);
}
