// Runs the optimizer's one-pass update (update-rules.ts) on every core: the main thread takes one
// share of the elements and helper threads the others, all reading and writing the wasm heap in
// place. The threaded wasm build's memory is a shared WebAssembly.Memory, so the helpers see the
// very weights, gradients and slots the kernels use. XNNPACK's own pool threads run only code
// compiled into the wasm binary, so the helpers are Node worker threads beside them; they run
// while the pool is idle (between kernels), one per pool thread.
import { Worker } from 'node:worker_threads';
import { compileUpdate, UPDATE_SOURCE, type UpdateFn } from './update-rules';

const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
${UPDATE_SOURCE}
let memory, heap;
parentPort.on('message', (job) => {
  if (job.memory) { memory = job.memory; heap = undefined; return; }
  try {
    if (!heap || heap.buffer.byteLength !== memory.buffer.byteLength) heap = new Float32Array(memory.buffer);
    update(heap, job.table, job.count, job.params, job.from, job.to);
  } catch (e) {
    Atomics.store(job.done, 1, 1);
    parentPort.postMessage(String(e && e.stack || e));
  }
  Atomics.add(job.done, 0, 1);
  Atomics.notify(job.done, 0);
});
`;

/** How long the main thread waits for a helper's share before it gives up (a helper died). */
const HELPER_TIMEOUT_MS = 10_000;

export class UpdatePool {
  private readonly update: UpdateFn = compileUpdate();
  private readonly helpers: Worker[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(8));
  private heap: Float32Array | undefined;
  private failure: string | undefined;

  /**
   * `memory`: the shared wasm memory (threaded build), or undefined to run on the main thread
   * only. `threads`: threads in all, main thread included.
   */
  constructor(
    private readonly memory: WebAssembly.Memory | undefined,
    threads: number,
  ) {
    if (!memory || !(memory.buffer instanceof SharedArrayBuffer)) return;
    for (let i = 1; i < threads; i++) {
      const w = new Worker(HELPER_SOURCE, { eval: true });
      w.on('message', (m) => (this.failure = String(m)));
      w.on('error', (e) => (this.failure = e.message));
      w.on('exit', () => (this.failure ??= 'a helper thread exited'));
      w.unref(); // idle helpers never keep the process alive (after the listeners: 'message' refs it again)
      w.postMessage({ memory });
      this.helpers.push(w);
    }
  }

  get threads(): number {
    return this.helpers.length + 1;
  }

  /** Float32 view of the heap (fresh after the memory grew). */
  private view(fallback: () => Float32Array): Float32Array {
    if (!this.memory) return fallback();
    const buf = this.memory.buffer;
    if (!this.heap || this.heap.buffer.byteLength !== buf.byteLength) this.heap = new Float32Array(buf);
    return this.heap;
  }

  /**
   * Updates elements 0..total of the tensors in `table` (shared buffers) with `params`; returns when
   * every thread is done. `heap` is used when there is no shared memory.
   */
  run(table: Int32Array, count: number, params: Float64Array, total: number, heap: () => Float32Array): void {
    const parts = this.failure ? 1 : this.helpers.length + 1;
    const bounds = (t: number) => Math.floor((total * t) / parts);
    Atomics.store(this.done, 0, 0);
    Atomics.store(this.done, 1, 0);
    for (let t = 1; t < parts; t++) {
      this.helpers[t - 1]!.postMessage({ table, count, params, from: bounds(t), to: bounds(t + 1), done: this.done });
    }
    this.update(this.view(heap), table, count, params, 0, bounds(1));
    const started = performance.now();
    for (;;) {
      const finished = Atomics.load(this.done, 0);
      if (finished >= parts - 1) break;
      if (performance.now() - started > HELPER_TIMEOUT_MS || this.failure) {
        throw new Error(`the optimizer's helper thread did not finish its share (${this.failure ?? 'timed out'})`);
      }
      Atomics.wait(this.done, 0, finished, 100);
    }
    if (Atomics.load(this.done, 1)) throw new Error(`the optimizer's helper thread failed: ${this.failure ?? 'unknown error'}`);
  }

  dispose(): void {
    for (const w of this.helpers) void w.terminate();
    this.helpers.length = 0;
  }
}
