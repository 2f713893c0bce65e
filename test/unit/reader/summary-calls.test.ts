// What each model.summary() call of a file prints at its line (summary-snapshots.ts), and how the
// CLI says so under the end state's table. Expected figures from Keras's formulas, written beside
// them: Dense = (in + 1)·units; Conv2D = (kh·kw·cin + 1)·filters.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';
import { MAX_SUMMARY_SNAPSHOTS } from '../../../src/core/keras/summary-snapshots';
import { summaryCommand } from '../../../src/cli/summary';

const H = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';
const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const errors = (r: ReadResult) => all(r).filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`);
/** [line, total, trainable, non-trainable] of each summary() call of the model, in the order they ran. */
const calls = (m: ModelIR) => (m.summaries ?? []).map((s) => [s.range.line, s.totalParams, s.trainableParams, s.nonTrainableParams]);
function read(body: string): ReadResult {
  return readModel('m.py', H + body);
}

// Dense(8) on 4 inputs: (4 + 1)·8 = 40; Dense(4) on 8: (8 + 1)·4 = 36; the base: 76. Head Dense(1) on 4: 5. Total 81.
const NESTED = `base = keras.Sequential([layers.Dense(8, input_shape=(4,)), layers.Dense(4)])
base.trainable = False
inp = keras.Input(shape=(4,))
out = layers.Dense(1)(base(inp))
model = keras.Model(inp, out)
model.summary()
base.trainable = True
model.summary()
`;

// The conv base of TensorFlow's CNN tutorial: Conv2D(32, 3) on 3 channels (27 + 1)·32 = 896;
// Conv2D(64, 3) on 32: (288 + 1)·64 = 18,496; Conv2D(64, 3) on 64: (576 + 1)·64 = 36,928; 56,320.
// Head: Flatten 4·4·64 = 1,024; Dense(64) (1,024 + 1)·64 = 65,600; Dense(10) (64 + 1)·10 = 650; 122,570.
const CNN = `model = keras.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.summary()
model.add(layers.Flatten())
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(10))
model.summary()
`;

describe('summary() prints the model as it is at its line', () => {
  it('a nested base frozen, then unfrozen: each call its own trainable split; the end state unchanged', () => {
    const r = read(NESTED);
    assert.deepEqual(errors(r), []);
    const m = r.models.find((x) => x.name === 'functional')!;
    assert.deepEqual(calls(m), [
      [8, 81, 5, 76],
      [10, 81, 81, 0],
    ]);
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [81, 81, 0]);
    // The base itself has no summary() call.
    assert.equal(r.models.find((x) => x.name === 'sequential')!.summaries, undefined);
  });

  it('layers added after a summary: the first call counts the layers so far', () => {
    const r = read(CNN);
    assert.deepEqual(errors(r), []);
    const [m] = r.models;
    assert.deepEqual(calls(m!), [
      [9, 56320, 56320, 0],
      [13, 122570, 122570, 0],
    ]);
    // Rows: the Input and the 5 layers, then 3 more.
    assert.deepEqual(m!.summaries!.map((s) => s.layers), [6, 9]);
    assert.equal(m!.totalParams, 122570);
  });

  it('pop() between summaries, and a summary inside a function called twice', () => {
    const r = read(`${CNN}def show(m):
    m.summary()
show(model)
model.pop()
show(model)
`);
    assert.deepEqual(errors(r), []);
    // After pop(): 122,570 − 650 (the Dense(10)) = 121,920; both calls are at line 15 (inside show).
    assert.deepEqual(calls(r.models[0]!).slice(2), [
      [15, 122570, 122570, 0],
      [15, 121920, 121920, 0],
    ]);
    assert.equal(r.models[0]!.totalParams, 121920);
  });

  it('a summary in a loop that adds a layer each time: one record per run', () => {
    const r = read(`model = keras.Sequential([keras.Input(shape=(4,))])
for units in [3, 2]:
    model.add(layers.Dense(units))
    model.summary()
`);
    assert.deepEqual(errors(r), []);
    // Dense(3) on 4: 15; then Dense(2) on 3: 8 → 23.
    assert.deepEqual(calls(r.models[0]!), [
      [6, 15, 15, 0],
      [6, 23, 23, 0],
    ]);
  });

  it("fine-tuning: model.layers[i].trainable and a base's last layers unfrozen between summaries", () => {
    const r = read(`conv = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.Conv2D(4, 3)], name="conv")
model = keras.Sequential([conv, layers.Flatten(), layers.Dense(2)])
model.layers[0].trainable = False
model.summary()
conv.trainable = True
for layer in conv.layers[:-1]:
    layer.trainable = False
model.summary()
conv.summary()
`);
    assert.deepEqual(errors(r), []);
    // Conv2D(4, 3) on 3: (27 + 1)·4 = 112; on 4: (36 + 1)·4 = 148; conv: 260. Flatten 4·4·4 = 64; Dense(2): 130. Total 390.
    const m = r.models.find((x) => x.name === 'sequential')!;
    assert.deepEqual(calls(m), [
      [6, 390, 130, 260],
      [10, 390, 278, 112],
    ]);
    assert.deepEqual(calls(r.models.find((x) => x.name === 'conv')!), [[11, 260, 148, 112]]);
    // conv.trainable = True unfreezes its node in model too (model.layers[0] is conv): the end state is the second call's.
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [390, 278, 112]);
  });

  it('model.layers[0].summary() of a model used as a layer is that model\'s summary', () => {
    const r = read(`base = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8)])
model = keras.Sequential([base, layers.Dense(1)])
model.layers[0].trainable = False
model.layers[0].summary()
`);
    assert.deepEqual(errors(r), []);
    // Dense(8) on 4: 40, frozen.
    assert.deepEqual(calls(r.models.find((x) => x.name === 'sequential')!), [[6, 40, 0, 40]]);
  });

  it('a summary before the model has an input: a warning at the line, no figures; the end state still exact', () => {
    const r = read(`model = keras.Sequential([layers.Dense(3)])
model.summary()
model.build((None, 5))
model.summary()
`);
    assert.deepEqual(errors(r), []);
    const warn = all(r).filter((d) => d.code === 'summary-unbuilt');
    assert.deepEqual(warn.map((d) => d.range.line), [4]);
    assert.match(warn[0]!.message, /not built.*ValueError.*Keras 3 prints its layers unbuilt/);
    const m = r.models[0]!;
    assert.deepEqual(m.summaries!.map((s) => s.built), [false, true]);
    // Dense(3) on 5: (5 + 1)·3 = 18.
    assert.deepEqual(calls(m), [
      [4, undefined, undefined, undefined],
      [6, 18, 18, 0],
    ]);
    assert.equal(m.totalParams, 18);
  });

  it('a subclassed model summarised before it is built, then built by a call', () => {
    const r = read(`class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(2)
    def call(self, x):
        return self.d(x)
net = Net()
net.summary()
net(keras.Input(shape=(3,)))
net.summary()
`);
    assert.deepEqual(errors(r), []);
    // Dense(2) on 3: 8.
    assert.deepEqual(r.models[0]!.summaries!.map((s) => [s.range.line, s.built, s.totalParams]), [
      [10, false, undefined],
      [12, true, 8],
    ]);
  });

  it('a model used as a layer that gets layers after the call: no figures for that call (it is read as it is at the end)', () => {
    const r = read(`base = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8)])
model = keras.Sequential([base, layers.Dense(1)])
model.summary()
base.add(layers.Dense(8))
`);
    assert.deepEqual(calls(r.models.find((x) => x.name === 'sequential_1')!), [[5, undefined, undefined, undefined]]);
  });

  it('an incomplete model: the calls carry no figures', () => {
    const r = read(`model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])
model.summary()
model.add(make_layer())
`);
    assert.ok(errors(r).length > 0);
    assert.deepEqual(calls(r.models[0]!), [[4, undefined, undefined, undefined]]);
  });

  it(`at most ${MAX_SUMMARY_SNAPSHOTS} calls per file; later ones are said at their line, not dropped silently`, () => {
    const r = read(`model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])
for i in range(${MAX_SUMMARY_SNAPSHOTS}):
    model.summary()
model.summary()
`);
    assert.deepEqual(errors(r), []);
    assert.equal(r.models[0]!.summaries!.length, MAX_SUMMARY_SNAPSHOTS);
    const limit = all(r).filter((d) => d.code === 'summary-limit');
    assert.deepEqual(limit.map((d) => [d.severity, d.range.line]), [['warning', 6]]);
    assert.match(limit[0]!.message, /first 64 summary\(\) calls/);
  });
});

describe('model-lens summary: the summary() calls that print other figures', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-calls-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  async function run(body: string, ...args: string[]) {
    const file = path.join(dir, `m${fs.readdirSync(dir).length}.py`);
    fs.writeFileSync(file, H + body);
    const out: string[] = [];
    const err: string[] = [];
    const code = await summaryCommand([file, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('a line under the table for each call that prints something else than the end state', async () => {
    const r = await run(NESTED);
    assert.equal(r.code, 0, r.err);
    const table = r.out.split('Model: "functional"')[1]!;
    assert.match(table, /\nNon-trainable params: 0 \(0\.00 B\)\nline 8: summary\(\) prints Total params: 81, Trainable: 5, Non-trainable: 76 there \(the model changes after that line\)\n/);
    // The call at line 10 prints the end state: no line for it.
    assert.doesNotMatch(r.out, /line 10:/);
  });

  it('rows that differ are said too', async () => {
    const r = await run(CNN);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\nline 9: summary\(\) prints Total params: 56,320, Trainable: 56,320, Non-trainable: 0 there \(6 rows there, 9 above; the model changes after that line\)\n/);
    assert.doesNotMatch(r.out, /line 13:/);
  });

  it('every call prints the end state: the output is the table alone', async () => {
    const body = `model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\nmodel.summary()\n`;
    const withCall = await run(body);
    const without = await run(body.replace('model.summary()\n', ''));
    assert.equal(withCall.out.replace(/m\d+\.py/g, 'm.py'), without.out.replace(/m\d+\.py/g, 'm.py'));
  });

  it('--json: summaries with line, total, trainable, nonTrainable and rows', async () => {
    const r = await run(NESTED, '--json');
    assert.equal(r.code, 0, r.err);
    const m = JSON.parse(r.out).models.find((x: { name: string }) => x.name === 'functional');
    assert.deepEqual(m.summaries, [
      { line: 8, built: true, total: 81, trainable: 5, nonTrainable: 76, rows: 3 },
      { line: 10, built: true, total: 81, trainable: 81, nonTrainable: 0, rows: 3 },
    ]);
  });

  it('a call whose figures are not worked out (a model used in it changes later): said under the table', async () => {
    const r = await run(`base = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8)])\nmodel = keras.Sequential([base, layers.Dense(1)])\nmodel.summary()\nbase.add(layers.Dense(8))\n`);
    assert.match(r.out, /\nline 5: what summary\(\) prints there is not worked out by Model Lens \(a model used in it changes after that line\); compare that printout by hand\n/);
  });

  it('a call before the model is built: said under the table, exit 0', async () => {
    const r = await run(`model = keras.Sequential([layers.Dense(3)])\nmodel.summary()\nmodel.build((None, 5))\n`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\nline 4: summary\(\) comes before model 'sequential' is built \(no input shape yet\): tf\.keras 2 raises a ValueError there, Keras 3 prints its layers unbuilt with Total params: 0\n/);
  });
});
