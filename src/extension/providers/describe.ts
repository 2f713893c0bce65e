/** Adapter to the reader's `describeLayer` (loaded with the first hover). */
import type { LayerNode, ModelIR } from '../../core/model/ir';
import type { HostContext } from '../context';
import type { LayerDescription } from '../text/hover-text';

type Describe = typeof import('../../core/keras/describe-layer').describeLayer;
let describeLayer: Describe | undefined;

export function describe(ctx: HostContext, layer: LayerNode, model: ModelIR): LayerDescription {
  try {
    describeLayer ??= (require('../../core/keras/describe-layer') as typeof import('../../core/keras/describe-layer')).describeLayer;
    const d = describeLayer(layer, model);
    const out: LayerDescription = { args: d.args };
    if (d.formula && d.formula !== '?') out.formula = d.formula;
    if (d.doc) out.doc = d.doc;
    return out;
  } catch (e) {
    ctx.log.error(`Describing layer ${layer.name} failed`, e);
    return {};
  }
}
