// Saved models: opening a ~100 MB Keras 2 `.h5` (graph visible: config read and shapes/counts
// inferred; then every weight's statistics) and exporting the reference Basic_CNN (1.68 M params,
// trained-run layout) to .keras, .h5 and TF.js. Targets (checked by eye, not asserted): graph
// within 1 s, statistics within 5 s, each export under 1 s. The machine may be shared: figures are noisy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readModel } from '../src/core/read-model';
import { exportModel } from '../src/core/saved/export';
import { openModelFile } from '../src/core/saved/open-saved';
import { tensorStats } from '../src/core/saved/weight-stats';
import type { WeightStore } from '../src/core/saved/weights';
import { initBackend } from '../src/worker/backend';
import { buildModel } from '../src/worker/build-model';
import { saveWeights } from '../src/worker/weights';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-bench-saved-'));
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

async function bigH5(): Promise<string> {
  // 6 × Dense(2048) on 2048 inputs: 6 × (2048·2048 + 2048) ≈ 25.2 M float32 ≈ 100 MB.
  const width = 2048;
  const layers: unknown[] = [{ class_name: 'InputLayer', config: { batch_input_shape: [null, width], name: 'x', dtype: 'float32' } }];
  const store: WeightStore = { file: 'generated', layers: [], close: () => undefined };
  for (let i = 0; i < 6; i++) {
    const name = `dense_${i}`;
    layers.push({ class_name: 'Dense', config: { name, units: width, activation: 'relu', use_bias: true } });
    const gen = (shape: number[], seed: number) => ({
      name: shape.length === 2 ? 'kernel' : 'bias',
      shape,
      dtype: 'float32' as const,
      location: 'generated',
      trainable: true,
      size: shape.reduce((a, d) => a * d, 1),
      readRows: (a: number, b: number) => {
        const row = shape.length === 2 ? shape[1]! : 1;
        const out = new Float32Array((b - a) * row);
        for (let k = 0; k < out.length; k++) out[k] = Math.sin((a * row + k) * 0.001 + seed) * 0.05;
        return out;
      },
    });
    store.layers.push({ layer: name, type: 'Dense', tensors: [gen([width, width], i), gen([width], i + 0.5)] });
  }
  const file = path.join(tmp, 'big.h5');
  await exportModel({ modelConfig: { class_name: 'Sequential', config: { name: 'big', layers } } as never, weights: store, source: 'bench' }, 'h5', file);
  return file;
}

async function main(): Promise<void> {
  const file = await bigH5();
  console.log(`generated ${path.basename(file)}: ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  for (let run = 1; run <= 3; run++) {
    const t0 = performance.now();
    const o = await openModelFile(file);
    const graph = ms(t0);
    const m = o.result.models[0]!;
    const t1 = performance.now();
    let tensors = 0;
    for (const l of o.weights!.layers) for (const t of l.tensors) (tensorStats(t), tensors++);
    console.log(`open 100 MB .h5 (run ${run}): graph ${graph} (${m.layers.length} layers, ${m.totalParams.toLocaleString('en-US')} params; target < 1000 ms) · statistics of ${tensors} tensors ${ms(t1)} (target < 5000 ms)`);
    o.close();
  }

  await initBackend('cpu');
  const ir = readModel('examples/basic_cnn.py', fs.readFileSync('examples/basic_cnn.py', 'utf8')).models[0]!;
  const built = await buildModel(ir);
  const runDir = path.join(tmp, 'run');
  fs.mkdirSync(runDir);
  await saveWeights(built.model, runDir);
  const src = await openModelFile(path.join(runDir, 'weights', 'model.json'));
  for (const format of ['keras', 'h5', 'tfjs'] as const) {
    for (let run = 1; run <= 3; run++) {
      const t = performance.now();
      await exportModel({ modelConfig: src.modelConfig!, weights: src.weights!, source: 'bench' }, format, path.join(tmp, `cnn-${run}.${format}`));
      console.log(`export Basic_CNN (${ir.totalParams.toLocaleString('en-US')} params) to ${format} (run ${run}): ${ms(t)} (target < 1000 ms)`);
    }
  }
  src.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores: figures from a shared machine are noisy.`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
