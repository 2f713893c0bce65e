/**
 * The worker child process (dist/worker.js): serves the WorkerApi over Node IPC
 * (forked with `serialization: 'advanced'`, so typed arrays cross as they are).
 */
import { Engine } from './engine';
import { serveOverIpc } from './serve';

serveOverIpc((emit) => new Engine(emit).handlers());
