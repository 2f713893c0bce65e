/**
 * Where a training step's time goes: the optimizer's `computeGradients` (the forward pass and loss
 * run inside it, in the function it is given, then the gradients) and `applyGradients` (the
 * update) are timed on this one optimizer instance. The wasm kernels run synchronously, so wall
 * time between the calls is the phase's time. The caller adds the batch-building time and the
 * whole `trainOnBatch` time; the remainder is metrics and reading the loss back.
 */
import type { StepTimes } from '../core/protocol/worker';
import { emptyTimes } from '../core/train/step-times';

type Optimizer = import('@tensorflow/tfjs-core').Optimizer;

export class StepProfiler {
  private sum = emptyTimes();
  private steps = 0;
  private inStep = { forward: 0, backward: 0, update: 0 };

  /** Times this optimizer's phases from now on (wraps its methods on the instance). */
  attach(opt: Optimizer): void {
    const marked = opt as Optimizer & { modelLensProfiled?: StepProfiler };
    if (marked.modelLensProfiled === this) return;
    marked.modelLensProfiled = this;
    const compute = opt.computeGradients.bind(opt);
    const apply = opt.applyGradients.bind(opt);
    opt.computeGradients = (f, varList) => {
      let forward = 0;
      const t0 = performance.now();
      const r = compute(() => {
        const a = performance.now();
        try {
          return f();
        } finally {
          forward = performance.now() - a;
        }
      }, varList);
      this.inStep.forward += forward;
      this.inStep.backward += performance.now() - t0 - forward;
      return r;
    };
    opt.applyGradients = (grads) => {
      const t0 = performance.now();
      apply(grads);
      this.inStep.update += performance.now() - t0;
    };
  }

  /** Ends a step: `dataMs` building its batch, `stepMs` the whole training call. */
  step(dataMs: number, stepMs: number): void {
    const { forward, backward, update } = this.inStep;
    this.sum.dataMs += dataMs;
    this.sum.forwardMs += forward;
    this.sum.backwardMs += backward;
    this.sum.updateMs += update;
    this.sum.otherMs += Math.max(0, stepMs - forward - backward - update);
    this.inStep = { forward: 0, backward: 0, update: 0 };
    this.steps++;
  }

  /** Mean per step since the last call, and starts over. */
  take(): StepTimes | undefined {
    if (!this.steps) return undefined;
    const n = this.steps;
    const t = this.sum;
    this.sum = emptyTimes();
    this.steps = 0;
    return { dataMs: t.dataMs / n, forwardMs: t.forwardMs / n, backwardMs: t.backwardMs / n, updateMs: t.updateMs / n, otherMs: t.otherMs / n };
  }
}
