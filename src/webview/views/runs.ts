/**
 * The Runs tab: one row per run of this model — status, what changed in the model since the
 * previous run, the hyperparameters, the results. Sort (click a header), filter (any text), only the
 * settings that differ by default, CSV export; pin, rename, note, delete, "Code" (the run's model file
 * in a diff against the current one) and "Restore" go through the host. Tick two or more runs to
 * compare them (run-compare.ts): their curves overlaid, a table of what differs, the graphs of the
 * first and last ticked runs side by side with the changed layers marked; and a scatter of any
 * setting against any result over the listed runs.
 */
import { saveExport } from '../export';
import type { RunAction } from '../../core/protocol/webview';
import type { RunRecord } from '../../core/run/record';
import { diffLayers, diffRuns, isEmptyLayerDiff, layerDiffSummary } from '../../core/run/run-diff';
import { compareCurves, compareGraphs, MAX_COMPARED_CURVES } from './run-compare';
import { ensureCurves } from '../run-curves';
import { differingSettings, formatResult, formatSetting, reproducibilityMismatches, RESULT_COLUMNS, resultsOf, SETTING_COLUMNS, settingsOf, type Cell, type ResultKey, type SettingKey } from '../../core/run/run-table';
import { ce, frameThrottle, h, SVG_NS } from '../dom';
import type { Host } from '../host';
import type { Store } from '../store';
import './runs.css';

interface Row {
  run: RunRecord;
  settings: Record<SettingKey, Cell>;
  results: Record<ResultKey, number | undefined>;
  /** What changed since the previous run (computed when first asked: sorting, filtering, drawing). */
  readonly change: string;
  /** 1-based position in start order (#1 is the first run). */
  n: number;
  /** Lower-case text of the row for the filter (computed when first asked). */
  readonly search: string;
}

type ColKey = 'n' | 'name' | 'status' | 'started' | 'changes' | SettingKey | ResultKey;
interface Column {
  key: ColKey;
  label: string;
  num: boolean;
  value(r: Row): string | number | undefined;
  text(r: Row): string;
}

const NUMERIC_SETTINGS: SettingKey[] = ['epochs', 'batchSize', 'learningRate', 'limit', 'testLimit', 'validationSplit', 'seed'];

function runName(r: RunRecord): string {
  return r.label || r.startedAt.replace('T', ' ').slice(0, 19);
}

function changeText(prev: RunRecord | undefined, r: RunRecord): string {
  if (!prev) return 'first run';
  const d = diffRuns(prev, r);
  if (!d.layers) return d.sameSource ? 'same file' : 'file edited';
  if (isEmptyLayerDiff(d.layers)) return d.layers.totalParams.from !== d.layers.totalParams.to ? layerDiffSummary(d.layers) : d.sameSource ? 'same model' : 'same layers';
  return layerDiffSummary(d.layers);
}

export class RunsView {
  readonly element: HTMLElement;
  private readonly filterBox: HTMLInputElement;
  private readonly allBox: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly compare: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly cue: HTMLButtonElement;
  private rows: Row[] = [];
  private sortKey: ColKey = 'n';
  private sortDesc = true;
  private readonly selected = new Set<string>();
  private readonly changeCache = new Map<string, string>();
  private scatterX: SettingKey = 'learningRate';
  private scatterY: ResultKey = 'testAcc';
  /** The curves last asked for (run ids), so a redraw while they come does not ask again. */
  private curvesAsked = '';
  private visible = false;
  private renderGen = 0;
  private dirty = true;
  private readonly schedule: () => void;

  constructor(
    private readonly store: Store,
    private readonly host: Host,
  ) {
    this.filterBox = h('input', { type: 'search', placeholder: 'Filter runs', 'aria-label': 'Filter runs (any text in a row)', 'data-role': 'filter' });
    this.filterBox.addEventListener('input', () => this.render());
    this.allBox = h('input', { type: 'checkbox', 'data-role': 'all-columns' });
    this.allBox.addEventListener('change', () => this.render());
    const csv = ce('vscode-button', { secondary: true, 'data-action': 'export-runs-csv', 'aria-label': 'Export the runs table as CSV' }, 'Export CSV');
    csv.addEventListener('click', () => void this.exportCsv());
    const variants = ce('vscode-button', { 'data-action': 'train-variants', title: 'Train a small grid of learning rates, batch sizes and seeds, one run after another', 'aria-label': 'Train variants: a grid of learning rates, batch sizes and seeds' }, 'Train variants…');
    variants.addEventListener('click', () => void this.host.rpc.request('trainVariants', {}).catch((e: unknown) => (this.status.textContent = `Train variants failed: ${(e as Error).message}`)));
    this.status = h('span', { class: 'status', role: 'status' });
    this.table = h('table', { class: 'runs-table' });
    this.table.addEventListener('click', (e) => this.onClick(e));
    this.table.addEventListener('change', (e) => this.onCheck(e));
    this.table.addEventListener('keydown', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('td.actions.open');
      if (e.key !== 'Escape' || !cell) return;
      this.closeRowMenu(cell);
      cell.querySelector<HTMLElement>('[data-role="row-menu"]')?.focus();
    });
    // Wider than the panel: the run's columns stay (sticky) and a cue at the right edge says there
    // is more and scrolls to it.
    this.scroller = h('div', { class: 'runs-scroll' }, this.table);
    this.cue = h('button', { class: 'scroll-cue', 'data-role': 'scroll-right', hidden: true }, 'more columns ›');
    this.cue.addEventListener('click', () => this.scroller.scrollBy({ left: Math.max(120, this.scroller.clientWidth * 0.6), behavior: 'smooth' }));
    this.scroller.addEventListener('scroll', () => this.updateCue(), { passive: true });
    new ResizeObserver(() => this.updateCue()).observe(this.scroller);
    this.compare = h('div', { class: 'runs-compare' });
    this.element = h(
      'section',
      { class: 'view runs-view' },
      h('div', { class: 'toolbar' }, variants, this.filterBox, h('label', { class: 'check' }, this.allBox, ' All columns'), csv, this.status, this.cue),
      h('div', { class: 'runs-scroll-wrap' }, this.scroller),
      this.compare,
    );
    this.schedule = frameThrottle(() => {
      if (!this.dirty) return;
      this.dirty = false;
      this.rebuild();
      this.render();
    });
    store.on('runs', () => this.invalidate());
  }

  setVisible(v: boolean): void {
    this.visible = v;
    if (v && this.dirty) this.schedule();
  }

  private invalidate(): void {
    this.dirty = true;
    if (this.visible) this.schedule();
  }

  /** Rows from the store's runs (oldest first there). */
  private rebuild(): void {
    const runs = this.store.runs;
    const cache = this.changeCache;
    this.rows = runs.map((run, i) => {
      const prev = runs[i - 1];
      const key = `${prev?.id ?? ''}>${run.id}>${prev?.model ? 'm' : ''}${run.model ? 'm' : ''}`;
      const settings = settingsOf(run);
      let search: string | undefined;
      return {
        run,
        settings,
        results: resultsOf(run),
        n: i + 1,
        get change(): string {
          let c = cache.get(key);
          if (c === undefined) cache.set(key, (c = changeText(prev, run)));
          return c;
        },
        get search(): string {
          return (search ??= [runName(run), run.id, run.status, run.note ?? '', this.change, ...Object.values(settings).map(formatSetting)].join(' ').toLowerCase());
        },
      };
    });
    for (const id of [...this.selected]) if (!runs.some((r) => r.id === id)) this.selected.delete(id);
  }

  private columns(): Column[] {
    const differ = new Set(differingSettings(this.store.runs));
    const settings = SETTING_COLUMNS.filter((c) => this.allBox.checked || differ.has(c.key));
    const result = (c: (typeof RESULT_COLUMNS)[number]): Column => ({ key: c.key, label: c.label, num: true, value: (r) => r.results[c.key], text: (r) => formatResult(c.key, r.results[c.key]) });
    const isSpeed = (c: (typeof RESULT_COLUMNS)[number]) => c.key === 'samplesPerSec' || c.key === 'durationSec';
    const quality = RESULT_COLUMNS.filter((c) => !isSpeed(c));
    const speed = RESULT_COLUMNS.filter(isSpeed);
    return [
      { key: 'n', label: '#', num: true, value: (r) => r.n, text: (r) => String(r.n) },
      { key: 'name', label: 'run', num: false, value: (r) => runName(r.run).toLowerCase(), text: (r) => runName(r.run) },
      { key: 'status', label: 'status', num: false, value: (r) => r.run.status, text: (r) => r.run.status },
      // What a user compares first: the results (in a narrow panel they stay in view), then what
      // changed, then the settings; the speed of the run last.
      ...quality.map(result),
      { key: 'changes', label: 'changes since the previous run', num: false, value: (r) => r.change, text: (r) => r.change },
      ...settings.map((c): Column => ({ key: c.key, label: c.label, num: NUMERIC_SETTINGS.includes(c.key), value: (r) => (typeof r.settings[c.key] === 'boolean' ? String(r.settings[c.key]) : (r.settings[c.key] as string | number | undefined)), text: (r) => formatSetting(r.settings[c.key]) })),
      ...speed.map(result),
    ];
  }

  private shownRows(): Row[] {
    const q = this.filterBox.value.trim().toLowerCase();
    const rows = q ? this.rows.filter((r) => q.split(/\s+/).every((w) => r.search.includes(w))) : [...this.rows];
    const col = this.columns().find((c) => c.key === this.sortKey) ?? this.columns()[0]!;
    const dir = this.sortDesc ? -1 : 1;
    rows.sort((a, b) => {
      if (!!a.run.pinned !== !!b.run.pinned) return a.run.pinned ? -1 : 1;
      const va = col.value(a);
      const vb = col.value(b);
      if (va === undefined || (typeof va === 'number' && !Number.isFinite(va))) return 1;
      if (vb === undefined || (typeof vb === 'number' && !Number.isFinite(vb))) return -1;
      return (va < vb ? -1 : va > vb ? 1 : 0) * dir;
    });
    return rows;
  }

  render(): void {
    const cols = this.columns();
    const rows = this.shownRows();
    const mismatched = new Map(reproducibilityMismatches(this.store.runs).map((m) => [m.b.id, m]));
    const bests = bestResults(rows);
    const head = h('tr', {}, h('th', { class: 'sel stick', 'aria-label': 'Compare' }, ''), h('th', { class: 'pin stick', 'aria-label': 'Pinned' }, ''));
    for (const c of cols) {
      const mark = this.sortKey === c.key ? (this.sortDesc ? ' ▼' : ' ▲') : '';
      if (c.key === 'status') head.append(h('th', {}, ''));
      head.append(h('th', { class: `${c.num ? 'num' : ''}${c.key === 'n' || c.key === 'name' ? ' stick' : ''}`, 'aria-sort': this.sortKey === c.key ? (this.sortDesc ? 'descending' : 'ascending') : undefined }, h('button', { class: 'sort', 'data-sort': c.key, title: `Sort by ${c.label}` }, c.label + mark)));
    }
    const body = h('tbody');
    this.table.replaceChildren(h('thead', {}, head), body);
    // The first screenful now, the rest in chunks between frames: the tab opens at once even with
    // thousands of runs, and a newer render (sort, filter, new state) supersedes a pending one.
    const gen = ++this.renderGen;
    // A screenful: the table's box is at most 60 % of the panel's height, ~20 rows.
    const FIRST = 30;
    const CHUNK = 200;
    const appendRows = (from: number, to: number) => {
      const frag = document.createDocumentFragment();
      for (const r of rows.slice(from, to)) frag.append(this.rowElement(r, cols, mismatched, bests));
      body.append(frag);
    };
    appendRows(0, FIRST);
    requestAnimationFrame(() => this.updateCue());
    const more = (from: number) => {
      if (gen !== this.renderGen || from >= rows.length) return;
      appendRows(from, from + CHUNK);
      setTimeout(() => more(from + CHUNK), 0);
    };
    // After the first screenful is painted: a chunk queued before that frame would delay it.
    if (rows.length > FIRST) requestAnimationFrame(() => setTimeout(() => more(FIRST), 0));
    const hidden = SETTING_COLUMNS.length - cols.filter((c) => SETTING_COLUMNS.some((s) => s.key === c.key)).length;
    this.status.textContent = `${rows.length} of ${this.rows.length} run(s)${!this.allBox.checked && hidden ? ` · ${hidden} setting(s) the same in every run hidden` : ''}${this.selected.size ? ` · ${this.selected.size} ticked` : ''}`;
    this.renderCompare();
  }

  /** The cue shows while columns are hidden at the right; it says how many. */
  private updateCue(): void {
    const el = this.scroller;
    const hiddenRight = el.scrollWidth - el.clientWidth - el.scrollLeft > 2;
    el.classList.toggle('scrolled-x', el.scrollLeft > 0);
    el.parentElement?.classList.toggle('more-right', hiddenRight);
    this.cue.hidden = !hiddenRight;
    if (!hiddenRight) return;
    const right = el.getBoundingClientRect().right;
    const n = [...this.table.querySelectorAll('thead th')].filter((th) => th.getBoundingClientRect().right > right + 2).length;
    this.cue.textContent = `${n} more column${n === 1 ? '' : 's'} ›`;
    this.cue.setAttribute('aria-label', `Scroll the table right: ${n} more column${n === 1 ? '' : 's'}`);
  }

  private rowElement(r: Row, cols: Column[], mismatched: Map<string, { a: RunRecord; detail: string }>, bests: Map<string, number>): HTMLTableRowElement {
    const id = r.run.id;
    const tr = h('tr', { 'data-run': id, class: `status-${r.run.status}${r.run.pinned ? ' pinned' : ''}${this.selected.has(id) ? ' selected' : ''}` });
    tr.append(
      h('td', { class: 'sel stick' }, h('input', { type: 'checkbox', 'data-select': id, 'aria-label': `Compare ${runName(r.run)}`, checked: this.selected.has(id) })),
      h('td', { class: 'pin stick' }, h('button', { class: 'icon', 'data-action': r.run.pinned ? 'unpin' : 'pin', title: r.run.pinned ? 'Unpin' : 'Pin to the top', 'aria-label': r.run.pinned ? 'Unpin' : 'Pin' }, r.run.pinned ? '★' : '☆')),
    );
    // The row's actions: links where the table is wide; in a narrow panel one "⋯" button that
    // shows them in place (CSS container query in runs.css), so the results stay in view.
    const links = h('span', { class: 'links' });
    const actions = h(
      'td',
      { class: 'actions' },
      h('button', { class: 'link more', 'data-role': 'row-menu', 'aria-expanded': 'false', 'aria-label': `Actions for ${runName(r.run)}`, title: 'Code, Restore, Rename, Note, Delete' }, '⋯'),
      links,
    );
    for (const [action, label, title] of [
      ['openCode', 'Code', "Open this run's code beside the current file"],
      ['restore', 'Restore', "Put this run's code back into the file"],
      ['rename', 'Rename', 'Name this run'],
      ['note', 'Note', 'Add a note'],
      ['delete', 'Delete', 'Delete this run and its weights'],
    ] as const) {
      if ((action === 'openCode' || action === 'restore') && !r.run.sourceSnapshot) continue;
      links.append(h('button', { class: 'link', 'data-action': action, title }, label));
    }
    for (const c of cols) {
      const td = h('td', { class: `${c.num ? 'num' : ''} col-${c.key}${c.key === 'n' || c.key === 'name' ? ' stick' : ''}`, text: c.text(r) });
      if (c.key === 'name') {
        td.title = `${id}${r.run.note ? `\n${r.run.note}` : ''}`;
        if (r.run.note) td.append(h('div', { class: 'note muted', text: r.run.note }));
      }
      if (c.key === 'status' && r.run.error) td.title = r.run.error;
      const best = bests.get(c.key);
      if (best !== undefined && c.value(r) === best) {
        td.classList.add('best');
        if (!td.title) td.title = `The best ${c.label} of the listed runs`;
      }
      if (c.key === 'testAcc' && mismatched.has(id)) {
        const m = mismatched.get(id)!;
        td.classList.add('mismatch');
        td.title = `Should equal run ${m.a.label || m.a.id} (same model, settings, seed, backend) but differs: ${m.detail}`;
      }
      tr.append(td);
      if (c.key === 'name') tr.append(actions);
    }
    return tr;
  }

  private onClick(e: MouseEvent): void {
    const t = e.target as HTMLElement;
    const sort = t.closest<HTMLElement>('[data-sort]');
    if (sort) {
      const key = sort.dataset.sort as ColKey;
      if (this.sortKey === key) this.sortDesc = !this.sortDesc;
      else [this.sortKey, this.sortDesc] = [key, true];
      this.render();
      return;
    }
    const menu = t.closest<HTMLElement>('[data-role="row-menu"]');
    const openCell = this.table.querySelector<HTMLElement>('td.actions.open');
    if (openCell && openCell !== menu?.parentElement) this.closeRowMenu(openCell);
    if (menu) {
      const cell = menu.parentElement!;
      if (cell.classList.toggle('open')) {
        menu.setAttribute('aria-expanded', 'true');
        cell.querySelector<HTMLElement>('.links [data-action]')?.focus();
      } else this.closeRowMenu(cell);
      return;
    }
    const btn = t.closest<HTMLElement>('[data-action]');
    const row = t.closest<HTMLElement>('tr[data-run]');
    if (btn && row) void this.act(row.dataset.run!, btn.dataset.action as RunAction);
  }

  private closeRowMenu(cell: HTMLElement): void {
    cell.classList.remove('open');
    cell.querySelector('[data-role="row-menu"]')?.setAttribute('aria-expanded', 'false');
  }

  private onCheck(e: Event): void {
    const box = e.target as HTMLInputElement;
    const id = box.dataset.select;
    if (!id) return;
    if (box.checked) this.selected.add(id);
    else this.selected.delete(id);
    box.closest('tr')?.classList.toggle('selected', box.checked);
    this.status.textContent = this.status.textContent!.replace(/ · \d+ ticked$/, '') + (this.selected.size ? ` · ${this.selected.size} ticked` : '');
    this.renderCompare();
  }

  private async act(runId: string, action: RunAction): Promise<void> {
    try {
      const r = await this.host.rpc.request('runAction', { runId, action });
      if (r.message) this.status.textContent = r.message;
    } catch (e) {
      this.status.textContent = `${action} failed: ${(e as Error).message}`;
    }
  }

  /** The ticked runs, oldest first. */
  private picked(): Row[] {
    return this.rows.filter((r) => this.selected.has(r.run.id));
  }

  private renderCompare(): void {
    const picked = this.picked();
    const parts: Node[] = [];
    const named = picked.map((p) => ({ run: p.run, n: p.n, name: runName(p.run) }));
    if (picked.length >= 2) {
      // Older runs came without their curves: fetched once ticked, then drawn.
      const missing = named.slice(0, MAX_COMPARED_CURVES).map((p) => p.run.id).filter((id) => this.store.curvesOmitted.has(id));
      if (missing.length === 0) parts.push(compareCurves(named));
      else {
        parts.push(h('p', { class: 'muted', 'data-role': 'curves-loading', text: `Reading the training curves of ${missing.length} run(s)…` }));
        const want = missing.join(' ');
        if (this.curvesAsked !== want) {
          this.curvesAsked = want;
          ensureCurves(this.host, this.store, missing).then(
            () => {
              this.curvesAsked = '';
              this.renderCompare();
            },
            (e: unknown) => {
              this.curvesAsked = '';
              this.compare.querySelector('[data-role="curves-loading"]')?.replaceWith(h('p', { class: 'warn', role: 'alert', text: `The training curves could not be read: ${(e as Error).message}` }));
            },
          );
        }
      }
      parts.push(this.differences(picked));
    }
    const [a, b] = [named[0], named[named.length - 1]];
    if (picked.length >= 2 && a?.run.model && b?.run.model) parts.push(compareGraphs(a, b, diffLayers(a.run.model, b.run.model)));
    else if (picked.length >= 2) parts.push(h('p', { class: 'muted', 'data-role': 'no-graphs', text: `No graphs to compare: run ${a?.run.model ? `#${b!.n}` : `#${a!.n}`} kept no copy of its model (it is from an older Model Lens).` }));
    if (picked.length < 2) parts.push(h('p', { class: 'muted', text: 'Tick two or more runs to compare them.' }));
    parts.push(this.scatter());
    this.compare.replaceChildren(...parts);
  }

  /** What differs among the ticked runs: settings, results, the model against the first. */
  private differences(picked: Row[]): HTMLElement {
    const runs = picked.map((p) => p.run);
    const keys = differingSettings(runs);
    const t = h('table', { class: 'runs-diff', 'data-role': 'differences' });
    t.append(h('tr', {}, h('th', {}, ''), ...picked.map((p) => h('th', { text: `#${p.n} ${runName(p.run)}` }))));
    for (const k of keys) t.append(h('tr', { 'data-setting': k }, h('th', { text: SETTING_COLUMNS.find((c) => c.key === k)!.label }), ...picked.map((p) => h('td', { text: formatSetting(p.settings[k]) }))));
    if (keys.length === 0) t.append(h('tr', {}, h('th', { text: 'settings' }), h('td', { colspan: picked.length, class: 'muted', text: 'the same' })));
    const first = picked[0]!.run;
    t.append(h('tr', { 'data-setting': 'model' }, h('th', { text: `model vs #${picked[0]!.n}` }), ...picked.map((p, i) => h('td', { class: 'changes', text: i === 0 ? '–' : changeText(first, p.run) }))));
    for (const c of RESULT_COLUMNS) {
      const vals = picked.map((p) => p.results[c.key]);
      const finite = vals.filter((v): v is number => v !== undefined && Number.isFinite(v));
      const best = finite.length ? (c.better === 'higher' ? Math.max(...finite) : Math.min(...finite)) : undefined;
      t.append(h('tr', {}, h('th', { text: c.label }), ...vals.map((v) => h('td', { class: `num${v !== undefined && v === best && new Set(finite).size > 1 ? ' best' : ''}`, text: formatResult(c.key, v) }))));
    }
    return h('div', { class: 'compare-block' }, h('h3', { text: `Comparing ${picked.length} runs` }), t);
  }

  /** A setting against a result over the listed runs (filter applies); ticked runs ringed. */
  private scatter(): HTMLElement {
    const xs = h('select', { 'aria-label': 'Setting (x axis)', 'data-role': 'scatter-x' });
    for (const k of NUMERIC_SETTINGS) xs.append(h('option', { value: k, selected: k === this.scatterX, text: SETTING_COLUMNS.find((c) => c.key === k)!.label }));
    const ys = h('select', { 'aria-label': 'Result (y axis)', 'data-role': 'scatter-y' });
    for (const c of RESULT_COLUMNS) ys.append(h('option', { value: c.key, selected: c.key === this.scatterY, text: c.label }));
    xs.addEventListener('change', () => ((this.scatterX = xs.value as SettingKey), this.renderCompare()));
    ys.addEventListener('change', () => ((this.scatterY = ys.value as ResultKey), this.renderCompare()));
    const pts = this.shownRows()
      .map((r) => ({ r, x: r.settings[this.scatterX], y: r.results[this.scatterY] }))
      .filter((p): p is { r: Row; x: number; y: number } => typeof p.x === 'number' && Number.isFinite(p.x) && typeof p.y === 'number' && Number.isFinite(p.y));
    const W = 460;
    const H = 260;
    const m = { l: 56, r: 12, t: 10, b: 36 };
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('class', 'runs-scatter');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('width', String(W));
    svg.setAttribute('height', String(H));
    const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
      const e = document.createElementNS(SVG_NS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      if (text !== undefined) e.textContent = text;
      svg.append(e);
      return e;
    };
    el('rect', { x: m.l, y: m.t, width: W - m.l - m.r, height: H - m.t - m.b, class: 'frame' });
    const xLabel = SETTING_COLUMNS.find((c) => c.key === this.scatterX)!.label;
    const yLabel = RESULT_COLUMNS.find((c) => c.key === this.scatterY)!.label;
    if (pts.length === 0) {
      el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'muted' }, `no runs with both ${xLabel} and ${yLabel}`);
    } else {
      const xv = pts.map((p) => p.x);
      const yv = pts.map((p) => p.y);
      const log = Math.min(...xv) > 0 && Math.max(...xv) / Math.min(...xv) >= 20;
      const tx = (v: number) => (log ? Math.log10(v) : v);
      let [x0, x1] = [Math.min(...xv.map(tx)), Math.max(...xv.map(tx))];
      let [y0, y1] = [Math.min(...yv), Math.max(...yv)];
      if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
      if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.05, y1 + Math.abs(y1 || 1) * 0.05];
      const px = (v: number) => m.l + 8 + ((tx(v) - x0) / (x1 - x0)) * (W - m.l - m.r - 16);
      const py = (v: number) => H - m.b - 8 - ((v - y0) / (y1 - y0)) * (H - m.t - m.b - 16);
      const fx = (v: number) => formatSetting(v);
      el('text', { x: m.l, y: H - m.b + 14, class: 'tick' }, fx(log ? 10 ** x0 : x0));
      el('text', { x: W - m.r, y: H - m.b + 14, 'text-anchor': 'end', class: 'tick' }, fx(log ? 10 ** x1 : x1));
      el('text', { x: m.l - 4, y: H - m.b - 4, 'text-anchor': 'end', class: 'tick' }, formatResult(this.scatterY, y0));
      el('text', { x: m.l - 4, y: m.t + 12, 'text-anchor': 'end', class: 'tick' }, formatResult(this.scatterY, y1));
      for (const p of pts) {
        const c = el('circle', { cx: px(p.x).toFixed(1), cy: py(p.y).toFixed(1), r: this.selected.has(p.r.run.id) ? 6 : 4, class: `pt${this.selected.has(p.r.run.id) ? ' picked' : ''}`, 'data-run': p.r.run.id });
        const title = document.createElementNS(SVG_NS, 'title');
        title.textContent = `#${p.r.n} ${runName(p.r.run)}: ${xLabel} ${fx(p.x)}, ${yLabel} ${formatResult(this.scatterY, p.y)}`;
        c.append(title);
      }
      el('text', { x: (W + m.l) / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis' }, `${xLabel}${log ? ' (log)' : ''}`);
    }
    el('text', { x: 12, y: (H - m.b) / 2, transform: `rotate(-90 12 ${(H - m.b) / 2})`, 'text-anchor': 'middle', class: 'axis' }, yLabel);
    return h('div', { class: 'compare-block' }, h('h3', {}, 'Setting vs result ', xs, ' ', ys, h('span', { class: 'muted', text: ` · ${pts.length} run(s)` })), svg);
  }

  /** CSV of the listed runs: every setting, every result, the change, label and note. */
  csv(): string {
    const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const head = ['n', 'id', 'label', 'status', 'started', 'changes', ...SETTING_COLUMNS.map((c) => c.key), ...RESULT_COLUMNS.map((c) => c.key), 'note'];
    const lines = [head.join(',')];
    for (const r of this.shownRows()) {
      lines.push(
        [String(r.n), r.run.id, r.run.label ?? '', r.run.status, r.run.startedAt, r.change, ...SETTING_COLUMNS.map((c) => (r.settings[c.key] === undefined ? '' : String(r.settings[c.key]))), ...RESULT_COLUMNS.map((c) => (r.results[c.key] === undefined ? '' : String(r.results[c.key]))), r.run.note ?? '']
          .map(q)
          .join(','),
      );
    }
    return lines.join('\n') + '\n';
  }

  private async exportCsv(): Promise<void> {
    await saveExport(this.host, this.status, `${this.store.model?.name ?? 'model'}-runs.csv`, 'utf8', () => this.csv());
  }
}

/**
 * The best value of each result among the listed runs (highest accuracy, lowest loss, …), for the
 * cells to mark; none where every listed run has the same value or fewer than two have one.
 */
function bestResults(rows: Row[]): Map<string, number> {
  const bests = new Map<string, number>();
  for (const c of RESULT_COLUMNS) {
    const vals = rows.map((r) => r.results[c.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (new Set(vals).size < 2) continue;
    bests.set(c.key, c.better === 'higher' ? Math.max(...vals) : Math.min(...vals));
  }
  return bests;
}
