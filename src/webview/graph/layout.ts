/**
 * Lays the layer DAG out with dagre, top-to-bottom or left-to-right. Pure data in, positions
 * out (no DOM), so it can be measured and tested on its own. Activations and dropouts that
 * follow a layer ride on it as badges (see fold.ts) unless `expand` asks for every layer.
 */
import { Graph, layout } from '@dagrejs/dagre';
import { allInputs, allInputTensors, formatOutputs, type ModelIR } from '../../core/model/ir';
import { layerRows, type LayerRow } from '../model-info';
import { badgeText, foldLayers, type NodeGroup } from './fold';
import { describeRun, findRepeats, type RepeatRun } from './repeats';

export type Direction = 'TB' | 'LR';

export interface LayoutOptions {
  direction?: Direction;
  /** Draw every layer as its own node (no badges). */
  expand?: boolean;
  /** Which runs of repeated blocks to draw as one node (none when absent). */
  collapse?: (run: RepeatRun) => boolean;
}

/** Font sizes the renderer uses (px at 100%); the layout sizes nodes from them. */
export const FONT = { title: 12.5, text: 11.5 } as const;
export const LINE = 16.5;
const PAD_X = 14;
/** The mark on a nested model's node that opens its graph. */
export const OPEN_MARK = 'open ▸';
const PAD_TOP = 6;

export interface PlacedNode {
  row: LayerRow;
  /** Layers drawn as badges on this node (an Activation or Dropout that follows it). */
  folded: LayerRow[];
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Text drawn in the node: `Conv2D` `32·3×3·same` `+ relu` / name / shape · params. */
  title: string;
  args: string;
  badges: string[];
  subtitle: string;
  details: string;
  /** The first problem the reader found in this layer (shape errors…), if any. */
  problem?: string;
  /** A statement after this layer changes the model but could not be read (the model is incomplete). */
  gap?: string;
  /** A nested model whose own graph the panel can open (double-click, its "open" mark, or O): its layer count. */
  opens?: number;
  /** A run of repeated blocks drawn as this one node (click or Enter expands it). */
  block?: { id: string; count: number; length: number; layers: string[]; types: string };
}

export interface PlacedEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
  /** The shape carried, drawn only where the shape changes (or into a merge); else ''. */
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
  direction: Direction;
  /** Layer name → the node that shows it (itself, the layer it rides on, or its run of blocks). */
  nodeOf: Map<string, string>;
  /** Every run of repeated blocks found (drawn collapsed or not). */
  runs: RepeatRun[];
}

/** Rough text widths (dagre needs sizes before anything is drawn); generous on purpose. */
const propWidth = (s: string, px: number) => Math.ceil(s.length * px * 0.6);
const boldWidth = (s: string, px: number) => Math.ceil(s.length * px * 0.66);
const monoWidth = (s: string, px: number) => Math.ceil(s.length * px * 0.62);

/** `32 · 3×3 · same` → `32·3×3·same`: arguments packed for a node's first line. */
export const compactArgs = (args: string) => args.replace(/ · /g, '·');

export function layoutModel(model: ModelIR, opts: LayoutOptions = {}): GraphLayout {
  const direction = opts.direction ?? 'TB';
  const rows = layerRows(model);
  const { groups, nodeOf } = foldLayers(rows, opts.expand);
  const runs = findRepeats(groups, nodeOf);
  const collapsed = opts.collapse ? runs.filter(opts.collapse) : [];
  // Units drawn as nodes: a layer group, or a collapsed run of blocks (named by its first layer).
  type Unit = { name: string; groups: NodeGroup[]; run?: RepeatRun };
  const units: Unit[] = [];
  for (let i = 0; i < groups.length; ) {
    const run = collapsed.find((r) => r.start === i);
    if (run) {
      const members = groups.slice(i, i + run.length * run.count);
      units.push({ name: run.id, groups: members, run });
      for (const m of members) for (const l of [m.host, ...m.folded]) nodeOf.set(l.layer.name, run.id);
      i += run.length * run.count;
    } else units.push({ name: groups[i]!.host.layer.name, groups: [groups[i]!] }), i++;
  }
  const g = new Graph({ multigraph: true });
  g.setGraph(
    direction === 'TB'
      ? { rankdir: 'TB', nodesep: 30, ranksep: 26, edgesep: 14, marginx: 16, marginy: 12 }
      : { rankdir: 'LR', nodesep: 24, ranksep: 36, edgesep: 12, marginx: 16, marginy: 16 },
  );
  g.setDefaultEdgeLabel(() => ({}));
  const byName = new Map(rows.map((r) => [r.layer.name, r]));
  const texts = new Map<string, Omit<PlacedNode, 'x' | 'y'>>();
  for (const unit of units) {
    if (unit.run) {
      const d = describeRun(groups, unit.run);
      const short = d.types.replace(/Normalization/g, 'Norm');
      const types = short.length > 44 ? `${short.slice(0, 43)}…` : short;
      const width = Math.max(160, 2 * PAD_X + Math.max(boldWidth(`▸ ${d.title}`, FONT.title), propWidth(types, FONT.text), monoWidth(d.details, FONT.text)));
      const first = unit.groups[0]!;
      texts.set(unit.name, {
        row: { ...first.host, args: '', layer: { ...first.host.layer, type: 'Block' } },
        folded: [],
        width,
        height: PAD_TOP + 3 * LINE + 8,
        title: `▸ ${d.title}`,
        args: '',
        badges: [],
        subtitle: types,
        details: d.details,
        block: { id: unit.run.id, count: unit.run.count, length: unit.run.length, layers: d.layers, types: d.types },
      });
      g.setNode(unit.name, { width, height: PAD_TOP + 3 * LINE + 8 });
      continue;
    }
    const { host, folded } = unit.groups[0]!;
    const l = host.layer;
    const params = l.params ? `${l.params.toLocaleString('en')} params` : 'no params';
    const problem = model.diagnostics.find((d) => d.severity === 'error' && (d.layer === l.name || folded.some((f) => f.layer.name === d.layer)))?.message;
    const args = compactArgs(host.args);
    const badges = folded.map((f) => `+ ${badgeText(f)}`);
    // An incomplete model: the statement that could not be read is marked after the last layer
    // read before it (a gap before the first layer is drawn on the first node).
    const gap = (model.gaps ?? [])
      .filter((gp) => gp.after === l.name || folded.some((f) => f.layer.name === gp.after) || (gp.after === null && host === rows[0]))
      .map((gp) => `line ${gp.range.line}: ${gp.message}`)
      .join('\n');
    const line1 = boldWidth(l.type, FONT.title) + (args ? 6 + monoWidth(args, FONT.text) : 0) + badges.reduce((a, b) => a + 6 + boldWidth(b, FONT.text), 0);
    const details = `${formatOutputs(l)} · ${params}`;
    // A nested model says so under its name, and carries an "open" mark when its graph came with it.
    const inner = l.nested?.graph;
    // A shared layer (called more than once) says how often: its weights serve every call.
    const shared = l.calls ? ` · ${l.calls.length + 1} calls` : '';
    const subtitle = (l.nested ? `${l.name} · model${inner ? ` of ${inner.layers.length} layers` : ''}, line ${l.nested.line}` : l.name) + shared;
    const openMark = inner ? 8 + boldWidth(OPEN_MARK, FONT.text) : 0;
    const width = Math.max(120, 2 * PAD_X + Math.max(line1 + openMark, propWidth(subtitle, FONT.text), monoWidth(details, FONT.text)));
    texts.set(l.name, {
      ...(problem ? { problem } : {}),
      ...(gap ? { gap } : {}),
      row: host,
      folded,
      width,
      height: PAD_TOP + 3 * LINE + 8,
      title: l.type,
      args,
      badges,
      subtitle,
      details,
      ...(inner ? { opens: inner.layers.length } : {}),
    });
    g.setNode(l.name, { width, height: PAD_TOP + 3 * LINE + 8 });
  }
  const labels = new Map<string, string>();
  /** The layers feeding a unit from outside it (one per source node for a collapsed run). */
  const inputsOf = (u: Unit): string[] => edgesInto(u).map((e) => e.src);
  // Each edge into a unit: its source layer and which of that layer's outputs it carries.
  const edgesInto = (u: Unit): { src: string; tensor: number }[] => {
    // A shared layer: an edge from the inputs of each of its calls.
    if (!u.run) {
      const layer = u.groups[0]!.host.layer;
      const tensors = allInputTensors(layer);
      return allInputs(layer).flatMap((src, k) => (nodeOf.has(src) ? [{ src, tensor: tensors[k] ?? 0 }] : []));
    }
    const seen = new Set<string>();
    const out: { src: string; tensor: number }[] = [];
    for (const m of u.groups)
      for (const src of allInputs(m.host.layer))
        if (nodeOf.has(src) && nodeOf.get(src) !== u.name && !seen.has(nodeOf.get(src)!)) (seen.add(nodeOf.get(src)!), out.push({ src, tensor: 0 }));
    return out;
  };
  const outShape = (u: Unit) => formatOutputs(u.groups[u.groups.length - 1]!.host.layer);
  for (const u of units) {
    const into = edgesInto(u);
    into.forEach(({ src, tensor }, i) => {
      const shape = formatOutputs(byName.get(src)!.layer, tensor);
      const changes = into.length > 1 || shape !== outShape(u);
      const label = changes ? shape : '';
      const key = `${nodeOf.get(src)}>${u.name}>${i}`;
      labels.set(key, label);
      const size = label ? { width: monoWidth(label, 10.5) + 6, height: 14 } : { width: 0, height: 0 };
      g.setEdge(nodeOf.get(src)!, u.name, { ...size, labelpos: direction === 'TB' ? 'r' : 'c', labeloffset: 6 }, `${i}`);
    });
  }
  // The crossing-minimisation sweeps dominate on big graphs (about 2× the whole layout at 300
  // layers, measured) and gain little on chains with skips: keep them for small models only.
  layout(g, { disableOptimalOrderHeuristic: units.length > 80 });
  const nodes: PlacedNode[] = units.map((u) => {
    const n = g.node(u.name) as { x: number; y: number };
    return { ...texts.get(u.name)!, x: n.x, y: n.y };
  });
  // Longest-path depth: an edge spanning more than one level is a skip connection.
  const depth = new Map<string, number>();
  for (const u of units) depth.set(u.name, Math.max(-1, ...inputsOf(u).map((i) => depth.get(nodeOf.get(i) ?? '') ?? -1)) + 1);
  const edges: PlacedEdge[] = g.edges().map((e) => {
    const d = g.edge(e) as { points: { x: number; y: number }[]; x?: number; y?: number };
    const mid = d.points[Math.floor(d.points.length / 2)]!;
    return {
      from: e.v,
      to: e.w,
      points: d.points,
      label: labels.get(`${e.v}>${e.w}>${e.name}`) ?? '',
      labelX: d.x ?? mid.x,
      labelY: d.y ?? mid.y,
      skip: depth.get(e.w)! - depth.get(e.v)! > 1,
    };
  });
  const gl = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: gl.width ?? 0, height: gl.height ?? 0, direction, nodeOf, runs };
}
