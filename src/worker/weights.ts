/**
 * Weights in the TensorFlow.js layers format: `model.json` (topology + weights manifest) and
 * `weights.bin`, written into a temporary folder that then replaces `<runDir>/weights`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolveInside } from '../core/run/contained-path';
import { replaceDirAtomic, WEIGHTS_DIR } from '../core/run/store';
import { withKerasModelClasses, type ModelKind } from '../core/saved/model-classes';
import { tf } from './tf';

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type ModelArtifacts = import('@tensorflow/tfjs-core').io.ModelArtifacts;
type WeightsManifestGroupConfig = import('@tensorflow/tfjs-core').io.WeightsManifestConfig[number];

export class WeightsError extends Error {
  readonly code = 'weights';
}

/**
 * Save into `<runDir>/weights` atomically; returns the folder. `kind` (the model as the source
 * wrote it): its models are written with the classes Keras writes (`Sequential`, `Functional`),
 * where TF.js writes `Model` for every graph it built.
 */
export async function saveWeights(model: LayersModel, runDir: string, kind?: ModelKind): Promise<string> {
  let artifacts: ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = artifacts!;
  const data = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
  const modelJson = {
    format: 'layers-model',
    generatedBy: `Model Lens (TensorFlow.js ${tf.version_core})`,
    convertedBy: null,
    modelTopology: kind && a.modelTopology && typeof a.modelTopology === 'object' && !(a.modelTopology instanceof ArrayBuffer) ? withKerasModelClasses(a.modelTopology as never, kind) : a.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
  };
  return replaceDirAtomic(runDir, WEIGHTS_DIR, (tmp) => {
    fs.writeFileSync(path.join(tmp, 'weights.bin'), new Uint8Array(data));
    fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(modelJson));
  });
}

/** Largest `model.json` read (the topology of a big model is a few MB). */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes one weight takes in weights.bin, from its spec; throws on a spec that is not plain data. */
function specBytes(spec: unknown, where: string): number {
  const s = spec as { name?: unknown; shape?: unknown; dtype?: unknown; quantization?: { dtype?: unknown } };
  if (typeof s?.name !== 'string') throw new Error(`${where}: a weight without a name`);
  if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) throw new Error(`${where}: weight '${s.name}' has an invalid shape`);
  const stored = s.quantization ? s.quantization.dtype : s.dtype;
  const per = typeof stored === 'string' ? DTYPE_BYTES[stored] : undefined;
  if (per === undefined || (s.quantization && !['uint8', 'uint16', 'float16'].includes(stored as string))) {
    throw new Error(`${where}: weight '${s.name}' has dtype ${String(stored)}, which is not supported here`);
  }
  const n = (s.shape as number[]).reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n * per)) throw new Error(`${where}: weight '${s.name}' is too large`);
  return n * per;
}

/**
 * Reads a weights folder's manifest and data, treating both as untrusted: every path must
 * resolve (symlinks followed) inside `dir` and be a regular file, and the files' total size must
 * equal what the weight specs need — checked before anything is read.
 */
export function readWeightsFolder(dir: string): { specs: WeightsManifestGroupConfig['weights']; data: ArrayBuffer } {
  const jsonFile = path.join(dir, 'model.json');
  try {
    const real = resolveInside(dir, 'model.json', 'model.json');
    const st = fs.statSync(real);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_MODEL_JSON_BYTES) throw new Error(`${st.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} a model.json may have`);
    const manifest = (JSON.parse(fs.readFileSync(real, 'utf8')) as { weightsManifest?: unknown }).weightsManifest;
    if (!Array.isArray(manifest)) throw new Error('no weightsManifest array');
    const specs: WeightsManifestGroupConfig['weights'] = [];
    const files: { file: string; size: number }[] = [];
    let need = 0;
    for (const group of manifest as { paths?: unknown; weights?: unknown }[]) {
      if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) throw new Error('a weightsManifest entry without paths and weights arrays');
      for (const w of group.weights) need += specBytes(w, 'weightsManifest');
      specs.push(...(group.weights as WeightsManifestGroupConfig['weights']));
      for (const p of group.paths as unknown[]) {
        const file = resolveInside(dir, p as string, 'weights path');
        const fst = fs.statSync(file);
        if (!fst.isFile()) throw new Error(`weights path '${String(p)}' is not a regular file`);
        files.push({ file, size: fst.size });
      }
    }
    const have = files.reduce((a, f) => a + f.size, 0);
    if (have !== need) throw new Error(`the weight files hold ${have} bytes but the manifest describes ${need}`);
    const data = new Uint8Array(have);
    let at = 0;
    for (const f of files) {
      const fd = fs.openSync(f.file, 'r');
      try {
        at += fs.readSync(fd, data, at, f.size, 0);
      } finally {
        fs.closeSync(fd);
      }
    }
    if (at !== have) throw new Error('a weight file changed while it was read');
    return { specs, data: data.buffer };
  } catch (e) {
    throw new WeightsError(`${jsonFile}: cannot read the weights (${(e as Error).message}). Train again or point --weights at a run's weights folder.`);
  }
}

/** Load weights saved by `saveWeights` (or any TF.js layers model.json) into a built model, by name. */
export function loadWeightsInto(model: LayersModel, dir: string): void {
  const { specs, data } = readWeightsFolder(dir);
  const named = tf.io.decodeWeights(data, specs);
  try {
    model.loadWeights(named, true);
  } catch (e) {
    throw new WeightsError(`${dir}: the weights do not fit this model (${(e as Error).message}). The model changed since they were saved; train again.`);
  } finally {
    for (const t of Object.values(named)) t.dispose();
  }
}
