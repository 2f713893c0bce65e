/**
 * The tensor's journey as a strip of blocks, one per layer, each block's height proportional
 * to the square root of its activation volume (so area-like), labelled with shape, params
 * and multiply-adds. Pure: rows in, SVG node out.
 */
import { create, scaleSqrt } from 'd3';
import { formatCount, formatOutputs } from '../../core/model/ir';
import type { LayerRow } from '../model-info';

export interface FlowSize {
  blockWidth: number;
  gap: number;
  maxBlock: number;
}

export const defaultFlowSize: FlowSize = { blockWidth: 92, gap: 26, maxBlock: 150 };

export function renderShapeFlow(rows: LayerRow[], size: FlowSize = defaultFlowSize): SVGSVGElement {
  const maxVol = Math.max(1, ...rows.map((r) => r.volume));
  const hScale = scaleSqrt().domain([0, maxVol]).range([3, size.maxBlock]);
  const top = 40;
  const mid = top + size.maxBlock / 2;
  const width = rows.length * (size.blockWidth + size.gap) - size.gap + 20;
  const height = top + size.maxBlock + 64;
  const svg = create('svg')
    .attr('class', 'shape-flow')
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('aria-label', `Shape flow: ${rows.map((r) => formatOutputs(r.layer)).join(' to ')}`);
  const g = svg
    .selectAll('g.block')
    .data(rows)
    .join('g')
    .attr('class', (r) => `block kind-${r.kind}`)
    .attr('data-layer', (r) => r.layer.name)
    .attr('data-volume', (r) => r.volume)
    .attr('transform', (_r, i) => `translate(${10 + i * (size.blockWidth + size.gap)},0)`);
  g.append('text')
    .attr('class', 'flow-type')
    .attr('x', size.blockWidth / 2)
    .attr('y', 14)
    .attr('text-anchor', 'middle')
    .text((r) => r.layer.type);
  g.append('text')
    .attr('class', 'flow-name')
    .attr('x', size.blockWidth / 2)
    .attr('y', 29)
    .attr('text-anchor', 'middle')
    .text((r) => r.layer.name);
  g.append('rect')
    .attr('class', 'flow-box')
    .attr('x', 6)
    .attr('width', size.blockWidth - 12)
    .attr('y', (r) => mid - hScale(r.volume) / 2)
    .attr('height', (r) => hScale(r.volume))
    .attr('rx', 3)
    .append('title')
    .text((r) => `${r.layer.name}: ${formatOutputs(r.layer)} = ${r.volume.toLocaleString('en')} values`);
  const below = top + size.maxBlock + 16;
  g.append('text')
    .attr('class', 'flow-shape')
    .attr('x', size.blockWidth / 2)
    .attr('y', below)
    .attr('text-anchor', 'middle')
    .text((r) => formatOutputs(r.layer));
  g.append('text')
    .attr('class', 'flow-params')
    .attr('x', size.blockWidth / 2)
    .attr('y', below + 16)
    .attr('text-anchor', 'middle')
    .text((r) => (r.layer.params ? `${r.layer.params.toLocaleString('en')} params` : ''));
  g.append('text')
    .attr('class', 'flow-macs')
    .attr('x', size.blockWidth / 2)
    .attr('y', below + 31)
    .attr('text-anchor', 'middle')
    .text((r) => (r.macs ? `${formatCount(r.macs)} mult-adds` : ''));
  g.filter((_r, i) => i < rows.length - 1)
    .append('path')
    .attr('class', 'flow-arrow')
    .attr('d', `M${size.blockWidth - 2},${mid} h${size.gap} m-6,-4 l6,4 l-6,4`);
  return svg.node()!;
}
