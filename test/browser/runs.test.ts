/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The Runs tab in headless Chromium: rows, only the settings that differ, sort, filter, compare
 * (curves overlaid, differences table, the two graphs side by side with changed layers marked, scatter), the host requests its
 * buttons make, CSV; screenshots in test-output/screenshots/runs-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Envelope } from '../../src/core/protocol/rpc';
import type { RunRecord } from '../../src/core/run/record';
import { generatedRuns, withoutLayer } from './fixtures/runs';
import { OVERLAID_RUNS, packRuns } from '../../src/core/run/shared-models';
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
    assert.deepEqual(heads.filter(Boolean), ['#', 'run', 'status', 'test acc', 'test loss', 'best val acc', 'changes since the previous run', 'batch', 'lr', 'seed', 'samples/s', 'duration s']);
    assert.match(await p.page.textContent('.runs-view .status') ?? '', /8 of 8 run\(s\) · 10 setting\(s\) the same in every run hidden/);
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
    // The best of each result among the listed runs is marked: one test accuracy cell (the highest),
    // the lowest test loss; with the filter, the best of what is listed.
    const marked = async (col: string) =>
      p.page.$$eval(`.runs-table tbody td.col-${col}.best`, (tds) => tds.map((t) => ({ run: (t.closest('tr') as HTMLElement).dataset.run, text: t.textContent })));
    const bestOf = (list: RunRecord[], pick: (r: RunRecord) => number | undefined, higher: boolean) => {
      const vals = list.map(pick).filter((v): v is number => v !== undefined);
      const b = higher ? Math.max(...vals) : Math.min(...vals);
      return list.filter((r) => pick(r) === b).map((r) => r.id).sort();
    };
    assert.deepEqual((await marked('testAcc')).map((m) => m.run).sort(), bestOf(runs, (r) => r.test?.acc, true));
    assert.deepEqual((await marked('testLoss')).map((m) => m.run).sort(), bestOf(runs, (r) => r.test?.loss, false));
    assert.equal((await marked('testAcc')).length, 1);
    await p.page.fill('input[data-role="filter"]', '0.003');
    const listed = runs.filter((r) => r.settings.learningRate === 3e-3);
    assert.deepEqual(await rowIds(p), [...listed].sort((a, b) => b.test!.acc - a.test!.acc).map((r) => r.id));
    assert.deepEqual((await marked('testAcc')).map((m) => m.run).sort(), bestOf(listed, (r) => r.test?.acc, true));
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });

  test('compare ticked runs: curves overlaid, differences, the two graphs side by side with removed/added/changed layers marked, scatter; screenshots', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const runs = generatedRuns(fx.state.model, fx.state.file, 12);
      // Run #7 (gen-0006) also drops the Dropout before the last Dense; #8 has it back.
      runs[6]!.model = withoutLayer(runs[6]!.model!, 'dropout_2');
      const p = await openRuns(runs, theme);
      await p.page.check('input[data-select="gen-0005"]');
      await p.page.check('input[data-select="gen-0006"]');
      const diff = await p.page.$$eval('table[data-role="differences"] tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent)));
      assert.deepEqual(diff.find((r) => r[0] === 'lr'), ['lr', '0.003', '0.001']);
      assert.deepEqual(diff.find((r) => r[0] === 'batch'), ['batch', '128', '64']);
      assert.match(diff.find((r) => r[0]!.startsWith('model'))![2]!, /~dense units 512→256/);

      // (a) Curves: one loss and one accuracy chart, a smoothed line per ticked run, a key naming them.
      const curves = await p.page.$$eval('svg.compare-curves', (svgs) => svgs.map((s) => ({ metric: (s as SVGElement).dataset.metric, runs: [...s.querySelectorAll('path.series.smooth')].map((l) => (l as SVGElement).dataset.run), d: [...s.querySelectorAll('path.series.smooth')].map((l) => (l.getAttribute('d') ?? '').length) })));
      assert.deepEqual(curves.map((c) => [c.metric, c.runs]), [['loss', ['gen-0005', 'gen-0006']], ['acc', ['gen-0005', 'gen-0006']]]);
      assert.ok(curves.every((c) => c.d.every((n) => n > 100)), 'each line has its 50 points');
      assert.deepEqual(await p.page.$$eval('[data-role="compare-curves"] .run-chip', (cs) => cs.map((c) => (c as HTMLElement).dataset.run)), ['gen-0005', 'gen-0006']);

      // (c) Graphs side by side, drawn by the graph renderer; marks on the right layers.
      const boxes = await p.page.$$eval('svg.compare-graph', (svgs) => svgs.map((s) => { const r = s.getBoundingClientRect(); const f = s.closest('figure')!.getBoundingClientRect(); return { side: (s as SVGElement).dataset.side, x: f.x, y: f.y, w: f.width, h: r.height, svgW: r.width, nodes: s.querySelectorAll('g.node').length }; }));
      assert.deepEqual(boxes.map((b) => b.side), ['from', 'to']);
      assert.equal(boxes[0]!.nodes, 19, 'every layer its own node');
      assert.equal(boxes[1]!.nodes, 18);
      assert.ok(boxes[0]!.x + boxes[0]!.w <= boxes[1]!.x, `left graph ends (${boxes[0]!.x + boxes[0]!.w}) before the right one starts (${boxes[1]!.x})`);
      assert.ok(Math.abs(boxes[0]!.y - boxes[1]!.y) < 2, 'tops aligned');
      // Each box opens at its first marked layer (below the fold of a 19-layer graph), in view.
      const inView = await p.page.$$eval('svg.compare-graph', (svgs) => svgs.map((s) => { const box = s.parentElement!.getBoundingClientRect(); const n = s.querySelector('g.node[data-diff]')!.getBoundingClientRect(); return n.top >= box.top && n.bottom <= box.bottom && s.parentElement!.scrollTop > 0; }));
      assert.deepEqual(inView, [true, true]);
      assert.ok(boxes.every((b) => b.svgW > 150 && b.h > 300), `graphs drawn at a readable size: ${JSON.stringify(boxes)}`);
      const marked = () => p.page.$$eval('svg.compare-graph g.node[data-diff]', (ns) => ns.map((n) => `${(n.closest('svg') as SVGElement).dataset.side}:${(n as SVGElement).dataset.diff}:${(n as SVGElement).dataset.layer}`));
      assert.deepEqual(await marked(), ['from:changed:dense', 'from:removed:dropout_2', 'from:changed:dense_1', 'to:changed:dense', 'to:changed:dense_1']);
      // Marked by colour and by a symbol, and said: the node's label starts with what changed.
      const look = (await p.page.evaluate(`(() => {
        const box = (side, layer) => document.querySelector('svg.compare-graph[data-side="' + side + '"] g.node[data-layer="' + layer + '"]');
        const stroke = (layer) => getComputedStyle(box('from', layer).querySelector('.node-box')).stroke;
        const r = box('from', 'dropout_2').getBoundingClientRect();
        return { removed: stroke('dropout_2'), changed: stroke('dense'), same: stroke('flatten'), symbol: box('from', 'dropout_2').querySelector('.diff-symbol')?.textContent, label: box('to', 'dense').getAttribute('aria-label'), svgLabel: document.querySelector('svg.compare-graph[data-side="from"]').getAttribute('aria-label'), removedBox: { w: r.width, h: r.height } };
      })()`)) as { removed: string; changed: string; same: string; symbol: string; label: string; svgLabel: string; removedBox: { w: number; h: number } };
      assert.equal(new Set([look.removed, look.changed, look.same]).size, 3, `three different strokes: ${JSON.stringify(look)}`);
      assert.equal(look.symbol, '−');
      assert.match(look.label!, /^Changed since run #6 \(was dense\): units 512 → 256/);
      assert.match(look.svgLabel!, /#6 .*: layer graph, 19 layers, 1 removed, 2 changed\./);
      assert.ok(look.removedBox.w > 60 && look.removedBox.h > 30, 'the marked node is drawn at size');
      assert.deepEqual(await p.page.$$eval('.diff-legend li', (ls) => ls.map((l) => l.textContent!.trim())), ['+ added in #7', '− removed from #6', '~ changed (what changed: hover the layer)', 'the same in both']);
      await p.page.screenshot({ path: screenshotPath(`runs-compare-${theme}.png`), fullPage: true });

      // #7 → #8: the Dropout comes back (added on the right), the Dense changes back.
      await p.page.uncheck('input[data-select="gen-0005"]');
      await p.page.check('input[data-select="gen-0007"]');
      assert.deepEqual(await marked(), ['from:changed:dense', 'from:changed:dense_1', 'to:changed:dense', 'to:added:dropout_2', 'to:changed:dense_1']);
      assert.equal(await p.page.$$eval('svg.runs-scatter circle.pt', (c) => c.length), 11, 'every run with a test accuracy (one was cancelled)');
      assert.equal(await p.page.$$eval('svg.runs-scatter circle.picked', (c) => c.length), 2);
      await p.page.screenshot({ path: screenshotPath(`runs-${theme}.png`), fullPage: true });
      assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
      await p.page.context().close();
    }
  });

  test('row buttons ask the host (pin, rename, note, delete, code, restore); Train variants asks the host; CSV of the listed runs', async () => {
    const runs = generatedRuns(fx.state.model, fx.state.file, 3);
    delete runs[0]!.sourceSnapshot;
    const p = await openRuns(runs);
    assert.equal(await p.page.$$eval('tr[data-run="gen-0000"] button[data-action="openCode"]', (b) => b.length), 0, 'no code kept: no Code button');
    for (const action of ['pin', 'rename', 'note', 'delete', 'openCode', 'restore']) {
      await p.page.click(`tr[data-run="gen-0001"] [data-action="${action}"]`);
      const req = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'runAction' && (m.params as { action: string }).action === action)) as Extract<Envelope, { rpc: 'req' }>;
      assert.deepEqual(req.params, { runId: 'gen-0001', action });
    }
    await p.page.click('[data-action="train-variants"]');
    const tv = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'trainVariants')) as Extract<Envelope, { rpc: 'req' }>;
    assert.deepEqual(tv.params, {});
    await p.page.click('[data-action="export-runs-csv"]');
    const req = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'exportFile')) as Extract<Envelope, { rpc: 'req' }>;
    const csv = (req.params as { content: string; suggestedName: string }).content.trim().split('\n');
    assert.equal((req.params as { suggestedName: string }).suggestedName, 'Basic_CNN-runs.csv');
    assert.equal(csv[0], 'n,id,label,status,started,changes,epochs,batchSize,optimizer,learningRate,dataset,limit,testLimit,validationSplit,classWeight,shuffle,seed,callbacks,backend,testAcc,testLoss,bestValAcc,samplesPerSec,durationSec,note');
    assert.equal(csv.length, 4);
    assert.match(csv[1]!, /^3,gen-0002,,completed,2026-11-01T08:02:00.000Z,same model,1,64,Adam,0.003,mnist,2560,,,,,3,,wasm,/);
    await p.page.context().close();
  });

  test('900 px wide: the run columns stay while the rest scrolls; a shade and a "more columns" button say there is more; screenshot', async () => {
    const runs = generatedRuns(fx.state.model, fx.state.file, 12);
    const p = await openPanel(browser, served.origin, { width: 900, height: 700, fixture: { ...fx, state: { ...fx.state, runs, view: 'runs' } } });
    await p.page.waitForSelector('.runs-table tbody tr');
    await p.page.click('input[data-role="all-columns"]');
    const state = () =>
      p.page.evaluate(`(() => {
        const sc = document.querySelector('.runs-scroll');
        const cue = document.querySelector('[data-role="scroll-right"]');
        const cell = (sel) => document.querySelector('tr[data-run="gen-0004"] ' + sel).getBoundingClientRect();
        return { scrollW: sc.scrollWidth, clientW: sc.clientWidth, scrollLeft: sc.scrollLeft, scRight: sc.getBoundingClientRect().right, page: document.documentElement.scrollWidth,
          cue: cue.hidden ? null : cue.textContent, cueBox: cue.getBoundingClientRect().width, shade: sc.parentElement.classList.contains('more-right'),
          name: cell('td.col-name').left, n: cell('td.col-n').left, box: cell('td.sel').left, status: cell('td.col-status').left, dur: cell('td.col-durationSec').right };
      })()`) as Promise<{ scrollW: number; clientW: number; scrollLeft: number; scRight: number; page: number; cue: string | null; cueBox: number; shade: boolean; name: number; n: number; box: number; status: number; dur: number }>;
    const a = await state();
    assert.ok(a.page <= 900, `the page itself does not scroll sideways (${a.page} px)`);
    assert.ok(a.scrollW > a.clientW + 200, `the table is wider than the panel: ${a.scrollW} > ${a.clientW}`);
    assert.ok(a.dur > a.scRight, 'the last column starts out of view');
    assert.match(a.cue ?? '', /^\d+ more columns ›$/);
    assert.ok(a.cueBox > 60 && a.shade, 'the cue is drawn, the shade is on');
    await p.page.screenshot({ path: screenshotPath('runs-900px.png') });
    // The button scrolls right; the run's own columns stay where they were, the others move.
    await p.page.click('[data-role="scroll-right"]');
    await p.page.waitForFunction(() => document.querySelector('.runs-scroll')!.scrollLeft > 100);
    await p.page.evaluate(`document.querySelector('.runs-scroll').scrollLeft = 100000`);
    await p.page.waitForFunction(() => (document.querySelector('[data-role="scroll-right"]') as HTMLElement).hidden);
    const b = await state();
    assert.deepEqual([b.box, b.n, b.name], [a.box, a.n, a.name], 'checkbox, # and run name stay');
    assert.ok(b.status < a.status - 100, 'the other columns moved left');
    assert.ok(b.dur <= b.scRight + 1, 'the last column is in view at the end');
    assert.ok(b.status < b.name || b.status > b.name, 'sanity');
    assert.equal(b.shade, false);
    await p.page.screenshot({ path: screenshotPath('runs-900px-scrolled.png') });
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });

  test('a narrow panel (500 px, beside the editor): the test accuracy is in view; the row actions sit behind "⋯" and work; screenshot', async () => {
    const runs = generatedRuns(fx.state.model, fx.state.file, 4);
    const p = await openPanel(browser, served.origin, { width: 500, height: 700, fixture: { ...fx, state: { ...fx.state, runs, view: 'runs' } } });
    await p.page.waitForSelector('.runs-table tbody tr');
    await p.page.screenshot({ path: screenshotPath('runs-500px.png') });
    const box = (sel: string) => p.page.evaluate(`(() => { const e = document.querySelector(${JSON.stringify(sel)}); if (!e) return null; const r = e.getBoundingClientRect(); const sc = document.querySelector('.runs-scroll').getBoundingClientRect(); return { left: r.left, right: r.right, w: r.width, visible: r.width > 0 && getComputedStyle(e).display !== 'none', scRight: sc.right }; })()`) as Promise<{ left: number; right: number; w: number; visible: boolean; scRight: number } | null>;
    // The number itself (its text, not the cell's padding) ends inside the table's box.
    const acc = (await p.page.evaluate(`(() => { const td = document.querySelector('tr[data-run="gen-0003"] td.col-testAcc'); const r = document.createRange(); r.selectNodeContents(td); const t = r.getBoundingClientRect(); return { text: td.textContent, left: t.left, right: t.right, scRight: document.querySelector('.runs-scroll').getBoundingClientRect().right }; })()`)) as { text: string; left: number; right: number; scRight: number };
    assert.match(acc.text, /^0\.\d{4}$/);
    assert.ok(acc.right <= acc.scRight, `test accuracy in view without scrolling: ${JSON.stringify(acc)}`);
    const links = (await box('tr[data-run="gen-0002"] .links'))!;
    assert.equal(links.visible, false, 'the action links are folded away');
    const more = (await box('tr[data-run="gen-0002"] [data-role="row-menu"]'))!;
    assert.ok(more.visible && more.w > 6, 'the ⋯ button is drawn');
    await p.page.click('tr[data-run="gen-0002"] [data-role="row-menu"]');
    assert.equal(await p.page.getAttribute('tr[data-run="gen-0002"] [data-role="row-menu"]', 'aria-expanded'), 'true');
    assert.equal(await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.action), 'openCode', 'focus moves to the first action');
    await p.page.screenshot({ path: screenshotPath('runs-500px-menu.png') });
    await p.page.click('tr[data-run="gen-0002"] [data-action="restore"]');
    const req = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'runAction')) as Extract<Envelope, { rpc: 'req' }>;
    assert.deepEqual(req.params, { runId: 'gen-0002', action: 'restore' });
    // Another row's ⋯ closes the first; Escape closes it and gives focus back to its button.
    await p.page.click('tr[data-run="gen-0001"] [data-role="row-menu"]');
    assert.equal((await box('tr[data-run="gen-0002"] .links'))!.visible, false);
    assert.equal((await box('tr[data-run="gen-0001"] .links'))!.visible, true);
    await p.page.keyboard.press('Escape');
    assert.equal((await box('tr[data-run="gen-0001"] .links'))!.visible, false);
    assert.equal(await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.role), 'row-menu');
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });

  test('older runs come without their curves: ticking them asks the host for those curves, then draws them', async () => {
    const runs = generatedRuns(fx.state.model, fx.state.file, OVERLAID_RUNS + 4, 120);
    const packed = packRuns(runs, { omitOlderCurves: true });
    assert.deepEqual(packed.curvesOmitted, runs.slice(0, 4).map((r) => r.id));
    const p = await openPanel(browser, served.origin, { fixture: { ...fx, state: { ...fx.state, ...packed, view: 'runs' } } });
    await p.page.waitForSelector('.runs-table tbody tr');
    // A newest run and an older one: only the older one's curve is asked for.
    await p.page.check(`input[data-select="${runs[1]!.id}"]`);
    await p.page.check(`input[data-select="${runs[OVERLAID_RUNS + 3]!.id}"]`);
    const req = (await p.waitForPost((m) => m.rpc === 'req' && m.method === 'runCurves')) as Extract<Envelope, { rpc: 'req' }>;
    assert.deepEqual(req.params, { ids: [runs[1]!.id] });
    assert.match((await p.page.textContent('[data-role="curves-loading"]')) ?? '', /Reading the training curves of 1 run/);
    assert.equal(await p.page.$$eval('svg.compare-curves', (s) => s.length), 0, 'no half-drawn chart meanwhile');
    await p.reply(req.id, { curves: [{ id: runs[1]!.id, batches: runs[1]!.batches }] });
    await p.page.waitForSelector('svg.compare-curves');
    // Both runs drawn, each with its whole curve (as many points as it recorded).
    const paths = await p.page.$$eval('svg.compare-curves[data-metric="loss"] path[data-kind="smooth"]', (ps) => ps.map((e) => `${(e as SVGElement).dataset.run}:${(e as SVGElement).dataset.points}`));
    assert.deepEqual(paths.sort(), [`${runs[1]!.id}:120`, `${runs[OVERLAID_RUNS + 3]!.id}:120`].sort());
    assert.equal(p.requests('runCurves').length, 1, 'asked once');
    assert.deepEqual(p.consoleErrors.filter((e) => !/favicon|404/.test(e)), []);
    await p.page.context().close();
  });
});
