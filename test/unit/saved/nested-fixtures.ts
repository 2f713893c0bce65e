/**
 * Saved models with a nested model, written by the tests themselves (with h5wasm and fflate, no
 * Python) in the layouts of Keras's saving code:
 *  - Keras 3 `.keras` (keras/src/saving/saving_lib.py): a zip of metadata.json, config.json and
 *    model.weights.h5 whose groups are `layers/<snake_case class>[_<n>]/vars/<i>`, a nested model's
 *    layers under its own group's `layers/`;
 *  - Keras 2 `.h5` (keras/saving/legacy/hdf5_format.py): root attributes model_config, keras_version,
 *    backend; `model_weights` with `layer_names`, one group per top-level layer with `weight_names`,
 *    a nested model's group listing its inner layers' weights as `<inner>/<weight>:0`.
 * The model, MNIST-shaped so it evaluates and trains on the built-in data: input (28, 28, 1) →
 * Sequential "block" [Flatten "flat", Dense(3, relu) "d1", BatchNormalization "bn"] → Dense(10,
 * softmax) "head"; or the same with a functional "block".
 */
import fs from 'node:fs';
import { zipSync } from 'fflate';
import { createH5, h5ready, type Group } from '../../../src/core/saved/hdf5';

export function seeded(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + ((Math.sin(seed * 97.13 + i * 12.9898) * 43758.5453) % 1 + 1) % 1 * (hi - lo);
  return v;
}

/** The weights: d1 kernel/bias, bn gamma/beta/moving_mean/moving_variance, head kernel/bias. */
export const W = {
  d1: [seeded(784 * 3, 1, -0.1, 0.1), seeded(3, 2)],
  bn: [seeded(3, 3, 0.5, 2), seeded(3, 4), seeded(3, 5), seeded(3, 6, 0.1, 3)],
  head: [seeded(30, 7), seeded(10, 8)],
};
export const SHAPES = { d1: [[784, 3], [3]], bn: [[3], [3], [3], [3]], head: [[3, 10], [10]] };
const IN = [null, 28, 28, 1];
const flat = { module: 'keras.layers', class_name: 'Flatten', config: { name: 'flat', trainable: true, data_format: 'channels_last' }, registered_name: null };
const BN_NAMES = ['gamma', 'beta', 'moving_mean', 'moving_variance'];

const kt = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: IN, dtype: 'float32', keras_history: [name, 0, 0] } });
const dense = (name: string, units: number, activation: string) => ({ module: 'keras.layers', class_name: 'Dense', config: { name, trainable: true, units, activation, use_bias: true }, registered_name: null });
const bn = { module: 'keras.layers', class_name: 'BatchNormalization', config: { name: 'bn', trainable: true, axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true }, registered_name: null };

function keras3Config(inner: 'Sequential' | 'Functional', blockCall: Record<string, unknown> = {}) {
  const block =
    inner === 'Sequential'
      ? { module: 'keras', class_name: 'Sequential', config: { name: 'block', trainable: true, layers: [{ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: IN, dtype: 'float32', name: 'block_in' }, registered_name: null }, flat, dense('d1', 3, 'relu'), bn] }, registered_name: null }
      : {
          module: 'keras',
          class_name: 'Functional',
          config: {
            name: 'block',
            trainable: true,
            layers: [
              { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: IN, dtype: 'float32', name: 'block_in' }, registered_name: null, name: 'block_in', inbound_nodes: [] },
              { ...flat, name: 'flat', inbound_nodes: [{ args: [kt('block_in')], kwargs: {} }] },
              { ...dense('d1', 3, 'relu'), name: 'd1', inbound_nodes: [{ args: [kt('flat')], kwargs: {} }] },
              { ...bn, name: 'bn', inbound_nodes: [{ args: [kt('d1')], kwargs: {} }] },
            ],
            input_layers: [['block_in', 0, 0]],
            output_layers: [['bn', 0, 0]],
          },
          registered_name: null,
        };
  return {
    module: 'keras',
    class_name: 'Functional',
    config: {
      name: 'nested',
      trainable: true,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: IN, dtype: 'float32', name: 'x' }, registered_name: null, name: 'x', inbound_nodes: [] },
        { ...block, name: 'block', inbound_nodes: [{ args: [kt('x')], kwargs: blockCall }] },
        { ...dense('head', 10, 'softmax'), name: 'head', inbound_nodes: [{ args: [kt('block')], kwargs: {} }] },
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['head', 0, 0]],
    },
    registered_name: null,
    compile_config: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  };
}

function group(root: Group, p: string): Group {
  let g = root;
  for (const part of p.split('/')) g = g.keys().includes(part) ? (g.get(part) as Group) : g.create_group(part);
  return g;
}

function vars(root: Group, p: string, values: Float32Array[], shapes: number[][]): void {
  const g = group(root, `${p}/vars`);
  values.forEach((v, i) => g.create_dataset({ name: String(i), data: v, shape: shapes[i]!, dtype: '<f4' }));
}

/** `blockCall`: the kwargs of the outer model's call of the block (e.g. `{ training: false }`, the fine-tuning idiom). */
export async function writeNestedKeras(file: string, inner: 'Sequential' | 'Functional' = 'Sequential', blockCall: Record<string, unknown> = {}): Promise<void> {
  await h5ready();
  const tmp = `${file}.weights.h5`;
  const f = createH5(tmp);
  try {
    const block = inner === 'Sequential' ? 'layers/sequential' : 'layers/functional';
    group(f, 'layers/input_layer/vars');
    group(f, `${block}/vars`);
    if (inner === 'Functional') group(f, `${block}/layers/input_layer/vars`);
    group(f, `${block}/layers/flatten/vars`);
    vars(f, `${block}/layers/dense`, W.d1, SHAPES.d1);
    vars(f, `${block}/layers/batch_normalization`, W.bn, SHAPES.bn);
    vars(f, 'layers/dense', W.head, SHAPES.head);
    group(f, 'vars');
  } finally {
    f.close();
  }
  const enc = (s: string) => new TextEncoder().encode(s);
  fs.writeFileSync(file, zipSync({ 'metadata.json': enc(JSON.stringify({ keras_version: '3.1.1', date_saved: '2024-01-01@00:00:00' })), 'config.json': enc(JSON.stringify(keras3Config(inner, blockCall))), 'model.weights.h5': new Uint8Array(fs.readFileSync(tmp)) }));
  fs.rmSync(tmp);
}

const strings = (g: Group, name: string, values: string[]) => g.create_attribute(name, values, [values.length], `S${Math.max(1, ...values.map((v) => v.length))}`);

export async function writeNestedH5(file: string): Promise<void> {
  await h5ready();
  const layer = (cls: string, config: object, inbound: unknown[]) => ({ class_name: cls, name: (config as { name: string }).name, config, inbound_nodes: inbound });
  const config = {
    class_name: 'Model',
    config: {
      name: 'nested',
      layers: [
        layer('InputLayer', { batch_input_shape: IN, dtype: 'float32', name: 'x' }, []),
        layer('Sequential', { name: 'block', layers: [{ class_name: 'Flatten', config: { name: 'flat', trainable: true, batch_input_shape: IN, data_format: 'channels_last' } }, { class_name: 'Dense', config: { name: 'd1', trainable: true, units: 3, activation: 'relu', use_bias: true } }, { class_name: 'BatchNormalization', config: { name: 'bn', trainable: true, axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true } }] }, [[['x', 0, 0, {}]]]),
        layer('Dense', { name: 'head', trainable: true, units: 10, activation: 'softmax', use_bias: true }, [[['block', 1, 0, {}]]]),
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['head', 0, 0]],
    },
  };
  const f = createH5(file);
  try {
    f.create_attribute('keras_version', '2.4.0');
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('model_config', JSON.stringify(config));
    f.create_attribute('training_config', JSON.stringify({ loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.001 } } }));
    const mw = f.create_group('model_weights');
    strings(mw, 'layer_names', ['x', 'block', 'head']);
    mw.create_group('x').create_attribute('weight_names', new Float64Array(0), [0], '<f8');
    const b = mw.create_group('block');
    const bnames = ['d1/kernel:0', 'd1/bias:0', ...BN_NAMES.map((n) => `bn/${n}:0`)];
    strings(b, 'weight_names', bnames);
    const all = [...W.d1, ...W.bn];
    const shapes = [...SHAPES.d1, ...SHAPES.bn];
    bnames.forEach((n, i) => {
      const [scope, leaf] = n.split('/') as [string, string];
      group(b, scope).create_dataset({ name: leaf, data: all[i]!, shape: shapes[i]!, dtype: '<f4' });
    });
    const h = mw.create_group('head');
    strings(h, 'weight_names', ['head/kernel:0', 'head/bias:0']);
    const hs = h.create_group('head');
    hs.create_dataset({ name: 'kernel:0', data: W.head[0]!, shape: [3, 10], dtype: '<f4' });
    hs.create_dataset({ name: 'bias:0', data: W.head[1]!, shape: [10], dtype: '<f4' });
  } finally {
    f.close();
  }
}

/**
 * Two Sequential blocks that each hold a Dense named "fc" (Keras allows one name in two models):
 * input (28, 28, 1) → Flatten "flat" → Sequential "one" [Dense(4, relu) "fc"] → Sequential "two"
 * [Dense(4, relu) "fc"] → Dense(10, softmax) "head", as a Keras 3 `.keras` (saving_lib.py groups:
 * the blocks are `layers/sequential` and `layers/sequential_1`, a Sequential's InputLayer has none).
 */
export async function writeTwoBlocksKeras(file: string): Promise<void> {
  await h5ready();
  const input = (name: string, shape: (number | null)[]) => ({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: shape, dtype: 'float32', sparse: false, name }, registered_name: null });
  const seq = (name: string, width: number) => ({ module: 'keras', class_name: 'Sequential', config: { name, trainable: true, dtype: 'float32', layers: [input(`${name}_in`, [null, width]), dense('fc', 4, 'relu')], build_input_shape: [null, width] }, registered_name: null, build_config: { input_shape: [null, width] } });
  const ref = (name: string, shape: (number | null)[]) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [name, 0, 0] } });
  const config = {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'twice',
      trainable: true,
      layers: [
        { ...input('x', IN), name: 'x', inbound_nodes: [] },
        { ...flat, name: 'flat', inbound_nodes: [{ args: [ref('x', IN)], kwargs: {} }] },
        { ...seq('one', 784), name: 'one', inbound_nodes: [{ args: [ref('flat', [null, 784])], kwargs: {} }] },
        { ...seq('two', 4), name: 'two', inbound_nodes: [{ args: [ref('one', [null, 4])], kwargs: {} }] },
        { ...dense('head', 10, 'softmax'), name: 'head', inbound_nodes: [{ args: [ref('two', [null, 4])], kwargs: {} }] },
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['head', 0, 0]],
    },
    registered_name: 'Functional',
    compile_config: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  };
  const tmp = `${file}.weights.h5`;
  const f = createH5(tmp);
  try {
    group(f, 'layers/input_layer/vars');
    group(f, 'layers/flatten/vars');
    group(f, 'layers/sequential/vars');
    vars(f, 'layers/sequential/layers/dense', [seeded(784 * 4, 11, -0.1, 0.1), seeded(4, 12)], [[784, 4], [4]]);
    group(f, 'layers/sequential_1/vars');
    vars(f, 'layers/sequential_1/layers/dense', [seeded(16, 13), seeded(4, 14)], [[4, 4], [4]]);
    vars(f, 'layers/dense', [seeded(40, 15), seeded(10, 16)], [[4, 10], [10]]);
    group(f, 'vars');
  } finally {
    f.close();
  }
  const enc = (s: string) => new TextEncoder().encode(s);
  fs.writeFileSync(file, zipSync({ 'metadata.json': enc(JSON.stringify({ keras_version: '3.1.1', date_saved: '2024-01-01@00:00:00' })), 'config.json': enc(JSON.stringify(config)), 'model.weights.h5': new Uint8Array(fs.readFileSync(tmp)) }));
  fs.rmSync(tmp);
}
