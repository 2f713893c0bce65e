/** One store for every registration; disposing it disposes all (last registered first). */
export interface DisposableLike {
  dispose(): unknown;
}

export class DisposableStore implements DisposableLike {
  private readonly items: DisposableLike[] = [];
  private disposed = false;

  add<T extends DisposableLike>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.items.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        /* keep disposing the rest */
      }
    }
  }
}

/** Base class for objects that own registrations (hexeditor's `Disposable._register`). */
export abstract class Disposable implements DisposableLike {
  protected readonly store = new DisposableStore();
  protected register<T extends DisposableLike>(item: T): T {
    return this.store.add(item);
  }
  dispose(): void {
    this.store.dispose();
  }
}
