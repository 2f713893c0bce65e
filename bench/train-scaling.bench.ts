/**
 * Training cost as the work grows, in the worker child process as the editor and the CLI run it:
 * the reference Basic_CNN (examples/basic_cnn.py) on synthetic 28×28×1 data at batch 32, 64, 128
 * and 256 — samples/s, and the step time split by a least-squares line into a fixed cost per step
 * and a cost per sample — the worker's peak memory (RSS), and one larger model, a CIFAR-style
 * ResNet-20 on 32×32×3 (bench/models/resnet_cifar.py). The machine is shared: the load average
 * is printed, figures are noisy.
 * Usage: node --import tsx bench/train-scaling.bench.ts [--samples N] [--threads N]
 */
import os from 'node:os';
import path from 'node:path';
import { loadModelFile, stdio } from '../src/cli/engine-session';
import { WorkerClient } from '../src/worker/client';

const args = process.argv.slice(2);
const num = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const quiet = { ...stdio, err: () => undefined };

/** Least squares y = a + b·x. */
export function fitLine(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const cnn = loadModelFile(path.join(root, 'examples', 'basic_cnn.py'), undefined, quiet).ir;
  const resnet = loadModelFile(path.join(root, 'bench', 'models', 'resnet_cifar.py'), undefined, quiet).ir;
  const client = new WorkerClient({ onStderr: () => undefined });
  const t0 = performance.now();
  try {
    const info = await client.request('init', args.includes('--threads') ? { backend: 'wasm', threads: num('--threads', 2) } : { backend: 'wasm' });
    const load = os.loadavg()[0]!.toFixed(1);
    console.log(`${cnn.name}, synthetic data, Adam, ${info.reason}; load average ${load} on ${os.cpus().length} cores`);
    const samples = num('--samples', 768);
    const batches = [32, 64, 128, 256];
    const stepMs: number[] = [];
    console.log(`  ${'batch'.padStart(5)}  ${'samples/s'.padStart(9)}  ${'ms/step'.padStart(8)}`);
    for (const batchSize of batches) {
      const r = await client.request('bench', { model: cnn, batchSize, trainBatches: Math.max(3, Math.round(samples / batchSize)), predictBatches: 1 });
      const ms = (batchSize * 1000) / r.trainSamplesPerSec;
      stepMs.push(ms);
      console.log(`  ${String(batchSize).padStart(5)}  ${r.trainSamplesPerSec.toFixed(1).padStart(9)}  ${ms.toFixed(1).padStart(8)}`);
    }
    const { a, b } = fitLine(batches, stepMs);
    console.log(`  step time ≈ ${a.toFixed(1)} ms fixed + ${b.toFixed(2)} ms per sample (least squares over the four batch sizes)`);
    const rn = await client.request('bench', { model: resnet, batchSize: 64, trainBatches: 4, predictBatches: 1 });
    console.log(`${resnet.name} (32×32×3, ${(resnet.totalParams / 1e3).toFixed(0)} k weights), batch 64: ${rn.trainSamplesPerSec.toFixed(1)} samples/s`);
    const mem = await client.request('memory', {});
    const mb = (x: number) => (x / 2 ** 20).toFixed(0);
    console.log(`worker memory: peak RSS ${mb(mem.peakRssBytes)} MB, now ${mb(mem.rssBytes)} MB, ${mem.tensors} live tensors`);
    console.log(
      JSON.stringify({
        samplesPerSec: Object.fromEntries(batches.map((bs, i) => [bs, +((bs * 1000) / stepMs[i]!).toFixed(1)])),
        fixedMsPerStep: +a.toFixed(1),
        msPerSample: +b.toFixed(3),
        resnetSamplesPerSec: +rn.trainSamplesPerSec.toFixed(1),
        peakRssMB: +mb(mem.peakRssBytes),
        loadAverage: +load,
        seconds: +((performance.now() - t0) / 1000).toFixed(0),
      }),
    );
  } finally {
    await client.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
