/**
 * Repeated blocks: runs of consecutive nodes (in layer order) where the same block of nodes —
 * same types, arguments and badges, wired the same way — follows itself two or more times
 * (the blocks of a ResNet stage). A run is a contiguous range in topological order, so drawing
 * it as one node keeps the graph acyclic. Pure: node groups in, runs out.
 */
import { allInputs, formatOutputs } from '../../core/model/ir';
import type { NodeGroup } from './fold';

export interface RepeatRun {
  /** Stable id: the name of the run's first layer. */
  id: string;
  /** Index of the first node in the groups array. */
  start: number;
  /** Nodes per block and blocks in the run. */
  length: number;
  count: number;
}

const MAX_BLOCK = 16;

/** What makes two nodes the same for repetition: type, arguments, badges (not names or shapes). */
export function nodeSignature(g: NodeGroup): string {
  return [g.host.layer.type, g.host.args, ...g.folded.map((f) => `${f.layer.type}:${f.args}`)].join('|');
}

/**
 * Finds the runs, left to right, greedily taking at each position the run that covers the most
 * nodes. Inside a block, each node's inputs must point to the same relative place in every
 * repeat (inside the block, or the block's input for an edge from before it).
 */
export function findRepeats(groups: NodeGroup[], nodeOf: Map<string, string>): RepeatRun[] {
  const index = new Map(groups.map((g, i) => [g.host.layer.name, i]));
  const sig = groups.map(nodeSignature);
  // Inputs of each node as node indices.
  const inputs = groups.map((g) => allInputs(g.host.layer).map((i) => index.get(nodeOf.get(i) ?? '') ?? -1));
  /** Node k of a block starting at s, in a form that must match across repeats. */
  const shapeOf = (s: number, k: number) => {
    const i = s + k;
    const wires = inputs[i]!.map((j) => (j >= s ? `in${j - s}` : j === s - 1 ? 'prev' : 'outside')).join(',');
    return `${sig[i]}#${wires}`;
  };
  const runs: RepeatRun[] = [];
  let i = 0;
  while (i < groups.length) {
    let best: RepeatRun | null = null;
    for (let p = 2; p <= MAX_BLOCK && i + 2 * p <= groups.length; p++) {
      const first = Array.from({ length: p }, (_v, k) => shapeOf(i, k));
      // A block must be entered from the node before it (one entry): its first node reads `prev`.
      if (!first[0]!.endsWith('#prev')) continue;
      let count = 1;
      while (i + (count + 1) * p <= groups.length && first.every((f, k) => shapeOf(i + count * p, k) === f)) count++;
      if (count >= 2 && (!best || count * p > best.count * best.length)) best = { id: groups[i]!.host.layer.name, start: i, length: p, count };
    }
    if (best) {
      runs.push(best);
      i += best.length * best.count;
    } else i++;
  }
  return runs;
}

/** `3 × block` title parts and a one-line summary of a run: its types, shapes and parameters. */
export function describeRun(groups: NodeGroup[], run: RepeatRun): { title: string; types: string; details: string; params: number; layers: string[] } {
  const members = groups.slice(run.start, run.start + run.length * run.count);
  const layers = members.flatMap((g) => [g.host.layer.name, ...g.folded.map((f) => f.layer.name)]);
  const params = members.reduce((a, g) => a + g.host.layer.params + g.folded.reduce((b, f) => b + f.layer.params, 0), 0);
  const block = groups.slice(run.start, run.start + run.length);
  const types = block.map((g) => g.host.layer.type).join(' → ');
  const inShape = run.start > 0 ? formatOutputs(groups[run.start - 1]!.host.layer) : '?';
  const outShape = formatOutputs(members[members.length - 1]!.host.layer);
  return { title: `${run.count} × block`, types, details: `${inShape} → ${outShape} · ${params.toLocaleString('en')} params`, params, layers };
}
