/**
 * A sweep's overhead per run: `model-lens sweep` of 6 runs of a tiny model on 32 samples (one batch,
 * a 100-image test), so nearly all of each run's time is what a run costs besides training: fresh
 * model build, run folder, source copy, run.json, weights save, test evaluation. Compared with
 * the same 6 runs as separate `model-lens train` commands (a worker started each time).
 * Noisy: the machine's 2 cores are shared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../src/cli/engine-session';
import { sweepCommand } from '../src/cli/sweep';
import { trainCommand } from '../src/cli/train';

const quiet: CliIO = { out: () => undefined, err: () => undefined, status: () => undefined, tty: false, columns: 80 };

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-sweep-bench-'));
  const cwd = process.cwd();
  try {
    const file = path.join(tmp, 'tiny.py');
    fs.writeFileSync(
      file,
      `from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([layers.Input((28, 28, 1)), layers.Flatten(), layers.Dense(16, activation='relu'), layers.Dense(10, activation='softmax')], name='tiny')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
(x, y), (tx, ty) = keras.datasets.mnist.load_data()
model.fit(x / 255.0, y, batch_size=32, epochs=1)
`,
    );
    process.chdir(tmp);
    const args = ['--limit', '32', '--test-limit', '100'];
    const t0 = performance.now();
    const code = await sweepCommand([file, '--seeds', '6', ...args], quiet);
    const sweepMs = performance.now() - t0;
    if (code !== 0) throw new Error(`sweep exited ${code}`);
    const t1 = performance.now();
    for (let i = 1; i <= 6; i++) if ((await trainCommand([file, '--seed', String(i), ...args], quiet)) !== 0) throw new Error('train failed');
    const trainMs = performance.now() - t1;
    console.log(`sweep of 6 one-batch runs: ${(sweepMs / 1000).toFixed(1)} s in all, ${(sweepMs / 6).toFixed(0)} ms per run (worker started once, MNIST read once)`);
    console.log(`the same 6 runs as separate train commands: ${(trainMs / 1000).toFixed(1)} s, ${(trainMs / 6).toFixed(0)} ms per run`);
  } finally {
    process.chdir(cwd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
