/**
 * Starts the worker child process and talks to it. Used by the CLI and the VS Code extension
 * host alike, so it imports only Node built-ins (no tfjs).
 *
 * Which Node runs the worker: an explicit `nodePath` (a setting) > this process when it is a
 * plain Node > a `node` found on PATH > this process as Node (`ELECTRON_RUN_AS_NODE=1`, inside
 * VS Code), so that native tfjs-node gets a Node it is built for when there is one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Emitter } from '../core/emitter';
import { RpcEndpoint, RpcError, type Transport } from '../core/protocol/rpc';
import type { HostApi, HostEvents, WorkerApi, WorkerEvents } from '../core/protocol/worker';
import { EXIT_RESTART } from './fatal';

export type WorkerRpc = RpcEndpoint<HostApi, WorkerApi, WorkerEvents, HostEvents>;

export interface NodeChoice {
  execPath: string;
  /** Why this one, said in logs. */
  how: 'setting' | 'current' | 'path' | 'electron';
  env: Record<string, string>;
}

export interface WorkerCrash {
  code: number | null;
  signal: NodeJS.Signals | null;
  outOfMemory: boolean;
  /**
   * The worker ended itself after a fatal backend error (exit code EXIT_RESTART): the request
   * that hit it already has a clear message; a new worker serves the next request.
   */
  restart: boolean;
  /** e.g. "the model-lens worker ran out of memory (exit code 134)". */
  message: string;
  /** Last lines the worker wrote to stderr. */
  stderr: string;
}

export interface WorkerClientOptions {
  /** The worker entry: dist/worker.js, or src/worker/main.ts (run through tsx) from source. */
  workerScript?: string;
  /** An explicit Node executable (setting `modelLens.nodePath`). */
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra Node flags, e.g. ['--max-old-space-size=4096']. */
  execArgv?: string[];
  /** Each chunk the worker writes to stderr (warnings from tfjs, crash traces). */
  onStderr?: (text: string) => void;
  /**
   * Run the worker below normal priority (the editor's choice): training may then use every core
   * and the editor still gets the CPU first when it needs it. Threads the worker starts later (the
   * wasm thread pool) inherit the priority.
   */
  lowPriority?: boolean;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `node` on PATH, if any. */
export function findNodeOnPath(envPath = process.env.PATH ?? ''): string | undefined {
  const names = process.platform === 'win32' ? ['node.exe', 'node.cmd'] : ['node'];
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    for (const n of names) {
      const f = path.join(dir, n);
      if (isExecutable(f)) return f;
    }
  }
  return undefined;
}

export function chooseNode(nodePath?: string, env: NodeJS.ProcessEnv = process.env, versions: NodeJS.ProcessVersions = process.versions): NodeChoice {
  if (nodePath) {
    if (!isExecutable(nodePath)) throw new Error(`the Node executable '${nodePath}' (setting modelLens.nodePath) does not exist or is not executable.`);
    return { execPath: nodePath, how: 'setting', env: {} };
  }
  if (!versions.electron) return { execPath: process.execPath, how: 'current', env: {} };
  const onPath = findNodeOnPath(env.PATH);
  if (onPath) return { execPath: onPath, how: 'path', env: {} };
  return { execPath: process.execPath, how: 'electron', env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/** dist/worker.js next to this bundle, else the TypeScript source (tests, `tsx`). */
export function defaultWorkerScript(): string {
  const bundled = path.join(__dirname, 'worker.js');
  if (fs.existsSync(bundled)) return bundled;
  const source = path.join(__dirname, 'main.ts');
  if (fs.existsSync(source)) return source;
  throw new Error(`model-lens worker not found next to ${__dirname}: run \`npm run build\`.`);
}

export class WorkerClient {
  readonly rpc: WorkerRpc;
  readonly node: NodeChoice;
  private readonly child: ChildProcess;
  private readonly crashEvents = new Emitter<{ crash: WorkerCrash }>((_e, err) => console.error('model-lens: a crash listener failed:', err));
  private stderrTail = '';
  private disposing = false;
  private exited = false;
  /** Set once the process has ended unexpectedly. */
  crash: WorkerCrash | undefined;

  constructor(options: WorkerClientOptions = {}) {
    const script = options.workerScript ?? defaultWorkerScript();
    this.node = chooseNode(options.nodePath, options.env ?? process.env);
    const execArgv = [...(options.execArgv ?? [])];
    // From source (tests): run the TypeScript entry through tsx, resolved from here, not the cwd.
    if (script.endsWith('.ts')) execArgv.unshift('--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href);
    this.child = fork(script, [], {
      execPath: this.node.execPath,
      execArgv,
      serialization: 'advanced',
      env: { ...(options.env ?? process.env), ...this.node.env },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    if (options.lowPriority && this.child.pid !== undefined) {
      try {
        os.setPriority(this.child.pid, os.constants.priority.PRIORITY_BELOW_NORMAL);
      } catch {
        /* not permitted here: the worker runs at normal priority */
      }
    }
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-4000);
      options.onStderr?.(text);
    });
    const child = this.child;
    const transport: Transport = {
      send: (m) => {
        if (!child.connected) throw new Error('worker not connected');
        child.send(m);
      },
      onMessage: (listener) => {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
    };
    this.rpc = new RpcEndpoint<HostApi, WorkerApi, WorkerEvents, HostEvents>(transport);
    child.on('error', (e) => this.ended(null, null, e.message));
    child.on('exit', (code, signal) => this.ended(code, signal));
  }

  /** Called once when the worker dies without being asked to. */
  onCrash(listener: (c: WorkerCrash) => void): () => void {
    return this.crashEvents.on('crash', listener);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  request<M extends keyof WorkerApi & string>(method: M, params: WorkerApi[M]['params'], options?: { signal?: AbortSignal }): Promise<WorkerApi[M]['result']> {
    if (this.crash) return Promise.reject(new RpcError(this.crash.message, 'worker-crashed'));
    return this.rpc.request(method, params, options);
  }

  on<E extends keyof WorkerEvents>(event: E, listener: (data: WorkerEvents[E]) => void): () => void {
    return this.rpc.on(event, listener);
  }

  private ended(code: number | null, signal: NodeJS.Signals | null, spawnError?: string): void {
    if (this.exited) return;
    this.exited = true;
    if (this.disposing) {
      this.rpc.dispose('worker stopped', 'disposed');
      return;
    }
    if (code === EXIT_RESTART) {
      const message = 'the model-lens worker stopped after a backend failure (reported with the request); a new one starts for the next request.';
      this.crash = { code, signal, outOfMemory: false, restart: true, message, stderr: this.stderrTail };
      // Its last answer (the clear message) may still be in the IPC pipe: read it first.
      setTimeout(() => {
        this.rpc.dispose(message, 'worker-crashed');
        this.crashEvents.emit('crash', this.crash!);
      }, 100);
      return;
    }
    const tail = this.stderrTail;
    const outOfMemory = /heap out of memory|Allocation failed|Cannot allocate memory|std::bad_alloc|RangeError: Array buffer allocation failed|Out of memory/i.test(tail) || signal === 'SIGKILL' && /oom/i.test(tail);
    const how = spawnError
      ? `could not start (${spawnError})`
      : outOfMemory
        ? `ran out of memory (${signal ? `signal ${signal}` : `exit code ${code}`})`
        : signal
          ? `was killed by signal ${signal}`
          : `exited unexpectedly with code ${code}`;
    const lastLine = tail.trim().split('\n').filter((l) => l.trim()).slice(-1)[0];
    const message = `the model-lens worker ${how}${lastLine && !outOfMemory ? `: ${lastLine.trim().slice(0, 300)}` : ''}. Start it again to continue.`;
    this.crash = { code, signal, outOfMemory, restart: false, message, stderr: tail };
    this.rpc.dispose(message, 'worker-crashed');
    this.crashEvents.emit('crash', this.crash);
  }

  /** Stop the worker (pending requests fail with 'worker stopped'). */
  dispose(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.disposing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill();
    });
  }
}
