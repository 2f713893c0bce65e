/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The Weights view of a saved model in headless Chromium: asks the host for the weights when first
 * shown, lists every tensor with its statistics and a histogram, finds by name, draws the first
 * convolution's filters, and asks the host to export. The host is a stand-in answering by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Envelope } from '../../src/core/protocol/rpc';
import type { WeightLayerInfo } from '../../src/core/protocol/webview';
import { buildWebview, launch, loadFixture, openPanel, screenshotPath, serve, type Served } from './harness';

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

const stats = (counts: number[]) => ({ count: counts.reduce((a, c) => a + c, 0), min: -0.5, max: 0.5, mean: 0.01, std: 0.2, zeros: 0, nan: 0, inf: 0, histogram: { min: -0.5, max: 0.5, counts } });
const LAYERS: WeightLayerInfo[] = [
  { layer: 'conv2d', type: 'Conv2D', tensors: [{ name: 'kernel', shape: [3, 3, 1, 4], dtype: 'float32', trainable: true, stats: stats([1, 4, 9, 4, 1]) }, { name: 'bias', shape: [4], dtype: 'float32', trainable: true, stats: stats([2, 0, 2]) }] },
  { layer: 'batch_normalization', type: 'BatchNormalization', tensors: [{ name: 'moving_mean', shape: [4], dtype: 'float16', trainable: false, stats: stats([4]) }] },
  { layer: 'dense', type: 'Dense', tensors: [{ name: 'kernel', shape: [36, 10], dtype: 'float32', trainable: true, problem: 'it is compressed with lzf (HDF5 filter id 32000)' }] },
];

describe('Weights view in Chromium', () => {
  test('lists tensors with statistics and histograms, finds by name, draws first-layer filters, exports', async () => {
    const p = await openPanel(browser, served.origin, { fixture: fx, sendStateOnReady: false });
    await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'ready');
    await p.emit('state', { ...fx.state, runs: [], saved: { format: 'keras', savedBy: 'Keras 3.1.1' } });
    await p.page.waitForFunction(() => document.querySelector('.badge')?.textContent === '.keras · saved by Keras 3.1.1');
    const answer = (m: Envelope, result: unknown) => p.page.evaluate((x) => (window as unknown as { __fromHost(m: unknown): void }).__fromHost(x), { rpc: 'res', id: (m as { id: number }).id, ok: true, result });
    await p.page.click('vscode-tab-header[data-view="weights"]');
    const req = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'weights');
    await answer(req, { layers: LAYERS });
    // The first convolution's filters are asked for at once (channel 0).
    const k = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'kernel');
    assert.deepEqual((k as { params: unknown }).params, { layer: 'conv2d', name: 'kernel', channel: 0 });
    await answer(k, { shape: [3, 3, 4], data: Array.from({ length: 36 }, (_, i) => Math.sin(i)), channels: 1 });
    await p.page.waitForSelector('.weights-kernels canvas');
    assert.equal(await p.page.$$eval('.weights-kernels canvas', (c) => c.length), 4);
    // Each filter is its own tile, drawn at size and apart from the next (not one strip).
    const tiles = await p.page.$$eval('.weights-kernels canvas', (cs) => cs.map((c) => c.getBoundingClientRect()).map((r) => ({ x: r.x, w: r.width, h: r.height })));
    assert.ok(tiles.every((t) => t.w >= 30 && t.h >= 30), `tiles drawn at size: ${JSON.stringify(tiles)}`);
    for (let i = 1; i < tiles.length; i++) assert.ok(tiles[i]!.x >= tiles[i - 1]!.x + tiles[i - 1]!.w + 2, `filter ${i} starts apart from filter ${i - 1}: ${JSON.stringify(tiles)}`);
    await p.page.screenshot({ path: screenshotPath('weights-dark.png') });
    const text = await p.page.textContent('.weights-list');
    assert.match(text!, /kernel \[3×3×1×4\] float32/);
    assert.match(text!, /moving_mean \[4\] float16 · non-trainable/);
    assert.match(text!, /cannot be read: it is compressed with lzf/);
    assert.equal(await p.page.$$eval('svg.weights-hist', (s) => s.length), 3);
    assert.equal(await p.page.$eval('svg.weights-hist', (s) => s.querySelectorAll('rect').length), 5);
    await p.page.fill('.weights-search', 'moving');
    assert.deepEqual(await p.page.$$eval('.weights-layer h3', (hs) => hs.map((x) => x.textContent)), ['batch_normalization (BatchNormalization)']);
    await p.page.fill('.weights-search', 'nothing-like-this');
    assert.match((await p.page.textContent('.weights-list'))!, /No layer or weight name contains/);
    await p.page.click('.weights-export vscode-button:nth-of-type(2)');
    const ex = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'exportModel');
    assert.deepEqual((ex as { params: unknown }).params, { format: 'h5' });
    assert.deepEqual(await p.violations(), []);
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });
  test('the list shows at once; statistics are asked layer by layer, in order, and filled in as each comes', async () => {
    const p = await openPanel(browser, served.origin, { fixture: fx, sendStateOnReady: false });
    await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'ready');
    await p.emit('state', { ...fx.state, runs: [], saved: { format: 'h5', savedBy: 'Keras 2.4.0' } });
    const answer = (m: Envelope, result: unknown) => p.page.evaluate((x) => (window as unknown as { __fromHost(m: unknown): void }).__fromHost(x), { rpc: 'res', id: (m as { id: number }).id, ok: true, result });
    const fail = (m: Envelope, message: string) => p.page.evaluate((x) => (window as unknown as { __fromHost(m: unknown): void }).__fromHost(x), { rpc: 'res', id: (m as { id: number }).id, ok: false, error: { message, code: 'internal' } });
    await p.page.click('vscode-tab-header[data-view="weights"]');
    const req = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'weights');
    const bare = (l: WeightLayerInfo): WeightLayerInfo => ({ ...l, tensors: l.tensors.map(({ stats: _s, ...t }) => t) });
    await answer(req, { layers: [bare(LAYERS[1]!), { layer: 'dense_1', type: 'Dense', tensors: [{ name: 'kernel', shape: [784, 10], dtype: 'float32', trainable: true }] }, bare(LAYERS[2]!)] });
    await p.page.waitForSelector('.weights-pending');
    assert.equal(await p.page.$$eval('.weights-pending', (e) => e.length), 2, 'both readable tensors wait for their statistics');
    assert.match((await p.page.textContent('.weights-list'))!, /cannot be read: it is compressed with lzf/);
    assert.match((await p.page.textContent('.weights-view > [role=status]'))!, /statistics of layer 1 of 2/);
    // One request at a time, in the list's order; the layer whose only tensor cannot be read is not asked for.
    const first = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'weightStats');
    assert.deepEqual((first as { params: unknown }).params, { layer: 'batch_normalization' });
    assert.equal(p.requests('weightStats').length, 1);
    await answer(first, { tensors: LAYERS[1]!.tensors });
    const second = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'weightStats' && (m as { params: { layer: string } }).params.layer === 'dense_1');
    await p.page.waitForFunction(() => document.querySelectorAll('svg.weights-hist').length === 1);
    assert.equal(await p.page.$$eval('.weights-pending', (e) => e.length), 1);
    await fail(second, '/m.h5: cannot read weight \'/model_weights/dense_1/kernel\': the file may be truncated or damaged');
    await p.page.waitForFunction(() => document.querySelectorAll('.weights-pending').length === 0);
    assert.match((await p.page.textContent('.weights-list'))!, /kernel \[784×10\] float32cannot be read: \/m\.h5: cannot read weight/);
    assert.equal((await p.page.textContent('.weights-view > [role=status]'))!.trim(), '3 weight tensors in 3 layers');
    // A search re-draws the list from what has come: the statistics stay.
    await p.page.fill('.weights-search', 'moving');
    assert.equal(await p.page.$$eval('svg.weights-hist', (e) => e.length), 1);
    assert.equal(p.requests('weightStats').length, 2);
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });
});
