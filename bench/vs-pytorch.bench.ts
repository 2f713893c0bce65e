/**
 * Model Lens against PyTorch on the same CPU: the reference Basic_CNN (examples/basic_cnn.py),
 * Adam, random 28×28×1 data, the same thread count (2 by default), batch 32, 64, 128 and 256 —
 * Model Lens in its worker child process (wasm), PyTorch in bench/pytorch_cnn.py. The two take
 * turns (A B, then B A the next round, one batch size at a time), so a machine that gets busier
 * or quieter affects both alike; the ratio is the median of the per-pair ratios.
 * Needs python3 with torch (Debian's python3-torch); without it, prints a note and does nothing.
 * Usage: node --import tsx bench/vs-pytorch.bench.ts [--rounds N] [--samples N] [--threads N] [--batches 32,64]
 */
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { loadModelFile, stdio } from '../src/cli/engine-session';
import { WorkerClient } from '../src/worker/client';

const args = process.argv.slice(2);
const num = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
/** A Python with torch: $PYTHON, else python3 on PATH, else Debian's /usr/bin/python3 (a pyenv python3 on PATH may lack it). */
function findPython(): { python?: string; tried: string[] } {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', '/usr/bin/python3'];
  for (const c of candidates) {
    if (spawnSync(c, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return { python: c, tried: candidates };
  }
  return { tried: candidates };
}

/** The PyTorch side: one long-lived Python process answering "<batch> <steps>" lines. */
class TorchRunner {
  private readonly proc;
  private readonly lines: AsyncIterator<string>;

  constructor(python: string, threads: number) {
    this.proc = spawn(python, [path.join(__dirname, 'pytorch_cnn.py'), '--threads', String(threads)], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  async next(): Promise<Record<string, unknown>> {
    const r = await this.lines.next();
    if (r.done) throw new Error('the PyTorch script ended early (see its error above)');
    return JSON.parse(r.value) as Record<string, unknown>;
  }

  async run(batch: number, steps: number): Promise<number> {
    this.proc.stdin.write(`${batch} ${steps}\n`);
    return (await this.next())['samplesPerSec'] as number;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const { python, tried } = findPython();
  if (!python) {
    console.log(`note: no comparison with PyTorch: no Python with torch (tried ${tried.join(', ')}; install Debian's python3-torch, or set PYTHON); nothing measured`);
    return;
  }
  const threads = num('--threads', 2);
  const rounds = num('--rounds', 3);
  const samples = num('--samples', 512);
  const batches = args.includes('--batches') ? args[args.indexOf('--batches') + 1]!.split(',').map(Number) : [32, 64, 128, 256];
  const model = loadModelFile(path.resolve(__dirname, '..', 'examples', 'basic_cnn.py'), undefined, { ...stdio, err: () => undefined }).ir;
  const client = new WorkerClient({ onStderr: () => undefined });
  const torch = new TorchRunner(python, threads);
  const t0 = performance.now();
  try {
    const info = await client.request('init', { backend: 'wasm', threads });
    const ready = await torch.next();
    const load0 = os.loadavg()[0]!;
    console.log(
      `${model.name}, Adam, random data, ${threads} threads; Model Lens: ${info.reason}; PyTorch ${String(ready['torch'])} on the CPU, ${String(ready['threads'])} threads. ` +
        `${rounds} rounds, ~${samples} samples per run, the two alternating; load average ${load0.toFixed(1)} on ${os.cpus().length} cores`,
    );
    const ml = new Map<number, number[]>(batches.map((b) => [b, []]));
    const pt = new Map<number, number[]>(batches.map((b) => [b, []]));
    for (let r = 0; r < rounds; r++) {
      for (const batch of batches) {
        const steps = Math.max(3, Math.round(samples / batch));
        const runMl = async () => ml.get(batch)!.push((await client.request('bench', { model, batchSize: batch, trainBatches: steps, predictBatches: 1 })).trainSamplesPerSec);
        const runPt = async () => pt.get(batch)!.push(await torch.run(batch, steps));
        if (r % 2 === 0) {
          await runMl();
          await runPt();
        } else {
          await runPt();
          await runMl();
        }
      }
    }
    const load1 = os.loadavg()[0]!;
    console.log(`  ${'batch'.padStart(5)}  ${'Model Lens'.padStart(10)}  ${'PyTorch'.padStart(8)}  ${'ratio'.padStart(5)}  (samples/s, medians; ratio: median of the ${rounds} paired ratios, min–max)`);
    const summary: Record<number, { modelLens: number; pytorch: number; ratio: number }> = {};
    for (const batch of batches) {
      const a = ml.get(batch)!;
      const b = pt.get(batch)!;
      const ratios = a.map((x, i) => x / b[i]!);
      const ratio = median(ratios);
      summary[batch] = { modelLens: +median(a).toFixed(1), pytorch: +median(b).toFixed(1), ratio: +ratio.toFixed(3) };
      console.log(
        `  ${String(batch).padStart(5)}  ${median(a).toFixed(1).padStart(10)}  ${median(b).toFixed(1).padStart(8)}  ${ratio.toFixed(2).padStart(5)}  (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
      );
    }
    console.log(`load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end (a busy machine makes every figure noisy; the ratios hold up better)`);
    console.log(JSON.stringify({ threads, rounds, samples, loadAverage: [+load0.toFixed(1), +load1.toFixed(1)], byBatch: summary, seconds: +((performance.now() - t0) / 1000).toFixed(0) }));
  } finally {
    torch.close();
    await client.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
