/**
 * The values the safe evaluator works with. Only constants, module paths, Keras layers/tensors/
 * models, the loaded dataset and a few Keras objects (optimizers, losses) are modelled; anything
 * else is `unknown` and carries its source text for messages. No user code is ever run.
 */
import type { SyntaxNode } from '@lezer/common';
import type { ConfigValue, DatasetName, SourceRange, TrainingConfig, Diagnostic } from '../model/ir';
import type { GLayer } from './shape-inference';

export interface PyModel {
  style: 'functional' | 'sequential' | 'sequential-add';
  name: string;
  variable?: string;
  range: SourceRange;
  /** Functional: the model's layers; Sequential: filled when the file has been read. */
  layers: GLayer[];
  inputs: GLayer[];
  outputs: GLayer[];
  /** Sequential only: the layers in the order they were given/added. */
  items: GLayer[];
  training: TrainingConfig;
  problems: Diagnostic[];
}

export type Value =
  | { k: 'py'; v: number | string | boolean | null }
  | { k: 'seq'; items: Value[]; tuple: boolean }
  | { k: 'dict'; entries: Map<string, Value> }
  /** A module or attribute path, canonical (`tensorflow.keras.layers.Conv2D` → `keras.layers.Conv2D`). */
  | { k: 'mod'; path: string }
  /** A constructed layer (called or not). */
  | { k: 'layer'; layer: GLayer }
  /** The output of a layer call (or of keras.Input). */
  | { k: 'tensor'; layer: GLayer }
  | { k: 'model'; model: PyModel }
  /** Arrays from `datasets.X.load_data()`, with the scaling applied to them so far. */
  | {
      k: 'data';
      dataset: DatasetName | null;
      role: 'x' | 'y';
      scale: number;
      line: number;
      /** Array shape when it can be followed (mnist x: [60000, 28, 28]); null when not. */
      dims: (number | null)[] | null;
    }
  /** An instance of a Keras class that is not a layer (optimizer, loss, metric, initializer). */
  | { k: 'obj'; cls: string; path: string; pos: Value[]; kw: Map<string, Value> }
  | { k: 'method'; self: Value; name: string }
  | { k: 'func'; node: SyntaxNode; name: string }
  | { k: 'ellipsis' }
  | { k: 'unknown'; text: string };

export const UNKNOWN = (text: string): Value => ({ k: 'unknown', text });
export const py = (v: number | string | boolean | null): Value => ({ k: 'py', v });

/** The plain-data form of a value, or undefined when it is not a constant. */
export function toConfig(v: Value): ConfigValue | undefined {
  switch (v.k) {
    case 'py':
      return v.v;
    case 'seq': {
      const out: ConfigValue[] = [];
      for (const i of v.items) {
        const c = toConfig(i);
        if (c === undefined) return undefined;
        out.push(c);
      }
      return out;
    }
    case 'dict': {
      const out: Record<string, ConfigValue> = {};
      for (const [key, i] of v.entries) {
        const c = toConfig(i);
        if (c === undefined) return undefined;
        out[key] = c;
      }
      return out;
    }
    case 'mod': {
      // keras.activations.relu, tf.nn.relu → 'relu'
      const last = v.path.split('.').pop()!;
      return /^(keras\.activations|tensorflow\.nn|tensorflow\.math|keras\.ops)\./.test(v.path) ? last : undefined;
    }
    case 'obj':
      return v.cls;
    default:
      return undefined;
  }
}

/** `tensorflow.keras.X` / `tf_keras.X` / `tensorflow.python.keras.X` → `keras.X`. */
export function canonicalPath(path: string): string {
  return path
    .replace(/^tensorflow\.python\.keras(?=\.|$)/, 'keras')
    .replace(/^tensorflow\.keras(?=\.|$)/, 'keras')
    .replace(/^tf_keras(?=\.|$)/, 'keras')
    .replace(/^keras\.api\.(_v2\.)?keras(?=\.|$)/, 'keras');
}
