/**
 * The classes Keras writes for models, from a topology as TF.js writes it (every graph `Model`):
 * keras/src/models/sequential.py get_config (a Sequential's layers as a list, its InputLayer first,
 * no inbound nodes; `trainable` in the config), functional.py (the graph), serialization_lib.py
 * (Sequential public under `keras`; Functional by its module, registered as "Functional").
 * The topologies are small ones written here in the Keras 2 layout TF.js saves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigValue } from '../../../src/core/model/ir';
import { keras3ModelKeys, withKerasModelClasses, type ModelKind } from '../../../src/core/saved/model-classes';

type Obj = { [k: string]: ConfigValue };

const input = (name: string): Obj => ({ name, class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, name }, inbound_nodes: [] });
const dense = (name: string, from: string | string[], kwargs: Obj = {}): Obj => ({ name, class_name: 'Dense', config: { units: 4, name }, inbound_nodes: [(Array.isArray(from) ? from : [from]).map((f) => [f, 0, 0, kwargs])] });
const graph = (name: string, layers: Obj[], out: string): Obj => ({ class_name: 'Model', config: { name, layers, input_layers: [[layers[0]!['name']!, 0, 0]], output_layers: [[out, 0, 0]] } });
const kind = (sequential: boolean, inner: [string, ModelKind][] = [], frozen = false): ModelKind => ({ sequential, ...(frozen ? { frozen } : {}), inner: new Map(inner) });
const layersOf = (m: Obj) => (m['config'] as Obj)['layers'] as Obj[];

test('a chain the source wrote as Sequential becomes a Sequential (layers listed, InputLayer first, no inbound nodes), a model inside it too', () => {
  const inner = { ...graph('inner', [input('in_i'), dense('fc', 'in_i')], 'fc'), name: 'inner', inbound_nodes: [[['a', 0, 0, {}]]] };
  const outer = graph('outer', [input('x'), dense('a', 'x'), inner, dense('b', 'inner')], 'b');
  const out = withKerasModelClasses(outer, kind(true, [['inner', kind(true)]]));
  assert.equal(out['class_name'], 'Sequential');
  assert.deepEqual(Object.keys(out['config'] as Obj), ['name', 'layers']);
  assert.deepEqual(layersOf(out).map((l) => [l['class_name'], Object.keys(l)]), [
    ['InputLayer', ['class_name', 'config']],
    ['Dense', ['class_name', 'config']],
    ['Sequential', ['class_name', 'config']],
    ['Dense', ['class_name', 'config']],
  ]);
  assert.deepEqual(layersOf(layersOf(out)[2]!).map((l) => l['class_name']), ['InputLayer', 'Dense']);
});

test('not a chain (a residual Add), or a call with arguments: the graph stays, as Functional', () => {
  const residual = graph('res', [input('x'), dense('a', 'x'), { name: 'sum', class_name: 'Add', config: { name: 'sum' }, inbound_nodes: [[['x', 0, 0, {}], ['a', 0, 0, {}]]] }], 'sum');
  const r = withKerasModelClasses(residual, kind(true));
  assert.equal(r['class_name'], 'Functional');
  assert.ok(layersOf(r).every((l) => Array.isArray(l['inbound_nodes'])));
  const called = graph('called', [input('x'), dense('a', 'x', { training: false })], 'a');
  assert.equal(withKerasModelClasses(called, kind(true))['class_name'], 'Functional');
});

test("a graph model (or one the source did not say) is Functional; a frozen inner model keeps trainable: false; other layers are left as they are", () => {
  const block = { ...graph('block', [input('in_b'), dense('fc', 'in_b')], 'fc'), name: 'block', inbound_nodes: [[['x', 0, 0, {}]]] };
  const outer = graph('outer', [input('x'), block, dense('head', 'block')], 'head');
  const out = withKerasModelClasses(outer, kind(false, [['block', kind(true, [], true)]]));
  assert.equal(out['class_name'], 'Functional');
  const b = layersOf(out)[1]!;
  assert.equal(b['class_name'], 'Sequential');
  assert.equal((b['config'] as Obj)['trainable'], false);
  assert.deepEqual(b['inbound_nodes'], [[['x', 0, 0, {}]]], 'the call on the outer graph is kept');
  assert.deepEqual(layersOf(out)[2], dense('head', 'block'));
  assert.equal(withKerasModelClasses(graph('m', [input('x'), dense('a', 'x')], 'a'), undefined)['class_name'], 'Functional');
});

test('.keras keys: Sequential under module keras (registered_name null), Functional under keras.src.models.functional (registered "Functional"), at every depth', () => {
  const seq: Obj = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { name: 'i' } }] } };
  const fn: Obj = { class_name: 'Functional', config: { name: 'f', layers: [{ ...seq, name: 's', inbound_nodes: [] }], input_layers: [], output_layers: [] } };
  const out = keras3ModelKeys(fn);
  assert.deepEqual(Object.keys(out).slice(0, 4), ['module', 'class_name', 'config', 'registered_name']);
  assert.equal(out['module'], 'keras.src.models.functional');
  assert.equal(out['registered_name'], 'Functional');
  const inner = layersOf(out)[0]!;
  assert.deepEqual([inner['module'], inner['class_name'], inner['registered_name'], inner['name']], ['keras', 'Sequential', null, 's']);
});
