/**
 * Functions that run inside the workbench page or the panel's document. Kept as source text
 * (the node tsconfig has no DOM types); each is an expression `(arg) => result`.
 */

/**
 * The rendered text of the first editor line containing `needle`, with injected text (inlay
 * hints, `after` decorations: spans or CSS `content`) included.
 */
export const RENDERED_LINE = `(needle) => {
  const lines = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')];
  const flat = (t) => (t || '').replace(/\\u00a0/g, ' ');
  const line = lines.find((l) => flat(l.textContent).includes(needle));
  if (!line) return '';
  let text = '';
  const css = (el, pseudo) => {
    const c = getComputedStyle(el, pseudo).content;
    return c && c !== 'none' && c !== 'normal' ? c.replace(/^"|"$/g, '') : '';
  };
  const walk = (el) => {
    text += css(el, '::before');
    for (const c of el.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) text += c.textContent;
      else if (c.nodeType === Node.ELEMENT_NODE) walk(c);
    }
    text += css(el, '::after');
  };
  walk(line);
  return text.replace(/\\u00a0/g, ' ');
}`;

/** Points of the curves drawn in the panel's training view (each series path says how many). */
export const CURVE_POINTS = `() => {
  const root = document.querySelector('[data-panel="training"]') || document.body;
  let n = 0;
  for (const p of root.querySelectorAll('svg path.series[data-points]')) n += Number(p.getAttribute('data-points')) || 0;
  return n;
}`;
