/**
 * Keras arguments our TF.js layers read themselves: activations by name (Keras 3's definitions)
 * and weight initializers by name or `{class_name, config}`, in either spelling tfjs-layers hands
 * over (`hard_sigmoid` / `hardSigmoid`).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type Tensor = tfc.Tensor;
type Config = Record<string, unknown>;

/** Keras's name, in either spelling tfjs hands over (`hard_sigmoid` / `hardSigmoid`). */
const key = (v: unknown): string => {
  const name = v && typeof v === 'object' ? (v as Config)['className'] ?? (v as Config)['class_name'] : v;
  return String(name ?? 'linear').replace(/_/g, '').toLowerCase();
};

/** Keras 3's activations (hard_sigmoid is relu6(x + 3) / 6 there, not Keras 2's 0.2·x + 0.5). */
const ACTIVATIONS: Record<string, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  tanh: (x) => tfc.tanh(x),
  sigmoid: (x) => tfc.sigmoid(x),
  hardsigmoid: (x) => tfc.div(tfc.relu6(tfc.add(x, 3)), 6),
  relu: (x) => tfc.relu(x),
  relu6: (x) => tfc.relu6(x),
  elu: (x) => tfc.elu(x),
  selu: (x) => tfc.selu(x),
  softsign: (x) => tfc.div(x, tfc.add(1, tfc.abs(x))),
  softplus: (x) => tfc.softplus(x),
  swish: (x) => tfc.mul(x, tfc.sigmoid(x)),
  silu: (x) => tfc.mul(x, tfc.sigmoid(x)),
};

export function activation(v: unknown, fallback: string, layer: string): (x: Tensor) => Tensor {
  const k = v === null || v === undefined ? fallback : key(v);
  const f = ACTIVATIONS[k];
  if (!f) throw new Error(`${layer}: activation '${String(k)}' is not one Model Lens's ${layer} knows (${Object.keys(ACTIVATIONS).join(', ')})`);
  return f;
}

type Init = ReturnType<typeof tfl.initializers.zeros>;
const INITIALIZERS: Record<string, (seed?: number) => Init> = {
  glorotuniform: (seed) => tfl.initializers.glorotUniform({ seed }),
  glorotnormal: (seed) => tfl.initializers.glorotNormal({ seed }),
  heuniform: (seed) => tfl.initializers.heUniform({ seed }),
  henormal: (seed) => tfl.initializers.heNormal({ seed }),
  lecununiform: (seed) => tfl.initializers.leCunUniform({ seed }),
  lecunnormal: (seed) => tfl.initializers.leCunNormal({ seed }),
  orthogonal: (seed) => tfl.initializers.orthogonal({ seed }),
  zeros: () => tfl.initializers.zeros(),
  ones: () => tfl.initializers.ones(),
  randomuniform: (seed) => tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
  uniform: (seed) => tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
  randomnormal: (seed) => tfl.initializers.randomNormal({ stddev: 0.05, seed }),
  normal: (seed) => tfl.initializers.randomNormal({ stddev: 0.05, seed }),
  truncatednormal: (seed) => tfl.initializers.truncatedNormal({ stddev: 0.05, seed }),
};

/** A weight initializer from its Keras name (starting values only; a saved file's weights replace them). */
export function initializer(v: unknown, fallback: string, layer: string): Init {
  const k = v === null || v === undefined ? fallback : key(v);
  const cfg = v && typeof v === 'object' ? ((v as Config)['config'] as Config | undefined) : undefined;
  const seed = typeof cfg?.['seed'] === 'number' ? (cfg['seed'] as number) : undefined;
  const f = INITIALIZERS[k];
  if (!f) throw new Error(`${layer}: initializer '${k}' is not one Model Lens's ${layer} knows (${Object.keys(INITIALIZERS).join(', ')})`);
  return f(seed);
}

