// Conv2D that reads a model's input runs unfused, so the tape leaves out the data's gradient
// (src/worker/conv2d-on-input.ts): same outputs and weight gradients as tfjs-layers' Conv2D,
// one Conv2DBackpropInput fewer per step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../src/worker/backend';
import { Conv2D } from '../../../src/worker/conv2d-on-input';
import { tf } from '../../../src/worker/tf';

test.before(async () => {
  const info = await initBackend('wasm');
  assert.equal(info.backend, 'wasm', info.reason);
});

const conv = (name: string, activation: string, extra: object = {}) => ({ class_name: 'Conv2D', config: { name, filters: 4, kernel_size: [3, 3], padding: 'same', activation, ...extra } });

async function twoConvs(activation: string, extra: object = {}): Promise<tfl.LayersModel> {
  return (await tf.models.modelFromJSON({
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 9, 7, 2], name: 'in' } }, conv('c1', activation, extra), conv('c2', activation)] },
    },
  } as never)) as unknown as tfl.LayersModel;
}

/** The same model from tfjs-layers' own Conv2D, with the same weights. */
function reference(model: tfl.LayersModel, activation: string, extra: Record<string, unknown> = {}): tfl.LayersModel {
  const ref = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [9, 7, 2], filters: 4, kernelSize: 3, padding: 'same', activation: activation as never, ...extra }),
      tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: activation as never }),
    ],
  });
  ref.setWeights(model.getWeights());
  return ref;
}

function lossAndGrads(model: tfl.LayersModel, x: tfc.Tensor) {
  return tfc.tidy(() => {
    const { value, grads } = tfc.variableGrads(() => tfc.sum(tfc.square(model.apply(x, { training: true }) as tfc.Tensor)) as tfc.Scalar, model.trainableWeights.map((w) => (w as unknown as { val: tfc.Variable }).val));
    return { loss: value.dataSync()[0]!, grads: model.trainableWeights.map((w) => Array.from(grads[(w as unknown as { val: tfc.Variable }).val.name]!.dataSync())) };
  });
}

for (const [activation, extra] of [
  ['linear', {}],
  ['relu', {}],
  ['linear', { strides: [2, 2], padding: 'valid' }],
  ['tanh', { use_bias: false }],
] as const) {
  test(`Conv2D reading the input (${activation} ${JSON.stringify(extra)}): same outputs and weight gradients as tfjs-layers' Conv2D`, async () => {
    const model = await twoConvs(activation, extra);
    const [c1, c2] = model.layers.filter((l) => l instanceof Conv2D) as Conv2D[];
    assert.ok(c1 && c2, 'both layers are ours');
    assert.equal(c1.readsInputLayer(), true);
    assert.equal(c2.readsInputLayer(), false);
    const tfExtra: Record<string, unknown> = {};
    if ('strides' in extra) Object.assign(tfExtra, { strides: 2, padding: 'valid' });
    if ('use_bias' in extra) Object.assign(tfExtra, { useBias: false });
    const ref = reference(model, activation, tfExtra);
    const x = tfc.randomNormal([3, 9, 7, 2], 0, 1, 'float32', 11);
    const ours = lossAndGrads(model, x);
    const theirs = lossAndGrads(ref, x);
    assert.ok(Math.abs(ours.loss - theirs.loss) <= 1e-4 * Math.abs(theirs.loss), `loss ${ours.loss} vs ${theirs.loss}`);
    ours.grads.forEach((g, i) => g.forEach((v, j) => assert.ok(Math.abs(v - theirs.grads[i]![j]!) <= 1e-3 * (1 + Math.abs(theirs.grads[i]![j]!)), `weight ${i}[${j}]`)));
  });
}

test('a training step of two linear Conv2Ds computes one input gradient, not two', async () => {
  const model = await twoConvs('linear');
  const x = tfc.randomNormal([2, 9, 7, 2]);
  const count = async (m: tfl.LayersModel) => {
    const p = await tfc.profile(() => tfc.dispose(Object.values(tfc.variableGrads(() => tfc.sum(m.apply(x, { training: true }) as tfc.Tensor) as tfc.Scalar).grads)));
    return p.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
  };
  assert.equal(await count(model), 1);
  assert.equal(await count(reference(model, 'linear')), 2, "tfjs-layers' fused Conv2D computes the data's gradient too");
});
