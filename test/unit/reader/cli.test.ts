// `model-lens summary`: the real CLI entry, bundled with esbuild as `npm run build` does, run as a process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../..');
let dir = '';
let cli = '';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('model-lens summary', () => {
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-cli-'));
    cli = path.join(dir, 'cli.js');
    await esbuild.build({ entryPoints: [path.join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: cli, logLevel: 'error', external: ['@tensorflow/tfjs-node'] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json prints the exact shape the issue asks for (reference Basic_CNN)', () => {
    const r = run('summary', 'examples/basic_cnn.py', '--json');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const j = JSON.parse(r.out);
    assert.equal(j.models.length, 1);
    const m = j.models[0];
    assert.deepEqual(Object.keys(m), ['name', 'line', 'layers', 'totalParams', 'trainableParams', 'nonTrainableParams', 'complete', 'diagnostics']);
    assert.equal(m.complete, true);
    assert.equal(j.complete, true);
    assert.deepEqual([m.name, m.line, m.totalParams, m.trainableParams, m.nonTrainableParams], ['Basic_CNN', 31, 1676266, 1676266, 0]);
    assert.deepEqual(m.layers[0], { name: 'input_layer', type: 'InputLayer', outputShape: [null, 28, 28, 1], params: 0, trainableParams: 0, inputs: [], line: 9 });
    assert.deepEqual(m.layers[1], { name: 'conv2d', type: 'Conv2D', outputShape: [null, 28, 28, 32], params: 320, trainableParams: 320, inputs: ['input_layer'], line: 10 });
    assert.deepEqual(m.layers.map((l: { outputShape: unknown }) => l.outputShape).slice(-7, -3), [[null, 7, 7, 64], [null, 3136], [null, 512], [null, 512]]);
    assert.deepEqual(m.layers.at(-1).outputShape, [null, 10]);
    assert.deepEqual(m.diagnostics, []);
    assert.deepEqual(j.diagnostics, []);
  });

  it('an incomplete model: exit 1, the line on stderr, complete: false and the gap in --json, INCOMPLETE under the table', () => {
    const file = path.join(dir, 'incomplete.py');
    fs.writeFileSync(file, 'import keras\nimport mylib\nmodel = keras.Sequential([keras.Input(shape=(4,))])\nmodel.add(keras.layers.Dense(8))\nmylib.add_blocks(model)\nmodel.add(keras.layers.Dense(2))\n');
    const r = run('summary', file, '--json');
    assert.equal(r.code, 1);
    assert.match(r.err, /incomplete\.py:5:1: cannot tell what 'mylib\.add_blocks' does to the model/);
    const j = JSON.parse(r.out);
    assert.equal(j.complete, false);
    assert.equal(j.models[0].complete, false);
    assert.deepEqual(j.models[0].gaps.map((g: { line: number; after: string }) => [g.line, g.after]), [[5, 'dense']]);
    const t = run('summary', file);
    assert.equal(t.code, 1);
    assert.match(t.out, /INCOMPLETE: a statement that changes this model could not be read \(line 5\)/);
  });

  it('a model created under a condition Model Lens cannot decide: exit 1, error at the if, complete: false', () => {
    const file = path.join(dir, 'undecided.py');
    fs.writeFileSync(file, 'import os\nimport keras\nif os.environ.get("BIG"):\n    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(100)])\nelse:\n    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10)])\nmodel.summary()\n');
    const r = run('summary', file, '--json');
    assert.equal(r.code, 1);
    assert.match(r.err, /undecided\.py:3:\d+: cannot decide the condition 'os\.environ\.get\("BIG"\)'/);
    const j = JSON.parse(r.out);
    assert.equal(j.complete, false);
    assert.deepEqual(j.models.map((m: { complete: boolean; gaps: { line: number }[] }) => [m.complete, m.gaps.map((g) => g.line)]), [[false, [3]]]);
  });

  it('prints a table like model.summary()', () => {
    const r = run('summary', 'examples/residual.py');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Model: "residual_cnn"/);
    assert.match(r.out, /Layer \(type\)\s+Output Shape\s+Param #\s+Connected to/);
    assert.match(r.out, / add \(Add\)\s+\(None, 28, 28, 32\)\s+0\s+batch_normalization_1, conv2d\n/);
    assert.match(r.out, / batch_normalization \(BatchNormalization\)\s+\(None, 28, 28, 32\)\s+128\s+conv2d_1\n/);
    assert.match(r.out, /Total params: 19,402 \(75\.79 KB\)\nTrainable params: 19,274 \(75\.29 KB\)\nNon-trainable params: 128 \(512\.00 B\)/);
  });

  it("--expand-nested lists a nested model's layers under its row, as summary(expand_nested=True); totals are DLwP's printed 16,812,353", () => {
    const r = run('summary', 'test/unit/fixtures/published/vgg16_top.py', '--model', 'sequential', '--expand-nested');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, / vgg16 \(Functional\)\s+\(None, 4, 4, 512\)\s+14,714,688\s+input_layer_1\n └ block1_conv1 \(Conv2D\)\s+\(None, 150, 150, 64\)\s+1,792\s+input_layer\n/);
    assert.match(r.out, / └ block5_pool \(MaxPooling2D\)\s+\(None, 4, 4, 512\)\s+0\s+block5_conv3\n flatten \(Flatten\)/);
    assert.doesNotMatch(r.out, /└ input_layer/);
    assert.match(r.out, /Total params: 16,812,353 /);
    assert.doesNotMatch(run('summary', 'test/unit/fixtures/published/vgg16_top.py', '--model', 'sequential').out, /└/);
  });

  it('--model picks one of several models (by name or variable)', () => {
    const r = run('summary', 'test/unit/fixtures/models/multi_models.py', '--model', 'two_inputs', '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).models.map((m: { name: string }) => m.name), ['two_inputs']);
    const v = run('summary', 'test/unit/fixtures/models/multi_models.py', '--model', 'big', '--json');
    assert.deepEqual(JSON.parse(v.out).models.map((m: { name: string }) => m.name), ['sequential_1']);
    const all = run('summary', 'test/unit/fixtures/models/multi_models.py');
    assert.equal((all.out.match(/^Model: /gm) ?? []).length, 4);
    const missing = run('summary', 'test/unit/fixtures/models/multi_models.py', '--model', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /multi_models\.py:1:1: no model named 'nope'; the file has sequential, sequential_1, two_inputs, built_in_function/);
  });

  it('exit 1 with FILE:LINE:COL: message lines when a model has an error', () => {
    const bad = path.join(dir, 'bad.py');
    fs.writeFileSync(bad, 'import keras\nfrom keras import layers\ni = keras.Input((28, 28, 1))\nx = layers.Conv2D(8, 3)(i)\nx = layers.Dense(10)(x)\nm = keras.Model(i, x)\n');
    const r = run('summary', bad, '--json');
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.match(r.err, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:5: Dense 'dense': gets the 4-D tensor .*Flatten`));
    const j = JSON.parse(r.out); // the JSON is still printed, with the diagnostic in it
    assert.equal(j.models[0].diagnostics[0].line, 5);
    assert.equal(j.models[0].diagnostics[0].layer, 'dense');
  });

  it('exit 1 for a file that cannot be read, or has no model', () => {
    const r = run('summary', 'no/such/file.py');
    assert.equal(r.code, 1);
    assert.match(r.err, /^no\/such\/file\.py:1:1: cannot read the file \(ENOENT\)/);
    const empty = path.join(dir, 'empty.py');
    fs.writeFileSync(empty, 'print("hello")\n');
    const e = run('summary', empty);
    assert.equal(e.code, 1);
    assert.match(e.err, /no Keras model found/);
  });

  it('warnings go to stderr but keep exit 0', () => {
    const w = path.join(dir, 'warn.py');
    fs.writeFileSync(w, 'import keras\nfrom keras import Sequential, layers\n(x, y), _ = keras.datasets.reuters.load_data()\nm = Sequential([keras.Input((3,)), layers.Dense(3)])\n');
    const r = run('summary', w);
    assert.equal(r.code, 0);
    assert.match(r.err, /warn\.py:3:13: warning: dataset 'reuters' is not built into Model Lens/);
  });

  it('usage: --help, no command, unknown command, bad option', () => {
    const h = run('--help');
    assert.equal(h.code, 0);
    assert.match(h.out, /model-lens summary FILE \[--model NAME\] \[--expand-nested\] \[--json\]/);
    assert.equal(run().code, 2);
    const u = run('frobnicate');
    assert.equal(u.code, 2);
    assert.match(u.err, /unknown command 'frobnicate'/);
    const b = run('summary', 'examples/basic_cnn.py', '--colour');
    assert.equal(b.code, 2);
    assert.match(b.err, /usage: model-lens summary/);
  });
});
