/**
 * "Layers see": for one test sample (or the drawing), the activation maps of every
 * convolution/pooling layer, channel by channel, and the first convolution's learned kernels.
 * Layers of a model used as a layer (`block/inner/conv`) sit in that model's fold, and a model
 * inside it in a fold of its own: they open level by level.
 */
import { interpolateRdBu, interpolateViridis } from 'd3';
import type { ActivationsResult, GrayImage, LayerActivation } from '../../core/protocol/worker';
import { ce, fitBox, h } from '../dom';
import { inputPicture } from './draw';
import type { Host } from '../host';
import type { Store } from '../store';

const MAX_CHANNELS = 64;

function lut(f: (t: number) => string): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 3);
  const probe = document.createElement('canvas').getContext('2d')!;
  for (let i = 0; i < 256; i++) {
    probe.fillStyle = f(i / 255);
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(probe.fillStyle);
    if (m) for (let k = 0; k < 3; k++) out[i * 3 + k] = parseInt(m[k + 1]!, 16);
  }
  return out;
}

/** One channel of an [h, w, c] tensor as a colour-mapped canvas (min–max per channel). */
function channelCanvas(a: LayerActivation, ch: number, colors: Uint8ClampedArray, symmetric = false): HTMLCanvasElement {
  const [hh, ww, cc] = a.shape.length >= 3 ? [a.shape[0]!, a.shape[1]!, a.shape[a.shape.length - 1]!] : [1, a.shape[0]!, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < hh * ww; i++) {
    const v = a.data[i * cc + ch]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    lo = -m;
    hi = m;
  }
  const span = hi - lo || 1;
  const c = document.createElement('canvas');
  c.width = ww;
  c.height = hh;
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(ww, hh);
  for (let i = 0; i < hh * ww; i++) {
    const t = Math.round(((a.data[i * cc + ch]! - lo) / span) * 255);
    img.data[i * 4] = colors[t * 3]!;
    img.data[i * 4 + 1] = colors[t * 3 + 1]!;
    img.data[i * 4 + 2] = colors[t * 3 + 2]!;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

export class LayersView {
  readonly element: HTMLElement;
  private readonly sampleInput: HTMLInputElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private loading: AbortController | null = null;
  private stale = true;
  private visible = false;
  private viridis: Uint8ClampedArray | null = null;
  private diverging: Uint8ClampedArray | null = null;
  private readonly useDrawing: HTMLElement;
  /** Folds of nested models the user opened or closed (by model path), kept across samples. */
  private readonly folds = new Map<string, boolean>();

  /** "Use my drawing" only where there is a Draw canvas (single-channel image models). */
  setDrawable(drawable: boolean): void {
    this.useDrawing.hidden = !drawable;
  }

  constructor(
    private readonly store: Store,
    private readonly host: Host,
    private readonly drawing: () => GrayImage | null,
  ) {
    this.sampleInput = h('input', { type: 'number', min: 0, max: 9999, value: host.saved().sample ?? 0, id: 'sample-index', class: 'num-input', 'aria-label': 'Test sample index' });
    const show = ce('vscode-button', { 'data-action': 'show-sample', 'aria-label': 'Show what each layer sees for this sample' }, 'Show');
    show.addEventListener('click', () => void this.load());
    this.sampleInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void this.load();
    });
    const useDrawing = (this.useDrawing = ce('vscode-button', { secondary: true, 'data-action': 'use-drawing', 'aria-label': 'Show what each layer sees for your drawing' }, 'Use my drawing'));
    useDrawing.addEventListener('click', () => {
      const img = this.drawing();
      if (img) void this.load(img);
      else this.status.textContent = 'Draw a digit in the Draw tab first.';
    });
    this.status = h('p', { class: 'muted', role: 'status' });
    this.body = h('div', { class: 'layers-body' });
    this.element = h(
      'section',
      { class: 'view layers-view' },
      h('div', { class: 'toolbar' }, h('label', { for: 'sample-index', text: 'Test sample ' }), this.sampleInput, show, useDrawing),
      this.status,
      this.body,
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

  async load(image?: GrayImage): Promise<void> {
    this.stale = false;
    if (!this.store.hasWeights) {
      this.status.textContent = 'Train the model first: activations and kernels come from trained weights.';
      this.body.replaceChildren();
      return;
    }
    this.loading?.abort();
    const ctrl = (this.loading = new AbortController());
    const sample = Math.max(0, Math.floor(Number(this.sampleInput.value) || 0));
    if (!image) this.host.save({ sample });
    this.status.textContent = 'Computing activations…';
    try {
      const r = await this.host.rpc.request('activations', image ? { image } : { sample }, { signal: ctrl.signal });
      if (ctrl.signal.aborted) return;
      this.render(r, r.layers, r.kernels, image ? 'your drawing' : `test sample ${sample}`);
    } catch (e) {
      if (!ctrl.signal.aborted) this.status.textContent = `Could not compute activations: ${(e as Error).message}`;
    }
  }

  render(input: GrayImage | Pick<ActivationsResult, 'input' | 'color' | 'sample'>, layers: LayerActivation[], kernels: LayerActivation | undefined, what: string): void {
    this.viridis ??= lut(interpolateViridis);
    this.diverging ??= lut(interpolateRdBu);
    this.status.textContent = `What each layer sees for ${what}: every channel min–max scaled (dark = low, yellow = high).`;
    const given = 'input' in input ? input : { input };
    const sections: HTMLElement[] = [h('div', { class: 'layer-block input-block' }, h('h3', { text: 'Input' }), inputPicture(given, 112))];
    if (kernels) sections.push(this.kernelBlock(kernels));
    for (const a of layers) {
      if (a.shape.length === 2 && given.sample) {
        // Per-step outputs of a sequence layer (Embedding, Conv1D, LSTM with return_sequences): one row per step.
        const [steps, units] = a.shape as [number, number];
        const map = channelCanvas({ ...a, shape: [steps, units, 1] }, 0, this.viridis);
        map.className = 'step-map';
        fitBox(map, Math.max(units, 64), Math.max(steps, 32), 320);
        sections.push(
          h(
            'div',
            { class: 'layer-block steps', 'data-layer': a.layer, 'data-steps': steps, 'data-units': units },
            h('h3', { text: `${a.layer} · ${a.type} · ${steps} steps × ${units} (a row per step, a column per unit)` }),
            h('div', { class: 'fmaps', role: 'img', 'aria-label': `${a.layer}: ${units} outputs at each of ${steps} steps` }, map),
          ),
        );
        continue;
      }
      if (a.shape.length < 3) {
        // A vector (Flatten/Dense output): one strip, one cell per unit.
        const strip = channelCanvas({ ...a, shape: [a.data.length] }, 0, this.viridis);
        strip.className = 'fmap-strip';
        sections.push(
          h('div', { class: 'layer-block', 'data-layer': a.layer, 'data-channels': 1 }, h('h3', { text: `${a.layer} · ${a.type} · ${a.shape.join('×')}` }), h('div', { class: 'fmaps', role: 'img', 'aria-label': `${a.data.length} activations of ${a.layer}` }, strip)),
        );
        continue;
      }
      const channels = a.shape[a.shape.length - 1]!;
      const shown = Math.min(channels, MAX_CHANNELS);
      const maps: HTMLElement[] = [];
      for (let c = 0; c < shown; c++) {
        const cv = channelCanvas(a, c, this.viridis);
        cv.className = 'fmap';
        if (a.shape[0] !== a.shape[1]) fitBox(cv, a.shape[1]!, a.shape[0]!, 56);
        cv.title = `${a.layer} channel ${c}`;
        maps.push(cv);
      }
      sections.push(
        h(
          'div',
          { class: 'layer-block', 'data-layer': a.layer, 'data-channels': shown },
          h('h3', { text: `${a.layer} · ${a.type} · ${a.shape.join('×')}${channels > shown ? ` (first ${shown} of ${channels} channels)` : ''}` }),
          h('div', { class: 'fmaps', role: 'img', 'aria-label': `${shown} activation maps of ${a.layer}` }, ...maps),
        ),
      );
    }
    this.body.replaceChildren(...this.nest(sections));
  }

  /**
   * Puts each section of a layer inside models used as layers (`block/inner/conv`) into a fold per
   * model, nested as the models are. A fold starts closed (deeper levels open one by one), except
   * the outermost ones when the model shows no layer of its own (a base under a head); a fold the
   * user opened or closed stays so.
   */
  private nest(sections: HTMLElement[]): HTMLElement[] {
    const top: HTMLElement[] = [];
    const folds = new Map<string, { el: HTMLDetailsElement; body: HTMLElement; shown: number }>();
    const own = sections.some((s) => s.dataset.layer && !s.classList.contains('kernels') && !s.dataset.layer.includes('/'));
    const foldFor = (model: string): { el: HTMLDetailsElement; body: HTMLElement; shown: number } => {
      const have = folds.get(model);
      if (have) return have;
      const cut = model.lastIndexOf('/');
      const name = model.slice(cut + 1);
      const body = h('div', { class: 'nested-body' });
      const el = h('details', { class: 'nested-layers', 'data-model': model }, h('summary', { text: name }), body) as HTMLDetailsElement;
      el.open = this.folds.get(model) ?? (cut < 0 && !own);
      el.addEventListener('toggle', () => this.folds.set(model, el.open));
      const fold = { el, body, shown: 0 };
      folds.set(model, fold);
      if (cut < 0) top.push(el);
      else foldFor(model.slice(0, cut)).body.append(el);
      return fold;
    };
    for (const s of sections) {
      const layer = s.dataset.layer;
      const cut = layer && !s.classList.contains('kernels') ? layer.lastIndexOf('/') : -1;
      if (cut < 0) {
        top.push(s);
        continue;
      }
      const model = layer!.slice(0, cut);
      foldFor(model).body.append(s);
      for (let m = model; ; m = m.slice(0, m.lastIndexOf('/'))) {
        foldFor(m).shown++;
        if (!m.includes('/')) break;
      }
    }
    for (const [model, f] of folds) {
      const inner = [...folds.keys()].filter((k) => k.startsWith(`${model}/`) && !k.slice(model.length + 1).includes('/')).length;
      f.el.querySelector('summary')!.textContent = `${model.slice(model.lastIndexOf('/') + 1)} · model used as a layer · ${f.shown} layer${f.shown === 1 ? '' : 's'} shown${inner ? `, ${inner} model${inner === 1 ? '' : 's'} inside` : ''}`;
    }
    return top;
  }

  /** Kernels [kh, kw, inC, outC]: one small map per output filter (input channel 0). */
  private kernelBlock(k: LayerActivation): HTMLElement {
    const [kh, kw, inC, outC] = k.shape.length === 4 ? (k.shape as [number, number, number, number]) : [k.shape[0]!, k.shape[1]!, 1, k.shape[k.shape.length - 1]!];
    const maps: HTMLElement[] = [];
    for (let o = 0; o < Math.min(outC, MAX_CHANNELS); o++) {
      const data = new Float32Array(kh * kw);
      for (let i = 0; i < kh * kw; i++) data[i] = k.data[i * inC * outC + o]!;
      const cv = channelCanvas({ layer: k.layer, type: k.type, shape: [kh, kw, 1], data }, 0, this.diverging!, true);
      cv.className = 'kernel';
      cv.title = `${k.layer} filter ${o}`;
      maps.push(cv);
    }
    return h(
      'div',
      { class: 'layer-block kernels', 'data-layer': k.layer, 'data-kernels': maps.length },
      h('h3', { text: `Learned ${kh}×${kw} kernels of ${k.layer} (${outC} filters${inC > 1 ? ', input channel 0' : ''}; red negative, blue positive)` }),
      h('div', { class: 'fmaps', role: 'img', 'aria-label': `${maps.length} kernels of ${k.layer}` }, ...maps),
    );
  }
}
