/**
 * TensorFlow functions given Keras tensors at the top level of a functional model, as tf.keras 2
 * (TensorFlow ≤ 2.15, and Keras 2.x) read them: each call became a `TFOpLambda` layer
 * (keras/layers/core/tf_op_layer.py), no weights, named after the function's canonical TF API name
 * and numbered like any layer name (`tf.nn.relu`, `tf.nn.relu_1`). Keras 3 (TensorFlow ≥ 2.16)
 * raises a ValueError instead (KerasTensor.__tf_tensor__). This file says which of the two a file
 * runs on (from the modules it reaches Keras through) and what the row is called; the shape rule
 * is the keras.ops equivalent's (tensor-ops.ts), one rule per operation.
 */

import { canonicalPath } from './keras-values';

/** Which Keras a file runs on, as its imports say. */
export type KerasLine =
  /** Keras through TensorFlow (`tf.keras`, `from tensorflow import keras`, `tf_keras`): tf.keras 2 when it reads a TF function on a Keras tensor. */
  | 'tf.keras'
  /** Keras 3's own modules reached (`keras.ops`, `keras.random`, `keras.config`, keras_core; as `tf.keras.ops` too): plainly Keras 3. */
  | 'keras3'
  /** Standalone `keras` only, nothing Keras 3's own: Keras 2.x (≤ 2.15) or Keras 3, the file does not say. */
  | 'keras';

const TF_KERAS = /^(tensorflow\.(python\.|compat\.v[12]\.)?keras|tf_keras)(\.|$)/;
/** Modules only Keras 3 has (tf.keras 2 and Keras 2.x have none of them), reached as keras.X or tf.keras.X. */
const KERAS3 = /^(keras\.(ops|random|config|tree|distribution)|keras_core)(\.|$)/;

/**
 * Notes the module paths a file reaches (each raw path the evaluator canonicalises) to tell its
 * Keras. A module only Keras 3 has (keras.ops, also as tf.keras.ops on TensorFlow ≥ 2.16) says
 * Keras 3 whatever the spelling; otherwise Keras reached through TensorFlow says tf.keras. What a
 * file reaches after a call is read does not change how that call was read.
 */
export class KerasImports {
  private tf = false;
  private k3 = false;

  note(raw: string): void {
    if (TF_KERAS.test(raw)) this.tf = true;
    if (KERAS3.test(canonicalPath(raw))) this.k3 = true;
  }

  line(): KerasLine {
    return this.k3 ? 'keras3' : this.tf ? 'tf.keras' : 'keras';
  }
}

/** Functions whose canonical TF name is under tf.math (tf_export("math.X", "X")). */
const MATH = new Set([
  'add', 'subtract', 'multiply', 'divide', 'truediv', 'maximum', 'minimum', 'pow', 'equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal',
  'sqrt', 'rsqrt', 'exp', 'log', 'abs', 'square', 'negative', 'tanh', 'sin', 'cos', 'floor', 'ceil', 'round', 'sign', 'erf', 'reciprocal', 'sigmoid', 'softplus', 'l2_normalize',
  'reduce_mean', 'reduce_sum', 'reduce_max', 'reduce_min', 'reduce_prod', 'reduce_std', 'reduce_variance',
  'log1p', 'expm1', 'squared_difference', 'argmax', 'argmin',
]);
/** Functions whose canonical TF name is under tf.nn. */
const NN = new Set(['relu', 'relu6', 'gelu', 'silu', 'elu', 'selu', 'softsign', 'leaky_relu', 'softmax', 'log_softmax']);
/**
 * TF 2's functions that call their TF 1 version, where the dispatch to TFOpLambda happens: the row
 * is named `tf.compat.v1.X` (a printed tf.keras 2 summary shows `tf.compat.v1.transpose` and
 * `tf.compat.v1.squeeze` rows for tf.transpose / tf.squeeze; see tf-op-lambda.test.ts). tf.pad's
 * pad_v2 calls pad the same way (array_ops.py); no printout of it was found to check.
 */
const V1 = new Set(['transpose', 'squeeze', 'pad']);

/**
 * The name tf.keras 2 gives the TFOpLambda row of a TF function (its canonical path,
 * `tensorflow.reduce_mean` → `tf.math.reduce_mean`, `tensorflow.matmul` → `tf.linalg.matmul`,
 * `tensorflow.nn.swish` → `tf.nn.silu`), before numbering.
 */
export function tfOpLambdaName(path: string): string {
  const rest = path.replace(/^tensorflow\./, '');
  const fn = rest.split('.').pop()!;
  if (fn === 'swish') return 'tf.nn.silu';
  if (fn === 'matmul') return 'tf.linalg.matmul';
  if (MATH.has(fn)) return `tf.math.${fn}`;
  if (NN.has(fn)) return `tf.nn.${fn}`;
  if (V1.has(fn) && !rest.includes('.')) return `tf.compat.v1.${fn}`;
  return `tf.${rest}`;
}

/** The row type tf.keras 2 prints for such a layer. */
export const TF_OP_LAMBDA = 'TFOpLambda';

/** The warning at the line of a TF function read as tf.keras 2 read it. */
export function tfOpLambdaWarning(fn: string, line: KerasLine, name: string, here = 'as Model Lens does here', ops?: string): string {
  const which = line === 'tf.keras' ? 'tf.keras 2 (TensorFlow ≤ 2.15)' : 'Keras 2 (TensorFlow ≤ 2.15, or keras ≤ 2.15)';
  return `'${fn}' is given a Keras tensor: ${which} read it as a TFOpLambda layer ('${name}', no weights), ${here}; Keras 3 (TensorFlow ≥ 2.16) raises a ValueError instead. To run on Keras 3, use ${ops ? `${ops} (the same operation)` : 'the keras.ops function'} or a Keras layer (or move the computation into a layer's call())`;
}

/** The error at a TF function Model Lens has no shape rule for, given a Keras tensor at the top level. */
export function unknownTfFunction(path: string, line: KerasLine): string {
  const fn = path.replace(/^tensorflow\./, 'tf.');
  const then = line === 'keras3' ? 'Keras 3 raises a ValueError here (a KerasTensor cannot be used as input to a TensorFlow function)' : 'tf.keras 2 made a TFOpLambda layer (no weights) of a TensorFlow function, Keras 3 raises a ValueError';
  return `'${fn}' is given a Keras tensor (${then}), and Model Lens does not know the shape '${fn}' gives, so the model after it is unknown. Write it with a Keras layer or a keras.ops function (or a layer's call()); Model Lens reads tf.* functions with a keras.ops equivalent (tf.concat, tf.reshape, tf.reduce_mean, tf.nn.relu, …)`;
}
