// The Python reader on layers that take another layer (Bidirectional, TimeDistributed, RNN) and
// on attention layers called with separate query/value/key tensors. Figures, by tag:
//  [cedrou]   printed Keras summaries in github.com/cedrou/ml-notebooks notebooks/NeuralNetworks/lstm.ipynb:
//             Input (None, 11, 3) → Bidirectional(LSTM(5)) (None, 10) 360; with return_sequences=True (None, 11, 10) 360;
//  [imdb]     keras-io examples/nlp/md/bidirectional_lstm_imdb.md, printed summary: Embedding(20000, 128) 2,560,000;
//             Bidirectional(LSTM(64, return_sequences=True)) (None, None, 128) 98,816; Bidirectional(LSTM(64)) (None, 128) 98,816;
//             Dense(1) 129; total 2,757,761;
//  [ner-crf]  a printed Keras 2 summary of an NER model (found with the find_string tool):
//             concatenate_1 (None, 75, 30) → bidirectional_1 (None, 75, 100) 32,400 → time_distributed_1 (None, 75, 50) 5,050;
//  [td-doc]   Keras's TimeDistributed docstring: TimeDistributed(Dense(8), input_shape=(10, 16)) → output (None, 10, 8);
//  [so-simple-rnn] Stack Overflow "Number of parameters for Keras SimpleRNN": SimpleRNN(10, input_shape=(3, 1)) → 120;
//             Keras defines SimpleRNN as RNN(SimpleRNNCell(units)) (keras/src/layers/rnn/simple_rnn.py), so the same weights;
//  [ts-transformer] keras-io examples/timeseries/md/timeseries_classification_transformer.md, printed summary:
//             LayerNormalization on (None, 500, 1) → 2; MultiHeadAttention(key_dim=256, num_heads=4) on it → (None, 500, 1) 7,169.
// The models are our own; only the figures come from the sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelIR } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';
import { trainingBlocker } from '../../../src/core/keras/layer-table';

function read(body: string): { model: ModelIR; messages: string[] } {
  const r = readModel('m.py', `import keras\nfrom keras import layers\n${body}\n`);
  const model = r.models[0]!;
  return { model, messages: [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].map((d) => d.message) };
}

function clean(body: string): ModelIR {
  const { model, messages } = read(body);
  assert.deepEqual(messages, []);
  return model;
}

const rows = (m: ModelIR) => m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]);

describe('layers that wrap a layer', () => {
  it('Bidirectional(LSTM(5)) with and without return_sequences [cedrou]; the LSTM is no node of its own', () => {
    for (const [seq, out] of [['True', [null, 11, 10]], ['False', [null, 10]]] as const) {
      const m = clean(`x = keras.Input(shape=(11, 3))\ny = layers.Bidirectional(layers.LSTM(5, return_sequences=${seq}))(x)\nmodel = keras.Model(x, y)`);
      assert.deepEqual(rows(m), [
        ['input_layer', 'InputLayer', [null, 11, 3], 0],
        ['bidirectional', 'Bidirectional', out, 360],
      ]);
      assert.equal(m.totalParams, 360);
    }
  });

  it('the IMDB bidirectional LSTM classifier, functional and Sequential [imdb]', () => {
    const functional = clean(
      `inputs = keras.Input(shape=(None,), dtype="int32")\nh = layers.Embedding(20000, 128)(inputs)\nh = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(h)\nh = layers.Bidirectional(layers.LSTM(64))(h)\nmodel = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))`,
    );
    const expected = [
      ['embedding', 'Embedding', [null, null, 128], 2_560_000],
      ['bidirectional', 'Bidirectional', [null, null, 128], 98_816],
      ['bidirectional_1', 'Bidirectional', [null, 128], 98_816],
      ['dense', 'Dense', [null, 1], 129],
    ];
    assert.deepEqual(rows(functional).slice(1), expected);
    assert.equal(functional.totalParams, 2_757_761);
    // The inner layer given by a variable and by keyword; Sequential.
    const sequential = clean(
      `inner = layers.LSTM(64, return_sequences=True)\nmodel = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), layers.Embedding(20000, 128), layers.Bidirectional(layer=inner), layers.Bidirectional(layers.LSTM(64)), layers.Dense(1, activation="sigmoid")])`,
    );
    assert.deepEqual(rows(sequential).slice(1), expected);
    assert.equal(sequential.totalParams, 2_757_761);
  });

  it('Bidirectional then TimeDistributed(Dense(50)) [ner-crf]', () => {
    const m = clean(`x = keras.Input(shape=(75, 30))\nh = layers.Bidirectional(layers.LSTM(50, return_sequences=True))(x)\nh = layers.TimeDistributed(layers.Dense(50, activation="relu"))(h)\nmodel = keras.Model(x, h)`);
    assert.deepEqual(rows(m).slice(1), [
      ['bidirectional', 'Bidirectional', [null, 75, 100], 32_400],
      ['time_distributed', 'TimeDistributed', [null, 75, 50], 5_050],
    ]);
  });

  it('TimeDistributed(Dense(8), input_shape=(10, 16)) in a Sequential model [td-doc]', () => {
    const m = clean(`model = keras.Sequential()\nmodel.add(layers.TimeDistributed(layers.Dense(8), input_shape=(10, 16)))`);
    assert.deepEqual(m.layers.map((l) => l.type), ['InputLayer', 'TimeDistributed']);
    assert.deepEqual(m.layers[1]!.outputShape, [null, 10, 8]);
    // Keras's TimeDistributed holds the Dense's weights: (16 + 1)·8, worked out by hand.
    assert.equal(m.layers[1]!.params, 136);
  });

  it('RNN(SimpleRNNCell(10)) counts as SimpleRNN(10) [so-simple-rnn]', () => {
    const m = clean(`x = keras.Input(shape=(3, 1))\nmodel = keras.Model(x, layers.RNN(layers.SimpleRNNCell(10))(x))`);
    assert.deepEqual(rows(m), [
      ['input_layer', 'InputLayer', [null, 3, 1], 0],
      ['rnn', 'RNN', [null, 10], 120],
    ]);
    // The cell is kept as Keras serializes it.
    const cell = m.layers[1]!.config['cell'] as { class_name: string; config: { units: number } };
    assert.equal(cell.class_name, 'SimpleRNNCell');
    assert.equal(cell.config.units, 10);
  });

  it('a problem of the wrapped layer is reported at the wrapper', () => {
    const { model, messages } = read(`x = keras.Input(shape=(11, 3))\nmodel = keras.Model(x, layers.Bidirectional(layers.LSTM(5, unitz=3))(x))`);
    assert.ok(messages.some((m) => /LSTM 'lstm' has no argument 'unitz'/.test(m)), messages.join('\n'));
    assert.deepEqual(model.layers.map((l) => l.type), ['InputLayer', 'Bidirectional']);
  });
});

describe('attention layers called on query, value (and key)', () => {
  const head = `x = keras.Input(shape=(500, 1))\nn = layers.LayerNormalization(epsilon=1e-6)(x)\n`;

  it('MultiHeadAttention(num_heads=4, key_dim=256)(n, n): 7,169 [ts-transformer]', () => {
    const m = clean(`${head}a = layers.MultiHeadAttention(num_heads=4, key_dim=256, dropout=0.25)(n, n)\nmodel = keras.Model(x, a)`);
    assert.deepEqual(rows(m).slice(1), [
      ['layer_normalization', 'LayerNormalization', [null, 500, 1], 2],
      ['multi_head_attention', 'MultiHeadAttention', [null, 500, 1], 7_169],
    ]);
    assert.deepEqual(m.layers[2]!.inputs, ['layer_normalization', 'layer_normalization']);
  });

  it('query= and value= by keyword, in that order whatever the order written', () => {
    // Another tensor of the same shape as value: the weights depend on feature sizes only, so the
    // printed 7,169 still holds [ts-transformer].
    const m = clean(`${head}v = layers.LayerNormalization(epsilon=1e-6)(x)\na = layers.MultiHeadAttention(num_heads=4, key_dim=256)(value=v, query=n)\nmodel = keras.Model(x, a)`);
    const mha = m.layers.find((l) => l.type === 'MultiHeadAttention')!;
    assert.deepEqual(mha.inputs, ['layer_normalization', 'layer_normalization_1']);
    assert.deepEqual([mha.outputShape, mha.params], [[null, 500, 1], 7_169]);
    const mixed = clean(`${head}v = layers.LayerNormalization(epsilon=1e-6)(x)\na = layers.MultiHeadAttention(num_heads=4, key_dim=256)(n, value=v, key=v)\nmodel = keras.Model(x, a)`);
    assert.deepEqual(mixed.layers.find((l) => l.type === 'MultiHeadAttention')!.inputs, ['layer_normalization', 'layer_normalization_1', 'layer_normalization_1']);
  });

  it('a call without value is an error at the line; Attention still takes one list', () => {
    const { messages } = read(`${head}a = layers.MultiHeadAttention(num_heads=2, key_dim=16)(n)\nmodel = keras.Model(x, a)`);
    assert.ok(messages.some((m) => /MultiHeadAttention 'multi_head_attention' is called without value/.test(m)), messages.join('\n'));
    const att = clean(`${head}a = layers.Attention()([n, n])\nmodel = keras.Model(x, a)`);
    assert.deepEqual(att.layers[2]!.inputs, ['layer_normalization', 'layer_normalization']);
    assert.deepEqual(att.layers[2]!.outputShape, [null, 500, 1]);
  });

  it('return_attention_scores=True: the call returns the output and the scores (batch, heads, Tq, Tv); a value it cannot tell is an error', () => {
    // Keras's MultiHeadAttention.compute_output_spec: the scores are (batch, num_heads, query steps, steps).
    const m = clean(`${head}a, s = layers.MultiHeadAttention(num_heads=2, key_dim=16)(n, n, return_attention_scores=True)\nmodel = keras.Model(x, [a, s])`);
    const mha = m.layers.find((l) => l.type === 'MultiHeadAttention')!;
    assert.deepEqual(mha.outputShapes, [[null, 500, 1], [null, 2, 500, 500]]);
    assert.deepEqual(m.outputTensors, [0, 1]);
    const { messages } = read(`${head}flag = input()\na, s = layers.MultiHeadAttention(num_heads=2, key_dim=16)(n, n, return_attention_scores=flag)\nmodel = keras.Model(x, a)`);
    assert.ok(messages.some((m) => /cannot tell return_attention_scores=flag/.test(m)), messages.join('\n'));
  });
});

describe('a whole model given to a wrapper', () => {
  const src = (wrapper: string) =>
    [
      'import keras',
      'from keras import layers',
      "cnn = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(4, 3), layers.GlobalAveragePooling2D()], name='cnn')",
      'clips = keras.Input((5, 8, 8, 1))',
      `x = layers.${wrapper}(cnn)(clips)`,
      'model = keras.Model(clips, layers.Dense(2)(layers.LSTM(3)(x)))',
      '',
    ].join('\n');
  const errors = (r: ReturnType<typeof readModel>) => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');

  it('TimeDistributed(cnn): the model on every frame, its weights once', () => {
    const r = readModel('m.py', src('TimeDistributed'));
    assert.deepEqual(errors(r).map((d) => d.message), []);
    const m = r.models.find((x) => x.name === 'functional')!;
    // Conv2D(4, 3) on 1 channel: (3·3·1 + 1)·4 = 40; LSTM(3) on 4: 4·(3·(4 + 3) + 3) = 96; Dense(2) on 3: (3 + 1)·2 = 8.
    assert.deepEqual(m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]), [
      ['input_layer_1', 'InputLayer', [null, 5, 8, 8, 1], 0],
      ['time_distributed', 'TimeDistributed', [null, 5, 4], 40],
      ['lstm', 'LSTM', [null, 3], 96],
      ['dense', 'Dense', [null, 2], 8],
    ]);
    assert.equal(m.totalParams, 144);
    // Read, not trained: the run is refused at the layer with the reason (never a crash in the worker).
    assert.match(trainingBlocker(m)?.message ?? '', /layer 'time_distributed' \(TimeDistributed, line 5\) cannot be trained here: it wraps a whole model/);
  });

  it('a frozen keras.applications model over 16 frames reads as printed (a GitHub run log: time_distributed (None, 16, 7, 7, 1024) 7,037,504; Total params: 7,301,185; Trainable 263,169; Non-trainable 7,038,016)', () => {
    const r = readModel(
      'v.py',
      [
        'import keras',
        'from keras import layers',
        "base = keras.applications.DenseNet121(include_top=False, weights=None, input_shape=(224, 224, 3))",
        'base.trainable = False',
        'frames = keras.Input(shape=(16, 224, 224, 3))',
        'x = layers.TimeDistributed(base)(frames)',
        'x = layers.GlobalAveragePooling1D()(layers.TimeDistributed(layers.GlobalAveragePooling2D())(x))',
        "x = layers.Dropout(0.5)(layers.BatchNormalization()(layers.Dense(256, activation='relu')(x)))",
        "model = keras.Model(frames, layers.Dense(1, activation='sigmoid')(x))",
        '',
      ].join('\n'),
    );
    assert.deepEqual(errors(r).map((d) => d.message), []);
    const m = r.models.find((x) => x.name === 'functional')!;
    assert.deepEqual(m.layers[1]!.outputShape, [null, 16, 7, 7, 1024]);
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [7301185, 263169, 7038016]);
  });

  it('Bidirectional(model) is still said once at the argument, and the model is not complete', () => {
    const r = readModel('m.py', src('Bidirectional'));
    assert.deepEqual(errors(r).map((d) => [d.range.line, d.message]), [[5, "Bidirectional 'bidirectional' wraps model 'cnn': Model Lens does not read a model inside Bidirectional yet (only a layer, e.g. Bidirectional(layers.Conv2D(...))), so the totals are not Keras's"]]);
  });
});
