/**
 * The worker child process (dist/worker.js): serves the WorkerApi over Node IPC
 * (forked with `serialization: 'advanced'`, so typed arrays cross as they are).
 */
import { RpcEndpoint, type Transport } from '../core/protocol/rpc';
import type { HostApi, HostEvents, WorkerApi, WorkerEvents } from '../core/protocol/worker';
import { Engine } from './engine';

if (!process.send) {
  console.error('model-lens worker: start me with child_process.fork (I talk over IPC).');
  process.exit(2);
}

const transport: Transport = {
  send: (m) => {
    if (!process.connected) throw new Error('IPC channel closed');
    process.send!(m);
  },
  onMessage: (listener) => {
    process.on('message', listener);
    return () => process.off('message', listener);
  },
};

const rpc = new RpcEndpoint<WorkerApi, HostApi, HostEvents, WorkerEvents>(transport);
const engine = new Engine((event, data) => rpc.emit(event, data));
rpc.handle(engine.handlers());

// Ctrl+C in a terminal sends SIGINT to the whole process group, this worker included: the parent
// (the CLI) turns it into a cancel of the run, so the worker must not die of it mid-batch.
process.on('SIGINT', () => undefined);

// The parent went away: nothing left to serve.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (e) => {
  try {
    rpc.emit('error', { message: `worker crashed: ${e.stack ?? e.message}` });
  } finally {
    setTimeout(() => process.exit(1), 50);
  }
});
process.on('unhandledRejection', (e) => {
  rpc.emit('log', { level: 'error', message: `unhandled rejection in the worker: ${String((e as Error)?.stack ?? e)}` });
});
