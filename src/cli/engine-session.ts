/**
 * What the engine commands (train, evaluate, predict, bench) share: argument parsing, reading the
 * model file, starting the worker, printing. No tfjs here — the worker does the work.
 */
import path from 'node:path';
import type { ModelIR } from '../core/model/ir';
import { builtinDatasetName } from '../core/data/dataset-names';
import type { BackendChoice, BackendInfo } from '../core/protocol/worker';
import { hashContent } from '../core/run/store';
import { readModel } from '../core/read-model';
import { h5ready } from '../core/saved/hdf5';
import { needsHdf5, type LoadAccess } from '../core/saved/loaded-model';
import { WorkerClient } from '../worker/client';
import { modelReport, readModelText } from './model-file';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Progress bar redraw (no newline); only called when `tty`. */
  status(text: string): void;
  tty: boolean;
  columns: number;
}

export const stdio: CliIO = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  status: (t) => process.stderr.write(`\r\x1b[2K${t}`),
  tty: Boolean(process.stderr.isTTY),
  columns: process.stderr.columns ?? 100,
};

export class UsageError extends Error {}

export interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value`, boolean `--json`; `booleans` lists the flags without values. */
export function parseArgs(argv: string[], known: string[], booleans: string[] = []): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!known.includes(name) && !booleans.includes(name)) {
      throw new UsageError(`unknown option --${name} (options: ${[...known, ...booleans].map((k) => `--${k}`).join(' ')})`);
    }
    if (booleans.includes(name)) flags.set(name, true);
    else if (eq >= 0) flags.set(name, a.slice(eq + 1));
    else {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    }
  }
  return { positional, flags };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function int(p: Parsed, name: string, min = 1): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got '${v}')`);
  return n;
}

export function backendChoice(p: Parsed): BackendChoice {
  const b = str(p, 'backend') ?? 'auto';
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(b)) throw new UsageError(`--backend must be auto, tensorflow, wasm or cpu (got '${b}')`);
  return b as BackendChoice;
}

/** `--dataset X` or its short form `--data X` (not both). */
export function dataFlag(p: Parsed): string | undefined {
  const a = str(p, 'dataset');
  const b = str(p, 'data');
  if (a !== undefined && b !== undefined && a !== b) throw new UsageError(`--data and --dataset name the same thing; give one (got '${b}' and '${a}')`);
  return a ?? b;
}

/** A built-in dataset (`mnist`, `fashion-mnist`, `cifar10`, `cifar100`, `cifar100-coarse`), or a path made absolute. */
export function datasetArg(value: string | undefined, fallback: string | undefined): string {
  const v = value ?? fallback ?? 'mnist';
  return builtinDatasetName(v) ?? path.resolve(v);
}

export interface LoadedModel {
  file: string;
  text: string;
  hash: string;
  ir: ModelIR;
}

/** A model file that `summary` fails on: its lines are already printed; exit 1. */
export class ModelFileError extends Error {}

/**
 * Read the file and pick the model (`--model NAME`, else `defaultModel`). A file that
 * `model-lens summary FILE [--model NAME]` fails on is refused with the same lines on stderr
 * (and exit 1): a syntax error elsewhere in the file counts — it may change the model.
 */
export function loadModelFile(file: string, name: string | undefined, io: CliIO): LoadedModel {
  const abs = path.resolve(file);
  const read = readModelText(file);
  if ('error' in read) {
    io.err(read.error);
    throw new ModelFileError(`cannot read ${file}`);
  }
  const text = read.text;
  const result = readModel(abs, text, cliAccess(abs));
  const report = modelReport(file, result, name);
  for (const l of report.lines) io.err(l);
  if (report.failed) {
    throw new ModelFileError(`${file}: not used — \`model-lens summary\` fails on it (the lines above); fix the errors first`);
  }
  const models = report.models;
  // The file trains a model Keras never builds (a GAN/VAE wrapper's own train_step): training
  // another model of the file in its place would not be the file's training.
  const wrapper = result.unbuilt?.[0];
  if (!name && wrapper && !models.some((m) => m.training.fitLine !== undefined || m.training.compileLine !== undefined)) {
    // (Its line was said above, with the file's other diagnostics.)
    throw new ModelFileError(`${file}: model '${wrapper.name}' (line ${wrapper.range.line}) is not one Model Lens can train — choose one of ${models.map((m) => `'${m.name}'`).join(', ') || 'its models'} with --model NAME to train it with its own compile settings`);
  }
  const ir = name ? models[0]! : defaultModel(models);
  if (!name && models.length > 1) io.err(`note: ${file} defines ${models.length} models (${models.map((m) => m.name).join(', ')}); using '${ir.name}' (choose with --model NAME)`);
  return { file: abs, text, hash: hashContent(text), ir };
}

/**
 * The model a file trains when none is named: not one used as a layer of another (a base, a block),
 * and of those the first the file compiles or fits; else the first.
 */
export function defaultModel(models: ModelIR[]): ModelIR {
  const inner = new Set<string>();
  const visit = (m: ModelIR) => {
    for (const l of m.layers) {
      if (!l.nested) continue;
      inner.add(l.nested.model);
      if (l.nested.graph) visit(l.nested.graph);
    }
  };
  models.forEach(visit);
  const outer = models.filter((m) => !inner.has(m.name));
  return outer.find((m) => m.training.fitLine !== undefined || m.training.compileLine !== undefined) ?? outer[0] ?? models[0]!;
}

/**
 * Where saved models named in a .py (load_model, load_weights) may be read from on the command
 * line: the current folder when the .py is inside it (the "workspace"), else the .py's own folder.
 */
export function cliAccess(file: string): LoadAccess {
  const cwd = process.cwd();
  const rel = path.relative(cwd, path.resolve(file));
  return { workspaceRoot: rel.startsWith('..') || path.isAbsolute(rel) ? path.dirname(path.resolve(file)) : cwd };
}

/** Loads the HDF5 library first when a .py names saved files (the reader itself is synchronous). */
export async function prepareSavedReads(file: string): Promise<void> {
  const read = readModelText(file);
  if (!('error' in read) && needsHdf5(read.text)) await h5ready();
}

export interface Engine {
  client: WorkerClient;
  backend: BackendInfo;
}

export async function startEngine(backend: BackendChoice, io: CliIO, options: { quiet?: boolean } = {}): Promise<Engine> {
  const client = new WorkerClient({
    onStderr: (t) => {
      // tfjs prints a hint about tfjs-node on first use; the backend line below says it better.
      if (!/tfjs-node|Hi there|speed things up|=====/i.test(t)) process.stderr.write(t);
    },
  });
  client.on('log', (l) => {
    if (l.level !== 'info') io.err(`${l.level}: ${l.message}`);
  });
  let info: BackendInfo;
  try {
    info = await client.request('init', { backend });
  } catch (e) {
    await client.dispose();
    throw e;
  }
  if (!options.quiet) io.err(`backend: ${info.backend} (${info.reason})`);
  return { client, backend: info };
}

export function fmtDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Run a command body, turning errors into a message and an exit code. */
export async function runCommand(io: CliIO, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`model-lens: ${e.message}`);
      return 2;
    }
    io.err(`model-lens: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}
