/**
 * The Runs tab with 1,000 runs (target: opens in < 0.5 s), in headless Chromium (noisy: 2 shared
 * cores). Measured in the page: from the `state` message with 1,000 generated runs (50 batch points
 * each, every 7th a changed model) to the table's 1,000 rows drawn, the Runs tab already selected.
 * Also: reading 1,000 run folders from disk (run.json checked) as `model-lens runs` and the editor do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listRuns, writeRunRecord } from '../src/core/run/store';
import { generatedRuns } from '../test/browser/fixtures/runs';
import { buildWebview, launch, loadFixture, openPanel, root, serve } from '../test/browser/harness';

async function main(): Promise<void> {
  const fx = loadFixture();
  const runs = generatedRuns(fx.state.model, fx.state.file, 1000);

  // 1. Disk: write 1,000 run folders, then list them (parse + validate each run.json).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-runs-bench-'));
  try {
    for (const r of runs) writeRunRecord(path.join(dir, r.id), r);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const n = listRuns(dir).length;
      times.push(performance.now() - t0);
      if (n !== 1000) throw new Error(`listed ${n} runs`);
    }
    console.log(`listRuns of 1,000 run folders: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // 2. The panel: state → 1,000 rows.
  const served = await serve(await buildWebview(path.join(root, 'test-output/bench-build'), true));
  const browser = await launch();
  try {
    const results: number[] = [];
    const firsts: number[] = [];
    for (let round = 0; round < 3; round++) {
      const p = await openPanel(browser, served.origin, { fixture: fx, sendStateOnReady: false, savedState: { view: 'runs' } });
      await p.waitForPost((m) => m.rpc === 'evt' && m.event === 'ready');
      await p.page.evaluate(`(() => {
        window.__rowsAt = 0;
        window.__firstAt = 0;
        window.__t0 = 0;
        // When the panel receives the message (capture: before the panel's own listener).
        window.addEventListener('message', () => { if (!window.__t0) window.__t0 = performance.now(); }, { capture: true });
        const obs = new MutationObserver(() => {
          const n = document.querySelectorAll('.runs-table tbody tr').length;
          if (n > 0 && !window.__firstAt) {
            window.__firstAt = -1;
            requestAnimationFrame(() => { window.__firstAt = performance.now(); });
          }
          if (n >= 1000 && !window.__rowsAt) {
            requestAnimationFrame(() => { window.__rowsAt = performance.now(); });
            obs.disconnect();
          }
        });
        obs.observe(document.body, { childList: true, subtree: true });
      })()`);
      await p.emit('state', { ...fx.state, runs, view: 'runs' });
      await p.page.waitForFunction(() => (window as unknown as { __rowsAt: number }).__rowsAt > 0, undefined, { timeout: 30_000 });
      const [t0, first, at] = (await p.page.evaluate('[window.__t0, window.__firstAt, window.__rowsAt]')) as [number, number, number];
      firsts.push(first - t0);
      results.push(at - t0);
      await p.page.context().close();
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    console.log(`runs table, 1,000 runs: state message received → table open (first rows painted): ${firsts.map((r) => r.toFixed(0)).join(', ')} ms (median ${med(firsts).toFixed(0)} ms; target < 500 ms)`);
    console.log(`  → all 1,000 rows in the table (appended in chunks between frames): ${results.map((r) => r.toFixed(0)).join(', ')} ms (median ${med(results).toFixed(0)} ms)`);
    if (med(firsts) >= 500) console.log('WARNING: over the 0.5 s target');
  } finally {
    await browser.close();
    await served.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
