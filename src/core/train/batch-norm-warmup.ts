/**
 * Whether a model's BatchNormalization moving statistics have had enough training steps to be
 * trusted. Keras (keras.io, BatchNormalization) normalizes with the batch's own mean and variance
 * in training, but evaluate(), validation and predict() use the moving averages, updated each
 * training step as `moving = moving · momentum + batch · (1 − momentum)` from 0 (mean) and 1
 * (variance). After n steps they still hold momentum^n of those starting values: at the default
 * 0.99, 30 steps leave 74%, and a model that is 100% right in training can be near chance in
 * evaluation. Keras gives the same figures; this says why, so the number is not taken for a bug.
 */
import type { ModelIR } from '../model/ir';

/** Starting values' share above which the moving statistics are called unsettled (1%). */
export const UNSETTLED_SHARE = 0.01;

interface BatchNorm {
  name: string;
  momentum: number;
}

function batchNorms(ir: ModelIR, out: BatchNorm[] = []): BatchNorm[] {
  for (const l of ir.layers) {
    // A frozen BatchNormalization (trainable=False) runs in inference mode and never updates its statistics.
    if (l.type === 'BatchNormalization' && !(l.params > 0 && l.trainableParams === 0)) {
      const m = l.config['momentum'];
      out.push({ name: l.name, momentum: typeof m === 'number' ? m : 0.99 });
    }
    if (l.nested?.graph) batchNorms(l.nested.graph, out);
  }
  return out;
}

/** Steps after which momentum^steps falls to `UNSETTLED_SHARE`. */
export function stepsToSettle(momentum: number): number {
  if (!(momentum > 0 && momentum < 1)) return 0;
  return Math.ceil(Math.log(UNSETTLED_SHARE) / Math.log(momentum));
}

/**
 * A warning when the model has BatchNormalization layers whose moving statistics, started from
 * Keras's initial 0 and 1 and updated `steps` times, still hold more than 1% of those values;
 * undefined otherwise (no such layer, enough steps, or momentum 0).
 */
export function batchNormWarmup(ir: ModelIR, steps: number): string | undefined {
  const bns = batchNorms(ir).filter((b) => b.momentum > 0 && b.momentum < 1 && b.momentum ** steps > UNSETTLED_SHARE);
  if (!bns.length) return undefined;
  const slowest = bns.reduce((a, b) => (b.momentum > a.momentum ? b : a));
  const left = Math.round(100 * slowest.momentum ** steps);
  const names = bns.length === 1 ? bns[0]!.name : `${bns[0]!.name} and ${bns.length - 1} more`;
  return (
    `BatchNormalization (${names}): after ${steps} training step${steps === 1 ? '' : 's'} at momentum ${slowest.momentum}, its moving mean and variance ` +
    `(what validation, evaluate and predictions normalize with) still hold ${left}% of their starting values 0 and 1, so those results can be far ` +
    `below the training accuracy — Keras gives the same. Train at least ${stepsToSettle(slowest.momentum)} steps (more data or epochs), or lower momentum (e.g. 0.9).`
  );
}
