/**
 * Draws a laid-out graph as SVG: one `<g class="node kind-…" data-layer>` per layer,
 * curved edges with shape labels. Pure: layout in, SVG node out; colours come from CSS classes.
 */
import { create, curveBasis, line } from 'd3';
import type { GraphLayout } from './layout';

const edgePath = line<{ x: number; y: number }>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(curveBasis);

export function renderGraph(g: GraphLayout): SVGSVGElement {
  const svg = create('svg')
    .attr('class', 'graph')
    .attr('role', 'group')
    .attr('aria-label', `Layer graph, ${g.nodes.length} layers`);
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
    .append('text')
    .attr('class', 'edge-label')
    .attr('x', (e) => e.labelX)
    .attr('y', (e) => e.labelY)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .text((e) => e.label);

  const nodes = root
    .append('g')
    .attr('class', 'nodes')
    .selectAll('g')
    .data(g.nodes)
    .join('g')
    .attr('class', (n) => `node kind-${n.row.kind}${n.problem ? ' problem' : ''}${n.gap ? ' gap' : ''}`)
    .attr('data-layer', (n) => n.row.layer.name)
    .attr('data-type', (n) => n.row.layer.type)
    .attr('transform', (n) => `translate(${n.x - n.width / 2},${n.y - n.height / 2})`)
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (n) => `${n.title} ${n.subtitle}${n.row.args ? `, ${n.row.args}` : ''}, output ${n.details}. Press Enter to reveal in the editor.`);
  nodes
    .append('rect')
    .attr('class', 'node-box')
    .attr('width', (n) => n.width)
    .attr('height', (n) => n.height)
    .attr('rx', 6);
  nodes
    .append('rect')
    .attr('class', 'node-stripe')
    .attr('width', 5)
    .attr('height', (n) => n.height)
    .attr('rx', 2);
  const text = (cls: string, y: number, f: (n: GraphLayout['nodes'][number]) => string) =>
    nodes
      .append('text')
      .attr('class', cls)
      .attr('x', 14)
      .attr('y', y)
      .text(f);
  text('node-type', 18, (n) => n.title);
  text('node-name', 34, (n) => n.subtitle);
  text('node-args', 51, (n) => n.row.args || ' ');
  text('node-shape', 67, (n) => n.details);
  // An incomplete model: a dashed marker under the last layer read before the statement that was not.
  nodes
    .filter((n) => n.gap !== undefined)
    .append('text')
    .attr('class', 'node-gap')
    .attr('x', (n) => n.width / 2)
    .attr('y', (n) => n.height + 13)
    .attr('text-anchor', 'middle')
    .text((n) => `⋯ not read: ${n.gap!.split('\n')[0]!.split(':')[0]} ⋯`);
  nodes.append('title').text((n) => `${n.subtitle} (${n.title})${n.problem ? `\n⚠ ${n.problem}` : ''}${n.gap ? `\n⋯ model incomplete after this layer — ${n.gap}` : ''}`);
  const node = svg.node()!;
  node.setAttribute('data-width', String(g.width));
  node.setAttribute('data-height', String(g.height));
  return node;
}
