import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelLenses, progressText, shapeFlowText, LENS_STOP, LENS_TRAIN } from '../../../src/extension/text/lens-text';
import { tinyCnn } from './fixture';

test('shape flow shows input, output and total params', () => {
  assert.equal(shapeFlowText(tinyCnn()), '28×28×1 → … → 10 · 1.68 M params');
});

test('shape flow of a model with two inputs lists both', () => {
  const m = tinyCnn();
  m.inputs = ['input_1', 'flatten'];
  assert.equal(shapeFlowText(m), '28×28×1, 6272 → … → 10 · 1.68 M params');
});

test('lenses in order when idle', () => {
  const titles = modelLenses(tinyCnn()).map((l) => l.title);
  assert.deepEqual(titles, [LENS_TRAIN, 'Evaluate', 'Predict image…', 'Show graph', '28×28×1 → … → 10 · 1.68 M params']);
  assert.equal(LENS_TRAIN, '▶ Train');
});

test('while training the Train lens becomes Stop and progress shows', () => {
  const lenses = modelLenses(tinyCnn(), { epoch: 1, epochs: 3, progress: 0.4271, acc: 0.9134 });
  assert.equal(lenses[0]!.title, LENS_STOP);
  assert.equal(lenses[0]!.command, 'modelLens.stopTraining');
  assert.equal(lenses[1]!.title, 'epoch 1/3 · 42% · acc 0.91');
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
  const lens = modelLenses(m)[0]!;
  assert.equal(lens.title, '⊘ Train (Lambda)');
  assert.equal(lens.command, 'modelLens.train');
  assert.match(lens.tooltip!, /layer 'lambda' \(Lambda, line \d+\) cannot be trained here: Lambda runs Python code, which Model Lens never executes/);
  assert.match(lens.tooltip!, /graph, shapes and parameter counts still work/);
});
