/** `model-lens sweep` on a tiny model and a few hundred samples: JSON lines, the runs it leaves, Ctrl+C. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliIO } from '../../../src/cli/engine-session';
import { runsCommand } from '../../../src/cli/runs';
import { sweepCommand } from '../../../src/cli/sweep';
import { listRuns } from '../../../src/core/run/store';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-sweep-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = path.join(tmp, 'tiny.py');
fs.writeFileSync(
  file,
  `from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([layers.Input((28, 28, 1)), layers.Flatten(), layers.Dense(8, activation='relu'), layers.Dense(10, activation='softmax')], name='tiny')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
(x, y), (tx, ty) = keras.datasets.mnist.load_data()
model.fit(x / 255.0, y, batch_size=32, epochs=1)
`,
);

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 100 };
}

test('sweep --json: one line per finished run (each a normal run on disk) and the best', async () => {
  const cwd = process.cwd();
  process.chdir(tmp);
  try {
    const io = capture();
    const code = await sweepCommand([file, '--lr', '1e-3,3e-3', '--batch-size', '16,32', '--seeds', '1', '--limit', '160', '--test-limit', '100', '--json'], io);
    assert.equal(code, 0, io.errors.join('\n'));
    const events = io.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const runs = events.filter((e) => e.event === 'run');
    assert.deepEqual(runs.map((r) => [r.index, r.of, r.learningRate, r.batchSize, r.seed, r.status]), [
      [1, 4, 0.001, 16, 1, 'completed'],
      [2, 4, 0.001, 32, 1, 'completed'],
      [3, 4, 0.003, 16, 1, 'completed'],
      [4, 4, 0.003, 32, 1, 'completed'],
    ]);
    const best = events[events.length - 1]!;
    assert.equal(best.event, 'best');
    const top = Math.max(...runs.map((r) => r.testAcc as number));
    assert.equal(best.testAcc, top, 'the best is the highest test accuracy');
    assert.equal(runs.find((r) => r.id === best.id)!.testAcc, top);
    const onDisk = listRuns(path.join(tmp, '.model-lens', 'runs'));
    assert.equal(onDisk.length, 4);
    assert.ok(onDisk.every((r) => r.status === 'completed' && r.sourceSnapshot === 'source.py' && r.weightsDir));
    assert.deepEqual(new Set(onDisk.map((r) => `${r.settings.learningRate}/${r.settings.batchSize}`)), new Set(['0.001/16', '0.001/32', '0.003/16', '0.003/32']));
    // …and `runs` shows them with the two settings that differ.
    const listing = capture();
    assert.equal(await runsCommand([], listing), 0);
    assert.match(listing.lines.join('\n'), /settings that differ: batch, lr\n/);
  } finally {
    process.chdir(cwd);
  }
});

test('sweep: bad lists and too-big grids are usage errors before any training', async () => {
  const io = capture();
  assert.equal(await sweepCommand([file, '--lr', '1e-3,fast'], io), 2);
  assert.match(io.errors.join('\n'), /--lr: 'fast' is not a positive number/);
  const big = capture();
  assert.equal(await sweepCommand([file, '--lr', Array.from({ length: 40 }, (_, i) => `0.00${i + 1}`).join(','), '--batch-size', Array.from({ length: 30 }, (_, i) => i + 1).join(',')], big), 2);
  assert.match(big.errors.join('\n'), /1200 runs, more than 1000/);
});

test('Ctrl+C (SIGINT to the process group) stops the current run and the sweep: exit 130, what ran is reported', async () => {
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(root, 'src/cli/main.ts'), 'sweep', file, '--epochs', '1,200,1', '--limit', '160', '--test-limit', '50', '--json'], { cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('exit', r));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no run line; stderr: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (/"event":"run"/.test(out)) {
        clearTimeout(t);
        setTimeout(resolve, 500); // into the long second run
      }
    });
  });
  process.kill(-child.pid!, 'SIGINT');
  assert.equal(await exit, 130, err);
  const events = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.filter((e) => e.event === 'run').map((e) => [e.epochs, e.status]), [
    [1, 'completed'],
    [200, 'cancelled'],
  ]);
  const best = events[events.length - 1]!;
  assert.deepEqual([best.event, best.stopped, best.runs, best.of], ['best', true, 2, 3]);
});
