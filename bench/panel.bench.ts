/**
 * Panel speed in headless Chromium (noisy: 2 shared cores):
 *  - layout (dagre) + SVG render of a generated 300-layer residual graph (target < 1 s);
 *  - the whole panel receiving that model in its `state` until the graph is drawn;
 *  - frames while a run streams 600 batch events at ~240 events/s (redraws throttled to rAF).
 */
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { makeNonce } from '../src/core/panel-html';
import { buildWebview, launch, loadFixture, openPanel, root, serve } from '../test/browser/harness';
import { residualNet } from '../test/browser/fixtures/models';

async function main(): Promise<void> {
  const dir = await buildWebview(path.join(root, 'test-output/bench-build'), true);
  await esbuild.build({ absWorkingDir: root, bundle: true, minify: true, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: { 'bench-graph': 'bench/panel-page.ts' }, outdir: dir, logLevel: 'warning' });
  fs.copyFileSync(path.join(dir, 'webview.css'), path.join(dir, 'bench.css'));
  const served = await serve(dir, {
    '/bench': (origin) => {
      const nonce = makeNonce();
      return `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin}"><link rel="stylesheet" href="${origin}/bench.css"></head><body><div id="app" style="width:1200px;height:800px"></div><script nonce="${nonce}" src="${origin}/bench-graph.js"></script></body></html>`;
    },
  });
  const browser = await launch();
  try {
    const model = residualNet(300);
    // 1. Layout + render alone, a few rounds (first includes JIT warm-up).
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${served.origin}/bench`);
    const rounds = [];
    for (let i = 0; i < 5; i++) rounds.push(await page.evaluate((json) => window.benchGraph(JSON.parse(json) as Parameters<Window["benchGraph"]>[0]), JSON.stringify(model)));
    console.log(`rounds (painted ms): ${rounds.map((r) => r.paintMs.toFixed(0)).join(', ')}`);
    await page.close();
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const r0 = rounds[0]!;
    console.log(`graph of ${r0.nodes} layers, ${r0.edges} edges (residual blocks with Add skip connections)`);
    console.log(`  first run:  layout ${r0.layoutMs.toFixed(0)} ms + render ${r0.renderMs.toFixed(0)} ms = ${r0.paintMs.toFixed(0)} ms to painted`);
    console.log(`  median of ${rounds.length}: layout ${med(rounds.map((r) => r.layoutMs)).toFixed(0)} ms, render ${med(rounds.map((r) => r.renderMs)).toFixed(0)} ms, painted ${med(rounds.map((r) => r.paintMs)).toFixed(0)} ms (target < 1000 ms)`);

    // 2. The whole panel: state with the 300-layer model → graph drawn.
    const fx = loadFixture();
    const big = { ...fx, state: { ...fx.state, model } };
    const t0 = Date.now();
    const p = await openPanel(browser, served.origin, { fixture: big });
    await p.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    const n = await p.page.$$eval('svg.graph g.node', (ns) => ns.length);
    console.log(`panel: page load → ${n}-node graph and shape flow drawn in ${Date.now() - t0} ms`);
    await p.page.context().close();

    // 3. Frames while a run streams, Training view visible.
    const q = await openPanel(browser, served.origin, { fixture: fx });
    await q.page.waitForSelector('svg.graph g.node', { state: 'attached' });
    await q.page.click('vscode-tab-header[data-view="training"]');
    await q.page.waitForSelector('svg.line-chart');
    const runId = fx.state.runs[1]!.id;
    const from = fx.state.runs[1]!.batches.length;
    // (A string, so the TypeScript loader adds no helpers to code that runs in the page.)
    await q.page.evaluate(`(() => {
      window.__frames = [];
      const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const N = 600;
    const started = Date.now();
    for (let i = 1; i <= N; i++) {
      await q.emit('runBatch', { runId, epoch: 1, epochs: 20, batch: from + i, batchesPerEpoch: 938, step: from + i, loss: 0.5 / Math.sqrt(i), acc: 1 - 0.5 / Math.sqrt(i), samplesPerSec: 200, etaSec: 100, progress: i / N });
      if (i % 4 === 0) await new Promise((r) => setTimeout(r, 16));
    }
    const seconds = (Date.now() - started) / 1000;
    const points = await q.page.$eval(`path.series[data-run="${runId}"][data-kind="smooth"]`, (e) => Number(e.getAttribute('data-points')));
    const frames = (await q.page.evaluate('window.__frames')) as number[];
    const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
    gaps.sort((a, b) => a - b);
    const p95 = gaps[Math.floor(gaps.length * 0.95)] ?? 0;
    console.log(`streaming: ${N} batch events in ${seconds.toFixed(1)} s (${(N / seconds).toFixed(0)}/s); curve has ${points} points`);
    console.log(`  frames: ${frames.length} (${(frames.length / seconds).toFixed(0)} fps), median gap ${(gaps[Math.floor(gaps.length / 2)] ?? 0).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, worst ${(gaps.at(-1) ?? 0).toFixed(1)} ms`);
    await q.page.context().close();
    const worst = med(rounds.map((r) => r.paintMs));
    if (worst >= 1000) console.log('WARNING: 300-layer layout + render is over the 1 s target');
  } finally {
    await browser.close();
    await served.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
