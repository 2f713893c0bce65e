import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../../src/core/run/record';
import { hashContent, isStale, latestUsableRun, listRuns, newRunId, readRunRecord, replaceDirAtomic, weightsDirOf, writeFileAtomic, writeRunRecord } from '../../../src/core/run/store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-store-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(id: string, over: Partial<RunRecord> = {}): RunRecord {
  return { id, modelName: 'Basic_CNN', modelFile: path.join(tmp, 'm.py'), modelHash: 'h1', status: 'completed', startedAt: `2026-12-01T10:0${id}:00.000Z`, settings: { epochs: 1, batchSize: 64, dataset: 'mnist' }, batches: [], epochs: [], ...over };
}

test('atomic writes leave no temp files and replace the old content', () => {
  const f = path.join(tmp, 'a', 'x.json');
  writeFileAtomic(f, '1');
  writeFileAtomic(f, '2');
  assert.equal(fs.readFileSync(f, 'utf8'), '2');
  assert.deepEqual(fs.readdirSync(path.dirname(f)), ['x.json']);
});

test('list runs newest first, find the latest completed run with weights, staleness by hash', () => {
  const root = path.join(tmp, 'runs');
  for (const [id, over] of [
    ['1', {}],
    ['2', {}],
    ['3', { status: 'running' as const, pid: process.pid, host: os.hostname(), heartbeatAt: new Date().toISOString() }],
    ['4', { modelName: 'other' }],
  ] as const) {
    const dir = path.join(root, id);
    const withWeights = id !== '1';
    if (withWeights) {
      fs.mkdirSync(path.join(dir, 'weights'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'weights', 'model.json'), '{}');
    }
    writeRunRecord(dir, run(id, { ...over, weightsDir: path.join(dir, 'weights') }));
  }
  fs.mkdirSync(path.join(root, 'junk'));
  fs.writeFileSync(path.join(root, 'junk', 'run.json'), '{not json');
  assert.deepEqual(listRuns(root).map((r) => r.id), ['4', '3', '2', '1']);
  const latest = latestUsableRun(root, path.join(tmp, '.', 'm.py'), 'Basic_CNN');
  assert.equal(latest?.id, '2', 'run 3 is still running (its pid lives), run 1 has no weights, run 4 is another model');
  assert.equal(isStale(latest!, hashContent('changed')), true);
  assert.equal(isStale({ ...latest!, modelHash: hashContent('same') }, hashContent('same')), false);
  assert.equal(readRunRecord(path.join(root, 'junk')), undefined);
  assert.deepEqual(listRuns(path.join(tmp, 'none')), []);
  assert.match(newRunId(new Date('2026-12-01T11:15:00Z')), /^20261201-111500-[0-9a-f]{4}$/);
});

test('replaceDirAtomic keeps the old folder when writing the new one fails', async () => {
  const parent = path.join(tmp, 'run-x');
  await replaceDirAtomic(parent, 'weights', (d) => fs.writeFileSync(path.join(d, 'model.json'), 'v1'));
  await assert.rejects(
    replaceDirAtomic(parent, 'weights', () => {
      throw new Error('disk full');
    }),
    /disk full/,
  );
  assert.equal(fs.readFileSync(path.join(parent, 'weights', 'model.json'), 'utf8'), 'v1');
  assert.deepEqual(fs.readdirSync(parent), ['weights']);
  await replaceDirAtomic(parent, 'weights', (d) => fs.writeFileSync(path.join(d, 'model.json'), 'v2'));
  assert.equal(fs.readFileSync(path.join(parent, 'weights', 'model.json'), 'utf8'), 'v2');
  // A crash between the two renames leaves weights.prev, which is still found.
  fs.renameSync(path.join(parent, 'weights'), path.join(parent, 'weights.prev'));
  assert.equal(weightsDirOf(parent), path.join(parent, 'weights.prev'));
});
