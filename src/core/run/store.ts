/**
 * Runs on disk: `<runsRoot>/<id>/run.json` next to `<id>/weights/` (TF.js layers format).
 * Used by the worker (writes), the CLI and the extension host (lists, finds the latest run,
 * checks staleness). Node `fs` only — no tfjs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BatchPoint, RunRecord } from './record';
import { latestWithWeights, settleRuns } from './run-model';
import type { ModelIR } from '../model/ir';
import { RunFileError, validateBatchPoints, validateRunModel, validateRunRecord } from './validate-record';

export { RunFileError } from './validate-record';

export const RUN_FILE = 'run.json';
export const WEIGHTS_DIR = 'weights';
/** The lock a training holds on its run folder (pid and host inside). */
export const LOCK_FILE = '.lock';
/** A running worker rewrites run.json at least this often (between batches). */
export const HEARTBEAT_MS = 15_000;
/** run.json larger than this is refused unread (a run writes well under 2 MB). */
const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

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

/** `<name>.tmp-<pid>-<random>`: the pid says whose it is, so leftovers of dead processes can go. */
function tmpName(name: string): string {
  return `${name}.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
}
const TMP_RE = /\.tmp-(\d+)-[0-9a-f]+$/;

/** Write a file atomically: a temporary file in the same folder, then rename over the target. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), tmpName(path.basename(file)));
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Keeps the model file's text as it was when the run started, as `source<ext>` in the run folder
 * (the extension keeps editors' syntax colouring in a diff). Returns the file name.
 */
export function writeSourceSnapshot(runDir: string, modelFile: string, text: string): string {
  const ext = path.extname(modelFile);
  const name = `source${/^\.[A-Za-z0-9]{1,8}$/.test(ext) ? ext : '.txt'}`;
  writeFileAtomic(path.join(runDir, name), text);
  return name;
}

/** The snapshot of a run's model file, or undefined when the run kept none (or it is gone). */
export function readSourceSnapshot(runDir: string, record: RunRecord): string | undefined {
  if (!record.sourceSnapshot) return undefined;
  try {
    return fs.readFileSync(path.join(runDir, record.sourceSnapshot), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * run.json's layout: the record's small fields, then its batch curve, then its model as the last
 * key. A reader takes it apart cheaply (`splitRunText`): a runs table needs neither the curve (up to
 * 4,000 points, most of the file) nor more than one parse of each distinct model.
 */
const MODEL_KEY = ',"model":';
const BATCHES_KEY = ',"batches":';

export function writeRunRecord(runDir: string, record: RunRecord): void {
  const { model, batches, ...rest } = record;
  const head = JSON.stringify(rest).slice(0, -1);
  const withCurve = `${head}${head.length > 1 ? BATCHES_KEY : BATCHES_KEY.slice(1)}${JSON.stringify(batches)}`;
  writeFileAtomic(path.join(runDir, RUN_FILE), model ? `${withCurve}${MODEL_KEY}${JSON.stringify(model)}}` : `${withCurve}}`);
}

/**
 * run.json as Model Lens writes it: the record, its batch curve, then its model as the last key
 * (older versions wrote the curve mid-record and the model last: the model is still split off).
 * Returns the parsed record without curve and model, with the texts of those two, or undefined when
 * the text is not laid out so (a hand-written file: parse it whole). Safe on any text: a JSON string
 * cannot hold an unescaped quote, so `,"batches":` and `,"model":` outside strings are syntax; the
 * head parses only when the cut is at the top level, and the curve and the model are parsed (and
 * checked) on their own, so a cut anywhere else fails to parse and the file is read whole. One pass:
 * the curve (most of the file) is only searched for its closing bracket.
 */
function splitRunText(text: string): { head: Record<string, unknown>; batchesText?: string; modelText?: string } | undefined {
  if (!text.endsWith('}')) return undefined;
  let headEnd = -1;
  let batchesText: string | undefined;
  let modelAt = -1;
  const batchesAt = text.indexOf(BATCHES_KEY);
  if (batchesAt >= 0) {
    // An array of flat points (numbers only): its first `]` is its end.
    const start = batchesAt + BATCHES_KEY.length;
    const close = text.indexOf(']', start);
    if (text[start] === '[' && close > 0) {
      const after = close + 1;
      if (after === text.length - 1) [headEnd, batchesText] = [batchesAt, text.slice(start, after)];
      else if (text.startsWith(MODEL_KEY, after)) [headEnd, batchesText, modelAt] = [batchesAt, text.slice(start, after), after];
    }
  }
  if (headEnd < 0) {
    // The older layout: the curve mid-record, the model last.
    modelAt = text.indexOf(MODEL_KEY, batchesAt >= 0 ? batchesAt : 0);
    if (modelAt < 0) return undefined;
    headEnd = modelAt;
  }
  let head: unknown;
  try {
    head = JSON.parse(`${text.slice(0, headEnd)}}`);
  } catch {
    return undefined;
  }
  if (typeof head !== 'object' || head === null || Array.isArray(head)) return undefined;
  const out: { head: Record<string, unknown>; batchesText?: string; modelText?: string } = { head: head as Record<string, unknown> };
  if (batchesText !== undefined) out.batchesText = batchesText;
  if (modelAt >= 0) out.modelText = text.slice(modelAt + MODEL_KEY.length, -1);
  return out;
}

/**
 * Checked models by their text: the runs of one version of a model file carry the same model, so a
 * runs folder of 1,000 runs parses and checks each distinct model once (its text is compared whole).
 * Bounded: the oldest entries go beyond `MAX_CACHED_MODEL_CHARS` of model text.
 */
const modelCache = new Map<string, ModelIR>();
let cachedModelChars = 0;
const MAX_CACHED_MODEL_CHARS = 64 * 1024 * 1024;

function checkedModel(modelText: string, file: string): ModelIR {
  const hit = modelCache.get(modelText);
  if (hit) return hit;
  const m = validateRunModel(JSON.parse(modelText) as unknown, file);
  if (modelText.length <= MAX_CACHED_MODEL_CHARS / 4) {
    modelCache.set(modelText, m);
    cachedModelChars += modelText.length;
    for (const k of modelCache.keys()) {
      if (cachedModelChars <= MAX_CACHED_MODEL_CHARS) break;
      cachedModelChars -= k.length;
      modelCache.delete(k);
    }
  }
  return m;
}

/**
 * The run in `runDir`, checked (`validateRunRecord`): `{ record }`, `{ error }` naming the file when
 * run.json is unreadable or invalid, or `{}` when the folder has no run.json. `weightsDir` comes from
 * the folder (the last good save), never from the file.
 */
export function readRun(runDir: string, opts: ReadRunOptions = {}): { record?: RunRecord; error?: RunFileError } {
  const file = path.join(runDir, RUN_FILE);
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { error: new RunFileError(file, 'not a regular file') };
    if (st.size > MAX_RUN_FILE_BYTES) return { error: new RunFileError(file, `${st.size} bytes, more than a run writes (${MAX_RUN_FILE_BYTES})`) };
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? {} : { error: new RunFileError(file, `cannot read it (${code ?? (e as Error).message})`) };
  }
  // Model Lens's own layout first (each distinct model parsed and checked once, the curve when it is
  // asked for), else the whole text.
  const split = splitRunText(text);
  if (split) {
    let model: ModelIR | undefined;
    let batches: BatchPoint[] | undefined;
    let whole = false;
    try {
      if (split.modelText !== undefined) model = checkedModel(split.modelText, file);
      if (split.batchesText !== undefined && !opts.lazyCurve) batches = validateBatchPoints(JSON.parse(split.batchesText) as unknown, file);
    } catch (e) {
      if (!(e instanceof SyntaxError)) return e instanceof RunFileError ? { error: e } : { error: new RunFileError(file, (e as Error).message) };
      whole = true; // the cuts were not where this layout puts them: read it whole below
    }
    if (!whole) {
      const r = checked(runDir, split.head, file, model);
      if (r.record && split.batchesText !== undefined) {
        if (batches) r.record.batches = batches;
        else deferCurve(r.record, file, opts.onProblem);
      }
      return r;
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: new RunFileError(file, `not JSON (${(e as Error).message})`) };
  }
  return checked(runDir, data, file);
}

export interface ReadRunOptions {
  /**
   * Leave the batch curve unparsed until `batches` is first read (a runs table lists 1,000 runs and
   * draws the curves of a few). A curve that then turns out bad is reported to `onProblem` (naming
   * the file) and read as no points.
   */
  lazyCurve?: boolean;
  onProblem?: (e: RunFileError) => void;
}

/** Records whose curve is still unparsed text. */
const pendingCurves = new WeakSet<RunRecord>();

function deferCurve(record: RunRecord, file: string, onProblem?: (e: RunFileError) => void): void {
  let points: BatchPoint[] | undefined;
  pendingCurves.add(record);
  Object.defineProperty(record, 'batches', {
    enumerable: true,
    configurable: true,
    get(): BatchPoint[] {
      if (!points) {
        pendingCurves.delete(record);
        try {
          points = readCurve(file);
        } catch (e) {
          points = [];
          onProblem?.(e instanceof RunFileError ? e : new RunFileError(file, `batches: ${(e as Error).message}`));
        }
      }
      return points;
    },
    set(v: BatchPoint[]) {
      pendingCurves.delete(record);
      points = v;
    },
  });
}

/**
 * A run's batch curve, read from its run.json when first asked for (the listing keeps no text: 1,000
 * runs' curves are tens of MB).
 */
function readCurve(file: string): BatchPoint[] {
  const st = fs.statSync(file);
  if (st.size > MAX_RUN_FILE_BYTES) throw new RunFileError(file, `${st.size} bytes, more than a run writes (${MAX_RUN_FILE_BYTES})`);
  const text = fs.readFileSync(file, 'utf8');
  const curve = splitRunText(text)?.batchesText;
  if (curve === undefined) throw new RunFileError(file, 'its batch curve is not where Model Lens writes it (the file was changed); delete or fix that run folder');
  return validateBatchPoints(JSON.parse(curve) as unknown, file);
}

/** Whether the run's curve is still unparsed (`lazyCurve`): reading `batches` would parse it. */
export function curveDeferred(record: RunRecord): boolean {
  return pendingCurves.has(record);
}

function checked(runDir: string, data: unknown, file: string, model?: ModelIR): { record?: RunRecord; error?: RunFileError } {
  try {
    const record = validateRunRecord(data, file);
    if (model) record.model = model;
    const weights = weightsDirOf(runDir);
    if (weights) record.weightsDir = weights;
    return { record };
  } catch (e) {
    if (e instanceof RunFileError) return { error: e };
    throw e;
  }
}

/** The run in `runDir`, or undefined when there is none or it is unreadable or invalid. */
export function readRunRecord(runDir: string): RunRecord | undefined {
  return readRun(runDir).record;
}

/**
 * Every valid run under the root, newest first. Invalid run.json files are skipped and reported
 * to `onProblem` (each message names the file).
 */
export function listRuns(runsRoot: string, onProblem?: (e: RunFileError) => void): RunRecord[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsRoot);
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const { record, error } = readRun(path.join(runsRoot, name));
    if (record) runs.push(record);
    else if (error) onProblem?.(error);
  }
  return runs.sort(newestFirst);
}

/**
 * `listRuns` for a long-lived reader (the extension host): a run folder whose run.json has the same
 * modification time, size and inode as at the last read is not read again. Finished runs never
 * change, so reopening a runs table with 1,000 runs costs 1,000 stats instead of parsing and
 * checking 1,000 records again. Changed files are read and checked as in `listRuns`; a problem is
 * reported on every listing, as there. The records returned are shared: do not mutate them. Their
 * batch curves are parsed when first read (`lazyCurve`): a table of runs does not need them.
 */
export class RunListCache {
  private readonly entries = new Map<string, { stamp: string; record?: RunRecord; error?: RunFileError }>();

  list(runsRoot: string, onProblem?: (e: RunFileError) => void): RunRecord[] {
    let names: string[];
    try {
      names = fs.readdirSync(runsRoot);
    } catch {
      return [];
    }
    const runs: RunRecord[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const dir = path.join(runsRoot, name);
      seen.add(dir);
      let stamp: string;
      try {
        const st = fs.statSync(path.join(dir, RUN_FILE));
        // The weights folder's presence is part of the record (weightsDirOf): stamp it too.
        stamp = `${st.mtimeMs}:${st.size}:${st.ino}:${weightsDirOf(dir) ?? ''}`;
      } catch {
        this.entries.delete(dir);
        const { record, error } = readRun(dir, { lazyCurve: true, onProblem });
        if (record) runs.push(record);
        else if (error) onProblem?.(error);
        continue;
      }
      let e = this.entries.get(dir);
      if (!e || e.stamp !== stamp) {
        e = { stamp, ...readRun(dir, { lazyCurve: true, onProblem }) };
        this.entries.set(dir, e);
      }
      if (e.record) runs.push(e.record);
      else if (e.error) onProblem?.(e.error);
    }
    const parent = path.dirname(path.join(runsRoot, 'x'));
    for (const k of this.entries.keys()) if (path.dirname(k) === parent && !seen.has(k)) this.entries.delete(k);
    return runs.sort(newestFirst);
  }
}

function newestFirst(a: RunRecord, b: RunRecord): number {
  return a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0;
}

/** Whether a process with this pid exists (on this machine). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs that say `running` but whose process is gone become `interrupted` (see `settleRun`). */
export function settleOnThisMachine(runs: readonly RunRecord[], activeIds?: ReadonlySet<string>, now = Date.now()): RunRecord[] {
  return settleRuns(runs, { now, hostname: os.hostname(), isAlive: isProcessAlive, ...(activeIds ? { activeIds } : {}) });
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
 * The newest run of `modelName` in `modelFile` with usable weights (the rule of
 * `hasUsableWeights`: completed, stopped or interrupted, with a saved weights folder).
 * Paths are compared resolved, so relative and absolute spellings match.
 */
export function latestUsableRun(runsRoot: string, modelFile: string, modelName: string): RunRecord | undefined {
  const file = path.resolve(modelFile);
  const runs = settleOnThisMachine(listRuns(runsRoot)).map((r) => ({ ...r, modelFile: path.resolve(r.modelFile) }));
  return latestWithWeights(runs, file, modelName, (d) => fs.existsSync(path.join(d, 'model.json')));
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
  const tmp = path.join(parent, tmpName(name));
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

/**
 * Removes what interrupted saves left in one run folder: `*.tmp-<pid>-*` files and folders whose
 * process is gone, and `weights.prev` when `weights` is complete and no live training holds the
 * folder. Never touches a live process's temp files. Returns the paths removed.
 */
export function cleanRunDir(runDir: string, isAlive: (pid: number) => boolean = isProcessAlive): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(runDir);
  } catch {
    return removed;
  }
  for (const n of names) {
    const m = TMP_RE.exec(n);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) {
      const full = path.join(runDir, n);
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(full);
    }
  }
  const prev = path.join(runDir, `${WEIGHTS_DIR}.prev`);
  if (names.includes(`${WEIGHTS_DIR}.prev`) && fs.existsSync(path.join(runDir, WEIGHTS_DIR, 'model.json')) && !lockHeld(runDir, isAlive)) {
    fs.rmSync(prev, { recursive: true, force: true });
    removed.push(prev);
  }
  return removed;
}

/** `cleanRunDir` for every run folder (a folder with a run.json) under the runs root. */
export function cleanLeftovers(runsRoot: string, isAlive: (pid: number) => boolean = isProcessAlive): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(runsRoot, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isDirectory() && fs.existsSync(path.join(runsRoot, e.name, RUN_FILE))).flatMap((e) => cleanRunDir(path.join(runsRoot, e.name), isAlive));
}

export class RunBusyError extends Error {
  readonly code = 'busy';
}

function readLock(runDir: string): { pid: number; host: string } | undefined {
  try {
    const l = JSON.parse(fs.readFileSync(path.join(runDir, LOCK_FILE), 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof l.pid === 'number' && typeof l.host === 'string' ? { pid: l.pid, host: l.host } : undefined;
  } catch {
    return undefined;
  }
}

function lockHeld(runDir: string, isAlive: (pid: number) => boolean): boolean {
  const l = readLock(runDir);
  return !!l && l.host === os.hostname() && isAlive(l.pid);
}

/**
 * Takes the run folder for one training: a lock file created exclusively, with this pid and host.
 * A second training into the same folder is refused while the first one's process lives; a lock
 * left by a dead process is taken over. Returns the release function.
 */
export function lockRunDir(runDir: string, isAlive: (pid: number) => boolean = isProcessAlive): () => void {
  fs.mkdirSync(runDir, { recursive: true });
  const file = path.join(runDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === mine) fs.rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = readLock(runDir);
    if (held && (held.host !== os.hostname() || isAlive(held.pid))) {
      throw new RunBusyError(`${runDir} is in use by another training (pid ${held.pid}${held.host !== os.hostname() ? ` on ${held.host}` : ''}); wait for it to finish or save into another folder.`);
    }
    // Stale (its process is gone) or unreadable: take it over. Rename first, so only one taker wins.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
      const moved = (() => {
        try {
          return JSON.parse(fs.readFileSync(aside, 'utf8')) as { pid?: unknown; host?: unknown };
        } catch {
          return undefined;
        }
      })();
      // Another taker replaced the stale lock between our read and our rename: give it back.
      if (moved && moved.host === os.hostname() && typeof moved.pid === 'number' && moved.pid !== held?.pid && isAlive(moved.pid)) {
        try {
          fs.linkSync(aside, file);
        } catch {
          /* a third process holds it now; our next attempt finds out */
        }
      }
      fs.rmSync(aside, { force: true });
    } catch {
      /* another process took it over first; try again */
    }
  }
  throw new RunBusyError(`${runDir} is in use by another training; save into another folder.`);
}
