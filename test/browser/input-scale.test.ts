/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A saved model's input scaling in headless Chromium: the panel shows which scaling is used (as
 * the host states it), lets the user pick pixels / 255, pixels as they are, or another factor,
 * sends it to the host (which answers what it now uses) and refuses a factor out of range without
 * asking. A panel for a .py (no saved file) shows no such control. The host is a stand-in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Envelope } from '../../src/core/protocol/rpc';
import { buildWebview, launch, loadFixture, openPanel, serve, type Served } from './harness';

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

describe('Input scaling of a saved model in Chromium', () => {
  test('shows the scaling used, sends a new one, shows what the host now uses', async () => {
    const p = await openPanel(browser, served.origin, { fixture: fx, sendStateOnReady: false });
    await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'ready');
    const source = "pixels / 255 (the file does not say how its inputs were scaled; this is how Keras's MNIST tutorials scale them)";
    const model = { ...fx.state.model, training: { ...fx.state.model.training, inputScale: 1 / 255, inputScaleSource: source } };
    await p.emit('state', { ...fx.state, model, runs: [], saved: { format: 'keras', savedBy: 'Keras 3.1.1' } });
    await p.page.waitForSelector('.input-scale:not([hidden])');
    assert.equal(await p.page.$eval('.input-scale-select', (s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent), 'pixels / 255 (0–1)');
    assert.equal(await p.page.textContent('.input-scale-source'), source);
    const answer = (m: Envelope, result: unknown) => p.page.evaluate((x) => (window as unknown as { __fromHost(m: unknown): void }).__fromHost(x), { rpc: 'res', id: (m as { id: number }).id, ok: true, result });

    await p.page.selectOption('.input-scale-select', '1');
    const r1 = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'setInputScale');
    assert.deepEqual((r1 as { params: unknown }).params, { scale: 1 });
    await answer(r1, { scale: 1, source: 'pixels × 1 (set in this panel)' });
    await p.page.waitForFunction(() => document.querySelector('.input-scale-source')?.textContent === 'pixels × 1 (set in this panel)');

    // Another factor: typed, then applied; out of range is refused here without a request.
    await p.page.selectOption('.input-scale-select', 'other');
    assert.equal(await p.page.isVisible('.input-scale-factor'), true);
    await p.page.fill('.input-scale-factor', '0');
    await p.page.click('.input-scale-apply');
    await p.page.waitForFunction(() => /from 0\.000001 to 1000/.test(document.querySelector('.input-scale-source')?.textContent ?? ''));
    assert.equal(p.requests('setInputScale').length, 1);
    await p.page.fill('.input-scale-factor', '0.5');
    await p.page.press('.input-scale-factor', 'Enter');
    const r2 = await p.waitForPost((m) => m.rpc === 'req' && m.method === 'setInputScale' && (m as { params: { scale: number } }).params.scale === 0.5);
    await answer(r2, { scale: 0.5, source: 'pixels × 0.5 (set in this panel)' });
    await p.page.waitForFunction(() => document.querySelector('.input-scale-source')?.textContent === 'pixels × 0.5 (set in this panel)');
    assert.equal(await p.page.$eval('.input-scale-select', (s) => (s as HTMLSelectElement).value), 'other');
    assert.deepEqual(await p.violations(), []);
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });

  test('a panel for a .py shows no input scaling control (its code says how inputs are scaled)', async () => {
    const p = await openPanel(browser, served.origin, { fixture: fx });
    await p.page.waitForSelector('.model-name');
    await p.page.waitForFunction(() => document.querySelector('.model-name')?.textContent !== '');
    assert.equal(await p.page.isVisible('.input-scale'), false);
    await p.page.context().close();
  });
});
