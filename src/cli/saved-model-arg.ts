/**
 * The model argument of train/evaluate/predict when it may be a saved model (.keras, .h5, TF.js
 * model.json with weights): read by its bytes; such a file brings its own weights, its training
 * config and a stated input scaling (`--input-scale X` overrides it). Anything else goes through
 * the source/JSON path (loadModelFile), unchanged.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openModelFile } from '../core/saved/open-saved';
import { sniffFile } from '../core/saved/sniff';
import { loadModelFile, ModelFileError, prepareSavedReads, UsageError, type CliIO, type LoadedModel } from './engine-session';
import { checkModelFile, modelReport } from './model-file';

export interface AnyModel extends LoadedModel {
  /** Set for a saved model with weights: the worker loads them from here. */
  savedFile?: string;
  savedBy?: string;
}

function hashFile(file: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (!n) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

export async function loadAnyModel(file: string, name: string | undefined, io: CliIO, inputScale?: string): Promise<AnyModel> {
  const unreadable = checkModelFile(file);
  if (unreadable) {
    io.err(unreadable);
    throw new ModelFileError(`cannot read ${file}`);
  }
  const kind = sniffFile(file);
  let m: AnyModel;
  if (kind === 'hdf5' || kind === 'zip' || (kind === 'json' && isTfjsWithWeights(file))) {
    const abs = path.resolve(file);
    const o = await openModelFile(abs);
    try {
      const report = modelReport(file, o.result, name);
      for (const l of report.lines) io.err(l);
      if (report.failed) throw new ModelFileError(`${file}: not used — \`model-lens summary\` fails on it (the lines above); fix the errors first`);
      const ir = report.models[0]!;
      m = {
        file: abs,
        text: JSON.stringify(o.modelConfig ?? {}),
        hash: hashFile(abs),
        ir,
        ...(o.weights ? { savedFile: abs } : {}),
        ...(o.savedBy ? { savedBy: o.savedBy } : {}),
      };
    } finally {
      o.close();
    }
  } else {
    await prepareSavedReads(file);
    m = loadModelFile(file, name, io);
    if (m.ir.startWeights) io.err(`starting from the weights in ${m.ir.startWeights.file} (${m.ir.startWeights.kind === 'model' ? 'load_model' : 'load_weights'} at line ${m.ir.startWeights.line})`);
  }
  if (inputScale !== undefined) {
    const v = inputScale.includes('/') ? Number(inputScale.split('/')[0]) / Number(inputScale.split('/')[1]) : Number(inputScale);
    if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`--input-scale must be a positive number such as 1, 0.00392 or 1/255 (got '${inputScale}')`);
    m.ir.training.inputScale = v;
    m.ir.training.inputScaleSource = `pixels × ${inputScale} (--input-scale)`;
  }
  if (m.ir.training.inputScaleSource) io.err(`input scaling: ${m.ir.training.inputScaleSource}`);
  return m;
}

function isTfjsWithWeights(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (st.size > 64 << 20) return false;
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { weightsManifest?: unknown; modelTopology?: unknown };
    return Array.isArray(j.weightsManifest) && typeof j.modelTopology === 'object';
  } catch {
    return false;
  }
}
