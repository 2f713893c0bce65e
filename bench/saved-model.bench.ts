// Saved models: a generated ~100 MB model (6 × Dense(2048) on 2048 inputs, 25.2 M float32) as a
// Keras 2 `.h5`, a Keras 3 `.keras` and a TF.js folder, each opened in a fresh process running the
// phases bundled as the product is (bench/saved-model-phases.ts; the first open pays for loading
// the HDF5 wasm module, as in VS Code): "graph" is the config read and shapes/counts inferred (what
// the panel needs to draw), "statistics" every weight's min/max/mean/std/zeros/NaN/Inf and
// histogram, as the Weights view asks for them. The process's peak resident memory is printed
// beside: it should not grow with the file (BENCH_LAYERS=24, ~400 MB, peaks where 100 MB does: the
// weights are never held whole). The model is also exported to each format (time, peak memory),
// and the reference Basic_CNN (1.68 M params, trained-run layout) three times to each. A 400-layer
// `.h5` (800 small tensors) shows the graph does not wait for every dataset's metadata.
// Targets (checked by eye, not asserted): graph within 1 s, statistics within 5 s, Basic_CNN export
// under 1 s. The machine may be shared: figures are noisy, the load average is printed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readModel } from '../src/core/read-model';
import { exportModel, type ExportFormat } from '../src/core/saved/export';
import { openModelFile } from '../src/core/saved/open-saved';
import type { WeightStore } from '../src/core/saved/weights';

/** BENCH_LAYERS=24 makes it ~400 MB: the peak memory should stay where it is at 100 MB. */
const LAYERS = Number(process.env['BENCH_LAYERS'] ?? 6);
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

function generatedStore(width = 2048, count = LAYERS): { config: never; store: WeightStore } {
  const layers: unknown[] = [{ class_name: 'InputLayer', config: { batch_input_shape: [null, width], name: 'x', dtype: 'float32' } }];
  const store: WeightStore = { file: 'generated', layers: [], close: () => undefined };
  for (let i = 0; i < count; i++) {
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
  return { config: { class_name: 'Sequential', config: { name: 'big', layers } } as never, store };
}

/** The phases, bundled as the product is (esbuild, CommonJS, h5wasm inside). */
async function bundlePhases(outDir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = path.join(outDir, 'phases.cjs');
  await esbuild.build({
    entryPoints: ['bench/saved-model-phases.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    define: { 'import.meta.url': '__modelLensImportMetaUrl' },
    banner: { js: "var __modelLensImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  return outfile;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-bench-saved-'));
  try {
    const phases = await bundlePhases(tmp);
    const child = (...args: string[]) => process.stdout.write(execFileSync(process.execPath, [phases, ...args], { encoding: 'utf8' }));
    const { config, store } = generatedStore();
    const h5 = path.join(tmp, 'big.h5');
    await exportModel({ modelConfig: config, weights: store, source: 'bench' }, 'h5', h5);
    const size = `${(fs.statSync(h5).size / 1e6).toFixed(0)} MB`;
    console.log(`generated ${path.basename(h5)}: ${size} of weights`);
    const files: Record<ExportFormat, string> = { h5, keras: path.join(tmp, 'big.keras'), tfjs: path.join(tmp, 'big_tfjs', 'model.json') };
    for (const format of ['keras', 'tfjs'] as const) {
      console.log(`${size} .h5 → ${format} (fresh process)`);
      child('export', h5, format, files[format]);
    }
    console.log(`${size} .h5 → h5 (fresh process)`);
    child('export', h5, 'h5', path.join(tmp, 'again.h5'));
    for (const format of ['h5', 'keras', 'tfjs'] as const) {
      for (let run = 1; run <= 2; run++) {
        console.log(`open ${size} ${format} (fresh process, run ${run})`);
        child('open', files[format]);
      }
    }
    // Many small tensors: the time to read every dataset's metadata grows with their number.
    const many = path.join(tmp, 'many.h5');
    const small = generatedStore(32, 400);
    await exportModel({ modelConfig: small.config, weights: small.store, source: 'bench' }, 'h5', many);
    for (let run = 1; run <= 2; run++) {
      console.log(`open a 400-layer .h5 (800 tensors, ${(fs.statSync(many).size / 1e6).toFixed(1)} MB; fresh process, run ${run})`);
      child('open', many);
    }

    // The reference CNN, as a trained run leaves it (a TF.js weights folder), exported in-process.
    const { initBackend } = await import('../src/worker/backend');
    const { buildModel } = await import('../src/worker/build-model');
    const { saveWeights } = await import('../src/worker/weights');
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
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores: figures from a shared machine are noisy.`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
