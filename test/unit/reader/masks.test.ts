// Keras 3's implicit masks: an Embedding(mask_zero=True) makes `ops.not_equal(ids, 0)` when called
// (Embedding.compute_mask) and a layer whose call takes `mask`, called with one tensor argument, gets
// it as an input (keras/src/layers/layer.py, __call__ step 6). Rows as printed, by tag:
//  [srnn]   a Keras 3 script with its summary in a comment (find_string 'not_equal (NotEqual)'):
//           input (None, 5) -; embed (None, 5, 16) 32,000 input; not_equal (NotEqual) (None, 5) 0 input;
//           simple_rnn (None, 8) 200 embed, not_equal; out (None, 1) 9 simple_rnn; total 32,209;
//  [dlwp3-14] Deep Learning with Python 3rd ed. ch. 14, lstm_with_embedding: embedding, not_equal (None, 600),
//           bidirectional (None, 128) 66,048 "embedding[0][0], not_equal[0][0]", dropout, dense 129;
//  [dlwp3-15] ch. 15 seq2seq_rnn: english, spanish, embedding_1, not_equal, embedding_2, bidirectional
//           "embedding_1[0][0], not_equal[0][0]", gru_2 "embedding_2[0][0], bidirectional[0][…" (two tensor
//           arguments: no mask), dropout_1, dense_1 (the book's names count earlier models of its notebook);
//  [k3-s2s] a Keras 3 seq2seq with its summary: not_equal after encoder_embedding, before decoder_embedding;
//           the decoder LSTM (given initial_state=) gets no mask.
// The models are our own (the fixtures reproduce the published ones); only the figures come from the sources.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../../../src/core/model/ir';
import { summaryRows as rows } from './summary-rows';
import { readModel } from '../../../src/core/read-model';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import { hintPlacements } from '../../../src/extension/text/hint-text';

const root = path.resolve(__dirname, '../../..');
const fixture = (name: string): ModelIR[] => {
  const file = `test/unit/fixtures/published/${name}`;
  const r = readModel(file, fs.readFileSync(path.join(root, file), 'utf8'));
  assert.deepEqual([...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.models;
};
const body = (text: string): ModelIR => {
  const r = readModel('m.py', `import keras\nfrom keras import layers\n${text}\n`);
  assert.deepEqual([...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.models[r.models.length - 1]!;
};


describe("Keras 3's mask of Embedding(mask_zero=True)", () => {
  it('is a not_equal row on the ids, connected to the recurrent layer after the Embedding [srnn]', () => {
    assert.deepEqual(rows(fixture('keras3_masked_simple_rnn.py')[0]!), [
      ['input (InputLayer)', '(None, 5)', '0', '-'],
      ['embed (Embedding)', '(None, 5, 16)', '32,000', 'input'],
      ['not_equal (NotEqual)', '(None, 5)', '0', 'input'],
      ['simple_rnn (SimpleRNN)', '(None, 8)', '200', 'embed, not_equal'],
      ['out (Dense)', '(None, 1)', '9', 'simple_rnn'],
    ]);
  });

  it('reaches a Bidirectional; a call with initial_state= (two tensor arguments) gets none [dlwp3-14, dlwp3-15, k3-s2s]', () => {
    assert.deepEqual(rows(fixture('dlwp3_lstm_with_embedding.py')[0]!).map((r) => [r[0], r[3]]), [
      ['input_layer (InputLayer)', '-'],
      ['embedding (Embedding)', 'input_layer'],
      ['not_equal (NotEqual)', 'input_layer'],
      ['bidirectional (Bidirectional)', 'embedding, not_equal'],
      ['dropout (Dropout)', 'bidirectional'],
      ['dense (Dense)', 'dropout'],
    ]);
    assert.deepEqual(rows(fixture('dlwp3_seq2seq_rnn.py')[0]!).map((r) => [r[0], r[3]]), [
      ['english (InputLayer)', '-'],
      ['spanish (InputLayer)', '-'],
      ['embedding (Embedding)', 'english'],
      ['not_equal (NotEqual)', 'english'],
      ['embedding_1 (Embedding)', 'spanish'],
      ['bidirectional (Bidirectional)', 'embedding, not_equal'],
      ['gru_1 (GRU)', 'embedding_1, bidirectional'],
      ['dropout (Dropout)', 'gru_1'],
      ['dense (Dense)', 'dropout'],
    ]);
    const s2s = rows(fixture('keras3_seq2seq_masked.py')[0]!).map((r) => r[0]);
    assert.deepEqual(s2s.slice(2, 5), ['encoder_embedding (Embedding)', 'not_equal (NotEqual)', 'decoder_embedding (Embedding)']);
  });

  it('is handed on by layers that keep masks (Dropout, Dense) and ended by a recurrent layer; every masked Embedding call takes a name', () => {
    const m = body(
      `x = keras.Input(shape=(20,))\ne = layers.Embedding(100, 8, mask_zero=True)(x)\nu = layers.Embedding(100, 8, mask_zero=True)(x)\n` +
        `y = layers.Dropout(0.1)(e)\ny = layers.LSTM(4, return_sequences=True)(y)\ny = layers.LSTM(4)(y)\nmodel = keras.Model(x, [y, u])`,
    );
    const byName = new Map(m.layers.map((l) => [l.name, l]));
    // The second Embedding's mask is made (not_equal_1) but read by nothing: not a row.
    assert.deepEqual(m.layers.filter((l) => l.implicitMask).map((l) => l.name), ['not_equal']);
    assert.deepEqual(byName.get('lstm')!.inputs, ['dropout', 'not_equal']);
    // LSTM has supports_masking = False: its output carries no mask.
    assert.deepEqual(byName.get('lstm_1')!.inputs, ['lstm']);
    const explicit = body(`x = keras.Input(shape=(20,))\ne = layers.Embedding(100, 8, mask_zero=True)(x)\ny = layers.Dense(4)(e)\nz = layers.GlobalAveragePooling1D()(y)\nmodel = keras.Model(x, z)`);
    assert.deepEqual(explicit.layers.find((l) => l.type === 'GlobalAveragePooling1D')!.inputs, ['dense', 'not_equal']);
  });

  it('leaves shapes, counts and training alone: no hint of its own, not a training blocker', () => {
    const m = fixture('keras3_masked_simple_rnn.py')[0]!;
    assert.equal(trainingBlocker(m), undefined);
    const lines = fs.readFileSync(path.join(root, 'test/unit/fixtures/published/keras3_masked_simple_rnn.py'), 'utf8').split('\n');
    const hints = hintPlacements([m], (i) => lines[i]);
    assert.deepEqual(hints.filter((h) => h.layer === 'not_equal'), []);
    assert.ok(hints.some((h) => h.layer === 'embed'));
  });

  it('a Sequential model and a subclassed call() make no mask rows (Keras lists their layers only)', () => {
    const seq = body(`model = keras.Sequential([keras.Input(shape=(20,)), layers.Embedding(100, 8, mask_zero=True), layers.LSTM(4)])`);
    assert.deepEqual(seq.layers.map((l) => l.type), ['InputLayer', 'Embedding', 'LSTM']);
  });
});
