/** `--weights DIR` for evaluate/predict: a weights folder, a run folder, or the latest run of the model. */
import fs from 'node:fs';
import path from 'node:path';
import { runWeightsDir } from '../core/run/contained-path';
import { defaultRunsRoot, latestUsableRun, weightsDirOf } from '../core/run/store';
import { UsageError } from './engine-session';

export function resolveWeights(given: string | undefined, modelFile: string, modelName: string): string {
  if (given) {
    const abs = path.resolve(given);
    if (fs.existsSync(path.join(abs, 'model.json'))) return abs;
    const inRun = fs.existsSync(abs) ? weightsDirOf(abs) : undefined;
    if (inRun) return inRun;
    throw new UsageError(`${given}: no model.json there (give a run's weights folder, e.g. .model-lens/runs/<id>/weights)`);
  }
  const root = defaultRunsRoot(process.cwd());
  const run = latestUsableRun(root, modelFile, modelName);
  if (!run?.weightsDir) throw new UsageError(`no trained weights for '${modelName}': train it first (model-lens train ${path.relative(process.cwd(), modelFile)}) or pass --weights DIR`);
  // run.json is workspace content: the weights used are the ones inside the run's own folder.
  const dir = runWeightsDir(root, run);
  if (!dir) throw new UsageError(`run ${run.id} of '${modelName}' has no weights inside ${path.join(root, String(run.id))} (its run.json points elsewhere, which is refused): train again or pass --weights DIR`);
  return dir;
}
