/**
 * How a saved model's inputs are scaled, shown under the panel's header and changeable: a saved
 * file has no code that says it, so the host states what it uses (the model's own Rescaling /
 * Normalization layer, else pixels / 255) and this control lets the user pick another (pixels / 255,
 * pixels as they are, or any factor). The host validates it and rebuilds the model with it.
 */
import type { ModelIR } from '../core/model/ir';
import { h } from './dom';
import type { Host } from './host';

const PRESETS: { value: number; label: string }[] = [
  { value: 1 / 255, label: 'pixels / 255 (0–1)' },
  { value: 1, label: 'pixels as they are (0–255)' },
];
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

export class InputScaleControl {
  readonly element: HTMLElement;
  private readonly select = h('select', { class: 'input-scale-select', 'aria-label': 'Input scaling' });
  private readonly factor = h('input', { class: 'input-scale-factor', type: 'number', step: 'any', min: '0.000001', max: '1000', 'aria-label': 'Scale factor (pixels × factor)', hidden: true });
  private readonly apply = h('button', { class: 'input-scale-apply', type: 'button', hidden: true, text: 'Apply' });
  private readonly source = h('span', { class: 'muted input-scale-source', role: 'status' });

  constructor(private readonly host: Host) {
    for (const p of PRESETS) this.select.append(h('option', { value: String(p.value), text: p.label }));
    this.select.append(h('option', { value: 'other', text: 'pixels × other factor…' }));
    this.element = h('div', { class: 'input-scale', hidden: true }, h('label', {}, 'Inputs: ', this.select), this.factor, this.apply, this.source);
    this.select.addEventListener('change', () => {
      const other = this.select.value === 'other';
      this.factor.hidden = !other;
      this.apply.hidden = !other;
      if (other) this.factor.focus();
      else void this.send(Number(this.select.value));
    });
    this.apply.addEventListener('click', () => void this.send(Number(this.factor.value)));
    this.factor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void this.send(Number(this.factor.value));
    });
  }

  /** Shown for saved models only (a .py says its scaling in code). */
  show(model: ModelIR | undefined, saved: boolean): void {
    this.element.hidden = !saved || !model;
    if (!saved || !model) return;
    this.display(model.training.inputScale ?? 1 / 255, model.training.inputScaleSource ?? '');
  }

  private display(scale: number, source: string): void {
    const preset = PRESETS.find((p) => same(p.value, scale));
    if (preset) this.select.value = String(preset.value);
    else {
      this.select.value = 'other';
      this.factor.value = String(scale);
    }
    this.factor.hidden = this.apply.hidden = !!preset;
    this.source.textContent = source;
    this.source.title = source;
  }

  private async send(scale: number): Promise<void> {
    if (!(Number.isFinite(scale) && scale >= 1e-6 && scale <= 1000)) {
      this.source.textContent = 'Give a factor from 0.000001 to 1000 (pixels are multiplied by it).';
      return;
    }
    try {
      const r = await this.host.rpc.request('setInputScale', { scale });
      this.display(r.scale, r.source);
    } catch (e) {
      this.source.textContent = (e as Error).message;
    }
  }
}
