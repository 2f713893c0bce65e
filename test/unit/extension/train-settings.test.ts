import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOverrides, parseOverrides, resolveTrainSettings } from '../../../src/extension/text/train-settings';

test('file values are used when nothing else is set', () => {
  const r = resolveTrainSettings({ epochs: 2, batchSize: 64, dataset: 'fashion_mnist', shuffle: true, optimizer: { name: 'Adam', learningRate: 0.001 } }, {});
  assert.deepEqual(r.settings, { epochs: 2, batchSize: 64, dataset: 'fashion_mnist', shuffle: true, learningRate: 0.001 });
  assert.deepEqual(r.source, { epochs: 'file', batchSize: 'file', dataset: 'file' });
  assert.equal(r.datasetIsPath, false);
});

test('Keras defaults when the file says nothing', () => {
  const r = resolveTrainSettings({}, {});
  assert.deepEqual(r.settings, { epochs: 1, batchSize: 32, dataset: 'mnist' });
  assert.equal(r.source.epochs, 'default');
});

test('settings beat the file, overrides beat settings; invalid values are skipped', () => {
  const r = resolveTrainSettings(
    { epochs: 5, batchSize: 64, dataset: 'mnist', validationSplit: 0.1 },
    { epochs: 3, batchSize: 0, datasetPath: '  ', trainLimit: 512, testLimit: 200, validationSplit: 0.2 },
    { epochs: 1 },
  );
  assert.equal(r.settings.epochs, 1);
  assert.equal(r.source.epochs, 'override');
  assert.equal(r.settings.batchSize, 64);
  assert.equal(r.settings.dataset, 'mnist');
  assert.equal(r.settings.limit, 512);
  assert.equal(r.settings.testLimit, 200);
  assert.equal(r.settings.validationSplit, 0.2);
});

test('a dataset path is flagged as a path', () => {
  const r = resolveTrainSettings({ dataset: 'mnist' }, { datasetPath: '/data/digits' });
  assert.equal(r.settings.dataset, '/data/digits');
  assert.equal(r.datasetIsPath, true);
  assert.equal(r.source.dataset, 'settings');
});

test('parse overrides: several spellings', () => {
  assert.deepEqual(parseOverrides('epochs 3, batch 64, data mnist'), { ok: true, value: { epochs: 3, batchSize: 64, dataset: 'mnist' } });
  assert.deepEqual(parseOverrides('batch_size=128 epochs=2'), { ok: true, value: { batchSize: 128, epochs: 2 } });
  assert.deepEqual(parseOverrides('data "/my data/x" epochs: 4'), { ok: true, value: { dataset: '/my data/x', epochs: 4 } });
  assert.deepEqual(parseOverrides(''), { ok: true, value: {} });
});

test('parse overrides: errors say what to type', () => {
  const a = parseOverrides('epochs three');
  assert.equal(a.ok, false);
  assert.match((a as { message: string }).message, /epochs must be a whole number/);
  const b = parseOverrides('lr 0.1');
  assert.match((b as { message: string }).message, /unknown setting "lr".*epochs 3/);
  const c = parseOverrides('epochs');
  assert.match((c as { message: string }).message, /needs a value/);
});

test('format → parse round trip', () => {
  const s = { epochs: 2, batchSize: 16, dataset: '/a b/c' };
  assert.deepEqual(parseOverrides(formatOverrides(s)), { ok: true, value: s });
});
