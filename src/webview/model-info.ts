/**
 * What the panel says about a layer: its kind (for colour), key arguments, activation
 * volume and multiply-adds. Pure functions over the IR (no DOM), so unit tests can use them.
 */
import type { ConfigValue, LayerNode, ModelIR, Shape } from '../core/model/ir';

export type LayerKind = 'input' | 'conv' | 'pool' | 'dense' | 'activation' | 'dropout' | 'reshape' | 'merge' | 'norm' | 'other';

export function layerKind(type: string): LayerKind {
  if (type === 'InputLayer' || type === 'Input') return 'input';
  if (/Conv/.test(type)) return 'conv';
  if (/Pool/.test(type)) return 'pool';
  if (type === 'Dense') return 'dense';
  if (/^(Activation|ReLU|LeakyReLU|PReLU|ELU|Softmax|ThresholdedReLU)$/.test(type)) return 'activation';
  if (/Dropout|GaussianNoise/.test(type)) return 'dropout';
  if (/^(Flatten|Reshape|Permute|RepeatVector|ZeroPadding\dD|Cropping\dD|UpSampling\dD)$/.test(type)) return 'reshape';
  if (/^(Add|Concatenate|Multiply|Subtract|Average|Maximum|Minimum|Dot)$/.test(type)) return 'merge';
  if (/Normalization/.test(type)) return 'norm';
  return 'other';
}

function pair(v: ConfigValue | undefined): [number, number] | null {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  return null;
}

const times = (p: [number, number]) => `${p[0]}×${p[1]}`;

/** `32 · 3×3 · same · relu`: the arguments one wants to see on a node. */
export function keyArgs(layer: LayerNode): string {
  const c = layer.config;
  const parts: string[] = [];
  const act = typeof c.activation === 'string' && c.activation !== 'linear' ? c.activation : null;
  const kind = layerKind(layer.type);
  if (kind === 'conv') {
    if (typeof c.filters === 'number') parts.push(String(c.filters));
    const k = pair(c.kernel_size);
    if (k) parts.push(times(k));
    const s = pair(c.strides);
    if (s && (s[0] !== 1 || s[1] !== 1)) parts.push(`stride ${times(s)}`);
    if (typeof c.padding === 'string') parts.push(c.padding.toLowerCase());
    if (act) parts.push(act);
  } else if (kind === 'pool') {
    const p = pair(c.pool_size);
    if (p) parts.push(times(p));
    const s = pair(c.strides);
    if (s && p && (s[0] !== p[0] || s[1] !== p[1])) parts.push(`stride ${times(s)}`);
    if (typeof c.padding === 'string' && c.padding !== 'valid') parts.push(c.padding.toLowerCase());
  } else if (kind === 'dense') {
    if (typeof c.units === 'number') parts.push(String(c.units));
    if (act) parts.push(act);
  } else if (kind === 'activation') {
    if (act) parts.push(act);
    else if (typeof c.negative_slope === 'number' && c.negative_slope !== 0) parts.push(`slope ${c.negative_slope}`);
  } else if (kind === 'dropout') {
    if (typeof c.rate === 'number') parts.push(String(c.rate));
  } else if (kind === 'merge' && typeof c.axis === 'number' && layer.type === 'Concatenate') {
    parts.push(`axis ${c.axis}`);
  } else if (layer.type === 'Reshape' && Array.isArray(c.target_shape)) {
    parts.push(c.target_shape.join('×'));
  }
  return parts.join(' · ');
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

/** Multiply-adds for one sample (dense and convolution layers; 0 for the rest). */
export function multiplyAdds(layer: LayerNode, inputShape: Shape | null): number {
  const out = layer.outputShape;
  if (!out || !inputShape) return 0;
  const kind = layerKind(layer.type);
  if (layer.type === 'Dense') {
    const inUnits = inputShape[inputShape.length - 1];
    const outUnits = out[out.length - 1];
    if (typeof inUnits !== 'number' || typeof outUnits !== 'number') return 0;
    return (volume(out) / outUnits) * inUnits * outUnits;
  }
  if (kind === 'conv') {
    const k = pair(layer.config.kernel_size) ?? [1, 1];
    const inCh = inputShape[inputShape.length - 1];
    if (typeof inCh !== 'number') return 0;
    const vol = volume(out);
    if (/Depthwise/.test(layer.type)) return vol * k[0] * k[1];
    if (/Conv1D/.test(layer.type)) return vol * k[0] * inCh;
    return vol * k[0] * k[1] * inCh;
  }
  return 0;
}

export interface LayerRow {
  layer: LayerNode;
  kind: LayerKind;
  args: string;
  volume: number;
  macs: number;
}

/** One row per layer in topological order, with multiply-adds from the first input's shape. */
export function layerRows(model: ModelIR): LayerRow[] {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  return model.layers.map((layer) => {
    const first = layer.inputs[0] ? byName.get(layer.inputs[0]) : undefined;
    return {
      layer,
      kind: layerKind(layer.type),
      args: keyArgs(layer),
      volume: volume(layer.outputShape),
      macs: multiplyAdds(layer, first?.outputShape ?? null),
    };
  });
}
