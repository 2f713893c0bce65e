/**
 * Run lifecycle against real processes: Ctrl+C (SIGINT to the whole process group) cancels, a
 * killed CLI leaves an "interrupted" run whose weights stay usable, a second training into the
 * same folder is refused, leftovers of dead processes are cleaned, hostile run.json is refused
 * with a message naming the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliIO } from '../../../src/cli/engine-session';
import { trainCommand } from '../../../src/cli/train';
import { cleanLeftovers, isProcessAlive, latestUsableRun, listRuns, lockRunDir, readRun, RunBusyError, settleOnThisMachine, writeRunRecord } from '../../../src/core/run/store';
import type { RunRecord } from '../../../src/core/run/record';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-life-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const modelFile = path.join(tmp, 'tiny.py');
fs.writeFileSync(
  modelFile,
  `import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.Input((28, 28, 1)),
    layers.Flatten(),
    layers.Dense(16, activation='relu'),
    layers.Dense(10, activation='softmax'),
], name='tiny')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
(x, y), (tx, ty) = tf.keras.datasets.mnist.load_data()
model.fit(x / 255.0, y, batch_size=8, epochs=1)
`,
);

/** The CLI from source in its own process group (as a terminal runs it), JSON lines on stdout. */
function cli(args: string[]): { child: ChildProcess; lines: string[]; next(pred: (e: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(root, 'src/cli/main.ts'), ...args], { cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let err = '';
  let buf = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts.filter(Boolean));
    for (const w of [...waiters]) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const next = (pred: (e: Record<string, unknown>) => boolean, ms = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; stdout:\n${lines.join('\n')}\nstderr:\n${err}`)), ms);
      const check = () => {
        const hit = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find(pred);
        if (hit) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(hit);
        }
      };
      waiters.push(check);
      check();
      void exit.then(() => setTimeout(() => reject(new Error(`exited before; stdout:\n${lines.join('\n')}\nstderr:\n${err}`)), 50));
    });
  return { child, lines, next, exit, stderr: () => err };
}

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('Ctrl+C in a terminal (SIGINT to the whole process group) cancels the run: exit 130, run.json "cancelled"', async () => {
  const save = path.join(tmp, 'sigint');
  const c = cli(['train', modelFile, '--limit', '20000', '--test-limit', '100', '--epochs', '3', '--json', '--save', save]);
  await c.next((e) => e.event === 'batch');
  process.kill(-c.child.pid!, 'SIGINT');
  assert.equal(await c.exit, 130, c.stderr());
  const done = JSON.parse(c.lines[c.lines.length - 1]!) as Record<string, unknown>;
  assert.equal(done.event, 'done');
  assert.equal(done.status, 'cancelled');
  assert.equal(readRun(save).record?.status, 'cancelled');
  assert.doesNotMatch(c.stderr(), /crash|failed/i);
});

test('a killed CLI leaves an "interrupted" run whose last saved weights stay usable; a second training into its folder is refused while it runs', async () => {
  const save = path.join(tmp, 'killed');
  const c = cli(['train', modelFile, '--limit', '400', '--test-limit', '100', '--epochs', '1000', '--json', '--save', save]);
  await c.next((e) => e.event === 'epoch');
  const running = readRun(save).record!;
  assert.equal(running.status, 'running');
  assert.ok(running.pid && isProcessAlive(running.pid));
  assert.equal(settleOnThisMachine([running])[0]!.status, 'running', 'alive: still running');

  // A second training into the same folder, while the first lives: refused, nothing overwritten.
  const io: CliIO & { errors: string[] } = { errors: [], out: () => undefined, err(l) { this.errors.push(l); }, status: () => undefined, tty: false, columns: 80 };
  const code = await trainCommand([modelFile, '--limit', '100', '--epochs', '1', '--json', '--save', save], io);
  assert.equal(code, 1);
  assert.match(io.errors.join('\n'), /in use by another training \(pid \d+\)/);
  assert.equal(readRun(save).record?.id, running.id, 'the first run is untouched');

  process.kill(c.child.pid!, 'SIGKILL'); // the CLI only; its worker sees the channel close and ends
  await c.exit;
  await waitFor(() => !isProcessAlive(running.pid!));
  const after = readRun(save).record!;
  assert.equal(after.status, 'running', 'on disk it still says running…');
  const settled = settleOnThisMachine([after])[0]!;
  assert.equal(settled.status, 'interrupted', '…and is shown interrupted');
  assert.match(settled.error!, /process \(pid \d+\) ended/);
  assert.ok(fs.existsSync(path.join(settled.weightsDir!, 'model.json')));
  const usable = latestUsableRun(path.dirname(save), modelFile, 'tiny');
  assert.equal(usable?.id, running.id, 'its weights are the latest usable ones');

  // Its process is gone: a new training may take the folder over, and says it replaces that run.
  const again: CliIO & { errors: string[] } = { errors: [], out: () => undefined, err(l) { this.errors.push(l); }, status: () => undefined, tty: false, columns: 80 };
  assert.equal(await trainCommand([modelFile, '--limit', '32', '--test-limit', '20', '--epochs', '1', '--json', '--save', save], again), 0, again.errors.join('\n'));
  assert.match(again.errors.join('\n'), new RegExp(`note: .* holds run ${running.id} \\(interrupted\\); this training replaces it`));
  assert.equal(readRun(save).record?.status, 'completed');
});

async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => p.on('exit', r));
  return p.pid!;
}

test('leftovers of dead processes are cleaned at the next start; a live process keeps its temp files', async () => {
  const runs = path.join(tmp, 'leftovers');
  const dir = path.join(runs, 'r1');
  fs.mkdirSync(path.join(dir, 'weights'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'run.json'), '{}');
  fs.writeFileSync(path.join(dir, 'weights', 'model.json'), '{}');
  const dead = await deadPid();
  fs.mkdirSync(path.join(dir, `weights.tmp-${dead}-abc123`));
  fs.writeFileSync(path.join(dir, `weights.tmp-${dead}-abc123`, 'weights.bin'), 'x');
  fs.writeFileSync(path.join(dir, `run.json.tmp-${dead}-0a0b0c`), '{');
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
  try {
    fs.mkdirSync(path.join(dir, `weights.tmp-${sleeper.pid}-def456`));
    fs.mkdirSync(path.join(dir, 'weights.prev'));
    const removed = cleanLeftovers(runs).map((f) => path.basename(f)).sort();
    assert.deepEqual(removed, [`run.json.tmp-${dead}-0a0b0c`, 'weights.prev', `weights.tmp-${dead}-abc123`].sort());
    assert.deepEqual(fs.readdirSync(dir).sort(), ['run.json', 'weights', `weights.tmp-${sleeper.pid}-def456`].sort());
  } finally {
    sleeper.kill();
  }
});

test('the run folder lock: refused while its holder lives, taken over from a dead one, released', async () => {
  const dir = path.join(tmp, 'lock');
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: sleeper.pid, host: os.hostname() }));
    assert.throws(() => lockRunDir(dir), (e: unknown) => e instanceof RunBusyError && new RegExp(`pid ${sleeper.pid}`).test((e as Error).message));
  } finally {
    sleeper.kill();
  }
  fs.writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: await deadPid(), host: os.hostname() }));
  const release = lockRunDir(dir);
  assert.throws(() => lockRunDir(dir, () => true), RunBusyError, 'held by this live process now');
  release();
  assert.equal(fs.existsSync(path.join(dir, '.lock')), false);
  lockRunDir(dir)();
});

function good(): RunRecord {
  return { id: '20261201-100000-abcd', modelName: 'tiny', modelFile: modelFile, modelHash: 'ab12', status: 'completed', startedAt: '2026-12-01T10:00:00.000Z', settings: { epochs: 1, batchSize: 8, dataset: 'mnist' }, batches: [{ step: 1, epoch: 1, loss: 2.3, acc: 0.1 }], epochs: [{ epoch: 1, loss: 2.3, durationMs: 5 }] };
}

test('hostile run.json: refused with a message naming the file and the field; paths from the file are not followed', () => {
  const runs = path.join(tmp, 'hostile');
  const cases: [string, unknown, RegExp][] = [
    ['not-json', '{"id": ', /not JSON/],
    ['array', [], /'\(top level\)' must be an object/],
    ['bad-status', { ...good(), status: 'pwned' }, /'status' must be running, completed/],
    ['bad-epochs', { ...good(), settings: { ...good().settings, epochs: 1e300 } }, /'settings.epochs' must be a whole number from 1 to 1000000/],
    ['neg-batch', { ...good(), settings: { ...good().settings, batchSize: -5 } }, /'settings.batchSize'/],
    ['string-loss', { ...good(), batches: [{ step: 1, epoch: 1, loss: 'x' }] }, /'batches\[0\].loss' must be a number/],
    ['huge-list', { ...good(), batches: new Array(100_001).fill({ step: 1, epoch: 1, loss: 1 }) }, /'batches' must be a list of at most 100000/],
    ['id-path', { ...good(), id: '../../etc' }, /'id' must be letters/],
    ['snapshot-path', { ...good(), sourceSnapshot: '../../../etc/passwd' }, /'sourceSnapshot' must be a plain file name/],
    ['bad-model', { ...good(), model: { name: 'x', layers: [{ name: 1 }] } }, /'model.layers\[0\].name' must be text/],
    ['bad-date', { ...good(), startedAt: 'yesterday' }, /'startedAt' must be a date/],
  ];
  for (const [name, content, want] of cases) {
    const dir = path.join(runs, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'run.json'), typeof content === 'string' ? content : JSON.stringify(content));
    const { record, error } = readRun(dir);
    assert.equal(record, undefined, name);
    assert.ok(error, name);
    assert.ok(error.message.startsWith(path.join(dir, 'run.json') + ': '), `${name}: names the file: ${error.message}`);
    assert.match(error.message, want, name);
  }
  // A valid run whose weightsDir points elsewhere: the path is ignored, weights come from its folder.
  const ok = path.join(runs, 'ok');
  writeRunRecord(ok, { ...good(), weightsDir: '/etc' });
  assert.equal(readRun(ok).record?.weightsDir, undefined);
  fs.mkdirSync(path.join(ok, 'weights'));
  fs.writeFileSync(path.join(ok, 'weights', 'model.json'), '{}');
  assert.equal(readRun(ok).record?.weightsDir, path.join(ok, 'weights'));
  const problems: string[] = [];
  assert.deepEqual(listRuns(runs, (e) => problems.push(e.message)).map((r) => r.id), [good().id]);
  assert.equal(problems.length, cases.length);
});
