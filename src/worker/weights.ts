/**
 * Weights in the TensorFlow.js layers format: `model.json` (topology + weights manifest) and
 * `weights.bin`, written into a temporary folder that then replaces `<runDir>/weights`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { replaceDirAtomic, WEIGHTS_DIR } from '../core/run/store';
import { tf } from './tf';

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type ModelArtifacts = import('@tensorflow/tfjs-core').io.ModelArtifacts;
type WeightsManifestGroupConfig = import('@tensorflow/tfjs-core').io.WeightsManifestConfig[number];

export class WeightsError extends Error {
  readonly code = 'weights';
}

/** Save into `<runDir>/weights` atomically; returns the folder. */
export async function saveWeights(model: LayersModel, runDir: string): Promise<string> {
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
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
  };
  return replaceDirAtomic(runDir, WEIGHTS_DIR, (tmp) => {
    fs.writeFileSync(path.join(tmp, 'weights.bin'), new Uint8Array(data));
    fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(modelJson));
  });
}

/** Load weights saved by `saveWeights` (or any TF.js layers model.json) into a built model, by name. */
export function loadWeightsInto(model: LayersModel, dir: string): void {
  const jsonFile = path.join(dir, 'model.json');
  let manifest: WeightsManifestGroupConfig[];
  try {
    manifest = (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { weightsManifest: WeightsManifestGroupConfig[] }).weightsManifest;
  } catch (e) {
    throw new WeightsError(`${jsonFile}: cannot read the weights manifest (${(e as Error).message}). Train again or point --weights at a run's weights folder.`);
  }
  const specs = manifest.flatMap((m) => m.weights);
  const buffers = manifest.flatMap((m) => m.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const total = Buffer.concat(buffers);
  const bytes = total.buffer.slice(total.byteOffset, total.byteOffset + total.byteLength);
  const named = tf.io.decodeWeights(bytes, specs);
  try {
    model.loadWeights(named, true);
  } catch (e) {
    throw new WeightsError(`${dir}: the weights do not fit this model (${(e as Error).message}). The model changed since they were saved; train again.`);
  } finally {
    for (const t of Object.values(named)) t.dispose();
  }
}
