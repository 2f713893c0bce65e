/** Small DOM helpers shared by the views. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** A custom element (e.g. `vscode-button`) with attributes. */
export function ce(tag: string, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

/**
 * Draws an image of 0–255 bytes — gray (1 per pixel) or interleaved RGB (3) — into a canvas of its
 * own size; with `box`, the canvas is shown at most box × box CSS pixels, keeping its aspect ratio.
 */
export function imageCanvas(data: Uint8Array, width: number, height: number, channels: 1 | 3, offset = 0, box?: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const o = offset + i * channels;
    img.data[i * 4] = data[o]!;
    img.data[i * 4 + 1] = data[o + (channels === 3 ? 1 : 0)]!;
    img.data[i * 4 + 2] = data[o + (channels === 3 ? 2 : 0)]!;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  if (box) fitBox(c, width, height, box);
  return c;
}

/** Shows an element of width × height at most box × box CSS pixels, aspect ratio kept (non-square images stay non-square). */
export function fitBox(e: HTMLElement, width: number, height: number, box: number): void {
  const k = box / Math.max(width, height, 1);
  e.style.width = `${Math.round(width * k)}px`;
  e.style.height = `${Math.round(height * k)}px`;
}

/** Draws a grayscale image (0–255 bytes) into a canvas of its own size. */
export function grayCanvas(data: Uint8Array, width: number, height: number, offset = 0): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = data[offset + i]!;
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

/** Runs `fn` at most once per animation frame, however often it is scheduled. */
export function frameThrottle(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

export function fmt(n: number | undefined, digits = 4): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return Math.abs(n) >= 1000 ? n.toFixed(0) : Number(n.toPrecision(digits)).toString();
}

export function pct(p: number): string {
  return `${(p * 100).toFixed(p >= 0.9995 || p < 0.0005 ? 2 : 1)}%`;
}
