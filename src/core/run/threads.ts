/**
 * How many threads the wasm backend trains with: what was asked (a setting or `--threads`), else
 * one per core; always 1–8 (8: the pthread pool tfjs's threaded build pre-creates,
 * PTHREAD_POOL_SIZE). The editor runs its worker below normal priority instead of keeping a core
 * free, so training may use them all.
 */
export const MAX_WASM_THREADS = 8;

export function wasmThreads(cores: number, asked?: number): number {
  const n = asked !== undefined && asked >= 1 ? Math.floor(asked) : cores;
  return Math.max(1, Math.min(MAX_WASM_THREADS, n));
}
