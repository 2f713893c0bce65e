/**
 * `model-lens weights FILE [--layer TEXT] [--bins N] [--json]`: every weight tensor of a saved model
 * (.keras, .h5, TF.js model.json) per layer with shape, dtype and statistics, and a histogram.
 */
import { parseArgs } from 'node:util';
import { openModelFile } from '../core/saved/open-saved';
import { tensorStats, type WeightStats } from '../core/saved/weight-stats';
import type { SummaryIO } from './summary';
import { diagnosticLine } from './summary';

export const weightsUsage = 'model-lens weights FILE [--layer TEXT] [--bins N] [--json]';

const processIO: SummaryIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

const BARS = ' ▁▂▃▄▅▆▇█';

/** A histogram as one line of block characters, tallest bin = █. */
export function sparkline(counts: number[]): string {
  const top = Math.max(...counts, 1);
  return counts.map((c) => BARS[c === 0 ? 0 : Math.max(1, Math.round((c / top) * 8))]).join('');
}

const num = (v: number) => (Number.isNaN(v) ? 'nan' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4));

export async function weightsCommand(argv: string[], io: SummaryIO = processIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { layer: { type: 'string' }, bins: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.err(`model-lens weights: ${(e as Error).message}\nusage: ${weightsUsage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`usage: ${weightsUsage}\n\nPer layer, every weight tensor of a saved model (.keras, .h5, TF.js model.json): shape, dtype,\nmin, max, mean, std, share of zeros, NaN/Inf and a histogram. --layer keeps the layers or weights whose name contains TEXT.`);
    return 0;
  }
  const file = parsed.positionals[0];
  const bins = parsed.values.bins === undefined ? 20 : Number(parsed.values.bins);
  if (!file || parsed.positionals.length > 1 || !Number.isInteger(bins) || bins < 1 || bins > 1000) {
    io.err(`usage: ${weightsUsage}`);
    return 2;
  }
  const o = await openModelFile(file);
  try {
    const errors = [...o.result.diagnostics, ...(o.result.models[0]?.diagnostics ?? [])];
    for (const d of errors) io.err(diagnosticLine(file, d));
    if (!o.weights) {
      if (!errors.some((d) => d.severity === 'error')) io.err(`${file}:1:1: this file has no weights (a model config only); open a .keras, .h5 or TF.js model.json with weights`);
      return 1;
    }
    const want = parsed.values.layer?.toLowerCase();
    const layers = o.weights.layers
      .map((l) => ({ ...l, tensors: want && !l.layer.toLowerCase().includes(want) ? l.tensors.filter((t) => `${l.layer}/${t.name}`.toLowerCase().includes(want)) : l.tensors }))
      .filter((l) => l.tensors.length);
    if (want && !layers.length) {
      io.err(`${file}:1:1: no layer or weight name contains '${parsed.values.layer}'; the layers with weights are ${o.weights.layers.map((l) => l.layer).join(', ')}`);
      return 1;
    }
    let failed = false;
    const rows = layers.map((l) => ({
      layer: l.layer,
      type: l.type,
      tensors: l.tensors.map((t) => {
        let stats: WeightStats | undefined;
        let problem = t.problem;
        if (!problem) {
          try {
            stats = tensorStats(t, bins);
          } catch (e) {
            problem = (e as Error).message;
          }
        }
        if (problem) failed = true;
        return { name: t.name, shape: t.shape, dtype: t.dtype, trainable: t.trainable, location: t.location, ...(stats ? { stats } : {}), ...(problem ? { problem } : {}) };
      }),
    }));
    if (parsed.values.json) {
      io.out(JSON.stringify({ file, format: o.format, ...(o.savedBy ? { savedBy: o.savedBy } : {}), layers: rows }));
    } else {
      io.out(`${file}: ${o.format}${o.savedBy ? `, saved by ${o.savedBy}` : ''}`);
      for (const l of rows) {
        io.out(`${l.layer} (${l.type})`);
        for (const t of l.tensors) {
          const head = `  ${t.name.padEnd(16)} ${JSON.stringify(t.shape).padEnd(16)} ${t.dtype.padEnd(8)}${t.trainable ? '' : ' non-trainable'}`;
          if (!t.stats) {
            io.out(`${head}  cannot be read: ${t.problem}`);
            continue;
          }
          const s = t.stats;
          io.out(
            `${head}  min ${num(s.min)} max ${num(s.max)} mean ${num(s.mean)} std ${num(s.std)} zeros ${(s.zeros * 100).toFixed(1)}%` +
              `${s.nan || s.inf ? ` NaN ${s.nan} Inf ${s.inf}` : ''}  ${sparkline(s.histogram.counts)}`,
          );
        }
      }
    }
    return failed || errors.some((d) => d.severity === 'error') ? 1 : 0;
  } finally {
    o.close();
  }
}
