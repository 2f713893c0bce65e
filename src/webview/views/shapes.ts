/** Shape flow view: the strip of blocks, the compact shape path, and a per-layer table with totals. */
import { formatCount, formatShape, type ModelIR } from '../../core/model/ir';
import { renderShapeFlow } from '../charts/shape-flow';
import { h } from '../dom';
import { layerRows } from '../model-info';

export class ShapesView {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('section', { class: 'view shapes-view' });
  }

  setModel(model: ModelIR): void {
    const rows = layerRows(model);
    const path: string[] = [];
    for (const r of rows) {
      const s = formatShape(r.layer.outputShape);
      if (path[path.length - 1] !== s) path.push(s);
    }
    const totalMacs = rows.reduce((a, r) => a + r.macs, 0);
    const table = h(
      'table',
      { class: 'layer-table', 'aria-label': 'Layers with output shape, parameters and multiply-adds' },
      h('thead', {}, h('tr', {}, ...['Layer', 'Type', 'Arguments', 'Output shape', 'Values', 'Params', 'Multiply-adds'].map((t) => h('th', { scope: 'col', text: t })))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            { 'data-layer': r.layer.name },
            h('td', { text: r.layer.name }),
            h('td', { text: r.layer.type }),
            h('td', { text: r.args }),
            h('td', { class: 'num', text: formatShape(r.layer.outputShape) }),
            h('td', { class: 'num', text: r.volume.toLocaleString('en') }),
            h('td', { class: 'num', text: r.layer.params.toLocaleString('en') }),
            h('td', { class: 'num', text: r.macs.toLocaleString('en') }),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          { class: 'totals' },
          h('th', { scope: 'row', text: 'Total', colspan: 5 }),
          h('td', { class: 'num', 'data-total': 'params', text: model.totalParams.toLocaleString('en') }),
          h('td', { class: 'num', 'data-total': 'macs', text: totalMacs.toLocaleString('en') }),
        ),
      ),
    );
    const summary = h(
      'p',
      { class: 'flow-summary' },
      h('strong', { text: `${formatCount(model.totalParams)} parameters` }),
      ` (${model.trainableParams.toLocaleString('en')} trainable) · ${formatCount(totalMacs)} multiply-adds per sample`,
    );
    this.element.replaceChildren(
      h('p', { class: 'flow-path', 'aria-label': 'Shape path' }, path.join(' → ')),
      summary,
      h('div', { class: 'flow-scroll', tabindex: 0, 'aria-label': 'Shape flow strip, scrollable' }, renderShapeFlow(rows)),
      table,
    );
  }
}
