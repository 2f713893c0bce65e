/**
 * Channel: extension host / CLI  ⇄  worker child process (tfjs).
 * Transport: Node IPC with `serialization: 'advanced'` (typed arrays cross as-is).
 */
import type { ModelIR } from '../model/ir';
import type { BackendName, BatchPoint, EpochMetrics, RunRecord, TrainSettings } from '../run/record';

export type BackendChoice = 'auto' | BackendName;

export interface BackendInfo {
  backend: BackendName;
  /** Said to the user: which backend and why (what was tried, what failed). */
  reason: string;
  threads?: number;
  simd?: boolean;
}

/** A 28×28 (or model-sized) grayscale image, row-major, values 0–255. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A colour model's input as it saw it: interleaved RGB bytes, 3 per pixel. */
export interface RgbInput {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** A non-image sample (sequence / tabular models): its shape and numbers, e.g. token ids. */
export interface ArraySample {
  shape: number[];
  values: number[];
  /** Whole numbers fed to an Embedding: token ids. */
  tokens: boolean;
  /** Token id → word, when the data comes with a vocabulary. */
  vocabulary?: string[];
}

export type PredictInput =
  | { kind: 'sample'; dataset: string; split: 'train' | 'test'; index: number }
  | { kind: 'image'; path: string }
  /** Raw pixels (e.g. drawn on the panel's canvas), 0–255, white digit on black. */
  | { kind: 'pixels'; image: GrayImage };

export interface ClassProb {
  label: number;
  prob: number;
}

export interface Prediction {
  /** Top-k, most probable first. */
  top: ClassProb[];
  /** All class probabilities, index = class. */
  probs: number[];
  /** The image as the model saw it (after preprocessing), 0–255; 0×0 for a non-image sample. */
  input: GrayImage;
  /** A colour model's input in colour (`input` is then its gray version). */
  color?: RgbInput;
  /** A non-image sample (token ids, features) as the model got it. */
  sample?: ArraySample;
  /** True label when the input is a dataset sample. */
  trueLabel?: number;
}

/** What each layer outputs for one input (the Layers view). */
export interface ActivationsResult {
  input: GrayImage;
  color?: RgbInput;
  /** A non-image sample (tokens, features) the layers were run on. */
  sample?: ArraySample;
  layers: LayerActivation[];
  kernels?: LayerActivation;
}

export interface SampleBatch {
  start: number;
  count: number;
  /** count × (h × w × channels) bytes (empty for non-image samples). */
  images: Uint8Array;
  width: number;
  height: number;
  /** 3: `images` holds interleaved RGB; absent: one gray byte per pixel. */
  channels?: 3;
  /** Non-image samples (sequence / tabular): count × (product of sampleShape) numbers. */
  values?: Float32Array;
  sampleShape?: number[];
  /** values are whole numbers fed to an Embedding (token ids). */
  tokens?: boolean;
  labels: Uint8Array;
  /** count × numClasses probabilities (present when a model was given). */
  probs?: Float32Array;
  numClasses: number;
  classNames?: string[];
  /** Token id → word (token-id samples with a known vocabulary). */
  vocabulary?: string[];
}

export interface LayerActivation {
  layer: string;
  type: string;
  /** Shape without the batch axis, e.g. [28, 28, 32]. */
  shape: number[];
  data: Float32Array;
}

export interface WorkerApi {
  /** Choose and initialise the backend. Must be called first. */
  init: {
    params: {
      backend: BackendChoice;
      /** extra folder to resolve tfjs-node from */
      nativeModulePath?: string;
      /** threads for the wasm backend (default: one per core) */
      threads?: number;
    };
    result: BackendInfo;
  };
  /** Build a tfjs model from the IR; load weights when a folder is given. */
  loadModel: { params: { model: ModelIR; weightsDir?: string; /** a saved model file (.keras, .h5, TF.js model.json) whose own weights are loaded */ savedFile?: string }; result: { modelId: string; params: number } };
  /** Train; resolves when done/cancelled. Progress arrives as events tagged with runId. */
  train: {
    params: {
      modelId: string;
      runId: string;
      settings: TrainSettings;
      /** run folder: run.json + weights/ written here atomically */
      runDir: string;
      modelFile: string;
      modelHash: string;
      /** The model file's text at the start: kept in the run folder (`source.py`) for comparing runs. */
      sourceText?: string;
    };
    result: RunRecord;
  };
  evaluate: {
    params: { modelId: string; dataset: string; limit?: number; batchSize?: number };
    result: { loss: number; acc: number; samples: number };
  };
  predict: { params: { modelId: string; input: PredictInput; topK?: number }; result: Prediction };
  /** Dataset samples (images + labels), with the model's probabilities when modelId is given. */
  samples: { params: { dataset: string; split: 'train' | 'test'; start: number; count: number; modelId?: string }; result: SampleBatch };
  /** Activations of the given layers (default: every conv/pool layer) + first conv kernels. */
  activations: {
    params: { modelId: string; input: PredictInput; layers?: string[] };
    result: ActivationsResult;
  };
  /** Stop a training run within one batch; its last saved weights stay intact. */
  cancel: { params: { runId: string }; result: { cancelled: boolean; /** Steps finished when the cancel arrived; at most one more follows. */ step?: number } };
  /** Frees a model's weights and optimizer state; a model still training is freed when its run ends. */
  dispose: { params: { modelId: string }; result: void };
  /** The worker's memory: process RSS (now and peak), live tensors and their bytes. */
  memory: { params: Record<string, never>; result: WorkerMemory };
  /** Synthetic-data throughput figures for `model-lens bench`. */
  bench: {
    params: { model: ModelIR; batchSize: number; trainBatches: number; predictBatches: number };
    result: { trainSamplesPerSec: number; predictSamplesPerSec: number; backend: BackendName };
  };
}

/** The host serves nothing to the worker. */
export type HostApi = Record<never, never>;

export interface WorkerMemory {
  rssBytes: number;
  peakRssBytes: number;
  tensors: number;
  tensorBytes: number;
  /** Models loaded and not disposed. */
  models: number;
}

export interface BatchEvent {
  runId: string;
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Global step, 1-based. */
  step: number;
  loss: number;
  acc?: number;
  samplesPerSec: number;
  /** Seconds left for the whole run. */
  etaSec: number;
  /** 0–1 over the whole run. */
  progress: number;
  /**
   * The batch points the worker recorded since its previous batch event (averaged spans, see
   * `BatchSampler`); copies of the run append these (`appendBatchPoints`) to stay equal to run.json.
   */
  points?: BatchPoint[];
  /** Where a step's time went, mean ms per step over the batches since the previous event. */
  time?: StepTimes;
}

/** A training step's time by phase (ms): building the batch, the forward pass and loss, the gradients, the optimizer update, and the rest (metrics, reading the loss back). */
export interface StepTimes {
  dataMs: number;
  forwardMs: number;
  backwardMs: number;
  updateMs: number;
  otherMs: number;
}

export interface EpochEvent extends EpochMetrics {
  runId: string;
  epochs: number;
}

export interface WorkerEvents {
  batch: BatchEvent;
  epoch: EpochEvent;
  log: { level: 'info' | 'warn' | 'error'; message: string; runId?: string };
  done: { runId: string; record: RunRecord };
  error: { runId?: string; message: string };
}

export type HostEvents = Record<never, never>;
