/**
 * What the panel says about a layer: its kind (for colour), key arguments, activation
 * volume and multiply-adds. Pure functions over the IR (no DOM), so unit tests can use them.
 */
import { layerSpec, type LayerKind } from '../core/keras/layer-table';
import type { LayerNode, ModelIR, Shape } from '../core/model/ir';

export type { LayerKind };

/** The graph colour family of a layer type, from the layer catalog. */
export function layerKind(type: string): LayerKind {
  if (type === 'Input') return 'input';
  return layerSpec(type)?.kind ?? 'other';
}

/** `32 · 3×3 · same · relu`: the arguments one wants to see on a node (from the layer catalog). */
export function keyArgs(layer: LayerNode): string {
  const spec = layerSpec(layer.type);
  if (spec?.keyArgs) {
    try {
      return spec.keyArgs(layer.config);
    } catch {
      return '';
    }
  }
  const act = layer.config['activation'];
  return typeof act === 'string' && act !== 'linear' ? act : '';
}

/** Number of values in one sample's output (batch axis excluded); 0 when unknown. */
export function volume(shape: Shape | null): number {
  if (!shape) return 0;
  let v = 1;
  for (const d of shape.slice(1)) {
    if (d === null) return 0;
    v *= d;
  }
  return v;
}

/** Multiply-adds for one sample (as the layer catalog counts them; 0 for layers it does not count). */
export function multiplyAdds(layer: LayerNode, inputShape: Shape | null, more: Shape[] = []): number {
  const out = layer.outputShape;
  const spec = layerSpec(layer.type);
  if (!out || !inputShape || !spec?.macs) return 0;
  try {
    return spec.macs([inputShape, ...more], out, layer.config);
  } catch {
    return 0;
  }
}

export interface LayerRow {
  layer: LayerNode;
  kind: LayerKind;
  args: string;
  volume: number;
  macs: number;
}

/** One row per layer in topological order, with multiply-adds from its inputs' shapes. */
export function layerRows(model: ModelIR): LayerRow[] {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  return model.layers.map((layer) => {
    const ins = layer.inputs.map((n) => byName.get(n)?.outputShape ?? null);
    return {
      layer,
      kind: layerKind(layer.type),
      args: keyArgs(layer),
      volume: volume(layer.outputShape),
      macs: ins.every((x): x is Shape => x !== null) ? multiplyAdds(layer, ins[0] ?? null, ins.slice(1)) : 0,
    };
  });
}
