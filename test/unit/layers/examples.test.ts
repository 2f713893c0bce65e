// The layer-catalog examples read cleanly, every layer gets a shape, and the graph lays them out
// (nodes coloured by the catalog's kinds). Figures for single layers are checked in the family tests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'node:test';
import { readModel } from '../../../src/core/read-model';
import { layoutModel } from '../../../src/webview/graph/layout';
import { layerRows } from '../../../src/webview/model-info';

const cases: [file: string, kinds: string[]][] = [
  ['examples/catalog/text_classifier.py', ['embedding', 'conv', 'pool', 'recurrent', 'dense']],
  ['examples/catalog/conv_autoencoder.py', ['conv', 'reshape']],
  ['examples/catalog/cifar_resnet.py', ['preprocess', 'conv', 'norm', 'merge', 'pool']],
  ['examples/catalog/transformer_block.json', ['embedding', 'attention', 'norm', 'merge', 'pool']],
];

for (const [file, kinds] of cases) {
  it(`${file} reads, every layer has a shape, and the graph lays it out`, () => {
    const r = readModel(file, fs.readFileSync(file, 'utf8'));
    const m = r.models[0]!;
    const errors = [...r.diagnostics, ...m.diagnostics].filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => d.message), []);
    for (const l of m.layers) assert.ok(l.outputShape, `${l.name} has a shape`);
    const g = layoutModel(m);
    // Every layer is a node or a badge folded onto one (an Activation or Dropout after a layer).
    const drawn = g.nodes.flatMap((n) => [n.row.layer.name, ...n.folded.map((f) => f.layer.name)]);
    assert.deepEqual([...drawn].sort(), m.layers.map((l) => l.name).sort());
    const seen = new Set(layerRows(m).map((row) => row.kind));
    for (const k of kinds) assert.ok(seen.has(k as never), `${file} shows ${k} nodes`);
  });
}

it('the text classifier counts multiply-adds of its Conv1D and LSTM', () => {
  const m = readModel('t.py', fs.readFileSync('examples/catalog/text_classifier.py', 'utf8')).models[0]!;
  const rows = new Map(layerRows(m).map((r) => [r.layer.name, r.macs]));
  // Conv1D(64, 5, strides=2) on (200, 64): 98 positions × 64 filters × 5·64 taps.
  assert.equal(rows.get('conv1d'), 98 * 64 * 5 * 64);
  // LSTM(32) over 49 steps of 64 features: 4 gates × 32 units × (64 + 32) per step.
  assert.equal(rows.get('lstm'), 49 * 4 * 32 * (64 + 32));
});
