import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readModel } from '../../../src/core/read-model';
import { modelLenses, progressText, shapeFlowText, summaryLensText, LENS_STOP, LENS_TRAIN, SUMMARY_MAX_CHARS } from '../../../src/extension/text/lens-text';
import { modelSummaryMarkdown } from '../../../src/extension/text/hover-text';
import { escapeMarkdown } from '../../../src/extension/text/markdown';
import { tinyCnn } from './fixture';

test('shape flow shows input, output and total params', () => {
  assert.equal(shapeFlowText(tinyCnn()), '28×28×1 → … → 10 · 1.68 M params');
});

test('shape flow of a model with two inputs lists both', () => {
  const m = tinyCnn();
  m.inputs = ['input_1', 'flatten'];
  assert.equal(shapeFlowText(m), '28×28×1, 6272 → … → 10 · 1.68 M params');
});

// Basic_CNN as the reference document builds it (examples/basic_cnn.py). 1,676,266 parameters
// is what Keras's model.summary() prints for it (the reference document's table; also the reader
// manifest, test/unit/reader/manifest.ts). The shapes are the document's: 28×28×1 in, 10 out.
const basic = readModel('examples/basic_cnn.py', fs.readFileSync('examples/basic_cnn.py', 'utf8')).models[0]!;

test('summary lens: name, exact count, then as much of the shape flow as fits', () => {
  assert.equal(summaryLensText(basic), 'Basic_CNN · 1,676,266 params · 28×28×1 → 28×28×32 → … → 512 → 10');
  assert.ok(summaryLensText(basic).length <= SUMMARY_MAX_CHARS);
  // Narrower: the flow's middle goes first, the count stays.
  assert.equal(summaryLensText(basic, 48), 'Basic_CNN · 1,676,266 params · 28×28×1 → … → 10');
  assert.equal(summaryLensText(basic, 200), 'Basic_CNN · 1,676,266 params · 28×28×1 → 28×28×32 → 14×14×32 → 14×14×64 → 7×7×64 → 3136 → 512 → 10');
  // Narrower still: the name is shortened, never the count.
  const long = { ...basic, name: 'A_Really_Long_Model_Name_For_Testing' };
  const t = summaryLensText(long, 48);
  assert.match(t, /^A_Really.*… · 1,676,266 params · 28×28×1 → … → 10$/);
  assert.ok(t.length <= 48, t);
});

test('lenses in order when idle: the summary (exact count) first, so a narrow editor cuts the buttons, not the count', () => {
  const lenses = modelLenses(basic, undefined, 'examples/basic_cnn.py');
  assert.deepEqual(lenses.map((l) => l.title), ['Basic_CNN · 1,676,266 params · 28×28×1 → 28×28×32 → … → 512 → 10', LENS_TRAIN, 'Evaluate', 'Predict image…', 'Show graph']);
  assert.equal(LENS_TRAIN, '▶ Train');
  // Its tooltip is the Keras-style summary table.
  const tip = lenses[0]!.tooltip!;
  assert.match(tip, /^Model: "Basic_CNN"  \(examples\/basic_cnn\.py:31\)/);
  assert.match(tip, /dense \(Dense\)\s+\(None, 512\)\s+1,606,144\s+flatten/);
  assert.match(tip, /Total params: 1,676,266 \(6\.39 MB\)/);
  assert.equal(lenses[0]!.view, 'shapes');
});

test('hover on the build line: the Keras-style summary as a code block', () => {
  const md = modelSummaryMarkdown(basic, 'basic_cnn.py');
  assert.match(md, /^```text\nModel: "Basic_CNN"/);
  assert.match(md, /Trainable params: 1,676,266/);
  assert.match(md, /```$/);
});

test('a summary() call that prints other figures than the end state: said under the table in the lens tooltip and the hover', () => {
  const m = { ...basic, summaries: [{ range: { line: 40, column: 1, endLine: 40, endColumn: 16 }, built: true, totalParams: 1000, trainableParams: 10, nonTrainableParams: 990, layers: basic.layers.length }] };
  const note = 'line 40: summary() prints Total params: 1,000, Trainable: 10, Non-trainable: 990 there (the model changes after that line)';
  const tip = modelLenses(m, undefined, 'examples/basic_cnn.py')[0]!.tooltip!;
  assert.ok(tip.endsWith('\n' + note), tip.slice(-200));
  // In the hover, after the table's code block, as Markdown-escaped text.
  assert.ok(modelSummaryMarkdown(m, 'basic_cnn.py').endsWith('```\n\n' + escapeMarkdown(note)));
  // Every call printing the end state: the tooltip is the table alone.
  const same = { ...basic, summaries: [{ ...m.summaries[0]!, totalParams: basic.totalParams, trainableParams: basic.trainableParams, nonTrainableParams: basic.nonTrainableParams }] };
  assert.equal(modelLenses(same, undefined, 'examples/basic_cnn.py')[0]!.tooltip, modelLenses(basic, undefined, 'examples/basic_cnn.py')[0]!.tooltip);
});

test('while training the Train lens becomes Stop and progress shows', () => {
  const lenses = modelLenses(tinyCnn(), { epoch: 1, epochs: 3, progress: 0.4271, acc: 0.9134 });
  assert.equal(lenses[0]!.title, LENS_STOP);
  assert.equal(lenses[0]!.command, 'modelLens.stopTraining');
  assert.equal(lenses[1]!.title, 'epoch 1/3 · 42% · acc 0.91');
  assert.match(lenses[2]!.title, /^Basic_CNN · 1,676,266 params/);
  assert.ok(!lenses.some((l) => l.title === LENS_TRAIN));
});

test('progress text before accuracy is known shows loss, clamps percent', () => {
  assert.equal(progressText({ epoch: 2, epochs: 2, progress: 1.2, loss: 0.12345 }), 'epoch 2/2 · 100% · loss 0.123');
  assert.equal(progressText({ epoch: 1, epochs: 1, progress: NaN }), 'epoch 1/1 · 0%');
});

test('a starting run shows starting…', () => {
  assert.equal(modelLenses(tinyCnn(), 'starting')[1]!.title, 'starting…');
});

test('a model with a layer TF.js cannot build: the Train lens names the layer and its tooltip says why', () => {
  const m = tinyCnn();
  const fn = { ...m.layers[1]!, name: 'lambda', type: 'Lambda', config: { function: 'lambda t: t', output_shape: [28, 28, 1] } };
  m.layers = [m.layers[0]!, fn, ...m.layers.slice(1)];
  const lens = modelLenses(m).find((l) => l.command === 'modelLens.train')!;
  assert.equal(lens.title, '⊘ Train (Lambda)');
  assert.equal(lens.command, 'modelLens.train');
  assert.match(lens.tooltip!, /layer 'lambda' \(Lambda, line \d+\) cannot be trained here: Lambda runs Python code, which Model Lens never executes/);
  assert.match(lens.tooltip!, /graph, shapes and parameter counts still work/);
});

test('the summary lens and the table say when the count is not Keras\'s: incomplete, or with errors', () => {
  const H = 'import keras, sys\nfrom keras import layers\n';
  const gap = readModel('m.py', H + 'model = keras.Sequential([keras.Input((8,)), layers.Dense(8)])\nfor n in sys.argv:\n    model.add(layers.Dense(2))\n').models[0]!;
  assert.match(summaryLensText(gap), /^sequential · 72 params \(incomplete\) · /);
  const bad = readModel('m.py', H + 'model = keras.Sequential([keras.Input((8,)), layers.Dense(sys.argv[1])])\n').models[0]!;
  assert.match(summaryLensText(bad), /^sequential · 0 params \(has errors\) · /);
  assert.match(modelLenses(bad)[0]!.tooltip!, /ERRORS: this model has an error \(line 3\); the totals above are not Keras's/);
  const ok = readModel('m.py', H + 'model = keras.Sequential([keras.Input((8,)), layers.Dense(8)])\n').models[0]!;
  assert.match(summaryLensText(ok), /^sequential · 72 params · /);
  assert.doesNotMatch(modelLenses(ok)[0]!.tooltip!, /ERRORS|INCOMPLETE/);
});
