/**
 * One small request/response + event helper, reused on every channel
 * (host ↔ worker over IPC, host ↔ webview over postMessage, CLI ↔ worker).
 *
 * An API is described as a map `method → { params; result }`; events as a map
 * `event → payload`. Both sides import the same protocol file, so a typo in a
 * method name or a payload field is a compile error.
 *
 * A request can be cancelled (AbortSignal on the caller side; the handler sees an
 * aborted signal). Errors cross the channel as `{ message, code }` and are
 * re-thrown as `RpcError` on the caller side.
 *
 * What arrives is untrusted (a webview is web content): only envelopes of the right shape are
 * read, only the endpoint's own handlers answer (never an inherited property such as
 * `constructor` or `toString`), and an endpoint can check each method's params and each event's
 * payload (`check`) before a handler or listener sees them.
 */
import { Emitter } from '../emitter';

/** `T` is an API when each of its methods maps to `{ params; result }` (no index signature needed). */
export type ApiShape<T> = { [M in keyof T]: { params: unknown; result: unknown } };
/** Events: any object type mapping event names to payloads. */
export type EventShape = object;

/** Anything that can carry structured-clonable messages both ways. */
export interface Transport {
  send(message: Envelope): void;
  /** Subscribe; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

export interface RpcErrorData {
  message: string;
  code?: string;
}

export type Envelope =
  | { rpc: 'req'; id: number; method: string; params: unknown }
  | { rpc: 'res'; id: number; ok: true; result: unknown }
  | { rpc: 'res'; id: number; ok: false; error: RpcErrorData }
  | { rpc: 'cancel'; id: number }
  | { rpc: 'evt'; event: string; data: unknown };

export class RpcError extends Error {
  constructor(
    message: string,
    readonly code: string = 'error',
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface HandlerContext {
  /** Aborted when the caller cancels the request or the endpoint is disposed. */
  signal: AbortSignal;
}

export type Handlers<Api extends ApiShape<Api>> = {
  [M in keyof Api]?: (params: Api[M]['params'], ctx: HandlerContext) => Api[M]['result'] | Promise<Api[M]['result']>;
};

/** Parses untrusted params or payloads: returns the value to use, or throws saying what is wrong. */
export type Parser<T> = (value: unknown) => T;

export type ParamCheckers<Api extends ApiShape<Api>> = { [M in keyof Api]?: Parser<Api[M]['params']> };
export type EventCheckers<Ev> = { [E in keyof Ev]?: Parser<Ev[E]> };

const isId = (id: unknown): id is number => typeof id === 'number' && Number.isSafeInteger(id);

function isEnvelope(m: unknown): m is Envelope {
  if (typeof m !== 'object' || m === null) return false;
  const e = m as Record<string, unknown>;
  switch (e['rpc']) {
    case 'req':
      return isId(e['id']) && typeof e['method'] === 'string';
    case 'res':
      return isId(e['id']) && typeof e['ok'] === 'boolean';
    case 'cancel':
      return isId(e['id']);
    case 'evt':
      return typeof e['event'] === 'string';
    default:
      return false;
  }
}

/** `obj[key]` only when `obj` itself has it (never Object.prototype's `constructor`, `__proto__`…). */
function own<T>(obj: object, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? ((obj as Record<string, unknown>)[key] as T) : undefined;
}

/**
 * One end of a channel. `Local` is the API this end serves, `Remote` the API it calls;
 * `In` the events it receives, `Out` the events it emits.
 */
export class RpcEndpoint<Local extends ApiShape<Local>, Remote extends ApiShape<Remote>, In extends EventShape, Out extends EventShape> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly running = new Map<number, AbortController>();
  private readonly listeners = new Emitter<In>((event, e) => console.error(`rpc: a listener of '${String(event)}' failed:`, e));
  private handlers: Handlers<Local> = {};
  private paramCheckers: ParamCheckers<Local> = {};
  private eventCheckers: EventCheckers<In> = {};
  private rejected?: (what: string, message: string) => void;
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(private readonly transport: Transport) {
    this.unsubscribe = transport.onMessage((m) => this.receive(m));
  }

  /** Serve requests. Later calls add to (and override) earlier handlers. */
  handle(handlers: Handlers<Local>): void {
    this.handlers = { ...this.handlers, ...handlers };
  }

  /**
   * Check what the other side sends before it is used: params of each served method (a failure
   * answers the request with code 'bad-params') and payloads of events (a failing event is
   * dropped). `onRejected` hears about each refusal (for the log).
   */
  check(checkers: { params?: ParamCheckers<Local>; events?: EventCheckers<In>; onRejected?: (what: string, message: string) => void }): void {
    this.paramCheckers = { ...this.paramCheckers, ...checkers.params };
    this.eventCheckers = { ...this.eventCheckers, ...checkers.events };
    if (checkers.onRejected) this.rejected = checkers.onRejected;
  }

  request<M extends keyof Remote & string>(
    method: M,
    params: Remote[M]['params'],
    options: { signal?: AbortSignal } = {},
  ): Promise<Remote[M]['result']> {
    if (this.disposed) return Promise.reject(new RpcError('channel closed', 'disposed'));
    const id = this.nextId++;
    return new Promise<Remote[M]['result']>((resolve, reject) => {
      const signal = options.signal;
      const onAbort = () => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        this.safeSend({ rpc: 'cancel', id });
        reject(new RpcError(`${method} cancelled`, 'cancelled'));
      };
      this.pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as Remote[M]['result']);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.safeSend({ rpc: 'req', id, method, params })) {
        this.pending.delete(id);
        reject(new RpcError('channel closed', 'disposed'));
      }
    });
  }

  emit<E extends keyof Out & string>(event: E, data: Out[E]): void {
    this.safeSend({ rpc: 'evt', event, data });
  }

  on<E extends keyof In>(event: E, listener: (data: In[E]) => void): () => void {
    return this.listeners.on(event, listener);
  }

  /** Fail every pending request (e.g. the other side died) and stop listening. */
  dispose(reason = 'channel closed', code = 'disposed'): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe();
    for (const [, p] of this.pending) p.reject(new RpcError(reason, code));
    this.pending.clear();
    for (const [, c] of this.running) c.abort();
    this.running.clear();
    this.listeners.clear();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private safeSend(message: Envelope): boolean {
    try {
      this.transport.send(message);
      return true;
    } catch {
      return false;
    }
  }

  private receive(m: unknown): void {
    if (!isEnvelope(m)) return;
    switch (m.rpc) {
      case 'res': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else {
          const err = (m as { error?: Partial<RpcErrorData> }).error;
          p.reject(new RpcError(String(err?.message ?? 'unknown error'), typeof err?.code === 'string' ? err.code : 'error'));
        }
        return;
      }
      case 'evt': {
        let data = m.data;
        const parse = own<Parser<unknown>>(this.eventCheckers, m.event);
        if (parse) {
          try {
            data = parse(data);
          } catch (e) {
            this.rejected?.(`event '${m.event}'`, (e as Error).message);
            return;
          }
        }
        this.listeners.emit(m.event as keyof In, data as In[keyof In]);
        return;
      }
      case 'cancel':
        this.running.get(m.id)?.abort();
        return;
      case 'req':
        void this.serve(m.id, m.method, m.params);
        return;
    }
  }

  private async serve(id: number, method: string, params: unknown): Promise<void> {
    const handler = own<(p: unknown, ctx: HandlerContext) => unknown>(this.handlers, method);
    if (typeof handler !== 'function') {
      this.safeSend({ rpc: 'res', id, ok: false, error: { message: `unknown method '${method.slice(0, 100)}'`, code: 'unknown-method' } });
      return;
    }
    const parse = own<Parser<unknown>>(this.paramCheckers, method);
    if (parse) {
      try {
        params = parse(params);
      } catch (e) {
        const message = `${method}: ${(e as Error).message}`;
        this.rejected?.(`request '${method}'`, message);
        this.safeSend({ rpc: 'res', id, ok: false, error: { message, code: 'bad-params' } });
        return;
      }
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      const result = await handler(params, { signal: controller.signal });
      this.safeSend({ rpc: 'res', id, ok: true, result });
    } catch (e) {
      const err = e as { message?: string; code?: string };
      const code = controller.signal.aborted ? 'cancelled' : typeof err?.code === 'string' ? err.code : 'error';
      this.safeSend({ rpc: 'res', id, ok: false, error: { message: String(err?.message ?? e), code } });
    } finally {
      this.running.delete(id);
    }
  }
}

/** Two transports wired to each other in memory (tests, in-process use). */
export function memoryTransportPair(): [Transport, Transport] {
  const a = new Set<(m: unknown) => void>();
  const b = new Set<(m: unknown) => void>();
  const deliver = (set: Set<(m: unknown) => void>, m: unknown) =>
    queueMicrotask(() => {
      for (const l of [...set]) l(structuredClone(m));
    });
  return [
    { send: (m) => deliver(b, m), onMessage: (l) => (a.add(l), () => a.delete(l)) },
    { send: (m) => deliver(a, m), onMessage: (l) => (b.add(l), () => b.delete(l)) },
  ];
}
