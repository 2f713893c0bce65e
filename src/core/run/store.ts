/**
 * Runs on disk: `<runsRoot>/<id>/run.json` next to `<id>/weights/` (TF.js layers format).
 * Used by the worker (writes), the CLI and the extension host (lists, finds the latest run,
 * checks staleness). Node `fs` only — no tfjs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from './record';

export const RUN_FILE = 'run.json';
export const WEIGHTS_DIR = 'weights';

/** `<workspace>/.model-lens/runs` — the default runs root beside the model's workspace. */
export function defaultRunsRoot(workspace: string): string {
  return path.join(workspace, '.model-lens', 'runs');
}

/** Sortable, unique enough: `20261201-111500-3fa9`. */
export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${crypto.randomBytes(2).toString('hex')}`;
}

/** sha256 of a model file's text: a run's weights are stale once this changes. */
export function hashContent(text: string | Uint8Array): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Write a file atomically: a temporary file in the same folder, then rename over the target. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeRunRecord(runDir: string, record: RunRecord): void {
  writeFileAtomic(path.join(runDir, RUN_FILE), JSON.stringify(record));
}

/** The run in `runDir`, or undefined when there is none or it is unreadable. */
export function readRunRecord(runDir: string): RunRecord | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILE), 'utf8')) as RunRecord;
    return typeof r?.id === 'string' && typeof r.status === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Every readable run under the root, newest first. */
export function listRuns(runsRoot: string): RunRecord[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsRoot);
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const name of names) {
    const r = readRunRecord(path.join(runsRoot, name));
    if (r) runs.push(r);
  }
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}

/** The folder with the last good weights of a run (falls back to a save interrupted mid-swap). */
export function weightsDirOf(runDir: string): string | undefined {
  for (const d of [WEIGHTS_DIR, `${WEIGHTS_DIR}.prev`]) {
    const dir = path.join(runDir, d);
    if (fs.existsSync(path.join(dir, 'model.json'))) return dir;
  }
  return undefined;
}

/**
 * The newest completed run (with weights) of `modelName` in `modelFile`.
 * Paths are compared resolved, so relative and absolute spellings match.
 */
export function latestCompletedRun(runsRoot: string, modelFile: string, modelName: string): RunRecord | undefined {
  const file = path.resolve(modelFile);
  return listRuns(runsRoot).find(
    (r) => r.status === 'completed' && path.resolve(r.modelFile) === file && r.modelName === modelName && r.weightsDir !== undefined && fs.existsSync(path.join(r.weightsDir, 'model.json')),
  );
}

/** Weights are stale when the model file changed since the run started. */
export function isStale(record: RunRecord, currentHash: string): boolean {
  return record.modelHash !== currentHash;
}

/**
 * Replace `<parent>/<name>` with a freshly written folder atomically enough that a crash at any
 * point leaves either the old or the new complete folder: write into a temp folder, move the old
 * one aside to `<name>.prev`, rename the temp folder, then delete the old one.
 */
export function replaceDirAtomic(parent: string, name: string, write: (tmpDir: string) => void | Promise<void>): Promise<string> {
  fs.mkdirSync(parent, { recursive: true });
  const target = path.join(parent, name);
  const tmp = path.join(parent, `${name}.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
  const prev = path.join(parent, `${name}.prev`);
  fs.mkdirSync(tmp);
  return Promise.resolve()
    .then(() => write(tmp))
    .then(
      () => {
        fs.rmSync(prev, { recursive: true, force: true });
        if (fs.existsSync(target)) fs.renameSync(target, prev);
        fs.renameSync(tmp, target);
        fs.rmSync(prev, { recursive: true, force: true });
        return target;
      },
      (e: unknown) => {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw e;
      },
    );
}
