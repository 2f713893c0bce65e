/** An error Python raises while the file runs, as the evaluator follows it. */
import type { SyntaxNode } from '@lezer/common';

/** A `raise` statement reached: Python leaves the block (and the program, unless a `try` catches it). */
export class RaiseSignal {
  /** `why`: the error Python raises by itself here (a TypeError), when it is not a `raise` statement. */
  constructor(
    readonly at: SyntaxNode,
    readonly why?: string,
  ) {}
}

/** Python raises a TypeError here (a float where an int is needed): the program stops, as Python's would. */
export function typeError(at: SyntaxNode, message: string): never {
  throw new RaiseSignal(at, `TypeError: ${message}`);
}
