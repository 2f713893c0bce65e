/**
 * One typed event emitter for every listener list in Model Lens (the RPC endpoint, the worker
 * host, the webview store, the worker client's crash listeners). `Events` maps an event name to
 * its payload; `on` returns the unsubscribe function. A listener that throws does not stop the
 * others: the error goes to `onError` (default: rethrown after every listener ran).
 */
export type Listener<T> = (data: T) => void;

export class Emitter<Events extends object> {
  private readonly map = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onError?: (event: keyof Events, error: unknown) => void) {}

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.map.get(event);
    if (!set) this.map.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => {
      set!.delete(listener as Listener<never>);
    };
  }

  emit<E extends keyof Events>(event: E, data: Events[E]): void {
    const set = this.map.get(event);
    if (!set) return;
    let failure: { error: unknown } | undefined;
    // A copy: a listener may unsubscribe itself (or others) while we iterate.
    for (const l of [...set]) {
      try {
        (l as Listener<Events[E]>)(data);
      } catch (error) {
        if (this.onError) this.onError(event, error);
        else failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  listenerCount(event: keyof Events): number {
    return this.map.get(event)?.size ?? 0;
  }

  clear(): void {
    this.map.clear();
  }
}
