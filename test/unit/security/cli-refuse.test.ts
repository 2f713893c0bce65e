// train, evaluate and predict refuse a model file exactly when `summary` fails on it, with the
// same lines on stderr and exit 1 — before any worker starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { evaluateCommand } from '../../../src/cli/evaluate';
import { predictCommand } from '../../../src/cli/predict';
import { summaryCommand } from '../../../src/cli/summary';
import { trainCommand } from '../../../src/cli/train';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-refuse-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MODEL = `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation='softmax')], name='m')
`;

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
}

async function refusedLikeSummary(file: string, extra: string[] = []): Promise<string[]> {
  const s = capture();
  assert.equal(await summaryCommand([file, ...extra], s), 1, 'summary fails');
  assert.ok(s.errors.length > 0);
  const runs: [string, (a: string[], io: CliIO) => Promise<number>, string[]][] = [
    ['train', trainCommand, ['--save', path.join(tmp, 'never')]],
    ['evaluate', evaluateCommand, ['--weights', tmp]],
    ['predict', predictCommand, ['--weights', tmp, '--sample', '0']],
  ];
  for (const [name, cmd, args] of runs) {
    const io = capture();
    assert.equal(await cmd([file, ...extra, ...args], io), 1, `${name} exits 1`);
    assert.deepEqual(io.errors.slice(0, s.errors.length), s.errors, `${name} prints summary's lines`);
    assert.match(io.errors.at(-1)!, /^model-lens: .*not used — `model-lens summary` fails on it|^model-lens: cannot read/, name);
    assert.equal(fs.existsSync(path.join(tmp, 'never')), false, 'nothing trained');
  }
  return s.errors;
}

test('a syntax error elsewhere in the file: refused like summary (not trained on a different model)', async () => {
  const file = path.join(tmp, 'syntax.py');
  fs.writeFileSync(file, `${MODEL}\ndef broken(:\n    pass\n`);
  const lines = await refusedLikeSummary(file);
  assert.match(lines.join('\n'), /syntax\.py:6:12: syntax error/);
});

test('an error in the model, and --model naming no model: refused like summary', async () => {
  const bad = path.join(tmp, 'shape.py');
  fs.writeFileSync(bad, MODEL.replace("layers.Flatten(), ", "layers.Flatten(), layers.Conv2D(4, 3), "));
  await refusedLikeSummary(bad);
  const ok = path.join(tmp, 'ok.py');
  fs.writeFileSync(ok, MODEL);
  const lines = await refusedLikeSummary(ok, ['--model', 'nope']);
  assert.match(lines[0]!, /no model named 'nope'; the file has m/);
});

test('a FIFO or a folder given as the model file: a clear error at once, exit 1', async () => {
  const fifo = path.join(tmp, 'pipe.py');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const lines = await refusedLikeSummary(fifo);
  assert.match(lines[0]!, /pipe\.py:1:1: cannot read the file \(not a regular file/);
  const dir = path.join(tmp, 'dir.py');
  fs.mkdirSync(dir);
  assert.match((await refusedLikeSummary(dir))[0]!, /dir\.py:1:1: cannot read the file \(it is a folder/);
});
