/**
 * `.keras` weight groups of layers whose weights sub-layers hold, as keras/src/saving/saving_lib.py
 * lays them out (`_save_state`: a saveable's own variables in `<path>/vars`, then each attribute
 * that is a saveable at `<path>/<attribute>`, public attributes first): an RNN's in `cell/vars`
 * (keras/src/layers/rnn/rnn.py `self.cell`), Bidirectional's in `forward_layer/cell/vars` and
 * `backward_layer/cell/vars` (bidirectional.py), TimeDistributed's in `layer/vars`,
 * MultiHeadAttention's in `query_dense/vars`, `key_dense/vars`, `value_dense/vars`,
 * `output_dense/vars` (multi_head_attention.py properties over its EinsumDense layers).
 * A fixture written here in that layout is read, exported to .keras (the HDF5 tree compared with
 * it name by name through python3-h5py), .h5 and TF.js, and read back with identical weights and
 * identical predictions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { exportModel, type ExportFormat } from '../../../src/core/saved/export';
import { createH5, h5ready, type Group } from '../../../src/core/saved/hdf5';
import { openModelFile, type OpenedModel } from '../../../src/core/saved/open-saved';
import { keras3Layout } from '../../../src/core/saved/weight-names';
import { readTensor } from '../../../src/core/saved/weights';
import { initBackend } from '../../../src/worker/backend';
import { modelFromSavedConfig, setWeightsFromStore } from '../../../src/worker/saved-weights';
import { tf } from '../../../src/worker/tf';
import { h5pyTree } from './h5py';
import { seeded } from './nested-fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-uncommon-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = path.join(tmp, 'rnn.keras');

const L = (class_name: string, config: object) => ({ module: 'keras.layers', class_name, config, registered_name: null });
const CONFIG = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'seq',
    trainable: true,
    layers: [
      L('InputLayer', { batch_shape: [null, 6], dtype: 'float32', name: 'input_layer' }),
      L('Embedding', { name: 'emb', trainable: true, input_dim: 20, output_dim: 4 }),
      L('Bidirectional', { name: 'bi', trainable: true, merge_mode: 'concat', layer: L('LSTM', { name: 'lstm', trainable: true, units: 3, return_sequences: true, use_bias: true, activation: 'tanh', recurrent_activation: 'sigmoid' }) }),
      L('LayerNormalization', { name: 'ln', trainable: true, axis: -1, epsilon: 0.001, center: true, scale: true }),
      L('SimpleRNN', { name: 'rnn', trainable: true, units: 2, use_bias: true, activation: 'tanh' }),
      L('Dense', { name: 'out', trainable: true, units: 2, activation: 'softmax', use_bias: true }),
    ],
  },
  registered_name: null,
};

/** group → shapes of vars/0, vars/1, … (empty: a saveable without variables of its own). */
const GROUPS: [string, number[][]][] = [
  ['layers/embedding', [[20, 4]]],
  ['layers/bidirectional', []],
  ['layers/bidirectional/backward_layer', []],
  ['layers/bidirectional/backward_layer/cell', [[4, 12], [3, 12], [12]]],
  ['layers/bidirectional/forward_layer', []],
  ['layers/bidirectional/forward_layer/cell', [[4, 12], [3, 12], [12]]],
  ['layers/layer_normalization', [[6], [6]]],
  ['layers/simple_rnn', []],
  ['layers/simple_rnn/cell', [[6, 2], [2, 2], [2]]],
  ['layers/dense', [[2, 2], [2]]],
];

async function writeFixture(): Promise<void> {
  await h5ready();
  const wfile = `${file}.weights.h5`;
  const f = createH5(wfile);
  let seed = 1;
  try {
    for (const [g, shapes] of GROUPS) {
      let grp: Group = f;
      for (const part of `${g}/vars`.split('/')) grp = grp.keys().includes(part) ? (grp.get(part) as Group) : grp.create_group(part);
      shapes.forEach((s, i) => grp.create_dataset({ name: String(i), data: seeded(s.reduce((a, d) => a * d, 1), seed++, -0.5, 0.5), shape: s, dtype: '<f4' }));
    }
    f.create_group('vars');
  } finally {
    f.close();
  }
  const enc = (s: string) => new TextEncoder().encode(s);
  fs.writeFileSync(file, zipSync({ 'metadata.json': enc('{"keras_version": "3.1.1"}'), 'config.json': enc(JSON.stringify(CONFIG)), 'model.weights.h5': new Uint8Array(fs.readFileSync(wfile)) }));
  fs.rmSync(wfile);
}

test.before(async () => {
  await initBackend('cpu');
  await writeFixture();
});

const errors = (o: OpenedModel) => [...o.result.diagnostics, ...(o.result.models[0]?.diagnostics ?? [])].filter((d) => d.severity === 'error');
const summary = (o: OpenedModel) => o.weights!.layers.map((l) => [l.layer, l.tensors.map((t) => `${t.name}[${t.shape.join('x')}]`).join(' ')]);

test('the sub-layer groups are read with Keras weight names, and the counts match the config', async () => {
  const o = await openModelFile(file);
  try {
    assert.deepEqual(errors(o), []);
    assert.deepEqual(summary(o), [
      ['emb', 'embeddings[20x4]'],
      ['bi', 'forward_layer/kernel[4x12] forward_layer/recurrent_kernel[3x12] forward_layer/bias[12] backward_layer/kernel[4x12] backward_layer/recurrent_kernel[3x12] backward_layer/bias[12]'],
      ['ln', 'gamma[6] beta[6]'],
      ['rnn', 'kernel[6x2] recurrent_kernel[2x2] bias[2]'],
      ['out', 'kernel[2x2] bias[2]'],
    ]);
  } finally {
    o.close();
  }
});

test('MultiHeadAttention, TimeDistributed and GRU keep their weights where Keras 3 does', () => {
  assert.deepEqual(keras3Layout('MultiHeadAttention', { num_heads: 2, key_dim: 4 })!.map((g) => `${g.group}:${g.names.join(',')}`), ['query_dense:kernel,bias', 'key_dense:kernel,bias', 'value_dense:kernel,bias', 'output_dense:kernel,bias']);
  assert.deepEqual(keras3Layout('TimeDistributed', { layer: { class_name: 'Dense', config: { units: 3 } } }), [{ group: 'layer', names: ['kernel', 'bias'] }]);
  assert.deepEqual(keras3Layout('GRU', { units: 3, use_bias: false }), [{ group: 'cell', names: ['kernel', 'recurrent_kernel'] }]);
});

async function predict(o: OpenedModel, x: Float32Array): Promise<Float32Array> {
  const model = await modelFromSavedConfig(o.modelConfig!);
  try {
    setWeightsFromStore(model, o.weights!);
    const t = tf.tensor(x, [2, 6]);
    const y = model.predict(t) as import('@tensorflow/tfjs-core').Tensor;
    const v = (await y.data()) as Float32Array;
    t.dispose();
    y.dispose();
    return v;
  } finally {
    model.dispose();
  }
}

for (const format of ['keras', 'h5', 'tfjs'] as ExportFormat[]) {
  test(`→ ${format} → read back: identical weights and predictions${format === 'keras' ? '; the HDF5 tree is the fixture\'s, name by name (h5py)' : ''}`, async () => {
    const src = await openModelFile(file);
    const out = path.join(tmp, format, format === 'tfjs' ? 'model.json' : `m.${format}`);
    try {
      const written = await exportModel({ modelConfig: src.modelConfig!, weights: src.weights!, source: file }, format, out);
      const back = await openModelFile(written);
      try {
        assert.deepEqual(errors(back), []);
        assert.deepEqual(summary(back), summary(src));
        src.weights!.layers.forEach((l, i) => l.tensors.forEach((t, j) => assert.deepEqual(readTensor(back.weights!.layers[i]!.tensors[j]!), readTensor(t), `${l.layer}/${t.name}`)));
        const x = Float32Array.from({ length: 12 }, (_, i) => (i * 7) % 20);
        const p0 = await predict(src, x);
        assert.deepEqual(await predict(back, x), p0);
        assert.ok(p0.every((v) => Number.isFinite(v)));
        if (format === 'tfjs') {
          // TF.js's own loader matches weights by name (strict): the names are the ones it gives them.
          const json = JSON.parse(fs.readFileSync(written, 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: object[] }[] };
          const bin = fs.readFileSync(path.join(path.dirname(written), json.weightsManifest[0]!.paths[0]!));
          const m = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights as never, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
          const t = tf.tensor(x, [2, 6]);
          const y = m.predict(t) as import('@tensorflow/tfjs-core').Tensor;
          assert.deepEqual((await y.data()) as Float32Array, p0);
          t.dispose();
          y.dispose();
          m.dispose();
        }
      } finally {
        back.close();
      }
      if (format === 'keras') {
        const theirs = h5pyTree(file, 'model.weights.h5');
        const ours = h5pyTree(written, 'model.weights.h5');
        assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
        for (const k of Object.keys(theirs)) if (theirs[k]!.kind === 'dataset') assert.deepEqual([ours[k]!.shape, ours[k]!.sum], [theirs[k]!.shape, theirs[k]!.sum], k);
      }
    } finally {
      src.close();
    }
  });
}
