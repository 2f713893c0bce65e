/**
 * Paths read from workspace files (a run's `run.json`, a weights `model.json`) are untrusted:
 * they must stay inside the folder they belong to, symlinks included. Node `fs` only.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from './record';
import { WEIGHTS_DIR } from './store';

/** True when `child` is `parent` or below it, compared as written (no symlinks followed). */
export function isLexicallyInside(parent: string, child: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * `rel` resolved against `folder`, when both the path as written and its real location (every
 * symlink followed) stay inside `folder`'s real location; else an Error that says which path
 * escapes. The target must exist.
 */
export function resolveInside(folder: string, rel: string, what: string): string {
  if (typeof rel !== 'string' || rel === '' || path.isAbsolute(rel) || rel.includes('\0')) {
    throw new Error(`${what} '${String(rel)}' is not a relative path inside ${folder}`);
  }
  const full = path.resolve(folder, rel);
  if (!isLexicallyInside(folder, full)) throw new Error(`${what} '${rel}' points outside ${folder}; refused`);
  const realFolder = fs.realpathSync(folder);
  const real = fs.realpathSync(full);
  if (!isLexicallyInside(realFolder, real)) throw new Error(`${what} '${rel}' is a link to ${real}, outside ${folder}; refused`);
  return full;
}

/** A run id usable as one folder name (what `newRunId` makes; never `..` or a path). */
export function isSafeRunId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) && !id.includes('..');
}

/**
 * The weights folder of a run listed under `runsRoot`: `<runsRoot>/<id>/weights` (or the
 * `weights.prev` left by a save interrupted mid-swap), found from where the run lives — the
 * `weightsDir` written in run.json is not followed — and only when its real location is inside
 * the run's folder. Undefined when there are no usable weights.
 */
export function runWeightsDir(runsRoot: string, record: Pick<RunRecord, 'id'>): string | undefined {
  if (!isSafeRunId(record.id)) return undefined;
  const runDir = path.join(runsRoot, record.id);
  for (const d of [WEIGHTS_DIR, `${WEIGHTS_DIR}.prev`]) {
    try {
      const dir = resolveInside(runDir, d, 'weights folder');
      resolveInside(dir, 'model.json', 'weights model.json');
      return dir;
    } catch {
      // missing or outside the run: try the next one
    }
  }
  return undefined;
}

/** The record with `weightsDir` replaced by the contained one (`runWeightsDir`), or removed. */
export function withContainedWeights<R extends Pick<RunRecord, 'id' | 'weightsDir'>>(runsRoot: string, record: R): R {
  if (record.weightsDir === undefined) return record;
  const dir = runWeightsDir(runsRoot, record);
  if (dir === record.weightsDir) return record;
  const { weightsDir: _dropped, ...rest } = record;
  return (dir === undefined ? rest : { ...rest, weightsDir: dir }) as R;
}
