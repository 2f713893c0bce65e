/**
 * `model-lens export` and `convert` end to end: a run folder (run.json + weights/ in the TF.js
 * layers format, as training writes it) exported as .h5 records the run; convert picks the format
 * from OUT; a file that cannot be read writes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convertCommand, exportCommand } from '../../../src/cli/export';
import { exportModel } from '../../../src/core/saved/export';
import { openModelFile } from '../../../src/core/saved/open-saved';
import { readTensor } from '../../../src/core/saved/weights';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-export-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
};

test('export RUN --to h5: the run\'s weights, recording the run they came from', async () => {
  const src = await openModelFile(path.join(REF, 'mnist_model.keras'));
  const runDir = path.join(tmp, 'run');
  try {
    await exportModel({ modelConfig: src.modelConfig!, weights: src.weights!, source: 'test' }, 'tfjs', path.join(runDir, 'weights'));
    fs.writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ id: '20260101-000000-abcd', modelName: 'sequential', modelFile: '/x/model.py', modelHash: 'h', status: 'completed', startedAt: '2026-01-01T00:00:00Z', settings: { epochs: 1, batchSize: 32, dataset: 'mnist' }, batches: [], epochs: [], test: { loss: 0.1, acc: 0.97, samples: 100 } }));
    const c = io();
    const out = path.join(tmp, 'from-run.h5');
    assert.equal(await exportCommand([runDir, '--to', 'h5', '--out', out], c.io), 0, c.err.join('\n'));
    assert.match(c.out[0]!, /^wrote .*from-run\.h5 \(Keras 2 \.h5\) from Model Lens run 20260101-000000-abcd of 'sequential' in \/x\/model\.py \(completed, test accuracy 0\.9700\)/);
    const back = await openModelFile(out);
    try {
      assert.match(back.exportedFrom!, /^Model Lens run 20260101-000000-abcd/);
      assert.deepEqual(readTensor(back.weights!.layers[2]!.tensors[0]!), readTensor(src.weights!.layers[2]!.tensors[0]!));
    } finally {
      back.close();
    }
  } finally {
    src.close();
  }
});

test('export RUN_ID: a run named by its id or a unique prefix (as train prints it) in this folder\'s .model-lens/runs; an unknown or ambiguous id says so and writes nothing', async () => {
  const src = await openModelFile(path.join(REF, 'mnist_model.keras'));
  const ws = path.join(tmp, 'ws');
  const here = process.cwd();
  try {
    for (const id of ['20260101-000000-abcd', '20260102-000000-ef01']) {
      const runDir = path.join(ws, '.model-lens', 'runs', id);
      await exportModel({ modelConfig: src.modelConfig!, weights: src.weights!, source: 'test' }, 'tfjs', path.join(runDir, 'weights'));
      fs.writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ id, modelName: 'sequential', modelFile: '/x/model.py', modelHash: 'h', status: 'completed', startedAt: '2026-01-01T00:00:00Z', settings: { epochs: 1, batchSize: 32, dataset: 'mnist' }, batches: [], epochs: [] }));
    }
    process.chdir(ws);
    for (const ref of ['20260102-000000-ef01', '20260102']) {
      const c = io();
      assert.equal(await exportCommand([ref, '--to', 'h5', '--out', path.join(tmp, `by-id-${ref}.h5`)], c.io), 0, c.err.join('\n'));
      assert.match(c.out[0]!, /from Model Lens run 20260102-000000-ef01 of 'sequential'/);
    }
    const amb = io();
    assert.equal(await exportCommand(['2026', '--to', 'h5', '--out', path.join(tmp, 'amb.h5')], amb.io), 1);
    assert.match(amb.err.join('\n'), /2026: matches 2 runs in .*\.model-lens[\\/]runs \(20260101-000000-abcd, 20260102-000000-ef01…\): give more of the id/);
    const none = io();
    assert.equal(await exportCommand(['20270101', '--to', 'h5', '--out', path.join(tmp, 'none.h5')], none.io), 1);
    assert.match(none.err.join('\n'), /20270101: no such file or folder, and no run with that id in .*runs \(`model-lens runs` lists them\)/);
    assert.ok(!fs.existsSync(path.join(tmp, 'amb.h5')) && !fs.existsSync(path.join(tmp, 'none.h5')));
  } finally {
    process.chdir(here);
    src.close();
  }
});

test('convert picks the format from OUT; usage errors exit 2; an unreadable input writes nothing', async () => {
  const c = io();
  const out = path.join(tmp, 'conv', 'model.json');
  assert.equal(await convertCommand([path.join(REF, 'mnist.h5'), '--out', out], c.io), 0, c.err.join('\n'));
  assert.match(c.out[0]!, /\(TF\.js layers model\)/);
  assert.ok(fs.existsSync(path.join(tmp, 'conv', 'group1-shard1of1.bin')));
  assert.equal(await convertCommand([path.join(REF, 'mnist.h5'), '--out', path.join(tmp, 'x.onnx')], io().io), 2);
  assert.equal(await exportCommand([path.join(REF, 'mnist.h5'), '--to', 'onnx', '--out', path.join(tmp, 'x')], io().io), 2);
  const broken = path.join(tmp, 'broken.keras');
  fs.writeFileSync(broken, fs.readFileSync(path.join(REF, 'mnist_model.keras')).subarray(0, 1000));
  const b = io();
  assert.equal(await convertCommand([broken, '--out', path.join(tmp, 'never.h5')], b.io), 1);
  assert.match(b.err.join('\n'), /truncated/);
  assert.match(b.err.join('\n'), /nothing written/);
  assert.ok(!fs.existsSync(path.join(tmp, 'never.h5')));
});
