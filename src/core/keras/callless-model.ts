/**
 * A model class without call(): the wrapper keras.io's GAN, VAE and Siamese examples write
 * (`class VAE(keras.Model)` with `train_step` and the models it drives as attributes). Keras never
 * builds it (building runs call()), so it has no summary of its own; the file is still valid, and
 * the models it holds are read on their own. The uses whose result Model Lens cannot give are errors
 * at their line: a call (Keras's default call() raises NotImplementedError), build(), count_params()
 * (a ValueError: not built), summary() (tf.keras: "This model has not yet been built"; Keras 3's
 * printout of an unbuilt model is not one Model Lens makes).
 */
import type { UnbuiltModel } from '../model/ir';
import { classMember } from '../python/values';
import type { PyModel } from './keras-values';

/** A subclassed model whose class (and its bases of this file) has no call(). */
export function hasNoCall(m: PyModel): boolean {
  const cls = m.self?.cls;
  return m.style === 'subclassed' && !!cls && !classMember(cls, 'call');
}

/** The model methods whose result on a never-built model Model Lens cannot give (tf.keras refuses each). */
const REFUSED = new Set(['summary', 'count_params', 'build']);

/** Why `m.<method>(…)` (or a call of `m`, method '__call__') is an error at its line, or undefined when it is not. */
export function refusedUse(m: PyModel, method: string): string | undefined {
  // (Not when something about it could not be read: a functional super().__init__(inputs=, outputs=) builds it.)
  if (!hasNoCall(m) || m.gaps.length) return undefined;
  const cls = m.self!.cls.name;
  const head = `model '${m.name}' (class ${cls}) has no call() method`;
  if (method === '__call__') return `${head}, so calling it raises NotImplementedError in Keras; call the models it holds instead, or give ${cls} a call()`;
  if (!REFUSED.has(method)) return undefined;
  if (method === 'build') return `${head}, so build() has no call() to build it from (tf.keras raises NotImplementedError there); give ${cls} a call(), or build the models it holds`;
  if (method === 'summary') return `${head}, so Keras never builds it and its summary() is not one Model Lens prints (tf.keras raises a ValueError there: the model has not yet been built). Print the summaries of the models it holds instead`;
  return `${head}, so Keras never builds it and count_params() raises a ValueError (the model is not built); Model Lens has no figures for it. Count the models it holds instead`;
}

/** What is said about such a model (at the line that makes it) instead of listing it with totals. */
export function unbuiltModel(m: PyModel): UnbuiltModel {
  const cls = m.self!.cls;
  const trainStep = !!classMember(cls, 'train_step');
  const train = trainStep
    ? `Model Lens does not run its custom train_step, so it does not train '${m.name}'`
    : `Model Lens cannot train it`;
  return {
    name: m.name,
    ...(m.variable !== undefined ? { variable: m.variable } : {}),
    className: cls.name,
    range: m.range,
    trainStep,
    message: `model '${m.name}' (class ${cls.name}) has no call() method, so Keras never builds it and it has no summary of its own (the models it holds are shown on their own); ${train}`,
  };
}
