// One training step split in two halves: compute the loss, the compiled metrics and the gradients
// of a compiled LayersModel on a batch WITHOUT applying them — the same total loss that
// LayersModel.trainOnBatch minimizes (mean loss per output + regularizer penalties).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The parts of a compiled LayersModel that trainOnBatch uses internally. */
interface CompiledModel {
  lossFunctions: ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)[];
  metricsTensors: [(yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, number][];
  collectedTrainableWeights: tfl.LayerVariable[];
  calculateLosses(): tf.Scalar[];
}

export interface StepResult {
  /** [loss, ...metrics] as LayersModel.trainOnBatch returns them. */
  values: number[];
  /** Gradient per trainable variable, in `trainableVariables(model)` order. */
  grads: tf.Tensor[];
}

/** The compiled model behind `model` (a Sequential keeps its compiled state in an inner model). */
function compiled(model: tfl.LayersModel): CompiledModel {
  const m = model as unknown as CompiledModel & { model?: CompiledModel };
  return m.lossFunctions ? m : (m.model ?? m);
}

export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  const m = compiled(model);
  if (!m.collectedTrainableWeights) throw new Error('the model must be compiled before training');
  return m.collectedTrainableWeights.map((w) => w.read() as tf.Variable);
}

/** Loss, metrics and gradients of `model` on (xs, ys); the caller disposes `grads`. */
export function computeStep(model: tfl.LayersModel, xs: tf.Tensor[], ys: tf.Tensor[]): StepResult {
  const m = compiled(model);
  const vars = trainableVariables(model);
  const metricTensors: tf.Scalar[] = [];
  const lossFn = (): tf.Scalar => {
    const out = model.apply(xs.length === 1 ? xs[0]! : xs, { training: true }) as tf.Tensor | tf.Tensor[];
    const outputs = Array.isArray(out) ? out : [out];
    let total: tf.Tensor | undefined;
    const lossValues: tf.Scalar[] = [];
    m.lossFunctions.forEach((f, i) => {
      const l = f(ys[i]!, outputs[i]!);
      lossValues.push(tf.mean(l));
      total = total ? tf.add(total, l) : l;
    });
    for (let i = 0; i < m.metricsTensors.length; i++) {
      const [metric, o] = m.metricsTensors[i]!;
      const v = outputs.length > 1 && i < outputs.length ? lossValues[i]! : (tf.mean(metric(ys[o]!, outputs[o]!)) as tf.Scalar);
      metricTensors.push(tf.keep(v));
    }
    let loss = tf.mean(total!) as tf.Scalar;
    for (const r of m.calculateLosses()) loss = tf.add(loss, r);
    return loss;
  };
  const { value, grads } = tf.variableGrads(lossFn, vars);
  const values = [value, ...metricTensors].map((t) => t.dataSync()[0]!);
  tf.dispose([value, ...metricTensors]);
  return { values, grads: vars.map((v) => grads[v.name]!) };
}
