/**
 * The evaluator's work budget. The reader runs for every opened `.py`, also in untrusted
 * workspaces, so every file must finish quickly and in bounded memory: a file that needs more is
 * refused with a message at the line where the budget ran out — never read halfway in silence.
 */

export interface Limits {
  /** Characters of source read at all. */
  fileChars: number;
  /** Statements and expressions evaluated. */
  steps: number;
  /** Nested calls of the file's own functions. */
  callDepth: number;
  /** Nesting of expressions and blocks (guards the JavaScript stack). */
  nesting: number;
  /** Items in one list, tuple or dict, and characters in one string. */
  items: number;
  /** Items allocated over the whole read (all lists together). */
  cells: number;
}

export const DEFAULT_LIMITS: Limits = {
  fileChars: 1_000_000,
  steps: 1_000_000,
  callDepth: 64,
  nesting: 300,
  items: 200_000,
  cells: 4_000_000,
};

/** Thrown where a limit is reached; carries the source range so the message can name the line. */
export class BudgetExceeded extends Error {
  constructor(
    readonly limit: keyof Limits | 'layers',
    readonly at: { from: number; to: number },
    message: string,
  ) {
    super(message);
  }
}

export class Budget {
  steps = 0;
  cells = 0;
  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  step(at: { from: number; to: number }): void {
    if (++this.steps > this.limits.steps) {
      throw new BudgetExceeded(
        'steps',
        at,
        `Model Lens stopped reading here: the file needs more than ${this.limits.steps.toLocaleString('en-US')} steps of work (a loop or recursion too large to follow without running Python); make the loop smaller or the model explicit`,
      );
    }
  }

  /** Before making a container or string of `n` items. */
  alloc(n: number, at: { from: number; to: number }): void {
    if (!(n <= this.limits.items)) {
      throw new BudgetExceeded(
        'items',
        at,
        `Model Lens stopped reading here: this makes ${Number.isFinite(n) ? n.toLocaleString('en-US') : 'too many'} items, more than the ${this.limits.items.toLocaleString('en-US')} it follows in one list or string; make it smaller`,
      );
    }
    this.cells += n;
    if (this.cells > this.limits.cells) {
      throw new BudgetExceeded(
        'cells',
        at,
        `Model Lens stopped reading here: the file builds more than ${this.limits.cells.toLocaleString('en-US')} list items in all; make its lists smaller`,
      );
    }
  }
}
