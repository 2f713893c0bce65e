/**
 * Weights of a saved model file (.keras, .h5, TF.js model.json) set into a built tfjs model, layer
 * by layer: each tfjs weight gets the saved tensor of the same name (by order where the file keeps
 * only indices), with shapes checked. A layer the file has no weights for, or a shape that differs,
 * is an error naming the layer.
 */
import type { ConfigValue } from '../core/model/ir';
import { toTfjsTopology } from '../core/saved/keras2-config';
import { openModelFile } from '../core/saved/open-saved';
import { readTensor, type WeightStore } from '../core/saved/weights';
import { tf } from './tf';
import { WeightsError } from './weights';

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type Layer = import('@tensorflow/tfjs-layers').layers.Layer;

/**
 * A tfjs model straight from a saved Keras config (converted to the Keras 2 layout TF.js reads),
 * so nested models and every layer TF.js knows are built as saved.
 */
export async function modelFromSavedConfig(modelConfig: { [k: string]: ConfigValue }): Promise<LayersModel> {
  return (await tf.models.modelFromJSON({ modelTopology: toTfjsTopology(modelConfig) } as never)) as LayersModel;
}

/** Sets every saved layer's tensors into the model; nested layers by their path (`block/dense`). */
export function setWeightsFromStore(model: LayersModel, store: WeightStore): void {
  for (const lw of store.layers) {
    let layer: Layer | undefined;
    let scope: LayersModel = model;
    for (const part of lw.layer.split('/')) {
      try {
        layer = scope.getLayer(part);
      } catch {
        throw new WeightsError(`${store.file}: the model has no layer '${lw.layer}'`);
      }
      scope = layer as unknown as LayersModel;
    }
    const target = layer!;
    if (target.weights.length !== lw.tensors.length) throw new WeightsError(`${store.file}: layer '${lw.layer}' has ${lw.tensors.length} saved weights, the model needs ${target.weights.length}`);
    const values = target.weights.map((w, i) => {
      const short = w.originalName.split('/').pop()!;
      const t = lw.tensors.find((x) => x.name === short) ?? lw.tensors[i]!;
      if (t.shape.join(',') !== w.shape.join(',')) throw new WeightsError(`${store.file}: weight '${lw.layer}/${short}' is saved as [${t.shape}] but the model needs [${w.shape}]`);
      return tf.tensor(readTensor(t), t.shape);
    });
    try {
      target.setWeights(values);
    } finally {
      values.forEach((v) => v.dispose());
    }
  }
}

export async function loadSavedWeightsInto(model: LayersModel, file: string): Promise<void> {
  const o = await openModelFile(file);
  try {
    const errors = [...o.result.diagnostics, ...(o.result.models[0]?.diagnostics ?? [])].filter((d) => d.severity === 'error');
    if (errors.length) throw new WeightsError(`${file}: ${errors[0]!.message}`);
    if (!o.weights) throw new WeightsError(`${file}: the file has no weights`);
    const saved = new Map(o.weights.layers.map((l) => [l.layer, l]));
    for (const layer of model.layers) {
      if (!layer.weights.length) continue;
      const lw = saved.get(layer.name);
      if (!lw) throw new WeightsError(`${file}: no saved weights for layer '${layer.name}'`);
      if (lw.tensors.length !== layer.weights.length) throw new WeightsError(`${file}: layer '${layer.name}' has ${lw.tensors.length} saved weights, the model needs ${layer.weights.length}`);
      const values = layer.weights.map((w, i) => {
        const short = w.originalName.split('/').pop()!;
        const t = lw.tensors.find((x) => x.name === short) ?? lw.tensors[i]!;
        if (t.shape.join(',') !== w.shape.join(',')) throw new WeightsError(`${file}: weight '${layer.name}/${short}' is saved as [${t.shape}] but the model needs [${w.shape}]`);
        return tf.tensor(readTensor(t), t.shape);
      });
      try {
        layer.setWeights(values);
      } finally {
        values.forEach((v) => v.dispose());
      }
    }
  } finally {
    o.close();
  }
}
