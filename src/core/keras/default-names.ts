/**
 * Keras 3's automatic names: the class name in snake_case, numbered per prefix across the whole
 * program (`conv2d`, `conv2d_1`, …). A layer given `name=` does not use a number.
 */

/** Keras `snake_case`: `MaxPooling2D` → `max_pooling2d`, `ReLU` → `re_lu`, `InputLayer` → `input_layer`. */
export function snakeCase(className: string): string {
  const s = className.replace(/\W+/g, '');
  return s
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** One per file read: Python processes number names across every model they build. */
export class NameCounter {
  private readonly used = new Map<string, number>();

  /** Next automatic name for a Keras class, e.g. `next('Conv2D')` → `conv2d`, then `conv2d_1`. */
  next(className: string): string {
    return this.nextPrefix(snakeCase(className));
  }

  /** Gives back the name `next(className)` just gave (when it was the last one given): it was not used after all. */
  giveBack(className: string, name: string): void {
    const prefix = snakeCase(className);
    const n = this.used.get(prefix) ?? 0;
    if (n > 0 && name === (n === 1 ? prefix : `${prefix}_${n - 1}`)) this.used.set(prefix, n - 1);
  }

  /** `keras.backend.clear_session()`: Keras forgets the names given so far and numbers from the start again. */
  reset(): void {
    this.used.clear();
  }

  nextPrefix(prefix: string): string {
    const n = this.used.get(prefix) ?? 0;
    this.used.set(prefix, n + 1);
    return n === 0 ? prefix : `${prefix}_${n}`;
  }
}
