/**
 * A minimap for big graphs: every node as a small box in its kind's colour, the part in view as
 * a frame; click or drag on it to move the view there. Sits in a corner of the graph canvas.
 * Mouse only and hidden from screen readers: the graph itself is reachable by keyboard.
 */
import { SVG_NS } from '../dom';
import type { GraphLayout } from './layout';

/** Show a minimap when the whole graph needs more than this many screens at the current scale. */
export const MINIMAP_MIN_SCREENS = 2;

export interface View {
  /** Current transform: screen = graph · k + (x, y). */
  k: number;
  x: number;
  y: number;
  /** Canvas size in px. */
  width: number;
  height: number;
}

export class Minimap {
  readonly element: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private readonly frame: SVGRectElement;
  private scale = 1;
  private dragging = false;

  /** `moveTo(gx, gy)`: centre the view on this graph point. */
  constructor(
    layout: GraphLayout,
    private readonly moveTo: (gx: number, gy: number) => void,
    size = 150,
  ) {
    this.scale = size / Math.max(layout.width, layout.height, 1);
    const w = Math.max(24, Math.ceil(layout.width * this.scale));
    const h = Math.max(24, Math.ceil(layout.height * this.scale));
    this.element = document.createElement('div');
    this.element.className = 'minimap';
    this.element.setAttribute('aria-hidden', 'true');
    this.element.title = 'Minimap: click or drag to move the view';
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('width', String(w));
    this.svg.setAttribute('height', String(h));
    for (const n of layout.nodes) {
      const r = document.createElementNS(SVG_NS, 'rect');
      r.setAttribute('class', `mini-node kind-${n.row.kind}`);
      r.setAttribute('x', String((n.x - n.width / 2) * this.scale));
      r.setAttribute('y', String((n.y - n.height / 2) * this.scale));
      r.setAttribute('width', String(Math.max(1.5, n.width * this.scale)));
      r.setAttribute('height', String(Math.max(1.5, n.height * this.scale)));
      this.svg.append(r);
    }
    this.frame = document.createElementNS(SVG_NS, 'rect');
    this.frame.setAttribute('class', 'mini-frame');
    this.svg.append(this.frame);
    this.element.append(this.svg);
    const go = (e: PointerEvent) => {
      const b = this.svg.getBoundingClientRect();
      this.moveTo((e.clientX - b.left) / this.scale, (e.clientY - b.top) / this.scale);
    };
    this.svg.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      this.dragging = true;
      this.svg.setPointerCapture(e.pointerId);
      go(e);
    });
    this.svg.addEventListener('pointermove', (e) => this.dragging && go(e));
    this.svg.addEventListener('pointerup', () => (this.dragging = false));
    // Wheel and drags on the minimap stay off the graph's own zoom and pan.
    this.element.addEventListener('wheel', (e) => e.stopPropagation());
    this.element.addEventListener('mousedown', (e) => e.stopPropagation());
  }

  /** Whether the graph is big enough (at this view) to need a minimap. */
  static wanted(layout: GraphLayout, v: View): boolean {
    return layout.width * v.k * layout.height * v.k > MINIMAP_MIN_SCREENS * v.width * v.height || layout.width * v.k > 2 * v.width || layout.height * v.k > 2 * v.height;
  }

  update(v: View): void {
    const gx = -v.x / v.k;
    const gy = -v.y / v.k;
    this.frame.setAttribute('x', String(gx * this.scale));
    this.frame.setAttribute('y', String(gy * this.scale));
    this.frame.setAttribute('width', String((v.width / v.k) * this.scale));
    this.frame.setAttribute('height', String((v.height / v.k) * this.scale));
  }
}
