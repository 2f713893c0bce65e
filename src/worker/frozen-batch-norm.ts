/**
 * Keras runs a frozen BatchNormalization — `trainable = False` on the layer or on a model holding
 * it — in inference mode, even inside fit(): it normalizes with its moving mean and variance and
 * never updates them (keras.io, BatchNormalization, "About setting layer.trainable = False").
 * tfjs-layers 4.22 keys the mode on the call's `training` flag alone, so a frozen layer would
 * normalize with batch statistics and move its moving ones: a fine-tuned model with a frozen base
 * would drift from what Keras trains. This makes every BatchNormalization of a built model follow
 * Keras, checking the flags at each call (a model frozen or thawed later is followed too).
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';

type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Kwargs = Record<string, unknown>;
interface AnyLayer {
  name: string;
  trainable: boolean;
  getClassName(): string;
  call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[];
  layers?: AnyLayer[];
}

/** Patches the model's BatchNormalization layers (nested models too); returns how many. */
export function batchNormFrozenLikeKeras(model: LayersModel): number {
  let patched = 0;
  const walk = (layers: AnyLayer[], around: AnyLayer[]) => {
    for (const layer of layers) {
      if (layer.layers) walk(layer.layers, [...around, layer]);
      if (layer.getClassName() !== 'BatchNormalization') continue;
      const frozen = () => !layer.trainable || around.some((m) => !m.trainable);
      const call = layer.call.bind(layer);
      layer.call = (inputs, kwargs) => call(inputs, kwargs?.['training'] && frozen() ? { ...kwargs, training: false } : kwargs);
      patched++;
    }
  };
  walk((model as unknown as AnyLayer).layers ?? [], [model as unknown as AnyLayer]);
  return patched;
}
