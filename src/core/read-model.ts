/**
 * The one entry point for reading a model file: detects the format (Keras Python source, or a
 * Keras/TF.js JSON model), then reads it into the model IR. Never throws: problems come back as
 * diagnostics with file, line and column.
 */
import type { ReadResult } from './model/ir';
import { readJsonModel } from './keras/json-reader';
import { readPython } from './keras/python-reader';
import { randomSeedInSource } from './keras/training-config';
import { DEFAULT_LIMITS } from './python/budget';
import type { LoadAccess } from './saved/loaded-model';

export type ModelFormat = 'python' | 'json';

/** Detect only (netron's `match()`): by extension, else by content. */
export function detectFormat(file: string, text: string): ModelFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.py') || lower.endsWith('.pyw')) return 'python';
  return /^\s*\{/.test(text) ? 'json' : 'python';
}

/** `access`: where saved files named in the source (load_model, load_weights) may be read from. */
export function readModel(file: string, text: string, access: LoadAccess = {}): ReadResult {
  try {
    if (detectFormat(file, text) === 'json') return readJsonModel(file, text);
    const result = readPython(file, text, DEFAULT_LIMITS, access);
    // A file-wide random seed applies to every model the file trains.
    const seed = randomSeedInSource(text);
    if (seed) for (const m of result.models) Object.assign(m.training, { seed: seed.seed, seedLine: seed.line });
    return result;
  } catch (e) {
    return {
      file,
      models: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'internal',
          file,
          range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
          message: `Model Lens could not read this file (${e instanceof Error ? e.message : String(e)}); please report it with the file attached`,
        },
      ],
    };
  }
}
