/**
 * Parsing Python with @lezer/python and listing its syntax errors, without reading any meaning.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';

export interface SyntaxProblem {
  from: number;
  to: number;
  message: string;
}

export interface Parsed {
  /** The text parsed (notebook magics blanked, offsets kept). */
  src: string;
  tree: Tree;
  /** Offsets of every error node, sorted. */
  errorOffsets: number[];
  /** The first error of each line, at most `maxReported` lines. */
  problems: SyntaxProblem[];
}

export function parsePython(text: string, maxReported = 10): Parsed {
  // Notebook magics (`%matplotlib inline`, `!pip …`) are not Python: blank them, keeping offsets.
  const src = text.replace(/^([ \t]*)([%!].*)$/gm, (_m, ind: string, rest: string) => ind + ' '.repeat(rest.length));
  const tree = parser.parse(src);
  const errorOffsets: number[] = [];
  const problems: SyntaxProblem[] = [];
  const lines = new Set<number>();
  const cursor = tree.topNode.cursor();
  do {
    if (!cursor.type.isError) continue;
    const node = cursor.node;
    // @lezer/python reads a float with a trailing dot (`255.`) as Number "." <error>: not an error.
    let prev = node.prevSibling;
    while (prev?.name === 'Comment') prev = prev.prevSibling;
    if (node.from === node.to && prev?.name === '.' && prev.prevSibling?.name === 'Number' && prev.prevSibling.to === prev.from) continue;
    errorOffsets.push(node.from);
    if (problems.length >= maxReported) continue;
    const lineStart = src.lastIndexOf('\n', node.from - 1) + 1;
    if (lines.has(lineStart)) continue;
    lines.add(lineStart);
    const bad = src.slice(node.from, Math.max(node.to, node.from + 1)).split('\n')[0]!.trim();
    const message = bad
      ? `syntax error: unexpected '${bad.slice(0, 20)}'; fix the Python syntax here (Model Lens reads the rest of the file as well as it can)`
      : `syntax error: the statement is incomplete here (a missing value, bracket or colon?); fix the Python syntax`;
    problems.push({ from: node.from, to: Math.max(node.to, node.from + 1), message });
  } while (cursor.next());
  errorOffsets.sort((a, b) => a - b);
  return { src, tree, errorOffsets, problems };
}

/** Whether a syntax error lies inside `node` (binary search over the sorted offsets). */
export function hasErrorIn(errorOffsets: number[], node: { from: number; to: number }): boolean {
  let lo = 0;
  let hi = errorOffsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (errorOffsets[mid]! < node.from) lo = mid + 1;
    else hi = mid;
  }
  return lo < errorOffsets.length && errorOffsets[lo]! <= node.to;
}

/** The child nodes that carry meaning (comments dropped). */
export function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}
