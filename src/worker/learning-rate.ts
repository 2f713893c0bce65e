/**
 * Sets the learning rate of a compiled model's optimizer between steps (schedules, callbacks):
 * our fused optimizer reads it from its rule at each update, tfjs's SGD/Momentum keep it in a
 * scalar (`setLearningRate`), the other tfjs optimizers read their `learningRate` field.
 */
import { FusedOptimizer } from './optimizers/fused-optimizer';

type Optimizer = import('@tensorflow/tfjs-core').Optimizer;

/** tfjs's Optimizer answers `instanceof` for any object with minimize/applyGradients (its Symbol.hasInstance), so ask the prototype chain. */
const isFused = (o: Optimizer): o is FusedOptimizer => Object.prototype.isPrototypeOf.call(FusedOptimizer.prototype, o);

export function setLearningRate(optimizer: Optimizer, lr: number): void {
  if (isFused(optimizer)) {
    optimizer.rule.learningRate = lr;
    return;
  }
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === lr) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
