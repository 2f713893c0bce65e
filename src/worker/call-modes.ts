/**
 * A layer called with `training=False` (or `True`) in the source runs in that mode whatever fit or
 * predict asks, as in Keras: `base(x, training=False)` keeps a fine-tuned base's BatchNormalization
 * on its moving statistics; `Dropout(...)(x, training=True)` stays on at inference. The reader
 * records the call's flag on the layer (`callTraining`); this makes the built TF.js layers honour it.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelIR } from '../core/model/ir';

type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Kwargs = Record<string, unknown>;
interface CallableLayer {
  name: string;
  layers?: CallableLayer[];
  call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[];
}

/** Fixes the mode of the model's layers whose call set `training=`, inner models' layers too; returns how many. */
export function fixCallModes(model: LayersModel, ir: ModelIR): number {
  return fixLayers((model as unknown as { layers: CallableLayer[] }).layers, ir);
}

function fixLayers(layers: CallableLayer[], ir: ModelIR): number {
  let fixed = 0;
  for (const node of ir.layers) {
    const layer = layers.find((l) => l.name === node.name);
    if (!layer) continue;
    // A model used as a layer and built from the IR's graph: its own layers' calls (a saved model's nested models are one layer each, as in the IR).
    if (node.nested?.graph && layer.layers) fixed += fixLayers(layer.layers, node.nested.graph);
    if (node.callTraining === undefined) continue;
    const call = layer.call.bind(layer);
    const training = node.callTraining;
    layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training });
    fixed++;
  }
  return fixed;
}
