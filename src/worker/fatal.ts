/**
 * When the worker cannot go on. The wasm backend's memory is at most 4 GB (wasm32); past it an
 * allocation fails with a WebAssembly RuntimeError ("memory access out of bounds") and the module
 * is broken for every later call. So: a model whose weights cannot fit is refused before it is
 * built, and a runtime failure of the backend ends that request with a clear message, then the
 * worker exits (code EXIT_RESTART) so the host starts a fresh one for the next request.
 */
import { RpcError } from '../core/protocol/rpc';

/** Exit code of a worker that ended itself after a fatal backend error (EX_TEMPFAIL). */
export const EXIT_RESTART = 75;
/** Error code of the request that hit it; the host restarts the worker before the next one. */
export const RESTART_CODE = 'worker-restart';
/** The most memory a wasm32 module can address. */
export const WASM_MEMORY_BYTES = 4 * 1024 ** 3;

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/** A failure that leaves the backend unusable (the wasm module trapped or aborted, or memory ran out). */
export function isFatalBackendError(e: unknown): boolean {
  if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) return true;
  const m = String((e as Error)?.message ?? e);
  return /memory access out of bounds|Aborted\(|abort\(OOM|unreachable executed|out of memory|Array buffer allocation failed|Cannot enlarge memory/i.test(m);
}

/** The message of a request that hit a fatal backend error; `params` sizes the model when known. */
export function fatalMessage(method: string, e: unknown, backend: string | undefined, params?: number): string {
  const what = String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
  const size = params !== undefined ? ` this model's weights take ~${gb(params * 4)};` : '';
  const limit = backend === 'wasm' ? ` The wasm backend has ${gb(WASM_MEMORY_BYTES)} of memory;${size} a smaller batch size or model, or the native backend (Model Lens: Install Native Backend, or --backend tensorflow), may fit.` : '';
  return `${method} failed in the ${backend ?? 'tfjs'} backend (${what}) — most likely out of memory.${limit} The worker restarts for the next request.`;
}

export class FatalBackendError extends RpcError {
  constructor(message: string) {
    super(message, RESTART_CODE);
  }
}

/**
 * Refuses, before anything is allocated, a model that cannot fit the wasm backend's memory:
 * its float32 weights (loading, predicting) or weights + gradients + two optimizer slots (training).
 */
export function checkFitsWasm(params: number, forTraining: boolean): void {
  const copies = forTraining ? 4 : 1;
  const need = params * 4 * copies;
  // Leave a tenth for activations, inputs and the runtime itself.
  if (need <= WASM_MEMORY_BYTES * 0.9) return;
  const what = forTraining ? `training needs ~${gb(need)} (weights, gradients and optimizer state of ${params.toLocaleString('en-US')} parameters)` : `the model needs ~${gb(need)} of weights (${params.toLocaleString('en-US')} parameters × 4 bytes)`;
  throw new RpcError(`${what}; the wasm backend has ${gb(WASM_MEMORY_BYTES)}. Use a smaller model, or the native backend (Model Lens: Install Native Backend, or --backend tensorflow).`, 'too-big');
}

/**
 * Each handler guarded: a fatal backend error becomes a FatalBackendError with a clear message
 * (`about` says the backend and the model's size for the request's params); others pass as they are.
 */
export function guardFatal<H extends object>(handlers: H, about: (params: unknown) => { backend?: string | undefined; params?: number | undefined }): H {
  const guarded: Record<string, unknown> = {};
  for (const [method, h] of Object.entries(handlers) as [string, (p: unknown, ctx: unknown) => unknown][]) {
    guarded[method] = async (p: unknown, ctx: unknown) => {
      try {
        return await h(p, ctx);
      } catch (e) {
        if (!isFatalBackendError(e)) throw e;
        const a = about(p);
        throw new FatalBackendError(fatalMessage(method, e, a.backend, a.params));
      }
    };
  }
  return guarded as H;
}

/** Float32 values one sample produces in each layer's output (unknown dimensions skipped). */
interface ShapedGraph {
  layers: { outputShape: (number | null)[] | null; nested?: { graph?: ShapedGraph } }[];
}

/** Values per sample of each layer's output; a model used as a layer counts each of its own layers'. */
function outputsPerSample(ir: ShapedGraph): number[] {
  return ir.layers.flatMap((l) => (l.nested?.graph ? outputsPerSample(l.nested.graph) : [(l.outputShape ?? []).slice(1).reduce<number>((a, d) => a * (d ?? 1), 1)]));
}

/**
 * Refuses, before anything runs, a batch whose activations cannot fit the wasm backend's memory
 * next to the weights: training keeps every layer's output for the backward pass (and about as
 * much again for gradients); evaluating needs the largest layer's input and output at once.
 */
export function checkBatchFitsWasm(ir: ShapedGraph, params: number, batch: number, forTraining: boolean): void {
  const per = outputsPerSample(ir);
  const values = forTraining ? 2 * per.reduce((a, b) => a + b, 0) : 2 * Math.max(0, ...per);
  const activations = values * batch * 4;
  const weights = params * 4 * (forTraining ? 4 : 1);
  if (activations + weights <= WASM_MEMORY_BYTES * 0.9) return;
  throw new RpcError(
    `${forTraining ? 'training' : 'evaluating'} with batch size ${batch} needs ~${gb(activations)} of activations besides ~${gb(weights)} of ${forTraining ? 'weights and optimizer state' : 'weights'}; the wasm backend has ${gb(WASM_MEMORY_BYTES)}. Use a smaller batch size (--batch-size, modelLens.batchSize), a smaller model, or the native backend.`,
    'too-big',
  );
}
