// The timed phases of bench/saved-model.bench.ts, each run in a fresh process from a bundle built
// as scripts/build.mjs builds the extension and CLI (so h5wasm loads as it does for a user, not
// through tsx's on-the-fly transform): `open FILE` and `export FILE FORMAT OUT` print one line.
import { performance } from 'node:perf_hooks';
import { exportModel, type ExportFormat } from '../src/core/saved/export';
import { openModelFile } from '../src/core/saved/open-saved';
import { tensorStatsAsync } from '../src/core/saved/weight-stats';

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;
/** Peak resident memory of this process so far. */
const peakMb = () => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
const rssMb = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`;

/**
 * Open FILE as the editor does (first open: loads the HDF5 wasm module; a .keras's weights are
 * copied out of the zip after its graph), then every weight's statistics.
 */
async function openPhase(file: string): Promise<void> {
  const base = rssMb();
  const t0 = performance.now();
  const o = await openModelFile(file, {}, { deferWeights: true });
  const graph = ms(t0);
  const pending = o.weightsPending;
  await pending;
  const ready = pending ? ` (weights ready at ${ms(t0)})` : '';
  const m = o.result.models[0];
  const errors = [...o.result.diagnostics, ...(m?.diagnostics ?? [])].filter((d) => d.severity === 'error');
  if (!m || errors.length) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ')}`);
  const t1 = performance.now();
  let tensors = 0;
  for (const l of o.weights!.layers) for (const t of l.tensors) (await tensorStatsAsync(t, 40), tensors++);
  const stats = ms(t1);
  o.close();
  console.log(`  graph ${graph} (${m.layers.length} layers, ${m.totalParams.toLocaleString('en-US')} params; target < 1000 ms)${ready} · statistics of ${tensors} tensors ${stats} (target < 5000 ms) · memory ${base} at start, peak ${peakMb()}`);
}

async function exportPhase(file: string, format: ExportFormat, out: string): Promise<void> {
  const o = await openModelFile(file);
  const base = rssMb();
  const t0 = performance.now();
  await exportModel({ modelConfig: o.modelConfig!, weights: o.weights!, source: 'bench' }, format, out);
  const took = ms(t0);
  o.close();
  console.log(`  export to ${format}: ${took} · memory ${base} after opening, peak ${peakMb()}`);
}

const [phase, ...rest] = process.argv.slice(2);
const job = phase === 'open' ? openPhase(rest[0]!) : phase === 'export' ? exportPhase(rest[0]!, rest[1] as ExportFormat, rest[2]!) : Promise.reject(new Error('usage: open FILE | export FILE FORMAT OUT'));
void job.catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
