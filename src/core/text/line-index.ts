/**
 * Offsets → 1-based line and column, for every reader that reports positions (Python and JSON).
 * Built once per text in one pass; each lookup is a binary search.
 */
import type { SourceRange } from '../model/ir';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  pos(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  range(from: number, to: number): SourceRange {
    const a = this.pos(from);
    const b = this.pos(to);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}
