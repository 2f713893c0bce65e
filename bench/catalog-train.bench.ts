// Training speed on the wasm backend of the layer-catalog examples beside the reference CNN, each
// read from its file and built by the engine (batch 32, synthetic data): samples/s, best and
// median of several timed rounds. The machine is shared: figures are noisy.
// Usage: node --import tsx bench/catalog-train.bench.ts [--steps N] [--rounds N]
import fs from 'node:fs';
import { readModel } from '../src/core/read-model';
import { initBackend } from '../src/worker/backend';
import { buildModel } from '../src/worker/build-model';
import { tf } from '../src/worker/tf';

const args = process.argv.slice(2);
const num = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const steps = num('--steps', 3);
const rounds = num('--rounds', 3);
const batch = 32;

async function bench(file: string, ints?: number): Promise<void> {
  const ir = readModel(file, fs.readFileSync(file, 'utf8')).models[0]!;
  const built = await buildModel(ir, { inputScale: 1 });
  const x = ints ? tf.floor(tf.randomUniform([batch, ...built.inputShape], 0, ints)) : tf.randomUniform([batch, ...built.inputShape], 0, 255);
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % Math.max(2, built.numClasses)), 'int32');
  const y = built.labels === 'one-hot' ? tf.cast(tf.oneHot(labels, built.numClasses), 'float32') : built.labels === 'binary' ? tf.reshape(tf.cast(tf.mod(labels, 2), 'float32'), [batch, 1]) : tf.cast(labels, 'float32');
  await built.model.trainOnBatch(x, y); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) await built.model.trainOnBatch(x, y);
    rates.push((steps * batch) / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  console.log(`${ir.name.padEnd(18)} ${String(ir.totalParams.toLocaleString('en')).padStart(10)} params  best ${rates[rates.length - 1]!.toFixed(0).padStart(5)} samples/s  median ${rates[Math.floor(rates.length / 2)]!.toFixed(0).padStart(5)} samples/s`);
  tf.dispose([x, y, labels]);
  built.model.dispose();
}

(async () => {
  const info = await initBackend('wasm');
  console.log(`backend ${info.backend} (${info.reason}); batch ${batch}, ${steps} steps × ${rounds} rounds`);
  await bench('examples/basic_cnn.py');
  await bench('examples/catalog/cifar_resnet.py');
  await bench('examples/catalog/text_classifier.py', 20000);
})();
