// The one-pass optimizer (every weight in one loop, split over the wasm threads) against
// TensorFlow.js's own optimizers on the cpu backend: 100 steps of Adam, AdamW, SGD (plain,
// momentum, Nesterov) and RMSprop (plain, momentum, centered) agree to 1e-6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setupWasmBackend } from '../../../src/worker/kernels/threaded-backend';
import { FusedOptimizer, updateThreads, type UpdateRule } from '../../../src/worker/optimizers/fused-optimizer';
import { UpdatePool } from '../../../src/worker/optimizers/update-pool';
import { P, RULE, TABLE_STRIDE } from '../../../src/worker/optimizers/update-rules';
import { randomValues } from './compare';

// Shapes like a small CNN's: a conv kernel, biases, and a weight big enough to be split.
const SHAPES = [[3, 3, 4, 8], [8], [1200, 50], [50], [7]];
const STEPS = 100;

/** tfjs's optimizer for the rule, and what it does before each step (AdamW's decay). */
function reference(rule: UpdateRule): { opt: tf.Optimizer; before(ws: tf.Variable[]): void } {
  const none = () => undefined;
  switch (rule.kind) {
    case 'adam':
      return {
        opt: tf.train.adam(rule.learningRate, rule.beta1, rule.beta2, rule.epsilon),
        // Keras's AdamW: the weight shrinks by lr · weight_decay, then the Adam step.
        before: rule.weightDecay ? (ws) => ws.forEach((w) => tf.tidy(() => w.assign(tf.sub(w, tf.mul(w, rule.weightDecay * rule.learningRate))))) : none,
      };
    case 'sgd':
      return { opt: rule.momentum > 0 ? tf.train.momentum(rule.learningRate, rule.momentum, rule.nesterov) : tf.train.sgd(rule.learningRate), before: none };
    case 'rmsprop':
      return { opt: tf.train.rmsprop(rule.learningRate, rule.rho, rule.momentum, rule.epsilon, rule.centered), before: none };
  }
}

let run = 0;
/** 100 steps with the same gradients on both; returns the largest weight difference, relative to the weight's size when above 1 (float32 rounding). */
function compare(rule: UpdateRule): number {
  const tag = `r${run++}`;
  const init = SHAPES.map((s, i) => randomValues(s.reduce((a, b) => a * b, 1), 100 + i));
  const grads = (step: number) => SHAPES.map((s, i) => tf.tensor(randomValues(s.reduce((a, b) => a * b, 1), 1000 * step + i), s));
  const trained: Float32Array[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const ws = SHAPES.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(init[i]!, s), true, `${tag}-${backend}-w${i}`)));
    const ref = backend === 'cpu' ? reference(rule) : undefined;
    const opt = ref ? ref.opt : new FusedOptimizer(rule);
    for (let step = 0; step < STEPS; step++) {
      const g = grads(step);
      ref?.before(ws);
      opt.applyGradients(Object.fromEntries(ws.map((w, i) => [w.name, g[i]!])));
      tf.dispose(g);
    }
    trained.push(ws.map((w) => w.dataSync() as Float32Array));
    opt.dispose();
    tf.dispose(ws);
    if (backend === 'wasm') assert.equal(tf.memory().numTensors, before, 'no slot or temporary left behind');
  }
  tf.setBackend('wasm');
  let worst = 0;
  trained[0]!.forEach((cpu, i) => cpu.forEach((v, j) => {
        // tfjs's centered RMSprop takes sqrt(ms − mg² − ε), NaN for a tiny gradient: NaN must match NaN.
        const w = trained[1]![i]![j]!;
        const d = Number.isNaN(v) || Number.isNaN(w) ? (Number.isNaN(v) && Number.isNaN(w) ? 0 : Infinity) : Math.abs(v - w) / Math.max(1, Math.abs(v));
        worst = Math.max(worst, d);
      }));
  return worst;
}

test('one-pass optimizer on the threaded wasm backend matches tfjs over 100 steps', async () => {
  const setup = await setupWasmBackend({ threads: 2 });
  try {
    assert.equal(updateThreads(), 2, 'the update runs on both threads');
    const rules: UpdateRule[] = [
      { kind: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 },
      { kind: 'adam', learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-5, weightDecay: 0.004 },
      { kind: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false },
      { kind: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: false },
      { kind: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true },
      { kind: 'rmsprop', learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
      { kind: 'rmsprop', learningRate: 0.001, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: false },
      { kind: 'rmsprop', learningRate: 0.001, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true },
    ];
    for (const rule of rules) {
      const diff = compare(rule);
      assert.ok(diff < 1e-6, `${JSON.stringify(rule)}: weights differ by ${diff} after ${STEPS} steps (${setup.detail})`);
    }
  } finally {
    tf.removeBackend('wasm');
  }
});

test('a weight whose memory a clone shares gets a new buffer; the clone keeps the old values', async () => {
  await setupWasmBackend({ threads: 2 });
  try {
    const w = tf.variable(tf.tensor([1, 2, 3, 4]), true, 'shared-w');
    const clone = tf.clone(w); // wasm's Identity shares memory
    const opt = new FusedOptimizer({ kind: 'sgd', learningRate: 0.5, momentum: 0, nesterov: false });
    opt.applyGradients({ [w.name]: tf.tensor([2, 2, 2, 2]) });
    assert.deepEqual(Array.from(w.dataSync()), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(clone.dataSync()), [1, 2, 3, 4]);
    tf.dispose([w, clone]);
    opt.dispose();
  } finally {
    tf.removeBackend('wasm');
  }
});

test('the update split over 1, 2 or 3 threads gives the same bits', () => {
  const memory = new WebAssembly.Memory({ initial: 8, maximum: 16, shared: true });
  const n = [1000, 7, 20000];
  const total = n.reduce((a, b) => a + b, 0);
  const table = new Int32Array(new SharedArrayBuffer(TABLE_STRIDE * 4 * n.length));
  let at = 0;
  n.forEach((len, k) => {
    // weight, gradient, m, v, (unused), output = weight
    const o = k * TABLE_STRIDE;
    table.set([len, at, at + len, at + 2 * len, at + 3 * len, -1, at], o);
    at += 4 * len;
  });
  const params = new Float64Array(new SharedArrayBuffer(P.size * 8));
  params.set([RULE.adam, 0.001, 0.9, 0.999, 1e-7, 0.1, 0.001, 0]);
  const results: Float32Array[] = [];
  for (const threads of [1, 2, 3]) {
    const heap = new Float32Array(memory.buffer);
    heap.set(randomValues(at, 5));
    for (let k = 0; k < n.length; k++) heap.fill(0, table[k * TABLE_STRIDE + 3]!, table[k * TABLE_STRIDE + 3]! + 2 * n[k]!); // slots start at 0
    const pool = new UpdatePool(memory, threads);
    pool.run(table, n.length, params, total, () => heap);
    pool.run(table, n.length, params, total, () => heap);
    pool.dispose();
    results.push(heap.slice(0, at));
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
  const plain = new UpdatePool(undefined, 3);
  assert.equal(plain.threads, 1, 'without shared memory the update stays on the main thread');
});

test("a model trained with it follows tfjs's Adam (convolution and dense weights really change)", async () => {
  // The wasm backend caches XNNPACK operators with the filter packed in: weights updated in place
  // would leave the model computing with its first weights. Both models start from the same seeds.
  await setupWasmBackend({ threads: 2 });
  try {
    const L = tfl.layers;
    const build = (optimizer: tf.Optimizer) => {
      const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
      const m = tfl.sequential({
        layers: [
          L.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
          L.maxPooling2d({ poolSize: 2 }),
          L.flatten(),
          L.dense({ units: 32, activation: 'relu', kernelInitializer: init(2) }),
          L.dense({ units: 10, activation: 'softmax', kernelInitializer: init(3) }),
        ],
      });
      m.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    const x = tf.randomUniform([32, 12, 12, 1], 0, 1, 'float32', 5);
    const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'float32');
    const ref = build(tf.train.adam(0.003));
    const ours = build(new FusedOptimizer({ kind: 'adam', learningRate: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 }));
    let first = 0;
    let last: [number, number] = [0, 0];
    for (let step = 0; step < 30; step++) {
      last = [(await ref.trainOnBatch(x, y)) as number, (await ours.trainOnBatch(x, y)) as number];
      if (step === 0) first = last[1];
    }
    assert.ok(last[0] < first - 0.3, `tfjs's Adam learns: ${first} → ${last[0]}`);
    assert.ok(Math.abs(last[1] - last[0]) < 1e-3, `losses after 30 steps: tfjs ${last[0]}, one-pass ${last[1]}`);
    tf.dispose([x, y]);
    ref.dispose();
    ours.dispose();
  } finally {
    tf.removeBackend('wasm');
  }
});
