/**
 * The layer table's public face. The catalog itself lives in ./layers/, one file per family
 * (core, convolution, pooling, recurrent, normalization, regularization, attention, reshaping,
 * merging, activations, preprocessing); this module keeps the names other code imports.
 */
export {
  ACTIVATIONS,
  allArgs,
  BASE_ARGS,
  canonicalLayerType,
  convLength,
  LAYERS,
  layerSpec,
  ShapeError,
  supportedLayerTypes,
  tfjsArgName,
  trainingBlocker,
  whyNodeNotTrainable,
  whyNotTrainable,
  wrappedLayerValue,
  type ArgKind,
  type ArgSpec,
  type LayerKind,
  type LayerSpec,
  type Params,
  type TfjsBuilder,
} from './layers/index';
