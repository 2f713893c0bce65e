/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The panel adapts to what the model takes: colour images (RGB thumbnails, any size, non-square
 * kept non-square), and token sequences (no canvas: the tokens, and per-step outputs in Layers
 * see). The Draw canvas is only for single-channel image models; otherwise a note says why.
 * Measures what the user sees (sizes, visibility, pixels) and saves screenshots.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { readModel } from '../../src/core/read-model';
import type { ModelIR } from '../../src/core/model/ir';
import type { ActivationsResult, SampleBatch } from '../../src/core/protocol/worker';
import { buildWebview, launch, loadFixture, openPanel, root, screenshotPath, serve, type Panel, type Served } from './harness';
import type { PanelFixture } from './fixtures/types';

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

function modelOf(file: string, text = fs.readFileSync(path.join(root, file), 'utf8')): ModelIR {
  return readModel(path.join(root, file), text).models[0]!;
}

/** Colour samples: class c is a flat colour (red, green, blue…) with a white top-left pixel. */
function colourSamples(n: number, h: number, w: number): SampleBatch {
  const colours = [[220, 30, 30], [30, 200, 30], [30, 30, 220]];
  const images = new Uint8Array(n * h * w * 3);
  for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) images.set(p === 0 ? [255, 255, 255] : colours[i % 3]!, (i * h * w + p) * 3);
  const probs = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) probs[i * 10 + (i % 3)] = 1;
  return { start: 0, count: n, images, width: w, height: h, channels: 3, labels: Uint8Array.from({ length: n }, (_, i) => i % 3), numClasses: 10, probs };
}

function tokenSamples(n: number, t: number): SampleBatch {
  const values = Float32Array.from({ length: n * t }, (_, i) => (i % t < t - 20 ? 0 : 100 + ((i * 37) % 19000)));
  return { start: 0, count: n, images: new Uint8Array(0), width: 0, height: 0, labels: Uint8Array.from({ length: n }, (_, i) => i % 2), numClasses: 2, values, sampleShape: [t], tokens: true, probs: Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 ? 0.7 : 0.3)) };
}

function fixture(model: ModelIR, samples: SampleBatch, activations: ActivationsResult): PanelFixture {
  return { ...base, state: { ...base.state, model }, samples, activations };
}

async function open(fx: PanelFixture, view: string): Promise<Panel> {
  const p = await openPanel(browser, served.origin, { fixture: fx, theme: 'dark' });
  await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
  await p.page.click(`vscode-tab-header[data-view="${view}"]`);
  await p.page.waitForFunction((v) => document.body.dataset.view === v, view);
  return p;
}

const box = (p: Panel, sel: string) => p.page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return { w: Math.round(r.width), h: Math.round(r.height) }; });

describe('panel inputs beyond 28×28 digits', () => {
  const cifar = modelOf('examples/catalog/cifar_resnet.py');
  const rgbAct: ActivationsResult = {
    input: { width: 32, height: 32, data: new Uint8Array(1024).fill(80) },
    color: { width: 32, height: 32, rgb: colourSamples(1, 32, 32).images },
    layers: [{ layer: 'conv2d', type: 'Conv2D', shape: [32, 32, 2], data: Float32Array.from({ length: 2048 }, (_, i) => Math.sin(i)) }],
  };

  test('CIFAR (32×32×3): colour thumbnails in Predictions; Draw hidden with a note; Layers see shows the input in colour, no "Use my drawing"', async () => {
    const p = await open(fixture(cifar, colourSamples(12, 32, 32), rgbAct), 'predictions');
    await p.page.waitForSelector('.sample-grid .sample canvas.digit');
    const thumb = await p.page.$eval('.sample-grid .sample canvas.digit', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      return { w: cv.width, h: cv.height, corner: [d[0], d[1], d[2]], mid: [d[4 * 40], d[4 * 40 + 1], d[4 * 40 + 2]] };
    });
    assert.deepEqual([thumb.w, thumb.h], [32, 32]);
    assert.deepEqual(thumb.mid, [220, 30, 30], 'sample 0 is red: the thumbnail is in colour');
    assert.deepEqual(thumb.corner, [255, 255, 255]);
    assert.deepEqual(await box(p, '.sample-grid .sample canvas.digit'), { w: 56, h: 56 });
    await p.page.screenshot({ path: screenshotPath('inputs-cifar-predictions.png') });

    await p.page.click('vscode-tab-header[data-view="draw"]');
    await p.page.waitForFunction(() => document.body.dataset.view === 'draw');
    assert.equal(await p.page.isVisible('canvas.draw-canvas'), false, 'no canvas for a colour model');
    assert.equal(await p.page.isVisible('.no-draw-note'), true);
    assert.match(await p.page.textContent('.no-draw-note') ?? '', /32×32 colour images \(3 channels\).*single-channel/);
    await p.page.screenshot({ path: screenshotPath('inputs-cifar-draw.png') });

    await p.page.click('vscode-tab-header[data-view="layers"]');
    await p.page.waitForSelector('.input-block canvas.digit');
    assert.equal(await p.page.isVisible('vscode-button[data-action="use-drawing"]'), false);
    const input = await p.page.$eval('.input-block canvas.digit', (c) => { const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(5, 5, 1, 1).data; return [d[0], d[1], d[2]]; });
    assert.deepEqual(input, [220, 30, 30]);
    assert.deepEqual(await box(p, '.input-block canvas.digit'), { w: 112, h: 112 });
    await p.page.context().close();
  });

  test('a non-square colour input (24×40×3) stays non-square: thumbnails 56×34, feature maps 56×34', async () => {
    const wide = modelOf('wide.py', `import keras\nm = keras.Sequential([keras.Input((24, 40, 3)), keras.layers.Conv2D(4, 3, padding='same'), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10, activation='softmax')])\nm.compile('adam', 'sparse_categorical_crossentropy')\n`);
    const act: ActivationsResult = { input: { width: 40, height: 24, data: new Uint8Array(960) }, color: { width: 40, height: 24, rgb: colourSamples(1, 24, 40).images }, layers: [{ layer: 'conv2d', type: 'Conv2D', shape: [24, 40, 4], data: Float32Array.from({ length: 3840 }, (_, i) => i % 7) }] };
    const p = await open(fixture(wide, colourSamples(6, 24, 40), act), 'predictions');
    await p.page.waitForSelector('.sample-grid .sample canvas.digit');
    assert.deepEqual(await box(p, '.sample-grid .sample canvas.digit'), { w: 56, h: 34 });
    await p.page.click('vscode-tab-header[data-view="layers"]');
    await p.page.waitForSelector('.layer-block[data-layer="conv2d"] canvas.fmap');
    assert.deepEqual(await box(p, '.layer-block[data-layer="conv2d"] canvas.fmap'), { w: 56, h: 34 });
    assert.deepEqual(await box(p, '.input-block canvas.digit'), { w: 112, h: 67 });
    await p.page.screenshot({ path: screenshotPath('inputs-wide-layers.png') });
    await p.page.context().close();
  });

  test('text model (200 token ids): cards show tokens and no canvas; Draw hidden with a note; Layers see shows per-step outputs', async () => {
    const text = modelOf('examples/catalog/text_classifier.py');
    const samples = tokenSamples(8, 200);
    const row = Array.from(samples.values!.subarray(0, 200));
    assert.equal(row[179], 0);
    const act: ActivationsResult = {
      input: { width: 0, height: 0, data: new Uint8Array(0) },
      sample: { shape: [200], values: row, tokens: true, vocabulary: Array.from({ length: 20000 }, (_, i) => `word${i}`) },
      layers: [
        { layer: 'embedding', type: 'Embedding', shape: [200, 64], data: Float32Array.from({ length: 200 * 64 }, (_, i) => Math.sin(i / 7)) },
        { layer: 'lstm', type: 'LSTM', shape: [32], data: Float32Array.from({ length: 32 }, (_, i) => i / 32) },
      ],
    };
    const p = await open(fixture(text, samples, act), 'predictions');
    await p.page.waitForSelector('.sample-grid .sample .sample-values');
    assert.equal(await p.page.$$eval('.sample-grid canvas', (c) => c.length), 0, 'no canvas for a text model');
    const card = await p.page.$eval('.sample-grid .sample .sample-values', (e) => ({ kind: e.querySelector('.values-kind')!.textContent, code: e.querySelector('code')!.textContent, n: (e as HTMLElement).dataset.values }));
    // 180 leading zeros are padding: the card shows the 20 tokens.
    assert.equal(card.kind, '20 token ids (+180 padding)');
    assert.equal(card.n, '200');
    assert.equal(card.code, row.slice(180).join(' '));
    const cardBox = await box(p, '.sample-grid .sample');
    assert.ok(cardBox.h < 200, `card height ${cardBox.h}`);
    await p.page.screenshot({ path: screenshotPath('inputs-text-predictions.png') });

    await p.page.click('vscode-tab-header[data-view="draw"]');
    await p.page.waitForFunction(() => document.body.dataset.view === 'draw');
    assert.equal(await p.page.isVisible('canvas.draw-canvas'), false);
    assert.match(await p.page.textContent('.no-draw-note') ?? '', /token ids \(200 per sample\)/);

    await p.page.click('vscode-tab-header[data-view="layers"]');
    await p.page.waitForSelector('.layer-block.steps canvas.step-map');
    const steps = await p.page.$eval('.layer-block.steps', (b) => ({ layer: (b as HTMLElement).dataset.layer, steps: (b as HTMLElement).dataset.steps, w: (b.querySelector('canvas') as HTMLCanvasElement).width, h: (b.querySelector('canvas') as HTMLCanvasElement).height }));
    assert.deepEqual(steps, { layer: 'embedding', steps: '200', w: 64, h: 200 });
    const stepBox = await box(p, '.layer-block.steps canvas.step-map');
    assert.ok(stepBox.h >= 300 && stepBox.w >= 90, `per-step map shown at ${stepBox.w}×${stepBox.h}`);
    // With a vocabulary, the input reads as words.
    assert.match(await p.page.textContent('.input-block') ?? '', /20 tokens \(\+180 padding\)/);
    assert.match(await p.page.textContent('.input-block code') ?? '', new RegExp(`^word${row[180]} word${row[181]} `));
    assert.equal(await p.page.$$eval('.input-block canvas', (c) => c.length), 0);
    await p.page.screenshot({ path: screenshotPath('inputs-text-layers.png'), fullPage: true });
    await p.page.context().close();
  });

  test('a single-channel image model keeps the Draw canvas (no note)', async () => {
    const p = await open(base, 'draw');
    assert.equal(await p.page.isVisible('canvas.draw-canvas'), true);
    assert.equal(await p.page.isVisible('.no-draw-note'), false);
    assert.deepEqual(await box(p, 'canvas.draw-canvas'), { w: 282, h: 282 });
    await p.page.context().close();
  });
});
