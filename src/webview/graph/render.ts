/**
 * Draws a laid-out graph as SVG: one `<g class="node kind-…" data-layer>` per node (its
 * folded layers listed in `data-folded`), curved edges, shape labels where the shape changes.
 * Pure: layout in, SVG node out; colours come from CSS classes.
 */
import { create, curveBasis, line } from 'd3';
import { FONT, LINE, OPEN_MARK, type GraphLayout, type PlacedNode } from './layout';

const edgePath = line<{ x: number; y: number }>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(curveBasis);

/** What a screen reader says for a node. */
export function nodeLabel(n: PlacedNode): string {
  if (n.block)
    return `${n.block.count} repeated blocks of ${n.block.types} (${n.block.layers.length} layers, from ${n.row.layer.name}), ${n.details}. Press Enter to expand.`;
  const parts = [`${n.title} ${n.row.layer.name}`];
  if (n.row.layer.nested) parts.push(`a nested model (${n.row.layer.nested.model}, line ${n.row.layer.nested.line}${n.opens !== undefined ? `, ${n.opens} layers: press O to open it` : ''})`);
  if (n.row.layer.calls) parts.push(`called ${n.row.layer.calls.length + 1} times with the same weights`);
  if (n.row.args) parts.push(n.row.args);
  for (const f of n.folded) parts.push(`followed by ${f.layer.type} ${f.layer.name}${f.args ? ` ${f.args}` : ''}`);
  parts.push(`output ${n.details}`);
  if (n.problem) parts.push(`problem: ${n.problem}`);
  return `${parts.join(', ')}.`;
}

export function renderGraph(g: GraphLayout): SVGSVGElement {
  const svg = create('svg')
    .attr('class', `graph dir-${g.direction}`)
    .attr('role', 'group')
    .attr('aria-roledescription', 'layer graph')
    .attr('aria-label', `Layer graph, ${g.nodes.length} nodes${g.nodes.length !== g.nodeOf.size ? ` for ${g.nodeOf.size} layers` : ''}. Arrow keys move between layers, Enter reveals one in the editor.`);
  const defs = svg.append('defs');
  defs
    .append('marker')
    .attr('id', 'ml-arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 7)
    .attr('markerHeight', 7)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('class', 'arrow-head')
    .attr('d', 'M0,0 L10,5 L0,10 z');
  const root = svg.append('g').attr('class', 'viewport');

  const edges = root
    .append('g')
    .attr('class', 'edges')
    .attr('aria-hidden', 'true')
    .selectAll('g')
    .data(g.edges)
    .join('g')
    .attr('class', (e) => (e.skip ? 'edge skip' : 'edge'))
    .attr('data-from', (e) => e.from)
    .attr('data-to', (e) => e.to);
  edges
    .append('path')
    .attr('d', (e) => edgePath(e.points))
    .attr('marker-end', 'url(#ml-arrow)');
  edges
    .filter((e) => e.label !== '')
    .append('text')
    .attr('class', 'edge-label')
    .attr('x', (e) => e.labelX)
    // Left to right, the label sits above its edge rather than on it.
    .attr('y', (e) => (g.direction === 'LR' ? e.labelY - 8 : e.labelY))
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .text((e) => e.label);

  const nodes = root
    .append('g')
    .attr('class', 'nodes')
    .selectAll('g')
    .data(g.nodes)
    .join('g')
    .attr('class', (n) => `node kind-${n.row.kind}${n.problem ? ' problem' : ''}${n.folded.length ? ' has-badges' : ''}${n.gap ? ' gap' : ''}${n.row.layer.nested ? ' nested' : ''}${n.block ? ' block-node' : ''}`)
    .attr('data-layer', (n) => n.row.layer.name)
    .attr('data-type', (n) => n.row.layer.type)
    .attr('data-folded', (n) => (n.block ? n.block.layers.slice(1) : n.folded.map((f) => f.layer.name)).join(' '))
    .attr('data-folded-types', (n) => (n.block ? n.block.types.split(' → ') : n.folded.map((f) => f.layer.type)).join(' '))
    .attr('transform', (n) => `translate(${n.x - n.width / 2},${n.y - n.height / 2})`)
    .attr('tabindex', -1)
    .attr('role', 'button')
    .attr('aria-label', nodeLabel);
  nodes
    .append('rect')
    .attr('class', 'node-box')
    .attr('width', (n) => n.width)
    .attr('height', (n) => n.height)
    .attr('rx', 6);
  // A nested model used as one layer: a second frame inside, like a stacked card.
  nodes
    .filter((n) => !!n.row.layer.nested)
    .append('rect')
    .attr('class', 'node-inner')
    .attr('x', 3)
    .attr('y', 3)
    .attr('width', (n) => n.width - 6)
    .attr('height', (n) => n.height - 6)
    .attr('rx', 4);
  // A nested model whose graph came with it: an "open" mark at the top right (double-click works too).
  const open = nodes.filter((n) => n.opens !== undefined).append('g').attr('data-action', 'open-nested');
  open
    .append('text')
    .attr('class', 'node-open')
    .attr('x', (n) => n.width - 10)
    .attr('y', 6 + LINE - 3)
    .attr('text-anchor', 'end')
    .text(OPEN_MARK);
  open.append('title').text((n) => `Open the ${n.opens} layers of model '${n.row.layer.nested!.model}'`);
  // A run of repeated blocks: cards stacked behind the node.
  nodes
    .filter((n) => !!n.block)
    .insert('rect', ':first-child')
    .attr('class', 'node-stack')
    .attr('x', 6)
    .attr('y', 6)
    .attr('width', (n) => n.width)
    .attr('height', (n) => n.height)
    .attr('rx', 6);
  nodes
    .append('rect')
    .attr('class', 'node-stripe')
    .attr('width', 5)
    .attr('height', (n) => n.height)
    .attr('rx', 2);
  const first = nodes
    .append('text')
    .attr('class', 'node-line1')
    .attr('x', 14)
    .attr('y', 6 + LINE - 3);
  first
    .append('tspan')
    .attr('class', 'node-type')
    .style('font-size', `${FONT.title}px`)
    .text((n) => n.title);
  first
    .filter((n) => n.args !== '')
    .append('tspan')
    .attr('class', 'node-args')
    .attr('dx', 6)
    .text((n) => n.args);
  first
    .selectAll('tspan.node-badge')
    .data((n) => n.badges)
    .join('tspan')
    .attr('class', 'node-badge')
    .attr('dx', 6)
    .text((b) => b);
  nodes
    .append('text')
    .attr('class', 'node-name')
    .attr('x', 14)
    .attr('y', 6 + 2 * LINE - 3)
    .text((n) => n.subtitle);
  nodes
    .append('text')
    .attr('class', 'node-shape')
    .attr('x', 14)
    .attr('y', 6 + 3 * LINE - 3)
    .text((n) => n.details);
  // An incomplete model: a dashed marker under the last layer read before the statement that was not.
  nodes
    .filter((n) => n.gap !== undefined)
    .append('text')
    .attr('class', 'node-gap')
    .attr('x', (n) => n.width / 2)
    .attr('y', (n) => n.height + 13)
    .attr('text-anchor', 'middle')
    .text((n) => `⋯ not read: ${n.gap!.split('\n')[0]!.split(':')[0]} ⋯`);
  nodes
    .append('title')
    .text((n) => n.block ? `${n.block.count} × ${n.block.types}\n${n.block.layers.join(', ')}\nClick to expand` : `${n.subtitle} (${n.title})${n.opens !== undefined ? '\nDouble-click to open its layers' : ''}${n.folded.map((f) => `\n+ ${f.layer.name} (${f.layer.type})`).join('')}${n.problem ? `\n⚠ ${n.problem}` : ''}${n.gap ? `\n⋯ model incomplete after this layer — ${n.gap}` : ''}`);
  const node = svg.node()!;
  node.setAttribute('data-width', String(g.width));
  node.setAttribute('data-height', String(g.height));
  return node;
}
