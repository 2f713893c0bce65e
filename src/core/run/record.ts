/**
 * A training run as kept on disk (`<runs>/<id>/run.json`, next to `weights/`) and as the
 * host sends it to the panel. Written atomically by the worker/host; read back on reload.
 */
import type { CallbackSpec, LrSchedule, ModelIR } from '../model/ir';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  /** 'mnist' | 'fashion_mnist' | a path (IDX folder, .npz, .npy inputs, CIFAR or image folder). */
  dataset: string;
  /** Use only the first N training samples (quick runs, tests). */
  limit?: number;
  /** Use only the first N test samples for the final evaluation. */
  testLimit?: number;
  validationSplit?: number;
  /** `fit(validation_data=(x_test, y_test))`: validate on the dataset's test split (its first `testLimit` when set). */
  validationData?: 'test';
  /** `fit(class_weight={0: 1.0, 1: 2.0})`: class index → weight of its samples in the training loss. */
  classWeight?: Record<string, number>;
  shuffle?: boolean;
  learningRate?: number;
  /** The optimizer's learning_rate is a `keras.optimizers.schedules` object: the rate per step. */
  lrSchedule?: LrSchedule;
  /** Random seed for shuffling / initialisation, when reproducibility matters. */
  seed?: number;
  /** `fit(callbacks=[...])` from the file (EarlyStopping and ModelCheckpoint are honoured). */
  callbacks?: CallbackSpec[];
}

export interface BatchPoint {
  /** Global step (batches since the run started), 1-based. */
  step: number;
  epoch: number;
  loss: number;
  acc?: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  acc?: number;
  valLoss?: number;
  valAcc?: number;
  /** The learning rate used in this epoch (the last step's, under a per-step schedule). */
  lr?: number;
  durationMs: number;
}

/**
 * `interrupted`: the run's process died without finishing (killed, crashed, machine off) — found
 * when reading (see `settleRun`); its last saved weights stay usable.
 */
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface RunRecord {
  id: string;
  modelName: string;
  /** Absolute path of the model source file. */
  modelFile: string;
  /** sha256 of the model file content when the run started: weights are stale if it changes. */
  modelHash: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  settings: TrainSettings;
  backend?: BackendName;
  /** Why that backend (e.g. "tfjs-node not installed; wasm with SIMD"). */
  backendReason?: string;
  /** EarlyStopping ended the run after this epoch (fewer than `settings.epochs`). */
  stoppedEarly?: number;
  /** The epoch whose weights are saved (ModelCheckpoint(save_best_only) keeps the best, not the last). */
  weightsEpoch?: number;
  /** wasm threads used (seeded runs repeat exactly only on the same backend and thread count). */
  threads?: number;
  batches: BatchPoint[];
  epochs: EpochMetrics[];
  test?: { loss: number; acc: number; samples: number };
  trainSamplesPerSec?: number;
  durationMs?: number;
  /** Folder with the TF.js layers-format `model.json` + weights of the last good save. */
  weightsDir?: string;
  error?: string;
  /** What the run said to watch for while it trained (e.g. BatchNormalization statistics that had too few steps), shown with the run. */
  warnings?: string[];
  /** The IR the run trained, so history survives later edits of the file. */
  model?: ModelIR;
  /** The process writing the run (the worker) and its machine: a dead pid means interrupted. */
  pid?: number;
  host?: string;
  /** Last time the running process rewrote run.json (at least every `HEARTBEAT_MS`). */
  heartbeatAt?: string;
  /** File name (inside the run folder) of the model file's text as it was when the run started. */
  sourceSnapshot?: string;
  /** User's own label and note, set from the runs table. */
  label?: string;
  note?: string;
  pinned?: boolean;
}
