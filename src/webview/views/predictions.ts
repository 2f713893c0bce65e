/**
 * Predictions view: test samples with true/predicted label and probability bars, a filter to
 * mistakes sorted by confidence, a confusion matrix whose cells filter the grid, per-class accuracy.
 * Data: the host's `samples` request (a SampleBatch of typed arrays).
 */
import { create, scaleSequential, interpolateBlues } from 'd3';
import type { SampleBatch } from '../../core/protocol/worker';
import { ce, h, imageCanvas, pct } from '../dom';
import type { Host } from '../host';
import type { Store } from '../store';

const PAGE = 500;
const GRID_LIMIT = 120;

export interface Scored {
  index: number;
  label: number;
  pred: number;
  conf: number;
}

/** Predicted class and its probability per sample; `null` without probabilities. */
export function score(b: SampleBatch): Scored[] | null {
  if (!b.probs) return null;
  const k = b.numClasses;
  const out: Scored[] = [];
  for (let i = 0; i < b.count; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (b.probs[i * k + c]! > b.probs[i * k + best]!) best = c;
    out.push({ index: i, label: b.labels[i]!, pred: best, conf: b.probs[i * k + best]! });
  }
  return out;
}

export function confusion(scored: Scored[], k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const s of scored) if (s.label < k) m[s.label]![s.pred]!++;
  return m;
}

/** Probability bars for all classes, pure SVG. */
export function renderProbBars(probs: ArrayLike<number>, opts: { label?: number; pred?: number; width: number; height: number; names?: string[]; large?: boolean }): SVGSVGElement {
  const k = probs.length;
  const bw = opts.width / k;
  // Class labels under the bars: 12 px where there is room (Draw), compact on the sample cards.
  const font = opts.large ? 12 : 9;
  const svg = create('svg')
    .attr('class', `prob-bars${opts.label !== undefined ? ' has-truth' : ''}${opts.large ? ' large' : ''}`)
    .attr('width', opts.width)
    .attr('height', opts.height + font + 4)
    .attr('role', 'img');
  const best = opts.pred ?? 0;
  svg.attr('aria-label', `Probabilities: ${Array.from(probs, (p, c) => `${opts.names?.[c] ?? c} ${pct(p)}`).join(', ')}`);
  const g = svg
    .selectAll('g')
    .data(Array.from(probs))
    .join('g')
    .attr('class', (_p, c) => `bar${c === best ? ' pred' : ''}${c === opts.label ? ' truth' : ''}`)
    .attr('data-class', (_p, c) => c)
    .attr('data-prob', (p) => p.toFixed(5));
  g.append('rect')
    .attr('x', (_p, c) => c * bw + 1)
    .attr('width', Math.max(1, bw - 2))
    .attr('y', (p) => opts.height - Math.max(1, p * opts.height))
    .attr('height', (p) => Math.max(1, p * opts.height));
  g.append('text')
    .attr('x', (_p, c) => c * bw + bw / 2)
    .attr('y', opts.height + font + 1)
    .attr('text-anchor', 'middle')
    .text((_p, c) => (opts.names?.[c] ?? String(c)).slice(0, 2));
  return svg.node()!;
}

/** Tokens / values shown on a card; the whole sample is in its tooltip. */
const VALUES_SHOWN = 24;

/** A sample's numbers as text: whole numbers as they are (token ids), others to 2 decimals. */
export function valuesText(values: ArrayLike<number>, from: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const v = values[from + i]!;
    out.push(Number.isInteger(v) ? String(v) : v.toFixed(2));
  }
  return out.join(' ');
}

/**
 * A sample's numbers for display: token ids without their padding (id 0 before and after the
 * text, as pad_sequences writes it), said in the heading; other values as they are.
 */
export function describeValues(values: ArrayLike<number>, from: number, per: number, shape: number[], tokens: boolean, shown: number, vocabulary?: string[]): { kind: string; text: string } {
  if (!tokens) return { kind: `(${shape.join(' × ')}) values`, text: valuesText(values, from, Math.min(per, shown)) + (per > shown ? ' …' : '') };
  let a = 0;
  let z = per;
  while (a < z && values[from + a] === 0) a++;
  while (z > a && values[from + z - 1] === 0) z--;
  const n = z - a;
  const pad = per - n;
  const m = Math.min(n, shown);
  const text = vocabulary ? Array.from({ length: m }, (_, i) => vocabulary[values[from + a + i]!] ?? `#${values[from + a + i]}`).join(' ') : valuesText(values, from + a, m);
  return { kind: `${n} ${vocabulary ? 'tokens' : 'token ids'}${pad ? ` (+${pad} padding)` : ''}`, text: text + (n > shown ? ' …' : '') };
}

/**
 * What a card shows of sample `i`: the image (gray or colour, at most 56 px, aspect ratio kept),
 * or — for sequence and tabular models — its tokens / values (no canvas).
 */
export function sampleThumb(b: SampleBatch, i: number): HTMLElement {
  if (b.values && b.sampleShape) {
    const per = b.sampleShape.reduce((a, d) => a * d, 1);
    const d = describeValues(b.values, i * per, per, b.sampleShape, !!b.tokens, VALUES_SHOWN, b.vocabulary);
    const el = h('div', { class: `sample-values${b.tokens ? ' tokens' : ''}`, 'data-values': per, title: valuesText(b.values, i * per, Math.min(per, 2000)) });
    el.append(h('span', { class: 'values-kind', text: d.kind }), h('code', { text: d.text }));
    return el;
  }
  const channels = b.channels === 3 ? 3 : 1;
  const img = imageCanvas(b.images, b.width, b.height, channels, i * b.width * b.height * channels, 56);
  img.className = 'digit';
  img.setAttribute('aria-hidden', 'true');
  return img;
}

export class PredictionsView {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly matrixBox: HTMLElement;
  private readonly perClass: HTMLElement;
  private readonly mistakes: HTMLInputElement;
  private readonly filterNote: HTMLElement;
  private batch: SampleBatch | null = null;
  private scored: Scored[] | null = null;
  private cell: [number, number] | null = null;
  private loading: AbortController | null = null;
  private stale = true;
  private visible = false;

  constructor(
    private readonly store: Store,
    private readonly host: Host,
  ) {
    this.mistakes = h('input', { type: 'checkbox', id: 'only-mistakes', 'aria-label': 'Show only mistakes, most confident first' });
    this.mistakes.addEventListener('change', () => {
      this.cell = null;
      this.renderGrid();
    });
    const reload = ce('vscode-button', { secondary: true, 'data-action': 'reload-samples', 'aria-label': 'Reload the samples and predictions' }, 'Reload');
    reload.addEventListener('click', () => void this.load());
    this.status = h('p', { class: 'muted', role: 'status' });
    this.filterNote = h('span', { class: 'filter-note' });
    this.grid = h('div', { class: 'sample-grid', role: 'list', 'aria-label': 'Test samples' });
    this.matrixBox = h('div', { class: 'confusion' });
    this.perClass = h('div', { class: 'per-class' });
    this.element = h(
      'section',
      { class: 'view predictions-view' },
      h('div', { class: 'toolbar' }, h('label', { class: 'check' }, this.mistakes, ' Only mistakes (most confident first)'), reload, this.filterNote),
      this.status,
      h('div', { class: 'pred-layout' }, h('div', { class: 'pred-side' }, h('h3', { text: 'Confusion matrix' }), this.matrixBox, h('h3', { text: 'Per-class accuracy' }), this.perClass), this.grid),
    );
    store.on('weights', () => {
      this.stale = true;
      if (this.visible) void this.load();
    });
  }

  setVisible(v: boolean): void {
    this.visible = v;
    if (v && this.stale) void this.load();
  }

  async load(): Promise<void> {
    this.stale = false;
    this.loading?.abort();
    const ctrl = (this.loading = new AbortController());
    this.status.textContent = this.store.hasWeights ? 'Predicting test samples…' : 'Loading test samples…';
    try {
      const b = await this.host.rpc.request('samples', { start: 0, count: PAGE }, { signal: ctrl.signal });
      if (ctrl.signal.aborted) return;
      this.setBatch(b);
    } catch (e) {
      if (!ctrl.signal.aborted) this.status.textContent = `Could not load samples: ${(e as Error).message}`;
    }
  }

  setBatch(b: SampleBatch): void {
    this.batch = b;
    this.scored = score(b);
    this.cell = null;
    if (!this.scored) {
      this.status.textContent = `${b.count} test samples. Train the model (or load weights) to see its predictions.`;
    } else {
      const right = this.scored.filter((s) => s.label === s.pred).length;
      this.status.textContent = `Test samples ${b.start}–${b.start + b.count - 1}: ${right}/${b.count} correct (${pct(right / b.count)}).${this.store.weightsStale ? ' Weights are from an older version of the file.' : ''}`;
    }
    this.renderMatrix();
    this.renderGrid();
  }

  private renderMatrix(): void {
    const b = this.batch;
    if (!b || !this.scored) {
      this.matrixBox.replaceChildren();
      this.perClass.replaceChildren();
      return;
    }
    const k = b.numClasses;
    const m = confusion(this.scored, k);
    const max = Math.max(1, ...m.flat());
    const color = scaleSequential((t: number) => interpolateBlues(0.2 + 0.8 * t)).domain([0, max]);
    const cs = 30;
    const pad = 46;
    const top = 36;
    const svg = create('svg')
      .attr('class', 'confusion-matrix')
      .attr('width', pad + k * cs + 4)
      .attr('height', top + k * cs + 4)
      .attr('role', 'grid')
      .attr('aria-label', 'Confusion matrix: rows true class, columns predicted class');
    // Axis names: columns are what the model predicted, rows the true class.
    svg.append('text').attr('class', 'axis-label predicted-label').attr('x', pad).attr('y', 12).text('predicted →');
    svg.append('text').attr('class', 'axis-label true-label').attr('x', 2).attr('y', top - 6).text('true ↓');
    for (let c = 0; c < k; c++) {
      svg.append('text').attr('class', 'tick').attr('x', pad + c * cs + cs / 2).attr('y', top - 6).attr('text-anchor', 'middle').text(b.classNames?.[c]?.slice(0, 2) ?? String(c));
      svg.append('text').attr('class', 'tick').attr('x', pad - 6).attr('y', top + c * cs + cs / 2 + 4).attr('text-anchor', 'end').text(b.classNames?.[c]?.slice(0, 2) ?? String(c));
    }
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const n = m[t]![p]!;
        const g = svg
          .append('g')
          .attr('class', `cell${t === p ? ' diag' : ''}${n ? '' : ' empty'}`)
          .attr('data-true', t)
          .attr('data-pred', p)
          .attr('data-count', n)
          .attr('role', 'gridcell')
          .attr('tabindex', n ? 0 : -1)
          .attr('aria-label', `true ${t}, predicted ${p}: ${n} samples`)
          .attr('transform', `translate(${pad + p * cs},${top + t * cs})`);
        const fill = n ? color(n) : 'transparent';
        g.append('rect').attr('width', cs - 1).attr('height', cs - 1).attr('fill', fill);
        if (n) {
          g.append('text')
            .attr('x', cs / 2)
            .attr('y', cs / 2 + 4)
            .attr('text-anchor', 'middle')
            .attr('class', n > max * 0.4 ? 'on-dark' : 'on-light')
            .text(n);
        }
        const pick = () => {
          this.cell = [t, p];
          this.mistakes.checked = false;
          this.renderGrid();
        };
        g.on('click', pick).on('keydown', (e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            pick();
          }
        });
      }
    }
    this.matrixBox.replaceChildren(svg.node()!);
    // Per-class accuracy.
    const rows = Array.from({ length: k }, (_v, c) => {
      const total = m[c]!.reduce((a, v) => a + v, 0);
      const acc = total ? m[c]![c]! / total : NaN;
      return h(
        'div',
        { class: 'class-row', 'data-class': c, 'data-acc': Number.isNaN(acc) ? '' : acc.toFixed(4) },
        h('span', { class: 'class-name', text: b.classNames?.[c] ?? String(c) }),
        h('meter', { min: 0, max: 1, value: Number.isNaN(acc) ? 0 : acc, 'aria-label': `class ${c} accuracy` }),
        h('span', { class: 'num', text: Number.isNaN(acc) ? '–' : `${pct(acc)} of ${total}` }),
      );
    });
    this.perClass.replaceChildren(...rows);
  }

  private renderGrid(): void {
    const b = this.batch;
    if (!b) return;
    let list: Scored[] =
      this.scored ?? Array.from({ length: b.count }, (_v, i) => ({ index: i, label: b.labels[i]!, pred: -1, conf: 0 }));
    let note = '';
    if (this.cell && this.scored) {
      const [t, p] = this.cell;
      list = list.filter((s) => s.label === t && s.pred === p).sort((a, z) => z.conf - a.conf);
      note = `Showing true ${t}, predicted ${p}: ${list.length}`;
    } else if (this.mistakes.checked && this.scored) {
      list = list.filter((s) => s.label !== s.pred).sort((a, z) => z.conf - a.conf);
      note = `${list.length} mistakes`;
    }
    this.filterNote.textContent = note;
    for (const c of this.matrixBox.querySelectorAll('g.cell')) {
      const el = c as SVGGElement;
      el.classList.toggle('selected', !!this.cell && el.dataset.true === String(this.cell[0]) && el.dataset.pred === String(this.cell[1]));
    }
    const cards = list.slice(0, GRID_LIMIT).map((s) => {
      const wrong = s.pred >= 0 && s.pred !== s.label;
      const img = sampleThumb(b, s.index);
      const name = (c: number) => b.classNames?.[c] ?? String(c);
      const caption =
        s.pred >= 0
          ? h('div', { class: 'caption' }, h('span', { text: `true ${name(s.label)}` }), h('span', { class: wrong ? 'wrong' : 'right', text: `pred ${name(s.pred)} ${pct(s.conf)}` }))
          : h('div', { class: 'caption' }, h('span', { text: `true ${name(s.label)}` }));
      const probs = b.probs ? b.probs.subarray(s.index * b.numClasses, (s.index + 1) * b.numClasses) : null;
      return h(
        'div',
        {
          class: `sample${wrong ? ' mistake' : ''}`,
          role: 'listitem',
          'data-index': b.start + s.index,
          'data-label': s.label,
          'data-pred': s.pred,
          'aria-label': `Sample ${b.start + s.index}: true ${name(s.label)}${s.pred >= 0 ? `, predicted ${name(s.pred)} with ${pct(s.conf)}` : ''}`,
        },
        img,
        caption,
        probs ? renderProbBars(probs, { label: s.label, pred: s.pred, width: 110, height: 28, ...(b.classNames ? { names: b.classNames } : {}) }) : null,
      );
    });
    if (list.length > GRID_LIMIT) cards.push(h('p', { class: 'muted', text: `… and ${list.length - GRID_LIMIT} more` }));
    if (list.length === 0) cards.push(h('p', { class: 'muted', text: 'No samples match.' }));
    this.grid.replaceChildren(...cards);
  }
}
