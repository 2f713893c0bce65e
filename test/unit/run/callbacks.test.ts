/**
 * fit(callbacks=[...]) read from the file and honoured: EarlyStopping as Keras defines it (stop once
 * `monitor` has not improved by more than min_delta for `patience` epochs — keras.callbacks.EarlyStopping
 * docs), ModelCheckpoint(save_best_only=True) keeps the best epoch's weights; others are named, not run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/engine-session';
import { trainCommand } from '../../../src/cli/train';
import { readModel } from '../../../src/core/read-model';
import { EpochCallbacks } from '../../../src/core/run/callbacks';
import { readRun } from '../../../src/core/run/store';

const epoch = (n: number, loss: number, extra: Record<string, number> = {}) => ({ epoch: n, loss, durationMs: 1, ...extra });

test('EarlyStopping: patience counts epochs without an improvement larger than min_delta', () => {
  const cb = new EpochCallbacks([{ type: 'EarlyStopping', monitor: 'loss', patience: 2, minDelta: 0.01, mode: 'auto', restoreBestWeights: false }]);
  assert.equal(cb.onEpochEnd(epoch(1, 1.0)).stop, false);
  assert.equal(cb.onEpochEnd(epoch(2, 0.995)).stop, false, 'improved by less than min_delta: wait 1');
  assert.equal(cb.onEpochEnd(epoch(3, 0.9)).stop, false, 'improved: wait reset');
  assert.equal(cb.onEpochEnd(epoch(4, 0.95)).stop, false);
  const d = cb.onEpochEnd(epoch(5, 0.91));
  assert.equal(d.stop, true);
  assert.match(d.messages[0]!, /loss has not improved for 2 epoch\(s\) \(best 0\.9000\): stopping after epoch 5/);
});

test('accuracy monitors improve upwards; a missing val_ metric is said once; unsupported callbacks are named', () => {
  const cb = new EpochCallbacks([
    { type: 'EarlyStopping', monitor: 'val_accuracy', patience: 1, minDelta: 0, mode: 'auto', restoreBestWeights: true },
    { type: 'unsupported', name: 'TensorBoard', line: 9 },
  ]);
  assert.equal(cb.notHonoured.length, 2);
  assert.match(cb.notHonoured.join('\n'), /TensorBoard \(line 9\) is not run/);
  assert.match(cb.notHonoured.join('\n'), /restore_best_weights/);
  assert.equal(cb.onEpochEnd(epoch(1, 1, { valAcc: 0.8 })).stop, false);
  assert.equal(cb.onEpochEnd(epoch(2, 1, { valAcc: 0.85 })).stop, false);
  assert.equal(cb.onEpochEnd(epoch(3, 1, { valAcc: 0.85 })).stop, true);
  const noVal = new EpochCallbacks([{ type: 'EarlyStopping', monitor: 'val_loss', patience: 0, minDelta: 0, mode: 'auto', restoreBestWeights: false }]);
  assert.match(noVal.onEpochEnd(epoch(1, 1)).messages[0]!, /watches 'val_loss', which this run does not have \(no validation/);
  assert.deepEqual(noVal.onEpochEnd(epoch(2, 2)), { stop: false, save: true, messages: [] });
});

test('ModelCheckpoint(save_best_only=True): save only when the monitored value improved', () => {
  const cb = new EpochCallbacks([{ type: 'ModelCheckpoint', monitor: 'val_loss', saveBestOnly: true, mode: 'auto' }]);
  assert.deepEqual([0.5, 0.4, 0.45, 0.3].map((v, i) => cb.onEpochEnd(epoch(i + 1, 1, { valLoss: v })).save), [true, true, false, true]);
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-cb-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('read from fit(callbacks=[...]) and honoured by a real run: stops early, says why, records it', async () => {
  const file = path.join(tmp, 'es.py');
  fs.writeFileSync(
    file,
    `from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([layers.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation='softmax')], name='es')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
(x, y), (tx, ty) = keras.datasets.mnist.load_data()
stop = keras.callbacks.EarlyStopping(monitor='loss', patience=1, min_delta=100.0)
model.fit(x / 255.0, y, batch_size=32, epochs=6, callbacks=[stop, keras.callbacks.TensorBoard(log_dir='logs')])
`,
  );
  const t = readModel(file, fs.readFileSync(file, 'utf8')).models[0]!.training;
  assert.deepEqual(t.callbacks, [
    { type: 'EarlyStopping', monitor: 'loss', patience: 1, minDelta: 100, mode: 'auto', restoreBestWeights: false, line: 7 },
    { type: 'unsupported', name: 'TensorBoard', line: 7 },
  ]);
  const errors: string[] = [];
  const io: CliIO = { out: () => undefined, err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
  const save = path.join(tmp, 'run');
  assert.equal(await trainCommand([file, '--limit', '64', '--test-limit', '50', '--json', '--save', save], io), 0, errors.join('\n'));
  const run = readRun(save).record!;
  // Epoch 1 is the first best; epoch 2 cannot improve by 100: with patience 1 it stops there.
  assert.equal(run.epochs.length, 2);
  assert.equal(run.stoppedEarly, 2);
  assert.equal(run.status, 'completed');
  assert.ok(run.test, 'evaluated as a finished run');
  assert.match(errors.join('\n'), /warn: TensorBoard \(line 7\) is not run by Model Lens/);
});
