// Test helper: the rows of the summary table Model Lens prints, to compare with a printed Keras summary.
import type { ModelIR } from '../../../src/core/model/ir';
import { summaryTable } from '../../../src/core/model/summary-table';

/** [name (type), output shape, params, connected to] of each row. */
export function summaryRows(m: ModelIR): string[][] {
  return summaryTable(m, 'm.py')
    .split('\n')
    .filter((l) => /^ \S+ \(\w+\)/.test(l) && !l.startsWith(' Layer (type)'))
    .map((l) => l.trim().split(/ {3,}/));
}
