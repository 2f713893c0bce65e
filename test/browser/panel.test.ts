/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The built panel in headless Chromium, fed a recorded session (fixtures/panel-session.json:
 * a real short training run of examples/basic_cnn.py in the worker). Checks what is drawn and
 * what the panel asks of the host; saves screenshots of every view in light and dark themes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { formatShape } from '../../src/core/model/ir';
import type { Envelope } from '../../src/core/protocol/rpc';
import type { GrayImage } from '../../src/core/protocol/worker';
import { residualNet } from './fixtures/models';
import { buildWebview, launch, loadFixture, openPanel, readmeShotPath, screenshotPath, serve, type Panel, type Served } from './harness';

const fx = loadFixture();
const model = fx.state.model;
const VIEWS = ['graph', 'shapes', 'training', 'predictions', 'draw', 'layers', 'runs'] as const;

let browser: Browser;
let served: Served;

/** Console errors that are not the panel's (favicon requests of the test server). */
const realErrors = (p: Panel) => p.consoleErrors.filter((e) => !/favicon|404 \(Not Found\)/.test(e));

async function open(opts: Parameters<typeof openPanel>[2] = {}): Promise<Panel> {
  const p = await openPanel(browser, served.origin, { fixture: fx, ...opts });
  await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
  return p;
}

async function showView(p: Panel, view: (typeof VIEWS)[number]): Promise<void> {
  await p.page.click(`vscode-tab-header[data-view="${view}"]`);
  await p.page.waitForFunction((v) => document.body.dataset.view === v, view);
}

async function streamAll(p: Panel): Promise<void> {
  for (const e of fx.stream) await p.emit(e.event, e.data);
}

before(async () => {
  served = await serve(await buildWebview());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await served?.close();
});

describe('panel in Chromium', () => {
  test('says ready first, draws every layer (a node, or a badge on the node it follows) with type, name, key args and shape; no CSP violations', async () => {
    const p = await open();
    assert.equal(p.posted[0]?.rpc === 'evt' && p.posted[0].event, 'ready');
    const nodes = await p.page.$$eval('svg.graph g.node', (ns) => ns.map((n) => ({ layer: (n as SVGGElement).dataset.layer!, folded: (n as SVGGElement).dataset.folded!, text: [...n.querySelectorAll(':scope > text')].map((t) => t.textContent) })));
    // Every layer is drawn: as a node, or as a badge on the node it follows.
    assert.deepEqual(nodes.flatMap((n) => [n.layer, ...n.folded.split(' ').filter(Boolean)]), model.layers.map((l) => l.name));
    const conv = nodes.find((n) => n.layer === 'conv2d')!;
    assert.deepEqual(conv.text, ['Conv2D32·3×3·same+ relu', 'conv2d', '28×28×32 · 320 params']);
    const pool = nodes.find((n) => n.layer === 'max_pooling2d')!;
    assert.equal(pool.text[0], 'MaxPooling2D2×2+ dropout 0.5');
    assert.match(pool.text[2]!, /^14×14×32 · no params$/);
    const dense = nodes.find((n) => n.layer === 'dense')!;
    assert.equal(dense.text[2], '512 · 1,606,144 params');
    // Edges: one per input of a node, labelled with the source's output shape where the shape changes.
    const shapeOf = (name: string) => formatShape(model.layers.find((l) => l.name === name)!.outputShape);
    const edges = await p.page.$$eval('svg.graph g.edge', (es) => es.map((e) => ({ from: (e as SVGGElement).dataset.from!, to: (e as SVGGElement).dataset.to!, label: e.querySelector('text')?.textContent ?? '' })));
    assert.equal(edges.length, nodes.length - 1);
    for (const e of edges) assert.equal(e.label, shapeOf(e.from) === shapeOf(e.to) ? '' : shapeOf(e.from), `${e.from} → ${e.to}`);
    // Kinds colour the nodes.
    const fills = await p.page.$$eval('svg.graph g.node .node-stripe', (rs) => rs.map((r) => getComputedStyle(r).fill));
    assert.notEqual(fills[0], fills[1], 'input and conv stripes differ');
    assert.notEqual(fills[1], fills[3], 'conv and pool stripes differ');
    assert.equal(await p.page.textContent('.model-name'), 'Basic_CNN');
    assert.deepEqual(await p.violations(), []);
    assert.deepEqual(realErrors(p), []);
    await p.page.context().close();
  });

  test('click (and Enter) on a node posts revealLayer; highlight marks a node; search finds layers', async () => {
    const p = await open();
    await p.page.click('svg.graph g.node[data-layer="conv2d_1"]');
    const m = await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'revealLayer');
    assert.deepEqual(m.rpc === 'evt' && m.data, { layer: 'conv2d_1' });
    await p.page.focus('svg.graph g.node[data-layer="dense"]');
    await p.page.keyboard.press('Enter');
    await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'revealLayer' && (m.data as { layer: string }).layer === 'dense');

    await p.emit('highlight', { layer: 'max_pooling2d_1' });
    assert.deepEqual(await p.page.$$eval('g.node.highlighted', (ns) => ns.map((n) => (n as SVGGElement).dataset.layer)), ['max_pooling2d_1']);
    await p.emit('highlight', { layer: null });
    assert.equal(await p.page.$$eval('g.node.highlighted', (ns) => ns.length), 0);

    await p.page.fill('input.search', 'conv');
    const matches = await p.page.$$eval('g.node.match', (ns) => ns.map((n) => (n as SVGGElement).dataset.layer));
    assert.deepEqual(matches, model.layers.filter((l) => /conv/i.test(l.name) || /conv/i.test(l.type)).map((l) => l.name));
    assert.match((await p.page.textContent('.graph-view .status'))!, /4 matches/);
    await p.page.fill('input.search', '');
    assert.equal(await p.page.$$eval('g.node.match', (ns) => ns.length), 0);

    // The wheel scrolls (same scale, moved up), Ctrl + wheel zooms; Fit restores a whole-graph view.
    const transform = async () => {
      const t = (await p.page.getAttribute('g.viewport', 'transform')) ?? '';
      const m = t.match(/translate\(([-\d.e]+),\s*([-\d.e]+)\)\s*scale\(([-\d.e]+)\)/);
      assert.ok(m, `viewport transform: ${t}`);
      return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]) };
    };
    // Let any running view transition (the initial fit) end first.
    let before = await transform();
    for (let i = 0; i < 20; i++) {
      await p.page.waitForTimeout(100);
      const now = await transform();
      if (now.x === before.x && now.y === before.y && now.k === before.k) break;
      before = now;
    }
    await p.page.mouse.move(600, 500);
    await p.page.mouse.wheel(0, 300);
    await p.page.waitForFunction((y) => !document.querySelector('g.viewport')!.getAttribute('transform')!.includes(`,${y})`), before.y);
    const scrolled = await transform();
    // A zoom step changes the scale by ~10%; rounding in the transform string, by far less.
    assert.ok(Math.abs(scrolled.k / before.k - 1) < 1e-5, `the wheel alone does not zoom: ${before.k} → ${scrolled.k}`);
    assert.ok(Math.abs(scrolled.y - (before.y - 300)) < 1, `scrolled by the wheel delta: ${before.y} → ${scrolled.y}`);
    await p.page.keyboard.down('Control');
    await p.page.mouse.wheel(0, -400);
    await p.page.keyboard.up('Control');
    await p.page.waitForFunction((k) => !document.querySelector('g.viewport')!.getAttribute('transform')!.endsWith(`scale(${k})`), scrolled.k);
    assert.ok((await transform()).k > scrolled.k, 'Ctrl + wheel up zooms in');
    await p.page.click('vscode-button[data-action="fit"]');
    await p.page.waitForTimeout(350);
    const box = await p.page.$eval('g.viewport', (g) => (g as SVGGElement).getBoundingClientRect().toJSON() as DOMRect);
    const canvas = await p.page.$eval('.graph-canvas', (c) => c.getBoundingClientRect().toJSON() as DOMRect);
    assert.ok(box.top >= canvas.top - 1 && box.bottom <= canvas.bottom + 1, 'fit shows the whole graph');
    await p.page.context().close();
  });

  test('a model delta redraws the graph; skip connections (Add) are drawn as their own edges', async () => {
    const p = await open({ savedState: { everyLayer: true, groupRepeats: false } });
    const res = residualNet(30);
    await p.emit('model', { model: res });
    await p.page.waitForFunction((n) => document.querySelectorAll('svg.graph g.node').length === n, res.layers.length);
    const adds = res.layers.filter((l) => l.type === 'Add');
    assert.ok(adds.length >= 2);
    for (const a of adds) {
      const into = await p.page.$$eval(`g.edge[data-to="${a.name}"]`, (es) => es.map((e) => ({ from: (e as SVGGElement).dataset.from, skip: e.classList.contains('skip'), d: e.querySelector('path')!.getAttribute('d')! })));
      assert.deepEqual(into.map((e) => e.from).sort(), [...a.inputs].sort());
      const skip = into.filter((e) => e.skip);
      assert.equal(skip.length, 1, 'one of the two inputs is the skip connection');
      assert.notEqual(into[0]!.d, into[1]!.d);
    }
    assert.equal(await p.page.textContent('.model-name'), res.name);
    await p.page.waitForTimeout(200);
    await p.page.screenshot({ path: screenshotPath('graph-residual-dark.png') });
    await p.page.click('vscode-button[data-action="fit"]');
    await p.page.waitForTimeout(400);
    await p.page.screenshot({ path: screenshotPath('graph-residual-fit-dark.png') });
    await p.page.context().close();
  });

  test('exports the graph as standalone SVG and PNG through exportFile', async () => {
    const p = await open();
    await p.page.click('vscode-button[data-action="export-svg"]');
    const svgReq = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'exportFile')) as Extract<Envelope, { rpc: 'req' }>;
    const svg = svgReq.params as { suggestedName: string; content: string; encoding: string };
    assert.equal(svg.suggestedName, 'Basic_CNN-graph.svg');
    assert.equal(svg.encoding, 'utf8');
    assert.match(svg.content, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.content.match(/data-layer="/g) ?? []).length, await p.page.$$eval('svg.graph g.node', (n) => n.length));
    assert.doesNotMatch(svg.content, /var\(--/, 'theme variables are resolved');
    assert.doesNotMatch(svg.content, /<g class="viewport" transform/);
    await p.page.click('vscode-button[data-action="export-png"]');
    const pngReq = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'exportFile' && (m.params as { encoding: string }).encoding === 'base64')) as Extract<Envelope, { rpc: 'req' }>;
    const png = Buffer.from((pngReq.params as { content: string }).content, 'base64');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(png.length > 10000, `PNG has content (${png.length} bytes)`);
    await p.page.waitForFunction(() => /Saved/.test(document.querySelector('.graph-view .status')?.textContent ?? ''));
    assert.deepEqual(await p.violations(), []);
    await p.page.context().close();
  });

  test('shape flow: one block per layer sized by activation volume, params and multiply-adds totals', async () => {
    const p = await open();
    await showView(p, 'shapes');
    const blocks = await p.page.$$eval('svg.shape-flow g.block', (bs) =>
      bs.map((b) => ({ layer: (b as SVGGElement).dataset.layer, volume: Number((b as SVGGElement).dataset.volume), h: Number(b.querySelector('rect')!.getAttribute('height')), shape: b.querySelector('.flow-shape')!.textContent })),
    );
    assert.equal(blocks.length, model.layers.length);
    assert.deepEqual(blocks.map((b) => b.shape), model.layers.map((l) => formatShape(l.outputShape)));
    const byVolume = [...blocks].sort((a, b) => a.volume - b.volume);
    for (let i = 1; i < byVolume.length; i++) assert.ok(byVolume[i]!.h >= byVolume[i - 1]!.h, 'bigger activations, taller blocks');
    assert.ok(blocks[1]!.h > blocks[5]!.h * 1.5, 'conv 28×28×32 clearly taller than pool 14×14×32');
    assert.equal(await p.page.textContent('.flow-path'), '28×28×1 → 28×28×32 → 14×14×32 → 14×14×64 → 7×7×64 → 3136 → 512 → 10');
    assert.equal(await p.page.textContent('[data-total="params"]'), '1,676,266');
    // 28·28·32·9 + 28·28·32·288 + 14·14·64·288 + 14·14·64·576 + 3136·512 + 512·10
    assert.equal(await p.page.textContent('[data-total="macs"]'), (225792 + 7225344 + 3612672 + 7225344 + 1605632 + 5120).toLocaleString('en'));
    await p.page.context().close();
  });

  test('training: a run in progress shows its history, then streams; epochs, smoothing, log scale, CSV', async () => {
    const p = await open();
    await showView(p, 'training');
    const running = fx.state.runs[1]!;
    const done = fx.state.runs[0]!;
    // Charts draw on the next animation frame: wait for the series before reading it.
    const points = async (run: string, kind: string, metric = 'loss') => {
      const sel = `svg.line-chart[data-metric="${metric}"] path.series[data-run="${run}"][data-kind="${kind}"]`;
      await p.page.waitForSelector(sel, { state: 'attached' });
      return p.page.$eval(sel, (e) => Number(e.getAttribute('data-points')));
    };
    assert.equal(await points(running.id, 'smooth'), running.batches.length);
    assert.equal(await points(done.id, 'smooth'), done.batches.length);
    assert.equal(await points(done.id, 'epoch-train'), done.epochs.length);
    assert.equal(await points(done.id, 'epoch-val'), done.epochs.filter((e) => e.valLoss !== undefined).length);
    // Stream the rest of the run.
    await streamAll(p);
    const finalRun = fx.stream.at(-1)!;
    assert.equal(finalRun.event, 'runDone');
    const total = (finalRun.data as { run: { batches: unknown[]; epochs: unknown[] } }).run;
    await p.page.waitForFunction(
      ([id, n]) => Number(document.querySelector(`svg.line-chart[data-metric="loss"] path.series[data-run="${id}"][data-kind="smooth"]`)?.getAttribute('data-points')) === n,
      [running.id, total.batches.length] as const,
    );
    assert.equal(await points(running.id, 'smooth', 'acc'), total.batches.length);
    assert.equal(await points(running.id, 'epoch-train'), total.epochs.length);
    // Raw curve only while smoothing is on.
    assert.equal(await p.page.$$eval('path.series.raw', (e) => e.length), 2);
    await p.page.$eval('#smoothing', (e) => {
      (e as HTMLInputElement).value = '0';
      e.dispatchEvent(new Event('input'));
    });
    await p.page.waitForFunction(() => document.querySelectorAll('path.series.raw').length === 0);
    // Log scale: loss ticks become powers of ten-ish (non-uniform spacing).
    await p.page.check('#log-scale');
    await p.page.waitForTimeout(100);
    const ticks = await p.page.$$eval('svg[data-metric="loss"] .y-axis .tick', (ts) => ts.map((t) => Number(t.getAttribute('transform')!.match(/,([\d.]+)/)![1])));
    const gaps = ticks.slice(1).map((t, i) => Math.abs(t - ticks[i]!));
    assert.ok(Math.max(...gaps) - Math.min(...gaps) > 2, 'log ticks are not evenly spaced');
    // Hover shows values.
    const chart = (await p.page.$('svg[data-metric="loss"] .hover-target'))!;
    const bb = (await chart.boundingBox())!;
    await p.page.mouse.move(bb.x + bb.width * 0.5, bb.y + bb.height * 0.5);
    await p.page.waitForSelector('.tooltip:not([hidden])');
    assert.match((await p.page.textContent('.tooltip'))!, /#1 batch \d+: [\d.]+/);
    // Runs can be hidden.
    await p.page.uncheck(`.run-list input[data-run="${done.id}"]`);
    await p.page.waitForFunction((id) => !document.querySelector(`path.series[data-run="${id}"]`), done.id);
    // CSV of both runs.
    await p.page.click('vscode-button[data-action="export-csv"]');
    const req = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'exportFile')) as Extract<Envelope, { rpc: 'req' }>;
    const csv = (req.params as { content: string }).content.trim().split('\n');
    assert.equal(csv[0], 'run,started,kind,epoch,step,loss,acc,val_loss,val_acc,learning_rate');
    assert.equal(csv.filter((l) => l.split(',')[2] === 'batch').length, done.batches.length + total.batches.length);
    assert.equal(csv.filter((l) => l.split(',')[2] === 'epoch').length, done.epochs.length + total.epochs.length);
    assert.deepEqual(await p.violations(), []);
    await p.page.context().close();
  });

  test('predictions: bars, confusion matrix totals, clickable cells, mistakes by confidence, per-class accuracy', async () => {
    const p = await open();
    await showView(p, 'predictions');
    await p.page.waitForSelector('.sample-grid .sample');
    const s = fx.samples;
    const req = p.requests('samples')[0]!;
    assert.deepEqual(req.params, { start: 0, count: 500 });
    // Expected from the fixture's probabilities.
    const preds = Array.from({ length: s.count }, (_v, i) => {
      const row = Array.from(s.probs!.subarray(i * 10, i * 10 + 10));
      const pred = row.indexOf(Math.max(...row));
      return { label: s.labels[i]!, pred, conf: row[pred]! };
    });
    const correct = preds.filter((q) => q.label === q.pred).length;
    const cells = await p.page.$$eval('svg.confusion-matrix g.cell', (cs) => cs.map((c) => ({ t: Number((c as SVGGElement).dataset.true), p: Number((c as SVGGElement).dataset.pred), n: Number((c as SVGGElement).dataset.count) })));
    assert.equal(cells.length, 100);
    assert.equal(cells.reduce((a, c) => a + c.n, 0), s.count);
    assert.equal(cells.filter((c) => c.t === c.p).reduce((a, c) => a + c.n, 0), correct);
    // First card: test image 0, a 7, with 10 probability bars matching the fixture.
    const first = await p.page.$eval('.sample-grid .sample', (c) => ({ label: (c as HTMLElement).dataset.label, pred: (c as HTMLElement).dataset.pred, bars: [...c.querySelectorAll('.prob-bars g.bar')].map((b) => Number((b as SVGGElement).dataset.prob)) }));
    assert.equal(first.label, String(s.labels[0]));
    assert.equal(first.pred, String(preds[0]!.pred));
    assert.equal(first.bars.length, 10);
    first.bars.forEach((b, c) => assert.ok(Math.abs(b - s.probs![c]!) < 1e-4));
    assert.equal(await p.page.$$eval('.sample-grid .sample', (cs) => cs.length), Math.min(120, s.count));
    // Mistakes only, most confident first.
    await p.page.check('#only-mistakes');
    const mistakes = await p.page.$$eval('.sample-grid .sample', (cs) => cs.map((c) => Number((c as HTMLElement).dataset.index)));
    const expected = preds.map((q, i) => ({ ...q, i })).filter((q) => q.label !== q.pred).sort((a, b) => b.conf - a.conf).map((q) => q.i);
    assert.deepEqual(mistakes, expected);
    // Clicking an off-diagonal cell shows exactly its samples.
    const off = cells.filter((c) => c.t !== c.p && c.n > 0).sort((a, b) => b.n - a.n)[0];
    if (off) {
      await p.page.click(`g.cell[data-true="${off.t}"][data-pred="${off.p}"]`);
      const shown = await p.page.$$eval('.sample-grid .sample', (cs) => cs.map((c) => [(c as HTMLElement).dataset.label, (c as HTMLElement).dataset.pred]));
      assert.equal(shown.length, off.n);
      for (const [l, pr] of shown) assert.deepEqual([l, pr], [String(off.t), String(off.p)]);
    }
    // Per-class accuracy.
    const acc = await p.page.$$eval('.per-class .class-row', (rs) => rs.map((r) => Number((r as HTMLElement).dataset.acc)));
    for (let c = 0; c < 10; c++) {
      const of = preds.filter((q) => q.label === c);
      if (of.length) assert.ok(Math.abs(acc[c]! - of.filter((q) => q.pred === c).length / of.length) < 1e-3);
    }
    assert.deepEqual(await p.violations(), []);
    await p.page.context().close();
  });

  test('draw: strokes request predictPixels with the drawn 28×28 image and show the answer', async () => {
    const p = await open();
    await showView(p, 'draw');
    const box = (await (await p.page.$('canvas.draw-canvas'))!.boundingBox())!;
    await p.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2);
    await p.page.mouse.down();
    for (let i = 1; i <= 12; i++) await p.page.mouse.move(box.x + box.width * (0.3 + i * 0.03), box.y + box.height * (0.2 + i * 0.05));
    await p.page.mouse.up();
    await p.waitForPost((m) => m.rpc === 'req' && m.method === 'predictPixels');
    await p.page.waitForSelector('.draw-result .big-label');
    await p.page.waitForTimeout(200);
    // The latest request carries the whole stroke (earlier ones went out while drawing).
    const image = (p.requests('predictPixels').at(-1)!.params as { image: GrayImage }).image;
    assert.equal(image.width, 28);
    assert.equal(image.height, 28);
    assert.ok(image.data instanceof Uint8Array && image.data.length === 784, 'pixels cross as a typed array');
    const lit = [...image.data].filter((v) => v > 128).length;
    assert.ok(lit > 15 && lit < 200, `a stroke, not a blot (${lit} bright pixels)`);
    // The stroke goes down-right from (8, 5): the top-left corner stays dark, the path is lit.
    assert.equal(image.data[0], 0);
    assert.ok(image.data[Math.round(0.2 * 28) * 28 + Math.round(0.3 * 28)]! > 0);
    assert.equal(await p.page.textContent('.draw-result .big-label'), String(fx.drawPrediction.top[0]!.label));
    assert.ok(p.requests('predictPixels').length <= 13, 'at most one request in flight, not one per mouse move');
    await p.page.click('vscode-button[data-action="clear"]');
    assert.equal(await p.page.$$eval('.draw-result .big-label', (e) => e.length), 0);
    // A prediction made elsewhere (e.g. the Predict image lens) is shown too.
    await p.emit('prediction', { prediction: fx.drawPrediction, source: 'digit.png' });
    await p.page.waitForSelector('.external-prediction h3');
    assert.equal(await p.page.textContent('.external-prediction h3'), 'Prediction for digit.png');
    await p.page.context().close();
  });

  test('layers see: activation maps per conv/pool layer channel and the first conv kernels', async () => {
    const p = await open();
    await showView(p, 'layers');
    await p.page.waitForSelector('.layer-block[data-layer]');
    const req = p.requests('activations')[0]!;
    assert.deepEqual(req.params, { sample: 0 });
    const blocks = await p.page.$$eval('.layer-block[data-channels]', (bs) => bs.map((b) => ({ layer: (b as HTMLElement).dataset.layer, n: b.querySelectorAll('canvas.fmap').length })));
    assert.deepEqual(
      blocks,
      fx.activations.layers.map((l) => ({ layer: l.layer, n: Math.min(64, l.shape[2]!) })),
    );
    const kernels = await p.page.$$eval('.layer-block.kernels canvas.kernel', (ks) => ks.map((k) => [(k as HTMLCanvasElement).width, (k as HTMLCanvasElement).height]));
    assert.equal(kernels.length, fx.activations.kernels!.shape[3]);
    assert.deepEqual(kernels[0], [3, 3]);
    // A map is not blank: its pixels vary.
    const distinct = await p.page.$eval('.layer-block[data-layer="conv2d"] canvas.fmap', (c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
      return new Set(Array.from({ length: 784 }, (_v, i) => d[i * 4])).size;
    });
    assert.ok(distinct > 10);
    await p.page.fill('#sample-index', '7');
    await p.page.click('vscode-button[data-action="show-sample"]');
    await p.waitForPost((m) => m.rpc === 'req' && m.method === 'activations' && (m.params as { sample?: number }).sample === 7);
    await p.page.context().close();
  });

  test('keeps the current view across hide/show (getState/setState) and follows showView', async () => {
    const p = await open();
    await showView(p, 'predictions');
    const saved = await p.page.evaluate(() => (window as unknown as { __savedState: { view: string } }).__savedState);
    assert.equal(saved.view, 'predictions');
    await p.page.context().close();
    // Reopened (the webview was hidden and restored): the saved view wins over the host's default.
    const r = await open({ savedState: saved });
    await r.page.waitForFunction(() => document.body.dataset.view === 'predictions');
    assert.equal(await r.page.getAttribute('vscode-tab-header[data-view="predictions"]', 'aria-selected'), 'true');
    await r.emit('showView', { view: 'shapes' });
    await r.page.waitForFunction(() => document.body.dataset.view === 'shapes');
    await r.page.context().close();
  });

  test('screenshots of every view in light, dark and both high-contrast themes (the README\'s pictures)', async () => {
    for (const theme of ['light', 'dark', 'hc-dark', 'hc-light'] as const) {
      // A panel beside the editor: 900 × 640.
      const p = await open({ theme, width: 900, height: 640 });
      await streamAll(p);
      for (const view of VIEWS) {
        await showView(p, view);
        if (view === 'predictions') await p.page.waitForSelector('.sample-grid .sample');
        if (view === 'layers') await p.page.waitForSelector('.layer-block[data-layer]');
        if (view === 'draw') {
          const box = (await (await p.page.$('canvas.draw-canvas'))!.boundingBox())!;
          // A "2" (the stand-in host answers with the fixture's prediction for test image 1, a 2).
          const pts: [number, number][] = [];
          for (let a = 200; a >= -40; a -= 15) pts.push([0.5 + 0.2 * Math.cos((a * Math.PI) / 180), 0.33 - 0.13 * Math.sin((a * Math.PI) / 180)]);
          for (let i = 1; i <= 8; i++) pts.push([0.65 - i * 0.045, 0.42 + i * 0.04]);
          for (let i = 1; i <= 8; i++) pts.push([0.29 + i * 0.05, 0.74]);
          await p.page.mouse.move(box.x + box.width * pts[0]![0], box.y + box.height * pts[0]![1]);
          await p.page.mouse.down();
          for (const [x, y] of pts) await p.page.mouse.move(box.x + box.width * x, box.y + box.height * y);
          await p.page.mouse.up();
          await p.page.waitForSelector('.draw-result .big-label');
        }
        await p.page.waitForTimeout(300);
        await p.page.screenshot({ path: readmeShotPath(`${view}-${theme}.png`) });
      }
      assert.deepEqual(await p.violations(), []);
      assert.deepEqual(realErrors(p), []);
      await p.page.context().close();
    }
  });
});
