/**
 * Hover text for a layer: its arguments with Keras defaults filled in (marked), the parameter
 * formula (Conv2D: `(3·3·1 + 1)·32 = 320`) and the layer's documentation, from the layer table.
 */
import type { ConfigValue, LayerNode, ModelIR, Shape } from '../model/ir';
import { layerSpec, ShapeError } from './layer-table';

export interface LayerDescription {
  args: { name: string; value: string; isDefault: boolean }[];
  formula: string;
  doc: string;
}

/** A config value written as Python: None, True, 'same', (3, 3). */
export function pythonLiteral(v: ConfigValue | undefined): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pythonLiteral(v[0])},)` : `(${v.map(pythonLiteral).join(', ')})`;
  return `{${Object.entries(v).map(([k, x]) => `'${k}': ${pythonLiteral(x)}`).join(', ')}}`;
}

function same(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function describeLayer(layer: LayerNode, model: ModelIR): LayerDescription {
  // A tensor operation shares some class names with layers (Add, Reshape): described as the operation it is.
  if (layer.operation) {
    const args = Object.entries(layer.config)
      .filter(([k]) => k !== 'name')
      .map(([name, v]) => ({ name, value: pythonLiteral(v), isDefault: false }));
    return { args, formula: 'no weights', doc: `A tensor operation (${layer.operation.replace(/^tensorflow\./, 'tf.')}), not a layer: no weights; its output shape follows the operation's rule.` };
  }
  const spec = layerSpec(layer.type);
  if (!spec) return { args: [], formula: '?', doc: `${layer.type} is not supported by Model Lens.` };
  const args = spec.args
    .filter((a) => a.name in layer.config)
    .map((a) => {
      const v = layer.config[a.name];
      // Pooling strides=None means "pool_size": show it as the default.
      return { name: a.name, value: pythonLiteral(v), isDefault: a.default !== undefined && same(v, a.default) };
    });
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const inputs = layer.inputs.map((n) => byName.get(n)?.outputShape ?? null);
  let formula = '?';
  if (layer.type === 'InputLayer') formula = 'no weights';
  else if (inputs.length && inputs.every((s): s is Shape => s !== null)) {
    try {
      formula = spec.params(inputs, layer.config).formula;
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
    }
  }
  if (layer.config['trainable'] === false && layer.params > 0) formula += ' (frozen: trainable=False)';
  return { args, formula, doc: spec.doc };
}
