/**
 * "Weights": every weight tensor of a saved model, per layer — shape, dtype, trainable, min, max,
 * mean, std, share of zeros, NaN/Inf and a histogram — with a search by name, convolution kernels
 * as images (all filters of the first convolution's channel 0; a chosen input channel for deeper
 * ones), and export to .keras / .h5 / TF.js. The list is asked from the host the first time it is
 * shown, then each layer's statistics in turn, filled in as they come.
 */
import type { WeightLayerInfo, WeightTensorInfo } from '../../core/protocol/webview';
import { ce, h, SVG_NS } from '../dom';
import type { Host } from '../host';
import './weights.css';

const fmt = (v: number) => (Number.isNaN(v) ? 'NaN' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4));

/** Bars of a histogram as an SVG, scaled to its tallest bin. */
export function histogramSvg(counts: number[], width = 160, height = 32): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', 'weights-hist');
  svg.setAttribute('role', 'img');
  const top = Math.max(1, ...counts);
  const w = width / Math.max(1, counts.length);
  counts.forEach((c, i) => {
    const bh = c ? Math.max(1, (c / top) * height) : 0;
    const r = document.createElementNS(SVG_NS, 'rect');
    r.setAttribute('x', String(i * w));
    r.setAttribute('y', String(height - bh));
    r.setAttribute('width', String(Math.max(1, w - 1)));
    r.setAttribute('height', String(bh));
    r.setAttribute('fill', 'currentColor');
    svg.append(r);
  });
  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = `histogram: ${counts.join(', ')}`;
  svg.append(title);
  return svg;
}

/** One filter [kh, kw] of a kernel laid out [kh, kw, filters] as a blue–white–red canvas, scaled up. */
function filterCanvas(data: Float32Array, kh: number, kw: number, filters: number, f: number, scale: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = kw;
  c.height = kh;
  c.style.width = `${kw * scale}px`;
  c.style.height = `${kh * scale}px`;
  c.style.imageRendering = 'pixelated';
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(kw, kh);
  for (let i = 0; i < kh * kw; i++) {
    const v = data[i * filters + f]! / scale; // normalised by the caller: scale carries the max |value|
    const t = Math.max(-1, Math.min(1, v));
    const [r, g, b] = t >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))] : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
    img.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

export class WeightsView {
  readonly element = h('div', { class: 'weights-view' });
  private loaded = false;
  private layers: WeightLayerInfo[] = [];
  /** Bumped by each load and reset: answers for an older one are dropped. */
  private generation = 0;
  /** Where each shown tensor's statistics go (`layer\0name`), refilled by each render. */
  private readonly slots = new Map<string, HTMLElement>();
  private readonly search = h('input', { type: 'search', placeholder: 'Find a layer or weight by name', 'aria-label': 'Find a weight by name', class: 'weights-search' });
  private readonly list = h('div', { class: 'weights-list' });
  private readonly status = h('p', { class: 'muted', role: 'status' });

  constructor(private readonly host: Host) {
    const exportRow = h('div', { class: 'weights-export' }, h('span', { class: 'muted', text: 'Export as ' }));
    for (const [format, label] of [['keras', '.keras (Keras 3)'], ['h5', '.h5 (Keras 2)'], ['tfjs', 'TF.js']] as const) {
      const b = ce('vscode-button', { secondary: true }, label);
      b.addEventListener('click', () => void this.exportAs(format));
      exportRow.append(b);
    }
    this.search.addEventListener('input', () => this.render());
    this.element.append(h('div', { class: 'weights-toolbar' }, this.search, exportRow), this.status, this.list);
  }

  setVisible(visible: boolean): void {
    if (visible && !this.loaded) void this.load();
  }

  /** Forget what was loaded (the model changed); statistics still arriving are dropped. */
  reset(): void {
    this.loaded = false;
    this.generation++;
    this.layers = [];
    this.list.replaceChildren();
  }

  private async load(): Promise<void> {
    this.loaded = true;
    const generation = ++this.generation;
    this.status.textContent = 'Reading the weights…';
    try {
      const r = await this.host.rpc.request('weights', {});
      if (generation !== this.generation) return;
      this.layers = r.layers;
      const n = r.layers.reduce((a, l) => a + l.tensors.length, 0);
      const summary = `${n} weight tensors in ${r.layers.length} layers`;
      this.render();
      // Statistics layer by layer, in order, each shown as it comes (a large file takes seconds).
      const pending = r.layers.filter((l) => l.tensors.some((t) => !t.stats && !t.problem));
      for (const [i, l] of pending.entries()) {
        this.status.textContent = `${summary} · statistics of layer ${i + 1} of ${pending.length}…`;
        let tensors: WeightTensorInfo[];
        try {
          tensors = (await this.host.rpc.request('weightStats', { layer: l.layer })).tensors;
        } catch (e) {
          tensors = l.tensors.map((t) => ({ ...t, problem: t.problem ?? (e as Error).message }));
        }
        if (generation !== this.generation) return;
        l.tensors = tensors;
        for (const t of tensors) this.slots.get(`${l.layer}\0${t.name}`)?.replaceChildren(...this.statsContent(t));
      }
      this.status.textContent = summary;
    } catch (e) {
      if (generation === this.generation) this.status.textContent = (e as Error).message;
    }
  }

  private async exportAs(format: 'keras' | 'h5' | 'tfjs'): Promise<void> {
    try {
      const r = await this.host.rpc.request('exportModel', { format });
      if (r.saved) this.status.textContent = `Exported to ${r.path}`;
    } catch (e) {
      this.status.textContent = (e as Error).message;
    }
  }

  private render(): void {
    this.slots.clear();
    const q = this.search.value.trim().toLowerCase();
    const rows: HTMLElement[] = [];
    let firstConv = true;
    for (const l of this.layers) {
      const tensors = q && !l.layer.toLowerCase().includes(q) ? l.tensors.filter((t) => `${l.layer}/${t.name}`.toLowerCase().includes(q)) : l.tensors;
      const isConv = l.tensors.some((t) => t.shape.length === 4);
      if (!tensors.length) {
        if (isConv) firstConv = false;
        continue;
      }
      const section = h('section', { class: 'weights-layer' }, h('h3', {}, `${l.layer} `, h('span', { class: 'muted', text: `(${l.type})` })));
      for (const t of tensors) section.append(this.tensorRow(l, t, isConv && firstConv));
      if (isConv) firstConv = false;
      rows.push(section);
    }
    this.list.replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted', text: q ? `No layer or weight name contains “${this.search.value}”.` : 'This model has no weights.' })]));
  }

  private tensorRow(l: WeightLayerInfo, t: WeightTensorInfo, first: boolean): HTMLElement {
    const head = h('div', { class: 'weights-head' }, h('code', { text: t.name }), ` [${t.shape.join('×')}] ${t.dtype}${t.trainable ? '' : ' · non-trainable'}`);
    const slot = h('div', { class: 'weights-values' }, ...this.statsContent(t));
    this.slots.set(`${l.layer}\0${t.name}`, slot);
    const row = h('div', { class: 'weights-tensor' }, head, slot);
    if (!t.problem && t.shape.length === 4 && t.name.includes('kernel')) row.append(this.kernelBlock(l.layer, t, first));
    return row;
  }

  /** Statistics and histogram, why they cannot be had, or that they are on their way. */
  private statsContent(t: WeightTensorInfo): (HTMLElement | SVGSVGElement)[] {
    if (t.problem) return [h('p', { class: 'error', text: `cannot be read: ${t.problem}` })];
    const s = t.stats;
    if (!s) return [h('p', { class: 'muted weights-pending', text: 'statistics…' })];
    return [
      h('div', { class: 'weights-stats' }, `min ${fmt(s.min)} · max ${fmt(s.max)} · mean ${fmt(s.mean)} · std ${fmt(s.std)} · zeros ${(s.zeros * 100).toFixed(1)}%${s.nan || s.inf ? ` · NaN ${s.nan} · Inf ${s.inf}` : ''}`),
      histogramSvg(s.histogram.counts),
    ];
  }

  private kernelBlock(layer: string, t: WeightTensorInfo, first: boolean): HTMLElement {
    const channels = t.shape[2]!;
    const grid = h('div', { class: 'weights-kernels' });
    const channel = h('input', { type: 'number', min: 0, max: channels - 1, value: 0, 'aria-label': 'Input channel', class: 'weights-channel' });
    const show = async () => {
      try {
        const r = await this.host.rpc.request('kernel', { layer, name: t.name, channel: Number(channel.value) || 0 });
        const [kh, kw, filters] = r.shape as [number, number, number];
        let max = 0;
        for (const v of r.data) max = Math.max(max, Math.abs(v));
        const scale = Math.max(2, Math.floor(48 / Math.max(kh, kw)));
        const norm = Float32Array.from(r.data, (v) => (max ? (v / max) * scale : 0));
        grid.replaceChildren(...Array.from({ length: filters }, (_, f) => filterCanvas(norm, kh, kw, filters, f, scale)));
      } catch (e) {
        grid.replaceChildren(h('p', { class: 'error', text: (e as Error).message }));
      }
    };
    channel.addEventListener('change', () => void show());
    const button = ce('vscode-button', { secondary: true }, first ? 'Show all filters' : 'Show filters');
    button.addEventListener('click', () => void show());
    if (first) void show();
    return h('div', { class: 'weights-kernel-block' }, button, channels > 1 ? h('label', {}, ' input channel ', channel, ` of ${channels}`) : '', grid);
  }
}
