/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A model used as a layer of another, in the built panel (headless Chromium): its node is visible,
 * double-click (or its "open" mark) shows the inner graph with its shapes and counts, and the
 * breadcrumb leads back. The model comes from the reader (DLwP's VGG16 base under a classifier).
 * In Layers see, the layers of a model in a model in a model open level by level, fold by fold.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { readModel } from '../../src/core/read-model';
import { buildWebview, launch, loadFixture, openPanel, root, screenshotPath, serve, type Served } from './harness';

const fx = loadFixture();
let browser: Browser;
let served: Served;

before(async () => {
  served = await serve(await buildWebview());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await served?.close();
});

const file = 'test/unit/fixtures/published/vgg16_top.py';
const model = readModel(file, fs.readFileSync(path.join(root, file), 'utf8')).models.find((m) => m.name === 'sequential')!;

/** The node's box, and whether it lies wholly inside the graph canvas. */
async function visible(page: import('playwright-core').Page, layer: string): Promise<boolean> {
  return page.evaluate((name) => {
    const n = document.querySelector(`g.node[data-layer="${CSS.escape(name)}"]`);
    const c = document.querySelector('.graph-canvas');
    if (!n || !c) return false;
    const a = n.getBoundingClientRect();
    const b = c.getBoundingClientRect();
    return a.width > 0 && a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  }, layer);
}

const nodeNames = (page: import('playwright-core').Page) => page.$$eval('svg.graph g.node', (ns) => ns.map((n) => (n as SVGGElement).dataset.layer!));

describe('nested model in the panel', () => {
  test('the nested node is visible; double-click opens its graph with shapes and counts; the breadcrumb returns', async () => {
    const p = await openPanel(browser, served.origin, { fixture: fx, savedState: { everyLayer: false, groupRepeats: false } });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await p.emit('model', { model });
    await p.page.waitForSelector('g.node.nested[data-layer="vgg16"]');
    await p.page.waitForTimeout(300);
    assert.ok(await visible(p.page, 'vgg16'), 'the nested node is in view');
    const label = await p.page.getAttribute('g.node[data-layer="vgg16"]', 'aria-label');
    assert.match(label!, /nested model \(vgg16, line \d+, 19 layers: press O to open it\)/);
    assert.equal(await p.page.textContent('g.node[data-layer="vgg16"] .node-open'), 'open ▸');
    assert.equal(await p.page.isHidden('nav.breadcrumb'), true);
    await p.page.screenshot({ path: screenshotPath('nested-outer-dark.png') });

    await p.page.dblclick('g.node[data-layer="vgg16"] .node-box');
    await p.page.waitForSelector('g.node[data-layer="block1_conv1"]');
    const inner = model.layers.find((l) => l.name === 'vgg16')!.nested!.graph!;
    assert.deepEqual(await nodeNames(p.page), inner.layers.map((l) => l.name));
    // What the user reads on a node: type, name, shape and count (DLwP prints block1_conv1 (None, 150, 150, 64) 1,792).
    assert.equal(await p.page.textContent('g.node[data-layer="block1_conv1"] .node-shape'), '150×150×64 · 1,792 params');
    assert.equal(await p.page.textContent('g.node[data-layer="block5_pool"] .node-shape'), '4×4×512 · no params');
    assert.ok(await visible(p.page, 'input_layer') || await visible(p.page, inner.layers[0]!.name), 'the inner graph starts in view');
    assert.equal(await p.page.isVisible('nav.breadcrumb'), true);
    assert.deepEqual(await p.page.$$eval('nav.breadcrumb .crumb', (cs) => cs.map((c) => c.textContent)), ['sequential · 16,812,353 params', 'vgg16 · 14,714,688 params']);
    assert.match((await p.page.textContent('.graph-view .status'))!, /^19 layers/);
    await p.page.waitForTimeout(300);
    await p.page.screenshot({ path: screenshotPath('nested-inner-dark.png') });

    // A click on an inner layer reveals it in the editor through the node it was opened from.
    await p.page.click('g.node[data-layer="block1_conv1"] .node-box');
    const reveal = await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'revealLayer' && (m.data as { layer: string }).layer === 'block1_conv1');
    assert.deepEqual((reveal as { data: unknown }).data, { layer: 'block1_conv1', within: ['vgg16'] });

    await p.page.click('nav.breadcrumb button.crumb[data-depth="0"]');
    await p.page.waitForSelector('g.node[data-layer="vgg16"]');
    assert.deepEqual(await nodeNames(p.page), model.layers.map((l) => l.name));
    assert.equal(await p.page.isHidden('nav.breadcrumb'), true);
    assert.ok(await visible(p.page, 'vgg16'));

    // The "open" mark opens it too; Escape on a node goes back; O on the focused node opens it again.
    await p.page.click('g.node[data-layer="vgg16"] .node-open');
    await p.page.waitForSelector('g.node[data-layer="block1_conv1"]');
    await p.page.focus('g.node[data-layer="block1_conv1"]');
    await p.page.keyboard.press('Escape');
    await p.page.waitForSelector('g.node[data-layer="vgg16"]');
    await p.page.focus('g.node[data-layer="vgg16"]');
    await p.page.keyboard.press('o');
    await p.page.waitForSelector('g.node[data-layer="block1_conv1"]');
    // A model delta keeps the opened graph when the model still has it.
    await p.emit('model', { model: JSON.parse(JSON.stringify(model)) });
    await p.page.waitForTimeout(100);
    assert.ok((await nodeNames(p.page)).includes('block1_conv1'));
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });

  test('light theme: the opened graph and its breadcrumb (screenshot)', async () => {
    const p = await openPanel(browser, served.origin, { fixture: fx, theme: 'light', width: 900, height: 700, savedState: { everyLayer: false, groupRepeats: false } });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await p.emit('model', { model });
    await p.page.waitForSelector('g.node[data-layer="vgg16"]');
    await p.page.waitForTimeout(300);
    await p.page.screenshot({ path: screenshotPath('nested-outer-light.png') });
    await p.page.dblclick('g.node[data-layer="vgg16"] .node-box');
    await p.page.waitForSelector('g.node[data-layer="block1_conv1"]');
    await p.page.waitForTimeout(300);
    await p.page.screenshot({ path: screenshotPath('nested-inner-light.png') });
    await p.page.context().close();
  });

  test("an incomplete nested model: the header's count says '(incomplete)', the outer model's node after the gap is marked", async () => {
    const src = 'import keras, sys\nfrom keras import layers\ninner = keras.Sequential([keras.Input((8,)), layers.Dense(8)], name="inner")\nfor n in sys.argv:\n    inner.add(layers.Dense(2))\nouter = keras.Sequential([keras.Input((8,)), inner, layers.Dense(1)], name="outer")\n';
    const outer = readModel('gap.py', src).models.find((m) => m.name === 'outer')!;
    const p = await openPanel(browser, served.origin, { fixture: fx, width: 900, height: 700, savedState: { everyLayer: false, groupRepeats: false } });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await p.emit('model', { model: outer });
    await p.page.waitForSelector('g.node.nested[data-layer="inner"]');
    assert.match((await p.page.textContent('.panel-header .meta'))!, /^81 params \(incomplete\) · /);
    assert.equal(await p.page.$$eval('g.node.gap', (ns) => ns.map((n) => (n as SVGGElement).dataset.layer).join()), 'inner');
    await p.page.context().close();
  });

  test('a shared model (siamese towers): one node with an edge from each input, two edges out to the distance', async () => {
    const sf = 'test/unit/fixtures/published/keras_siamese_contrastive.py';
    const siamese = readModel(sf, fs.readFileSync(path.join(root, sf), 'utf8')).models.find((m) => m.name === 'functional')!;
    const p = await openPanel(browser, served.origin, { fixture: fx, width: 900, height: 700, savedState: { everyLayer: false, groupRepeats: false } });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await p.emit('model', { model: siamese });
    await p.page.waitForSelector('g.node[data-layer="embedding"]');
    const edges = await p.page.$$eval('g.edge', (es) => es.map((e) => `${(e as SVGGElement).dataset.from}>${(e as SVGGElement).dataset.to}`).sort());
    assert.deepEqual(edges, ['embedding>lambda', 'embedding>lambda', 'input_layer_1>embedding', 'input_layer_2>embedding']);
    assert.deepEqual(await nodeNames(p.page), ['input_layer_1', 'input_layer_2', 'embedding', 'lambda']);
    assert.ok(await visible(p.page, 'embedding'));
    assert.equal(await p.page.textContent('g.node[data-layer="embedding"] .node-name'), 'embedding · model of 9 layers, line 24 · 2 calls');
    assert.match((await p.page.getAttribute('g.node[data-layer="embedding"]', 'aria-label'))!, /called 2 times with the same weights/);
    await p.page.waitForTimeout(300);
    await p.page.screenshot({ path: screenshotPath('shared-siamese-dark.png') });
    await p.page.context().close();
  });

  test('Layers see: a model in a model in a model opens level by level; each level\'s maps are visible once its fold opens (screenshot)', async () => {
    // Activations as the worker names them (test/unit/engine/nested-train.test.ts checks its values):
    // the model's own conv, then block's, block/inner's and block/inner/deep's.
    const act = (layer: string, shape: number[]) => ({ layer, type: 'Conv2D', shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + layer.length)) });
    const layers = [act('conv2d', [26, 26, 4]), act('block/conv_a', [24, 24, 4]), act('block/inner/conv_b', [22, 22, 3]), act('block/inner/deep/conv_c', [20, 20, 2])];
    const p = await openPanel(browser, served.origin, { fixture: { ...fx, activations: { ...fx.activations, layers } }, width: 900, height: 800 });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await p.page.click('vscode-tab-header[data-view="layers"]');
    await p.page.waitForSelector('.layer-block[data-layer="conv2d"]');
    /** How many of a layer's maps the user sees: drawn at full size inside the window, after scrolling to them. */
    const shownMaps = (layer: string) =>
      p.page.evaluate((name) => {
        const maps = [...document.querySelectorAll(`.layer-block[data-layer="${CSS.escape(name)}"] canvas.fmap`)] as HTMLCanvasElement[];
        maps[0]?.scrollIntoView({ block: 'center' });
        return maps.filter((c) => {
          const r = c.getBoundingClientRect();
          // Rendered (not in a closed fold) and on top at its centre: what the user sees.
          const onTop = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === c;
          return c.checkVisibility({ visibilityProperty: true }) && onTop && r.width >= 50 && r.height >= 50 && r.top >= 0 && r.bottom <= innerHeight;
        }).length;
      }, layer);
    const fold = (model: string) => p.page.$eval(`details.nested-layers[data-model="${model}"]`, (d) => ({ open: (d as HTMLDetailsElement).open, summary: d.querySelector('summary')!.textContent }));

    assert.equal(await shownMaps('conv2d'), 4, "the model's own layer is shown");
    assert.deepEqual(await fold('block'), { open: false, summary: 'block · model used as a layer · 3 layers shown, 1 model inside' });
    assert.equal(await shownMaps('block/conv_a'), 0, 'closed: block\'s maps are not shown');

    await p.page.click('details[data-model="block"] > summary');
    assert.equal(await shownMaps('block/conv_a'), 4, 'block open: its conv shows its 4 maps');
    assert.deepEqual(await fold('block/inner'), { open: false, summary: 'inner · model used as a layer · 2 layers shown, 1 model inside' });
    assert.equal(await shownMaps('block/inner/conv_b'), 0, 'the next level waits its turn');

    await p.page.click('details[data-model="block/inner"] > summary');
    assert.equal(await shownMaps('block/inner/conv_b'), 3);
    assert.deepEqual(await fold('block/inner/deep'), { open: false, summary: 'deep · model used as a layer · 1 layer shown' });
    assert.equal(await shownMaps('block/inner/deep/conv_c'), 0);

    await p.page.click('details[data-model="block/inner/deep"] > summary');
    assert.equal(await shownMaps('block/inner/deep/conv_c'), 2, 'the third level: its maps visible');
    // Each level sits inside the one around it (indented by its fold).
    const lefts = await p.page.$$eval('.layer-block[data-layer] h3', (hs) => Object.fromEntries(hs.map((x) => [(x.closest('.layer-block') as HTMLElement).dataset.layer!, Math.round(x.getBoundingClientRect().left)])));
    assert.ok(lefts['conv2d']! < lefts['block/conv_a']! && lefts['block/conv_a']! < lefts['block/inner/conv_b']! && lefts['block/inner/conv_b']! < lefts['block/inner/deep/conv_c']!, JSON.stringify(lefts));
    await p.page.evaluate(() => document.querySelector('details[data-model="block"]')!.scrollIntoView({ block: 'start' }));
    await p.page.waitForTimeout(200);
    await p.page.screenshot({ path: screenshotPath('nested-layers-see-dark.png') });

    // Another sample: the folds stay as the user left them.
    await p.page.fill('#sample-index', '3');
    await p.page.click('vscode-button[data-action="show-sample"]');
    await p.waitForPost((m) => m.rpc === 'req' && m.method === 'activations' && (m.params as { sample?: number }).sample === 3);
    await p.page.waitForTimeout(200);
    assert.equal(await shownMaps('block/inner/deep/conv_c'), 2, 'still open after a new sample');
    await p.page.click('details[data-model="block/inner"] > summary');
    assert.equal(await shownMaps('block/inner/conv_b'), 0, 'closing a level hides it');
    assert.equal(await shownMaps('block/inner/deep/conv_c'), 0, 'and the levels inside it');
    assert.equal(await shownMaps('block/conv_a'), 4, 'the level around it stays open');
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });

  test('Layers see on a base under a head (no layer of its own shown): the base\'s fold starts open, its maps in view', async () => {
    const act = (layer: string, shape: number[]) => ({ layer, type: 'Conv2D', shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i * 0.21)) });
    const layers = [act('vgg16/block1_conv1', [26, 26, 3]), act('vgg16/block1_pool', [13, 13, 3])];
    const p = await openPanel(browser, served.origin, { fixture: { ...fx, activations: { ...fx.activations, layers } }, width: 900, height: 800 });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await p.page.click('vscode-tab-header[data-view="layers"]');
    await p.page.waitForSelector('details.nested-layers[data-model="vgg16"]');
    assert.equal(await p.page.$eval('details[data-model="vgg16"]', (d) => (d as HTMLDetailsElement).open), true);
    const seen = await p.page.evaluate(() => {
      const c = document.querySelector('.layer-block[data-layer="vgg16/block1_conv1"] canvas.fmap') as HTMLCanvasElement;
      c.scrollIntoView({ block: 'center' });
      const r = c.getBoundingClientRect();
      return c.checkVisibility() && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === c;
    });
    assert.equal(seen, true);
    await p.page.context().close();
  });

  test('the graph opens a model in a model in a model level by level; the breadcrumb leads back through each (screenshot)', async () => {
    const src = `import keras
from keras import layers
deep = keras.Sequential([keras.Input(shape=(24, 24, 4)), layers.Conv2D(2, 3, name='conv_c')], name='deep')
inner = keras.Sequential([keras.Input(shape=(26, 26, 4)), layers.Conv2D(4, 3, name='conv_b'), deep], name='inner')
block = keras.Sequential([layers.Conv2D(4, 3, name='conv_a'), inner], name='block')
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), block, layers.Flatten(), layers.Dense(10, activation='softmax')], name='outer')
`;
    const outer = readModel('deep.py', src).models.find((m) => m.name === 'outer')!;
    const p = await openPanel(browser, served.origin, { fixture: fx, width: 900, height: 700, savedState: { everyLayer: false, groupRepeats: false } });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await p.emit('model', { model: outer });
    for (const [open, inside] of [['block', 'conv_a'], ['inner', 'conv_b'], ['deep', 'conv_c']] as const) {
      await p.page.waitForSelector(`g.node.nested[data-layer="${open}"]`);
      await p.page.waitForTimeout(200);
      assert.ok(await visible(p.page, open), `${open} in view`);
      await p.page.dblclick(`g.node[data-layer="${open}"] .node-box`);
      await p.page.waitForSelector(`g.node[data-layer="${inside}"]`);
      await p.page.waitForTimeout(200);
      assert.ok(await visible(p.page, inside), `${inside} in view once ${open} opens`);
    }
    // The node shows the reader's shape and count for the innermost layer.
    const convC = outer.layers.find((l) => l.name === 'block')!.nested!.graph!.layers.find((l) => l.name === 'inner')!.nested!.graph!.layers.find((l) => l.name === 'deep')!.nested!.graph!.layers.find((l) => l.name === 'conv_c')!;
    assert.equal(await p.page.textContent('g.node[data-layer="conv_c"] .node-shape'), `${convC.outputShape!.slice(1).join('×')} · ${convC.params} params`);
    assert.deepEqual(await p.page.$$eval('nav.breadcrumb .crumb', (cs) => cs.map((c) => c.textContent!.split(' · ')[0])), ['outer', 'block', 'inner', 'deep']);
    await p.page.screenshot({ path: screenshotPath('nested-three-levels-dark.png') });
    await p.page.click('nav.breadcrumb button.crumb[data-depth="1"]');
    await p.page.waitForSelector('g.node[data-layer="conv_a"]');
    assert.deepEqual(await p.page.$$eval('nav.breadcrumb .crumb', (cs) => cs.map((c) => c.textContent!.split(' · ')[0])), ['outer', 'block']);
    await p.page.context().close();
  });
});
