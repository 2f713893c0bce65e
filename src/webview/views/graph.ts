/**
 * Graph view: the layer DAG with pan/zoom/fit (d3-zoom), search by name, click (or Enter)
 * on a node to reveal its line in the editor, highlight from the editor's cursor, SVG/PNG export.
 * The first view is readable: 100% (text ≥ 11 px) unless the whole graph fits larger, laid out
 * left-to-right when the panel is wider than tall. Arrow keys move between nodes.
 */
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import type { ModelIR } from '../../core/model/ir';
import { ce, h } from '../dom';
import { saveExport, standaloneSvg, svgToPngBase64 } from '../export';
import { layoutModel, type Direction, type GraphLayout, type PlacedNode } from '../graph/layout';
import { Minimap } from '../graph/minimap';
import { renderGraph } from '../graph/render';
import type { Host } from '../host';

/** The smallest scale of the first view: node text is 11–12.5 px at 100%. */
const READABLE = 1;
/** Repeated blocks are grouped by default when the graph has more nodes than this. */
const GROUP_REPEATS_ABOVE = 24;

/** The node nearest to `from` in an arrow key's direction (screen geometry, so it works in both layouts). */
export function nextNode(nodes: PlacedNode[], from: PlacedNode, key: string): PlacedNode | undefined {
  const dir = { ArrowDown: [0, 1], ArrowUp: [0, -1], ArrowRight: [1, 0], ArrowLeft: [-1, 0] }[key];
  if (!dir) return undefined;
  let best: PlacedNode | undefined;
  let bestScore = Infinity;
  for (const n of nodes) {
    if (n === from) continue;
    const dx = n.x - from.x;
    const dy = n.y - from.y;
    const along = dx * dir[0]! + dy * dir[1]!;
    if (along <= 1) continue;
    const across = Math.abs(dx * dir[1]! - dy * dir[0]!);
    const score = along + 2 * across;
    if (score < bestScore) (bestScore = score), (best = n);
  }
  return best;
}

/** Whole nodes in view on the first view (see `fit`): everything, or 100% from the start. */
export function shownAtFirst(g: GraphLayout, w: number, h: number): number {
  const k = Math.max(READABLE, Math.min(1.2, w / g.width, h / g.height));
  const x = g.width * k <= w ? (w - g.width * k) / 2 : 0;
  const y = g.height * k <= h ? (h - g.height * k) / 2 : 0;
  return g.nodes.filter((n) => {
    const l = x + (n.x - n.width / 2) * k;
    const t = y + (n.y - n.height / 2) * k;
    return l >= 0 && t >= 0 && l + n.width * k <= w && t + n.height * k <= h;
  }).length;
}

export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly everyLayer: HTMLInputElement;
  private readonly groupRepeats: HTMLInputElement;
  private readonly groupLabel: HTMLElement;
  /** Runs of repeated blocks the user opened (by the run's first layer). */
  private readonly expandedRuns = new Set<string>();
  private svg: SVGSVGElement | null = null;
  private layout: GraphLayout | null = null;
  /** The graph drawn: the panel's model, or a nested model opened from it (the last of `trail`). */
  private model: ModelIR | null = null;
  /** The panel's model, then each nested model opened (with the node it was opened from). */
  private trail: { model: ModelIR; via: string | null }[] = [];
  private readonly crumbs: HTMLElement;
  private zoomer: ZoomBehavior<SVGSVGElement, unknown> | null = null;
  private highlighted: string | null = null;
  private focused: string | null = null;
  private fitted = false;
  private minimap: Minimap | null = null;
  /** The panel's orientation when the graph was last laid out. */
  private lastWanted: Direction = 'TB';
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
    this.everyLayer = h('input', { type: 'checkbox', 'data-action': 'every-layer', checked: !!host.saved().everyLayer });
    this.everyLayer.addEventListener('change', () => {
      this.host.save({ everyLayer: this.everyLayer.checked });
      this.draw();
    });
    this.groupRepeats = h('input', { type: 'checkbox', 'data-action': 'group-repeats' });
    this.groupRepeats.addEventListener('change', () => {
      this.host.save({ groupRepeats: this.groupRepeats.checked });
      this.expandedRuns.clear();
      this.draw();
    });
    this.groupLabel = h('label', { class: 'check', title: 'Draw each run of identical blocks as one node (click it to open)', hidden: true }, this.groupRepeats, 'Group repeats');
    const fit = ce('vscode-button', { secondary: true, 'aria-label': 'Fit the whole graph in the view', 'data-action': 'fit' }, 'Fit');
    fit.addEventListener('click', () => this.fit(true, true));
    const svgBtn = ce('vscode-button', { secondary: true, 'aria-label': 'Export the graph as SVG', 'data-action': 'export-svg' }, 'SVG');
    svgBtn.addEventListener('click', () => void this.export('svg'));
    const pngBtn = ce('vscode-button', { secondary: true, 'aria-label': 'Export the graph as PNG', 'data-action': 'export-png' }, 'PNG');
    pngBtn.addEventListener('click', () => void this.export('png'));
    this.status = h('span', { class: 'muted status', role: 'status' });
    this.canvas = h('div', { class: 'graph-canvas' });
    this.crumbs = h('nav', { class: 'breadcrumb', 'aria-label': 'Nested models opened', hidden: true });
    const toolbar = h(
      'div',
      { class: 'toolbar' },
      this.search,
      h('label', { class: 'check', title: 'Draw activations and dropouts as their own nodes instead of badges' }, this.everyLayer, 'Every layer'),
      this.groupLabel,
      fit,
      h('span', { class: 'export-group', role: 'group', 'aria-label': 'Export' }, svgBtn, pngBtn),
      this.status,
    );
    this.element = h('section', { class: 'view graph-view' }, toolbar, this.crumbs, this.canvas);
    new ResizeObserver(() => {
      if (this.canvas.clientWidth === 0) return;
      // The panel turned (wider than tall ⇄ taller than wide): lay out again in the new direction.
      if (this.model && this.layout && this.wantedDirection() !== this.lastWanted) this.draw();
      else if (!this.fitted) (this.fit(false), this.placeMinimap());
    }).observe(this.canvas);
  }

  private wantedDirection(): Direction {
    const w = this.canvas.clientWidth;
    const hh = this.canvas.clientHeight;
    return w > 0 && hh > 0 && w > hh ? 'LR' : 'TB';
  }

  /**
   * Left to right when the panel is wider than tall, unless top to bottom shows more whole nodes
   * on the first view (a long chain in a panel only a little wider than tall).
   */
  private layoutFor(model: ModelIR): GraphLayout {
    const expand = this.everyLayer.checked;
    const saved = this.host.saved().groupRepeats;
    // Unset: group when the graph is big (decided on the ungrouped node count).
    const group = saved ?? layoutModel(model, { expand }).nodes.length > GROUP_REPEATS_ABOVE;
    this.groupRepeats.checked = group;
    const collapse = group ? (r: { id: string }) => !this.expandedRuns.has(r.id) : undefined;
    const opts = { expand, ...(collapse ? { collapse } : {}) };
    const wanted = this.wantedDirection();
    const first = layoutModel(model, { ...opts, direction: wanted });
    if (wanted === 'TB' || first.nodes.length > 150) return first;
    const other = layoutModel(model, { ...opts, direction: 'TB' });
    const w = this.canvas.clientWidth;
    const hh = this.canvas.clientHeight;
    return shownAtFirst(other, w, hh) > shownAtFirst(first, w, hh) ? other : first;
  }

  /**
   * The panel's model (new or changed). A nested model the user had opened stays open when the new
   * model still has it (by the names of the nodes it was opened from); else the graph goes back to the top.
   */
  setModel(model: ModelIR): void {
    const trail: { model: ModelIR; via: string | null }[] = [{ model, via: null }];
    for (const step of this.trail.slice(1)) {
      const inner = trail[trail.length - 1]!.model.layers.find((l) => l.name === step.via)?.nested?.graph;
      if (!inner) break;
      trail.push({ model: inner, via: step.via });
    }
    this.trail = trail;
    this.draw();
  }

  /** Opens the graph of the nested model drawn as node `layer` (the breadcrumb leads back). */
  openNested(layer: string): boolean {
    const inner = this.model?.layers.find((l) => l.name === layer)?.nested?.graph;
    if (!inner) return false;
    this.trail.push({ model: inner, via: layer });
    this.focused = null;
    this.draw();
    return true;
  }

  /** Back to the `depth`-th graph of the trail (0: the panel's model); focus on the node that was opened. */
  private closeTo(depth: number): void {
    if (depth >= this.trail.length - 1) return;
    const via = this.trail[depth + 1]!.via;
    this.trail.length = depth + 1;
    this.focused = via;
    this.draw();
    if (via) this.focusLayer(via, false, true);
  }

  private renderCrumbs(): void {
    this.crumbs.hidden = this.trail.length < 2;
    if (this.crumbs.hidden) return this.crumbs.replaceChildren();
    const parts: (HTMLElement | string)[] = [];
    this.trail.forEach((step, i) => {
      const last = i === this.trail.length - 1;
      const label = `${step.model.name} · ${step.model.totalParams.toLocaleString('en')} params`;
      if (i) parts.push(h('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '›'));
      if (last) parts.push(h('span', { class: 'crumb current', 'aria-current': 'page' }, label));
      else {
        const b = h('button', { class: 'crumb', type: 'button', 'data-depth': String(i), title: i ? `Back to model '${step.model.name}'` : 'Back to the whole model' }, label);
        b.addEventListener('click', () => this.closeTo(i));
        parts.push(b);
      }
    });
    this.crumbs.replaceChildren(...parts);
  }

  /** Draws the last graph of the trail. */
  private draw(): void {
    const model = this.trail[this.trail.length - 1]?.model;
    if (!model) return;
    if (this.model !== model) this.expandedRuns.clear();
    this.model = model;
    this.renderCrumbs();
    this.lastWanted = this.wantedDirection();
    this.modelName = model.name || 'model';
    this.layout = this.layoutFor(model);
    this.groupLabel.hidden = this.layout.runs.length === 0;
    this.svg = renderGraph(this.layout);
    this.canvas.replaceChildren(this.svg);
    const sel = select(this.svg);
    // As in VS Code's editors: the wheel scrolls (pans), Ctrl/⌘ + wheel zooms, drag pans.
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      .filter((e: Event) => (e.type === 'wheel' ? (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey : !(e as MouseEvent).button))
      .on('zoom', (e) => {
        sel.select('g.viewport').attr('transform', e.transform.toString());
        this.minimap?.update(this.view(e.transform));
      });
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
    sel.selectAll<SVGGElement, unknown>('g.node').on('click', (e: MouseEvent) => {
      const el = e.currentTarget as SVGGElement;
      if ((e.target as Element).closest('[data-action="open-nested"]')) this.openNested(el.dataset.layer!);
      else this.reveal(el);
    });
    sel.selectAll<SVGGElement, unknown>('g.node.nested').on('dblclick', (e: MouseEvent) => void this.openNested((e.currentTarget as SVGGElement).dataset.layer!));
    sel.selectAll<SVGGElement, unknown>('g.node').on('keydown', (e: KeyboardEvent) => this.nodeKey(e));
    sel.selectAll<SVGGElement, unknown>('g.node').on('focus', (e: FocusEvent) => this.setRoving((e.currentTarget as SVGGElement).dataset.layer!));
    this.setRoving(this.focused && this.layout.nodes.some((n) => n.row.layer.name === this.focused) ? this.focused : (this.layout.nodes[0]?.row.layer.name ?? null));
    this.fitted = false;
    this.minimap = null;
    this.fit(false);
    this.placeMinimap();
    if (this.highlighted) this.highlight(this.highlighted);
    this.applySearch();
  }

  private view(t: { k: number; x: number; y: number }) {
    return { k: t.k, x: t.x, y: t.y, width: this.canvas.clientWidth, height: this.canvas.clientHeight };
  }

  /** A minimap in the canvas's corner when the first view shows only a small part of the graph. */
  private placeMinimap(): void {
    this.canvas.querySelector('.minimap')?.remove();
    this.minimap = null;
    if (!this.svg || !this.layout || !this.zoomer || this.canvas.clientWidth === 0) return;
    const t = (select(this.svg).property('__zoom') as { k: number; x: number; y: number } | undefined) ?? { k: 1, x: 0, y: 0 };
    if (!Minimap.wanted(this.layout, this.view(t))) return;
    const sel = select(this.svg);
    const zoomer = this.zoomer;
    this.minimap = new Minimap(this.layout, (gx, gy) => {
      const k = (sel.property('__zoom') as { k: number } | undefined)?.k ?? 1;
      sel.call(zoomer.transform, zoomIdentity.translate(this.canvas.clientWidth / 2 - gx * k, this.canvas.clientHeight / 2 - gy * k).scale(k));
    });
    this.canvas.append(this.minimap.element);
    this.minimap.update(this.view(t));
  }

  private statusText(): string {
    if (!this.layout || !this.model) return '';
    const badges = this.layout.nodes.reduce((a, n) => a + n.folded.length, 0);
    const blocks = this.layout.nodes.filter((n) => n.block);
    const inBlocks = blocks.reduce((a, n) => a + n.block!.layers.length, 0);
    const notes = [badges ? `${badges} as badges` : '', inBlocks ? `${inBlocks} in ${blocks.length === 1 ? 'a group' : `${blocks.length} groups`} of repeats` : ''].filter(Boolean);
    return `${this.model.layers.length} layers${notes.length ? ` (${notes.join(', ')})` : ''} · ${this.layout.edges.length} connections`;
  }

  /** One node is in the tab order (roving tabindex); arrows move it. */
  private setRoving(layer: string | null): void {
    this.focused = layer;
    if (!this.svg) return;
    for (const n of this.svg.querySelectorAll<SVGGElement>('g.node')) n.setAttribute('tabindex', n.dataset.layer === layer ? '0' : '-1');
  }

  private nodeKey(e: KeyboardEvent): void {
    const el = e.currentTarget as SVGGElement;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.reveal(el);
      return;
    }
    if ((e.key === 'o' || e.key === 'O') && this.openNested(el.dataset.layer!)) {
      e.preventDefault();
      return;
    }
    if ((e.key === 'Backspace' || e.key === 'Escape') && this.trail.length > 1) {
      e.preventDefault();
      this.closeTo(this.trail.length - 2);
      return;
    }
    if (!this.layout) return;
    const nodes = this.layout.nodes;
    const from = nodes.find((n) => n.row.layer.name === el.dataset.layer);
    if (!from) return;
    let to: PlacedNode | undefined;
    if (e.key === 'Home') to = nodes[0];
    else if (e.key === 'End') to = nodes[nodes.length - 1];
    else to = nextNode(nodes, from, e.key);
    if (!to && e.key.startsWith('Arrow')) {
      // Along the flow, fall back to layer order (a merge's other branch, the end of a row).
      const i = nodes.indexOf(from);
      const forward = this.layout.direction === 'TB' ? e.key === 'ArrowDown' : e.key === 'ArrowRight';
      const back = this.layout.direction === 'TB' ? e.key === 'ArrowUp' : e.key === 'ArrowLeft';
      to = forward ? nodes[i + 1] : back ? nodes[i - 1] : undefined;
    }
    if (!to) return;
    e.preventDefault();
    this.focusLayer(to.row.layer.name, false, true);
  }

  private reveal(node: SVGGElement): void {
    const layer = node.dataset.layer!;
    if (node.classList.contains('block-node') && this.model) {
      // A run of repeated blocks opens in place; the focus goes to its first layer.
      this.expandedRuns.add(layer);
      this.draw();
      this.focusLayer(layer, false, true);
      return;
    }
    this.highlight(layer);
    // A layer of an opened nested model is found through the nodes it was opened from.
    const within = this.trail.slice(1).map((t) => t.via!);
    this.host.rpc.emit('revealLayer', { layer, ...(within.length ? { within } : {}) });
  }

  /** Marks one node (from the editor's cursor; a folded layer marks the node it rides on); `null` clears. */
  highlight(layer: string | null): void {
    this.highlighted = layer;
    if (!this.svg) return;
    const node = layer ? (this.layout?.nodeOf.get(layer) ?? layer) : null;
    for (const n of this.svg.querySelectorAll<SVGGElement>('g.node')) n.classList.toggle('highlighted', n.dataset.layer === node);
    for (const e of this.svg.querySelectorAll<SVGGElement>('g.edge'))
      e.classList.toggle('highlighted', node !== null && (e.dataset.from === node || e.dataset.to === node));
    if (node) this.focusLayer(node, false);
  }

  /** Pans so the node is visible (always when `center`); `focus` moves the keyboard focus to it. */
  private focusLayer(layer: string, center: boolean, focus = center): void {
    if (!this.svg || !this.zoomer || !this.layout) return;
    const n = this.layout.nodes.find((p) => p.row.layer.name === layer);
    if (!n) return;
    if (focus) {
      this.setRoving(layer);
      this.svg.querySelector<SVGGElement>(`g.node[data-layer="${CSS.escape(layer)}"]`)?.focus({ preventScroll: true });
    }
    const w = this.canvas.clientWidth;
    const hgt = this.canvas.clientHeight;
    if (w === 0 || hgt === 0) return;
    const t = select(this.svg).property('__zoom') as { k: number; x: number; y: number } | undefined;
    const k = t?.k ?? 1;
    const sx = n.x * k + (t?.x ?? 0);
    const sy = n.y * k + (t?.y ?? 0);
    const mx = Math.min(w / 2, (n.width * k) / 2 + 8);
    const my = Math.min(hgt / 2, (n.height * k) / 2 + 8);
    const visible = sx > mx && sx < w - mx && sy > my && sy < hgt - my;
    if (visible && !center) return;
    const kk = Math.max(k, READABLE);
    select(this.svg)
      .transition()
      .duration(200)
      .call(this.zoomer.transform, zoomIdentity.translate(w / 2 - n.x * kk, hgt / 2 - n.y * kk).scale(kk));
  }

  /**
   * `whole`: everything in view (Fit). Otherwise the first view: the whole graph when it fits at
   * a readable scale, else 100% from the start of the model (top, or left when left-to-right).
   */
  fit(animate: boolean, whole = false): void {
    if (!this.svg || !this.zoomer || !this.layout) return;
    const w = this.canvas.clientWidth;
    const hgt = this.canvas.clientHeight;
    if (w === 0 || hgt === 0) return;
    this.fitted = true;
    const g = this.layout;
    const all = Math.min(1.2, w / g.width, hgt / g.height);
    const k = whole ? all : Math.max(all, READABLE);
    const x = g.width * k <= w ? (w - g.width * k) / 2 : 0;
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
      const names = [n.dataset.layer!, n.dataset.type!, ...(n.dataset.folded ?? '').split(' '), ...(n.dataset.foldedTypes ?? '').split(' ')].filter(Boolean);
      const hit = q !== '' && names.some((s) => s.toLowerCase().includes(q));
      n.classList.toggle('match', hit);
      if (hit) count++;
    }
    this.svg.classList.toggle('searching', q !== '');
    this.status.textContent = q ? `${count} match${count === 1 ? '' : 'es'}` : this.statusText();
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
    const { width, height } = this.layout;
    const name = `${this.modelName}-graph.${kind}`;
    if (kind === 'svg') await saveExport(this.host, this.status, name, 'utf8', () => this.svgText());
    else await saveExport(this.host, this.status, name, 'base64', () => svgToPngBase64(this.svgText(), width, height));
  }
}
