// Reference Basic_CNN training speed on the wasm backend (batch 64, synthetic 28×28×1 data).
// Prints samples/s (best and median of several timed rounds — the machine is shared, so figures
// are noisy) and, with --profile, where the time of one training step goes, kernel by kernel.
// Usage: node --import tsx bench/train-speed.bench.ts [--profile] [--threads N] [--steps N] [--rounds N] [--batch N] [--optimizer fused|tfjs]
// (--optimizer: the one-pass update the engine uses on wasm, or tfjs's own Adam, for comparison)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { setupWasmBackend } from '../src/worker/kernels/threaded-backend';
import { FusedOptimizer } from '../src/worker/optimizers/fused-optimizer';
import { Dropout } from '../src/worker/dropout';
import { Conv2D } from '../src/worker/conv2d-on-input';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const num = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);

/** The reference Basic_CNN, exactly as the study note builds it. */
export function basicCnn(optimizer: 'fused' | 'tfjs' = 'fused'): tfl.LayersModel {
  const L = tfl.layers;
  const input = tfl.input({ shape: [28, 28, 1] });
  let net = input;
  for (const filters of [32, 64]) {
    net = new Conv2D({ filters, kernelSize: 3, padding: 'same' }).apply(net) as tfl.SymbolicTensor;
    net = L.activation({ activation: 'relu' }).apply(net) as tfl.SymbolicTensor;
    net = new Conv2D({ filters, kernelSize: 3, padding: 'same' }).apply(net) as tfl.SymbolicTensor;
    net = L.activation({ activation: 'relu' }).apply(net) as tfl.SymbolicTensor;
    net = L.maxPooling2d({ poolSize: 2 }).apply(net) as tfl.SymbolicTensor;
    net = new Dropout({ rate: 0.5 } as never).apply(net) as tfl.SymbolicTensor;
  }
  net = L.flatten().apply(net) as tfl.SymbolicTensor;
  net = L.dense({ units: 512 }).apply(net) as tfl.SymbolicTensor;
  net = L.activation({ activation: 'relu' }).apply(net) as tfl.SymbolicTensor;
  net = L.dropout({ rate: 0.5 }).apply(net) as tfl.SymbolicTensor;
  net = L.dense({ units: 10 }).apply(net) as tfl.SymbolicTensor;
  net = L.activation({ activation: 'softmax' }).apply(net) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: net, name: 'Basic_CNN' });
  const adam = { kind: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } as const;
  model.compile({ optimizer: optimizer === 'fused' ? new FusedOptimizer(adam) : tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Wall and CPU time per kernel over one training step (top-level kernels only; nested calls are included in their caller). */
async function profileStep(step: () => Promise<unknown>, optimizer: tf.Optimizer) {
  const totals = new Map<string, { ms: number; wall: number; n: number }>();
  let depth = 0;
  const wrapped: tf.KernelConfig[] = [];
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    const name = k.kernelName;
    const kernelFunc: tf.KernelFunc = (a) => {
      if (depth++ > 0) {
        try {
          return inner(a);
        } finally {
          depth--;
        }
      }
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      try {
        return inner(a);
      } finally {
        depth--;
        const c = process.cpuUsage(c0);
        const e = totals.get(name) ?? { ms: 0, wall: 0, n: 0 };
        e.wall += performance.now() - t0;
        e.ms += (c.user + c.system) / 1000;
        e.n++;
        totals.set(name, e);
      }
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...k, kernelFunc, setupFunc: undefined });
    wrapped.push(k);
  }
  // The one-pass update is not a kernel: timed on its own, so what is left is the engine's and
  // the layers' JavaScript (tape, bookkeeping, random numbers made in JavaScript).
  const apply = optimizer.applyGradients;
  const update = { wall: 0, ms: 0 };
  optimizer.applyGradients = function (this: tf.Optimizer, grads) {
    const uc = process.cpuUsage();
    const ut = performance.now();
    depth++;
    try {
      apply.call(this, grads);
    } finally {
      depth--;
      update.wall += performance.now() - ut;
      const d = process.cpuUsage(uc);
      update.ms += (d.user + d.system) / 1000;
    }
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await step();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  optimizer.applyGradients = apply;
  for (const k of wrapped) {
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({ ...k, setupFunc: undefined });
  }
  const inKernels = [...totals.values()].reduce((a, b) => a + b.wall, 0);
  const cpu = (c.user + c.system) / 1000;
  const kernelCpu = [...totals.values()].reduce((a, b) => a + b.ms, 0);
  console.log(`one step: wall ${wall.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms, all threads), of which in kernels ${inKernels.toFixed(0)} ms wall:`);
  console.log(`  update (optimizer, one pass) ${update.wall.toFixed(1)} ms wall, ${update.ms.toFixed(1)} ms CPU; rest (JavaScript outside kernels) ${(wall - inKernels - update.wall).toFixed(1)} ms wall, ${(cpu - kernelCpu - update.ms).toFixed(1)} ms CPU`);
  console.log(`  ${'kernel'.padEnd(28)} ${'wall'.padStart(7)}    ${'CPU'.padStart(7)}`);
  for (const [name, e] of [...totals].sort((a, b) => b[1].wall - a[1].wall).slice(0, 16)) {
    console.log(`  ${name.padEnd(28)} ${e.wall.toFixed(1).padStart(7)} ms ${e.ms.toFixed(1).padStart(7)} ms  ×${e.n}`);
  }
}

async function main() {
  const setup = await setupWasmBackend(args.includes('--threads') ? { threads: num('--threads', 1) } : {});
  const batch = num('--batch', 64);
  const steps = num('--steps', 8);
  const model = basicCnn(args.includes('--optimizer') && args[args.indexOf('--optimizer') + 1] === 'tfjs' ? 'tfjs' : 'fused');
  const train = (a: tf.Tensor, b: tf.Tensor) => model.trainOnBatch(a, b);
  const how = setup.detail;
  const x = tf.randomUniform([batch, 28, 28, 1]);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'float32');
  await train(x, y); // warm-up: operator creation, first allocations
  await train(x, y);
  if (flag('--profile')) await profileStep(() => train(x, y), model.optimizer);
  const rounds: number[] = [];
  const cpuPerStep: number[] = [];
  const nRounds = num('--rounds', 3);
  for (let r = 0; r < nRounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) await train(x, y);
    rounds.push((steps * batch) / ((performance.now() - t0) / 1000));
    const c = process.cpuUsage(c0);
    cpuPerStep.push((c.user + c.system) / 1000 / steps);
  }
  rounds.sort((a, b) => b - a);
  cpuPerStep.sort((a, b) => a - b);
  console.log(
    `Basic_CNN train, batch ${batch}, ${how}: best ${rounds[0]!.toFixed(1)} samples/s, ` +
      `median ${rounds[Math.floor(nRounds / 2)]!.toFixed(1)} samples/s (${nRounds} rounds × ${steps} steps; target ≥ 250); ` +
      `CPU time per step ${cpuPerStep[0]!.toFixed(0)} ms (all threads)`,
  );
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
