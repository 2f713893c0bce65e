/**
 * Reading a model file for the CLI, and the problems `summary` reports for it — one place, so
 * `train`, `evaluate` and `predict` refuse a file exactly when `summary` fails on it, with the
 * same lines. The file is read only when it is a regular file of a sane size (a FIFO or
 * /dev/zero would block or never end).
 */
import fs from 'node:fs';
import type { Diagnostic, ModelIR, ReadResult } from '../core/model/ir';

/** Largest model file read (a Keras JSON of a large model is a few MB). */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Why `file` cannot be read as a model file (a `FILE:1:1: …` line), or undefined when it is a
 * regular file. Opened without blocking, so a FIFO or a device is refused rather than waited on.
 */
export function checkModelFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return `${file}:1:1: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  try {
    return regularFileProblem(file, fs.fstatSync(fd));
  } finally {
    fs.closeSync(fd);
  }
}

function regularFileProblem(file: string, st: fs.Stats): string | undefined {
  if (st.isDirectory()) return `${file}:1:1: cannot read the file (it is a folder; give a .py or .json model file)`;
  if (!st.isFile()) return `${file}:1:1: cannot read the file (not a regular file: a pipe, device or socket)`;
  return undefined;
}

/** The text of `file`, or the `FILE:1:1: …` line saying why it cannot be read. */
export function readModelText(file: string): { text: string } | { error: string } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { error: `${file}:1:1: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    const st = fs.fstatSync(fd);
    const problem = regularFileProblem(file, st);
    if (problem) return { error: problem };
    if (st.size > MAX_MODEL_FILE_BYTES) {
      return { error: `${file}:1:1: the file is ${(st.size / 1024 / 1024).toFixed(0)} MiB; Model Lens reads model files up to ${MAX_MODEL_FILE_BYTES / 1024 / 1024} MiB` };
    }
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = fs.readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return { text: buf.subarray(0, at).toString('utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

export function diagnosticLine(file: string, d: Diagnostic): string {
  const where = `${file}:${d.range.line}:${d.range.column}`;
  return d.severity === 'error' ? `${where}: ${d.message}` : `${where}: ${d.severity}: ${d.message}`;
}

export interface ModelReport {
  /** The models shown: all, or those matching `wanted`. */
  models: ModelIR[];
  /** stderr lines, in order: diagnostics of the file and of the models shown, then other problems. */
  lines: string[];
  /** True when `summary` exits 1: an error diagnostic, no model, or no model of that name. */
  failed: boolean;
}

/** What `model-lens summary FILE [--model NAME]` reports about a read file. */
export function modelReport(file: string, result: ReadResult, wanted?: string): ModelReport {
  let models = result.models;
  const problems: string[] = [];
  if (wanted !== undefined) {
    models = models.filter((m) => m.name === wanted || m.variable === wanted);
    const unbuilt = result.unbuilt?.find((u) => u.name === wanted || u.variable === wanted);
    if (!models.length && unbuilt) problems.push(`${file}:${unbuilt.range.line}:${unbuilt.range.column}: ${unbuilt.message}`);
    else if (!models.length) {
      problems.push(`${file}:1:1: no model named '${wanted}'; the file has ${result.models.length ? result.models.map((m) => m.name).join(', ') : 'no models'}`);
    }
  } else if (!models.length && !result.diagnostics.some((d) => d.severity === 'error')) {
    problems.push(`${file}:1:1: no Keras model found (build one with keras.Model(inputs, outputs), keras.Sequential([...]) or Sequential() + model.add(...))`);
  }
  const diagnostics = [...result.diagnostics, ...models.flatMap((m) => m.diagnostics)];
  const lines = [...diagnostics.map((d) => diagnosticLine(file, d)), ...problems];
  return { models, lines, failed: problems.length > 0 || diagnostics.some((d) => d.severity === 'error') };
}
