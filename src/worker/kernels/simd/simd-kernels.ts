// Runs the hand-written SIMD kernels (channel-ops.ts, conv2d.ts, dropout-mask.ts, filter-grad.ts,
// max-pool-grad.ts, relu-grad.ts) on every core. The module is compiled once per process for the wasm backend's
// memory (shared in the threaded build) and instantiated on the main thread and in one Node worker
// thread per extra wasm thread. A call's work is a range (images, output rows) cut into chunks
// that the threads take one after another from a shared counter until none is left, so a thread
// that runs slower (its core busy with XNNPACK's spinning pool thread just after a kernel, or with
// another process) takes fewer: with fixed halves the main thread waited 14–15 ms a step for the
// other, with chunks 4–5 ms (reference CNN, batch 64). Sums over the range go to one partial per
// chunk, added in chunk order, so results do not depend on which thread took what. The helpers
// are ../../helper-threads.ts, as the optimizer's update pool's.
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { HelperThreads } from '../../helper-threads';
import type { WasmBackend } from '../wasm-ops';
import { channelAffineFunction, channelSumsFunction } from './channel-ops';
import { conv2dFunction } from './conv2d';
import { dropoutMaskFunction } from './dropout-mask';
import { filterGradFunction } from './filter-grad';
import { maxPoolGrad2x2Function } from './max-pool-grad';
import { reluGradFunction } from './relu-grad';
import { buildModule } from './wasm-module';

/** Takes chunks of the range from the shared counter and runs the kernel on each (the same source on every thread). */
// With a slot, chunk k's entry at \`slot\` is slotBase + k·slotStride (where its own partial sum goes).
const TAKE_CHUNKS_SOURCE = `function takeChunks(kernel, args, at, total, chunk, counter, slot, slotBase, slotStride) {
  for (;;) {
    const k = Atomics.add(counter, 0, 1);
    const from = k * chunk;
    if (from >= total) return;
    args[at] = from;
    args[at + 1] = Math.min(total, from + chunk);
    if (slot >= 0) args[slot] = slotBase + k * slotStride;
    kernel(...args);
  }
}`;

const HELPER_SOURCE = `
${TAKE_CHUNKS_SOURCE}
let kernels;
function init(message) { kernels = new WebAssembly.Instance(message.module, { env: { memory: message.memory } }).exports; }
function work(job) { takeChunks(kernels[job.fn], job.args, job.at, job.total, job.chunk, job.counter, job.slot, job.slotBase, job.slotStride); }
`;

/** Chunks per thread in a call: enough for the faster thread to take over the slower one's share. */
const CHUNKS_PER_THREAD = 8;

type KernelFn = (...args: number[]) => void;
type TakeChunks = (kernel: KernelFn, args: number[], at: number, total: number, chunk: number, counter: Int32Array, slot: number, slotBase: number, slotStride: number) => void;

/** Fixed chunks, each with its own output: chunk k's argument `index` is `base + k · stride`. */
export interface ChunkSlots {
  chunk: number;
  index: number;
  base: number;
  stride: number;
}
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- our own constant source, the same the helpers run
const takeChunks = new Function(`${TAKE_CHUNKS_SOURCE}; return takeChunks;`)() as TakeChunks;
export type SimdKernelName = 'channelAffine' | 'channelSums' | 'conv2d' | 'dropoutMask' | 'filterGrad' | 'maxPoolGrad2x2' | 'reluGrad';

export class SimdKernels {
  private readonly kernels: Record<SimdKernelName, KernelFn>;
  private readonly helpers: HelperThreads | undefined;
  private readonly counter = new Int32Array(new SharedArrayBuffer(4));
  /** Kernel calls so far (tests check which path a gradient took). */
  calls = 0;

  constructor(memory: WebAssembly.Memory, threads: number) {
    const shared = memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(buildModule([channelAffineFunction(), channelSumsFunction(), conv2dFunction(), dropoutMaskFunction(), filterGradFunction(), maxPoolGrad2x2Function(), reluGradFunction()], shared) as BufferSource);
    this.kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Record<SimdKernelName, KernelFn>;
    if (shared) this.helpers = new HelperThreads(HELPER_SOURCE, threads - 1, { module, memory }, "a SIMD kernel's");
  }

  /** Threads a call can use (main thread included). */
  get threads(): number {
    return (this.helpers?.count ?? 0) + 1;
  }

  /** Runs `fn` once, on this thread only (work too small to share). */
  runHere(fn: SimdKernelName, args: number[]): void {
    this.calls++;
    this.kernels[fn](...args);
  }

  /**
   * Runs `fn` over the range [0, total) on every thread: `args` are the kernel's arguments, whose
   * entries `at` and `at + 1` each chunk sets to its part of the range. With `slots`, the chunks
   * are of a fixed size and each writes where its slot says (partial sums to be added in chunk
   * order: the same result whichever thread took which chunk, and at any thread count). Returns
   * when all are done.
   */
  run(fn: SimdKernelName, args: number[], at: number, total: number, slots?: ChunkSlots): void {
    this.calls++;
    const threads = this.threads;
    const chunk = slots?.chunk ?? Math.max(1, Math.ceil(total / (threads * CHUNKS_PER_THREAD)));
    const [slot, slotBase, slotStride] = slots ? [slots.index, slots.base, slots.stride] : [-1, 0, 0];
    Atomics.store(this.counter, 0, 0);
    const jobs = Array.from({ length: threads - 1 }, () => ({ fn, args, at, total, chunk, counter: this.counter, slot, slotBase, slotStride }));
    const here = () => takeChunks(this.kernels[fn], args.slice(), at, total, chunk, this.counter, slot, slotBase, slotStride);
    if (this.helpers) this.helpers.run(jobs, here);
    else here();
  }

  dispose(): void {
    this.helpers?.dispose();
  }
}

let current: { memory: WebAssembly.Memory; threads: number; kernels: SimdKernels | undefined } | undefined;
/** Set by tests and benchmarks: off, to compare with the paths the SIMD kernels replace; fewer threads than wasm has. */
export const simdKernelSettings: { enabled: boolean; threads?: number } = { enabled: true };

/** The process's SIMD kernels for this backend's memory, or undefined when they cannot run (no SIMD, memory not reachable). */
export function simdKernels(backend: WasmBackend): SimdKernels | undefined {
  if (!simdKernelSettings.enabled) return undefined;
  // The threaded build exports its memory on the module; the single-threaded one only among the wasm exports.
  const wasm = backend.wasm as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  const memory = wasm.wasmMemory ?? wasm.asm?.memory;
  if (!memory) return undefined;
  const threads = simdKernelSettings.threads ?? getThreadsCount();
  if (current?.memory !== memory || current.threads !== threads) {
    current?.kernels?.dispose();
    let kernels: SimdKernels | undefined;
    try {
      kernels = new SimdKernels(memory, threads);
    } catch {
      kernels = undefined; // no wasm SIMD in this engine: the kernels keep their other paths
    }
    current = { memory, threads, kernels };
  }
  return current.kernels;
}
