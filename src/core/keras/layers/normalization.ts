/**
 * Normalization (keras/src/layers/normalization): BatchNormalization, LayerNormalization,
 * GroupNormalization, UnitNormalization, RMSNormalization and the SpectralNormalization wrapper.
 */
import type { Shape } from '../../model/ir';
import { init, innerLayer, known, registry, sameShape, ShapeError, type ArgSpec, type Config, type LayerSpec, type Params } from './spec';

/** Axes as non-negative indices of a rank-`rank` input (batch axis excluded). */
function axesOf(v: unknown, rank: number, type: string): number[] {
  const list = Array.isArray(v) ? v.map(Number) : [Number(v ?? -1)];
  return list.map((a) => {
    const i = a < 0 ? rank + a : a;
    if (!Number.isInteger(i) || i <= 0 || i >= rank) throw new ShapeError(`axis=${JSON.stringify(v)} is not a feature axis of its ${rank}-D input (${type}); use axis=-1`);
    return i;
  });
}

const sizeAt = (x: Shape, axes: number[], type: string) => axes.reduce((a, i) => a * known(x[i], `size of axis ${i} of the input to ${type}`), 1);

const scaleCenter = (what: string): ArgSpec[] => [
  { name: 'center', kind: 'bool', default: true, doc: `Learn an offset beta (one per ${what}).` },
  { name: 'scale', kind: 'bool', default: true, doc: `Learn a scale gamma (one per ${what}).` },
];
const betaGamma: ArgSpec[] = [
  init('beta_initializer', 'zeros', 'Initializer of beta.'),
  init('gamma_initializer', 'ones', 'Initializer of gamma.'),
];
const betaGammaReg: ArgSpec[] = [
  init('beta_regularizer', null, 'Regularizer of beta.'),
  init('gamma_regularizer', null, 'Regularizer of gamma.'),
  init('beta_constraint', null, 'Constraint on beta.'),
  init('gamma_constraint', null, 'Constraint on gamma.'),
];

function learned(c: Config, n: number, extra = ''): Params {
  const k = (c['center'] === false ? 0 : 1) + (c['scale'] === false ? 0 : 1);
  const names = [c['scale'] !== false && 'gamma', c['center'] !== false && 'beta'].filter(Boolean).join(', ') || 'none';
  return { trainable: k * n, nonTrainable: 0, formula: `${k}·${n} (${names})${extra} = ${k * n}` };
}

export const NORMALIZATION: LayerSpec[] = [
  {
    type: 'BatchNormalization',
    family: 'normalization',
    kind: 'norm',
    tfjs: { className: 'BatchNormalization' },
    doc: 'Normalizes each channel with its batch mean and variance, then scales (gamma) and shifts (beta). 4 numbers per channel: gamma and beta are trained, the moving mean and variance are not.',
    args: [
      { name: 'axis', kind: 'axis', default: -1, doc: 'The channel axis.' },
      { name: 'momentum', kind: 'float', default: 0.99, doc: 'Momentum of the moving mean and variance.' },
      { name: 'epsilon', kind: 'float', default: 0.001, doc: 'Added to the variance to avoid dividing by zero.' },
      ...scaleCenter('channel'),
      ...betaGamma,
      init('moving_mean_initializer', 'zeros', 'Initializer of the moving mean.'),
      init('moving_variance_initializer', 'ones', 'Initializer of the moving variance.'),
      ...betaGammaReg,
      { name: 'renorm', kind: 'bool', default: false, doc: 'Batch renormalization (not supported by TF.js).' },
      init('renorm_clipping', null, 'Clipping of the renormalization corrections.'),
      { name: 'renorm_momentum', kind: 'float', default: 0.99, doc: 'Momentum of the renormalization statistics.' },
      { name: 'synchronized', kind: 'bool', default: false, doc: 'Synchronize statistics across devices.' },
    ],
    outputShape([x], c) {
      axesOf(c['axis'], x!.length, 'BatchNormalization');
      return [...x!];
    },
    params([x], c) {
      const ch = sizeAt(x!, axesOf(c['axis'], x!.length, 'BatchNormalization'), 'BatchNormalization');
      const k = (c['center'] === false ? 0 : 1) + (c['scale'] === false ? 0 : 1);
      const names = [c['scale'] !== false && 'gamma', c['center'] !== false && 'beta'].filter(Boolean).join(', ') || 'none';
      return {
        trainable: k * ch,
        nonTrainable: 2 * ch,
        formula: `${k}·${ch} (${names}) trainable + 2·${ch} non-trainable (moving mean, variance) = ${(k + 2) * ch}`,
      };
    },
  },
  {
    type: 'LayerNormalization',
    family: 'normalization',
    kind: 'norm',
    tfjs: { className: 'LayerNormalization' },
    doc: 'Normalizes each sample over its feature axis (mean 0, variance 1), then scales (gamma) and shifts (beta) per feature. Used in transformers.',
    args: [
      { name: 'axis', kind: 'axes', default: -1, doc: 'Axis or axes normalized over.' },
      { name: 'epsilon', kind: 'float', default: 0.001, doc: 'Added to the variance to avoid dividing by zero.' },
      ...scaleCenter('feature'),
      ...betaGamma,
      ...betaGammaReg,
    ],
    outputShape([x], c) {
      axesOf(c['axis'], x!.length, 'LayerNormalization');
      return [...x!];
    },
    params: ([x], c) => learned(c, sizeAt(x!, axesOf(c['axis'], x!.length, 'LayerNormalization'), 'LayerNormalization')),
  },
  {
    type: 'GroupNormalization',
    family: 'normalization',
    kind: 'norm',
    tfjs: { className: 'GroupNormalization', custom: true }, // ours, src/worker/custom-layers.ts
    doc: 'Splits the channels into `groups` and normalizes each group of each sample, then scales and shifts per channel.',
    args: [
      { name: 'groups', kind: 'int', default: 32, doc: 'Number of channel groups (divides the channels).' },
      { name: 'axis', kind: 'axis', default: -1, doc: 'The channel axis.' },
      { name: 'epsilon', kind: 'float', default: 0.001, doc: 'Added to the variance to avoid dividing by zero.' },
      ...scaleCenter('channel'),
      ...betaGamma,
      ...betaGammaReg,
    ],
    outputShape([x], c) {
      const [a] = axesOf(c['axis'], x!.length, 'GroupNormalization');
      const ch = x![a!];
      const g = Number(c['groups'] ?? 32);
      if (typeof ch === 'number' && (g > ch || ch % g !== 0)) throw new ShapeError(`its ${ch} channels cannot be split into groups=${g}; use a divisor of ${ch}`);
      return [...x!];
    },
    params: ([x], c) => learned(c, sizeAt(x!, axesOf(c['axis'], x!.length, 'GroupNormalization'), 'GroupNormalization')),
  },
  sameShape('UnitNormalization', 'normalization', 'norm', 'Scales each sample to unit L2 norm along axis. No weights.', [{ name: 'axis', kind: 'axes', default: -1, doc: 'Axis or axes normalized over.' }], {
    tfjs: { className: 'UnitNormalization', custom: true }, // ours, src/worker/custom-layers.ts
  }),
  {
    type: 'RMSNormalization',
    family: 'normalization',
    kind: 'norm',
    tfjs: { className: 'RMSNormalization', custom: true }, // ours, src/worker/custom-layers.ts
    doc: 'Divides each sample by the root mean square of its features along axis and multiplies by a learned scale per feature.',
    args: [
      { name: 'axis', kind: 'axes', default: -1, doc: 'Axis or axes normalized over.' },
      { name: 'epsilon', kind: 'float', default: 1e-6, doc: 'Added to the mean square to avoid dividing by zero.' },
    ],
    outputShape: ([x]) => [...x!],
    params([x], c) {
      const n = sizeAt(x!, axesOf(c['axis'], x!.length, 'RMSNormalization'), 'RMSNormalization');
      return { trainable: n, nonTrainable: 0, formula: `scale ${n}` };
    },
  },
  {
    type: 'SpectralNormalization',
    family: 'normalization',
    kind: 'norm',
    // Ours in src/worker/spectral-normalization.ts.
    tfjs: {
      className: 'SpectralNormalization',
      custom: true,
      unsupported: (c) => {
        try {
          const { className, config } = innerLayer(c['layer'], 'SpectralNormalization');
          const b = registry.lookup(className)?.tfjs;
          const why = !b ? 'Model Lens does not know it' : 'none' in b ? b.none : b.unsupported?.(config);
          return why ? `the wrapped ${className}: ${why}` : undefined;
        } catch {
          return undefined; // the shape functions report an unknown wrapped layer
        }
      },
    },
    doc: 'Wraps a Dense or convolution layer and divides its kernel by its largest singular value (power iteration); adds a non-trainable vector u of the kernel’s output size.',
    args: [
      { name: 'layer', kind: 'layer', doc: 'The wrapped layer, e.g. layers.Conv2D(64, 3).' },
      { name: 'power_iterations', kind: 'int', default: 1, doc: 'Power iterations per step.' },
    ],
    outputShape(inputs, c) {
      const { className, config } = innerLayer(c['layer'], 'SpectralNormalization');
      const spec = registry.lookup(className);
      if (!spec) throw new ShapeError(`it wraps ${className}, which Model Lens does not know`);
      return spec.outputShape(inputs, config);
    },
    params(inputs, c) {
      const { className, config } = innerLayer(c['layer'], 'SpectralNormalization');
      const spec = registry.lookup(className);
      if (!spec) throw new ShapeError(`it wraps ${className}, which Model Lens does not know`);
      const p = spec.params(inputs, config);
      // vector_u has the kernel's last axis: units / filters / an Embedding's output_dim (depthwise: depth_multiplier).
      const u = Number(config['units'] ?? config['filters'] ?? config['output_dim'] ?? config['depth_multiplier'] ?? NaN);
      if (!Number.isFinite(u)) throw new ShapeError(`it wraps ${className}, which has no kernel to normalize`);
      return { trainable: p.trainable, nonTrainable: p.nonTrainable + u, formula: `${p.formula} + ${u} non-trainable (vector u)` };
    },
  },
];
