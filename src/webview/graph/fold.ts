/**
 * Which layers the graph draws as their own node, and which ride as a badge on the layer they
 * follow: an Activation (or ReLU, Softmax…) or Dropout whose only input is a layer that feeds
 * nothing else changes no shape and holds no parameters, so `Conv2D 32·3×3 + relu` says all
 * of it in one node. Pure: rows in, groups out.
 */
import { allInputs } from '../../core/model/ir';
import type { LayerRow } from '../model-info';

export interface NodeGroup {
  /** The layer drawn as the node. */
  host: LayerRow;
  /** Layers folded into it, in order (empty when nothing follows it). */
  folded: LayerRow[];
}

export interface Folding {
  groups: NodeGroup[];
  /** Every layer name → the name of the node that shows it (itself when not folded). */
  nodeOf: Map<string, string>;
}

/** A layer that may ride on the one before: no parameters, same shape, one input. */
function foldable(r: LayerRow): boolean {
  return (r.kind === 'activation' || r.kind === 'dropout') && r.layer.inputs.length === 1 && !r.layer.calls && r.layer.params === 0;
}

/** Groups the rows; with `expand` every layer is its own node. */
export function foldLayers(rows: LayerRow[], expand = false): Folding {
  const consumers = new Map<string, number>();
  for (const r of rows) for (const i of allInputs(r.layer)) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const byName = new Map(rows.map((r) => [r.layer.name, r]));
  const nodeOf = new Map<string, string>();
  const groups = new Map<string, NodeGroup>();
  for (const r of rows) {
    const src = r.layer.inputs[0];
    const srcRow = src !== undefined ? byName.get(src) : undefined;
    if (!expand && srcRow && foldable(r) && srcRow.kind !== 'input' && consumers.get(src!) === 1) {
      const host = nodeOf.get(src!)!;
      nodeOf.set(r.layer.name, host);
      groups.get(host)!.folded.push(r);
      continue;
    }
    nodeOf.set(r.layer.name, r.layer.name);
    groups.set(r.layer.name, { host: r, folded: [] });
  }
  return { groups: [...groups.values()], nodeOf };
}

/** `relu`, `dropout 0.5`: how a folded layer reads on its host's badge. */
export function badgeText(r: LayerRow): string {
  if (r.kind === 'dropout') return r.args ? `${r.layer.type.toLowerCase()} ${r.args}` : r.layer.type.toLowerCase();
  return r.args || r.layer.type.toLowerCase();
}
