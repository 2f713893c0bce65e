// Recurrent layers against figures Keras documents or prints. Sources, by tag:
//  [doc:<file>]  docstring example, keras-team/keras keras/src/layers/rnn/<file>
//                (LSTM(4) on (32, 10, 8) → (32, 4); return_sequences=True → (32, 10, 4); RNN(LSTMCell(4)) likewise);
//  [imdb]        keras-io examples/nlp/md/bidirectional_lstm_imdb.md, printed summary: Embedding(20000, 128) 2,560,000;
//                Bidirectional(LSTM(64, return_sequences=True)) (None, None, 128) 98,816; Bidirectional(LSTM(64)) (None, 128) 98,816;
//  [ocr]         keras-io OCR-captcha printed summary: dense1 (None, 50, 64) → bidirectional (None, 50, 256) 197,632 →
//                bidirectional_1 (None, 50, 128) 164,352 (found with the search tool);
//  [so-simple-rnn] Stack Overflow "Number of parameters for Keras SimpleRNN": SimpleRNN(10, input_shape=(3, 1)) → 120;
//  [ds-simple-rnn] datascience.stackexchange 88436: SimpleRNN(units=50, input_shape=(50, 1)) → 2600;
//  [se-gru]      stats.stackexchange 458685 printed summary: GRU(5, input_shape=(None, 25)) → 480 (TF 2, reset_after=True);
//  [tf21-rnn]    printed summaries (TF 2.1 question): SimpleRNN(1, input_shape=(None, 1)) → 3; LSTM(1, …) → 12;
//  [ucf50]       ConvLSTM2D(4, (3, 3), return_sequences=True) on (20, 64, 64, 3) → (None, 20, 62, 62, 4) 1,024 (printed summaries);
//  [convlstm-same] printed summary: conv_lstm2d (ConvLSTM2D) (None, 1, 150, 112, 64) 295,168 after (None, 1, 150, 112, 64).
//  [felix-return-state] printed tf.keras summary in github.com/smfelixchoi/Deep-Learning
//                Return_sequences_and_states_in_RNN.ipynb: LSTM(1, return_state=True) on (3, 1) → [(None, 1), (None, 1), (N… 12;
//  [doc:bidirectional.py] keras/src/layers/rnn/bidirectional.py compute_output_shape (merge_mode=None: a list of both outputs).
//  [cudnn-hamburg] a temperature-forecast README's printed Keras 2 summary (find_string 'cu_dnnlstm_1 (CuDNNLSTM)'):
//                CuDNNLSTM(100, return_sequences) on (32, 1) → (…, 32, 100) 41,200; CuDNNLSTM(100) on 100 → 80,800;
//  [cudnn-pfam]  a Pfam domain script's printed summary: Bidirectional(CuDNNGRU(32, return_sequences)) on 32 → (None, None, 64) 12,672.
// The models are our own; only the figures come from the sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byName, json, one, py } from './read';

describe('recurrent: output shapes and parameters', () => {
  const cases: [string, string, (number | null)[], number | null, string][] = [
    ['(10, 8)', 'layers.LSTM(4)', [4], null, 'doc:lstm.py'],
    ['(10, 8)', 'layers.LSTM(4, return_sequences=True)', [10, 4], null, 'doc:lstm.py'],
    ['(10, 8)', 'layers.GRU(4)', [4], null, 'doc:gru.py'],
    ['(10, 8)', 'layers.GRU(4, return_sequences=True)', [10, 4], null, 'doc:gru.py'],
    ['(None, 25)', 'layers.GRU(5)', [5], 480, 'se-gru'],
    ['(3, 1)', 'layers.SimpleRNN(10)', [10], 120, 'so-simple-rnn'],
    ['(50, 1)', 'layers.SimpleRNN(units=50)', [50], 2600, 'ds-simple-rnn'],
    ['(None, 1)', 'layers.SimpleRNN(1, use_bias=True)', [1], 3, 'tf21-rnn'],
    ['(None, 1)', 'layers.LSTM(1, use_bias=True)', [1], 12, 'tf21-rnn'],
    ['(20, 64, 64, 3)', "layers.ConvLSTM2D(filters=4, kernel_size=(3, 3), activation='tanh', data_format='channels_last', recurrent_dropout=0.2, return_sequences=True)", [20, 62, 62, 4], 1024, 'ucf50'],
    ['(1, 150, 112, 64)', "layers.ConvLSTM2D(64, (3, 3), padding='same', return_sequences=True)", [1, 150, 112, 64], 295168, 'convlstm-same'],
    ['(32, 1)', 'layers.CuDNNLSTM(100, return_sequences=True)', [32, 100], 41200, 'cudnn-hamburg'],
    ['(32, 100)', 'layers.CuDNNLSTM(100)', [100], 80800, 'cudnn-hamburg'],
    ['(None, 32)', 'layers.Bidirectional(layers.CuDNNGRU(32, return_sequences=True))', [null, 64], 12672, 'cudnn-pfam'],
  ];
  for (const [input, layer, out, params, source] of cases) {
    it(`${layer} on ${input} [${source}]`, () => {
      const l = one(input, layer);
      assert.deepEqual(l.outputShape, [null, ...out]);
      if (params !== null) assert.equal(l.params, params);
    });
  }

  it('Embedding + two Bidirectional LSTMs, read from a Keras JSON file [imdb]', () => {
    const m = json([
      ['input_layer', 'InputLayer', { batch_shape: [null, null], dtype: 'int32' }, []],
      ['embedding', 'Embedding', { input_dim: 20000, output_dim: 128 }, ['input_layer']],
      ['bidirectional', 'Bidirectional', { merge_mode: 'concat', layer: { module: 'keras.layers', class_name: 'LSTM', config: { name: 'forward_lstm', units: 64, return_sequences: true } } }, ['embedding']],
      ['bidirectional_1', 'Bidirectional', { layer: { class_name: 'LSTM', config: { name: 'forward_lstm_1', units: 64 } } }, ['bidirectional']],
      ['dense', 'Dense', { units: 1, activation: 'sigmoid' }, ['bidirectional_1']],
    ]);
    assert.deepEqual(m.layers.map((l) => [l.name, l.outputShape, l.params]), [
      ['input_layer', [null, null], 0],
      ['embedding', [null, null, 128], 2560000],
      ['bidirectional', [null, null, 128], 98816],
      ['bidirectional_1', [null, 128], 98816],
      ['dense', [null, 1], 129],
    ]);
    assert.equal(m.totalParams, 2757761);
  });

  it('Bidirectional LSTMs after a Dense on a sequence [ocr]', () => {
    const m = json([
      ['in', 'InputLayer', { batch_shape: [null, 50, 768] }, []],
      ['dense1', 'Dense', { units: 64, activation: 'relu' }, ['in']],
      ['bidirectional', 'Bidirectional', { layer: { class_name: 'LSTM', config: { units: 128, return_sequences: true, dropout: 0.25 } } }, ['dense1']],
      ['bidirectional_1', 'Bidirectional', { layer: { class_name: 'LSTM', config: { units: 64, return_sequences: true, dropout: 0.25 } } }, ['bidirectional']],
    ]);
    assert.deepEqual(byName(m, 'bidirectional').outputShape, [null, 50, 256]);
    assert.equal(byName(m, 'bidirectional').params, 197632);
    assert.deepEqual(byName(m, 'bidirectional_1').outputShape, [null, 50, 128]);
    assert.equal(byName(m, 'bidirectional_1').params, 164352);
  });

  it('RNN(LSTMCell(4)) and TimeDistributed(Conv2D(64, (3, 3))) [doc:lstm.py, doc:time_distributed.py]', () => {
    const r = json([
      ['in', 'InputLayer', { batch_shape: [32, 10, 8] }, []],
      ['rnn', 'RNN', { cell: { class_name: 'LSTMCell', config: { units: 4 } }, return_sequences: true }, ['in']],
    ]);
    assert.deepEqual(byName(r, 'rnn').outputShape, [null, 10, 4]);
    const t = json([
      ['in', 'InputLayer', { batch_shape: [32, 10, 128, 128, 3] }, []],
      ['td', 'TimeDistributed', { layer: { class_name: 'Conv2D', config: { filters: 64, kernel_size: [3, 3] } } }, ['in']],
    ]);
    assert.deepEqual(byName(t, 'td').outputShape, [null, 10, 126, 126, 64]);
    // The wrapper has the wrapped layer's weights, once (Keras shares them across steps).
    assert.equal(byName(t, 'td').params, one('(128, 128, 3)', 'layers.Conv2D(64, (3, 3))').params);
  });

  it('return_state=True: the output, then each final state [felix-return-state]; Bidirectional merge_mode=None: both directions [doc:bidirectional.py]', () => {
    // Printed: lstm_2 (LSTM) [(None, 1), (None, 1), (N… 12 — the output, h and c of LSTM(1) on (3, 1).
    const l = py(`inputs1 = keras.Input(shape=(3, 1))\nlstm1, state_h, state_c = layers.LSTM(1, return_state=True)(inputs1)\nmodel = keras.Model(inputs=inputs1, outputs=[lstm1, state_h, state_c])`);
    assert.deepEqual(byName(l, 'lstm').outputShapes, [[null, 1], [null, 1], [null, 1]]);
    assert.equal(l.totalParams, 12);
    assert.deepEqual([l.outputs, l.outputTensors], [['lstm', 'lstm', 'lstm'], [0, 1, 2]]);
    // Keras's Bidirectional.compute_output_shape: merge_mode=None gives [forward output, backward output].
    const b = json([
      ['in', 'InputLayer', { batch_shape: [null, 5, 10] }, []],
      ['b', 'Bidirectional', { merge_mode: null, layer: { class_name: 'LSTM', config: { units: 10 } } }, ['in']],
    ]);
    assert.deepEqual(byName(b, 'b').outputShapes, [[null, 10], [null, 10]]);
  });
});

describe('recurrent: what TF.js cannot build is said at the wrapper', () => {
  it("a wrapped layer TF.js cannot build is named at the wrapper; Bidirectional(GRU()) with Keras 3's reset_after=True trains (our GRU)", async () => {
    const { readModel } = await import('../../../src/core/read-model');
    const { trainingBlocker } = await import('../../../src/core/keras/layer-table');
    const src = (layer: string) => `import keras\nfrom keras import layers\ni = keras.Input(shape=(10, 8))\nx = ${layer}(i)\nm = keras.Model(i, x)\n`;
    const blocked = trainingBlocker(readModel('m.py', src('layers.TimeDistributed(layers.Lambda(lambda t: t * 2, output_shape=(8,)))')).models[0]!);
    assert.equal(blocked?.layer, 'time_distributed');
    assert.match(blocked!.why, /wrapped Lambda: Lambda runs Python code/);
    assert.equal(trainingBlocker(readModel('m.py', src('layers.Bidirectional(layers.GRU(4))')).models[0]!), undefined);
    assert.equal(trainingBlocker(readModel('m.py', src('layers.Bidirectional(layers.GRU(4, reset_after=False))')).models[0]!), undefined);
  });
});
