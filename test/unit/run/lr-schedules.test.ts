/**
 * Learning rates as Keras sets them: keras.optimizers.schedules per optimizer step, ReduceLROnPlateau
 * on a scripted sequence of epoch metrics, LearningRateScheduler worked out by the reader.
 *
 * Expected figures: the examples in the docstrings of keras/src/optimizers/schedules/
 * learning_rate_schedule.py (keras-team/keras) — their arguments, with the value at a step worked
 * by hand from the formula printed there (noted at each line) —, the results asserted in
 * keras/src/callbacks/reduce_lr_on_plateau_test.py, and the printed result (0.00607) of the
 * example in keras/src/callbacks/learning_rate_scheduler.py.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../../src/core/read-model';
import { EpochCallbacks } from '../../../src/core/run/callbacks';
import { scheduleAt, scheduleFromArgs } from '../../../src/core/train/lr-schedules';
import type { CallbackSpec, LrSchedule } from '../../../src/core/model/ir';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);

test('PiecewiseConstantDecay: the docstring example — 1.0 for the first 100001 steps, 0.5 for the next 10000, 0.1 after', () => {
  const s: LrSchedule = { type: 'PiecewiseConstantDecay', boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] };
  close(scheduleAt(s, 0), 1.0, 'step 0');
  close(scheduleAt(s, 100000), 1.0, 'step 100000 (step <= boundaries[0])');
  close(scheduleAt(s, 100001), 0.5, 'step 100001');
  close(scheduleAt(s, 110000), 0.5, 'step 110000');
  close(scheduleAt(s, 110001), 0.1, 'step 110001');
});

test('ExponentialDecay: the docstring example (0.1, decay_steps 100000, rate 0.96, staircase)', () => {
  const s = scheduleFromArgs('ExponentialDecay', [0.1], { decay_steps: 100000, decay_rate: 0.96, staircase: true }) as LrSchedule;
  close(scheduleAt(s, 99999), 0.1, 'step 99999: floor(0.99999) = 0');
  close(scheduleAt(s, 100000), 0.096, 'step 100000: 0.1 · 0.96');
  close(scheduleAt(s, 250000), 0.09216, 'step 250000: 0.1 · 0.96² = 0.09216');
  const smooth = scheduleFromArgs('ExponentialDecay', [0.1, 100000, 0.96], {}) as LrSchedule;
  close(scheduleAt(smooth, 50000), 0.09797959, 'step 50000 without staircase: 0.1 · 0.96^0.5 = 0.0979796');
});

test('InverseTimeDecay: the docstring example (0.1, decay_steps 1.0, rate 0.5)', () => {
  const s = scheduleFromArgs('InverseTimeDecay', [0.1, 1.0, 0.5], {}) as LrSchedule;
  close(scheduleAt(s, 0), 0.1, 'step 0');
  close(scheduleAt(s, 1), 0.0666666667, 'step 1: 0.1 / 1.5');
  close(scheduleAt(s, 2), 0.05, 'step 2: 0.1 / 2');
  close(scheduleAt(s, 8), 0.02, 'step 8: 0.1 / 5');
});

test('CosineDecay: the docstring examples, without and with warmup', () => {
  const s = scheduleFromArgs('CosineDecay', [0.1, 1000], {}) as LrSchedule;
  close(scheduleAt(s, 0), 0.1, 'step 0');
  close(scheduleAt(s, 500), 0.05, 'step 500: 0.1 · 0.5(1 + cos(π/2))');
  close(scheduleAt(s, 1000), 0, 'step 1000');
  close(scheduleAt(s, 5000), 0, 'after decay_steps it stays at alpha · lr = 0');
  const w = scheduleFromArgs('CosineDecay', [0, 1000], { warmup_target: 0.1, warmup_steps: 1000 }) as LrSchedule;
  close(scheduleAt(w, 250), 0.025, 'warmup, a quarter of the way to 0.1');
  close(scheduleAt(w, 1000), 0.1, 'warmup done');
  close(scheduleAt(w, 1500), 0.05, 'half-way through the decay');
  close(scheduleAt(w, 2000), 0, 'decayed');
  const a = scheduleFromArgs('CosineDecay', [0.1, 1000, 0.2], {}) as LrSchedule;
  close(scheduleAt(a, 1000), 0.02, 'alpha 0.2: ends at 0.2 · 0.1');
});

test('PolynomialDecay: the docstring example (0.1 → 0.01 over 10000 steps, power 0.5) and cycle', () => {
  const s = scheduleFromArgs('PolynomialDecay', [0.1, 10000, 0.01], { power: 0.5 }) as LrSchedule;
  close(scheduleAt(s, 0), 0.1, 'step 0');
  close(scheduleAt(s, 2500), 0.0879422863, 'step 2500: 0.09 · √0.75 + 0.01');
  close(scheduleAt(s, 10000), 0.01, 'step 10000');
  close(scheduleAt(s, 20000), 0.01, 'held at the end rate');
  const c = scheduleFromArgs('PolynomialDecay', [0.1, 100], { end_learning_rate: 0.0, cycle: true }) as LrSchedule;
  close(scheduleAt(c, 50), 0.05, 'first cycle');
  close(scheduleAt(c, 150), 0.025, 'second cycle: decay over 200 steps, 0.1 · (1 − 150/200)');
  assert.deepEqual(scheduleFromArgs('PolynomialDecay', [0.1, 100], {}), { type: 'PolynomialDecay', initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.0001, power: 1, cycle: false }, "Keras's defaults");
});

test('a schedule that cannot be worked out says why', () => {
  assert.match(scheduleFromArgs('ExponentialDecay', [0.1], { decay_steps: 0, decay_rate: 0.5 }) as string, /decay_steps must be > 0/);
  assert.match(scheduleFromArgs('PiecewiseConstantDecay', [[10], [1, 2, 3]], {}) as string, /values needs one more than boundaries/);
  assert.match(scheduleFromArgs('CosineDecayRestarts', [0.1, 10], {}) as string, /not one Model Lens computes/);
  assert.match(scheduleFromArgs('ExponentialDecay', ['x', 10, 0.5], {}) as string, /initial_learning_rate/);
});

const plateau = (o: Partial<Extract<CallbackSpec, { type: 'ReduceLROnPlateau' }>>): CallbackSpec => ({ type: 'ReduceLROnPlateau', monitor: 'val_loss', factor: 0.1, patience: 1, minDelta: 1e-4, cooldown: 0, minLr: 0, mode: 'auto', ...o });

/** Runs the callbacks over epoch val_loss values starting at `lr`; the rate after each epoch. */
function rates(spec: CallbackSpec, valLosses: number[], lr: number): number[] {
  const cb = new EpochCallbacks([spec]);
  const out: number[] = [];
  valLosses.forEach((v, i) => {
    const d = cb.onEpochEnd({ epoch: i + 1, loss: 1, valLoss: v, durationMs: 1 }, lr);
    if (d.learningRate !== undefined) lr = d.learningRate;
    out.push(lr);
  });
  return out;
}

test("ReduceLROnPlateau: the results of Keras's own tests (Adam(0.1), patience 1, factor 0.1)", () => {
  const lr0 = Math.fround(0.1);
  // min_delta=100: only the first epoch counts as an improvement. 2 epochs → 0.01.
  assert.equal(rates(plateau({ minDelta: 100 }), [0.9, 0.8], lr0).at(-1), Math.fround(0.01));
  // min_lr=0.005, min_delta=10, 4 epochs → 0.005.
  assert.equal(rates(plateau({ minDelta: 10, minLr: 0.005 }), [0.9, 0.8, 0.7, 0.6], lr0).at(-1), Math.fround(0.005), 'compared in float32, as the test compares the float32 variable');
  // cooldown=2, min_delta=100, 4 epochs → reduced twice: 0.001.
  const cooled = rates(plateau({ minDelta: 100, cooldown: 2 }), [0.9, 0.8, 0.7, 0.6], lr0);
  close(cooled.at(-1)!, 0.001, 'cooldown');
  assert.deepEqual(cooled.map((x) => Number(x.toPrecision(6))), [0.1, 0.01, 0.01, 0.001], 'the reduction after epoch 2 and, past the cooldown, after epoch 4');
});

test('ReduceLROnPlateau on a scripted loss: patience, min_delta, mode max, and a missing metric', () => {
  // patience 2: the rate halves after two epochs without an improvement of more than 0.01.
  const r = rates(plateau({ factor: 0.5, patience: 2, minDelta: 0.01 }), [1.0, 0.8, 0.795, 0.79, 0.7, 0.71, 0.72, 0.73, 0.74], 0.1);
  assert.deepEqual(r.map((x) => Number(x.toPrecision(6))), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.0125]);
  const cb = new EpochCallbacks([plateau({ monitor: 'val_accuracy', patience: 1 })]);
  assert.equal(cb.onEpochEnd({ epoch: 1, loss: 1, valAcc: 0.5, durationMs: 1 }, 0.01).learningRate, undefined);
  assert.equal(cb.onEpochEnd({ epoch: 2, loss: 1, valAcc: 0.6, durationMs: 1 }, 0.01).learningRate, undefined, 'accuracy going up is an improvement');
  const down = cb.onEpochEnd({ epoch: 3, loss: 1, valAcc: 0.55, durationMs: 1 }, 0.01);
  assert.equal(down.learningRate, Math.fround(0.001));
  assert.match(down.messages[0]!, /ReduceLROnPlateau: val_accuracy has not improved for 1 epoch\(s\).*0\.01 → 0\.001 after epoch 3/);
  const missing = new EpochCallbacks([plateau({})]).onEpochEnd({ epoch: 1, loss: 1, durationMs: 1 }, 0.01);
  assert.match(missing.messages[0]!, /watches 'val_loss', which this run does not have \(no validation: set validation_split or validation_data\)/);
});

const FILE = (fit: string, extra = '', opt = 'keras.optimizers.SGD()') => `import math
import keras
from keras import layers
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
${extra}
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation='softmax')])
model.compile(optimizer=${opt}, loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(${fit})
`;

test("LearningRateScheduler: the file's schedule(epoch, lr) is worked out per epoch — the Keras docstring example gives 0.00607 after 15 epochs", () => {
  const extra = `def scheduler(epoch, lr):\n    if epoch < 10:\n        return lr\n    else:\n        return lr * math.exp(-0.1)\n`;
  const t = readModel('m.py', FILE('x_train, y_train, epochs=15, callbacks=[keras.callbacks.LearningRateScheduler(scheduler)]', extra)).models[0]!.training;
  const cb = t.callbacks![0]!;
  assert.equal(cb.type, 'LearningRateScheduler');
  if (cb.type !== 'LearningRateScheduler') return;
  assert.equal(cb.schedule, 'scheduler');
  // SGD's default 0.01 for epochs 0–9, then × e^−0.1 at the start of epochs 10–14.
  assert.equal(Number(cb.epochLr[14]!.toFixed(5)), 0.00607);
  assert.equal(cb.epochLr[9], Math.fround(0.01));
  // The same with tf.math.exp (TensorFlow's example) and keras.ops.exp (Keras's own docstring) on numbers.
  for (const [imp, call] of [['import tensorflow as tf', 'tf.math.exp(-0.1)'], ['from keras import ops', 'ops.exp(-0.1)']]) {
    const src = FILE('x_train, y_train, epochs=15, callbacks=[keras.callbacks.LearningRateScheduler(scheduler)]', `${imp}\n${extra.replace('math.exp(-0.1)', call!)}`);
    const c = readModel('m.py', src).models[0]!.training.callbacks![0]!;
    assert.ok(c.type === 'LearningRateScheduler', JSON.stringify(c));
    assert.equal(Number(c.epochLr[14]!.toFixed(5)), 0.00607, call);
  }
  // A lambda of one argument (Keras's older API: schedule(epoch)).
  const t2 = readModel('m.py', FILE('x_train, y_train, epochs=3, callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))]')).models[0]!.training;
  const cb2 = t2.callbacks![0]!;
  assert.ok(cb2.type === 'LearningRateScheduler');
  assert.deepEqual(cb2.epochLr.slice(0, 3), [Math.fround(0.1), Math.fround(0.05), Math.fround(0.1 / 3)]);
});

test('a schedule or callback that cannot be worked out is a warning at its line for training (Train refuses); one Keras raises at is an error', () => {
  const unknown = readModel('m.py', FILE('x_train, y_train, epochs=3, callbacks=[keras.callbacks.LearningRateScheduler(my_module.schedule)]', 'import my_module')).models[0]!;
  const err = unknown.diagnostics.find((d) => d.severity === 'warning' && /LearningRateScheduler/.test(d.message));
  assert.ok(!unknown.diagnostics.some((d) => d.severity === 'error'));
  assert.ok(err, JSON.stringify(unknown.diagnostics));
  assert.equal(err.range.line, 8);
  assert.equal(unknown.training.fitErrors?.length, 1);

  const needsData = readModel('m.py', FILE('x_train, y_train, epochs=3, callbacks=[keras.callbacks.LearningRateScheduler(lambda e, lr: lr * x_train.mean())]')).models[0]!;
  assert.match(needsData.diagnostics.find((d) => d.severity === 'warning' && d.code === 'training-config')!.message, /cannot work out <lambda>|cannot work out lambda/);

  const badFactor = readModel('m.py', FILE('x_train, y_train, callbacks=[keras.callbacks.ReduceLROnPlateau(factor=2)]')).models[0]!;
  assert.match(badFactor.diagnostics.find((d) => d.severity === 'error')!.message, /factor >= 1\.0/);

  const sched = 'keras.optimizers.SGD(keras.optimizers.schedules.PolynomialDecay(initial_learning_rate=0.1, decay_steps=10))';
  const both = readModel('m.py', FILE('x_train, y_train, callbacks=[keras.callbacks.ReduceLROnPlateau()]', '', sched)).models[0]!;
  assert.match(both.diagnostics.find((d) => d.severity === 'error')!.message, /PolynomialDecay schedule, which Keras does not let a callback change/);

  const restarts = readModel('m.py', FILE('x_train, y_train', '', 'keras.optimizers.Adam(keras.optimizers.schedules.CosineDecayRestarts(0.1, 100))')).models[0]!;
  const e = restarts.diagnostics.find((d) => d.severity === 'warning' && d.code === 'training-config')!;
  assert.match(e.message, /CosineDecayRestarts' is not one Model Lens computes/);
  assert.equal(e.range.line, 7);
  assert.deepEqual(restarts.training.fitErrors?.map((x) => x.line), [7], 'kept for the trainer, though fit() comes after compile()');
});

test('an optimizer given a schedule object: read with Keras defaults, its step-0 value as the learning rate', () => {
  const t = readModel('m.py', FILE('x_train, y_train', 'lr = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=10000, decay_rate=0.9)', 'keras.optimizers.SGD(learning_rate=lr)')).models[0]!.training;
  assert.deepEqual(t.optimizer, { name: 'SGD', learningRate: Math.fround(0.01), schedule: { type: 'ExponentialDecay', initialLearningRate: 0.01, decaySteps: 10000, decayRate: 0.9, staircase: false } });
});
