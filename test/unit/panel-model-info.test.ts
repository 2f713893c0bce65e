import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { readModel } from '../../src/core/read-model';
import { layoutModel } from '../../src/webview/graph/layout';
import { keyArgs, layerKind, layerRows, multiplyAdds, volume } from '../../src/webview/model-info';
import { smooth } from '../../src/webview/charts/line-chart';
import { residualNet } from '../browser/fixtures/models';

const basic = readModel('examples/basic_cnn.py', fs.readFileSync('examples/basic_cnn.py', 'utf8')).models[0]!;

test('key arguments as the graph shows them', () => {
  const by = (n: string) => basic.layers.find((l) => l.name === n)!;
  assert.equal(keyArgs(by('conv2d')), '32 · 3×3 · same');
  assert.equal(keyArgs(by('max_pooling2d')), '2×2');
  assert.equal(keyArgs(by('dropout')), '0.5');
  assert.equal(keyArgs(by('dense')), '512');
  assert.equal(keyArgs(by('activation_5')), 'softmax');
  const strided = { ...by('conv2d'), config: { ...by('conv2d').config, strides: [2, 2], padding: 'valid', activation: 'relu' } };
  assert.equal(keyArgs(strided), '32 · 3×3 · stride 2×2 · valid · relu');
  assert.deepEqual(['InputLayer', 'Conv2D', 'DepthwiseConv2D', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Dense', 'ReLU', 'Add', 'BatchNormalization', 'Flatten', 'Lambda'].map(layerKind), ['input', 'conv', 'conv', 'pool', 'pool', 'dense', 'activation', 'merge', 'norm', 'reshape', 'other']);
});

test('activation volume and multiply-adds of Basic_CNN', () => {
  const rows = layerRows(basic);
  assert.equal(volume([null, 28, 28, 32]), 25088);
  assert.equal(volume([null, null, 3]), 0);
  const macs = Object.fromEntries(rows.map((r) => [r.layer.name, r.macs]));
  assert.equal(macs.conv2d, 28 * 28 * 32 * 3 * 3 * 1);
  assert.equal(macs.conv2d_1, 28 * 28 * 32 * 3 * 3 * 32);
  assert.equal(macs.dense, 3136 * 512);
  assert.equal(macs.dense_1, 512 * 10);
  assert.equal(macs.max_pooling2d, 0);
  assert.equal(multiplyAdds(basic.layers[1]!, null), 0);
});

test('dagre layout: every layer placed top to bottom (or left to right), one edge per input, skips flagged', () => {
  const g = layoutModel(basic, { expand: true });
  assert.equal(g.nodes.length, basic.layers.length);
  for (let i = 1; i < g.nodes.length; i++) assert.ok(g.nodes[i]!.y > g.nodes[i - 1]!.y, 'a chain goes down');
  assert.equal(g.edges.length, basic.layers.length - 1);
  assert.ok(g.edges.every((e) => !e.skip && e.points.length >= 2));
  const lr = layoutModel(basic, { direction: 'LR' });
  for (let i = 1; i < lr.nodes.length; i++) assert.ok(lr.nodes[i]!.x > lr.nodes[i - 1]!.x, 'left to right, a chain goes right');
  const res = residualNet(40);
  const r = layoutModel(res, { expand: true });
  const adds = res.layers.filter((l) => l.type === 'Add');
  assert.equal(r.edges.filter((e) => e.skip).length, adds.length);
  for (const e of r.edges.filter((e) => e.skip)) assert.ok(adds.some((a) => a.name === e.to));
  assert.ok(r.width > 0 && r.height > 0);
});

test('graph folding: activations and dropouts that follow a single-consumer layer become its badges', () => {
  const g = layoutModel(basic);
  // examples/basic_cnn.py: 19 layers, of which 6 Activation and 3 Dropout follow a layer.
  assert.equal(g.nodes.length, 10);
  assert.deepEqual(g.nodes.map((n) => n.title), ['InputLayer', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
  assert.deepEqual(g.nodes.find((n) => n.subtitle === 'dense')!.badges, ['+ relu', '+ dropout 0.5']);
  assert.deepEqual(g.nodes.find((n) => n.subtitle === 'dense_1')!.badges, ['+ softmax']);
  assert.equal(g.nodeOf.get('activation_5'), 'dense_1');
  assert.equal(g.nodeOf.get('conv2d'), 'conv2d');
  // Labels only where the shape changes.
  assert.deepEqual(g.edges.map((e) => e.label), ['28×28×1', '', '28×28×32', '14×14×32', '', '14×14×64', '7×7×64', '3136', '512']);
  // A layer that feeds two others keeps its activation as a node (the branch point must stay visible).
  const res = residualNet(10);
  const r = layoutModel(res);
  const consumers = (n: string) => res.layers.filter((l) => l.inputs.includes(n)).length;
  for (const n of r.nodes) for (const f of n.folded) assert.equal(consumers(f.layer.inputs[0]!), 1);
  assert.equal(new Set(r.nodeOf.values()).size, r.nodes.length);
});

test('smoothing: debiased EMA keeps the first value and follows a constant', () => {
  const pts: [number, number][] = [[1, 2], [2, 2], [3, 2]];
  assert.deepEqual(smooth(pts, 0.9).map((p) => +p[1].toFixed(9)), [2, 2, 2]);
  const s = smooth([[1, 1], [2, 0]], 0.5);
  assert.equal(s[0]![1], 1);
  assert.ok(Math.abs(s[1]![1] - 1 / 3) < 1e-12);
  assert.equal(smooth(pts, 0), pts);
});

test('a nested model used as a layer says so on its node', () => {
  const inner = { ...basic.layers[1]!, name: 'feature_extractor', type: 'Functional', nested: { model: 'features', line: 7 } };
  const m = { ...basic, layers: [basic.layers[0]!, { ...inner, inputs: [basic.layers[0]!.name] }] };
  const g = layoutModel(m);
  const n = g.nodes.find((x) => x.row.layer.name === 'feature_extractor')!;
  assert.equal(n.subtitle, 'feature_extractor · model, line 7');
});

test('repeated blocks: a residual stage is found as one run and can be drawn as one node', () => {
  // residualNet(40): input, stem, 4 × (conv → BN+relu → conv → BN → add+relu), pool, gap+dropout, dense.
  const res = residualNet(40);
  const open = layoutModel(res);
  assert.deepEqual(open.runs, [{ id: 'block0_conv_a', start: 2, length: 5, count: 4 }]);
  assert.equal(open.nodes.length, 25);
  const grouped = layoutModel(res, { collapse: () => true });
  assert.deepEqual(grouped.nodes.map((n) => n.title), ['InputLayer', 'Conv2D', '▸ 4 × block', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Dense']);
  const block = grouped.nodes[2]!;
  // 4 blocks × (2 convs of 3·3·32·32 + 32 and 2 batch norms of 4·32) parameters.
  assert.equal(block.block!.layers.length, 4 * 7);
  assert.equal(block.details, `28×28×32 → 28×28×32 · ${(4 * (2 * (9 * 32 * 32 + 32) + 2 * 4 * 32)).toLocaleString('en')} params`);
  assert.equal(grouped.nodeOf.get('block2_add'), 'block0_conv_a');
  assert.deepEqual(grouped.edges.map((e) => `${e.from}>${e.to}`), ['image>stem', 'stem>block0_conv_a', 'block0_conv_a>pool', 'pool>gap', 'gap>logits']);
  // Basic_CNN's two conv stages differ (32 and 64 filters): nothing repeats.
  assert.deepEqual(layoutModel(basic).runs, []);
});
