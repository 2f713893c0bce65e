import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigValue, LayerNode, ModelIR } from '../../../src/core/model/ir';
import type { RunRecord } from '../../../src/core/run/record';
import { diffLayers, diffRuns, diffSettings, isEmptyLayerDiff, layerDiffSummary } from '../../../src/core/run/run-diff';
import { bestRun, differingSettings, formatResult, resultsOf, settingsOf } from '../../../src/core/run/run-table';

const range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
type Spec = [name: string, type: string, config: Record<string, ConfigValue>, shape: (number | null)[], params: number];

/** A hand-written chain of layers (the parameter counts are given, not computed). */
function model(specs: Spec[], name = 'm'): ModelIR {
  const layers: LayerNode[] = specs.map(([n, type, config, shape, params], i) => ({ name: n, type, config: { name: n, ...config }, inputs: i ? [specs[i - 1]![0]] : [], outputShape: shape, params, trainableParams: params, nonTrainableParams: 0, range }));
  const total = layers.reduce((s, l) => s + l.params, 0);
  return { name, style: 'sequential', range, layers, inputs: [layers[0]!.name], outputs: [layers[layers.length - 1]!.name], totalParams: total, trainableParams: total, nonTrainableParams: 0, training: { optimizer: { name: 'Adam', learningRate: 0.001 } }, diagnostics: [] };
}

const base: Spec[] = [
  ['input_layer', 'InputLayer', {}, [null, 784], 0],
  ['dense', 'Dense', { units: 32, activation: 'relu' }, [null, 32], 25120],
  ['dropout', 'Dropout', { rate: 0.2 }, [null, 32], 0],
  ['dense_1', 'Dense', { units: 10, activation: 'softmax' }, [null, 10], 330],
];

test('the same model: nothing added, removed or changed', () => {
  const d = diffLayers(model(base), model(base));
  assert.ok(isEmptyLayerDiff(d));
  assert.equal(d.same, 4);
  assert.equal(layerDiffSummary(d), 'same model');
});

test('a layer inserted before others: Keras renames the later ones, but they are not "changed"', () => {
  const b: Spec[] = [base[0]!, ['dense', 'Dense', { units: 64, activation: 'relu' }, [null, 64], 50240], ['dense_1', 'Dense', { units: 32, activation: 'relu' }, [null, 32], 2080], ['dropout', 'Dropout', { rate: 0.2 }, [null, 32], 0], ['dense_2', 'Dense', { units: 10, activation: 'softmax' }, [null, 10], 330]];
  const d = diffLayers(model(base), model(b));
  // dense(32) equals the new dense_1(32) except for its input size (params differ): paired as changed.
  assert.deepEqual(d.added.map((l) => l.name), ['dense']);
  assert.deepEqual(d.removed, []);
  assert.deepEqual(d.changed.map((c) => [c.from.name, c.to.name, c.changes.map((x) => x.key)]), [['dense', 'dense_1', ['params']]]);
  assert.equal(d.same, 3, 'input, dropout and the output Dense (renamed dense_1 → dense_2) are the same');
  assert.deepEqual(d.totalParams, { from: 25450, to: 52650 });
});

test('changed arguments, a removed layer, an added one; the one-line summary', () => {
  const b: Spec[] = [base[0]!, ['dense', 'Dense', { units: 64, activation: 'relu' }, [null, 64], 50240], ['dense_1', 'Dense', { units: 10, activation: 'softmax' }, [null, 10], 650], ['dense_2', 'Dense', { units: 10, activation: 'softmax' }, [null, 10], 110]];
  const d = diffLayers(model(base), model(b));
  assert.deepEqual(d.removed.map((l) => l.name), ['dropout']);
  assert.deepEqual(d.added.map((l) => l.name), ['dense_2']);
  assert.deepEqual(
    d.changed.map((c) => [c.to.name, c.changes]),
    [
      ['dense', [{ key: 'units', from: 32, to: 64 }, { key: 'outputShape', from: '32', to: '64' }, { key: 'params', from: 25120, to: 50240 }]],
      ['dense_1', [{ key: 'params', from: 330, to: 650 }]],
    ],
  );
  assert.equal(layerDiffSummary(d), '+Dense 10 (dense_2) · −Dropout 0.2 (dropout) · ~dense units 32→64 · ~dense_1 params 330→650 · params 25450 → 51000'.replace('25450', '25.4 k').replace('51000', '51.0 k'));
});

function run(id: string, over: Partial<RunRecord> = {}, m: ModelIR = model(base)): RunRecord {
  return { id, modelName: 'm', modelFile: '/w/m.py', modelHash: 'h', status: 'completed', startedAt: `2026-12-01T10:00:0${id}Z`, settings: { epochs: 1, batchSize: 64, dataset: 'mnist' }, batches: [], epochs: [], model: m, backend: 'wasm', ...over };
}

test('settings as shown: the file’s optimizer and learning rate unless the run overrode it; what differs', () => {
  const a = run('1');
  const b = run('2', { settings: { epochs: 1, batchSize: 128, dataset: '/data/sets/digits', learningRate: 3e-4, seed: 2 } });
  assert.equal(settingsOf(a).learningRate, 0.001);
  assert.equal(settingsOf(b).learningRate, 3e-4);
  assert.equal(settingsOf(b).dataset, 'sets/digits');
  assert.deepEqual(diffSettings(a, b).map((s) => [s.label, s.from, s.to]), [['batch', '64', '128'], ['lr', '0.001', '0.0003'], ['dataset', 'mnist', 'sets/digits'], ['seed', '–', '2']]);
  assert.deepEqual(differingSettings([a, b, run('3')]), ['batchSize', 'learningRate', 'dataset', 'seed']);
  assert.deepEqual(differingSettings([a, run('3')]), []);
  const d = diffRuns(a, { ...b, modelHash: 'other' });
  assert.equal(d.sameSource, false);
  assert.ok(d.layers && isEmptyLayerDiff(d.layers));
  assert.equal(diffRuns(a, { ...b, model: undefined } as RunRecord).layers, undefined);
});

test('results and the best run: test accuracy first; unfinished runs never best', () => {
  const a = run('1', { test: { loss: 0.3, acc: 0.91, samples: 100 }, epochs: [{ epoch: 1, loss: 1, valAcc: 0.8, durationMs: 1 }, { epoch: 2, loss: 1, valAcc: 0.85, durationMs: 1 }], durationMs: 61_400, trainSamplesPerSec: 268.6 });
  const b = run('2', { test: { loss: 0.2, acc: 0.95, samples: 100 } });
  const c = run('3', { status: 'cancelled', test: { loss: 0.1, acc: 0.99, samples: 100 } });
  assert.deepEqual(resultsOf(a), { testAcc: 0.91, testLoss: 0.3, bestValAcc: 0.85, samplesPerSec: 268.6, durationSec: 61.4 });
  assert.equal(formatResult('samplesPerSec', 268.6), '269');
  assert.equal(formatResult('durationSec', 61.4), '61');
  assert.equal(formatResult('testAcc', undefined), '–');
  assert.equal(bestRun([a, b, c])?.id, '2');
  assert.equal(bestRun([c]), undefined);
});
