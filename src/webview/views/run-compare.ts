/**
 * The Runs tab's compare blocks for ticked runs: their training curves overlaid (loss and accuracy
 * per batch, smoothed, one colour per run), and the graphs of two runs' models side by side, drawn
 * by the graph view's renderer, with added, removed and changed layers marked by colour, a symbol
 * (+ − ~), a legend and words for a screen reader.
 */
import type { LayerNode, ModelIR } from '../../core/model/ir';
import { formatCount } from '../../core/model/ir';
import type { RunRecord } from '../../core/run/record';
import { layerDiffSummary, type LayerDiff } from '../../core/run/run-diff';
import { chartScales, chartValue, renderLineChart, smooth, type ChartData, type ChartSize, type Series } from '../charts/line-chart';
import { h, SVG_NS } from '../dom';
import { layoutModel, type GraphLayout } from '../graph/layout';
import { renderGraph } from '../graph/render';

/** Colours the charts have (c0…c5): more ticked runs than that are not overlaid, and it is said. */
export const MAX_COMPARED_CURVES = 6;

export interface PickedRun {
  run: RunRecord;
  /** 1-based position in start order. */
  n: number;
  name: string;
}

/** Loss and accuracy per batch of the ticked runs, overlaid; the final test values as marks. */
export function compareCurves(picked: PickedRun[], width = 460): HTMLElement {
  const shown = picked.slice(0, MAX_COMPARED_CURVES);
  const size: ChartSize = { width, height: 220, margin: { top: 26, right: 14, bottom: 28, left: 48 } };
  const charts: SVGSVGElement[] = [];
  for (const metric of ['loss', 'acc'] as const) {
    const series: Series[] = [];
    shown.forEach((p, i) => {
      const raw: [number, number][] = [];
      for (const b of p.run.batches) {
        const v = metric === 'loss' ? b.loss : b.acc;
        if (v !== undefined && Number.isFinite(v)) raw.push([b.step, v]);
      }
      series.push({ id: `${p.run.id}:smooth`, runId: p.run.id, label: `#${p.n}`, color: i, kind: 'smooth', points: smooth(raw, 0.6) });
      const t = p.run.test && (metric === 'loss' ? p.run.test.loss : p.run.test.acc);
      const last = p.run.batches[p.run.batches.length - 1];
      if (t !== undefined && Number.isFinite(t) && last) series.push({ id: `${p.run.id}:test`, runId: p.run.id, label: `#${p.n} test`, color: i, kind: 'test', points: [[last.step, t]] });
    });
    const lastValues = shown
      .map((p, i) => {
        const s = series.find((x) => x.runId === p.run.id && x.kind === 'smooth');
        const v = s?.points[s.points.length - 1];
        return v ? `run #${p.n} ends at ${chartValue(v[1])}${i === 0 ? ' (smoothed)' : ''}` : `run #${p.n} has no ${metric === 'loss' ? 'loss' : 'accuracy'} per batch`;
      })
      .join(', ');
    const data: ChartData = { title: metric === 'loss' ? 'Loss, ticked runs' : 'Accuracy, ticked runs', xLabel: 'batch', yLabel: metric, series, summary: lastValues };
    const svg = renderLineChart(data, chartScales(data, size, metric === 'acc' ? { yDomain: [0, 1] } : {}), size);
    svg.dataset.metric = metric;
    svg.classList.add('compare-curves');
    charts.push(svg);
  }
  const key = h('div', { class: 'run-list', 'aria-label': 'Runs in the charts' }, ...shown.map((p, i) => h('span', { class: `run-chip c${i}`, 'data-run': p.run.id }, h('span', { class: 'swatch' }), ` #${p.n} ${p.name}${p.run.test ? ` · test acc ${chartValue(p.run.test.acc)}` : ''}`)));
  const parts: Node[] = [h('h3', { text: `Training curves of ${shown.length} runs` }), key];
  if (picked.length > shown.length) parts.push(h('p', { class: 'warn', role: 'note', text: `Only the first ${MAX_COMPARED_CURVES} ticked runs are drawn (there are ${MAX_COMPARED_CURVES} colours); untick some to see the others.` }));
  parts.push(h('div', { class: 'compare-charts' }, ...charts), h('p', { class: 'muted', text: 'Smoothed per batch; ◆ the test set after training.' }));
  return h('div', { class: 'compare-block', 'data-role': 'compare-curves' }, ...parts);
}

type Mark = 'added' | 'removed' | 'changed';
const SYMBOL: Record<Mark, string> = { added: '+', removed: '−', changed: '~' };

/** Graph layouts per model object: ticking a box redraws the compare blocks, not the layouts. */
const layouts = new WeakMap<ModelIR, GraphLayout>();
function layoutOf(m: ModelIR): GraphLayout {
  let g = layouts.get(m);
  // Every layer its own node (no Dropout/Activation badges): each can carry its own mark.
  if (!g) layouts.set(m, (g = layoutModel(m, { expand: true })));
  return g;
}

function argChanges(c: LayerDiff['changed'][number]): string {
  return c.changes.map((x) => `${x.key} ${JSON.stringify(x.from ?? null)} → ${JSON.stringify(x.to ?? null)}`).join('; ');
}

/** One run's graph with its marked layers (`marks`: layer → mark and what to say about it). */
function markedGraph(model: ModelIR, marks: Map<LayerNode, { mark: Mark; says: string }>, caption: string, side: 'from' | 'to'): HTMLElement {
  const g = layoutOf(model);
  const svg = renderGraph(g);
  svg.classList.add('compare-graph');
  svg.setAttribute('viewBox', `0 0 ${g.width} ${g.height}`);
  svg.setAttribute('width', String(g.width));
  svg.setAttribute('height', String(g.height));
  svg.dataset.side = side;
  const counts: Record<Mark, number> = { added: 0, removed: 0, changed: 0 };
  for (const [layer, { mark, says }] of marks) {
    const nodeName = g.nodeOf.get(layer.name) ?? layer.name;
    const node = [...svg.querySelectorAll<SVGGElement>('g.node')].find((n) => n.dataset.layer === nodeName);
    if (!node) continue;
    counts[mark]++;
    node.classList.add(`diff-${mark}`);
    node.dataset.diff = mark;
    node.setAttribute('aria-label', `${says}. ${node.getAttribute('aria-label') ?? ''}`);
    const box = node.querySelector('rect.node-box');
    const w = Number(box?.getAttribute('width') ?? 0);
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('class', 'diff-symbol');
    t.setAttribute('x', String(w - 8));
    t.setAttribute('y', '16');
    t.setAttribute('text-anchor', 'end');
    t.setAttribute('aria-hidden', 'true');
    t.textContent = SYMBOL[mark];
    node.append(t);
    const title = node.querySelector('title');
    if (title) title.textContent = `${says}\n${title.textContent ?? ''}`;
  }
  const said = (Object.keys(counts) as Mark[]).filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
  svg.setAttribute('aria-label', `${caption}: layer graph, ${g.nodes.length} layers${said.length ? `, ${said.join(', ')}` : ', none changed'}.`);
  const scroll = h('div', { class: 'compare-graph-scroll' }, svg);
  // A tall graph scrolls in its box: open it at its first marked layer, the reason to look.
  requestAnimationFrame(() => {
    const first = svg.querySelector('g.node[data-diff]');
    if (!first || !scroll.isConnected) return;
    scroll.scrollTop = Math.max(0, first.getBoundingClientRect().top - scroll.getBoundingClientRect().top + scroll.scrollTop - 60);
  });
  return h('figure', { class: 'compare-graph-box', 'data-side': side }, h('figcaption', { text: caption }), scroll);
}

/** The legend of the marks, in words beside the colours and symbols. */
function diffLegend(a: PickedRun, b: PickedRun): HTMLElement {
  const item = (mark: Mark | 'same', text: string) => h('li', { 'data-mark': mark }, h('span', { class: `diff-swatch diff-${mark}`, 'aria-hidden': 'true', text: mark === 'same' ? '' : SYMBOL[mark] }), ` ${text}`);
  return h(
    'ul',
    { class: 'legend diff-legend', 'aria-label': 'Legend of the marked layers' },
    item('added', `added in #${b.n}`),
    item('removed', `removed from #${a.n}`),
    item('changed', 'changed (what changed: hover the layer)'),
    item('same', 'the same in both'),
  );
}

/** The models of two runs side by side, `a` (earlier) left and `b` right, with what changed marked. */
export function compareGraphs(a: PickedRun, b: PickedRun, d: LayerDiff): HTMLElement {
  const left = new Map<LayerNode, { mark: Mark; says: string }>();
  const right = new Map<LayerNode, { mark: Mark; says: string }>();
  for (const l of d.removed) left.set(l, { mark: 'removed', says: `Removed: not in run #${b.n}` });
  for (const l of d.added) right.set(l, { mark: 'added', says: `Added: not in run #${a.n}` });
  for (const c of d.changed) {
    left.set(c.from, { mark: 'changed', says: `Changed in run #${b.n} (as ${c.to.name}): ${argChanges(c)}` });
    right.set(c.to, { mark: 'changed', says: `Changed since run #${a.n} (was ${c.from.name}): ${argChanges(c)}` });
  }
  return h(
    'div',
    { class: 'compare-block compare-graphs', 'data-role': 'compare-graphs' },
    h('h3', { text: `Models: #${a.n} → #${b.n} (${layerDiffSummary(d)})` }),
    diffLegend(a, b),
    h(
      'div',
      { class: 'side-by-side' },
      markedGraph(a.run.model!, left, `#${a.n} ${a.name} · ${formatCount(d.totalParams.from)} params`, 'from'),
      markedGraph(b.run.model!, right, `#${b.n} ${b.name} · ${formatCount(d.totalParams.to)} params`, 'to'),
    ),
  );
}
