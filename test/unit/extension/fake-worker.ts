/** A fake training worker on an in-memory channel (no tfjs): trains `steps` batches, one every `ms`, honours cancel. */
import path from 'node:path';
import { RpcEndpoint, memoryTransportPair } from '../../../src/core/protocol/rpc';
import type { HostApi, HostEvents, WorkerApi, WorkerEvents } from '../../../src/core/protocol/worker';
import type { RunRecord, TrainSettings } from '../../../src/core/run/record';
import type { WorkerConnection, WorkerStartOptions } from '../../../src/extension/runs/worker-host';

type Server = RpcEndpoint<WorkerApi, HostApi, HostEvents, WorkerEvents>;

/** A fake worker: trains `steps` batches, one every `ms`, honours cancel. */
export function fakeWorkerFactory(opts: { steps?: number; ms?: number; hang?: boolean; failBatchSize?: number } = {}) {
  const starts: WorkerStartOptions[] = [];
  /** Model ids each worker was asked to dispose. */
  const disposed: string[][] = [];
  const servers: Server[] = [];
  /** Every train request, in order. */
  const trained: { runId: string; settings: TrainSettings }[] = [];
  const factory = (o: WorkerStartOptions): WorkerConnection => {
    starts.push(o);
    const [a, b] = memoryTransportPair();
    const rpc = new RpcEndpoint<HostApi, WorkerApi, WorkerEvents, HostEvents>(a);
    const server: Server = new RpcEndpoint(b);
    servers.push(server);
    const cancelled = new Set<string>();
    let models = 0;
    disposed.push([]);
    const mine = disposed[disposed.length - 1]!;
    server.handle({
      dispose: ({ modelId }) => void mine.push(modelId),
      init: () => ({ backend: 'wasm', reason: 'test backend' }),
      loadModel: () => ({ modelId: `m${++models}`, params: 1 }),
      cancel: ({ runId }) => (cancelled.add(runId), { cancelled: true }),
      train: async ({ runId, settings, runDir, modelFile, modelHash }) => {
        trained.push({ runId, settings });
        if (settings.batchSize === opts.failBatchSize) throw new Error(`batch size ${settings.batchSize} does not fit`);
        const steps = opts.steps ?? 3;
        for (let step = 1; step <= steps; step++) {
          if (opts.hang) await new Promise(() => undefined);
          await new Promise((r) => setTimeout(r, opts.ms ?? 5));
          if (cancelled.has(runId)) {
            return { id: runId, modelName: 'Basic_CNN', modelFile, modelHash, status: 'cancelled', startedAt: 'x', settings, batches: [], epochs: [], weightsDir: path.join(runDir, 'weights') } as RunRecord;
          }
          server.emit('batch', { runId, epoch: 1, epochs: 1, batch: step, batchesPerEpoch: steps, step, loss: 1 / step, acc: step / steps, samplesPerSec: 100, etaSec: steps - step, progress: step / steps });
        }
        server.emit('epoch', { runId, epochs: 1, epoch: 1, loss: 0.1, acc: 0.9, durationMs: 10 });
        return { id: runId, modelName: 'Basic_CNN', modelFile, modelHash, status: 'completed', startedAt: 'x', settings, batches: [], epochs: [], test: { loss: 0.1, acc: 0.95, samples: 10 }, weightsDir: path.join(runDir, 'weights') } as RunRecord;
      },
    });
    return { rpc, dispose: () => rpc.dispose() };
  };
  return { factory, starts, servers, disposed, trained };
}

