// Writes small made-up datasets the catalog examples train on offline (nothing is downloaded):
//   examples/data/cifar-10-batches-py/  CIFAR-10's layout (pickled batches, as Keras extracts it):
//                                       32×32 colour images, 10 classes, 5 × 200 training + 200 test
//   examples/data/text.npz              token ids (N, 200) over a 20000-word vocabulary, binary labels
//   examples/data/text.vocab.txt        its words, one per line (the panel shows samples as words)
// The classes are learnable (each CIFAR class has its own colour and a bright square; a text is
// positive when it holds words from a "positive" list), so a few epochs show the loss falling.
// Usage: node --import tsx scripts/make-example-data.ts [OUT_DIR]   (or npm run example-data)
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { pickle } from '../test/unit/data/make-pickle';
import { npyBytes } from '../test/unit/data/make-data';

const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'examples', 'data'));
let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
// A colour per class (RGB), well apart.
const COLOURS = [[200, 60, 60], [60, 200, 60], [60, 60, 200], [200, 200, 60], [200, 60, 200], [60, 200, 200], [230, 140, 40], [120, 60, 160], [40, 120, 90], [150, 150, 150]];

/** One CIFAR batch: rows of 3072 bytes (R plane, G plane, B plane), labels cycling 0–9. */
function cifarBatch(n: number, name: string): Uint8Array {
  const data = new Uint8Array(n * 3072);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    labels.push(c);
    const [r, g, b] = COLOURS[c]!;
    const sx = Math.floor(rand() * 20);
    const sy = Math.floor(rand() * 20);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const inSquare = x >= sx && x < sx + 10 && y >= sy && y < sy + 10;
        const p = y * 32 + x;
        const noise = () => Math.floor((rand() - 0.5) * 60);
        const clamp = (v: number) => Math.max(0, Math.min(255, v));
        data[i * 3072 + p] = clamp((inSquare ? 255 : r!) + noise());
        data[i * 3072 + 1024 + p] = clamp((inSquare ? 255 : g!) + noise());
        data[i * 3072 + 2048 + p] = clamp((inSquare ? 255 : b!) + noise());
      }
    }
  }
  return pickle({ dict: [['batch_label', name], ['labels', labels], ['data', { ndarray: { shape: [n, 3072], data } }], ['filenames', labels.map((_, i) => `made_up_${i}.png`)]] });
}

const cifar = path.join(out, 'cifar-10-batches-py');
fs.mkdirSync(cifar, { recursive: true });
for (let b = 1; b <= 5; b++) fs.writeFileSync(path.join(cifar, `data_batch_${b}`), cifarBatch(200, `training batch ${b} of 5`));
fs.writeFileSync(path.join(cifar, 'test_batch'), cifarBatch(200, 'testing batch 1 of 1'));
fs.writeFileSync(path.join(cifar, 'batches.meta'), pickle({ dict: [['label_names', CLASSES], ['num_cases_per_batch', 200], ['num_vis', 3072]] }));

/** Token ids: 1 = padding start, words 10…19999; positives hold a few ids from 100–149. */
function texts(n: number, t: number): { x: Int32Array; y: Int32Array } {
  const x = new Int32Array(n * t);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const positive = i % 2 === 0;
    y[i] = positive ? 1 : 0;
    const len = 40 + Math.floor(rand() * (t - 40));
    for (let j = t - len; j < t; j++) x[i * t + j] = 150 + Math.floor(rand() * 19850);
    for (let k = 0; k < 6; k++) {
      const at = t - len + Math.floor(rand() * len);
      x[i * t + at] = positive ? 100 + Math.floor(rand() * 50) : 50 + Math.floor(rand() * 50);
    }
  }
  return { x, y };
}
const train = texts(1000, 200);
const test = texts(200, 200);
fs.writeFileSync(
  path.join(out, 'text.npz'),
  zipSync(
    {
      'x_train.npy': npyBytes('<i4', [1000, 200], train.x),
      'y_train.npy': npyBytes('<i4', [1000], train.y),
      'x_test.npy': npyBytes('<i4', [200, 200], test.x),
      'y_test.npy': npyBytes('<i4', [200], test.y),
    },
    { level: 6 },
  ),
);
// Its vocabulary, one word per line (line n = id n): ids 50–99 "negative" words, 100–149 "positive".
const vocab = Array.from({ length: 20000 }, (_, id) => (id === 0 ? '' : id === 1 ? '[UNK]' : id >= 50 && id < 100 ? `bad${id - 50}` : id >= 100 && id < 150 ? `good${id - 100}` : `w${id}`));
fs.writeFileSync(path.join(out, 'text.vocab.txt'), vocab.join('\n') + '\n');
console.log(`wrote ${path.relative(process.cwd(), cifar)}/ and ${path.relative(process.cwd(), path.join(out, 'text.npz'))}`);
