/// <reference lib="dom" />
/**
 * A call that returns several tensors in the built panel (headless Chromium): an edge carries one of
 * them and is labelled with that one's shape — the encoder LSTM's states (512) into the decoder, the
 * decoder's sequence (?×512) into its Dense — never the whole list. The model comes from the reader
 * (a Keras 3 seq2seq with its printed summary, test/unit/fixtures/published/keras3_seq2seq_masked.py).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
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

test("edges from an LSTM with return_state=True are labelled with the output each carries; the nodes show all three", async () => {
  const file = 'test/unit/fixtures/published/keras3_seq2seq_masked.py';
  const model = readModel(file, fs.readFileSync(path.join(root, file), 'utf8')).models[0]!;
  const p = await openPanel(browser, served.origin, { fixture: fx, savedState: { everyLayer: true, groupRepeats: false } });
  await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
  await p.emit('model', { model });
  await p.page.waitForSelector('g.node[data-layer="decoder_lstm"]');
  await p.page.waitForTimeout(300);
  const labels = await p.page.$$eval('g.edge', (es) => es.map((e) => [(e as SVGGElement).dataset.from, (e as SVGGElement).dataset.to, e.querySelector('.edge-label')?.textContent ?? '']));
  const into = (from: string, to: string) => labels.filter(([f, t]) => f === from && t === to).map(([, , l]) => l);
  assert.deepEqual(into('encoder_lstm', 'decoder_lstm'), ['512', '512'], JSON.stringify(labels));
  assert.deepEqual(into('decoder_lstm', 'decoder_dense'), ['?×512'], JSON.stringify(labels));
  const node = await p.page.textContent('g.node[data-layer="encoder_lstm"]');
  assert.match(node ?? '', /\[512, 512, 512\]/);
  await p.page.screenshot({ path: screenshotPath('multi-output-seq2seq.png') });
});
