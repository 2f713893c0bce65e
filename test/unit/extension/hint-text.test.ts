import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeEnd, hintPlacements, layerHintText, summaryHintPlacements, summaryHintText } from '../../../src/extension/text/hint-text';
import { layer, tinyCnn } from './fixture';

test('hint text: shape and params, params omitted when zero', () => {
  assert.equal(layerHintText(layer('c', 'Conv2D', 1, [null, 28, 28, 32], 320)), '→ 28×28×32 · 320');
  assert.equal(layerHintText(layer('p', 'MaxPooling2D', 1, [null, 14, 14, 32], 0)), '→ 14×14×32');
  assert.equal(layerHintText(layer('d', 'Dense', 1, [null, 512], 1606144)), '→ 512 · 1.61 M');
  assert.equal(layerHintText(layer('x', 'Dense', 1, null as never, 0)), '→ ?');
});

test('one layer per line: hint at the end of the code, before a comment', () => {
  const lines = ['', '', 'x = layers.Input(shape=(28, 28, 1))', 'x = layers.Conv2D(32, 3, padding="same")(x)   # first conv', 'x = layers.MaxPooling2D()(x)', 'x = layers.Flatten()(x)', 'y = layers.Dense(10)(x)'];
  const hints = hintPlacements([tinyCnn()], (i) => lines[i]);
  assert.equal(hints.length, 5);
  const conv = hints.find((h) => h.layer === 'conv2d')!;
  assert.equal(conv.line, 3);
  assert.equal(conv.character, 'x = layers.Conv2D(32, 3, padding="same")(x)'.length);
  assert.equal(conv.text, '→ 28×28×32 · 320');
});

test('two layers ending on one line: each hint right after its call', () => {
  const m = tinyCnn();
  m.layers = [
    layer('a', 'Dense', 1, [null, 4], 20, { range: { line: 1, column: 13, endLine: 1, endColumn: 28 } }),
    layer('b', 'Dense', 1, [null, 2], 10, { range: { line: 1, column: 30, endLine: 1, endColumn: 44 } }),
  ];
  const hints = hintPlacements([m], () => 'm = Sequential([Dense(4), Dense(2)])');
  assert.deepEqual(hints.map((h) => [h.line, h.character]), [[0, 27], [0, 36]]);
});

test('lines that do not exist are skipped', () => {
  assert.equal(hintPlacements([tinyCnn()], () => undefined).length, 0);
});

test('codeEnd ignores # inside strings', () => {
  assert.equal(codeEnd('x = f("#a")  # c'), 'x = f("#a")'.length);
  assert.equal(codeEnd("y = 'a\\'#'   "), "y = 'a\\'#'".length);
});

test('summary() calls: a hint at the end of each call with the totals printed there', () => {
  const m = tinyCnn();
  const at = (line: number) => ({ line, column: 1, endLine: line, endColumn: 16 });
  m.summaries = [
    { range: at(9), built: true, totalParams: 56320, trainableParams: 56320, nonTrainableParams: 0, layers: 6 },
    { range: at(11), built: true, totalParams: 81, trainableParams: 5, nonTrainableParams: 76, layers: 3 },
    { range: at(12), built: false },
    // No figures (a model used in it changes later) while the model is complete: said.
    { range: at(13), built: true },
  ];
  const lines: Record<number, string> = { 8: 'model.summary()', 10: 'print(model.summary())   # frozen', 11: 'm.summary()', 12: 'y.summary()' };
  const hints = summaryHintPlacements([m], (i) => lines[i]);
  assert.deepEqual(
    hints.map((h) => [h.line, h.character, h.text]),
    [
      [8, 'model.summary()'.length, 'Total 56,320 · trainable 56,320'],
      [10, 'print(model.summary())'.length, 'Total 81 · trainable 5'],
      [11, 'm.summary()'.length, 'not built here'],
      [12, 'y.summary()'.length, 'not worked out here'],
    ],
  );
  // An incomplete model's calls: no hint (its errors say why).
  const broken = { ...m, gaps: [{ range: at(2), message: 'x', after: null }] };
  assert.deepEqual(summaryHintPlacements([broken], (i) => lines[i]).map((h) => h.text), ['Total 56,320 · trainable 56,320', 'Total 81 · trainable 5', 'not built here']);
  assert.match(hints[0]!.tooltip!, /summary\(\) prints here for model 'Basic_CNN'/);
  assert.equal(summaryHintText({ range: at(1), built: true, totalParams: 81, trainableParams: 81, nonTrainableParams: 0 }), 'Total 81 · trainable 81');
});

test('summary() in a loop: each different printout of the line, in order, at most three', () => {
  const m = tinyCnn();
  const s = (total: number) => ({ range: { line: 5, column: 5, endLine: 5, endColumn: 20 }, built: true, totalParams: total, trainableParams: total, nonTrainableParams: 0, layers: 2 });
  m.summaries = [s(15), s(23), s(23), s(30), s(40)];
  const hints = summaryHintPlacements([m], () => '    model.summary()');
  assert.equal(hints.length, 1);
  assert.equal(hints[0]!.text, 'Total 15 · trainable 15 | Total 23 · trainable 23 | Total 30 · trainable 30 | …');
  assert.equal(hints[0]!.character, '    model.summary()'.length);
});
