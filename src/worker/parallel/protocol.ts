// Messages between the DataParallelTrainer (caller's thread) and its replica thread.
export interface ReplicaInit {
  cmd: 'init';
  /** model.toJSON() output: the architecture only. */
  modelTopology: object;
  /** Compile settings for the replica (it never applies gradients, so its optimizer is unused). */
  loss: string | string[];
  metrics: string[];
  /** Folder of the tfjs-backend-wasm *.wasm files. */
  wasmDir?: string;
  /** Every weight of the model (trainable and not) in model.weights order; names checked. */
  weightNames: string[];
  weightShapes: number[][];
  trainableShapes: number[][];
  weights: Float32Array; // shared
  grads: Float32Array; // shared
}

export interface ReplicaStep {
  cmd: 'step';
  /** The replica's rows of the batch, one buffer per model input / output (shared). */
  xs: { data: Float32Array; shape: number[]; dtype: 'float32' | 'int32' }[];
  ys: { data: Float32Array; shape: number[]; dtype: 'float32' | 'int32' }[];
  /** Whether `weights` changed since the last step. */
  weightsChanged: boolean;
}

export type ToReplica = ReplicaInit | ReplicaStep | { cmd: 'stop' };

export type FromReplica =
  | { cmd: 'ready'; backend: string }
  | { cmd: 'done'; values: number[] }
  | { cmd: 'error'; message: string };
