// The optimizer step alone at the reference Basic_CNN's weight shapes (1.68 M weights): tfjs's
// Adam (~14 element-wise kernels per weight) against the one-pass update on the wasm threads,
// alternated so both see the same machine load. Wall ms per step, best and median.
// Usage: node --import tsx bench/optimizer.bench.ts [--threads N] [--steps N]
import * as tf from '@tensorflow/tfjs-core';
import { setupWasmBackend } from '../src/worker/kernels/threaded-backend';
import { FusedOptimizer } from '../src/worker/optimizers/fused-optimizer';

const args = process.argv.slice(2);
const num = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);

const SHAPES = [[3, 3, 1, 32], [32], [3, 3, 32, 32], [32], [3, 3, 32, 64], [64], [3, 3, 64, 64], [64], [3136, 512], [512], [512, 10], [10]];

async function main() {
  const setup = await setupWasmBackend(args.includes('--threads') ? { threads: num('--threads', 1) } : {});
  const steps = num('--steps', 30);
  const make = (tag: string) => SHAPES.map((s, i) => tf.variable(tf.randomNormal(s, 0, 0.05), true, `${tag}${i}`));
  const wa = make('a');
  const wb = make('b');
  const grads = SHAPES.map((s) => tf.randomNormal(s, 0, 0.01));
  const adam = { kind: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } as const;
  const runs = [
    { label: "tfjs's Adam", opt: tf.train.adam(0.001) as tf.Optimizer, ws: wa, ms: [] as number[] },
    { label: 'one-pass Adam', opt: new FusedOptimizer(adam) as tf.Optimizer, ws: wb, ms: [] as number[] },
  ];
  for (let s = 0; s < steps + 2; s++) {
    for (const r of runs) {
      const t0 = performance.now();
      r.opt.applyGradients(Object.fromEntries(r.ws.map((w, i) => [w.name, grads[i]!])));
      if (s >= 2) r.ms.push(performance.now() - t0);
    }
  }
  const n = SHAPES.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  console.log(`optimizer step, ${(n / 1e6).toFixed(2)} M weights, ${setup.detail}:`);
  for (const r of runs) {
    r.ms.sort((a, b) => a - b);
    console.log(`  ${r.label.padEnd(14)} best ${r.ms[0]!.toFixed(1)} ms, median ${r.ms[r.ms.length >> 1]!.toFixed(1)} ms`);
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
