/** Adapter to the reader's `describeLayer` (loaded on first hover). */
import type { LayerNode, ModelIR } from '../../core/model/ir';
import type { HostContext } from '../context';
import type { LayerDescription } from '../text/hover-text';

export function describe(_ctx: HostContext, _layer: LayerNode, _model: ModelIR): LayerDescription {
  return {};
}
