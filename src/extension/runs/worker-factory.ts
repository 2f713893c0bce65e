/** Starts the worker process through the engine's `WorkerClient` (loaded on first use). */
import type { WorkerConnection, WorkerStartOptions } from './worker-host';

export async function startWorker(options: WorkerStartOptions): Promise<WorkerConnection> {
  const { WorkerClient } = await import('../../worker/client');
  const client = new WorkerClient({
    workerScript: options.workerScript,
    lowPriority: true,
    ...(options.nodePath ? { nodePath: options.nodePath } : {}),
    onStderr: (text) => {
      for (const line of text.split(/\r?\n/)) if (line.trim()) options.log(line);
    },
  });
  const why = { setting: 'the modelLens.nodePath setting', current: 'the current Node', path: 'node from PATH', electron: "VS Code's own runtime (ELECTRON_RUN_AS_NODE=1)" }[client.node.how];
  options.log(`worker pid ${client.pid ?? '?'} runs on ${client.node.execPath} (${why})`);
  client.onCrash((c) => options.onCrash(c.message, c.restart));
  return { rpc: client.rpc, dispose: () => void client.dispose() };
}
