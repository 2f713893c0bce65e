/** Reading 1,000 runs for a runs table: the host's listing cache and the packed panel message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModelIR } from '../../../src/core/model/ir';
import type { RunRecord } from '../../../src/core/run/record';
import { packRuns, unpackRuns } from '../../../src/core/run/shared-models';
import { listRuns, RunListCache, writeRunRecord } from '../../../src/core/run/store';

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
