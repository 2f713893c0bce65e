/**
 * Runs the model reader in a worker thread (dist/reader.js). A read that takes longer than the
 * timeout ends the thread (it is started again for the next read) and answers with an error at
 * line 1, so the editor never waits on a file. Without the thread script (unit tests, a partial
 * build) `available()` is false and callers read on their own thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadResult } from '../core/model/ir';
import type { Log } from './log';

export interface ReaderRequest {
  id: number;
  file: string;
  text: string;
  /** Saved files named in the source must be inside this folder. */
  workspaceRoot?: string;
}
export interface ReaderResponse {
  id: number;
  result: ReadResult;
}

const failed = (file: string, message: string): ReadResult => ({
  file,
  models: [],
  diagnostics: [{ severity: 'error', code: 'reader', file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message }],
});

export class ReaderThread {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { file: string; resolve: (r: ReadResult) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly script: string,
    private readonly log: Log,
    private readonly timeoutMs = 10_000,
  ) {}

  /** The thread script next to the extension bundle, if it was built. */
  static scriptBeside(dir: string): string | undefined {
    const script = path.join(dir, 'reader.js');
    return fs.existsSync(script) ? script : undefined;
  }

  read(file: string, text: string, workspaceRoot?: string): Promise<ReadResult> {
    const worker = this.ensure();
    const id = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log.error(`Reading ${file} took longer than ${this.timeoutMs / 1000} s; the reader thread was restarted`);
        this.stop(`Model Lens stopped reading this file after ${this.timeoutMs / 1000} s; simplify the file or split the model out of it`);
      }, this.timeoutMs);
      this.pending.set(id, { file, resolve, timer });
      worker.postMessage({ id, file, text, ...(workspaceRoot ? { workspaceRoot } : {}) } satisfies ReaderRequest);
    });
  }

  dispose(): void {
    this.stop('the reader was closed');
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (m: ReaderResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(m.id);
      p.resolve(m.result);
    });
    worker.on('error', (e) => {
      this.log.error('The reader thread failed', e);
      this.stop(`Model Lens could not read this file (${e.message}); please report it`);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.stop('the reader thread ended unexpectedly; reopen the file to read it again');
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the thread; every waiting read is answered with `message`. */
  private stop(message: string): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(failed(p.file, message));
      this.pending.delete(id);
    }
    void worker?.terminate();
  }
}
