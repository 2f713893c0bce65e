// Test helpers: read small models we write ourselves through the real readers.
import assert from 'node:assert/strict';
import type { LayerNode, ModelIR } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';

function clean(r: ReturnType<typeof readModel>, what: string): ModelIR {
  const ds = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
  assert.deepEqual(ds.map((d) => d.message), [], `${what}: no errors`);
  return r.models[0]!;
}

/** Reads `keras.Input(shape) → layer` (Python) and returns the layer. */
export function one(shape: string, layer: string, inputArgs = ''): LayerNode {
  const src = `import keras\nfrom keras import layers\ninputs = keras.Input(shape=${shape}${inputArgs})\nx = ${layer}(inputs)\nmodel = keras.Model(inputs, x)\n`;
  return clean(readModel('one.py', src), layer).layers[1]!;
}

/** Reads a Python model body (after `import keras` / `from keras import layers`) and returns the model. */
export function py(body: string): ModelIR {
  return clean(readModel('m.py', `import keras\nfrom keras import layers\n${body}\n`), body.slice(0, 60));
}

/**
 * Reads a Keras 3 functional model JSON (as `model.to_json()` writes it) built from
 * [name, class_name, config, inbound layer names]; the first entry is the input layer.
 */
export function json(layers: [string, string, Record<string, unknown>, string[]][]): ModelIR {
  const spec = layers.map(([name, cls, config, inbound]) => ({
    class_name: cls,
    name,
    config: { name, ...config },
    inbound_nodes: inbound.length ? [{ args: inbound.length === 1 ? [tensor(inbound[0]!)] : [inbound.map(tensor)], kwargs: {} }] : [],
  }));
  const model = {
    class_name: 'Functional',
    config: { name: 'm', layers: spec, input_layers: [[layers[0]![0], 0, 0]], output_layers: [[layers[layers.length - 1]![0], 0, 0]] },
  };
  return clean(readModel('m.json', JSON.stringify(model)), 'json model');
}

const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [], dtype: 'float32', keras_history: [name, 0, 0] } });

export const byName = (m: ModelIR, name: string): LayerNode => m.layers.find((l) => l.name === name)!;
