// Runs the hand-written SIMD kernels (conv2d.ts, filter-grad.ts, max-pool-grad.ts) on every core. The module is compiled
// once per process for the wasm backend's memory (shared in the threaded build) and instantiated
// on the main thread and in one Node worker thread per extra wasm thread; a call gives each
// thread its own arguments (its share of the work) and returns when all are done. XNNPACK's own
// pool threads run only code compiled into its binary, so these helpers run beside them, while
// that pool is idle (between kernels), as the optimizer's update pool does.
import { Worker } from 'node:worker_threads';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { WasmBackend } from '../wasm-ops';
import { conv2dFunction } from './conv2d';
import { filterGradFunction } from './filter-grad';
import { maxPoolGrad2x2Function } from './max-pool-grad';
import { buildModule } from './wasm-module';

const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let kernels;
parentPort.on('message', (job) => {
  if (job.module) { kernels = new WebAssembly.Instance(job.module, { env: { memory: job.memory } }).exports; return; }
  try {
    kernels[job.fn](...job.args);
  } catch (e) {
    Atomics.store(job.done, 1, 1);
    parentPort.postMessage(String((e && e.stack) || e));
  }
  Atomics.add(job.done, 0, 1);
  Atomics.notify(job.done, 0);
});
`;

/** How long the main thread waits for a helper's share before it gives up (a helper died). */
const HELPER_TIMEOUT_MS = 10_000;

type KernelFn = (...args: number[]) => void;
export type SimdKernelName = 'conv2d' | 'filterGrad' | 'maxPoolGrad2x2';

export class SimdKernels {
  private readonly kernels: Record<SimdKernelName, KernelFn>;
  private readonly helpers: Worker[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(8));
  private failure: string | undefined;
  /** Kernel calls so far (tests check which path a gradient took). */
  calls = 0;

  constructor(memory: WebAssembly.Memory, threads: number) {
    const shared = memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(buildModule([conv2dFunction(), filterGradFunction(), maxPoolGrad2x2Function()], shared) as BufferSource);
    this.kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Record<SimdKernelName, KernelFn>;
    if (!shared) return;
    for (let i = 1; i < threads; i++) {
      const w = new Worker(HELPER_SOURCE, { eval: true });
      w.on('message', (m) => (this.failure = String(m)));
      w.on('error', (e) => (this.failure = e.message));
      w.on('exit', () => (this.failure ??= 'a helper thread exited'));
      w.unref(); // idle helpers never keep the process alive
      w.postMessage({ module, memory });
      this.helpers.push(w);
    }
  }

  /** Threads a call can use (main thread included). */
  get threads(): number {
    return this.failure ? 1 : this.helpers.length + 1;
  }

  /** Runs `fn` once per entry of `shares` (the first on this thread), concurrently; returns when all are done. */
  run(fn: SimdKernelName, shares: number[][]): void {
    this.calls++;
    if (shares.length > this.threads) throw new Error(`${shares.length} shares for ${this.threads} threads`);
    Atomics.store(this.done, 0, 0);
    Atomics.store(this.done, 1, 0);
    for (let t = 1; t < shares.length; t++) this.helpers[t - 1]!.postMessage({ fn, args: shares[t], done: this.done });
    this.kernels[fn](...shares[0]!);
    const started = performance.now();
    for (;;) {
      const finished = Atomics.load(this.done, 0);
      if (finished >= shares.length - 1) break;
      if (performance.now() - started > HELPER_TIMEOUT_MS || this.failure) throw new Error(`a SIMD kernel's helper thread did not finish its share (${this.failure ?? 'timed out'})`);
      Atomics.wait(this.done, 0, finished, 100);
    }
    if (Atomics.load(this.done, 1)) throw new Error(`a SIMD kernel's helper thread failed: ${this.failure ?? 'unknown error'}`);
  }

  dispose(): void {
    for (const w of this.helpers) void w.terminate();
    this.helpers.length = 0;
  }
}

let current: { memory: WebAssembly.Memory; kernels: SimdKernels } | undefined;
/** Set by tests and benchmarks to compare with the paths the SIMD kernels replace. */
export const simdKernelSettings = { enabled: true };

/** The process's SIMD kernels for this backend's memory, or undefined when they cannot run (no SIMD, memory not reachable). */
export function simdKernels(backend: WasmBackend): SimdKernels | undefined {
  if (!simdKernelSettings.enabled) return undefined;
  // The threaded build exports its memory on the module; the single-threaded one only among the wasm exports.
  const wasm = backend.wasm as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  const memory = wasm.wasmMemory ?? wasm.asm?.memory;
  if (!memory) return undefined;
  if (current?.memory !== memory) {
    current?.kernels.dispose();
    current = { memory, kernels: new SimdKernels(memory, getThreadsCount()) };
  }
  return current.kernels;
}
