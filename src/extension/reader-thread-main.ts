/**
 * The reader's own thread (worker_threads): reads model files off the extension host's thread, so a
 * pathological file can never freeze the editor. One request at a time, plain data in and out.
 */
import { parentPort } from 'node:worker_threads';
import { readModel } from '../core/read-model';
import { h5ready } from '../core/saved/hdf5';
import { needsHdf5 } from '../core/saved/loaded-model';
import type { ReaderRequest, ReaderResponse } from './reader-thread';

parentPort?.on('message', (req: ReaderRequest) => {
  // HDF5 (h5wasm) is loaded only for files that load a saved model or weights.
  const ready = needsHdf5(req.text) ? h5ready().catch(() => undefined) : undefined;
  const answer = () => {
    const response: ReaderResponse = { id: req.id, result: readModel(req.file, req.text, req.workspaceRoot ? { workspaceRoot: req.workspaceRoot } : {}) };
    parentPort!.postMessage(response);
  };
  if (ready) void ready.then(answer);
  else answer();
});
