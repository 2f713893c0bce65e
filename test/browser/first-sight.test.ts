/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * What a user sees first, measured in the built panel at the widths a panel beside the editor
 * has (500 px and 400 px): graph text size on the first view, how much of the model it shows,
 * badges instead of activation nodes, keyboard moves between nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { residualNet } from './fixtures/models';
import { buildWebview, launch, loadFixture, openPanel, screenshotPath, serve, type Panel, type Served } from './harness';

const fx = loadFixture();
const model = fx.state.model;

let browser: Browser;
let served: Served;

async function open(opts: Parameters<typeof openPanel>[2] = {}): Promise<Panel> {
  const p = await openPanel(browser, served.origin, { fixture: fx, ...opts });
  await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
  await p.page.waitForTimeout(100);
  return p;
}

/** Per node inside the canvas: the smallest on-screen font size of its text, and whether it is wholly visible. */
async function measureGraph(p: Panel) {
  return p.page.evaluate(() => {
    const canvas = document.querySelector('.graph-canvas')!.getBoundingClientRect();
    return [...document.querySelectorAll<SVGGElement>('svg.graph g.node')].map((n) => {
      const k = n.getScreenCTM()!.a;
      const sizes = [...n.querySelectorAll('text, tspan')].map((t) => parseFloat(getComputedStyle(t).fontSize) * k);
      const r = n.getBoundingClientRect();
      const inside = r.left >= canvas.left - 0.5 && r.right <= canvas.right + 0.5 && r.top >= canvas.top - 0.5 && r.bottom <= canvas.bottom + 0.5;
      return { layer: n.dataset.layer!, minFont: Math.min(...sizes), inside, lines: [...n.querySelectorAll(':scope > text')].map((t) => t.textContent ?? '') };
    });
  });
}

before(async () => {
  served = await serve(await buildWebview());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await served?.close();
});

describe('first sight', () => {
  for (const width of [500, 400]) {
    test(`graph at ${width} px: text ≥ 11 px on the first view, as many whole nodes as fit, no empty lines`, async () => {
      const p = await open({ width, height: 820 });
      const nodes = await measureGraph(p);
      const seen = nodes.filter((n) => n.inside);
      assert.ok(seen.length >= 5, `at least five whole nodes in view at ${width} px, saw ${seen.length}`);
      for (const n of seen) assert.ok(n.minFont >= 11 - 1e-6, `${n.layer}: smallest text ${n.minFont.toFixed(2)} px`);
      for (const n of nodes) for (const l of n.lines) assert.notEqual(l.trim(), '', `${n.layer} has an empty line`);
      // Taller than wide: top to bottom.
      assert.equal(await p.page.getAttribute('svg.graph', 'class'), 'graph dir-TB');
      await p.page.screenshot({ path: screenshotPath(`first-graph-${width}-dark.png`) });
      await p.page.context().close();
    });
  }

  test('activations and dropouts ride as badges; "Every layer" shows them as nodes', async () => {
    const p = await open({ width: 500, height: 820 });
    const nodes = await p.page.$$eval('svg.graph g.node', (ns) => ns.map((n) => ({ layer: (n as SVGGElement).dataset.layer, folded: (n as SVGGElement).dataset.folded, badges: [...n.querySelectorAll('.node-badge')].map((b) => b.textContent) })));
    // examples/basic_cnn.py: 6 Activation + 3 Dropout layers each follow a single-consumer layer.
    assert.equal(nodes.length, model.layers.length - 9);
    assert.ok(!nodes.some((n) => /^(activation|dropout)/.test(n.layer!)), 'no activation or dropout node');
    const conv = nodes.find((n) => n.layer === 'conv2d')!;
    assert.deepEqual(conv.badges, ['+ relu']);
    const line1 = await p.page.$eval('g.node[data-layer="conv2d"] .node-line1', (t) => t.textContent);
    assert.equal(line1, 'Conv2D32·3×3·same+ relu');
    const pool = nodes.find((n) => n.layer === 'max_pooling2d')!;
    assert.deepEqual(pool.badges, ['+ dropout 0.5']);
    const dense = nodes.find((n) => n.layer === 'dense')!;
    assert.deepEqual(dense.badges, ['+ relu', '+ dropout 0.5']);
    // Edge labels only where the shape changes: conv2d → conv2d_1 keeps 28×28×32, so no label.
    const labels = await p.page.$$eval('svg.graph g.edge', (es) => es.map((e) => ({ from: (e as SVGGElement).dataset.from, to: (e as SVGGElement).dataset.to, label: e.querySelector('text')?.textContent ?? '' })));
    assert.equal(labels.find((e) => e.from === 'conv2d' && e.to === 'conv2d_1')!.label, '');
    assert.equal(labels.find((e) => e.to === 'max_pooling2d')!.label, '28×28×32');
    // The cursor on a folded layer highlights the node it rides on.
    await p.emit('highlight', { layer: 'activation_1' });
    assert.deepEqual(await p.page.$$eval('g.node.highlighted', (ns) => ns.map((n) => (n as SVGGElement).dataset.layer)), ['conv2d_1']);
    await p.page.check('input[data-action="every-layer"]');
    await p.page.waitForFunction((n) => document.querySelectorAll('svg.graph g.node').length === n, model.layers.length);
    assert.equal(await p.page.$$eval('.node-badge', (b) => b.length), 0);
    const saved = await p.page.evaluate(() => (window as unknown as { __savedState: { everyLayer?: boolean } }).__savedState);
    assert.equal(saved.everyLayer, true);
    await p.page.context().close();
  });

  test('wider than tall: left to right, still readable', async () => {
    const p = await open({ width: 1400, height: 480 });
    assert.equal(await p.page.getAttribute('svg.graph', 'class'), 'graph dir-LR');
    const nodes = await measureGraph(p);
    const seen = nodes.filter((n) => n.inside);
    // Top to bottom, this 340 px tall canvas would hold three nodes at 100%.
    assert.ok(seen.length >= 4, `saw ${seen.length}`);
    for (const n of seen) assert.ok(n.minFont >= 11 - 1e-6, `${n.layer}: ${n.minFont}`);
    await p.page.screenshot({ path: screenshotPath('first-graph-wide-dark.png') });
    await p.page.context().close();
  });

  test('a little wider than tall: the direction that shows more whole nodes wins', async () => {
    const p = await open({ width: 900, height: 640 });
    const seen = (await measureGraph(p)).filter((n) => n.inside);
    // Left to right, ~250 px per node shows 3 of 10 on this 876 px canvas; top to bottom shows 5.
    assert.equal(await p.page.getAttribute('svg.graph', 'class'), 'graph dir-TB');
    assert.ok(seen.length >= 5, `saw ${seen.length}`);
    await p.page.context().close();
  });

  test('keyboard: Tab reaches one node, arrows move along the flow, Enter reveals; nodes have screen-reader names', async () => {
    const p = await open({ width: 500, height: 820 });
    assert.deepEqual(await p.page.$$eval('g.node[tabindex="0"]', (ns) => ns.map((n) => (n as SVGGElement).dataset.layer)), [model.layers[0]!.name]);
    await p.page.focus(`g.node[data-layer="${model.layers[0]!.name}"]`);
    await p.page.keyboard.press('ArrowDown');
    assert.equal(await p.page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.layer), 'conv2d');
    await p.page.keyboard.press('ArrowDown');
    assert.equal(await p.page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.layer), 'conv2d_1');
    await p.page.keyboard.press('ArrowUp');
    assert.equal(await p.page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.layer), 'conv2d');
    await p.page.keyboard.press('End');
    const last = await p.page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.layer);
    assert.equal(last, 'dense_1');
    // The focused node scrolled into view.
    const nodes = await measureGraph(p);
    await p.page.waitForTimeout(300);
    assert.ok((await measureGraph(p)).find((n) => n.layer === last)!.inside, 'the focused node is in view');
    void nodes;
    await p.page.keyboard.press('Enter');
    await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'revealLayer' && (m.data as { layer: string }).layer === 'dense_1');
    const label = await p.page.getAttribute('g.node[data-layer="conv2d"]', 'aria-label');
    assert.equal(label, 'Conv2D conv2d, 32 · 3×3 · same, followed by Activation activation relu, output 28×28×32 · 320 params.');
    await p.page.context().close();
  });

  test('training status line at 400 px: the lens\'s figures, phrases never broken inside', async () => {
    const p = await open({ width: 400, height: 820 });
    await p.page.click('vscode-tab-header[data-view="training"]');
    await p.page.waitForFunction(() => document.body.dataset.view === 'training');
    const batches = fx.stream.filter((e) => e.event === 'runBatch');
    assert.ok(batches.length > 0);
    for (const e of fx.stream) if (e.event !== 'runDone') await p.emit(e.event, e.data);
    const last = batches[batches.length - 1]!.data as { epoch: number; epochs: number; progress: number; samplesPerSec: number };
    // The line is redrawn as the events arrive: measure once it shows the last batch (a busy machine
    // could otherwise catch a phrase between two drawings, not laid out yet).
    await p.page.waitForFunction(
      (want) => [...document.querySelectorAll('.run-progress .phrase')].some((s) => s.textContent === want),
      `${Math.round(last.samplesPerSec)} samples/s`,
    );
    await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const phrases = await p.page.$$eval('.run-progress .phrase', (ps) => ps.map((s) => ({ text: s.textContent!, boxes: s.getClientRects().length })));
    for (const ph of phrases) assert.equal(ph.boxes, 1, `"${ph.text}" is on one line`);
    const texts = phrases.map((ph) => ph.text);
    assert.ok(texts.includes(`epoch ${last.epoch}/${last.epochs}`), texts.join(' | '));
    assert.ok(texts.includes(`${Math.floor(last.progress * 100)}%`), `percent rounded down as the lens does: ${texts.join(' | ')}`);
    assert.ok(texts.includes(`${Math.round(last.samplesPerSec)} samples/s`), texts.join(' | '));
    await p.page.screenshot({ path: screenshotPath('first-training-400-dark.png') });
    await p.page.context().close();
  });

  test('header: the same height and the tabs in the same place before and after training (400 px)', async () => {
    const untrained = { ...fx, state: { ...fx.state, hasWeights: false, runs: fx.state.runs.slice(1) } };
    const p = await openPanel(browser, served.origin, { fixture: untrained, width: 400, height: 820 });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    const measure = () =>
      p.page.evaluate(() => ({
        badge: document.querySelector('.panel-header .badge')!.textContent,
        header: document.querySelector('.panel-header')!.getBoundingClientRect().height,
        tabsTop: document.querySelector('vscode-tabs')!.getBoundingClientRect().top,
      }));
    const before = await measure();
    assert.equal(before.badge, 'not trained yet');
    for (const e of fx.stream) await p.emit(e.event, e.data);
    await p.page.waitForFunction(() => document.querySelector('.panel-header .badge')!.textContent === 'trained');
    const afterRun = await measure();
    assert.equal(afterRun.header, before.header, 'header height');
    assert.equal(afterRun.tabsTop, before.tabsTop, 'tabs do not move');
    // The exact count is in the header (its full text is the tooltip when the line is cut).
    assert.match((await p.page.getAttribute('.panel-header .meta', 'title'))!, /1,676,266 parameters/);
    // …and, first on the line, it survives the cut at 400 px.
    const cut = await p.page.evaluate(() => {
      const m = document.querySelector('.panel-header .meta')!;
      const r = document.createRange();
      r.setStart(m.firstChild!, 0);
      r.setEnd(m.firstChild!, '1,676,266 params'.length);
      return { count: r.getBoundingClientRect().right, box: m.getBoundingClientRect().right, text: m.textContent };
    });
    assert.ok(cut.text!.startsWith('1,676,266 params') && cut.count <= cut.box, JSON.stringify(cut));
    await p.page.context().close();
  });

  test('shape flow table at 400 px: Layer, Output shape, Parameters in view; the rest scroll with a cue', async () => {
    const p = await open({ width: 400, height: 820 });
    await p.page.click('vscode-tab-header[data-view="shapes"]');
    await p.page.waitForFunction(() => document.body.dataset.view === 'shapes');
    await p.page.waitForTimeout(100);
    const heads = await p.page.$$eval('.layer-table thead th', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(heads.slice(0, 3), ['Layer', 'Output shape', 'Parameters']);
    assert.ok(!heads.includes('Values'), 'no column just called "Values"');
    const r = await p.page.evaluate(() => {
      const box = document.querySelector('.table-scroll')!.getBoundingClientRect();
      const cells = [...document.querySelectorAll('.layer-table [data-col="params"], .layer-table [data-total="params"]')].map((c) => c.getBoundingClientRect());
      return {
        inside: cells.every((c) => c.left >= box.left - 0.5 && c.right <= box.right + 0.5 && c.right <= window.innerWidth),
        n: cells.length,
        more: document.querySelector('.table-scroll')!.classList.contains('more-right'),
        hint: !(document.querySelector('.scroll-head .scroll-hint') as HTMLElement).hidden,
        total: document.querySelector('[data-total="params"]')!.textContent,
      };
    });
    assert.equal(r.n, model.layers.length + 1);
    assert.ok(r.inside, 'every Parameters cell is inside the visible area');
    assert.ok(r.more && r.hint, 'more columns to the right: shadow and hint shown');
    assert.equal(r.total, '1,676,266');
    // Scrolled to the end, the cue goes.
    await p.page.$eval('.table-scroll', (b) => (b.scrollLeft = b.scrollWidth));
    await p.page.waitForFunction(() => !document.querySelector('.table-scroll')!.classList.contains('more-right'));
    await p.page.$eval('.table-scroll', (b) => (b.scrollLeft = 0));
    await p.page.screenshot({ path: screenshotPath('first-shapes-400-dark.png') });
    await p.page.context().close();
  });

  test('training chart: a labelled test-accuracy mark, labelled per-epoch points, a legend nothing covers', async () => {
    const p = await open({ width: 500, height: 900 });
    await p.page.click('vscode-tab-header[data-view="training"]');
    await p.page.waitForFunction(() => document.body.dataset.view === 'training');
    for (const e of fx.stream) await p.emit(e.event, e.data);
    await p.page.waitForFunction(() => document.querySelectorAll('svg.line-chart[data-metric="acc"] .value-label.test').length > 0);
    const done = fx.stream.find((e) => e.event === 'runDone')!.data as { run: { id: string; test: { acc: number; loss: number } } };
    const acc = await p.page.$$eval('svg.line-chart[data-metric="acc"] .value-label.test', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual(acc, [`test ${done.run.test.acc.toFixed(3)}`]);
    const loss = await p.page.$$eval('svg.line-chart[data-metric="loss"] .value-label.test', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual(loss, [`test ${done.run.test.loss.toFixed(3)}`]);
    assert.equal(await p.page.$$eval(`svg.line-chart[data-metric="acc"] .markers.test[data-run="${done.run.id}"] path`, (m) => m.length), 1);
    const epochLabels = await p.page.$$eval('svg.line-chart[data-metric="acc"] .value-label.epoch-train', (ts) => ts.map((t) => t.textContent));
    assert.equal(epochLabels.length, 2, 'two epochs, two labelled points');
    for (const l of epochLabels) assert.match(l!, /^epoch 0\.\d{3}$/);
    // The legend sits above the charts: no chart overlaps it.
    const overlap = await p.page.evaluate(() => {
      const lg = document.querySelector('.training-view .legend')!.getBoundingClientRect();
      return [...document.querySelectorAll('svg.line-chart')].some((c) => {
        const r = c.getBoundingClientRect();
        return r.top < lg.bottom && r.bottom > lg.top;
      });
    });
    assert.equal(overlap, false);
    assert.deepEqual(await p.page.$$eval('.training-view .legend li', (ls) => ls.map((l) => (l as HTMLElement).dataset.kind)), ['smooth', 'epoch-train', 'epoch-val', 'test'].filter((k) => k !== 'epoch-val' || fx.state.runs.some((r) => r.epochs.some((e) => e.valAcc !== undefined))));
    // A screen reader hears the latest values.
    assert.match((await p.page.getAttribute('svg.line-chart[data-metric="acc"]', 'aria-label'))!, /Latest run: .*test set 0\.\d{3}/);
    await p.page.screenshot({ path: screenshotPath('first-training-500-dark.png'), fullPage: true });
    await p.page.context().close();
  });

  test('confusion matrix says which axis is which, with cells big enough to read; Draw labels ≥ 11 px, the instruction above the canvas', async () => {
    const p = await open({ width: 500, height: 900 });
    await p.page.click('vscode-tab-header[data-view="predictions"]');
    await p.page.waitForSelector('svg.confusion-matrix g.cell rect');
    assert.equal(await p.page.textContent('svg.confusion-matrix .true-label'), 'true ↓');
    assert.equal(await p.page.textContent('svg.confusion-matrix .predicted-label'), 'predicted →');
    const cell = await p.page.$eval('svg.confusion-matrix g.cell rect', (r) => r.getBoundingClientRect().width);
    assert.ok(cell >= 28, `cell ${cell} px`);
    await p.page.click('vscode-tab-header[data-view="draw"]');
    await p.page.waitForFunction(() => document.body.dataset.view === 'draw');
    const order = await p.page.evaluate(() => {
      const i = document.querySelector('.draw-instruction')!.getBoundingClientRect();
      const c = document.querySelector('canvas.draw-canvas')!.getBoundingClientRect();
      return { instructionBottom: i.bottom, canvasTop: c.top };
    });
    assert.ok(order.instructionBottom <= order.canvasTop, 'instruction above the canvas');
    const box = (await (await p.page.$('canvas.draw-canvas'))!.boundingBox())!;
    await p.page.mouse.move(box.x + box.width / 2, box.y + 40);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + box.width / 2, box.y + box.height - 40, { steps: 8 });
    await p.page.mouse.up();
    await p.page.waitForSelector('.draw-result .prob-bars text');
    const sizes = await p.page.$$eval('.draw-result .prob-bars text', (ts) => ts.map((t) => parseFloat(getComputedStyle(t).fontSize)));
    assert.equal(sizes.length, 10);
    for (const s of sizes) assert.ok(s >= 11, `class label ${s} px`);
    await p.page.context().close();
  });

  test('keyboard: every control of every view is reached with Tab; the tab strip works with arrows and Enter', async () => {
    const p = await open({ width: 900, height: 700 });
    for (const e of fx.stream) await p.emit(e.event, e.data);
    const views = ['graph', 'shapes', 'training', 'predictions', 'draw', 'layers', 'runs'];
    for (const [i, view] of views.entries()) {
      await p.page.click(`vscode-tab-header[data-view="${view}"]`);
      await p.page.waitForFunction((v) => document.body.dataset.view === v, view);
      if (view === 'predictions') await p.page.waitForSelector('svg.confusion-matrix g.cell');
      if (view === 'layers') await p.page.waitForSelector('.layer-block[data-layer]');
      // Every control a user can act on in this view.
      const wanted: string[] = await p.page.evaluate((v) => {
        const root = document.querySelector(`vscode-tab-panel[data-panel="${v}"]`)!;
        const els = [...root.querySelectorAll<HTMLElement>('input, vscode-button, [tabindex="0"], canvas[tabindex]')].filter((e) => e.getClientRects().length > 0);
        return els.map((e, n) => {
          e.dataset.kbdProbe = `${v}-${n}`;
          return e.dataset.kbdProbe;
        });
      }, view);
      assert.ok(wanted.length > 0, `${view} has controls`);
      await p.page.focus(`vscode-tab-header[data-view="${view}"]`);
      const reached = new Set<string>();
      for (let n = 0; n < 200 && reached.size < wanted.length; n++) {
        await p.page.keyboard.press('Tab');
        const id = await p.page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-kbd-probe]')?.dataset.kbdProbe ?? (document.activeElement as HTMLElement | null)?.dataset?.kbdProbe ?? null);
        if (id) reached.add(id);
      }
      const missed = wanted.filter((w) => !reached.has(w));
      const what = await p.page.evaluate((ids) => ids.map((id) => document.querySelector(`[data-kbd-probe="${id}"]`)!.outerHTML.slice(0, 80)), missed);
      assert.deepEqual(what, [], `${view}: controls not reached by Tab`);
      // The tab strip: arrow right moves to the next tab, Enter opens it.
      if (i < views.length - 1) {
        await p.page.focus(`vscode-tab-header[data-view="${view}"]`);
        await p.page.keyboard.press('ArrowRight');
        await p.page.keyboard.press('Enter');
        await p.page.waitForFunction((v) => document.body.dataset.view === v, views[i + 1]!);
      }
    }
    await p.page.context().close();
  });

  test('a big graph gets a minimap; clicking it moves the view there', async () => {
    const p = await open({ width: 700, height: 820 });
    assert.equal(await p.page.$$eval('.minimap', (m) => m.length), 0, 'Basic_CNN needs no minimap');
    const res = residualNet(30);
    await p.emit('model', { model: res });
    await p.page.waitForSelector('.graph-canvas .minimap svg');
    const frameY = () => p.page.$eval('.minimap .mini-frame', (r) => Number(r.getAttribute('y')));
    const before = await frameY();
    const box = (await (await p.page.$('.minimap svg'))!.boundingBox())!;
    await p.page.mouse.click(box.x + box.width / 2, box.y + box.height - 4);
    await p.page.waitForFunction((y) => Number(document.querySelector('.minimap .mini-frame')!.getAttribute('y')) > y + 5, before);
    // The nodes now in view are the last ones.
    const last = res.layers[res.layers.length - 1]!.name;
    const inView = await p.page.evaluate((name) => {
      const c = document.querySelector('.graph-canvas')!.getBoundingClientRect();
      const n = document.querySelector(`g.node[data-layer="${name}"]`)!.getBoundingClientRect();
      return n.top >= c.top && n.bottom <= c.bottom;
    }, last);
    assert.ok(inView, 'the end of the model is in view after clicking the bottom of the minimap');
    await p.page.screenshot({ path: screenshotPath('first-minimap-dark.png') });
    assert.deepEqual(await p.violations(), []);
    await p.page.context().close();
  });

  test('repeated blocks of a big graph are one node; Enter opens it; "Group repeats" toggles', async () => {
    const p = await open({ width: 700, height: 820 });
    assert.equal(await p.page.isHidden('label:has(input[data-action="group-repeats"])'), true, 'Basic_CNN has no repeats: no toggle');
    const res = residualNet(60);
    await p.emit('model', { model: res });
    await p.page.waitForSelector('g.node.block-node');
    assert.equal(await p.page.isChecked('input[data-action="group-repeats"]'), true, 'grouped by default in a big graph');
    const label = (await p.page.getAttribute('g.node.block-node', 'aria-label'))!;
    assert.match(label, /^\d+ repeated blocks of Conv2D → BatchNormalization → Conv2D → BatchNormalization → Add \(\d+ layers, from block0_conv_a\)/);
    const before = await p.page.$$eval('svg.graph g.node', (n) => n.length);
    assert.match((await p.page.textContent('.graph-view .status'))!, /^55 layers \(1 as badges, 49 in a group of repeats\) · 5 connections$/);
    // The editor's cursor inside a grouped block highlights the group.
    await p.emit('highlight', { layer: 'block3_bn_b' });
    assert.deepEqual(await p.page.$$eval('g.node.highlighted', (ns) => ns.map((n) => (n as SVGGElement).dataset.layer)), ['block0_conv_a']);
    await p.page.focus('g.node.block-node');
    await p.page.keyboard.press('Enter');
    await p.page.waitForFunction((n) => document.querySelectorAll('svg.graph g.node').length > n, before);
    assert.equal(await p.page.$$eval('g.node.block-node', (n) => n.length), 0);
    assert.equal(await p.page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.layer), 'block0_conv_a', 'focus on the first layer of the opened run');
    assert.equal(p.posted.filter((m) => m.rpc === 'evt' && m.event === 'revealLayer' && (m.data as { layer: string }).layer === 'block0_conv_a').length, 0, 'opening a group does not jump in the editor');
    await p.page.uncheck('input[data-action="group-repeats"]');
    assert.equal(await p.page.$$eval('g.node.block-node', (n) => n.length), 0);
    await p.page.check('input[data-action="group-repeats"]');
    await p.page.waitForSelector('g.node.block-node');
    await p.page.screenshot({ path: screenshotPath('first-repeats-dark.png') });
    await p.page.context().close();
  });
});
