/**
 * Serving worker handlers over Node IPC (the process was started with child_process.fork).
 * After a fatal backend error (see fatal.ts) the process ends once that answer is out: the
 * backend is unusable, and the host starts a fresh worker for the next request.
 */
import { RpcEndpoint, type Handlers, type Transport } from '../core/protocol/rpc';
import type { HostApi, HostEvents, WorkerApi, WorkerEvents } from '../core/protocol/worker';
import { EXIT_RESTART, RESTART_CODE } from './fatal';

export type WorkerEmit = <E extends keyof WorkerEvents & string>(event: E, data: WorkerEvents[E]) => void;

export function serveOverIpc(makeHandlers: (emit: WorkerEmit) => Handlers<WorkerApi>): void {
  if (!process.send) {
    console.error('model-lens worker: start me with child_process.fork (I talk over IPC).');
    process.exit(2);
  }
  const transport: Transport = {
    send: (m) => {
      if (!process.connected) throw new Error('IPC channel closed');
      const fatal = m.rpc === 'res' && !m.ok && m.error.code === RESTART_CODE;
      process.send!(m, undefined, {}, fatal ? () => process.exit(EXIT_RESTART) : undefined);
    },
    onMessage: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
  const rpc = new RpcEndpoint<WorkerApi, HostApi, HostEvents, WorkerEvents>(transport);
  rpc.handle(makeHandlers((event, data) => rpc.emit(event, data)));

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
}
