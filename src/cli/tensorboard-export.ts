/**
 * `model-lens runs [FILE] --export-tensorboard DIR`: each run as a TensorBoard event file in
 * `DIR/<run>/` (core/run/tensorboard.ts encodes it), so `tensorboard --logdir DIR` shows the runs
 * side by side. Each file is written atomically and replaced when exported again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../core/run/record';
import { writeFileAtomic } from '../core/run/store';
import { eventFileName, runEventFile, runFolderName } from '../core/run/tensorboard';

export interface ExportedRun {
  run: string;
  file: string;
  epochs: number;
  batches: number;
}

export function exportTensorboard(runs: readonly RunRecord[], dir: string): ExportedRun[] {
  const out: ExportedRun[] = [];
  for (const r of runs) {
    const folder = path.join(dir, runFolderName(r));
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, eventFileName(r));
    writeFileAtomic(file, runEventFile(r));
    out.push({ run: r.id, file, epochs: r.epochs.length, batches: r.batches.length });
  }
  return out;
}
