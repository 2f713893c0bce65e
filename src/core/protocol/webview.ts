/**
 * Channel: extension host  ⇄  the Model Lens panel (webview).
 * The host owns the state: when the panel says `ready` it gets everything (`state`),
 * then only deltas (`model`, `runBatch`, `runEpoch`, `runDone`, `highlight`, `showView`).
 */
import type { ModelIR } from '../model/ir';
import type { BatchPoint, RunRecord } from '../run/record';
import type { BatchEvent, EpochEvent, GrayImage, LayerActivation, Prediction, SampleBatch } from './worker';

export type PanelView = 'graph' | 'shapes' | 'training' | 'predictions' | 'draw' | 'layers' | 'runs' | 'weights';

/** What the Runs tab asks the host to do with one run (the host asks the user where needed). */
export type RunAction = 'pin' | 'unpin' | 'rename' | 'note' | 'delete' | 'openCode' | 'restore';

export interface PanelState {
  model: ModelIR;
  /** Path of the model file (shown in the header). */
  file: string;
  /**
   * Runs of this model, oldest first; a running one included with its full history. Sent packed
   * (`packRuns`): a run's `model` is `runModels[runModelOf[i]]`, each distinct model sent once.
   */
  runs: RunRecord[];
  runModels?: ModelIR[];
  runModelOf?: number[];
  /** Runs sent without their batch curve (older than the Training tab shows): ask with `runCurves`. */
  curvesOmitted?: string[];
  /** View for a fresh panel; a panel restored after being hidden keeps its own (getState). To switch, send `showView`. */
  view?: PanelView;
  /** True when the latest weights were trained on another version of the file. */
  weightsStale?: boolean;
  /** Whether trained weights exist (predictions/draw/layers need them). */
  hasWeights: boolean;
  /** Set when the panel shows a saved model file (.keras, .h5, TF.js): what it is and what wrote it. */
  saved?: { format: 'keras' | 'h5' | 'tfjs'; savedBy?: string; exportedFrom?: string };
}

/** One weight tensor for the Weights view (statistics absent when it cannot be read). */
export interface WeightTensorInfo {
  name: string;
  shape: number[];
  dtype: string;
  trainable: boolean;
  stats?: { count: number; min: number; max: number; mean: number; std: number; zeros: number; nan: number; inf: number; histogram: { min: number; max: number; counts: number[] } };
  problem?: string;
}

export interface WeightLayerInfo {
  layer: string;
  type: string;
  tensors: WeightTensorInfo[];
}

/** Host → webview events. */
export interface ToWebviewEvents {
  state: PanelState;
  model: { model: ModelIR };
  runStarted: { run: RunRecord };
  runBatch: BatchEvent;
  runEpoch: EpochEvent;
  runDone: { run: RunRecord };
  highlight: { layer: string | null };
  showView: { view: PanelView };
  prediction: { prediction: Prediction; source: string };
}

/** Webview → host events. */
export interface FromWebviewEvents {
  ready: Record<string, never>;
  /** `within`: the nested-model nodes the layer's graph was opened from (outermost first). */
  revealLayer: { layer: string; within?: string[] };
}

/** Requests the webview makes to the host (the host forwards most to the worker). */
export interface HostPanelApi {
  samples: { params: { start: number; count: number }; result: SampleBatch };
  predictPixels: { params: { image: GrayImage }; result: Prediction };
  activations: {
    params: { sample?: number; image?: GrayImage };
    result: { input: GrayImage; layers: LayerActivation[]; kernels?: LayerActivation };
  };
  /** Pin, rename, annotate, delete a run; open its code in a diff against the file; restore it. */
  runAction: { params: { runId: string; action: RunAction }; result: { done: boolean; message?: string } };
  /** The batch curves of runs the state sent without them (`curvesOmitted`), at most `MAX_CURVES_PER_REQUEST`. */
  runCurves: { params: { ids: string[] }; result: { curves: { id: string; batches: BatchPoint[] }[] } };
  /** Ask for a grid of settings and train every combination ("Model Lens: Train Variants…"); resolves once asked. */
  trainVariants: { params: Record<string, never>; result: { started: boolean } };
  /** Save a file the panel exported (SVG, PNG as base64, CSV). */
  exportFile: { params: { suggestedName: string; content: string; encoding: 'utf8' | 'base64' }; result: { saved: boolean; path?: string } };
  /**
   * Every weight tensor of the model shown (saved model files only): names, shapes, dtypes and any
   * reason a tensor cannot be read, at once; statistics come per layer from `weightStats`.
   */
  weights: { params: Record<string, never>; result: { layers: WeightLayerInfo[] } };
  /** One layer's tensors with their statistics (or why not), read in blocks by the host. */
  weightStats: { params: { layer: string }; result: { tensors: WeightTensorInfo[] } };
  /** A 4-D convolution kernel's filters for one input channel: [kh, kw, filters] values. */
  kernel: { params: { layer: string; name: string; channel: number }; result: { shape: number[]; data: Float32Array; channels: number } };
  /** Asks where, then writes the model shown as a Keras 3 .keras, a Keras 2 .h5 or a TF.js folder. */
  exportModel: { params: { format: 'keras' | 'h5' | 'tfjs' }; result: { saved: boolean; path?: string } };
  /**
   * How a saved model's inputs are scaled (pixels × scale): a saved file has no code that says it,
   * so the panel shows the scaling used and lets the user change it. Answers the scaling now used.
   */
  setInputScale: { params: { scale: number }; result: { scale: number; source: string } };
}

export type WebviewPanelApi = Record<never, never>;

/** Runs per `runCurves` request (a curve is up to 4,000 points). */
export const MAX_CURVES_PER_REQUEST = 50;
