import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerAtLine, modelAtLine, modelKey } from '../../../src/extension/text/model-pick';
import { layer, tinyCnn } from './fixture';

test('model at a layer line or its build line', () => {
  const a = tinyCnn();
  const b = { ...tinyCnn(), name: 'Other', range: { line: 30, column: 1, endLine: 31, endColumn: 2 }, layers: [layer('d', 'Dense', 25, [null, 2], 10)] };
  assert.equal(modelAtLine([a, b], 4)?.name, 'Basic_CNN');
  assert.equal(modelAtLine([a, b], 31)?.name, 'Other');
  assert.equal(modelAtLine([a, b], 25)?.name, 'Other');
  assert.equal(modelAtLine([a, b], 100), undefined);
  assert.equal(modelAtLine([a], 100)?.name, 'Basic_CNN');
});

test('layer at line, innermost by column', () => {
  const m = tinyCnn();
  assert.equal(layerAtLine(m, 4)?.name, 'conv2d');
  assert.equal(layerAtLine(m, 8), undefined);
  m.layers = [
    layer('outer', 'TimeDistributed', 1, [null, 1], 0, { range: { line: 1, column: 1, endLine: 1, endColumn: 50 } }),
    layer('inner', 'Dense', 1, [null, 1], 0, { range: { line: 1, column: 20, endLine: 1, endColumn: 30 } }),
  ];
  assert.equal(layerAtLine(m, 1, 25)?.name, 'inner');
  assert.equal(layerAtLine(m, 1, 5)?.name, 'outer');
});

test('model key', () => {
  assert.equal(modelKey('/a/b.py', 'M'), '/a/b.py#M');
});
