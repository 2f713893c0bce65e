// Where a step's time goes: the profiler splits the optimizer's work into forward (the loss
// function it is given), backward (the rest of computeGradients) and update (applyGradients).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { addTimes, emptyTimes, formatShares, shareList, totalMs } from '../../../src/core/train/step-times';
import { StepProfiler } from '../../../src/worker/step-profile';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

test('phases are timed where they run, per step, and start over after take()', async () => {
  await tf.setBackend('cpu');
  const w = tf.variable(tf.scalar(3));
  const opt = tf.train.sgd(0.1);
  const apply = opt.applyGradients.bind(opt);
  opt.applyGradients = (g) => (busy(15), apply(g)); // an update that takes 15 ms
  const profiler = new StepProfiler();
  profiler.attach(opt);
  profiler.attach(opt); // idempotent: no double wrapping
  let stepMs = 0;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    opt.minimize(() => (busy(30), tf.square(w)) as tf.Scalar);
    const ms = performance.now() - t0 + 10; // 10 ms of "other"
    stepMs += ms;
    profiler.step(5, ms);
  }
  const t = profiler.take()!;
  // Lower bounds only: on a loaded machine a phase can take longer than its busy wait.
  assert.ok(t.forwardMs >= 30, `forward ${t.forwardMs}`);
  assert.ok(t.updateMs >= 15, `update ${t.updateMs}`);
  assert.ok(t.backwardMs >= 0, `backward ${t.backwardMs}`);
  assert.equal(t.dataMs, 5);
  assert.ok(t.otherMs >= 9.9, `other ${t.otherMs}`);
  assert.ok(Math.abs(totalMs(t) - t.dataMs - stepMs / 2) < 1e-6, 'the phases add up to the step');
  assert.ok(Math.abs(w.dataSync()[0]! - 3 * 0.8 * 0.8) < 1e-5, 'the optimizer still updates');
  assert.equal(profiler.take(), undefined, 'nothing since the last take');
  tf.dispose(w);
});

test('shares add up over events weighted by their steps', () => {
  const sum = emptyTimes();
  addTimes(sum, { dataMs: 1, forwardMs: 2, backwardMs: 5, updateMs: 1, otherMs: 1 }, 3);
  addTimes(sum, { dataMs: 1, forwardMs: 2, backwardMs: 5, updateMs: 1, otherMs: 1 }, 1);
  assert.equal(totalMs(sum), 40);
  assert.equal(formatShares(sum), 'data 10% · forward 20% · backward 50% · update 10% · other 10%');
  assert.equal(formatShares(emptyTimes()), 'no steps timed');
  assert.deepEqual(shareList(emptyTimes()), []);
});
