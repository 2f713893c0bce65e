/**
 * The reader's own thread (worker_threads): reads model files off the extension host's thread, so a
 * pathological file can never freeze the editor. One request at a time, plain data in and out.
 */
import { parentPort } from 'node:worker_threads';
import { readModel } from '../core/read-model';
import type { ReaderRequest, ReaderResponse } from './reader-thread';

parentPort?.on('message', (req: ReaderRequest) => {
  const response: ReaderResponse = { id: req.id, result: readModel(req.file, req.text) };
  parentPort!.postMessage(response);
});
