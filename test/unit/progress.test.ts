import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEta, progressFigures, progressPhrases, shortProgressText, snapshotOfBatch, statusProgressText } from '../../src/core/run/progress';
import type { BatchEvent } from '../../src/core/protocol/worker';
import { modelLenses } from '../../src/extension/text/lens-text';
import { applyBatch, newRunRecord } from '../../src/core/run/run-model';
import { batchProgress } from '../../src/extension/text/run-events';
import { statusText } from '../../src/extension/text/status-text';
import { tinyCnn } from './extension/fixture';

const batch: BatchEvent = { runId: 'r1', epoch: 1, epochs: 3, batch: 189, batchesPerEpoch: 938, step: 189, loss: 0.123456, acc: 0.91349, samplesPerSec: 189.4, etaSec: 70.4, progress: 0.2159 };

test('one snapshot, the same figures everywhere: percent rounded down, acc 2 decimals, m:ss left', () => {
  const p = snapshotOfBatch(batch);
  assert.deepEqual(progressFigures(p), { percent: '21%', epoch: 'epoch 1/3', batch: 'batch 189/938', acc: 'acc 0.91', loss: 'loss 0.123', speed: '189 samples/s', eta: '1:10 left' });
  assert.equal(shortProgressText(p), 'epoch 1/3 · 21% · acc 0.91');
  assert.equal(statusProgressText('Basic_CNN', p), 'Basic_CNN 21% · 1:10 left');
  assert.deepEqual(progressPhrases(p), ['epoch 1/3', 'batch 189/938', '21%', 'acc 0.91', 'loss 0.123', '189 samples/s', '1:10 left']);
});

test('the host folds a batch into the same snapshot the lens and status bar print', () => {
  const run = newRunRecord('r1', tinyCnn(), '/m.py', 'h', { epochs: 3, batchSize: 64, dataset: 'mnist' } as never);
  applyBatch(run, batch);
  const p = batchProgress(batch);
  const lens = modelLenses(tinyCnn(), p)[1]!.title;
  const status = statusText('Basic_CNN', p);
  assert.equal(lens, 'epoch 1/3 · 21% · acc 0.91');
  assert.equal(status, '$(sync~spin) Basic_CNN 21% · 1:10 left');
  // The panel prints its status line from the same event with the same formatter.
  assert.ok(progressPhrases(snapshotOfBatch(batch)).includes(/(\d+%)/.exec(lens)![1]!));
});

test('edges: 99.96% is not 100% until done; no accuracy → loss; unknown figures left out', () => {
  assert.equal(progressFigures({ epoch: 3, epochs: 3, progress: 0.9996 }).percent, '99%');
  assert.equal(progressFigures({ epoch: 3, epochs: 3, progress: 1 }).percent, '100%');
  assert.equal(progressFigures({ epoch: 1, epochs: 1, progress: NaN }).percent, '0%');
  assert.equal(shortProgressText({ epoch: 2, epochs: 2, progress: 1.2, loss: 0.12345 }), 'epoch 2/2 · 100% · loss 0.123');
  assert.deepEqual(progressPhrases({ epoch: 1, epochs: 1, progress: 0.5, etaSec: 0, samplesPerSec: 0 }), ['epoch 1/1', '50%']);
  assert.equal(statusProgressText('m', undefined), 'm · starting…');
  assert.equal(statusProgressText('m', { epoch: 1, epochs: 1, progress: 0.5, etaSec: 9 }, true), 'm 50% · stopping…');
  assert.equal(formatEta(3725), '1:02:05');
});
