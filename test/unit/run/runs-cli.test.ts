/** `model-lens runs` and `runs --diff` over run folders written here (no training needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { runsCommand } from '../../../src/cli/runs';
import type { LayerNode, ModelIR } from '../../../src/core/model/ir';
import type { RunRecord } from '../../../src/core/run/record';
import { writeRunRecord } from '../../../src/core/run/store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-runs-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const root = path.join(tmp, 'runs');
const file = path.join(tmp, 'm.py');
fs.writeFileSync(file, '# a model file\n');

const range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
function dense(name: string, units: number, params: number, input: string): LayerNode {
  return { name, type: 'Dense', config: { units }, inputs: [input], outputShape: [null, units], params, trainableParams: params, nonTrainableParams: 0, range };
}
function model(hidden: number): ModelIR {
  const layers = [{ name: 'input_layer', type: 'InputLayer', config: {}, inputs: [], outputShape: [null, 784], params: 0, trainableParams: 0, nonTrainableParams: 0, range }, dense('dense', hidden, 785 * hidden, 'input_layer'), dense('dense_1', 10, hidden * 10 + 10, 'dense')];
  const total = layers.reduce((s, l) => s + l.params, 0);
  return { name: 'm', style: 'sequential', range, layers, inputs: ['input_layer'], outputs: ['dense_1'], totalParams: total, trainableParams: total, nonTrainableParams: 0, training: { optimizer: { name: 'Adam', learningRate: 0.001 } }, diagnostics: [] };
}
function put(id: string, hidden: number, over: Partial<RunRecord>): void {
  const r: RunRecord = { id, modelName: 'm', modelFile: file, modelHash: `h${hidden}`, status: 'completed', startedAt: `2026-12-01T10:0${id.slice(-1)}:00.000Z`, settings: { epochs: 1, batchSize: 64, dataset: 'mnist' }, batches: [], epochs: [], model: model(hidden), backend: 'wasm', ...over };
  writeRunRecord(path.join(root, id), r);
}
put('run-1', 32, { test: { loss: 0.3, acc: 0.9, samples: 100 } });
put('run-2', 32, { settings: { epochs: 1, batchSize: 128, dataset: 'mnist' }, test: { loss: 0.25, acc: 0.92, samples: 100 } });
put('run-3', 64, { settings: { epochs: 1, batchSize: 128, dataset: 'mnist' }, test: { loss: 0.2, acc: 0.95, samples: 100 } });
fs.mkdirSync(path.join(root, 'bad'));
fs.writeFileSync(path.join(root, 'bad', 'run.json'), JSON.stringify({ id: 'bad', status: 'running', settings: 5 }));

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 100 };
}

test('runs: a table with only the settings that differ, what changed, the best run; a bad run.json is a warning naming it', async () => {
  const io = capture();
  assert.equal(await runsCommand(['--dir', root], io), 0);
  const text = io.lines.join('\n');
  assert.match(io.lines[0]!, /^run\s+status\s+model\s+batch\s+test acc/);
  assert.doesNotMatch(io.lines[0]!, /\blr\b|epochs/, 'same-valued settings are not columns');
  assert.match(io.lines[1]!, /^run-1\s+completed\s+m\s+64\s+0\.9000.*first run$/);
  assert.match(io.lines[2]!, /^run-2\s+.*128.*same model$/);
  assert.match(io.lines[3]!, /^run-3\s+.*~dense units 32→64 · ~dense_1 params 330→650 · params 25\.4 k → 50\.9 k$/);
  assert.match(text, /settings that differ: batch\n/);
  assert.match(text, /same in every run: epochs 1 · optimizer Adam · lr 0\.001/);
  assert.match(text, /best: run-3 \(test accuracy 0\.9500\)/);
  assert.equal(io.errors.length, 1);
  assert.match(io.errors[0]!, new RegExp(`^warning: ${path.join(root, 'bad', 'run.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 'modelName' must be text`));
});

test('runs FILE --json: one object with the runs, the differing settings and the best', async () => {
  const io = capture();
  assert.equal(await runsCommand([file, '--json', '--dir', root], io), 0);
  const o = JSON.parse(io.lines.join('')) as { runs: { id: string; settings: Record<string, unknown>; results: Record<string, unknown>; changes: string }[]; differing: string[]; best: string };
  assert.deepEqual(o.runs.map((r) => r.id), ['run-1', 'run-2', 'run-3']);
  assert.deepEqual(o.differing, ['batchSize']);
  assert.equal(o.best, 'run-3');
  assert.equal(o.runs[2]!.settings.batchSize, 128);
  assert.equal(o.runs[2]!.results.testAcc, 0.95);
  const other = capture();
  fs.writeFileSync(path.join(tmp, 'other.py'), '');
  assert.equal(await runsCommand([path.join(tmp, 'other.py'), '--json', '--dir', root], other), 0);
  assert.deepEqual((JSON.parse(other.lines[0]!) as { runs: unknown[] }).runs, []);
});

test('runs --diff A B: settings, layers, parameters and results; ids by prefix; unknown ids are usage errors', async () => {
  const io = capture();
  assert.equal(await runsCommand(['--diff', 'run-1', 'run-3', '--dir', root], io), 0);
  assert.deepEqual(io.lines, [
    'runs run-1 → run-3',
    'settings:',
    '  batch      64 → 128',
    'layers:',
    '  ~ dense (Dense): units 32 → 64; outputShape "32" → "64"; params 25120 → 50240',
    '  ~ dense_1 (Dense): params 330 → 650',
    'total params: 25,450 → 50,890 (+25,440)',
    'results:',
    '  test acc     0.9000 → 0.9500',
    '  test loss    0.3000 → 0.2000',
    '  best val acc – → –',
    '  samples/s    – → –',
    '  duration s   – → –',
  ]);
  const j = capture();
  assert.equal(await runsCommand(['--diff', path.join(root, 'run-2'), 'run-3', '--json', '--dir', root], j), 0);
  const d = JSON.parse(j.lines[0]!) as { settings: unknown[]; layers: { changed: { to: string }[]; added: unknown[] }; totalParams: { from: number; to: number } };
  assert.deepEqual(d.settings, []);
  assert.deepEqual(d.layers.changed.map((c) => c.to), ['dense', 'dense_1']);
  assert.deepEqual(d.totalParams, { from: 25450, to: 50890 });
  const bad = capture();
  assert.equal(await runsCommand(['--diff', 'run-', 'nope', '--dir', root], bad), 2);
  assert.match(bad.errors.join('\n'), /'run-' matches 3 runs/);
  const none = capture();
  assert.equal(await runsCommand(['--diff', 'run-1', 'nope', '--dir', root], none), 2);
  assert.match(none.errors.join('\n'), /no run 'nope'/);
});
