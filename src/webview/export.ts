/**
 * Exports drawn SVG as a standalone file: theme colours (CSS variables) are resolved
 * into attributes, so the file looks the same outside VS Code; PNG via a canvas.
 */
import { SVG_NS } from './dom';
import type { Host } from './host';

const PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility'] as const;

/** A self-contained copy of `svg` (computed styles inlined), sized `width`×`height`. */
export function standaloneSvg(svg: SVGSVGElement, width: number, height: number, prepare?: (clone: SVGSVGElement) => void): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const d = dst[i]!;
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) d.setAttribute(p, v);
    }
    if (cs.display === 'none') d.setAttribute('display', 'none');
    d.removeAttribute('class');
  });
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor || '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  prepare?.(clone);
  return new XMLSerializer().serializeToString(clone);
}

/** Renders SVG text to a PNG (base64, no data: prefix) at `scale`×. */
export async function svgToPngBase64(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG could not be rendered to an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    const maxSide = 16000;
    const s = Math.min(scale, maxSide / width, maxSide / height);
    canvas.width = Math.max(1, Math.round(width * s));
    canvas.height = Math.max(1, Math.round(height * s));
    const ctx = canvas.getContext('2d')!;
    ctx.scale(s, s);
    ctx.drawImage(img, 0, 0, width, height);
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Asks the host to save an exported file and says how it went in `status` (`Saved PATH`,
 * `Export cancelled`, `Export failed: …`). `content` may be computed lazily (a PNG is drawn first).
 */
export async function saveExport(host: Host, status: HTMLElement, suggestedName: string, encoding: 'utf8' | 'base64', content: () => string | Promise<string>): Promise<void> {
  try {
    const r = await host.rpc.request('exportFile', { suggestedName, content: await content(), encoding });
    status.textContent = r.saved ? `Saved ${r.path ?? suggestedName}` : 'Export cancelled';
  } catch (e) {
    status.textContent = `Export failed: ${(e as Error).message}`;
  }
}
