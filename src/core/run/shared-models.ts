/**
 * Runs as sent to a panel: each distinct model once. A run keeps the model it trained (`model`,
 * thousands of lines of IR for a big network), and most runs of a model share one version of it;
 * a runs table with 1,000 runs would otherwise carry 1,000 copies across the host → panel channel
 * and through the panel's structured clone (11 MB for 1,000 runs of a 19-layer model; the
 * models were 70 % of it).
 */
import type { ModelIR } from '../model/ir';
import type { RunRecord } from './record';

/** How many of the newest runs the Training tab overlays: the panel gets their curves with the state. */
export const OVERLAID_RUNS = 6;

export interface PackedRuns {
  /** The runs without `model`. */
  runs: RunRecord[];
  /** The distinct models of the runs. */
  runModels: ModelIR[];
  /** Per run: its model's index in `runModels`, or -1 when the run kept none. */
  runModelOf: number[];
  /**
   * Runs sent without their batch curve (`batches: []`; `omitOlderCurves`): the panel asks for
   * those it draws (`runCurves`).
   */
  curvesOmitted?: string[];
}

/**
 * Models are taken as the same when they come from the same file text (`modelHash`) and have the
 * same name, layer count and parameter total (a reader update may read the same text otherwise).
 */
function sameModelKey(r: RunRecord, m: ModelIR): string {
  return JSON.stringify([r.modelHash, m.name, m.layers.length, m.totalParams, m.trainableParams]);
}

/**
 * `omitOlderCurves`: the runs before the newest `OVERLAID_RUNS` (runs are oldest first) go without
 * their batch curves, which are most of a run (up to 4,000 points; 1,000 runs would be a message of
 * tens of MB), and are not read from them (a lazily read curve stays unparsed).
 */
export function packRuns(runs: readonly RunRecord[], opts: { omitOlderCurves?: boolean } = {}): PackedRuns {
  const runModels: ModelIR[] = [];
  const index = new Map<string, number>();
  const runModelOf: number[] = [];
  const out: RunRecord[] = [];
  const omitted: string[] = [];
  const firstWhole = opts.omitOlderCurves ? runs.length - OVERLAID_RUNS : 0;
  for (const [k, r] of runs.entries()) {
    let rest: RunRecord;
    if (k < firstWhole) {
      // Copied key by key: reading `batches` would parse a lazily read curve.
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(r)) if (key !== 'model' && key !== 'batches') copy[key] = (r as unknown as Record<string, unknown>)[key];
      rest = { ...(copy as unknown as RunRecord), batches: [] };
      omitted.push(r.id);
    } else {
      const { model: _m, ...whole } = r;
      rest = whole;
    }
    const model = r.model;
    out.push(rest);
    if (!model) {
      runModelOf.push(-1);
      continue;
    }
    const key = sameModelKey(r, model);
    let i = index.get(key);
    if (i === undefined) {
      i = runModels.push(model) - 1;
      index.set(key, i);
    }
    runModelOf.push(i);
  }
  return omitted.length ? { runs: out, runModels, runModelOf, curvesOmitted: omitted } : { runs: out, runModels, runModelOf };
}

/** The runs with their models back (one shared object per distinct model). */
export function unpackRuns(p: PackedRuns): RunRecord[] {
  return p.runs.map((r, i) => {
    const m = p.runModels[p.runModelOf[i] ?? -1];
    return m ? { ...r, model: m } : r;
  });
}
