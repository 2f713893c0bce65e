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
    const p = await open({ width: 1200, height: 560 });
    assert.equal(await p.page.getAttribute('svg.graph', 'class'), 'graph dir-LR');
    const nodes = await measureGraph(p);
    const seen = nodes.filter((n) => n.inside);
    // Top to bottom, this 560 px tall canvas would hold three nodes at 100%.
    assert.ok(seen.length >= 4, `saw ${seen.length}`);
    for (const n of seen) assert.ok(n.minFont >= 11 - 1e-6, `${n.layer}: ${n.minFont}`);
    await p.page.screenshot({ path: screenshotPath('first-graph-wide-dark.png') });
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
    await p.page.waitForSelector('.run-progress .phrase');
    const phrases = await p.page.$$eval('.run-progress .phrase', (ps) => ps.map((s) => ({ text: s.textContent!, boxes: s.getClientRects().length })));
    for (const ph of phrases) assert.equal(ph.boxes, 1, `"${ph.text}" is on one line`);
    const last = batches[batches.length - 1]!.data as { epoch: number; epochs: number; progress: number; samplesPerSec: number };
    const texts = phrases.map((ph) => ph.text);
    assert.ok(texts.includes(`epoch ${last.epoch}/${last.epochs}`), texts.join(' | '));
    assert.ok(texts.includes(`${Math.floor(last.progress * 100)}%`), `percent rounded down as the lens does: ${texts.join(' | ')}`);
    assert.ok(texts.includes(`${Math.round(last.samplesPerSec)} samples/s`), texts.join(' | '));
    await p.page.screenshot({ path: screenshotPath('first-training-400-dark.png') });
    await p.page.context().close();
  });
});
