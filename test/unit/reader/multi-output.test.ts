// Calls that return several tensors: an RNN with return_state=True (its output, then its final
// states), initial_state= (states as more inputs of a call), and attention's
// return_attention_scores=True. Figures, by tag:
//  [nmt]   the printed tf.keras summaries of a GitHub blog post "Seq2seq Word-Level 번역기(NMT) 만들기"
//          (found with find_string 'lstm[0][1]'), rows as printed:
//            lstm (LSTM)    [(None, 64), (None, 64), (None, 64)]            33024   ['masking[0][0]']
//            lstm_1 (LSTM)  [(None, None, 64), (None, 64), (None, 64)]      33024   ['masking_1[0][0]', 'lstm[0][1]', 'lstm[0][2]']
//            dense (Dense)  (None, None, 7907)                             513955   ['lstm_1[0][0]']
//          the decoder step model: lstm_1 … ['embedding_1[1][0]', 'input_3[0][0]', 'input_4[0][0]'] (our Input names
//          are Keras 3's input_layer_2/3), dense ['lstm_1[1][0]']; totals 1,375,075 / 322,048 / 1,053,027;
//  [rnn.py] keras/src/layers/rnn/rnn.py compute_output_shape: return_state adds one (batch, units) per state
//          (LSTM: h and c; GRU, SimpleRNN: h); [gru] GRU(5) on (None, 25) → 480 params (stats.stackexchange 458685).
// The models are our own (the nmt one reproduces the post's); only the figures come from the sources.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../../../src/core/model/ir';
import { summaryRows as rows } from './summary-rows';
import { readModel } from '../../../src/core/read-model';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import { layerHintText } from '../../../src/extension/text/hint-text';
import { shapeFlowText } from '../../../src/extension/text/lens-text';

const root = path.resolve(__dirname, '../../..');

/** Errors as `line: message`, the line counted in `body` (the two import lines before it left out). */
function read(body: string, file = 'm.py'): { models: ModelIR[]; errors: string[] } {
  const r = readModel(file, file.endsWith('.py') ? `import keras\nfrom keras import layers\n${body}\n` : body);
  const skip = file.endsWith('.py') ? 2 : 0;
  const errors = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error').map((d) => `${d.range.line - skip}: ${d.message}`);
  return { models: r.models, errors };
}


describe('LSTM(return_state=True) and initial_state=', () => {
  it('the seq2seq translator reads as printed: the states as outputs 1 and 2, lstm[0][1] / lstm[0][2] as the decoder\'s inputs [nmt]', () => {
    const file = 'test/unit/fixtures/published/nmt_seq2seq_masking.py';
    const r = readModel(file, fs.readFileSync(path.join(root, file), 'utf8'));
    const [train, encoder, decoder] = r.models;
    assert.deepEqual(rows(train!).slice(-3), [
      ['lstm (LSTM)', '[(None, 64), (None, 64), (None, 64)]', '33,024', 'masking'],
      ['lstm_1 (LSTM)', '[(None, None, 64), (None, 64), (None, 64)]', '33,024', 'masking_1[0][0], lstm[0][1], lstm[0][2]'],
      ['dense (Dense)', '(None, None, 7907)', '513,955', 'lstm_1'],
    ]);
    assert.equal(train!.totalParams, 1_375_075);
    // The encoder alone: its outputs are the LSTM's two states.
    assert.deepEqual([encoder!.outputs, encoder!.outputTensors, encoder!.totalParams], [['lstm', 'lstm'], [1, 2], 322_048]);
    // One decoder step: the trained layers called again, the LSTM started from two Inputs.
    assert.deepEqual(rows(decoder!).map((r) => r[0]), ['input_layer_1 (InputLayer)', 'embedding_1 (Embedding)', 'input_layer_2 (InputLayer)', 'input_layer_3 (InputLayer)', 'lstm_1 (LSTM)', 'dense (Dense)']);
    const lstm = decoder!.layers.find((l) => l.name === 'lstm_1')!;
    assert.deepEqual([lstm.inputs, lstm.outputShapes], [['embedding_1', 'input_layer_2', 'input_layer_3'], [[null, null, 64], [null, 64], [null, 64]]]);
    assert.deepEqual([decoder!.outputs, decoder!.outputTensors], [['dense', 'lstm_1', 'lstm_1'], [0, 1, 2]]);
    assert.equal(decoder!.totalParams, 1_053_027);
    // What the editor shows: the hint lists the three outputs, the lens the encoder's two state sizes.
    assert.equal(layerHintText(train!.layers.find((l) => l.name === 'lstm')!), '→ [64, 64, 64] · 33.0 k');
    assert.match(shapeFlowText(encoder!), /^\? → … → 64, 64 · /);
  });

  it('GRU and SimpleRNN return one state, LSTM two; unpacking another count is Python\'s error at the line [rnn.py, gru]', () => {
    const gru = read(`x = keras.Input(shape=(None, 25))\nout, h = layers.GRU(5, return_state=True)(x)\ny = layers.Dense(2)(h)\nmodel = keras.Model(x, y)`);
    assert.deepEqual(gru.errors, []);
    assert.deepEqual(gru.models[0]!.layers[1]!.outputShapes, [[null, 5], [null, 5]]);
    assert.equal(gru.models[0]!.layers[1]!.params, 480);
    const bad = readModel('m.py', `import keras\nfrom keras import layers\nx = keras.Input(shape=(None, 25))\nout, h, c = layers.GRU(5, return_state=True)(x)\nmodel = keras.Model(x, out)\n`);
    assert.equal(bad.models.length, 0, 'Python stops at the unpacking: no model is made');
    assert.ok(bad.diagnostics.some((d) => d.range.line === 4 && /ValueError: not enough values to unpack \(expected 3, got 2\)/.test(d.message)), bad.diagnostics.map((d) => d.message).join('\n'));
  });

  it('initial states of the wrong size or count are errors at the call, naming what to give', () => {
    const size = read(`x = keras.Input(shape=(10, 8))\n_, h, c = layers.LSTM(16, return_state=True)(x)\ny = layers.LSTM(8)(x, initial_state=[h, c])\nmodel = keras.Model(x, y)`);
    assert.ok(size.errors.some((e) => /^3: .*initial state 1 is \(None, 16\) but LSTM's state is \(None, 8\)/.test(e)), size.errors.join('\n'));
    const count = read(`x = keras.Input(shape=(10, 8))\n_, h, c = layers.LSTM(16, return_state=True)(x)\ny = layers.LSTM(16)(x, initial_state=[h])\nmodel = keras.Model(x, y)`);
    assert.ok(count.errors.some((e) => /^3: .*initial_state has 1 tensor\(s\) but LSTM has 2 state\(s\) \(h and c\)/.test(e)), count.errors.join('\n'));
    const notTensor = read(`x = keras.Input(shape=(10, 8))\ny = layers.LSTM(16)(x, initial_state=[1, 2])\nmodel = keras.Model(x, y)`);
    assert.ok(notTensor.errors.some((e) => /^2: .*initial_state '\[1, 2\]' is not a Keras tensor/.test(e)), notTensor.errors.join('\n'));
  });

  it('the tuple of a call taken as one tensor is an error, never a shape: in a Sequential model, and given to a layer', () => {
    const seq = read(`model = keras.Sequential([keras.Input(shape=(10, 8)), layers.LSTM(4, return_state=True), layers.Dense(1)])`);
    assert.ok(seq.errors.some((e) => /Dense 'dense': gets the 3 tensors that LSTM 'lstm' returns \(return_state=True\) as one input/.test(e)), seq.errors.join('\n'));
    const whole = read(`x = keras.Input(shape=(10, 8))\nouts = layers.LSTM(4, return_state=True)(x)\ny = layers.Dense(1)(outs)\nmodel = keras.Model(x, y)`);
    assert.ok(whole.errors.some((e) => /takes one tensor but is called on 3/.test(e)), whole.errors.join('\n'));
  });

  it('Bidirectional(LSTM(return_state=True)): the output, then the forward states, then the backward ones (Keras\'s order)', () => {
    const r = read(`x = keras.Input(shape=(5, 10))\nout, fh, fc, bh, bc = layers.Bidirectional(layers.LSTM(8, return_state=True))(x)\nh = layers.Concatenate()([fh, bh])\nmodel = keras.Model(x, [out, h])`);
    assert.deepEqual(r.errors, []);
    const b = r.models[0]!.layers.find((l) => l.type === 'Bidirectional')!;
    assert.deepEqual(b.outputShapes, [[null, 16], [null, 8], [null, 8], [null, 8], [null, 8]]);
    assert.deepEqual(r.models[0]!.layers.find((l) => l.type === 'Concatenate')!.outputShape, [null, 16]);
  });

  it('a model whose layer returns its states trains (no blocker); attention scores are said to be not trainable yet', () => {
    const lstm = read(`x = keras.Input(shape=(28, 28))\n_, h, c = layers.LSTM(16, return_state=True)(x)\ny = layers.Dense(10, activation='softmax')(layers.Concatenate()([h, c]))\nmodel = keras.Model(x, y)`);
    assert.deepEqual(lstm.errors, []);
    assert.equal(trainingBlocker(lstm.models[0]!), undefined);
    const att = read(`x = keras.Input(shape=(28, 28))\na, s = layers.MultiHeadAttention(2, 8)(x, x, return_attention_scores=True)\ny = layers.Dense(10)(layers.Flatten()(a))\nmodel = keras.Model(x, y)`);
    assert.deepEqual(att.errors, []);
    assert.match(trainingBlocker(att.models[0]!)?.why ?? '', /return_attention_scores/);
  });
});

describe('a saved config with several outputs per call', () => {
  const t = (name: string, node: number, tensor: number) => ({ class_name: '__keras_tensor__', config: { shape: [], dtype: 'float32', keras_history: [name, node, tensor] } });
  const layer = (name: string, cls: string, config: Record<string, unknown>, args: unknown[], kwargs: Record<string, unknown> = {}) => ({
    class_name: cls,
    name,
    config: { name, ...config },
    inbound_nodes: args.length ? [{ args, kwargs }] : [],
  });

  it('Keras 3 keras_history tensor indices and initial_state kwargs read as the same model written in Python [nmt]', () => {
    const model = {
      class_name: 'Functional',
      config: {
        name: 'seq2seq',
        layers: [
          layer('enc_in', 'InputLayer', { batch_shape: [null, null, 71] }, []),
          layer('dec_in', 'InputLayer', { batch_shape: [null, null, 93] }, []),
          layer('enc', 'LSTM', { units: 256, return_state: true }, [t('enc_in', 0, 0)]),
          // Keras 3 keeps a mask tensor in the kwargs too: not an input.
          layer('dec', 'LSTM', { units: 256, return_sequences: true, return_state: true }, [t('dec_in', 0, 0)], { initial_state: [t('enc', 0, 1), t('enc', 0, 2)], mask: t('enc_in', 0, 0) }),
          layer('out', 'Dense', { units: 93, activation: 'softmax' }, [t('dec', 0, 0)]),
        ],
        input_layers: [['enc_in', 0, 0], ['dec_in', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    };
    const fromJson = read(JSON.stringify(model), 'm.json');
    assert.deepEqual(fromJson.errors, []);
    const fromPy = read(
      `enc_in = keras.Input(shape=(None, 71))\ndec_in = keras.Input(shape=(None, 93))\n_, h, c = layers.LSTM(256, return_state=True)(enc_in)\n` +
        `d, _, _ = layers.LSTM(256, return_sequences=True, return_state=True)(dec_in, initial_state=[h, c])\nout = layers.Dense(93, activation='softmax')(d)\nmodel = keras.Model([enc_in, dec_in], out)`,
    );
    assert.deepEqual(fromPy.errors, []);
    const j = fromJson.models[0]!;
    const p = fromPy.models[0]!;
    assert.deepEqual(j.layers.map((l) => [l.outputShapes ?? l.outputShape, l.params, l.inputTensors]), p.layers.map((l) => [l.outputShapes ?? l.outputShape, l.params, l.inputTensors]));
    assert.equal(j.totalParams, p.totalParams);
  });

  it('a tensor index a layer does not have is an error naming the layer', () => {
    const model = {
      class_name: 'Functional',
      config: {
        name: 'bad',
        layers: [layer('in', 'InputLayer', { batch_shape: [null, 4] }, []), layer('d', 'Dense', { units: 2 }, [t('in', 0, 0)]), layer('e', 'Dense', { units: 2 }, [t('d', 0, 1)])],
        input_layers: [['in', 0, 0]],
        output_layers: [['e', 0, 0]],
      },
    };
    const r = read(JSON.stringify(model), 'm.json');
    assert.ok(r.errors.some((e) => /layer 'e' takes output 1 of 'd', which returns one tensor/.test(e)), r.errors.join('\n'));
  });
});

describe('outputs= as a nested structure', () => {
  it('a tuple inside the outputs list is flattened as Keras does (FCN-8 encoder: ashishpatel26/TensorFlow-Advanced-Techniques-Specialization C3W3_Assignment.ipynb cell 28)', () => {
    const file = 'test/unit/fixtures/published/tfat_fcn8.py';
    const r = readModel(file, fs.readFileSync(path.join(root, file), 'utf8'));
    const encoder = r.models.find((m) => m.name === 'functional')!;
    // outputs=[(p3, p4, p5), image]: the three block outputs, then the input itself.
    assert.deepEqual(encoder.outputs, ['batch_normalization_2', 'batch_normalization_3', 'batch_normalization_4', 'input_layer']);
    assert.deepEqual([encoder.totalParams, encoder.trainableParams, encoder.nonTrainableParams], [1049024, 1047552, 1472]);
  });

  it('a dict of lists is read in order; anything else inside is still an error at the outputs', () => {
    const ok = read(['i = keras.Input((4,))', 'a = layers.Dense(2)(i)', 'b = layers.Dense(3)(i)', "m = keras.Model(i, {'x': [a, (b,)]})"].join('\n'));
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.models[0]!.totalParams, 10 + 15); // Dense: (4 + 1)·2 and (4 + 1)·3
    const bad = read(['i = keras.Input((4,))', 'a = layers.Dense(2)(i)', 'm = keras.Model(i, [a, [3]])'].join('\n'));
    assert.ok(bad.errors.some((e) => /^3: .*is not a Keras tensor/.test(e)), bad.errors.join('\n'));
  });
});
