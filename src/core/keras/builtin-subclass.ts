/**
 * A class of the file that derives from a built-in Keras layer and only re-routes its call, e.g.
 * Monte Carlo dropout (HOML ch. 11):
 *
 *     class MCDropout(keras.layers.Dropout):
 *         def call(self, inputs, training=None):
 *             return super().call(inputs, training=True)
 *
 * Its weights and shapes are the base layer's: Model Lens reads it as that layer. Anything more
 * (its own __init__, build, weights, or a call that returns something else) is not read this way.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Value } from '../python/values';
import { layerSpec } from './layer-table';

type ClassValue = Extract<Value, { k: 'class' }>;

/** A `def call(...)` whose body is one `return super(...).call(...)` (after an optional docstring). */
const DELEGATING_CALL = /^def\s+call\s*\([^)]*\)\s*(?:->[^:]*)?:\s*(?:(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"[^"\n]*"|'[^'\n]*')\s*)?return\s+super\s*\([^)]*\)\s*\.\s*call\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*$/;

/**
 * The built-in layer type a class stands for, or undefined. `source` gives the text of a node.
 * The class's bases must be one Keras layer class (no class of the file between them).
 */
export function builtinLayerOf(cls: ClassValue, source: (n: SyntaxNode) => string): string | undefined {
  if (cls.bases.length !== 1) return undefined;
  const base = cls.bases[0]!;
  const m = base.k === 'mod' ? /^keras\.layers\.(\w+)$/.exec(base.path) : null;
  const type = m?.[1];
  if (!type || type === 'Layer' || !layerSpec(type)) return undefined;
  const body = cls.node.getChild('Body');
  for (let c = body?.firstChild; c; c = c.nextSibling) {
    if (c.name === ':' || c.name === 'Comment') continue;
    const text = source(c).trim();
    if (c.name === 'ExpressionStatement' && /^("""[\s\S]*"""|'''[\s\S]*'''|"[^"\n]*"|'[^'\n]*')$/.test(text)) continue; // docstring
    if (c.name === 'PassStatement') continue;
    if (c.name === 'FunctionDefinition' && DELEGATING_CALL.test(text)) continue;
    return undefined;
  }
  return layerSpec(type)!.type;
}
