/**
 * `model-lens export RUN_OR_FILE --to keras|h5|tfjs --out PATH` and `model-lens convert IN --out OUT`:
 * a training run's weights or any saved model (.keras, .h5, TF.js model.json) written as a Keras 3
 * `.keras`, a Keras 2 `.h5` or a TF.js layers model — without Python.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultRunsRoot, readRunRecord, RUN_FILE, weightsDirOf } from '../core/run/store';
import { exportModel, ExportError, type ExportFormat } from '../core/saved/export';
import { openModelFile, type OpenedModel } from '../core/saved/open-saved';
import { diagnosticLine, type SummaryIO } from './summary';

export const exportUsage = 'model-lens export RUN_OR_FILE --to keras|h5|tfjs --out PATH';
export const convertUsage = 'model-lens convert IN --out OUT   (OUT: NAME.keras, NAME.h5 or a folder / model.json for TF.js)';

const processIO: SummaryIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

/** A run folder (run.json + weights/), a run's weights folder, or a model file. */
export async function openSource(arg: string): Promise<{ opened: OpenedModel; source: string }> {
  const abs = fs.existsSync(arg) ? path.resolve(arg) : runFolderById(arg);
  if (!abs) throw new ExportError(`${arg}: no such file or folder, and no run with that id in ${defaultRunsRoot(process.cwd())} (\`model-lens runs\` lists them)`);
  let file = abs;
  let source = abs;
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
    const run = readRunRecord(abs);
    const weights = weightsDirOf(abs) ?? (fs.existsSync(path.join(abs, 'model.json')) ? abs : undefined);
    if (!weights) throw new ExportError(`${arg}: neither a run folder (run.json + weights/) nor a folder with a TF.js model.json`);
    file = path.join(weights, 'model.json');
    source = run ? `Model Lens run ${run.id} of '${run.modelName}' in ${run.modelFile} (${run.status}${run.test ? `, test accuracy ${run.test.acc.toFixed(4)}` : ''})` : file;
  }
  const opened = await openModelFile(file);
  return { opened, source: opened.exportedFrom && source === abs ? `${abs} (itself exported from ${opened.exportedFrom})` : source };
}

/**
 * A run named by its id or a unique id prefix (what `train` prints), in this folder's runs
 * (`.model-lens/runs`); undefined when the argument is not an id or no run has it.
 */
function runFolderById(ref: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(ref)) return undefined;
  const root = defaultRunsRoot(process.cwd());
  let names: string[];
  try {
    names = fs.readdirSync(root).filter((n) => !n.startsWith('.') && fs.existsSync(path.join(root, n, RUN_FILE)));
  } catch {
    return undefined;
  }
  const hits = names.includes(ref) ? [ref] : names.filter((n) => n.startsWith(ref));
  if (hits.length > 1) throw new ExportError(`${ref}: matches ${hits.length} runs in ${root} (${hits.slice(0, 5).join(', ')}…): give more of the id`);
  return hits.length === 1 ? path.join(root, hits[0]!) : undefined;
}

export function formatFromPath(out: string): ExportFormat | undefined {
  const lower = out.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  if (lower.endsWith('.json') || !path.extname(lower)) return 'tfjs';
  return undefined;
}

async function run(inArg: string, format: ExportFormat, out: string, io: SummaryIO): Promise<number> {
  let opened: OpenedModel | undefined;
  try {
    const src = await openSource(inArg);
    opened = src.opened;
    const errors = [...opened.result.diagnostics, ...(opened.result.models[0]?.diagnostics ?? [])].filter((d) => d.severity === 'error');
    if (errors.length || !opened.modelConfig) {
      for (const d of errors) io.err(diagnosticLine(opened.file, d));
      if (!opened.modelConfig && !errors.length) io.err(`${opened.file}:1:1: no saved Keras model config in this file; export needs a .keras, .h5 or TF.js model.json (or a run)`);
      io.err(`nothing written: ${inArg} cannot be exported as it is`);
      return 1;
    }
    if (!opened.weights) {
      io.err(`${opened.file}:1:1: this file has no weights to export`);
      return 1;
    }
    const t0 = performance.now();
    const written = await exportModel(
      {
        modelConfig: opened.modelConfig,
        ...(opened.trainingConfig ? { trainingConfig: opened.trainingConfig } : {}),
        weights: opened.weights,
        source: src.source,
        ...(opened.savedBy?.startsWith('Keras ') ? { kerasVersion: opened.savedBy.slice(6) } : {}),
        ...(opened.optimizer ? { optimizer: opened.optimizer } : {}),
        note: (message) => io.err(`note: ${message}`),
      },
      format,
      out,
    );
    const m = opened.result.models[0];
    io.out(`wrote ${written} (${format === 'keras' ? 'Keras 3 .keras' : format === 'h5' ? 'Keras 2 .h5' : 'TF.js layers model'}) from ${src.source}: ${m?.name ?? 'model'}, ${m ? m.totalParams.toLocaleString('en-US') : '?'} params, ${Math.round(performance.now() - t0)} ms`);
    return 0;
  } catch (e) {
    io.err(`model-lens: ${(e as Error).message}`);
    return 1;
  } finally {
    opened?.close();
  }
}

export async function exportCommand(argv: string[], io: SummaryIO = processIO): Promise<number> {
  let p;
  try {
    p = parseArgs({ args: argv, allowPositionals: true, options: { to: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.err(`model-lens export: ${(e as Error).message}\nusage: ${exportUsage}`);
    return 2;
  }
  if (p.values.help) {
    io.out(`usage: ${exportUsage}\n\nWrites a run's weights (a run folder) or a saved model as a Keras 3 .keras, a Keras 2 .h5 or a TF.js layers model.`);
    return 0;
  }
  const to = p.values.to as ExportFormat | undefined;
  if (p.positionals.length !== 1 || !p.values.out || (to !== 'keras' && to !== 'h5' && to !== 'tfjs')) {
    io.err(`usage: ${exportUsage}`);
    return 2;
  }
  return run(p.positionals[0]!, to, p.values.out, io);
}

export async function convertCommand(argv: string[], io: SummaryIO = processIO): Promise<number> {
  let p;
  try {
    p = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.err(`model-lens convert: ${(e as Error).message}\nusage: ${convertUsage}`);
    return 2;
  }
  if (p.values.help) {
    io.out(`usage: ${convertUsage}`);
    return 0;
  }
  const out = p.values.out;
  const format = out ? formatFromPath(out) : undefined;
  if (p.positionals.length !== 1 || !out || !format) {
    io.err(`usage: ${convertUsage}`);
    return 2;
  }
  return run(p.positionals[0]!, format, out, io);
}
