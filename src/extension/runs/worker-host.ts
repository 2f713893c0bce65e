/**
 * The one worker child process of the extension host, started on first use.
 * It is restarted on the next request after a crash; a crash is reported once.
 * The host never loads tfjs itself: everything heavy happens in the worker.
 */
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { ModelIR } from '../../core/model/ir';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import type { BackendInfo, HostApi, HostEvents, WorkerApi, WorkerEvents } from '../../core/protocol/worker';
import { Emitter } from '../../core/emitter';
import { Disposable } from '../dispose';
import type { Log } from '../log';
import type { Settings } from '../settings';

export type WorkerRpc = RpcEndpoint<HostApi, WorkerApi, WorkerEvents, HostEvents>;

/** What the host needs from a started worker process. */
export interface WorkerConnection {
  readonly rpc: WorkerRpc;
  dispose(): void;
}

export interface WorkerStartOptions {
  workerScript: string;
  nodePath?: string;
  /** `restart`: the worker ended itself after a fatal backend error it already reported. */
  onCrash(reason: string, restart?: boolean): void;
  log(line: string): void;
}

export type WorkerFactory = (options: WorkerStartOptions) => Promise<WorkerConnection> | WorkerConnection;

type Listener<E extends keyof WorkerEvents> = (data: WorkerEvents[E]) => void;

export class WorkerHost extends Disposable {
  private conn: WorkerConnection | undefined;
  private starting: Promise<{ conn: WorkerConnection; info: BackendInfo }> | undefined;
  private backend: BackendInfo | undefined;
  private generation = 0;
  private crashReported = false;
  /** modelKey → loaded tfjs model in the current worker. */
  private readonly models = new Map<string, Promise<string>>();
  /** Which cache key holds a model's fresh and its trained copy: a newer load replaces (and frees) the older one. */
  private readonly slots = new Map<string, string>();
  private readonly listeners = new Emitter<WorkerEvents>((event, e) => this.log.error(`Handling worker event '${String(event)}' failed`, e));
  private readonly crashed = this.register(new vscode.EventEmitter<string>());
  /** Fires when the worker dies unexpectedly (running jobs failed). */
  readonly onCrash = this.crashed.event;

  constructor(
    private readonly factory: WorkerFactory,
    private readonly workerScript: string,
    private readonly settings: Settings,
    private readonly log: Log,
    private readonly nativeModulePath: () => string | undefined,
  ) {
    super();
    this.register({ dispose: () => this.stop() });
  }

  get backendInfo(): BackendInfo | undefined {
    return this.backend;
  }

  get isRunning(): boolean {
    return !!this.conn;
  }

  /** Subscribe to worker events across restarts. */
  on<E extends keyof WorkerEvents>(event: E, listener: Listener<E>): vscode.Disposable {
    return { dispose: this.listeners.on(event, listener) };
  }

  /** The running worker, started and initialised if needed. */
  async rpc(): Promise<WorkerRpc> {
    if (this.conn && !this.conn.rpc.isDisposed) return this.conn.rpc;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return (await this.starting).conn.rpc;
  }

  request<M extends keyof WorkerApi & string>(method: M, params: WorkerApi[M]['params'], signal?: AbortSignal): Promise<WorkerApi[M]['result']> {
    return this.rpc().then((rpc) =>
      rpc.request(method, params, signal ? { signal } : {}).catch((e: unknown) => {
        // A fatal backend error (wasm out of memory): that worker is ending; the next request starts a new one.
        if ((e as { code?: string }).code === 'worker-restart' && this.conn?.rpc === rpc) {
          this.log.warn(`The training worker restarts: ${(e as Error).message}`);
          this.stop();
        }
        throw e;
      }),
    );
  }

  /** Loads (once per worker) a model, with weights when given (else the saved file its source loads); returns its worker-side id. */
  loadModel(key: string, model: ModelIR, weightsDir?: string): Promise<string> {
    const cacheKey = `${key}|${weightsDir ?? ''}|${JSON.stringify([model.startWeights ?? null, startStamp(model), model.training.inputScale ?? null, model.layers.map((l) => [l.name, l.type, l.config, l.inputs])])}`;
    let p = this.models.get(cacheKey);
    if (!p) {
      p = this.request('loadModel', weightsDir ? { model, weightsDir } : { model }).then((r) => r.modelId);
      p.catch(() => this.models.delete(cacheKey));
      this.models.set(cacheKey, p);
      // The model as edited since, or a newer run's weights, replace the older copy in the worker
      // (which frees it once any run on it ends): memory stays bounded over many trainings.
      const slot = `${key}|${weightsDir ? 'trained' : 'fresh'}`;
      const replaced = this.slots.get(slot);
      this.slots.set(slot, cacheKey);
      const old = replaced === undefined ? undefined : this.models.get(replaced);
      if (replaced !== undefined) this.models.delete(replaced);
      const gen = this.generation;
      old?.then(
        (modelId) => {
          if (gen === this.generation) this.request('dispose', { modelId }).catch(() => undefined);
        },
        () => undefined,
      );
    }
    return p;
  }

  /** Stops the worker (e.g. a setting changed); the next request starts a fresh one. */
  stop(): void {
    const c = this.conn;
    this.conn = undefined;
    this.backend = undefined;
    this.models.clear();
    this.slots.clear();
    this.generation++;
    if (c) {
      c.rpc.dispose('worker stopped', 'disposed');
      c.dispose();
    }
  }

  private async start(): Promise<{ conn: WorkerConnection; info: BackendInfo }> {
    const gen = ++this.generation;
    const nodePath = this.settings.nodePath;
    const t0 = Date.now();
    const conn = await this.factory({
      workerScript: this.workerScript,
      ...(nodePath ? { nodePath } : {}),
      log: (line) => this.log.info(`[worker] ${line}`),
      onCrash: (reason, restart) => this.handleCrash(gen, reason, restart),
    });
    this.conn = conn;
    for (const event of ['batch', 'epoch', 'log', 'done', 'error'] as const) {
      conn.rpc.on(event, (data) => {
        if (event === 'log') {
          const d = data as WorkerEvents['log'];
          this.log[d.level === 'error' ? 'error' : d.level === 'warn' ? 'warn' : 'info'](`[worker] ${d.message}`);
        }
        this.listeners.emit(event, data);
      });
    }
    try {
      const native = this.nativeModulePath();
      const threads = this.settings.trainingThreads;
      const info = await conn.rpc.request('init', { backend: this.settings.backend, ...(threads ? { threads } : {}), ...(native ? { nativeModulePath: native } : {}) });
      this.backend = info;
      this.crashReported = false;
      this.log.info(`Worker started in ${Date.now() - t0} ms · backend ${info.backend}: ${info.reason}`);
      return { conn, info };
    } catch (e) {
      this.log.error('Starting the training worker failed', e);
      if (this.conn === conn) this.stop();
      throw e;
    }
  }

  private handleCrash(gen: number, reason: string, restart = false): void {
    if (gen !== this.generation && this.conn === undefined) return;
    if (restart) {
      // Already reported with the request that failed: no pop-up, just a fresh worker next time.
      this.log.info(`The training worker restarts: ${reason}`);
      this.stop();
      return;
    }
    this.log.error(`The training worker stopped unexpectedly: ${reason}`);
    const c = this.conn;
    this.conn = undefined;
    this.backend = undefined;
    this.models.clear();
    this.slots.clear();
    this.generation++;
    c?.rpc.dispose(`the training worker stopped: ${reason}`, 'crashed');
    this.crashed.fire(reason);
    if (!this.crashReported) {
      this.crashReported = true;
      void vscode.window
        .showErrorMessage(`Model Lens: the training worker stopped (${reason}). It restarts on the next request.`, 'Show Log')
        .then((a) => a && this.log.show(), () => undefined);
    }
  }
}

/** A saved file the source loads, by its modification time: saving it again loads it again. */
function startStamp(model: ModelIR): number | null {
  if (!model.startWeights) return null;
  try {
    return fs.statSync(model.startWeights.file).mtimeMs;
  } catch {
    return null;
  }
}
