// Helpers for checking wasm training kernels against the cpu backend's reference kernels.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerWasmTrainingKernels } from '../../../src/worker/kernels/index';

let ready: Promise<void> | undefined;

/** Initializes the wasm backend (once) and registers the training kernels. */
export function setupWasm(): Promise<void> {
  ready ??= (async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    registerWasmTrainingKernels();
  })();
  return ready;
}

/** Deterministic pseudo-random values in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return a;
}

function runOn(backend: string, kernel: string, inputs: Record<string, { shape: number[]; values: Float32Array }>, attrs: tf.NamedAttrMap) {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const ins: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.values, v.shape);
    const before = tf.backend().numDataIds();
    const r = tf.engine().runKernel(kernel, ins, attrs) as tf.Tensor;
    // The kernel leaves exactly its output behind: every intermediate was released.
    const leaked = tf.backend().numDataIds() - before - 1;
    return { shape: r.shape, values: r.dataSync() as Float32Array, leaked };
  });
}

/** Runs `kernel` on wasm and on cpu; returns both results and the largest relative difference. */
export function compareWithCpu(kernel: string, inputs: Record<string, { shape: number[]; values: Float32Array }>, attrs: tf.NamedAttrMap) {
  const wasm = runOn('wasm', kernel, inputs, attrs);
  const cpu = runOn('cpu', kernel, inputs, attrs);
  tf.setBackend('wasm');
  if (wasm.leaked !== 0) throw new Error(`${kernel} on wasm left ${wasm.leaked} intermediate tensors behind`);
  let scale = 1e-6;
  for (const v of cpu.values) scale = Math.max(scale, Math.abs(v));
  let maxDiff = 0;
  for (let i = 0; i < cpu.values.length; i++) maxDiff = Math.max(maxDiff, Math.abs(wasm.values[i]! - cpu.values[i]!));
  return { wasm, cpu, relErr: maxDiff / scale };
}
