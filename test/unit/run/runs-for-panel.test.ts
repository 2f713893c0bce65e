/** Reading 1,000 runs for a runs table: the host's listing cache and the packed panel message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModelIR } from '../../../src/core/model/ir';
import type { RunRecord } from '../../../src/core/run/record';
import { OVERLAID_RUNS, packRuns, unpackRuns } from '../../../src/core/run/shared-models';
import { curveDeferred, listRuns, RunListCache, writeRunRecord } from '../../../src/core/run/store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-runlist-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function model(units: number): ModelIR {
  return {
    name: 'm',
    format: 'sequential',
    layers: [{ name: 'dense', type: 'Dense', config: { units }, inputs: [], outputShape: [null, units], params: 10 * units + units, trainableParams: 10 * units + units }],
    inputs: [],
    outputs: [],
    totalParams: 11 * units,
    trainableParams: 11 * units,
    training: {},
    diagnostics: [],
  } as unknown as ModelIR;
}

function run(i: number, over: Partial<RunRecord> = {}): RunRecord {
  return { id: `r${i}`, modelName: 'm', modelFile: '/w/m.py', modelHash: 'h1', status: 'completed', startedAt: `2026-12-01T10:00:0${i}.000Z`, settings: { epochs: 1, batchSize: 64, dataset: 'mnist' }, batches: [], epochs: [], ...over };
}

test('packRuns sends each distinct model once and unpackRuns gives every run its model back', () => {
  const a = model(64);
  const b = model(128);
  // Three runs of one file version (three equal copies, as read from three run.json files), one of another, one without a model.
  const runs = [run(1, { model: structuredClone(a) }), run(2, { model: structuredClone(a) }), run(3, { model: b, modelHash: 'h2' }), run(4), run(5, { model: structuredClone(a) })];
  const p = packRuns(runs);
  assert.equal(p.runModels.length, 2);
  assert.deepEqual(p.runModelOf, [0, 0, 1, -1, 0]);
  assert.ok(p.runs.every((r) => !('model' in r)));
  const back = unpackRuns(JSON.parse(JSON.stringify(p)) as typeof p);
  assert.deepEqual(back, runs);
  assert.equal(back[0]!.model, back[1]!.model, 'runs of one model share one object after unpacking');
  assert.equal(back[3]!.model, undefined);
});

test('packRuns keeps two models apart when the same file text was read differently (layer count or parameters differ)', () => {
  const p = packRuns([run(1, { model: model(64) }), run(2, { model: model(32) })]);
  assert.equal(p.runModels.length, 2, 'same modelHash, different parameters: two models');
  assert.deepEqual(p.runModelOf, [0, 1]);
});

const curve = (n: number) => Array.from({ length: n }, (_, i) => ({ step: i + 1, epoch: 1 + Math.floor(i / 938), loss: 2 / (i + 1), acc: i / n }));
const twoEpochs = [{ epoch: 1, loss: 0.3, acc: 0.9, durationMs: 1000 }, { epoch: 2, loss: 0.2, acc: 0.93, valAcc: 0.91, durationMs: 1000 }];

test('packRuns with omitOlderCurves: the newest runs keep their curves, older ones go without (named), everything else kept; the caller\'s runs unchanged', () => {
  const runs = Array.from({ length: OVERLAID_RUNS + 3 }, (_, i) => run(i, { batches: curve(1876), epochs: twoEpochs, model: model(64) }));
  const p = packRuns(runs, { omitOlderCurves: true });
  assert.deepEqual(p.runs.map((r) => r.batches.length), [0, 0, 0, ...Array(OVERLAID_RUNS).fill(1876)]);
  assert.deepEqual(p.curvesOmitted, ['r0', 'r1', 'r2']);
  assert.deepEqual(p.runs[1]!.epochs, twoEpochs);
  const { model: _m, batches: _b, ...kept } = runs[1]!;
  assert.deepEqual({ ...p.runs[1]!, batches: undefined }, { ...kept, batches: undefined });
  assert.ok(!('model' in p.runs[1]!));
  assert.equal(runs[1]!.batches.length, 1876);
  const all = packRuns(runs);
  assert.equal(all.curvesOmitted, undefined);
  assert.deepEqual(all.runs.map((r) => r.batches.length), runs.map(() => 1876), 'without the option every curve is sent');
});

test('run.json: curve before the model; a listing for the host leaves each curve unparsed until read, and packing never reads an older one', () => {
  const root = path.join(tmp, 'lazy');
  const runs = Array.from({ length: OVERLAID_RUNS + 2 }, (_, i) => run(i, { batches: curve(938), epochs: twoEpochs, model: model(64) }));
  for (const r of runs) writeRunRecord(path.join(root, r.id), r);
  const text = fs.readFileSync(path.join(root, 'r0', 'run.json'), 'utf8');
  assert.ok(text.indexOf(',"epochs":[') < text.indexOf(',"batches":') && text.indexOf(',"batches":') < text.indexOf(',"model":'), 'small fields, then the curve, then the model');
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(runs[0])), 'still one JSON object with every field');
  const listed = new RunListCache().list(root).reverse();
  assert.ok(listed.every((r) => curveDeferred(r)), 'no curve parsed by the listing');
  const p = packRuns(listed, { omitOlderCurves: true });
  assert.deepEqual(listed.map((r) => curveDeferred(r)), [true, true, ...Array(OVERLAID_RUNS).fill(false)], 'only the curves sent were parsed');
  assert.deepEqual(listed[0]!.batches, runs[0]!.batches, 'read when asked: the same points');
  assert.equal(curveDeferred(listed[0]!), false);
  assert.equal(p.runs[0]!.batches.length, 0);
  // The listing without the cache (CLI) reads everything at once, the same.
  assert.deepEqual(listRuns(root).reverse().map((r) => r.batches), runs.map((r) => r.batches));
});

test('a bad curve read lazily is reported (naming the file) and read as no points; a file of the older layout (curve mid-record) is read whole', () => {
  const root = path.join(tmp, 'lazy-bad');
  writeRunRecord(path.join(root, 'r1'), run(1, { batches: curve(10), epochs: twoEpochs, model: model(64) }));
  const file = path.join(root, 'r1', 'run.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"loss":2,', '"loss":"two",'));
  const problems: string[] = [];
  const [r] = new RunListCache().list(root, (e) => problems.push(e.message));
  assert.equal(problems.length, 0, 'the listing itself is fine');
  assert.deepEqual(r!.epochs, twoEpochs);
  assert.deepEqual(r!.batches, []);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /r1[\\/]run\.json/);
  assert.match(problems[0]!, /batches\[0\]\.loss/);
  // The older layout: batches right after settings, then epochs and the rest, model last.
  const old = path.join(root, 'r2');
  fs.mkdirSync(old);
  const rec = run(2, { batches: curve(5), epochs: twoEpochs, model: model(64) });
  const { model: m, ...rest } = rec;
  fs.writeFileSync(path.join(old, 'run.json'), `${JSON.stringify(rest).slice(0, -1)},"model":${JSON.stringify(m)}}`);
  const oldText = fs.readFileSync(path.join(old, 'run.json'), 'utf8');
  assert.ok(oldText.indexOf(',"batches":') < oldText.indexOf(',"epochs":['), 'the curve before the epochs, as older versions wrote it');
  const again = new RunListCache().list(root).find((x) => x.id === 'r2')!;
  assert.deepEqual(again.batches, rec.batches);
  assert.deepEqual(again.epochs, twoEpochs);
  assert.equal(curveDeferred(again), false);
});

test('RunListCache reads a run folder again only when its run.json (or its weights) changed, and reports a bad file every time', () => {
  const root = path.join(tmp, 'runs');
  for (const i of [1, 2, 3]) writeRunRecord(path.join(root, `r${i}`), run(i));
  fs.mkdirSync(path.join(root, 'bad'));
  fs.writeFileSync(path.join(root, 'bad', 'run.json'), '{ not json');
  const cache = new RunListCache();
  const problems: string[] = [];
  const first = cache.list(root, (e) => problems.push(e.message));
  assert.deepEqual(first.map((r) => r.id), ['r3', 'r2', 'r1']);
  assert.deepEqual(first, listRuns(root), 'the same records as listRuns');
  const second = cache.list(root, (e) => problems.push(e.message));
  assert.equal(second[0], first[0], 'unchanged run.json: the record read before');
  assert.equal(problems.length, 2, 'the bad run.json is reported on each listing');
  assert.match(problems[0]!, /bad[\\/]run\.json/);

  // A renamed run (run.json rewritten, larger) is read again; a new run appears; a deleted one goes.
  writeRunRecord(path.join(root, 'r2'), run(2, { label: 'renamed run' }));
  writeRunRecord(path.join(root, 'r4'), run(4));
  fs.rmSync(path.join(root, 'r1'), { recursive: true });
  const third = cache.list(root);
  assert.deepEqual(third.map((r) => r.id), ['r4', 'r3', 'r2']);
  assert.equal(third.find((r) => r.id === 'r2')!.label, 'renamed run');
  assert.equal(third.find((r) => r.id === 'r3'), first[0]);

  // Weights saved after run.json: the record gains its weights folder.
  fs.mkdirSync(path.join(root, 'r3', 'weights'));
  fs.writeFileSync(path.join(root, 'r3', 'weights', 'model.json'), '{}');
  assert.equal(cache.list(root).find((r) => r.id === 'r3')!.weightsDir, path.join(root, 'r3', 'weights'));
});

test('run.json keeps its model last, so a runs folder parses and checks each distinct model once; older layouts read the same', () => {
  const root = path.join(tmp, 'layout');
  const m = model(64);
  const r1 = run(1, { model: m, note: 'tried x,"model":{ in a note', pid: 42 });
  writeRunRecord(path.join(root, 'r1'), r1);
  writeRunRecord(path.join(root, 'r2'), run(2, { model: structuredClone(m) }));
  const text = fs.readFileSync(path.join(root, 'r1', 'run.json'), 'utf8');
  assert.ok(text.endsWith(`,"model":${JSON.stringify(m)}}`), 'the model is the last key');
  const [b, a] = listRuns(root);
  assert.deepEqual(a, r1, 'read back as written');
  assert.equal(a!.model, b!.model, 'one parsed model for the two runs with the same model text');
  // As Model Lens wrote it before (the model in the middle), and with spaces: read whole, the same record.
  fs.writeFileSync(path.join(root, 'r1', 'run.json'), JSON.stringify({ ...r1, model: m, label: 'after the model' }));
  assert.deepEqual(listRuns(root).find((r) => r.id === 'r1'), { ...r1, label: 'after the model' });
  fs.writeFileSync(path.join(root, 'r1', 'run.json'), JSON.stringify({ ...r1 }, null, 1));
  assert.deepEqual(listRuns(root).find((r) => r.id === 'r1'), r1);
  // A bad model in Model Lens's layout is refused with the file and the field named.
  fs.writeFileSync(path.join(root, 'r1', 'run.json'), text.replace('"layers":[', '"layers":[7,'));
  const problems: string[] = [];
  assert.deepEqual(listRuns(root, (e) => problems.push(e.message)).map((r) => r.id), ['r2']);
  assert.match(problems[0]!, /r1[\\/]run\.json: 'model\.layers\[0\]' must be an object/);
  // Not JSON after the cut: said so.
  fs.writeFileSync(path.join(root, 'r1', 'run.json'), text.slice(0, -5) + '}');
  problems.length = 0;
  listRuns(root, (e) => problems.push(e.message));
  assert.match(problems[0]!, /r1[\\/]run\.json: not JSON/);
});
