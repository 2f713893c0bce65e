// Runs the optimizer's one-pass update (update-rules.ts) on every core: the main thread takes one
// share of the elements and helper threads the others, all reading and writing the wasm heap in
// place. The threaded wasm build's memory is a shared WebAssembly.Memory, so the helpers see the
// very weights, gradients and slots the kernels use. XNNPACK's own pool threads run only code
// compiled into the wasm binary, so the helpers are Node worker threads beside them; they run
// while the pool is idle (between kernels), one per pool thread.
import { HelperThreads } from '../helper-threads';
import { compileUpdate, UPDATE_SOURCE, type UpdateFn } from './update-rules';

const HELPER_SOURCE = `
${UPDATE_SOURCE}
let memory, heap;
function init(message) { memory = message.memory; }
function work(job) {
  if (!heap || heap.buffer.byteLength !== memory.buffer.byteLength) heap = new Float32Array(memory.buffer);
  update(heap, job.table, job.count, job.params, job.from, job.to);
}
`;

export class UpdatePool {
  private readonly update: UpdateFn = compileUpdate();
  private readonly helpers: HelperThreads | undefined;
  private heap: Float32Array | undefined;

  /**
   * `memory`: the shared wasm memory (threaded build), or undefined to run on the main thread
   * only. `threads`: threads in all, main thread included.
   */
  constructor(
    private readonly memory: WebAssembly.Memory | undefined,
    threads: number,
  ) {
    if (!memory || !(memory.buffer instanceof SharedArrayBuffer)) return;
    this.helpers = new HelperThreads(HELPER_SOURCE, threads - 1, { memory }, "the optimizer's");
  }

  get threads(): number {
    return (this.helpers?.count ?? 0) + 1;
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
    const parts = this.threads;
    const bounds = (t: number) => Math.floor((total * t) / parts);
    const jobs = Array.from({ length: parts - 1 }, (_, i) => ({ table, count, params, from: bounds(i + 1), to: bounds(i + 2) }));
    const here = () => this.update(this.view(heap), table, count, params, 0, bounds(1));
    if (this.helpers) this.helpers.run(jobs, here);
    else here();
  }

  dispose(): void {
    this.helpers?.dispose();
  }
}
