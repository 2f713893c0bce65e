/**
 * Keras 3's masks in a functional model, as far as they show in `summary()`: an
 * Embedding(mask_zero=True) makes its mask with `ops.not_equal(ids, 0)` when it is called on a
 * symbolic tensor (Embedding.compute_mask), an operation node of its own (`not_equal`, then
 * `not_equal_1`, … — named whether or not it is used). A layer whose `call` takes `mask` and which is
 * called with one tensor argument gets the mask of that tensor as `mask=` (Layer.__call__, step 6
 * "Populate mask argument(s)"), so the mask becomes an input of its node: the row `not_equal
 * (NotEqual)` and `lstm … embedding[0][0], not_equal[0][0]` in printed Keras 3 summaries.
 * Layers that support masking hand their input's mask on unchanged (the default compute_mask);
 * the others, and the recurrent layers (supports_masking = False), end it.
 *
 * Only these cases are followed: masks made by Masking, merged by Add/Concatenate or given to
 * attention layers make operations Model Lens does not list (their rows are missing; the counts
 * are the same). Read from keras/src/layers/layer.py and the layers' sources.
 */
import type { GLayer } from './shape-inference';

/** Layers whose `call` has a `mask` argument (and take one tensor): they are given the mask. */
const READS_MASK = new Set([
  'LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Bidirectional', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D',
  'TimeDistributed', 'BatchNormalization', 'GlobalAveragePooling1D', 'Softmax', 'Lambda',
]);

/** Layers with supports_masking = True and Keras's default compute_mask: the output keeps the input's mask. */
const KEEPS_MASK = new Set([
  'Activation', 'ELU', 'LeakyReLU', 'PReLU', 'ReLU', 'Softmax', 'Dense', 'Identity', 'BatchNormalization',
  'GroupNormalization', 'LayerNormalization', 'UnitNormalization', 'Normalization', 'Rescaling',
  'ActivityRegularization', 'AlphaDropout', 'Dropout', 'GaussianDropout', 'GaussianNoise',
  'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D',
]);

export class Masks {
  /** The mask a tensor carries (the not_equal node), by the node that outputs it. */
  private readonly of = new Map<GLayer, GLayer>();

  /**
   * After a top-level call of `layer` on `inputs` (its tensor arguments, initial states left out):
   * the mask it reads becomes its last input; the mask its output carries is recorded. `makeMask`
   * makes the not_equal node of an Embedding call on `ids`.
   */
  afterCall(layer: GLayer, inputs: GLayer[], tensorArgs: number, explicitMask: boolean, makeMask: (ids: GLayer) => GLayer): void {
    const incoming = inputs.length === 1 ? this.of.get(inputs[0]!) : undefined;
    if (incoming && tensorArgs === 1 && !explicitMask && READS_MASK.has(layer.type)) layer.inputs = [...layer.inputs, incoming];
    if (layer.type === 'Embedding') {
      if (layer.config['mask_zero'] === true && inputs.length === 1) this.of.set(layer, makeMask(inputs[0]!));
      return;
    }
    if (incoming && KEEPS_MASK.has(layer.type)) this.of.set(layer, incoming);
  }
}
