/**
 * `model-lens bench [--json] [--batch-size N] [--batches N] [--backend …] [--file FILE]`
 * Trains the reference Basic_CNN (examples/basic_cnn.py) on synthetic 28×28×1 data and reports
 * training and prediction throughput and the single-image round trip through the worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { backendChoice, int, loadModelFile, parseArgs, runCommand, startEngine, stdio, str, UsageError, type CliIO } from './engine-session';

export const benchUsage = 'model-lens bench [--json] [--batch-size N] [--batches N] [--backend auto|tensorflow|wasm|cpu] [--file MODEL.py]';

/** The package root (holds examples/): found upwards from this file, bundled or not. */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'examples', 'basic_cnn.py'))) return dir;
    dir = path.dirname(dir);
  }
  throw new UsageError('examples/basic_cnn.py not found next to model-lens; pass --file MODEL.py');
}

export interface BenchFigures {
  trainSamplesPerSec: number;
  predictSamplesPerSec: number;
  singlePredictMs: number;
  backend: string;
  backendReason: string;
  batchSize: number;
  model: string;
}

export async function runBench(options: { file?: string; batchSize?: number; batches?: number; backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu' }, io: CliIO): Promise<BenchFigures> {
  const file = options.file ?? path.join(packageRoot(), 'examples', 'basic_cnn.py');
  const m = loadModelFile(file, undefined, io);
  const batchSize = options.batchSize ?? 64;
  const { client, backend } = await startEngine(options.backend ?? 'auto', io, { quiet: true });
  try {
    const r = await client.request('bench', { model: m.ir, batchSize, trainBatches: options.batches ?? 20, predictBatches: 10 });
    // Single-image round trip: host → worker → predict → host, as the panel's "draw a digit" does.
    const { modelId } = await client.request('loadModel', { model: m.ir });
    const image = { width: 28, height: 28, data: Uint8Array.from({ length: 784 }, (_, i) => ((i % 28) - 14) ** 2 + ((i / 28 - 14) | 0) ** 2 < 40 ? 255 : 0) };
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t0 = performance.now();
      await client.request('predict', { modelId, input: { kind: 'pixels', image }, topK: 3 });
      times.push(performance.now() - t0);
    }
    times.splice(0, 5); // warm-up
    times.sort((a, b) => a - b);
    return {
      trainSamplesPerSec: r.trainSamplesPerSec,
      predictSamplesPerSec: r.predictSamplesPerSec,
      singlePredictMs: times[Math.floor(times.length / 2)]!,
      backend: r.backend,
      backendReason: backend.reason,
      batchSize,
      model: m.ir.name,
    };
  } finally {
    await client.dispose();
  }
}

export function benchCommand(argv: string[], io: CliIO = stdio): Promise<number> {
  return runCommand(io, async () => {
    const p = parseArgs(argv, ['batch-size', 'batches', 'backend', 'file'], ['json']);
    if (p.positional.length) throw new UsageError(`usage: ${benchUsage}`);
    const opts: Parameters<typeof runBench>[0] = { backend: backendChoice(p) };
    const f = str(p, 'file');
    if (f) opts.file = f;
    const bs = int(p, 'batch-size');
    if (bs) opts.batchSize = bs;
    const nb = int(p, 'batches');
    if (nb) opts.batches = nb;
    const r = await runBench(opts, io);
    if (p.flags.has('json')) io.out(JSON.stringify(r));
    else {
      io.out(`${r.model}, batch ${r.batchSize}, backend ${r.backend} (${r.backendReason})`);
      io.out(`  train    ${r.trainSamplesPerSec.toFixed(1)} samples/s`);
      io.out(`  predict  ${r.predictSamplesPerSec.toFixed(1)} samples/s`);
      io.out(`  single prediction round trip  ${r.singlePredictMs.toFixed(2)} ms (median of 20)`);
    }
    return 0;
  });
}
