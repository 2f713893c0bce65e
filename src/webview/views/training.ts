/**
 * Training view: loss and accuracy per batch (smoothed, slider) and per epoch (train/val),
 * several runs overlaid, log scale for loss, hover for values, CSV export. Streams: batch
 * events only mark the view dirty; redraws happen at most once per animation frame.
 */
import { saveExport } from '../export';
import { ensureCurves } from '../run-curves';
import { bisector } from 'd3';
import type { RunRecord } from '../../core/run/record';
import type { StepTimes } from '../../core/protocol/worker';
import { shareList } from '../../core/train/step-times';
import { progressFigures, progressPhrases, snapshotOfBatch } from '../../core/run/progress';
import { settingsSummary } from '../../core/run/run-table';
import { trainingBlocker } from '../../core/keras/layer-table';
import { OVERLAID_RUNS } from '../../core/run/shared-models';
import { chartScales, chartValue, renderLineChart, smooth, type ChartData, type ChartSize, type Series } from '../charts/line-chart';
import { ce, fmt, frameThrottle, h, SVG_NS } from '../dom';
import type { Host } from '../host';
import type { Store } from '../store';

const MAX_OVERLAID = OVERLAID_RUNS;

function runLabel(r: RunRecord, i: number): string {
  const t = r.startedAt ? new Date(r.startedAt) : null;
  const when = t && !Number.isNaN(t.getTime()) ? t.toISOString().slice(11, 16) : '';
  return `#${i + 1}${when ? ` ${when}` : ''} · ${r.settings.dataset} · ${r.status}`;
}

/** x position of an epoch's metrics: the last step of that epoch. */
function epochSteps(r: RunRecord): Map<number, number> {
  const m = new Map<number, number>();
  for (const b of r.batches) m.set(b.epoch, Math.max(m.get(b.epoch) ?? 0, b.step));
  return m;
}

/** The latest values, said to a screen reader: `latest run: batch 0.912, epoch 1 0.931, test 0.985`. */
function chartSummary(series: Series[]): string {
  const latest = series.length ? series[series.length - 1]!.runId : null;
  const parts: string[] = [];
  for (const s of series) {
    if (s.runId !== latest || s.kind === 'raw' || !s.points.length) continue;
    const p = s.points[s.points.length - 1]!;
    const what = s.kind === 'smooth' ? `batch ${p[0]} (smoothed)` : s.kind === 'epoch-train' ? `epoch ${s.points.length} train` : s.kind === 'epoch-val' ? `epoch ${s.points.length} validation` : 'test set';
    parts.push(`${what} ${chartValue(p[1])}`);
  }
  return parts.length ? `Latest run: ${parts.join(', ')}` : 'No values yet';
}

/** The legend, above the charts (so nothing is drawn over it), one entry per kind of mark shown. */
function legend(kinds: Set<string>): HTMLElement {
  const swatch = (kind: string) => {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '12');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', `legend-swatch ${kind} c0`);
    const line = (dash: string | null, cls: string) => {
      const l = document.createElementNS(SVG_NS, 'line');
      Object.entries({ x1: '1', y1: '6', x2: '25', y2: '6', class: `series ${cls}` }).forEach(([k, v]) => l.setAttribute(k, v));
      if (dash) l.setAttribute('stroke-dasharray', dash);
      svg.append(l);
    };
    const mark = (tag: 'circle' | 'path', attrs: Record<string, string>, cls: string) => {
      const m = document.createElementNS(SVG_NS, tag);
      Object.entries(attrs).forEach(([k, v]) => m.setAttribute(k, v));
      const g = document.createElementNS(SVG_NS, 'g');
      g.setAttribute('class', `markers ${cls}`);
      g.append(m);
      svg.append(g);
    };
    if (kind === 'smooth') line(null, 'smooth');
    if (kind === 'epoch-train') (line(null, 'epoch-train'), mark('circle', { cx: '13', cy: '6', r: '3.5' }, 'epoch-train'));
    if (kind === 'epoch-val') (line(null, 'epoch-val'), mark('circle', { cx: '13', cy: '6', r: '3.5' }, 'epoch-val'));
    if (kind === 'test') mark('path', { d: 'M13,1 L18,6 L13,11 L8,6 Z' }, 'test');
    return svg;
  };
  const items: [string, string][] = [
    ['smooth', 'per batch, smoothed (faint: raw)'],
    ['epoch-train', 'per epoch, train'],
    ['epoch-val', 'per epoch, validation'],
    ['test', 'test set, after training'],
  ];
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    ...items.filter(([k]) => kinds.has(k as never)).map(([k, text]) => h('li', { 'data-kind': k }, swatch(k), text)),
  );
}

export class TrainingView {
  readonly element: HTMLElement;
  private readonly charts: HTMLElement;
  private readonly runList: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly sliderValue: HTMLElement;
  private readonly logBox: HTMLInputElement;
  private readonly hidden = new Set<string>();
  private visible = false;
  private dirty = true;
  private readonly schedule: () => void;
  /** Series drawn per chart, for hover look-ups. */
  private drawn: { svg: SVGSVGElement; series: Series[]; x: (v: number) => number; invert: (px: number) => number; metric: string }[] = [];

  constructor(
    private readonly store: Store,
    private readonly host: Host,
  ) {
    const saved = host.saved();
    this.slider = h('input', { type: 'range', min: 0, max: 0.99, step: 0.01, value: saved.smoothing ?? 0.6, id: 'smoothing', 'aria-label': 'Smoothing of the per-batch curves' });
    this.sliderValue = h('output', { for: 'smoothing', class: 'num' });
    this.slider.addEventListener('input', () => {
      this.host.save({ smoothing: Number(this.slider.value) });
      this.invalidate();
    });
    this.logBox = h('input', { type: 'checkbox', id: 'log-scale', checked: !!saved.logScale, 'aria-label': 'Logarithmic loss axis' });
    this.logBox.addEventListener('change', () => {
      this.host.save({ logScale: this.logBox.checked });
      this.invalidate();
    });
    const csv = ce('vscode-button', { secondary: true, 'data-action': 'export-csv', 'aria-label': 'Export the curves of all runs as CSV' }, 'Export CSV');
    csv.addEventListener('click', () => void this.exportCsv());
    this.progress = h('div', { class: 'run-progress', role: 'status' });
    this.runList = h('div', { class: 'run-list', role: 'group', 'aria-label': 'Runs shown' });
    this.charts = h('div', { class: 'charts' });
    this.tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    this.element = h(
      'section',
      { class: 'view training-view' },
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'smoothing' }, 'Smoothing '),
        this.slider,
        this.sliderValue,
        h('label', { class: 'check' }, this.logBox, ' Log-scale loss'),
        csv,
      ),
      this.progress,
      this.runList,
      this.charts,
      this.tooltip,
    );
    this.schedule = frameThrottle(() => this.draw());
    store.on('runs', () => {
      this.renderRunList();
      this.invalidate();
    });
    store.on('model', () => {
      if (this.store.runs.length === 0) this.renderRunList();
    });
    store.on('progress', () => this.invalidate());
    new ResizeObserver(() => this.invalidate()).observe(this.charts);
    this.charts.addEventListener('pointermove', (e) => this.hover(e));
    this.charts.addEventListener('pointerleave', () => this.hideHover());
  }

  setVisible(v: boolean): void {
    this.visible = v;
    if (v && this.dirty) this.schedule();
  }

  private invalidate(): void {
    this.dirty = true;
    if (this.visible) this.schedule();
  }

  private shownRuns(): { run: RunRecord; index: number }[] {
    const all = this.store.runs.map((run, index) => ({ run, index }));
    return all.slice(-MAX_OVERLAID).filter((r) => !this.hidden.has(r.run.id));
  }

  private renderRunList(): void {
    const runs = this.store.runs.slice(-MAX_OVERLAID);
    const offset = this.store.runs.length - runs.length;
    if (runs.length === 0) {
      // A model with a layer TF.js cannot build: say which and why, not "use the Train lens".
      const blocked = this.store.model ? trainingBlocker(this.store.model) : undefined;
      this.runList.replaceChildren(
        blocked
          ? h('p', { class: 'muted train-blocked', text: `⊘ ${this.store.model!.name}: ${blocked.message}` })
          : h('p', { class: 'muted', text: 'No runs yet. Use the “Train” lens above the model to start one; its curves stream here.' }),
      );
      return;
    }
    this.runList.replaceChildren(
      ...runs.map((r, i) => {
        const box = h('input', { type: 'checkbox', checked: !this.hidden.has(r.id), 'data-run': r.id, 'aria-label': `Show run ${runLabel(r, offset + i)}` });
        box.addEventListener('change', () => {
          if (box.checked) this.hidden.delete(r.id);
          else this.hidden.add(r.id);
          this.invalidate();
        });
        const test = r.test ? ` · test acc ${chartValue(r.test.acc)}` : '';
        return h('label', { class: `run-chip c${(offset + i) % 6}`, title: settingsSummary(r) }, box, h('span', { class: 'swatch' }), ` ${runLabel(r, offset + i)}${r.warnings?.length ? ' ⚠' : ''}${test}`);
      }),
      // What a run warned about while it trained (e.g. BatchNormalization statistics with too few steps), under the chips.
      ...runs.flatMap((r, i) => (r.warnings ?? []).map((w) => h('p', { class: 'run-warning', text: `⚠ #${offset + i + 1}: ${w}` }))),
    );
  }

  private series(metric: 'loss' | 'acc', w: number): Series[] {
    const out: Series[] = [];
    const shown = this.shownRuns();
    shown.forEach(({ run, index }, k) => {
      const color = index % 6;
      const raw: [number, number][] = [];
      for (const b of run.batches) {
        const v = metric === 'loss' ? b.loss : b.acc;
        if (v !== undefined) raw.push([b.step, v]);
      }
      const label = `#${index + 1}`;
      if (k === shown.length - 1 && w > 0) out.push({ id: `${run.id}:raw`, runId: run.id, label, color, kind: 'raw', points: raw });
      out.push({ id: `${run.id}:smooth`, runId: run.id, label, color, kind: 'smooth', points: smooth(raw, w) });
      const at = epochSteps(run);
      const train: [number, number][] = [];
      const val: [number, number][] = [];
      for (const e of run.epochs) {
        const x = at.get(e.epoch) ?? e.epoch;
        const t = metric === 'loss' ? e.loss : e.acc;
        const v = metric === 'loss' ? e.valLoss : e.valAcc;
        if (t !== undefined) train.push([x, t]);
        if (v !== undefined) val.push([x, v]);
      }
      // The latest run's per-epoch and test marks carry their values (a lone epoch dot at the
      // right edge otherwise reads as an outlier).
      const labelled = k === shown.length - 1 && run.epochs.length <= 12;
      if (train.length) out.push({ id: `${run.id}:epoch-train`, runId: run.id, label: `${label} epoch`, color, kind: 'epoch-train', points: train, labelled });
      if (val.length) out.push({ id: `${run.id}:epoch-val`, runId: run.id, label: `${label} val`, color, kind: 'epoch-val', points: val, labelled });
      const testValue = run.test ? (metric === 'loss' ? run.test.loss : run.test.acc) : undefined;
      if (testValue !== undefined && Number.isFinite(testValue)) {
        const lastStep = run.batches.length ? run.batches[run.batches.length - 1]!.step : Math.max(0, ...at.values());
        out.push({ id: `${run.id}:test`, runId: run.id, label: `${label} test`, color, kind: 'test', points: [[lastStep, testValue]], labelled: k === shown.length - 1 });
      }
    });
    return out;
  }

  private draw(): void {
    if (!this.visible) return;
    this.dirty = false;
    const w = Number(this.slider.value);
    this.sliderValue.textContent = w.toFixed(2);
    this.renderProgress();
    const width = Math.max(320, this.charts.clientWidth || 640);
    const size: ChartSize = { width, height: 250, margin: { top: 28, right: 16, bottom: 30, left: 52 } };
    this.drawn = [];
    const nodes: SVGSVGElement[] = [];
    for (const metric of ['loss', 'acc'] as const) {
      const series = this.series(metric, w);
      const data: ChartData = { title: metric === 'loss' ? 'Loss' : 'Accuracy', xLabel: 'batch', yLabel: metric, series, summary: chartSummary(series) };
      const scales = chartScales(data, size, metric === 'loss' ? { log: this.logBox.checked } : { yDomain: [0, 1] });
      const svg = renderLineChart(data, scales, size);
      svg.dataset.metric = metric;
      nodes.push(svg);
      this.drawn.push({ svg, series: data.series, x: scales.x, invert: (px) => scales.x.invert(px), metric });
    }
    if (this.store.runs.length === 0) nodes.length = 0;
    const kinds = new Set(this.drawn.flatMap((d) => d.series.map((s) => s.kind)));
    this.charts.replaceChildren(...(nodes.length ? [legend(kinds)] : []), ...nodes);
  }

  /**
   * The status line: the same figures, rounded the same way, as the lens and the status bar
   * (src/core/run/progress.ts), as phrases that wrap between, never inside, each other.
   */
  private renderProgress(): void {
    const b = this.store.lastBatch;
    const running = this.store.runs.find((r) => r.status === 'running');
    const phrases = (list: string[]) => this.progress.replaceChildren(...list.map((t) => h('span', { class: 'phrase', text: t })));
    if (!running) {
      this.progress.replaceChildren();
      return;
    }
    const n = this.store.runs.indexOf(running) + 1;
    if (!b || b.runId !== running.id) {
      const last = running.batches[running.batches.length - 1];
      if (!last) return phrases([`Run #${n} starting…`]);
      const p = { epoch: last.epoch, epochs: running.settings.epochs, progress: NaN, loss: last.loss, ...(last.acc !== undefined ? { acc: last.acc } : {}) };
      const f = progressFigures(p);
      return phrases([`Training run #${n}`, f.epoch, `step ${last.step}`, ...[f.acc, f.loss].filter((x): x is string => !!x)]);
    }
    phrases([`Training run #${n}`, ...progressPhrases(snapshotOfBatch(b)), ...timePhrases(b.time)]);
  }

  private hover(e: PointerEvent): void {
    const target = (e.target as Element).closest('svg.line-chart') as SVGSVGElement | null;
    const d = this.drawn.find((c) => c.svg === target);
    if (!d || !target) return this.hideHover();
    const rect = target.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const step = d.invert(px);
    const near = bisector<[number, number], number>((p) => p[0]).center;
    const lines: string[] = [];
    let snapX: number | null = null;
    for (const s of d.series) {
      if (s.kind === 'raw' || s.points.length === 0) continue;
      const p = s.points[near(s.points, step)]!;
      if (s.kind !== 'smooth' && Math.abs(d.x(p[0]) - px) > 12) continue;
      if (s.kind === 'smooth') snapX ??= d.x(p[0]);
      const raw = s.kind === 'smooth' ? d.series.find((r) => r.runId === s.runId && r.kind === 'raw')?.points.find((q) => q[0] === p[0]) : undefined;
      const what = s.kind === 'smooth' ? 'batch' : s.kind === 'epoch-train' ? 'epoch train' : s.kind === 'test' ? 'test set, after step' : 'epoch val';
      lines.push(`${s.label} ${what} ${p[0]}: ${fmt(p[1])}${raw ? ` (raw ${fmt(raw[1])})` : ''}`);
    }
    if (lines.length === 0) return this.hideHover();
    const rule = target.querySelector<SVGLineElement>('.hover-rule')!;
    rule.setAttribute('x1', String(snapX ?? px));
    rule.setAttribute('x2', String(snapX ?? px));
    rule.setAttribute('visibility', 'visible');
    this.tooltip.replaceChildren(h('strong', { text: d.metric === 'loss' ? 'Loss' : 'Accuracy' }), ...lines.map((l) => h('div', { text: l })));
    this.tooltip.hidden = false;
    const host = this.element.getBoundingClientRect();
    this.tooltip.style.left = `${Math.min(e.clientX - host.left + 14, host.width - 260)}px`;
    this.tooltip.style.top = `${e.clientY - host.top + 14}px`;
  }

  private hideHover(): void {
    this.tooltip.hidden = true;
    for (const r of this.charts.querySelectorAll('.hover-rule')) r.setAttribute('visibility', 'hidden');
  }

  /** CSV of every run: one row per batch and one per epoch. */
  csv(): string {
    const rows = ['run,started,kind,epoch,step,loss,acc,val_loss,val_acc,learning_rate'];
    const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const n = (v: number | undefined) => (v === undefined ? '' : String(v));
    for (const r of this.store.runs) {
      for (const b of r.batches) rows.push([q(r.id), r.startedAt, 'batch', b.epoch, b.step, n(b.loss), n(b.acc), '', '', ''].join(','));
      const at = epochSteps(r);
      for (const e of r.epochs) rows.push([q(r.id), r.startedAt, 'epoch', e.epoch, n(at.get(e.epoch)), n(e.loss), n(e.acc), n(e.valLoss), n(e.valAcc), n(e.lr)].join(','));
    }
    return rows.join('\n') + '\n';
  }

  private async exportCsv(): Promise<void> {
    await saveExport(this.host, this.progress, `${this.store.model?.name ?? 'model'}-training.csv`, 'utf8', async () => {
      // Every run's curve: older runs' are fetched first (the state leaves them out).
      await ensureCurves(this.host, this.store, this.store.runs.map((r) => r.id));
      return this.csv();
    });
  }
}

/** Where the steps' time went, one phrase per phase ("step time: data 1%", "forward 27%", …). */
function timePhrases(t: StepTimes | undefined): string[] {
  const list = t ? shareList(t) : [];
  return list.length ? [`step time: ${list[0]}`, ...list.slice(1)] : [];
}
