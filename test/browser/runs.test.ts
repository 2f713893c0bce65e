/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The Runs tab in headless Chromium: rows, only the settings that differ, sort, filter, compare
 * (differences table, layers side by side with changes marked, scatter), the host requests its
 * buttons make, CSV; screenshots in test-output/screenshots/runs-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Envelope } from '../../src/core/protocol/rpc';
import type { RunRecord } from '../../src/core/run/record';
import { generatedRuns } from './fixtures/runs';
import { buildWebview, launch, loadFixture, openPanel, screenshotPath, serve, type Panel, type Served } from './harness';

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

async function openRuns(runs: RunRecord[], theme: 'dark' | 'light' = 'dark'): Promise<Panel> {
  const p = await openPanel(browser, served.origin, { theme, fixture: { ...fx, state: { ...fx.state, runs, view: 'runs' } } });
  await p.page.waitForSelector('.runs-table tbody tr');
  return p;
}

const rowIds = (p: Panel) => p.page.$$eval('.runs-table tbody tr', (rs) => rs.map((r) => (r as HTMLElement).dataset.run));

describe('Runs tab', () => {
  test('one row per run, newest first; only the settings that differ; sort by a result; filter', async () => {
    const runs = generatedRuns(fx.state.model, fx.state.file, 8);
    runs[2]!.label = 'wide dense';
    runs[2]!.note = 'tried 256 units';
    const p = await openRuns(runs);
    assert.deepEqual(await rowIds(p), runs.map((r) => r.id).reverse());
    const heads = await p.page.$$eval('.runs-table thead th', (ths) => ths.map((t) => t.textContent!.replace(/ [▲▼]$/, '')));
    assert.deepEqual(heads.filter(Boolean), ['#', 'run', 'status', 'changes since the previous run', 'batch', 'lr', 'seed', 'test acc', 'test loss', 'best val acc', 'samples/s', 'duration s']);
    assert.match(await p.page.textContent('.runs-view .status') ?? '', /8 of 8 run\(s\) · 9 setting\(s\) the same in every run hidden/);
    // The 7th run (index 6) changed the first Dense layer from 512 to 256 units; the 8th changed it back.
    // Totals: 1,676,266 − (3136·512+512) − 5,130 + (3136·256+256) + 2,570 = 870,634.
    const change = (id: string) => p.page.textContent(`tr[data-run="${id}"] td.col-changes`);
    assert.equal(await change('gen-0000'), 'first run');
    assert.equal(await change('gen-0001'), 'same model');
    assert.match((await change('gen-0006'))!, /^~dense units 512→256 · ~dense_1 params 5130→2570 · params 1\.68 M → 871 k$/); // three significant figures, as everywhere in the panel
    assert.equal(await p.page.textContent('tr[data-run="gen-0002"] td.col-name'), 'wide densetried 256 units');
    await p.page.click('input[data-role="all-columns"]');
    assert.ok((await p.page.$$('.runs-table thead th')).length > 15, 'every setting shown');
    await p.page.click('input[data-role="all-columns"]');
    // Sort by test accuracy (descending first): cancelled runs (no test) last.
    await p.page.click('button[data-sort="testAcc"]');
    const accs = await p.page.$$eval('.runs-table tbody td.col-testAcc', (tds) => tds.map((t) => t.textContent));
    const nums = accs.filter((a) => a !== '–').map(Number);
    assert.deepEqual(nums, [...nums].sort((a, b) => b - a));
    await p.page.fill('input[data-role="filter"]', '0.003');
    assert.deepEqual(await rowIds(p), runs.filter((r) => r.settings.learningRate === 3e-3).sort((a, b) => b.test!.acc - a.test!.acc).map((r) => r.id));
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });

  test('compare two ticked runs: differences, layers side by side with the change marked, scatter; screenshots', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const runs = generatedRuns(fx.state.model, fx.state.file, 12);
      const p = await openRuns(runs, theme);
      await p.page.check('input[data-select="gen-0005"]');
      await p.page.check('input[data-select="gen-0006"]');
      const diff = await p.page.$$eval('table[data-role="differences"] tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent)));
      assert.deepEqual(diff.find((r) => r[0] === 'lr'), ['lr', '0.003', '0.001']);
      assert.deepEqual(diff.find((r) => r[0] === 'batch'), ['batch', '128', '64']);
      assert.match(diff.find((r) => r[0]!.startsWith('model'))![2]!, /~dense units 512→256/);
      const marks = await p.page.$$eval('.layer-list li.changed', (ls) => ls.map((l) => `${(l.parentElement as HTMLElement).dataset.side}:${(l as HTMLElement).dataset.layer}`));
      assert.deepEqual(marks, ['from:dense', 'from:dense_1', 'to:dense', 'to:dense_1']);
      assert.equal(await p.page.$$eval('svg.runs-scatter circle.pt', (c) => c.length), 11, 'every run with a test accuracy (one was cancelled)');
      assert.equal(await p.page.$$eval('svg.runs-scatter circle.picked', (c) => c.length), 2);
      await p.page.screenshot({ path: screenshotPath(`runs-${theme}.png`), fullPage: true });
      await p.page.context().close();
    }
  });

  test('row buttons ask the host (pin, rename, note, delete, code, restore); CSV of the listed runs', async () => {
    const runs = generatedRuns(fx.state.model, fx.state.file, 3);
    delete runs[0]!.sourceSnapshot;
    const p = await openRuns(runs);
    assert.equal(await p.page.$$eval('tr[data-run="gen-0000"] button[data-action="openCode"]', (b) => b.length), 0, 'no code kept: no Code button');
    for (const action of ['pin', 'rename', 'note', 'delete', 'openCode', 'restore']) {
      await p.page.click(`tr[data-run="gen-0001"] [data-action="${action}"]`);
      const req = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'runAction' && (m.params as { action: string }).action === action)) as Extract<Envelope, { rpc: 'req' }>;
      assert.deepEqual(req.params, { runId: 'gen-0001', action });
    }
    await p.page.click('[data-action="export-runs-csv"]');
    const req = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'exportFile')) as Extract<Envelope, { rpc: 'req' }>;
    const csv = (req.params as { content: string; suggestedName: string }).content.trim().split('\n');
    assert.equal((req.params as { suggestedName: string }).suggestedName, 'Basic_CNN-runs.csv');
    assert.equal(csv[0], 'n,id,label,status,started,changes,epochs,batchSize,optimizer,learningRate,dataset,limit,testLimit,validationSplit,shuffle,seed,callbacks,backend,testAcc,testLoss,bestValAcc,samplesPerSec,durationSec,note');
    assert.equal(csv.length, 4);
    assert.match(csv[1]!, /^3,gen-0002,,completed,2026-11-01T08:02:00.000Z,same model,1,64,Adam,0.003,mnist,2560,,,,3,,wasm,/);
    await p.page.context().close();
  });
});
