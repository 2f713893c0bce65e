/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A model with a layer TF.js cannot build (here Lambda) in the panel: its graph is drawn, the header
 * badge says it cannot train here and names the layer type (the tooltip says why), and the Training
 * tab says which layer and why instead of "use the Train lens".
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
