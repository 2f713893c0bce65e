// Reference Basic_CNN training speed on the wasm backend (batch 64, synthetic 28×28×1 data).
// Prints samples/s (best and median of several timed rounds — the machine is shared, so figures
// are noisy) and, with --profile, where the time of one training step goes, kernel by kernel.
// Usage: node --import tsx bench/train-speed.bench.ts [--profile] [--threads N] [--steps N]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { setupWasmBackend } from '../src/worker/kernels/threaded-backend';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const num = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);

/** The reference Basic_CNN, exactly as the study note builds it. */
export function basicCnn(): tfl.LayersModel {
  const L = tfl.layers;
  const input = tfl.input({ shape: [28, 28, 1] });
  let net = input;
  for (const filters of [32, 64]) {
    net = L.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(net) as tfl.SymbolicTensor;
    net = L.activation({ activation: 'relu' }).apply(net) as tfl.SymbolicTensor;
    net = L.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(net) as tfl.SymbolicTensor;
    net = L.activation({ activation: 'relu' }).apply(net) as tfl.SymbolicTensor;
    net = L.maxPooling2d({ poolSize: 2 }).apply(net) as tfl.SymbolicTensor;
    net = L.dropout({ rate: 0.5 }).apply(net) as tfl.SymbolicTensor;
  }
  net = L.flatten().apply(net) as tfl.SymbolicTensor;
  net = L.dense({ units: 512 }).apply(net) as tfl.SymbolicTensor;
  net = L.activation({ activation: 'relu' }).apply(net) as tfl.SymbolicTensor;
  net = L.dropout({ rate: 0.5 }).apply(net) as tfl.SymbolicTensor;
  net = L.dense({ units: 10 }).apply(net) as tfl.SymbolicTensor;
  net = L.activation({ activation: 'softmax' }).apply(net) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: net, name: 'Basic_CNN' });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

async function main() {
  const setup = await setupWasmBackend(args.includes('--threads') ? { threads: num('--threads', 1) } : {});
  const batch = 64;
  const steps = num('--steps', 8);
  const model = basicCnn();
  const x = tf.randomUniform([batch, 28, 28, 1]);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'float32');
  await model.trainOnBatch(x, y); // warm-up: operator creation, first allocations
  await model.trainOnBatch(x, y);
  if (flag('--profile')) {
    const prof = await tf.profile(async () => {
      await model.trainOnBatch(x, y);
    });
    const by = new Map<string, { ms: number; n: number }>();
    for (const k of prof.kernels) {
      const e = by.get(k.name) ?? { ms: 0, n: 0 };
      e.ms += Number(k.kernelTimeMs) || 0;
      e.n++;
      by.set(k.name, e);
    }
    const total = [...by.values()].reduce((a, b) => a + b.ms, 0);
    console.log(`one step, kernel time ${total.toFixed(1)} ms:`);
    for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 18)) {
      console.log(`  ${name.padEnd(28)} ${e.ms.toFixed(1).padStart(7)} ms  ×${e.n}`);
    }
  }
  const rounds: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) await model.trainOnBatch(x, y);
    rounds.push((steps * batch) / ((performance.now() - t0) / 1000));
  }
  rounds.sort((a, b) => b - a);
  console.log(
    `Basic_CNN train, batch ${batch}, ${setup.detail}: best ${rounds[0]!.toFixed(1)} samples/s, ` +
      `median ${rounds[1]!.toFixed(1)} samples/s (3 rounds × ${steps} steps; target ≥ 250)`,
  );
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
