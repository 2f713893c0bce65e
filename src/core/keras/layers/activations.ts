/**
 * Activation layers (keras/src/layers/activations): Activation, ReLU, LeakyReLU, PReLU, ELU,
 * Softmax. All keep their input's shape; only PReLU has weights.
 */
import { init, known, sameShape, ShapeError, type LayerSpec } from './spec';

const actKey = (c: Record<string, unknown>) => (typeof c['activation'] === 'string' ? c['activation'] : '');

export const ACTIVATION_LAYERS: LayerSpec[] = [
  sameShape('Activation', 'activations', 'activation', 'Applies an activation function element-wise. No weights.', [{ name: 'activation', kind: 'activation', doc: 'Activation name, e.g. "relu" or "softmax".' }], { keyArgs: actKey }),
  sameShape('ReLU', 'activations', 'activation', 'Rectified linear unit max(x, 0), optionally capped (max_value) or leaky (negative_slope). No weights.', [
    { name: 'max_value', kind: 'any', default: null, doc: 'Upper cap of the output (None = no cap).' },
    { name: 'negative_slope', kind: 'float', default: 0.0, doc: 'Slope for inputs below the threshold.' },
    { name: 'threshold', kind: 'float', default: 0.0, doc: 'Inputs below this are damped.' },
  ], {
    keyArgs: (c) => [typeof c['max_value'] === 'number' ? `max ${c['max_value']}` : '', c['negative_slope'] ? `slope ${c['negative_slope']}` : ''].filter(Boolean).join(' · '),
    tfjs: {
      className: 'ReLU',
      config: (c) => ({ name: c['name'] ?? null, max_value: c['max_value'] ?? null }),
      // tfjs-layers' ReLU has only max_value: ours (src/worker/custom-layers.ts) for negative_slope and threshold.
      classFor: (c) => (Number(c['negative_slope'] ?? 0) !== 0 || Number(c['threshold'] ?? 0) !== 0 ? { className: 'KerasReLU', custom: true } : undefined),
    },
  }),
  sameShape('LeakyReLU', 'activations', 'activation', 'Leaky ReLU: x for x ≥ 0, negative_slope·x below. No weights.', [
    { name: 'negative_slope', kind: 'float', default: 0.3, doc: 'Slope for negative inputs.', oldNames: ['alpha'] },
  ], {
    keyArgs: (c) => `slope ${c['negative_slope']}`,
    tfjs: { className: 'LeakyReLU', config: (c) => ({ name: c['name'] ?? null, alpha: c['negative_slope'] ?? 0.3 }) },
  }),
  {
    type: 'PReLU',
    family: 'activations',
    kind: 'activation',
    tfjs: { className: 'PReLU' },
    doc: 'Parametric ReLU: x for x ≥ 0, alpha·x below, with alpha learned per value (shared along shared_axes).',
    args: [
      init('alpha_initializer', 'Zeros', 'Initializer of alpha.'),
      init('alpha_regularizer', null, 'Regularizer of alpha.'),
      init('alpha_constraint', null, 'Constraint on alpha.'),
      { name: 'shared_axes', kind: 'any', default: null, doc: 'Axes sharing one alpha, e.g. (1, 2) for one per channel of an image.' },
    ],
    outputShape: ([x]) => [...x!],
    params([x], c) {
      const shared = c['shared_axes'] === null || c['shared_axes'] === undefined ? [] : Array.isArray(c['shared_axes']) ? c['shared_axes'].map(Number) : [Number(c['shared_axes'])];
      for (const a of shared) if (a < 1 || a >= x!.length) throw new ShapeError(`shared_axes ${JSON.stringify(c['shared_axes'])} is not a list of axes 1…${x!.length - 1}`);
      const dims = x!.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : known(d, 'input shape of PReLU')));
      const n = dims.reduce((a, b) => a * b, 1);
      return { trainable: n, nonTrainable: 0, formula: `alpha ${dims.join('×')} = ${n}` };
    },
  },
  sameShape('ELU', 'activations', 'activation', 'Exponential linear unit: x for x > 0, alpha·(exp(x) − 1) below. No weights.', [{ name: 'alpha', kind: 'float', default: 1.0, doc: 'Scale of the negative part.' }], {
    keyArgs: (c) => `α ${c['alpha']}`,
  }),
  sameShape('Softmax', 'activations', 'activation', 'Softmax along `axis`: outputs are positive and sum to 1 (class probabilities). No weights.', [{ name: 'axis', kind: 'axes', default: -1, doc: 'Axis along which the softmax is taken.' }], {
    // tfjs-layers' Softmax takes one axis: ours (src/worker/custom-layers.ts) for several.
    tfjs: { className: 'Softmax', classFor: (c) => (Array.isArray(c['axis']) ? { className: 'KerasSoftmax', custom: true } : undefined) },
  }),
];

