/**
 * The Model Lens panel. Says `ready`, gets the whole `state`, then deltas; seven views in tabs.
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import './panel.css';
import { countCaveat } from '../core/model/completeness';
import type { PanelView } from '../core/protocol/webview';
import { h } from './dom';
import { InputScaleControl } from './input-scale';
import { connectHost } from './host';
import { Store } from './store';
import { canDraw, modelInput } from './model-input';
import { trainingBlocker } from '../core/keras/layer-table';
import { DrawView } from './views/draw';
import { GraphView } from './views/graph';
import { LayersView } from './views/layers';
import { PredictionsView } from './views/predictions';
import { RunsView } from './views/runs';
import { ShapesView } from './views/shapes';
import { TrainingView } from './views/training';
import { WeightsView } from './views/weights';

const VIEWS: { id: PanelView; title: string }[] = [
  { id: 'graph', title: 'Graph' },
  { id: 'shapes', title: 'Shape flow' },
  { id: 'training', title: 'Training' },
  { id: 'predictions', title: 'Predictions' },
  { id: 'draw', title: 'Draw' },
  { id: 'layers', title: 'Layers see' },
  { id: 'runs', title: 'Runs' },
  { id: 'weights', title: 'Weights' },
];

/**
 * The tab strip wraps onto a second row in a narrow panel instead of cutting the last tabs off
 * (the element's own styles keep it on one row; its shadow root takes one more adopted sheet,
 * as Lit's own styles are adopted, so the CSP allows it).
 */
function wrapTabHeaders(tabs: HTMLElement): void {
  void customElements.whenDefined('vscode-tabs').then(async () => {
    await (tabs as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
    const root = tabs.shadowRoot;
    if (!root) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('.tablist { flex-wrap: wrap; row-gap: 2px; min-width: 0; } .header { min-width: 0; }');
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  });
}

function main(): void {
  const host = connectHost();
  const store = new Store();
  const graph = new GraphView(host);
  const shapes = new ShapesView();
  const training = new TrainingView(store, host);
  const predictions = new PredictionsView(store, host);
  const draw = new DrawView(host);
  const layers = new LayersView(store, host, () => (draw.isEmpty() || !draw.canDraw ? null : draw.image()));
  const runs = new RunsView(store, host);
  const weights = new WeightsView(host);
  const elements: Record<PanelView, HTMLElement> = {
    graph: graph.element,
    shapes: shapes.element,
    training: training.element,
    predictions: predictions.element,
    draw: draw.element,
    layers: layers.element,
    runs: runs.element,
    weights: weights.element,
  };

  const title = h('h1', { class: 'model-name' });
  const meta = h('span', { class: 'muted meta' });
  const badge = h('span', { class: 'badge', role: 'status' });
  const header = h('header', { class: 'panel-header' }, title, meta, badge);
  const inputScale = new InputScaleControl(host);

  const tabs = document.createElement('vscode-tabs');
  tabs.setAttribute('aria-label', 'Model Lens views');
  for (const v of VIEWS) {
    const th = document.createElement('vscode-tab-header');
    th.setAttribute('slot', 'header');
    th.dataset.view = v.id;
    th.textContent = v.title;
    tabs.append(th);
  }
  for (const v of VIEWS) {
    const panel = document.createElement('vscode-tab-panel');
    panel.dataset.panel = v.id;
    panel.append(elements[v.id]);
    tabs.append(panel);
  }
  const app = document.getElementById('app')!;
  app.replaceChildren(header, inputScale.element, tabs);
  wrapTabHeaders(tabs);

  let current: PanelView = 'graph';
  const show = (view: PanelView, fromTabs = false) => {
    current = view;
    document.body.dataset.view = view;
    host.save({ view });
    const i = VIEWS.findIndex((v) => v.id === view);
    if (!fromTabs && tabs.selectedIndex !== i) tabs.selectedIndex = i;
    training.setVisible(view === 'training');
    predictions.setVisible(view === 'predictions');
    layers.setVisible(view === 'layers');
    runs.setVisible(view === 'runs');
    weights.setVisible(view === 'weights');
    if (view === 'graph') requestAnimationFrame(() => graph.fit(false));
  };
  tabs.addEventListener('vsc-tabs-select', (e) => show(VIEWS[e.detail.selectedIndex]!.id, true));

  let savedModel: { format: string; savedBy?: string; exportedFrom?: string } | undefined;
  const renderHeader = () => {
    const m = store.model;
    if (!m) return;
    title.textContent = m.name;
    const file = store.file.split(/[\\/]/).pop() ?? store.file;
    // The exact count first: a narrow panel cuts the end of this line (the whole is its tooltip).
    meta.textContent = `${m.totalParams.toLocaleString('en')} params${countCaveat(m)} · ${m.layers.length} layers · ${file}`;
    meta.title = `${store.file}\n${m.layers.length} layers · ${m.totalParams.toLocaleString('en')} parameters`;
    badge.textContent = savedModel ? `${savedModel.format === 'tfjs' ? 'TF.js' : `.${savedModel.format}`}${savedModel.savedBy ? ` · saved by ${savedModel.savedBy}` : ''}` : store.hasWeights ? (store.weightsStale ? 'weights from an older version' : 'trained') : 'not trained yet';
    // Not trained and cannot be: the badge names the layer (its tooltip says why).
    const blocked = !savedModel && !store.hasWeights ? trainingBlocker(m) : undefined;
    if (blocked) badge.textContent = `⊘ cannot train here (${blocked.type})`;
    badge.title = blocked ? blocked.message : savedModel?.exportedFrom ? `exported by Model Lens from ${savedModel.exportedFrom}` : '';
    badge.className = `badge ${store.hasWeights ? (store.weightsStale ? 'warn' : 'ok') : ''}`;
    document.title = `Model Lens: ${m.name}`;
  };
  store.on('model', () => {
    const m = store.model!;
    const input = modelInput(m);
    draw.setInput(input);
    layers.setDrawable(canDraw(input));
    renderHeader();
    graph.setModel(m);
    shapes.setModel(m);
  });
  store.on('weights', renderHeader);

  const { rpc } = host;
  rpc.on('state', (s) => {
    savedModel = s.saved;
    weights.reset();
    store.setState(s);
    inputScale.show(s.model, !!s.saved);
    // The view the panel had before it was hidden wins; the host's is for a fresh panel.
    const saved = host.saved().view as PanelView | undefined;
    show(saved && VIEWS.some((v) => v.id === saved) ? saved : (s.view ?? current));
  });
  rpc.on('model', ({ model }) => store.setModel(model));
  rpc.on('runStarted', ({ run }) => store.runStarted(run));
  rpc.on('runBatch', (b) => store.batch(b));
  rpc.on('runEpoch', (e) => store.epoch(e));
  rpc.on('runDone', ({ run }) => store.runDone(run));
  rpc.on('highlight', ({ layer }) => graph.highlight(layer));
  rpc.on('showView', ({ view }) => show(view));
  rpc.on('prediction', ({ prediction, source }) => {
    draw.showExternal(prediction, source);
    show('draw');
  });
  const saved = host.saved().view as PanelView | undefined;
  if (saved && VIEWS.some((v) => v.id === saved)) show(saved);
  rpc.emit('ready', {});
}

main();
