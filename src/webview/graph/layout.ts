/**
 * Lays the layer DAG out top-to-bottom with dagre. Pure data in, positions out (no DOM),
 * so it can be measured and tested on its own.
 */
import { Graph, layout } from '@dagrejs/dagre';
import { formatCount, formatShape, type ModelIR } from '../../core/model/ir';
import { layerRows, type LayerRow } from '../model-info';

export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 78;

export interface PlacedNode {
  row: LayerRow;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Text lines drawn in the node. */
  title: string;
  subtitle: string;
  details: string;
  /** The first problem the reader found in this layer (shape errors…), if any. */
  problem?: string;
  /** A statement after this layer changes the model but could not be read (the model is incomplete). */
  gap?: string;
}

export interface PlacedEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
  label: string;
  labelX: number;
  labelY: number;
  /** True when the edge skips at least one rank (a skip connection). */
  skip: boolean;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/** Rough text width for the label boxes (dagre needs sizes before anything is drawn). */
const textWidth = (s: string, px = 6.4) => Math.ceil(s.length * px) + 8;

export function layoutModel(model: ModelIR): GraphLayout {
  const rows = layerRows(model);
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 34, edgesep: 14, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(rows.map((r) => r.layer.name));
  for (const r of rows) g.setNode(r.layer.name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const byName = new Map(rows.map((r) => [r.layer.name, r]));
  for (const r of rows) {
    r.layer.inputs.forEach((src, i) => {
      if (!known.has(src)) return;
      const label = formatShape(byName.get(src)!.layer.outputShape);
      g.setEdge(src, r.layer.name, { width: textWidth(label), height: 14, labelpos: 'r', labeloffset: 6 }, `${i}`);
    });
  }
  // The crossing-minimisation sweeps dominate on big graphs (about 2× the whole layout at 300
  // layers, measured) and gain little on chains with skips: keep them for small models only.
  layout(g, { disableOptimalOrderHeuristic: rows.length > 80 });
  const nodes: PlacedNode[] = rows.map((row) => {
    const n = g.node(row.layer.name) as { x: number; y: number; width: number; height: number; rank?: number };
    const l = row.layer;
    const params = l.params ? `${formatCount(l.params)} params` : 'no params';
    const problem = model.diagnostics.find((d) => d.layer === l.name && d.severity === 'error')?.message;
    // A gap before the first layer is drawn on the first node.
    const gaps = (model.gaps ?? []).filter((g) => g.after === l.name || (g.after === null && row === rows[0]));
    const gap = gaps.map((g) => `line ${g.range.line}: ${g.message}`).join('\n');
    return {
      ...(problem ? { problem } : {}),
      ...(gap ? { gap } : {}),
      row,
      x: n.x,
      y: n.y,
      width: n.width,
      height: n.height,
      title: l.type,
      subtitle: l.name,
      details: `${formatShape(l.outputShape)} · ${params}`,
    };
  });
  // Longest-path depth: an edge spanning more than one level is a skip connection.
  const depth = new Map<string, number>();
  for (const r of rows) depth.set(r.layer.name, Math.max(-1, ...r.layer.inputs.map((i) => depth.get(i) ?? -1)) + 1);
  const edges: PlacedEdge[] = g.edges().map((e) => {
    const d = g.edge(e) as { points: { x: number; y: number }[]; x?: number; y?: number; width?: number };
    const label = formatShape(byName.get(e.v)!.layer.outputShape);
    return {
      from: e.v,
      to: e.w,
      points: d.points,
      label,
      labelX: d.x ?? d.points[Math.floor(d.points.length / 2)]!.x,
      labelY: d.y ?? d.points[Math.floor(d.points.length / 2)]!.y,
      skip: depth.get(e.w)! - depth.get(e.v)! > 1,
    };
  });
  const gl = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: gl.width ?? 0, height: gl.height ?? 0 };
}
