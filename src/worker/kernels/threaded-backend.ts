// The wasm backend with threads in Node. tfjs-backend-wasm 4.22 ships a threaded+SIMD build but
// never uses it in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false there, and its loader
// passes Blob URLs, which Node's worker_threads cannot start). This module starts that build
// itself: the pthread worker script and the module factory are written to small files (in a new
// private folder per process: they are executed, so no other user may write them), the wasm
// binary is read from disk, and the resulting BackendWasm is registered as 'wasm' so every wasm
// kernel (and ours) runs on it. XNNPACK then spreads convolutions and matrix products over the
// threads (measured ~2× on a quiet 2-core machine).
//
// One more obstacle: the C++ side caps its thread pool at (logical cores / 2), assuming
// hyper-threading, so on a 2-core machine it would create 1 thread. While the module
// instantiates, os.cpus() is made to report 2 × the asked thread count, which lifts that cap.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { wasmThreads } from '../../core/run/threads';
import { registerWasmTrainingKernels } from './index';

export interface WasmSetup {
  /** Threads XNNPACK uses (1 = single-threaded build). */
  threads: number;
  /** Human-readable note: which build is running and why. */
  detail: string;
}

export interface WasmSetupOptions {
  /** Threads to use; default: the number of CPUs (at most 8). 1 = the plain SIMD build. */
  threads?: number;
  /** Folder holding tfjs-backend-wasm-threaded-simd.wasm (default: next to this bundle, then node_modules). */
  wasmDir?: string;
  /** Where the private folder for the two small generated scripts is made (default: the OS temp folder). */
  scriptDir?: string;
}

const WASM_FILE = 'tfjs-backend-wasm-threaded-simd.wasm';

type Factory = ((config: Record<string, unknown>) => Promise<ThreadedModule>) & { toString(): string };
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { terminateAllThreads(): void; runningWorkers?: Array<{ unref?(): void }> };
  tfjs?: unknown;
}

function findWasmBinary(dir: string | undefined): string {
  const candidates: string[] = [];
  if (dir) candidates.push(path.join(dir, WASM_FILE));
  if (typeof __dirname !== 'undefined') candidates.push(path.join(__dirname, WASM_FILE));
  try {
    candidates.push(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist', WASM_FILE));
  } catch {
    // not resolvable from a bundle: the other candidates remain
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`${WASM_FILE} not found (looked in: ${candidates.join(', ')})`);
  return found;
}

const PRIVATE_PREFIX = 'model-lens-wasm-';

/**
 * Writes the scripts the threads execute into a new private folder under `base`: a random name
 * from mkdtemp (mode 0700, so no other user can add, swap or read a file in it), each file
 * created exclusively (an existing file is an error, never reused). The folder is removed when
 * this process exits; folders left by processes that died are removed here, when their pid is gone.
 */
export function writePrivateScripts(base: string, scripts: Record<string, string>): { dir: string; files: Record<string, string> } {
  removeStaleScriptDirs(base);
  const dir = fs.mkdtempSync(path.join(base, `${PRIVATE_PREFIX}${process.pid}-`));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const st = fs.lstatSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (!st.isDirectory() || (st.mode & 0o077) !== 0 || (uid !== undefined && st.uid !== uid)) {
    throw new Error(`the private script folder ${dir} is not private (mode ${(st.mode & 0o777).toString(8)}); not starting threads`);
  }
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(scripts)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
    files[name] = file;
  }
  return { dir, files };
}

/** Removes `model-lens-wasm-<pid>-*` folders of ours whose process no longer exists. */
function removeStaleScriptDirs(base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(base).filter((n) => n.startsWith(PRIVATE_PREFIX));
  } catch {
    return;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  for (const name of names) {
    const pid = Number(/^model-lens-wasm-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    const full = path.join(base, name);
    try {
      const st = fs.lstatSync(full);
      if (st.isDirectory() && (uid === undefined || st.uid === uid)) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function startThreaded(threads: number, opts: WasmSetupOptions): Promise<void> {
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('SharedArrayBuffer is not available');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js') as Factory;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
    wasmWorkerContents: string;
  };
  // Same texts tfjs builds its Blobs from (the worker text keeps '\n' escapes inside strings).
  const { files } = writePrivateScripts(opts.scriptDir ?? os.tmpdir(), {
    'pthread.js': wasmWorkerContents.replace(/\n/g, '\\n'),
    'module.js': `var WasmBackendModuleThreadedSimd = ${factory.toString()};\n`,
  });
  const workerFile = files['pthread.js']!;
  const mainFile = files['module.js']!;
  const wasmBinary = fs.readFileSync(findWasmBinary(opts.wasmDir));

  const realCpus = os.cpus;
  const cpus = realCpus();
  const fake = Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]!);
  os.cpus = () => fake;
  let mod: ThreadedModule;
  try {
    mod = await factory({
      wasmBinary,
      mainScriptUrlOrBlob: mainFile,
      locateFile: (p: string, prefix: string) => (p.endsWith('.worker.js') ? workerFile : prefix + p),
    });
  } finally {
    os.cpus = realCpus;
  }
  mod.tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  const original = tf.findBackendFactory('wasm') as ReturnType<typeof tf.findBackendFactory> | undefined;
  if (original) tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => new BackendWasm(mod as never), 3);
  if (!(await tf.setBackend('wasm'))) {
    mod.PThread?.terminateAllThreads();
    tf.removeBackend('wasm');
    if (original) tf.registerBackend('wasm', original, 3);
    throw new Error('the threaded wasm backend did not initialize');
  }
  await tf.ready();
  // XNNPACK's pool threads wait for work forever; emscripten keeps a running pthread's worker
  // referenced, which would keep this process alive after its work is done. Unreferenced, the
  // threads stop with the process (the main thread blocks on them while a kernel runs anyway).
  for (const w of mod.PThread?.runningWorkers ?? []) w.unref?.();
}

/**
 * Makes 'wasm' the active tfjs backend — the threaded build when more than one thread is asked
 * for and it starts, else the plain one — and registers the training kernels. Call once per
 * process, before any tensor exists. Returns what runs, to be reported to the user.
 */
export async function setupWasmBackend(opts: WasmSetupOptions = {}): Promise<WasmSetup> {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const threads = wasmThreads(cpus, opts.threads);
  let detail: string;
  if (threads > 1) {
    try {
      await startThreaded(threads, opts);
      registerWasmTrainingKernels();
      const actual = getThreadsCount();
      return { threads: actual, detail: `threaded SIMD wasm, ${actual} threads` };
    } catch (e) {
      // The package's own single-threaded loader is still registered (startThreaded replaces it
      // only once the threaded module is up).
      detail = `SIMD wasm, 1 thread (the threaded build did not start: ${(e as Error).message})`;
    }
  } else {
    detail = 'SIMD wasm, 1 thread';
  }
  setThreadsCount(1);
  if (opts.wasmDir) setWasmPaths(opts.wasmDir.endsWith(path.sep) ? opts.wasmDir : opts.wasmDir + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialize');
  await tf.ready();
  registerWasmTrainingKernels();
  return { threads: 1, detail };
}
