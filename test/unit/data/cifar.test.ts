import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataError } from '../../../src/core/data/errors';
import { readModel } from '../../../src/core/read-model';
import { loadDataset } from '../../../src/worker/data/datasets';
import { cifarBatchPickle, pickle } from './make-pickle';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-cifar-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeCifar10(dir: string, perBatch: number): void {
  fs.mkdirSync(dir, { recursive: true });
  for (let b = 1; b <= 5; b++) fs.writeFileSync(path.join(dir, `data_batch_${b}`), cifarBatchPickle(Array.from({ length: perBatch }, (_, i) => (b + i) % 10)));
  fs.writeFileSync(path.join(dir, 'test_batch'), cifarBatchPickle([9, 8, 7]));
  const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
  fs.writeFileSync(path.join(dir, 'batches.meta'), pickle({ dict: [['label_names', names], ['num_vis', 3072]] }));
}

test("cifar10 from Keras's cache (KERAS_HOME/datasets/cifar-10-batches-py): five training batches, test batch, class names", () => {
  const home = path.join(tmp, 'home1');
  writeCifar10(path.join(home, 'datasets', 'cifar-10-batches-py'), 4);
  process.env.KERAS_HOME = home;
  const ds = loadDataset('CIFAR-10');
  assert.equal(ds.name, 'cifar10');
  assert.deepEqual([ds.train.count, ds.test.count, ds.train.height, ds.train.width, ds.train.channels], [20, 3, 32, 32, 3]);
  assert.equal(ds.numClasses, 10);
  assert.equal(ds.classNames?.[9], 'truck');
  // Batch 2's first image comes 5th, labelled (2 + 0) % 10.
  assert.equal(ds.train.labels[4], 2);
  assert.match(ds.source, /CIFAR-10 \(.*cifar-10-batches-py\)/);
});

test('cifar100 fine and coarse labels from cifar-100-python (train, test, meta)', () => {
  const home = path.join(tmp, 'home2');
  const dir = path.join(home, 'datasets', 'cifar-100-python');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'train'), cifarBatchPickle([99, 42, 5], 'cifar100'));
  fs.writeFileSync(path.join(dir, 'test'), cifarBatchPickle([21], 'cifar100'));
  fs.writeFileSync(path.join(dir, 'meta'), pickle({ dict: [['fine_label_names', Array.from({ length: 100 }, (_, i) => `f${i}`)], ['coarse_label_names', Array.from({ length: 20 }, (_, i) => `c${i}`)]] }));
  process.env.KERAS_HOME = home;
  const fine = loadDataset('cifar100');
  assert.deepEqual([...fine.train.labels], [99, 42, 5]);
  assert.equal(fine.numClasses, 100);
  assert.equal(fine.classNames?.[42], 'f42');
  const coarse = loadDataset('cifar100-coarse');
  assert.deepEqual([...coarse.train.labels], [19, 2, 5]);
  assert.equal(coarse.numClasses, 20);
  assert.equal(coarse.classNames?.[19], 'c19');
  // The folder given as a path: recognised by its files.
  assert.equal(loadDataset(dir).train.count, 3);
});

test('no cache: says where it looked and how to get the data; never downloads', () => {
  process.env.KERAS_HOME = path.join(tmp, 'empty-home');
  assert.throws(
    () => loadDataset('cifar10'),
    (e: unknown) =>
      e instanceof DataError &&
      e.code === 'not-found' &&
      e.message.includes(path.join(tmp, 'empty-home', 'datasets', 'cifar-10-batches-py')) &&
      /keras\.datasets\.cifar10\.load_data\(\)/.test(e.message) &&
      /--data PATH/.test(e.message),
  );
  assert.throws(() => loadDataset('cifar100_coarse'), /cifar100\.load_data\(label_mode='coarse'\)/);
});

test('a CIFAR folder with a batch missing, or a batch that runs code, is refused naming the file', () => {
  const dir = path.join(tmp, 'partial', 'cifar-10-batches-py');
  writeCifar10(dir, 2);
  fs.rmSync(path.join(dir, 'data_batch_3'));
  assert.throws(() => loadDataset(dir), /data_batch_3/);
  const evil = path.join(tmp, 'evil', 'cifar-10-batches-py');
  writeCifar10(evil, 2);
  // GLOBAL os.system, REDUCE: the classic pickle exploit.
  const bytes = Uint8Array.from([0x80, 2, 0x63, ...new TextEncoder().encode('os\nsystem\n'), 0x55, 5, ...new TextEncoder().encode('touch'), 0x85, 0x52, 0x2e]);
  fs.writeFileSync(path.join(evil, 'data_batch_2'), bytes);
  assert.throws(() => loadDataset(evil), (e: unknown) => e instanceof DataError && e.code === 'refused' && e.message.includes(path.join(evil, 'data_batch_2')) && /'os\.system'/.test(e.message));
});

test("the reader: cifar10.load_data() and cifar100.load_data(label_mode='coarse') give the dataset and its 32×32×3 shapes", () => {
  const src = (call: string) =>
    `import keras\n(x, y), (xt, yt) = keras.datasets.${call}\nm = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.Flatten(), keras.layers.Dense(10)])\nm.compile('adam', 'sparse_categorical_crossentropy')\nm.fit(x, y)\n`;
  const c10 = readModel('t.py', src('cifar10.load_data()')).models[0]!;
  assert.equal(c10.training.dataset, 'cifar10');
  assert.deepEqual(c10.layers[0]!.outputShape, [null, 32, 32, 3]);
  assert.equal(readModel('t.py', src("cifar100.load_data(label_mode='coarse')")).models[0]!.training.dataset, 'cifar100_coarse');
  assert.equal(readModel('t.py', src('cifar100.load_data()')).models[0]!.training.dataset, 'cifar100');
});
