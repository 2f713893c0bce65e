// More of our TF.js versions of Keras layers tfjs-layers lacks (src/worker/custom-layers.ts):
// forward values worked by hand, gradients against finite differences, Keras's weight shapes,
// and a small model with each training on wasm (its loss falls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfc from '@tensorflow/tfjs-core';
import { readModel } from '../../../src/core/read-model';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import type { ModelIR } from '../../../src/core/model/ir';
import { initBackend } from '../../../src/worker/backend';
import { buildModel } from '../../../src/worker/build-model';
import { resizeImages } from '../../../src/worker/custom-layers';
import { tf } from '../../../src/worker/tf';

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', info.reason);
});

export function read(body: string): ModelIR {
  const r = readModel('m.py', `import keras\nfrom keras import layers\n${body}\n`);
  const errors = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  assert.equal(trainingBlocker(r.models[0]!), undefined, 'the model can train');
  return r.models[0]!;
}

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

/** Max difference between the autodiff gradient of f at x and central differences, relative to the largest gradient. */
function gradCheck(f: (x: tfc.Tensor) => tfc.Tensor, x: tfc.Tensor, eps = 1e-2): number {
  const g = tfc.grad(f)(x).dataSync();
  const base = x.dataSync();
  let worst = 0;
  let scale = 1e-3;
  for (const v of g) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < base.length; i++) {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i]! += eps;
    minus[i]! -= eps;
    const fd = (f(tfc.tensor(plus, x.shape)).dataSync()[0]! - f(tfc.tensor(minus, x.shape)).dataSync()[0]!) / (2 * eps);
    worst = Math.max(worst, Math.abs(fd - g[i]!) / scale);
  }
  return worst;
}

/** Trains full-batch steps on two classes told apart by the sign of the mean input; first and last loss. */
async function lossFalls(ir: ModelIR, steps = 12, lr = 0.01): Promise<[number, number]> {
  const built = await buildModel(ir, { learningRate: lr, inputScale: 1 });
  assert.equal(built.model.countParams(), ir.totalParams, 'TF.js holds the weights Keras counts');
  for (const l of ir.layers) assert.deepEqual(built.model.getLayer(l.name).outputShape, l.outputShape, `${l.name}: the shape the catalog says`);
  const shape = built.inputShape;
  const per = shape.reduce((a, b) => a * b, 1);
  const n = 16;
  const noise = values(n * per, 19);
  const xs = new Float32Array(n * per);
  const ys = new Float32Array(n * built.numClasses);
  for (let i = 0; i < n; i++) {
    ys[i * built.numClasses + (i % 2)] = 1;
    for (let j = 0; j < per; j++) xs[i * per + j] = (i % 2 ? 0.5 : -0.5) + noise[i * per + j]! * 0.4;
  }
  const x = tf.tensor(xs, [n, ...shape]);
  const y = tf.tensor(ys, [n, built.numClasses]);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push((await built.model.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 })).history['loss']![0] as number);
  tf.dispose([x, y]);
  built.model.dispose();
  assert.ok(losses.every(Number.isFinite), `finite losses ${losses}`);
  return [losses[0]!, losses[losses.length - 1]!];
}

const classifier = "model.compile(optimizer='adam', loss='categorical_crossentropy')";

test('Resizing: bilinear with half-pixel centres (TF\'s tf.image.resize) and crop_to_aspect_ratio, worked by hand', () => {
  // [[0, 1], [2, 3]] to 4×4: output i samples (i + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 (clamped).
  const x = tfc.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]);
  const y = Array.from(resizeImages(x, 4, 4, 'bilinear', false).dataSync());
  assert.deepEqual(y, [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  // A 2×4 image to 2×2 with crop_to_aspect_ratio keeps the centred 2×2 window: columns 1 and 2.
  const wide = tfc.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 4, 1]);
  assert.deepEqual(Array.from(resizeImages(wide, 2, 2, 'bilinear', true).dataSync()), [1, 2, 5, 6]);
  assert.deepEqual(Array.from(resizeImages(x, 4, 4, 'nearest', false).dataSync()), [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
});

test('RandomCrop: a window of the image in training, the resized centre at inference; Resizing and GlobalPooling3D; they train', async () => {
  const ir = read(`inputs = keras.Input(shape=(6, 8, 2))
x = layers.Conv2D(3, 3, padding='same')(inputs)
x = layers.RandomCrop(4, 4)(x)
x = layers.Resizing(6, 6)(x)
x = layers.Reshape((2, 3, 6, 3))(x)
x = layers.GlobalAveragePooling3D()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const built = await buildModel(ir, { inputScale: 1 });
  const crop = built.model.getLayer('random_crop');
  const img = tf.tensor(values(6 * 8 * 2, 3), [1, 6, 8, 2]);
  const infer = crop.apply(img) as tfc.Tensor;
  // Inference: the centred 6×6 window (columns 1…6) resized to 4×4.
  const expected = resizeImages(tfc.slice(img, [0, 0, 1, 0], [1, 6, 6, 2]), 4, 4, 'bilinear', false);
  assert.deepEqual(Array.from(infer.dataSync()), Array.from(expected.dataSync()));
  // Training: some 4×4 window of the image itself.
  const train = (crop.apply(img, { training: true }) as tfc.Tensor).dataSync();
  const src = img.arraySync() as number[][][][];
  let found = false;
  for (let t = 0; t <= 2 && !found; t++) {
    for (let l = 0; l <= 4 && !found; l++) {
      found = Array.from(train).every((v, i) => {
        const [r, c, ch] = [Math.floor(i / 8), Math.floor(i / 2) % 4, i % 2];
        return v === src[0]![t + r]![l + c]![ch];
      });
    }
  }
  assert.ok(found, 'the training output is a 4×4 window of the input');
  built.model.dispose();
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('GlobalMax/AveragePooling3D: values and gradients', () => {
  const x = tfc.tensor(values(2 * 2 * 3 * 2 * 4, 5), [2, 2, 3, 2, 4]);
  const w = tfc.tensor(values(8, 7), [2, 4]);
  const ir = read(`inputs = keras.Input(shape=(2, 3, 2, 4))
a = layers.GlobalMaxPooling3D()(inputs)
b = layers.GlobalAveragePooling3D(keepdims=True)(inputs)
b = layers.Flatten()(b)
x = layers.Concatenate()([a, b])
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  return buildModel(ir, { inputScale: 1 }).then((built) => {
    const max = built.model.getLayer('global_max_pooling3d');
    const avg = built.model.getLayer('global_average_pooling3d');
    assert.deepEqual((avg.apply(x) as tfc.Tensor).shape, [2, 1, 1, 1, 4]);
    const xs = x.arraySync() as number[][][][][];
    const m = (max.apply(x) as tfc.Tensor).arraySync() as number[][];
    let best = -Infinity;
    for (const d of xs[1]!) for (const r of d) for (const p of r) best = Math.max(best, p[2]!);
    assert.equal(m[1]![2], best);
    assert.ok(gradCheck((t) => tfc.sum(tfc.mul(w, avg.apply(t) as tfc.Tensor)), x) < 1e-2);
    built.model.dispose();
  });
});

test('DepthwiseConv1D, SeparableConv1D, Conv1DTranspose: Keras weight shapes and outputs worked by hand', async () => {
  const ir = read(`inputs = keras.Input(shape=(3, 2))
a = layers.DepthwiseConv1D(2)(inputs)
b = layers.SeparableConv1D(1, 2)(inputs)
c = layers.DepthwiseConv1D(2, padding='causal', depth_multiplier=2)(inputs)
t = layers.Conv1DTranspose(1, 3, strides=2)(layers.Reshape((6, 1))(inputs))
u = layers.Conv1DTranspose(1, 3, strides=2, padding='same')(layers.Reshape((6, 1))(inputs))
x = layers.Concatenate()([layers.Flatten()(a), layers.Flatten()(b), layers.Flatten()(c), layers.Flatten()(t), layers.Flatten()(u)])
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const built = await buildModel(ir, { inputScale: 1 });
  const shapes = (name: string) => built.model.getLayer(name).weights.map((w) => [w.originalName.split('/').pop(), w.shape]);
  // keras/src/layers/convolutional base_depthwise_conv.py, base_separable_conv.py, base_conv_transpose.py build().
  assert.deepEqual(shapes('depthwise_conv1d'), [['depthwise_kernel', [2, 2, 1]], ['bias', [2]]]);
  assert.deepEqual(shapes('separable_conv1d'), [['depthwise_kernel', [2, 2, 1]], ['pointwise_kernel', [1, 2, 1]], ['bias', [1]]]);
  assert.deepEqual(shapes('conv1d_transpose'), [['kernel', [3, 1, 1]], ['bias', [1]]]);
  const x = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]);
  const dk = tf.tensor3d([[[1], [0.5]], [[-1], [2]]]);
  const dw = built.model.getLayer('depthwise_conv1d');
  dw.setWeights([dk, tf.zeros([2])]);
  // channel 0: 1·x[t] − x[t+1]; channel 1: 0.5·x[t] + 2·x[t+1]
  assert.deepEqual(Array.from((dw.apply(x) as tfc.Tensor).dataSync()), [-2, 9, -2, 14]);
  const sep = built.model.getLayer('separable_conv1d');
  sep.setWeights([dk, tf.tensor3d([[[1], [1]]]), tf.tensor1d([0.5])]);
  assert.deepEqual(Array.from((sep.apply(x) as tfc.Tensor).dataSync()), [7.5, 12.5]);
  const causal = built.model.getLayer('depthwise_conv1d_1');
  causal.setWeights([tf.ones([2, 2, 2]), tf.zeros([4])]);
  // causal: step t sums x[t−1] + x[t] (x[−1] = 0), twice per channel
  assert.deepEqual(Array.from((causal.apply(x) as tfc.Tensor).dataSync()), [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10]);
  const tr = built.model.getLayer('conv1d_transpose');
  const trSame = built.model.getLayer('conv1d_transpose_1');
  for (const l of [tr, trSame]) l.setWeights([tf.tensor3d([[[1]], [[10]], [[100]]]), tf.zeros([1])]);
  const seq = tf.tensor3d([[[1], [2]]]);
  // x[i] spreads x[i]·k over outputs 2i…2i+2: [1, 10, 100] + [0, 0, 2, 20, 200]; "same" keeps the first 2·2.
  assert.deepEqual(Array.from((tr.apply(seq) as tfc.Tensor).dataSync()), [1, 10, 102, 20, 200]);
  assert.deepEqual(Array.from((trSame.apply(seq) as tfc.Tensor).dataSync()), [1, 10, 102, 20]);
  built.model.dispose();
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('DepthwiseConv1D, SeparableConv1D, Conv1DTranspose: gradients match finite differences', async () => {
  const { depthwiseConv1d, separableConv1d, conv1dTranspose } = await import('../../../src/worker/conv1d-variants');
  const o = { kernelSize: 3, stride: 2, dilation: 1, padding: 'same' };
  const x = tfc.tensor(values(2 * 7 * 3, 3), [2, 7, 3]);
  const dk = tfc.tensor(values(3 * 3 * 2, 5), [3, 3, 2]);
  const pk = tfc.tensor(values(6 * 4, 7), [1, 6, 4]);
  const tk = tfc.tensor(values(3 * 4 * 3, 9), [3, 4, 3]);
  const m = (y: tfc.Tensor) => tfc.tensor(values(y.size, 11), y.shape);
  const dOut = m(depthwiseConv1d(x, dk, o));
  const sOut = m(separableConv1d(x, dk, pk, { ...o, padding: 'causal', stride: 1, dilation: 2 }));
  const tOut = m(conv1dTranspose(x, tk, { ...o, padding: 'valid' }));
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(dOut, depthwiseConv1d(t, dk, o))), x) < 2e-2, 'depthwise d/dx');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(dOut, depthwiseConv1d(x, t, o))), dk) < 2e-2, 'depthwise d/dkernel');
  const so = { ...o, padding: 'causal', stride: 1, dilation: 2 };
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(sOut, separableConv1d(t, dk, pk, so))), x) < 2e-2, 'separable d/dx');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(sOut, separableConv1d(x, dk, t, so))), pk) < 2e-2, 'separable d/dpointwise');
  const to = { ...o, padding: 'valid' };
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(tOut, conv1dTranspose(t, tk, to))), x) < 2e-2, 'transpose d/dx');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(tOut, conv1dTranspose(x, t, to))), tk) < 2e-2, 'transpose d/dkernel');
});

test('EinsumDense: Keras weight shapes, einsums worked by hand, gradients', async () => {
  const { einsum2, expandEquation } = await import('../../../src/worker/einsum-dense');
  const ir = read(`inputs = keras.Input(shape=(2, 3))
a = layers.EinsumDense('abc,cde->abde', output_shape=(2, 4, 5), bias_axes='de')(inputs)
b = layers.EinsumDense('...b,bc->...c', output_shape=4, bias_axes='c', activation='relu')(inputs)
c = layers.EinsumDense('abc,cd->ad', output_shape=3)(inputs)
x = layers.Concatenate()([layers.Flatten()(a), layers.Flatten()(b), c])
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const built = await buildModel(ir, { inputScale: 1 });
  const shapes = (name: string) => built.model.getLayer(name).weights.map((w) => [w.originalName.split('/').pop(), w.shape]);
  // keras/src/layers/core/einsum_dense.py docstring: 'abc,cde->abde' with bias_axes='de' has kernel (c, d, e) and bias (d, e).
  assert.deepEqual(shapes('einsum_dense'), [['kernel', [3, 4, 5]], ['bias', [4, 5]]]);
  assert.deepEqual(shapes('einsum_dense_1'), [['kernel', [3, 4]], ['bias', [4]]]);
  assert.deepEqual(shapes('einsum_dense_2'), [['kernel', [3, 3]]]);
  built.model.dispose();
  assert.deepEqual(expandEquation('...b,bc->...c', 3), ['ABb', 'bc', 'ABc']);
  // 'abc,cd->ad': y[a][d] = Σ_b Σ_c x[a][b][c]·w[c][d] (b is summed as it is in neither kernel nor output).
  const x = [[[1, 2], [3, 4]]];
  const w = [[1, -1], [2, 0.5]];
  const y = einsum2(tfc.tensor(x), tfc.tensor(w), 'abc', 'cd', 'ad').arraySync();
  const sum = (d: number) => [0, 1].reduce((s, b) => s + [0, 1].reduce((t, c) => t + x[0]![b]![c]! * w[c]![d]!, 0), 0);
  assert.deepEqual(y, [[sum(0), sum(1)]]);
  // 'abc,cde->abde' against its definition, and 'bqd,hdk->bhqk'-style reordering ('abc,dce->adbe').
  const xs = tfc.tensor(values(2 * 3 * 4, 3), [2, 3, 4]);
  const ks = tfc.tensor(values(4 * 2 * 5, 5), [4, 2, 5]);
  const got = einsum2(xs, ks, 'abc,cde'.slice(0, 3), 'cde', 'abde').arraySync() as number[][][][];
  const X = xs.arraySync() as number[][][];
  const K = ks.arraySync() as number[][][];
  let worst = 0;
  for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let d = 0; d < 2; d++) for (let e = 0; e < 5; e++) {
    let v = 0;
    for (let c = 0; c < 4; c++) v += X[a]![b]![c]! * K[c]![d]![e]!;
    worst = Math.max(worst, Math.abs(v - got[a]![b]![d]![e]!));
  }
  assert.ok(worst < 1e-5, `abc,cde->abde off by ${worst}`);
  const k2 = tfc.tensor(values(2 * 4 * 5, 7), [2, 4, 5]);
  const r = einsum2(xs, k2, 'abc', 'dce', 'adbe').arraySync() as number[][][][];
  const K2 = k2.arraySync() as number[][][];
  let v = 0;
  for (let c = 0; c < 4; c++) v += X[1]![2]![c]! * K2[1]![c]![3]!;
  assert.ok(Math.abs(r[1]![1]![2]![3]! - v) < 1e-5);
  const m = tfc.tensor(values(2 * 3 * 2 * 5, 9), [2, 3, 2, 5]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, einsum2(t, ks, 'abc', 'cde', 'abde'))), xs) < 2e-2, 'd/dx');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, einsum2(xs, t, 'abc', 'cde', 'abde'))), ks) < 2e-2, 'd/dkernel');
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('AdditiveAttention, Attention(score_mode="concat") and GroupedQueryAttention: values, gradients, training', async () => {
  const { additiveAttention, repeatHeads, multiHeadAttention } = await import('../../../src/worker/custom-layers');
  // One query step q = 1 over keys/values [0, 1], scale 1: scores tanh(1), tanh(2); the output is the
  // second value's softmax weight.
  const y = additiveAttention(tfc.tensor3d([[[1]]]), tfc.tensor3d([[[0], [1]]]), tfc.tensor3d([[[0], [1]]]), tfc.tensor1d([1])).dataSync()[0]!;
  assert.ok(Math.abs(y - 1 / (1 + Math.exp(Math.tanh(1) - Math.tanh(2)))) < 1e-6);
  // concat: w · Σ tanh(scale·(q + k)) with scale 0.5, w 2
  const c = additiveAttention(tfc.tensor3d([[[1]]]), tfc.tensor3d([[[0], [1]]]), tfc.tensor3d([[[0], [1]]]), tfc.scalar(0.5), tfc.scalar(2)).dataSync()[0]!;
  assert.ok(Math.abs(c - 1 / (1 + Math.exp(2 * Math.tanh(0.5) - 2 * Math.tanh(1)))) < 1e-6);
  const q = tfc.tensor(values(2 * 3 * 4, 3), [2, 3, 4]);
  const v = tfc.tensor(values(2 * 5 * 4, 5), [2, 5, 4]);
  const m = tfc.tensor(values(2 * 3 * 4, 7), [2, 3, 4]);
  const scale = tfc.tensor(values(4, 9), [4]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, additiveAttention(t, v, v, scale))), q) < 2e-2, 'additive d/dquery');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, additiveAttention(q, v, v, t))), scale) < 2e-2, 'additive d/dscale');
  // Keras's ops.repeat(key, r, axis=heads): heads [a, b] → [a, a, b, b].
  assert.deepEqual(repeatHeads(tfc.tensor2d([[1, 2], [3, 4]]), 2, 0).arraySync(), [[1, 2], [1, 2], [3, 4], [3, 4]]);
  const w = {
    q: tfc.tensor(values(4 * 4 * 2, 11), [4, 4, 2]),
    k: tfc.tensor(values(4 * 2 * 2, 13), [4, 2, 2]),
    v: tfc.tensor(values(4 * 2 * 2, 15), [4, 2, 2]),
    o: tfc.tensor(values(4 * 2 * 4, 17), [4, 2, 4]),
  };
  const gqa = (k: tfc.Tensor) => tfc.sum(tfc.mul(m, multiHeadAttention(q, v, v, { ...w, k: repeatHeads(k, 2, 1), v: repeatHeads(w.v, 2, 1) })));
  assert.ok(gradCheck(gqa, w.k) < 2e-2, 'grouped-query d/dkey kernel (through the repeat)');

  const ir = read(`inputs = keras.Input(shape=(4, 6))
a = layers.AdditiveAttention()([inputs, inputs])
b = layers.Attention(use_scale=True, score_mode='concat')([inputs, inputs])
g = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)(inputs, inputs)
x = layers.Concatenate()([a, b, g])
x = layers.Flatten()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const built = await buildModel(ir, { inputScale: 1 });
  const shapes = (name: string) => built.model.getLayer(name).weights.map((t) => [t.originalName.split('/').slice(-2).join('/'), t.shape]);
  // keras/src/layers/attention: AdditiveAttention scale (dim,); Attention scale and concat_score_weight
  // scalars; GroupedQueryAttention's query (dim, hq, head_dim), key/value (dim, hkv, head_dim), output (hq, head_dim, dim).
  assert.deepEqual(shapes('additive_attention'), [['additive_attention/scale', [6]]]);
  assert.deepEqual(shapes('attention').map(([, s]) => s), [[], []]);
  assert.deepEqual(shapes('grouped_query_attention').map(([, s]) => s), [[6, 4, 3], [4, 3], [6, 2, 3], [2, 3], [6, 2, 3], [2, 3], [4, 3, 6], [6]]);
  built.model.dispose();
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('SpectralNormalization: Keras weights; training divides the kernel by its largest singular value; inference leaves it; trains', async () => {
  const ir = read(`inputs = keras.Input(shape=(3,))
x = layers.SpectralNormalization(layers.Dense(2), power_iterations=30)(inputs)
x = layers.Reshape((1, 1, 2))(x)
x = layers.SpectralNormalization(layers.Conv2D(4, 1))(x)
x = layers.Flatten()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const built = await buildModel(ir, { inputScale: 1 });
  const sn = built.model.getLayer('spectral_normalization');
  // keras/src/layers/normalization/spectral_normalization.py: the wrapped layer's kernel and bias,
  // and a non-trainable vector_u (1, kernel's last axis).
  assert.deepEqual(sn.trainableWeights.map((w) => w.shape), [[3, 2], [2]]);
  assert.deepEqual(sn.nonTrainableWeights.map((w) => [w.originalName.split('/').pop(), w.shape]), [['vector_u', [1, 2]]]);
  assert.equal(built.model.countParams(), ir.totalParams);
  // A kernel with singular values 3 and 1 (columns e1·3, e2·1): after normalizing, 1 and 1/3.
  sn.setWeights([tf.tensor2d([[3, 0], [0, 1], [0, 0]]), tf.zeros([2]), tf.tensor2d([[1, 1]])]);
  const x = tf.tensor2d([[1, 1, 1]]);
  assert.deepEqual(Array.from((sn.apply(x) as tfc.Tensor).dataSync()), [3, 1], 'inference: the kernel as it is');
  const y = Array.from((sn.apply(x, { training: true }) as tfc.Tensor).dataSync());
  assert.ok(Math.abs(y[0]! - 1) < 1e-4 && Math.abs(y[1]! - 1 / 3) < 1e-4, `training: kernel / σ_max = diag(1, 1/3), got ${y}`);
  const k = sn.getWeights()[0]!.dataSync();
  assert.ok(Math.abs(k[0]! - 1) < 1e-4 && Math.abs(k[3]! - 1 / 3) < 1e-4, 'the kernel keeps its normalized value (assigned, as in Keras)');
  built.model.dispose();
  // Each training step rescales the kernels (σ_max = 1): smaller steps, more of them, so the
  // loss falls from any random start (at lr 0.01 × 12 steps it rose once in ~10 runs).
  const [first, last] = await lossFalls(ir, 30, 0.003);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('ConvLSTM1D and ConvLSTM3D: Keras weights, a two-step value worked by hand, gradients, training', async () => {
  const { convLstmStep } = await import('../../../src/worker/conv-lstm');
  const ir = read(`inputs = keras.Input(shape=(2, 1, 1))
x = layers.ConvLSTM1D(1, 1)(inputs)
outputs = layers.Flatten()(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='mse')`);
  const built = await buildModel(ir, { inputScale: 1 });
  const layer = built.model.getLayer('conv_lstm1d');
  // keras/src/layers/rnn/conv_lstm.py build(): kernel (k, channels, 4·filters), recurrent_kernel (k, filters, 4·filters), bias (4·filters).
  assert.deepEqual(layer.weights.map((w) => [w.originalName.split('/').pop(), w.shape]), [['kernel', [1, 1, 4]], ['recurrent_kernel', [1, 1, 4]], ['bias', [4]]]);
  assert.deepEqual(Array.from(layer.getWeights()[2]!.dataSync()), [0, 1, 0, 0], 'unit_forget_bias: the forget gate starts at one');
  const k = [0.5, -0.4, 0.9, 0.3];
  const r = [0.2, 0.1, -0.7, 0.6];
  const b = [0.1, 0.2, -0.1, 0.05];
  layer.setWeights([tf.tensor3d([[k]]), tf.tensor3d([[r]]), tf.tensor1d(b)]);
  // Keras's equations with 1×1 kernels: i = σ(x·k_i + b_i + h·r_i), f, o likewise, c = f·c + i·tanh(x·k_c + b_c + h·r_c), h = o·tanh(c).
  const s = (v: number) => 1 / (1 + Math.exp(-v));
  let h = 0;
  let c = 0;
  for (const x of [1, -0.5]) {
    const g = (j: number) => x * k[j]! + b[j]! + h * r[j]!;
    c = s(g(1)) * c + s(g(0)) * Math.tanh(g(2));
    h = s(g(3)) * Math.tanh(c);
  }
  const y = (built.model.predict(tf.tensor4d([[[[1]], [[-0.5]]]])) as tfc.Tensor).dataSync()[0]!;
  assert.ok(Math.abs(y - h) < 1e-6, `${y} vs ${h}`);
  built.model.dispose();

  for (const rank of [1, 3] as const) {
    const sp = rank === 1 ? [5] : [3, 2, 3];
    const ks = rank === 1 ? [3] : [2, 1, 2];
    const x = tfc.tensor(values(2 * sp.reduce((p, q) => p * q, 1) * 2, 3), [2, ...sp, 2]);
    const o = { rank, strides: ks.map(() => 1), padding: 'same' as const, act: tfc.tanh, recAct: tfc.sigmoid };
    const w = { kernel: tfc.tensor(values(ks.reduce((p, q) => p * q, 1) * 2 * 12, 5), [...ks, 2, 12]), recurrentKernel: tfc.tensor(values(ks.reduce((p, q) => p * q, 1) * 3 * 12, 7), [...ks, 3, 12]), bias: tfc.tensor(values(12, 9), [12]) };
    const st = [2, ...sp, 3];
    const h0 = tfc.tensor(values(st.reduce((p, q) => p * q, 1), 11), st);
    const c0 = tfc.tensor(values(st.reduce((p, q) => p * q, 1), 13), st);
    const m = tfc.tensor(values(st.reduce((p, q) => p * q, 1), 15), st);
    const loss = (xx: tfc.Tensor, hh: tfc.Tensor, ww: typeof w) => tfc.sum(tfc.mul(m, convLstmStep(xx, hh, c0, ww, o)[0]));
    assert.ok(gradCheck((t) => loss(t, h0, w), x) < 2e-2, `rank ${rank} d/dx`);
    assert.ok(gradCheck((t) => loss(x, t, w), h0) < 2e-2, `rank ${rank} d/dh`);
    assert.ok(gradCheck((t) => loss(x, h0, { ...w, recurrentKernel: t }), w.recurrentKernel) < 2e-2, `rank ${rank} d/drecurrent_kernel`);
  }

  const model = read(`inputs = keras.Input(shape=(3, 6, 2))
a = layers.ConvLSTM1D(3, 3, padding='same', return_sequences=True)(inputs)
a = layers.Reshape((3, 1, 2, 3, 3))(a)
b = layers.ConvLSTM3D(2, (1, 2, 2), strides=(1, 1, 2))(a)
x = layers.Flatten()(b)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const [first, last] = await lossFalls(model);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test("Conv1D with padding='causal' and groups, ReLU with negative_slope/threshold, Cropping3D/ZeroPadding3D/UpSampling3D: values by hand, training", async () => {
  const { conv1d } = await import('../../../src/worker/conv1d-variants');
  const { kerasRelu } = await import('../../../src/worker/custom-layers');
  // causal, dilation 2, kernel [1, 10]: y[t] = x[t−2] + 10·x[t]
  const seq = tfc.tensor3d([[[1], [2], [3], [4]]]);
  assert.deepEqual(Array.from(conv1d(seq, tfc.tensor3d([[[1]], [[10]]]), { kernelSize: 2, stride: 1, dilation: 2, padding: 'causal' }).dataSync()), [10, 20, 31, 42]);
  // groups=2: channel 0 → filter 0 (×2), channel 1 → filter 1 (×3)
  assert.deepEqual(Array.from(conv1d(tfc.tensor3d([[[1, 5]]]), tfc.tensor3d([[[2, 3]]]), { kernelSize: 1, stride: 1, dilation: 1, padding: 'valid' }, 2).dataSync()), [2, 15]);
  // Keras 3's relu: max_value caps, x ≤ threshold gives negative_slope·(x − threshold)
  assert.deepEqual(Array.from(kerasRelu(tfc.tensor1d([-2, 0.5, 1.5, 9]), 0.1, 6, 1).dataSync()).map((v) => +v.toFixed(6)), [-0.3, -0.05, 1.5, 6]);
  const w = tfc.tensor(values(2 * 4 * 3, 3), [2, 4, 3]);
  const m = tfc.tensor(values(2 * 4 * 2, 5), [2, 4, 2]);
  const k = tfc.tensor(values(3 * 3 * 2, 7), [3, 3, 2]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, conv1d(t, k, { kernelSize: 3, stride: 1, dilation: 2, padding: 'causal' }))), w) < 2e-2, 'causal d/dx');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, conv1d(w, t, { kernelSize: 3, stride: 1, dilation: 2, padding: 'causal' }))), k) < 2e-2, 'causal d/dkernel');

  const ir = read(`inputs = keras.Input(shape=(6, 4))
a = layers.Conv1D(4, 3, padding='causal', dilation_rate=2, activation='relu')(inputs)
a = layers.Conv1D(4, 2, padding='same', groups=2)(a)
a = layers.ReLU(negative_slope=0.1, threshold=0.05)(a)
a = layers.Softmax(axis=(1, 2))(a)
v = layers.Reshape((2, 3, 2, 2))(a)
v = layers.ZeroPadding3D(((1, 0), (0, 1), (1, 1)))(v)
v = layers.UpSampling3D((1, 2, 1))(v)
v = layers.Cropping3D(((0, 1), (1, 1), (1, 0)))(v)
x = layers.Flatten()(v)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const built = await buildModel(ir, { inputScale: 1 });
  assert.deepEqual(built.model.getLayer('conv1d_1').weights.map((t) => t.shape), [[2, 2, 4], [4]], 'grouped kernel (k, channels / groups, filters)');
  const soft = (built.model.getLayer('softmax').apply(tfc.tensor(values(2 * 6 * 4, 9), [2, 6, 4])) as tfc.Tensor).sum([1, 2]).dataSync();
  assert.ok(Math.abs(soft[0]! - 1) < 1e-5 && Math.abs(soft[1]! - 1) < 1e-5, 'Softmax(axis=(1, 2)) sums to one over both axes');
  const up = built.model.getLayer('up_sampling3d');
  const vol = tfc.tensor(Array.from({ length: 8 }, (_, i) => i), [1, 2, 2, 2, 1]);
  const u = (up.apply(vol) as tfc.Tensor).arraySync() as number[][][][][];
  assert.deepEqual(u[0]![1]!.map((r) => r.map((p) => p[0])), [[4, 5], [4, 5], [6, 7], [6, 7]], 'rows repeated twice');
  built.model.dispose();
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('ActivityRegularization with l1/l2 adds l1·Σ|x| + l2·Σx² of its input to the training loss', async () => {
  const ir = read(`inputs = keras.Input(shape=(2,))
x = layers.ActivityRegularization(l1=0.5, l2=0.25)(inputs)
outputs = layers.Dense(1, use_bias=False, kernel_initializer='zeros')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='sgd', loss='mse')`);
  const built = await buildModel(ir, { inputScale: 1, learningRate: 0 });
  const x = tf.tensor2d([[1, -2], [3, 0]]);
  const y = tf.zeros([2, 1]);
  // The data loss is 0 (zero kernel, zero targets): the step's loss is the penalty,
  // 0.5·(1 + 2 + 3) + 0.25·(1 + 4 + 9) = 3 + 3.5 (Keras 3 adds it as is, not per sample).
  const h = await built.model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  assert.ok(Math.abs((h.history['loss']![0] as number) - 6.5) < 1e-5, `${h.history['loss']}`);
  assert.deepEqual(Array.from((built.model.predict(x) as tfc.Tensor).dataSync()), [0, 0], 'the identity otherwise');
  tf.dispose([x, y]);
  built.model.dispose();
  const model = read(`inputs = keras.Input(shape=(4,))
x = layers.Dense(8, activation='relu')(inputs)
x = layers.ActivityRegularization(l2=0.001)(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const [first, last] = await lossFalls(model);
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('Conv2D and Conv3D with groups: Keras kernel (k…, channels / groups, filters), values by hand, gradients, training', async () => {
  const { groupedConv } = await import('../../../src/worker/grouped-conv');
  // 1×1 kernels, 2 groups: channels (1, 2) feed filter 0 (weights 1, 10), channels (3, 4) filter 1 (weights 100, 1000).
  const x = tfc.tensor4d([[[[1, 2, 3, 4]]]]);
  // kernel (1, 1, 2, 2): [channel-in-group, filter]; group g uses filter g.
  const k2 = tfc.tensor4d([1, 100, 10, 1000], [1, 1, 2, 2]);
  assert.deepEqual(Array.from(groupedConv(x, k2, 2, [1, 1], 'valid').dataSync()), [1 + 20, 300 + 4000]);
  const xs = tfc.tensor(values(2 * 4 * 3 * 4, 3), [2, 4, 3, 4]);
  const ks = tfc.tensor(values(3 * 2 * 2 * 6, 5), [3, 2, 2, 6]);
  const m = tfc.tensor(values(2 * 2 * 2 * 6, 7), [2, 2, 2, 6]);
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, groupedConv(t, ks, 2, [2, 2], 'same'))), xs) < 2e-2, 'd/dx');
  assert.ok(gradCheck((t) => tfc.sum(tfc.mul(m, groupedConv(xs, t, 2, [2, 2], 'same'))), ks) < 2e-2, 'd/dkernel');
  const ir = read(`inputs = keras.Input(shape=(6, 6, 4))
x = layers.Conv2D(6, 3, groups=2, activation='relu')(inputs)
x = layers.Reshape((2, 4, 4, 3))(x)
x = layers.Conv3D(6, 1, groups=3, padding='same')(layers.Conv3D(3, 1)(x))
x = layers.Flatten()(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
${classifier}`);
  const built = await buildModel(ir, { inputScale: 1 });
  assert.deepEqual(built.model.getLayer('conv2d').weights.map((t) => t.shape), [[3, 3, 2, 6], [6]]);
  built.model.dispose();
  const [first, last] = await lossFalls(ir);
  assert.ok(last < first, `loss ${first} → ${last}`);
});
