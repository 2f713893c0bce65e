// The reader's thread: the bundled dist/reader.js entry answers reads off the calling thread, and a
// read that outlasts the timeout ends with an error at line 1 while the next read works again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { ReaderThread } from '../../../src/extension/reader-thread';

const root = path.resolve(__dirname, '../../..');
const log = { info: () => undefined, error: () => undefined } as unknown as ConstructorParameters<typeof ReaderThread>[1];

describe('reader thread', () => {
  let dir: string;
  let script: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-reader-'));
    script = path.join(dir, 'reader.js');
    await esbuild.build({ entryPoints: [path.join(root, 'src/extension/reader-thread-main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: script, logLevel: 'error' });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is found beside the bundle, and reads files with the core reader', async () => {
    assert.equal(ReaderThread.scriptBeside(dir), script);
    assert.equal(ReaderThread.scriptBeside(path.join(dir, 'nothing')), undefined);
    const thread = new ReaderThread(script, log);
    try {
      const text = fs.readFileSync(path.join(root, 'examples/basic_cnn.py'), 'utf8');
      const [a, b] = await Promise.all([thread.read('basic_cnn.py', text), thread.read('b.py', 'import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n')]);
      assert.equal(a.models[0]!.totalParams, 1676266);
      assert.equal(b.models[0]!.totalParams, 10);
    } finally {
      thread.dispose();
    }
  });

  it('a read past the timeout answers with an error and the thread starts again for the next read', async () => {
    const thread = new ReaderThread(script, log, 1);
    try {
      const r = await thread.read('slow.py', 'import keras\n' + 'x = 1\n'.repeat(50_000));
      assert.equal(r.models.length, 0);
      assert.equal(r.diagnostics[0]!.code, 'reader');
      assert.match(r.diagnostics[0]!.message, /stopped reading this file after/);
    } finally {
      thread.dispose();
    }
    const again = new ReaderThread(script, log);
    try {
      assert.equal((await again.read('ok.py', 'import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n')).models.length, 1);
    } finally {
      again.dispose();
    }
  });
});
