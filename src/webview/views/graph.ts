/**
 * Graph view: the layer DAG with pan/zoom/fit (d3-zoom), search by name, click (or Enter)
 * on a node to reveal its line in the editor, highlight from the editor's cursor, SVG/PNG export.
 */
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import type { ModelIR } from '../../core/model/ir';
import { ce, h } from '../dom';
import { standaloneSvg, svgToPngBase64 } from '../export';
import { layoutModel, type GraphLayout } from '../graph/layout';
import { renderGraph } from '../graph/render';
import type { Host } from '../host';

export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly status: HTMLElement;
  private svg: SVGSVGElement | null = null;
  private layout: GraphLayout | null = null;
  private zoomer: ZoomBehavior<SVGSVGElement, unknown> | null = null;
  private highlighted: string | null = null;
  private fitted = false;
  private modelName = 'model';

  constructor(private readonly host: Host) {
    this.search = h('input', { type: 'search', class: 'search', placeholder: 'Find layer…', 'aria-label': 'Find a layer by name or type' });
    this.search.addEventListener('input', () => this.applySearch());
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const first = this.svg?.querySelector<SVGGElement>('g.node.match');
        if (first) this.focusLayer(first.dataset.layer!, true);
      }
    });
    const fit = ce('vscode-button', { secondary: true, 'aria-label': 'Fit the graph to the view', 'data-action': 'fit' }, 'Fit');
    fit.addEventListener('click', () => this.fit(true, true));
    const svgBtn = ce('vscode-button', { secondary: true, 'aria-label': 'Export the graph as SVG', 'data-action': 'export-svg' }, 'Export SVG');
    svgBtn.addEventListener('click', () => void this.export('svg'));
    const pngBtn = ce('vscode-button', { secondary: true, 'aria-label': 'Export the graph as PNG', 'data-action': 'export-png' }, 'Export PNG');
    pngBtn.addEventListener('click', () => void this.export('png'));
    this.status = h('span', { class: 'muted status', role: 'status' });
    this.canvas = h('div', { class: 'graph-canvas' });
    this.element = h('section', { class: 'view graph-view' }, h('div', { class: 'toolbar' }, this.search, fit, svgBtn, pngBtn, this.status), this.canvas);
    new ResizeObserver(() => {
      if (!this.fitted && this.canvas.clientWidth > 0) this.fit(false);
    }).observe(this.canvas);
  }

  setModel(model: ModelIR): void {
    this.modelName = model.name || 'model';
    this.layout = layoutModel(model);
    this.svg = renderGraph(this.layout);
    this.canvas.replaceChildren(this.svg);
    const sel = select(this.svg);
    // As in VS Code's editors: the wheel scrolls (pans), Ctrl/⌘ + wheel zooms, drag pans.
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      .filter((e: Event) => (e.type === 'wheel' ? (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey : !(e as MouseEvent).button))
      .on('zoom', (e) => sel.select('g.viewport').attr('transform', e.transform.toString()));
    sel.call(this.zoomer).on('dblclick.zoom', null);
    const zoomer = this.zoomer;
    sel.on('wheel.pan', (e: WheelEvent) => {
      if (e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.canvas.clientHeight : 1;
      const k = (sel.property('__zoom') as { k: number } | undefined)?.k ?? 1;
      // Shift + wheel scrolls sideways, as in the editor.
      const dx = (e.shiftKey && !e.deltaX ? e.deltaY : e.deltaX) * unit;
      const dy = (e.shiftKey && !e.deltaX ? 0 : e.deltaY) * unit;
      sel.call(zoomer.translateBy, -dx / k, -dy / k);
    });
    sel.selectAll<SVGGElement, unknown>('g.node').on('click', (e: MouseEvent) => this.reveal(e.currentTarget as SVGGElement));
    sel.selectAll<SVGGElement, unknown>('g.node').on('keydown', (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.reveal(e.currentTarget as SVGGElement);
      }
    });
    this.status.textContent = `${model.layers.length} layers · ${this.layout.edges.length} connections`;
    this.fitted = false;
    this.fit(false);
    if (this.highlighted) this.highlight(this.highlighted);
    this.applySearch();
  }

  private reveal(node: SVGGElement): void {
    const layer = node.dataset.layer!;
    this.highlight(layer);
    this.host.rpc.emit('revealLayer', { layer });
  }

  /** Marks one node (from the editor's cursor); `null` clears. */
  highlight(layer: string | null): void {
    this.highlighted = layer;
    if (!this.svg) return;
    for (const n of this.svg.querySelectorAll<SVGGElement>('g.node')) n.classList.toggle('highlighted', n.dataset.layer === layer);
    for (const e of this.svg.querySelectorAll<SVGGElement>('g.edge'))
      e.classList.toggle('highlighted', layer !== null && (e.dataset.from === layer || e.dataset.to === layer));
    if (layer) this.focusLayer(layer, false);
  }

  /** Pans so the node is visible (always when `center`). */
  private focusLayer(layer: string, center: boolean): void {
    if (!this.svg || !this.zoomer || !this.layout) return;
    const n = this.layout.nodes.find((p) => p.row.layer.name === layer);
    if (!n) return;
    const w = this.canvas.clientWidth;
    const hgt = this.canvas.clientHeight;
    if (w === 0 || hgt === 0) return;
    const t = select(this.svg).property('__zoom') as { k: number; x: number; y: number } | undefined;
    const k = t?.k ?? 1;
    const sx = n.x * k + (t?.x ?? 0);
    const sy = n.y * k + (t?.y ?? 0);
    const visible = sx > 40 && sx < w - 40 && sy > 40 && sy < hgt - 40;
    if (visible && !center) return;
    const kk = Math.max(k, 0.6);
    select(this.svg)
      .transition()
      .duration(250)
      .call(this.zoomer.transform, zoomIdentity.translate(w / 2 - n.x * kk, hgt / 2 - n.y * kk).scale(kk));
    if (center) this.svg.querySelector<SVGGElement>(`g.node[data-layer="${CSS.escape(layer)}"]`)?.focus({ preventScroll: true });
  }

  fit(animate: boolean, whole = false): void {
    if (!this.svg || !this.zoomer || !this.layout) return;
    const w = this.canvas.clientWidth;
    const hgt = this.canvas.clientHeight;
    if (w === 0 || hgt === 0) return;
    this.fitted = true;
    const g = this.layout;
    // "Fit" shows everything; the first view keeps tall graphs readable (top part, scale ≥ 0.8).
    const k = whole ? Math.min(1.2, w / g.width, hgt / g.height) : Math.min(1.2, w / g.width, Math.max(hgt / g.height, 0.8));
    const x = (w - g.width * k) / 2;
    const y = g.height * k <= hgt ? (hgt - g.height * k) / 2 : 0;
    const sel = select(this.svg);
    const t = zoomIdentity.translate(x, y).scale(k);
    if (animate) sel.transition().duration(250).call(this.zoomer.transform, t);
    else sel.call(this.zoomer.transform, t);
  }

  private applySearch(): void {
    if (!this.svg) return;
    const q = this.search.value.trim().toLowerCase();
    let count = 0;
    for (const n of this.svg.querySelectorAll<SVGGElement>('g.node')) {
      const hit = q !== '' && (n.dataset.layer!.toLowerCase().includes(q) || n.dataset.type!.toLowerCase().includes(q));
      n.classList.toggle('match', hit);
      if (hit) count++;
    }
    this.svg.classList.toggle('searching', q !== '');
    if (q) this.status.textContent = `${count} match${count === 1 ? '' : 'es'}`;
    else if (this.layout) this.status.textContent = `${this.layout.nodes.length} layers · ${this.layout.edges.length} connections`;
  }

  /** The whole graph (not just the visible part) as standalone SVG text. */
  svgText(): string {
    if (!this.svg || !this.layout) throw new Error('no graph to export');
    const { width, height } = this.layout;
    return standaloneSvg(this.svg, width, height, (clone) => {
      clone.querySelector('g.viewport')?.removeAttribute('transform');
      clone.classList.remove('searching');
    });
  }

  private async export(kind: 'svg' | 'png'): Promise<void> {
    if (!this.layout) return;
    const name = this.modelName;
    try {
      const text = this.svgText();
      const params =
        kind === 'svg'
          ? { suggestedName: `${name}-graph.svg`, content: text, encoding: 'utf8' as const }
          : { suggestedName: `${name}-graph.png`, content: await svgToPngBase64(text, this.layout.width, this.layout.height), encoding: 'base64' as const };
      const r = await this.host.rpc.request('exportFile', params);
      this.status.textContent = r.saved ? `Saved ${r.path ?? params.suggestedName}` : 'Export cancelled';
    } catch (e) {
      this.status.textContent = `Export failed: ${(e as Error).message}`;
    }
  }
}
