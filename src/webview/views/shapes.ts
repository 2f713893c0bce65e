/**
 * Shape flow view: the compact shape path, the strip of blocks, and a per-layer table with
 * totals. The columns looked for first (Layer, Output shape, Parameters) come first and stay in
 * view in a narrow panel; the rest scroll sideways, with a shadow and a "more columns" cue.
 */
import { formatCount, formatOutputs, type ModelIR } from '../../core/model/ir';
import { renderShapeFlow } from '../charts/shape-flow';
import { h } from '../dom';
import { layerRows } from '../model-info';

/** Column headers that say what they count; the title attribute explains further. */
const COLUMNS: { name: string; title: string; num?: boolean }[] = [
  { name: 'Layer', title: 'The layer’s name in the model' },
  { name: 'Output shape', title: 'Shape of the layer’s output for one sample (batch axis left out)', num: true },
  { name: 'Parameters', title: 'Weights and biases the layer holds, as Keras counts them', num: true },
  { name: 'Type', title: 'Keras layer class' },
  { name: 'Arguments', title: 'The arguments that shape the layer' },
  { name: 'Output values', title: 'Numbers in the layer’s output for one sample (the product of the output shape)', num: true },
  { name: 'Multiply-adds / sample', title: 'Multiply-accumulate operations for one sample (dense and convolution layers)', num: true },
];

/** Marks a horizontally scrollable box with `more-left` / `more-right` while content hides there. */
export function scrollCue(box: HTMLElement, hint?: HTMLElement): () => void {
  const update = () => {
    const right = box.scrollWidth - box.clientWidth - box.scrollLeft > 1;
    box.classList.toggle('more-right', right);
    box.classList.toggle('more-left', box.scrollLeft > 1);
    if (hint) hint.hidden = !right;
  };
  box.addEventListener('scroll', update, { passive: true });
  new ResizeObserver(update).observe(box);
  return update;
}

export class ShapesView {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('section', { class: 'view shapes-view' });
  }

  setModel(model: ModelIR): void {
    const rows = layerRows(model);
    const path: string[] = [];
    for (const r of rows) {
      const s = formatOutputs(r.layer);
      if (path[path.length - 1] !== s) path.push(s);
    }
    const totalMacs = rows.reduce((a, r) => a + r.macs, 0);
    const table = h(
      'table',
      { class: 'layer-table', 'aria-label': 'Layers with output shape, parameters, type, arguments, output values and multiply-adds' },
      h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col', title: c.title, class: c.num ? 'num' : undefined, text: c.name })))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            { 'data-layer': r.layer.name },
            h('th', { scope: 'row', class: 'layer-name', text: r.layer.name }),
            h('td', { class: 'num', 'data-col': 'shape', text: formatOutputs(r.layer) }),
            h('td', { class: 'num', 'data-col': 'params', text: r.layer.params.toLocaleString('en') }),
            h('td', { 'data-col': 'type', text: r.layer.subclass ?? r.layer.type }),
            h('td', { 'data-col': 'args', text: r.args }),
            h('td', { class: 'num', 'data-col': 'values', text: r.volume.toLocaleString('en') }),
            h('td', { class: 'num', 'data-col': 'macs', text: r.macs.toLocaleString('en') }),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          { class: 'totals' },
          h('th', { scope: 'row', class: 'layer-name', text: 'Total' }),
          h('td', {}),
          h('td', { class: 'num', 'data-total': 'params', text: model.totalParams.toLocaleString('en') }),
          h('td', { colspan: 3 }),
          h('td', { class: 'num', 'data-total': 'macs', text: totalMacs.toLocaleString('en') }),
        ),
      ),
    );
    const summary = h(
      'p',
      { class: 'flow-summary' },
      h('strong', { text: `${model.totalParams.toLocaleString('en')} parameters` }),
      ` (${model.trainableParams.toLocaleString('en')} trainable) · ${formatCount(totalMacs)} multiply-adds per sample`,
    );
    const tableHint = h('span', { class: 'scroll-hint', 'aria-hidden': 'true', hidden: true }, 'more columns →');
    const tableBox = h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Layer table, scrolls sideways' }, table);
    const stripHint = h('span', { class: 'scroll-hint', 'aria-hidden': 'true', hidden: true }, 'scroll for more layers →');
    const strip = h('div', { class: 'flow-scroll', tabindex: 0, role: 'region', 'aria-label': 'Shape flow strip, scrolls sideways' }, renderShapeFlow(rows));
    this.element.replaceChildren(
      h('p', { class: 'flow-path', 'aria-label': 'Shape path' }, path.join(' → ')),
      summary,
      h('div', { class: 'scroll-head' }, h('h3', { text: 'Layers' }), tableHint),
      tableBox,
      h('div', { class: 'scroll-head' }, h('h3', { text: 'Activation sizes' }), stripHint),
      strip,
    );
    const updates = [scrollCue(tableBox, tableHint), scrollCue(strip, stripHint)];
    requestAnimationFrame(() => updates.forEach((u) => u()));
  }
}
