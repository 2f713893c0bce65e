import type { ReadResult } from '../model/ir';
export function readJsonModel(file: string, _text: string): ReadResult {
  return { file, models: [], diagnostics: [] };
}
