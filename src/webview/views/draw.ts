/**
 * Draw view: a 28×28 canvas to draw a digit with the mouse (or pen/touch); the prediction
 * updates live. At most one `predictPixels` request is in flight; while it runs, newer strokes
 * only mark the drawing dirty, and the latest drawing is sent when it returns (latest wins,
 * nothing queues up). Also shows the last prediction the host sent (e.g. "Predict image").
 */
import type { ArraySample, GrayImage, Prediction, RgbInput } from '../../core/protocol/worker';
import { ce, grayCanvas, h, imageCanvas, pct } from '../dom';
import type { Host } from '../host';
import { canDraw, noDrawReason, type ModelInput } from '../model-input';
import { describeValues, renderProbBars } from './predictions';

/** What a model was given, as the user sees it: its image (colour when it is), or its tokens / values. */
export function inputPicture(p: { input: GrayImage; color?: RgbInput; sample?: ArraySample }, box: number): HTMLElement {
  if (p.sample) {
    const n = p.sample.values.length;
    const d = describeValues(p.sample.values, 0, n, p.sample.shape, p.sample.tokens, 400, p.sample.vocabulary);
    return h('div', { class: `sample-values large${p.sample.tokens ? ' tokens' : ''}`, 'data-values': n }, h('span', { class: 'values-kind', text: d.kind }), h('code', { text: d.text }));
  }
  const img = p.color ? imageCanvas(p.color.rgb, p.color.width, p.color.height, 3, 0, box) : imageCanvas(p.input.data, p.input.width, p.input.height, 1, 0, box);
  img.className = 'digit large';
  return img;
}

const N = 28;
const SCALE = 10;

export class DrawView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly result: HTMLElement;
  private readonly external: HTMLElement;
  private readonly pixels = new Float32Array(N * N);
  private last: { x: number; y: number } | null = null;
  private inFlight: AbortController | null = null;
  private dirty = false;
  private frame = 0;
  /** Number of predictPixels requests sent (tests read it through the DOM). */
  private sent = 0;
  private readonly drawArea: HTMLElement;
  private readonly note: HTMLElement;
  private drawable = true;

  constructor(private readonly host: Host) {
    this.canvas = h('canvas', { width: N * SCALE, height: N * SCALE, class: 'draw-canvas', tabindex: 0, 'aria-label': 'Drawing area, 28 by 28 pixels: draw a digit with the mouse' });
    const clear = ce('vscode-button', { secondary: true, 'data-action': 'clear', 'aria-label': 'Clear the drawing' }, 'Clear');
    clear.addEventListener('click', () => this.clear());
    this.canvas.addEventListener('keydown', (e) => {
      if (e.key === 'Delete' || e.key === 'Backspace' || e.key === 'Escape') this.clear();
    });
    this.result = h('div', { class: 'draw-result', role: 'status', 'aria-live': 'polite' }, h('p', { class: 'muted', text: 'The prediction appears here as you draw.' }));
    this.external = h('div', { class: 'external-prediction' });
    // The instruction stands above the canvas, where the eye goes first.
    const instruction = h('p', { class: 'draw-instruction', id: 'draw-instruction', text: 'Draw a digit in the black square (white on black, like MNIST). Delete or Clear starts over.' });
    this.canvas.setAttribute('aria-describedby', 'draw-instruction');
    this.drawArea = h('div', { class: 'draw-area' }, instruction, h('div', { class: 'draw-layout' }, h('div', {}, this.canvas, h('div', { class: 'toolbar' }, clear)), this.result));
    this.note = h('p', { class: 'no-draw-note', role: 'note', hidden: true });
    this.element = h('section', { class: 'view draw-view' }, this.note, this.drawArea, this.external);
    this.canvas.addEventListener('pointerdown', (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      this.last = null;
      this.stroke(e);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (e.buttons & 1) this.stroke(e);
    });
    this.canvas.addEventListener('pointerup', () => (this.last = null));
    this.paint();
  }

  /**
   * The canvas is for single-channel image models; for any other input it is hidden and a note
   * says what the model takes and where its samples are shown instead.
   */
  setInput(input: ModelInput): void {
    this.drawable = canDraw(input);
    this.element.dataset.input = input.kind;
    this.drawArea.hidden = !this.drawable;
    this.note.hidden = this.drawable;
    this.note.textContent = this.drawable ? '' : noDrawReason(input);
  }

  get canDraw(): boolean {
    return this.drawable;
  }

  /** The drawing as the model gets it: 0–255 bytes, white digit on black. */
  image(): GrayImage {
    const data = new Uint8Array(N * N);
    for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, this.pixels[i]!) * 255);
    return { width: N, height: N, data };
  }

  isEmpty(): boolean {
    return !this.pixels.some((v) => v > 0);
  }

  private stroke(e: PointerEvent): void {
    const r = this.canvas.getBoundingClientRect();
    const p = { x: ((e.clientX - r.left) / r.width) * N, y: ((e.clientY - r.top) / r.height) * N };
    const from = this.last ?? p;
    const dist = Math.hypot(p.x - from.x, p.y - from.y);
    const steps = Math.max(1, Math.ceil(dist / 0.35));
    for (let s = 0; s <= steps; s++) this.stamp(from.x + ((p.x - from.x) * s) / steps, from.y + ((p.y - from.y) * s) / steps);
    this.last = p;
    this.changed();
  }

  /** A soft round brush about two pixels wide, like MNIST's anti-aliased strokes. */
  private stamp(cx: number, cy: number): void {
    const radius = 1.6;
    for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y++) {
      for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x++) {
        if (x < 0 || y < 0 || x >= N || y >= N) continue;
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const v = Math.max(0, Math.min(1, (radius + 0.5 - d) / 1.0));
        if (v > 0) this.pixels[y * N + x] = Math.max(this.pixels[y * N + x]!, v);
      }
    }
  }

  private changed(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
      this.dirty = true;
      this.predict();
    });
  }

  private paint(): void {
    const img = this.image();
    const ctx = this.canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(grayCanvas(img.data, N, N), 0, 0, N * SCALE, N * SCALE);
  }

  private clear(): void {
    this.pixels.fill(0);
    this.inFlight?.abort();
    this.inFlight = null;
    this.dirty = false;
    this.paint();
    this.result.replaceChildren(h('p', { class: 'muted', text: 'The prediction appears here as you draw.' }));
  }

  private predict(): void {
    if (this.inFlight || !this.dirty || this.isEmpty()) return;
    this.dirty = false;
    const ctrl = (this.inFlight = new AbortController());
    this.sent++;
    this.element.dataset.requests = String(this.sent);
    this.host.rpc
      .request('predictPixels', { image: this.image() }, { signal: ctrl.signal })
      .then((p) => {
        if (!ctrl.signal.aborted) this.show(p);
      })
      .catch((e: Error) => {
        if (!ctrl.signal.aborted) this.result.replaceChildren(h('p', { class: 'error', text: `Prediction failed: ${e.message}` }));
      })
      .finally(() => {
        if (this.inFlight === ctrl) this.inFlight = null;
        this.predict();
      });
  }

  private show(p: Prediction): void {
    const top = p.top[0];
    this.result.replaceChildren(
      h('div', { class: 'big-label', 'data-pred': top?.label ?? '' }, top ? String(top.label) : '?'),
      h('p', { text: p.top.slice(0, 3).map((t) => `${t.label}: ${pct(t.prob)}`).join(' · ') }),
      renderProbBars(p.probs, { pred: top?.label ?? 0, width: 300, height: 80, large: true }),
    );
  }

  /** A prediction the host made elsewhere (e.g. the "Predict image" lens). */
  showExternal(p: Prediction, source: string): void {
    const top = p.top[0];
    this.external.replaceChildren(
      h('h3', { text: `Prediction for ${source}` }),
      h(
        'div',
        { class: 'draw-layout' },
        inputPicture(p, 112),
        h(
          'div',
          {},
          h('div', { class: 'big-label', text: top ? String(top.label) : '?' }),
          h('p', { text: `${top ? pct(top.prob) : ''}${p.trueLabel !== undefined ? ` · true label ${p.trueLabel}` : ''}` }),
          renderProbBars(p.probs, { pred: top?.label ?? 0, ...(p.trueLabel !== undefined ? { label: p.trueLabel } : {}), width: 300, height: 80, large: true }),
        ),
      ),
    );
  }
}
