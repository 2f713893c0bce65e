/**
 * Cross-entropy on a softmax output, as Keras trains it. Keras's `fit` sees that the model's
 * output comes from a softmax and takes the cross-entropy from the logits, so the gradient
 * reaching the logits is exactly `p − y` for every sample. TensorFlow.js instead clips the
 * probabilities to [ε, 1 − ε] before the log, which zeroes the gradient of every sample the
 * model is confidently wrong about (p < 1e-7) — the samples with most to teach.
 *
 * This loss keeps TensorFlow.js's value (the clipped log, as Keras reports it too) but passes
 * back the unclipped gradient −y / p; through the softmax's own gradient that is `p − y` on the
 * logits, Keras's gradient.
 */
import { tf } from './tf';

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type Tensor = import('@tensorflow/tfjs-core').Tensor;

const EPSILON = 1e-7;
/** Keeps −y/p finite where p underflowed to 0 (its product with p is then 0, not −1). */
const TINY = 1e-30;

/** True when the model's output is a softmax (an Activation/Softmax layer or a layer's softmax activation). */
export function endsInSoftmax(model: LayersModel): boolean {
  const last = model.outputs[0]?.sourceLayer;
  if (!last) return false;
  if (last.getClassName() === 'Softmax') return true;
  const act = (last.getConfig() as { activation?: unknown }).activation;
  return act === 'softmax';
}

/** Per-sample cross-entropy of one-hot targets with Keras's logits gradient. */
export function softmaxCrossEntropy(): (yTrue: Tensor, yPred: Tensor) => Tensor {
  return (yTrue, yPred) => {
    const loss = tf.customGrad((...args: unknown[]) => {
      const [t, p, save] = args as [Tensor, Tensor, (ts: Tensor[]) => void];
      save([t, p]);
      const value = tf.neg(tf.sum(tf.mul(t, tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON))), -1));
      const gradFunc = (dy: Tensor, saved: Tensor[]) => {
        const [ts, ps] = saved as [Tensor, Tensor];
        return [tf.zerosLike(ts), tf.mul(tf.neg(tf.div(ts, tf.maximum(ps, TINY))), tf.expandDims(dy, -1))];
      };
      return { value, gradFunc };
    });
    return loss(yTrue, yPred);
  };
}
