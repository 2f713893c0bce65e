// The catalog's CIFAR ResNet and text classifier train in the CLI on data reachable offline: the
// made-up CIFAR-10 folder (Keras's pickled layout) and token-id .npz that scripts/make-example-data.ts
// writes. A few samples each — this checks the data path end to end, not accuracy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { trainCommand } from '../../../src/cli/train';

const root = path.resolve(__dirname, '..', '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-examples-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
}

test.before(() => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'make-example-data.ts'), path.join(tmp, 'data')], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // The examples as they are in the repo, one folder below the data (text_classifier loads '../data/text.npz').
  fs.mkdirSync(path.join(tmp, 'catalog'));
  for (const f of ['cifar_resnet.py', 'text_classifier.py']) fs.copyFileSync(path.join(root, 'examples', 'catalog', f), path.join(tmp, 'catalog', f));
});

const done = (io: { lines: string[] }) => JSON.parse(io.lines[io.lines.length - 1]!) as Record<string, unknown>;

test("text_classifier.py trains on the .npz its own np.load('../data/text.npz') names", async () => {
  const io = capture();
  const code = await trainCommand([path.join(tmp, 'catalog', 'text_classifier.py'), '--limit', '64', '--test-limit', '32', '--epochs', '1', '--json', '--save', path.join(tmp, 'run-text')], io);
  assert.equal(code, 0, io.errors.join('\n'));
  const d = done(io);
  assert.equal(d.status, 'completed');
  const run = JSON.parse(fs.readFileSync(path.join(tmp, 'run-text', 'run.json'), 'utf8'));
  assert.equal(run.settings.dataset, path.join(tmp, 'data', 'text.npz'));
});

test('cifar_resnet.py: without the Keras cache a clear error; with --data the CIFAR folder, it trains', async () => {
  const saved = process.env.KERAS_HOME;
  process.env.KERAS_HOME = path.join(tmp, 'no-keras');
  try {
    const io = capture();
    const file = path.join(tmp, 'catalog', 'cifar_resnet.py');
    assert.notEqual(await trainCommand([file, '--limit', '32', '--epochs', '1', '--json'], io), 0);
    assert.match(io.errors.join('\n'), /CIFAR-10 not found: looked in .*no-keras.*cifar-10-batches-py/);
    const ok = capture();
    const code = await trainCommand([file, '--data', path.join(tmp, 'data', 'cifar-10-batches-py'), '--limit', '64', '--test-limit', '32', '--epochs', '1', '--batch-size', '32', '--json', '--save', path.join(tmp, 'run-cifar')], ok);
    assert.equal(code, 0, ok.errors.join('\n'));
    assert.equal(done(ok).status, 'completed');
    // 58 training images in batches of 32 are 2 steps: the run says its BatchNormalization statistics are unsettled.
    assert.match(ok.errors.join('\n'), /warn: BatchNormalization \(batch_normalization and 4 more\): after 2 training steps at momentum 0\.99/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(tmp, 'run-cifar', 'run.json'), 'utf8')).warnings.length, 1);
  } finally {
    if (saved === undefined) delete process.env.KERAS_HOME;
    else process.env.KERAS_HOME = saved;
  }
});
