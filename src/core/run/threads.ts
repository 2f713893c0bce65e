/**
 * How many threads the wasm backend trains with: what was asked (a setting or `--threads`), else
 * one per core, less `reserve` cores kept free (the editor keeps one so it stays responsive);
 * always 1–8 (8: the pthread pool tfjs's threaded build pre-creates, PTHREAD_POOL_SIZE).
 */
export const MAX_WASM_THREADS = 8;

export function wasmThreads(cores: number, asked?: number, reserve = 0): number {
  const n = asked !== undefined && asked >= 1 ? Math.floor(asked) : cores - reserve;
  return Math.max(1, Math.min(MAX_WASM_THREADS, n));
}
