// Node worker threads that share work with the main thread on the wasm backend's shared memory:
// the optimizer's one-pass update (optimizers/update-pool.ts) and the hand-written SIMD kernels
// (kernels/simd/simd-kernels.ts). XNNPACK's own pool threads run only code compiled into its
// binary, so these run beside them, while that pool is idle (between kernels). A call sends each
// helper its job, runs the main thread's part, then waits (bounded) for every helper to report.
import { Worker } from 'node:worker_threads';

/** How long the main thread waits for a helper's share before it gives up (a helper died). */
const HELPER_TIMEOUT_MS = 10_000;

/**
 * The script a helper runs: `init(message)` once with the first message, `work(job)` for every
 * job after it; the done/failed signalling around them is the same for every user.
 */
function helperScript(source: string): string {
  return `
const { parentPort } = require('node:worker_threads');
${source}
let ready = false;
parentPort.on('message', (job) => {
  if (!ready) { ready = true; init(job); return; }
  try {
    work(job);
  } catch (e) {
    Atomics.store(job.done, 1, 1);
    parentPort.postMessage(String((e && e.stack) || e));
  }
  Atomics.add(job.done, 0, 1);
  Atomics.notify(job.done, 0);
});
`;
}

export class HelperThreads {
  private readonly workers: Worker[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(8));
  private failure: string | undefined;

  /**
   * Starts up to `count` helpers running `source` (which defines `init(message)` and `work(job)`),
   * each sent `initMessage` first. Where threads cannot start, fewer (the work runs on those that
   * did). `what` names them in errors ("the optimizer's").
   */
  constructor(
    source: string,
    count: number,
    initMessage: unknown,
    private readonly what: string,
  ) {
    const script = helperScript(source);
    for (let i = 0; i < count; i++) {
      let w: Worker;
      try {
        w = new Worker(script, { eval: true });
      } catch {
        break;
      }
      w.on('message', (m) => (this.failure = String(m)));
      w.on('error', (e) => (this.failure = e.message));
      w.on('exit', () => (this.failure ??= 'a helper thread exited'));
      w.unref(); // idle helpers never keep the process alive (after the listeners: 'message' refs it again)
      w.postMessage(initMessage);
      this.workers.push(w);
    }
  }

  /** Helpers a call can use (none once one has failed). */
  get count(): number {
    return this.failure ? 0 : this.workers.length;
  }

  /** Sends `jobs[i]` to helper i (at most `count` jobs), runs `here` on this thread, and returns when every helper is done. */
  run(jobs: object[], here: () => void): void {
    Atomics.store(this.done, 0, 0);
    Atomics.store(this.done, 1, 0);
    jobs.forEach((job, i) => this.workers[i]!.postMessage({ ...job, done: this.done }));
    here();
    const started = performance.now();
    for (;;) {
      const finished = Atomics.load(this.done, 0);
      if (finished >= jobs.length) break;
      if (performance.now() - started > HELPER_TIMEOUT_MS || this.failure) {
        throw new Error(`${this.what} helper thread did not finish its share (${this.failure ?? 'timed out'})`);
      }
      Atomics.wait(this.done, 0, finished, 100);
    }
    if (Atomics.load(this.done, 1)) throw new Error(`${this.what} helper thread failed: ${this.failure ?? 'unknown error'}`);
  }

  dispose(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
