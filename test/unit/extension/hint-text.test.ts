import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeEnd, hintPlacements, layerHintText } from '../../../src/extension/text/hint-text';
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
