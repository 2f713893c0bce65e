/**
 * Regularization (keras/src/layers/regularization): every dropout and noise layer and
 * ActivityRegularization. All keep their input's shape, have no weights and act in training only.
 */
import { dataFormatArg, sameShape, seedArg, type ArgSpec, type LayerSpec } from './spec';

const rate: ArgSpec = { name: 'rate', kind: 'float', doc: 'Fraction of the inputs to drop, between 0 and 1.' };
const noiseShape: ArgSpec = { name: 'noise_shape', kind: 'any', default: null, doc: 'Shape of the dropout mask (to share it across axes).' };
const keyRate = (c: Record<string, unknown>) => (typeof c['rate'] === 'number' ? String(c['rate']) : typeof c['stddev'] === 'number' ? `σ ${c['stddev']}` : '');

/** SpatialDropoutND drops whole channels: TF.js's Dropout with a noise shape of (batch, 1…1, channels). */
function spatialDropout(rank: 1 | 2 | 3): LayerSpec {
  const type = `SpatialDropout${rank}D`;
  return sameShape(type, 'regularization', 'dropout', `Dropout of whole channels: during training each of the ${rank === 1 ? 'feature maps of a sequence' : 'feature maps'} is dropped with probability rate (neighbouring values are correlated, so single values would not help). No weights.`, rank === 1 ? [rate, seedArg] : [rate, dataFormatArg, seedArg], {
    keyArgs: keyRate,
    tfjs: rank === 1 ? { className: type } : { className: 'Dropout', config: (c) => ({ name: c['name'] ?? null, rate: c['rate'] ?? 0, noise_shape: [null, ...Array.from({ length: rank }, () => 1), null] }) },
  });
}

export const REGULARIZATION: LayerSpec[] = [
  sameShape('Dropout', 'regularization', 'dropout', 'During training sets a fraction `rate` of the inputs to 0 (and scales the rest by 1/(1−rate)); does nothing at inference. No weights.', [rate, noiseShape, seedArg], { keyArgs: keyRate }),
  spatialDropout(1),
  spatialDropout(2),
  spatialDropout(3),
  sameShape('GaussianDropout', 'regularization', 'dropout', 'During training multiplies the inputs by noise drawn from N(1, rate/(1−rate)); does nothing at inference. No weights.', [rate, seedArg], { keyArgs: keyRate }),
  sameShape('GaussianNoise', 'regularization', 'dropout', 'During training adds noise drawn from N(0, stddev²); does nothing at inference. No weights.', [{ name: 'stddev', kind: 'float', doc: 'Standard deviation of the noise.' }, seedArg], { keyArgs: keyRate }),
  sameShape('AlphaDropout', 'regularization', 'dropout', 'Dropout that keeps the mean and variance of its inputs (for SELU networks); does nothing at inference. No weights.', [rate, noiseShape, seedArg], { keyArgs: keyRate }),
  sameShape('ActivityRegularization', 'regularization', 'dropout', 'Passes its input through unchanged and adds l1·sum(|x|) + l2·sum(x²) of it to the training loss. No weights.', [
    { name: 'l1', kind: 'float', default: 0.0, doc: 'L1 factor.' },
    { name: 'l2', kind: 'float', default: 0.0, doc: 'L2 factor.' },
  ], {
    keyArgs: (c) => `l1 ${c['l1']} · l2 ${c['l2']}`,
    tfjs: {
      className: 'Activation',
      config: (c) => ({ name: c['name'] ?? null, activation: 'linear' }),
      // With l1/l2: ours (src/worker/custom-layers.ts), adding the penalty to the training loss.
      classFor: (c) => (Number(c['l1'] ?? 0) !== 0 || Number(c['l2'] ?? 0) !== 0 ? { className: 'ActivityRegularization', custom: true } : undefined),
    },
  }),
];
