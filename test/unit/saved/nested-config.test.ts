/**
 * Nested models in saved configs (a Sequential used as a layer of a functional model), Keras 2
 * and Keras 3 layouts. Expected counts from Keras's Dense formula (keras.io Dense docs:
 * kernel input_dim × units plus a bias of units): Dense(4) on 3 inputs = 3·4 + 4 = 16,
 * Dense(2) on 4 = 10, Dense(1) on 2 = 3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readJsonModel } from '../../../src/core/keras/json-reader';
import { sniffBytes } from '../../../src/core/saved/sniff';

const keras2 = {
  class_name: 'Model',
  config: {
    name: 'outer',
    layers: [
      { class_name: 'InputLayer', name: 'x', config: { batch_input_shape: [null, 3], name: 'x' }, inbound_nodes: [] },
      {
        class_name: 'Sequential',
        name: 'block',
        config: { name: 'block', layers: [{ class_name: 'Dense', config: { name: 'd1', units: 4 } }, { class_name: 'Dense', config: { name: 'd2', units: 2 } }] },
        inbound_nodes: [[['x', 0, 0, {}]]],
      },
      { class_name: 'Dense', name: 'head', config: { name: 'head', units: 1 }, inbound_nodes: [[['block', 1, 0, {}]]] },
    ],
    input_layers: [['x', 0, 0]],
    output_layers: [['head', 0, 0]],
  },
};

test('a nested Sequential (Keras 2 layout) is one layer with the inner model shape and counts', () => {
  const r = readJsonModel('m.json', JSON.stringify(keras2));
  const m = r.models[0]!;
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
  const block = m.layers.find((l) => l.name === 'block')!;
  assert.equal(block.type, 'Sequential');
  assert.deepEqual(block.outputShape, [null, 2]);
  assert.equal(block.params, 26);
  assert.equal(m.totalParams, 29);
});

test('a nested Functional (Keras 3 layout, __keras_tensor__ inbound nodes) with trainable=False counts as non-trainable', () => {
  const inner = {
    module: 'keras',
    class_name: 'Functional',
    config: {
      name: 'inner',
      trainable: false,
      layers: [
        { class_name: 'InputLayer', name: 'i', config: { batch_shape: [null, 3], name: 'i' }, inbound_nodes: [] },
        { class_name: 'Dense', name: 'd', config: { name: 'd', units: 4 }, inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: ['i', 0, 0] } }], kwargs: {} }] },
      ],
      input_layers: [['i', 0, 0]],
      output_layers: [['d', 0, 0]],
    },
    inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: ['x', 0, 0] } }], kwargs: {} }],
  };
  const outer = {
    class_name: 'Functional',
    config: {
      name: 'outer',
      layers: [
        { class_name: 'InputLayer', name: 'x', config: { batch_shape: [null, 3], name: 'x' }, inbound_nodes: [] },
        inner,
        { class_name: 'Dense', name: 'head', config: { name: 'head', units: 1 }, inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: ['inner', 0, 0] } }], kwargs: {} }] },
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['head', 0, 0]],
    },
  };
  const m = readJsonModel('m.json', JSON.stringify(outer)).models[0]!;
  // Dense(4) on 3 = 16 frozen; Dense(1) on 4 = 5 trainable.
  assert.equal(m.totalParams, 21);
  assert.equal(m.nonTrainableParams, 16);
  assert.equal(m.trainableParams, 5);
});

test('Keras 2 one-element axis lists (BatchNormalization axis=[3]) are read as the axis', () => {
  const cfg = {
    class_name: 'Sequential',
    config: [
      { class_name: 'BatchNormalization', config: { name: 'bn', axis: [3], batch_input_shape: [null, 4, 4, 8] } },
    ],
  };
  const m = readJsonModel('m.json', JSON.stringify(cfg)).models[0]!;
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
  // BatchNormalization on 8 channels: gamma, beta trainable (16), moving mean/variance not (16) — Keras BN docs.
  assert.equal(m.trainableParams, 16);
  assert.equal(m.nonTrainableParams, 16);
});

test('file kinds by magic bytes', () => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  assert.equal(sniffBytes(bytes(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a)), 'hdf5');
  const userBlock = new Uint8Array(600);
  userBlock.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
  assert.equal(sniffBytes(userBlock), 'hdf5');
  assert.equal(sniffBytes(bytes(0x50, 0x4b, 0x03, 0x04)), 'zip');
  assert.equal(sniffBytes(new TextEncoder().encode('  \n{"a": 1}')), 'json');
  assert.equal(sniffBytes(new TextEncoder().encode('import keras\n')), 'text');
});

test('a zip whose stored entry puts HDF5\'s signature where a user block would end is a zip', () => {
  const head = new Uint8Array(2048);
  head.set([0x50, 0x4b, 0x03, 0x04], 0);
  head.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 1024);
  assert.equal(sniffBytes(head), 'zip');
});
