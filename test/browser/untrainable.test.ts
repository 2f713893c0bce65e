/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * What the Training tab says besides curves: a model with a layer TF.js cannot build (here Lambda)
 * has its graph drawn, a header badge that says it cannot train here naming the layer type (the
 * tooltip says why), and a Training tab that says which layer and why instead of "use the Train
 * lens"; a run's warnings (BatchNormalization statistics with too few steps) show under its chip.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { readModel } from '../../src/core/read-model';
import { buildWebview, launch, loadFixture, openPanel, serve, type Served } from './harness';

const base = loadFixture();
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

const SRC = `import keras
from keras import layers
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Lambda(lambda t: t * 2, output_shape=(28, 28, 1))(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs, outputs, name='lambda_net')
`;

test('an untrainable model: graph drawn, the badge and the Training tab name the layer and say why', async () => {
  const model = readModel('/w/lambda_net.py', SRC).models[0]!;
  const p = await openPanel(browser, served.origin, { fixture: { ...base, stream: [], state: { model, file: '/w/lambda_net.py', runs: [], hasWeights: false } }, theme: 'dark' });
  await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
  const badge = await p.page.$eval('.badge', (e) => ({ text: e.textContent, title: (e as HTMLElement).title }));
  assert.equal(badge.text, '⊘ cannot train here (Lambda)');
  assert.match(badge.title, /layer 'lambda' \(Lambda, line 4\) cannot be trained here: Lambda runs Python code, which Model Lens never executes/);
  await p.page.click('vscode-tab-header[data-view="training"]');
  await p.page.waitForFunction(() => document.body.dataset.view === 'training');
  const text = await p.page.textContent('.train-blocked');
  assert.match(text ?? '', /^⊘ lambda_net: layer 'lambda' \(Lambda, line 4\) cannot be trained here: Lambda runs Python code.*Its graph, shapes and parameter counts still work\.$/);
  assert.equal(await p.page.isVisible('.train-blocked'), true);
});

test("a run's warning shows under the run chips, the chip marked ⚠", async () => {
  const runs = base.state.runs.map((r, i, all) => (i === all.length - 1 ? { ...r, warnings: ['BatchNormalization (bn): after 15 training steps at momentum 0.99, …'] } : r));
  const p = await openPanel(browser, served.origin, { fixture: { ...base, state: { ...base.state, runs } }, theme: 'dark' });
  await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
  await p.page.click('vscode-tab-header[data-view="training"]');
  await p.page.waitForSelector('.run-warning');
  const warnings = await p.page.$$eval('.run-warning', (ws) => ws.map((w) => w.textContent));
  assert.deepEqual(warnings, [`⚠ #${runs.length}: BatchNormalization (bn): after 15 training steps at momentum 0.99, …`]);
  assert.equal(await p.page.isVisible('.run-warning'), true);
  const chips = await p.page.$$eval('.run-chip', (cs) => cs.map((c) => c.textContent ?? ''));
  assert.equal(chips.filter((c) => c.includes('⚠')).length, 1);
});
