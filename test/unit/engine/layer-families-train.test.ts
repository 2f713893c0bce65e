// One small model per layer family, read from Python we write here, built by the engine's
// builder (the catalog's TF.js builder data) and trained a few steps on the wasm backend:
// its loss must fall. Layers TF.js cannot build are refused naming the layer and the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../../src/core/read-model';
import type { ModelIR } from '../../../src/core/model/ir';
import { initBackend } from '../../../src/worker/backend';
import { buildModel, ModelBuildError } from '../../../src/worker/build-model';
import { tf } from '../../../src/worker/tf';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', `wasm should load here (${info.reason})`);
});

function read(src: string, file = 'm.py'): ModelIR {
  const r = readModel(file, file.endsWith('.py') ? `import keras\nfrom keras import layers\n${src}\n` : src);
  const errors = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return r.models[0]!;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * Two classes told apart by the sign of the mean input (integers: above or below half the
 * vocabulary); trains `steps` full-batch steps and returns the first and last losses.
 */
async function lossFalls(ir: ModelIR, opts: { steps?: number; ints?: number; regression?: boolean; lr?: number } = {}): Promise<[number, number]> {
  const built = await buildModel(ir, { learningRate: opts.lr ?? 0.01, inputScale: 1 });
  const shape = built.inputShape;
  const n = 32;
  const per = shape.reduce((a, b) => a * b, 1);
  const rand = rng(7);
  const xs = new Float32Array(n * per);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let j = 0; j < per; j++) {
      xs[i * per + j] = opts.ints ? Math.floor((labels[i] ? 0.5 + rand() / 2 : rand() / 2) * opts.ints) : (labels[i] ? 0.5 : -0.5) + rand() - 0.5;
    }
  }
  const x = tf.tensor(xs, [n, ...shape]);
  let y: Tensor;
  if (opts.regression) y = x.clone();
  else if (built.labels === 'one-hot') y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), built.numClasses), 'float32');
  else if (built.labels === 'binary') y = tf.tensor2d(Array.from(labels), [n, 1]);
  else y = tf.tensor1d(labels, 'float32');
  const losses: number[] = [];
  for (let s = 0; s < (opts.steps ?? 12); s++) {
    const h = await built.model.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    losses.push(h.history['loss']![0] as number);
  }
  tf.dispose([x, y]);
  built.model.dispose();
  assert.ok(losses.every(Number.isFinite), `finite losses: ${losses}`);
  return [losses[0]!, losses[losses.length - 1]!];
}

const classifier = "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')";

test('recurrent: Embedding → LSTM → GRU → SimpleRNN trains on wasm', async () => {
  const ir = read(`inputs = keras.Input(shape=(6,))
x = layers.Embedding(10, 8)(inputs)
x = layers.LSTM(8, return_sequences=True)(x)
x = layers.GRU(8, return_sequences=True)(x)
x = layers.SimpleRNN(8)(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const [first, last] = await lossFalls(ir, { ints: 10 });
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('recurrent wrappers: Bidirectional(LSTM) and TimeDistributed(Dense) from a Keras JSON file train on wasm', async () => {
  const layer = (name: string, cls: string, config: object, inbound: string[]) => ({
    class_name: cls,
    name,
    config: { name, ...config },
    inbound_nodes: inbound.length ? [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: [inbound[0], 0, 0] } }], kwargs: {} }] : [],
  });
  const model = {
    class_name: 'Functional',
    config: {
      name: 'bi',
      layers: [
        layer('in', 'InputLayer', { batch_shape: [null, 5, 3] }, []),
        layer('td', 'TimeDistributed', { layer: { class_name: 'Dense', config: { name: 'inner', units: 4, activation: 'tanh' } } }, ['in']),
        layer('bi', 'Bidirectional', { merge_mode: 'concat', layer: { class_name: 'LSTM', config: { name: 'fw', units: 6 } } }, ['td']),
        layer('out', 'Dense', { units: 2, activation: 'softmax' }, ['bi']),
      ],
      input_layers: [['in', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
  };
  const ir = read(JSON.stringify({ modelTopology: model, training_config: { loss: 'sparse_categorical_crossentropy', optimizer_config: { class_name: 'Adam', config: {} } } }), 'm.json');
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('convolution and reshaping: Conv1D/pooling 1D and a Conv2DTranspose/UpSampling2D autoencoder train on wasm', async () => {
  const seq = read(`inputs = keras.Input(shape=(12, 2))
x = layers.Conv1D(6, 3, activation='relu')(inputs)
x = layers.MaxPooling1D(2)(x)
x = layers.AveragePooling1D(2, padding='same')(x)
x = layers.Conv1D(6, 3, padding='same')(x)
x = layers.GlobalMaxPooling1D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const [a, b] = await lossFalls(seq);
  assert.ok(b < a, `Conv1D loss ${a} → ${b}`);
  const ae = read(`inputs = keras.Input(shape=(8, 8, 1))
x = layers.Conv2D(4, 3, strides=2, padding='same', activation='relu')(inputs)
x = layers.ZeroPadding2D(1)(x)
x = layers.Cropping2D(1)(x)
x = layers.Conv2DTranspose(4, 3, strides=2, padding='same', activation='relu')(x)
x = layers.MaxPooling2D()(x)
x = layers.UpSampling2D()(x)
outputs = layers.Conv2D(1, 3, padding='same')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='mse')`);
  const [c, d] = await lossFalls(ae, { regression: true });
  assert.ok(d < c, `autoencoder loss ${c} → ${d}`);
});

test('normalization, activations, regularization, merging and reshaping layers train on wasm', async () => {
  const ir = read(`inputs = keras.Input(shape=(4, 6))
x = layers.LayerNormalization()(inputs)
x = layers.GaussianNoise(0.05)(x)
x = layers.SpatialDropout1D(0.1)(x)
a = layers.Dense(6)(x)
a = layers.LeakyReLU(negative_slope=0.2)(a)
b = layers.Dense(6)(x)
b = layers.PReLU()(b)
c = layers.ELU()(layers.Dense(6)(x))
m = layers.Multiply()([a, b])
m = layers.Average()([m, c])
m = layers.Maximum()([m, a])
m = layers.Minimum()([m, b])
m = layers.Permute((2, 1))(m)
m = layers.Flatten()(m)
m = layers.BatchNormalization()(m)
m = layers.GaussianDropout(0.1)(m)
m = layers.AlphaDropout(0.1)(m)
m = layers.Identity()(m)
m = layers.RepeatVector(2)(m)
m = layers.Flatten()(m)
outputs = layers.Dense(2, activation='softmax')(m)
model = keras.Model(inputs, outputs)
${classifier}`);
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('preprocessing: Rescaling and CenterCrop in front of a CNN train on wasm', async () => {
  const ir = read(`inputs = keras.Input(shape=(10, 12, 3))
x = layers.Rescaling(0.5, offset=0.1)(inputs)
x = layers.CenterCrop(6, 6)(x)
x = layers.Conv2D(4, 3, activation='relu')(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('a layer TF.js cannot build is refused naming it and why; its counts still work', async () => {
  const ir = read(`inputs = keras.Input(shape=(8, 8, 3))
x = layers.Lambda(lambda t: t * 2, output_shape=(8, 8, 3))(inputs)
x = layers.GroupNormalization(groups=3)(x)
x = layers.Flatten()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  assert.equal(ir.totalParams, 6 + 8 * 8 * 3 * 2 + 2);
  await assert.rejects(buildModel(ir), (e: unknown) => e instanceof ModelBuildError && /layer 'lambda' \(Lambda, line 4\) cannot be trained here: Lambda runs Python code, which Model Lens never executes/.test(e.message));
  const up = read(`inputs = keras.Input(shape=(4, 4, 1))
outputs = layers.UpSampling2D(interpolation='bicubic')(inputs)
model = keras.Model(inputs, outputs)`);
  await assert.rejects(buildModel(up), /UpSampling2D has nearest and bilinear interpolation only/);
});
