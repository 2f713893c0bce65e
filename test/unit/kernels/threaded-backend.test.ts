// The threaded wasm build starts under Node worker_threads with 2 threads, runs the training
// kernels with results equal to the cpu backend's, and shuts its threads down. The scripts the
// threads execute come from a private folder of this process, never from a file someone else wrote.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setupWasmBackend, writePrivateScripts } from '../../../src/worker/kernels/threaded-backend';
import { compareWithCpu, randomValues } from './compare';

/** A script that, if ever executed, leaves a marker file: what another local user would plant. */
function plantForeignScripts(base: string): string {
  const marker = path.join(base, 'foreign-code-ran');
  const evil = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
  // The fixed names an earlier version used (and reused when their content matched).
  for (const name of ['model-lens-tfjs-wasm-4.22.0-pthread.js', 'model-lens-tfjs-wasm-4.22.0-module.js']) {
    fs.writeFileSync(path.join(base, name), evil);
  }
  return marker;
}

test('threaded wasm backend: 2 threads, conv gradients match cpu, threads stop on removal', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-threads-test-'));
  const marker = plantForeignScripts(base);
  const setup = await setupWasmBackend({ threads: 2, scriptDir: base });
  try {
    // The planted scripts were not run; the ones used sit in a new folder only this user can enter.
    assert.equal(fs.existsSync(marker), false, 'a foreign script ran');
    const dirs = fs.readdirSync(base).filter((n) => n.startsWith('model-lens-wasm-'));
    assert.equal(dirs.length, 1);
    assert.equal(fs.statSync(path.join(base, dirs[0]!)).mode & 0o777, 0o700);
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(setup.threads, 2, setup.detail);
    assert.match(setup.detail, /threaded/);
    const x = [4, 16, 16, 8];
    const dy = [4, 16, 16, 16];
    const f = [3, 3, 8, 16];
    const filter = compareWithCpu(
      'Conv2DBackpropFilter',
      { x: { shape: x, values: randomValues(4 * 16 * 16 * 8, 1) }, dy: { shape: dy, values: randomValues(4 * 16 * 16 * 16, 2) } },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f },
    );
    assert.ok(filter.relErr < 1e-4, `filter gradient relative error ${filter.relErr}`);
    const input = compareWithCpu(
      'Conv2DBackpropInput',
      { dy: { shape: dy, values: randomValues(4 * 16 * 16 * 16, 3) }, filter: { shape: f, values: randomValues(3 * 3 * 8 * 16, 4) } },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x },
    );
    assert.ok(input.relErr < 1e-4, `input gradient relative error ${input.relErr}`);
  } finally {
    // Disposing the backend terminates its worker threads, so this process can exit.
    tf.removeBackend('wasm');
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('private scripts: a new 0700 folder each time, files 0600 and exact, folders of dead processes removed', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-scripts-test-'));
  try {
    const stale = path.join(base, 'model-lens-wasm-999999999-abcdef');
    fs.mkdirSync(stale);
    const live = path.join(base, `model-lens-wasm-${process.ppid}-abcdef`);
    fs.mkdirSync(live);
    const a = writePrivateScripts(base, { 'x.js': 'one', 'y.js': 'two' });
    const b = writePrivateScripts(base, { 'x.js': 'one' });
    assert.notEqual(a.dir, b.dir);
    assert.equal(fs.statSync(a.dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(a.files['x.js']!).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(a.files['y.js']!, 'utf8'), 'two');
    assert.equal(fs.existsSync(stale), false, 'the folder of a dead process stays');
    assert.equal(fs.existsSync(live), true, 'the folder of a live process was removed');
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('private scripts: a file already in place (a swap) or a folder others can write is refused, never reused', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-scripts-swap-'));
  try {
    // Simulate an attacker who got a file into the folder before it is written.
    const planted = path.join(base, 'planted');
    fs.mkdirSync(planted, { mode: 0o700 });
    fs.writeFileSync(path.join(planted, 'pthread.js'), 'foreign');
    const m1 = mock.method(fs, 'mkdtempSync', () => planted);
    try {
      assert.throws(() => writePrivateScripts(base, { 'pthread.js': 'ours' }), /EEXIST/);
      assert.equal(fs.readFileSync(path.join(planted, 'pthread.js'), 'utf8'), 'foreign');
    } finally {
      m1.mock.restore();
    }
    const open = path.join(base, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    const m2 = mock.method(fs, 'mkdtempSync', () => open);
    try {
      assert.throws(() => writePrivateScripts(base, { 'pthread.js': 'ours' }), /not private/);
      assert.equal(fs.existsSync(path.join(open, 'pthread.js')), false);
    } finally {
      m2.mock.restore();
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
