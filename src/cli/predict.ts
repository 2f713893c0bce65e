/** `model-lens predict FILE [--weights DIR] (--image PATH | --sample N) [--top K] [--dataset …] [--json]` */
import path from 'node:path';
import type { PredictInput } from '../core/protocol/worker';
import { backendChoice, dataFlag, datasetArg, int, parseArgs, runCommand, startEngine, stdio, str, UsageError, type CliIO } from './engine-session';
import { loadAnyModel } from './saved-model-arg';
import { resolveWeights } from './weights-arg';

export const predictUsage = 'model-lens predict FILE [--weights DIR] (--image PATH | --sample N) [--top K] [--model NAME] [--data(set) mnist|fashion-mnist|cifar10|cifar100|cifar100-coarse|PATH] [--backend …] [--input-scale X] [--json]';

export function predictCommand(argv: string[], io: CliIO = stdio): Promise<number> {
  return runCommand(io, async () => {
    const p = parseArgs(argv, ['weights', 'model', 'image', 'sample', 'top', 'dataset', 'data', 'backend', 'input-scale'], ['json']);
    const file = p.positional[0];
    if (!file || p.positional.length > 1) throw new UsageError(`usage: ${predictUsage}`);
    const image = str(p, 'image');
    const sample = int(p, 'sample', 0);
    if ((image === undefined) === (sample === undefined)) throw new UsageError(`give exactly one of --image PATH or --sample N\nusage: ${predictUsage}`);
    const json = p.flags.has('json');
    const m = await loadAnyModel(file, str(p, 'model'), io, str(p, 'input-scale'));
    // A saved model, or a .py that loads one (load_model / load_weights), brings its own weights unless --weights says otherwise.
    const weightsDir = (m.savedFile || m.ir.startWeights) && !str(p, 'weights') ? undefined : resolveWeights(str(p, 'weights'), m.file, m.ir.name);
    const input: PredictInput =
      image !== undefined ? { kind: 'image', path: path.resolve(image) } : { kind: 'sample', dataset: datasetArg(dataFlag(p), m.ir.training.dataset ?? m.ir.training.dataPath), split: 'test', index: sample! };
    const { client } = await startEngine(backendChoice(p), io, { quiet: json });
    try {
      const { modelId } = await client.request('loadModel', { model: m.ir, ...(weightsDir ? { weightsDir } : m.savedFile ? { savedFile: m.savedFile } : {}) });
      const r = await client.request('predict', { modelId, input, topK: int(p, 'top') ?? 3 });
      if (json) {
        const out: Record<string, unknown> = { predictions: r.top };
        if (r.trueLabel !== undefined) out.trueLabel = r.trueLabel;
        io.out(JSON.stringify(out));
      } else {
        const what = image !== undefined ? image : `test sample ${sample}${r.trueLabel !== undefined ? ` (label ${r.trueLabel})` : ''}`;
        io.out(`${what}:`);
        for (const c of r.top) io.out(`  ${String(c.label).padStart(3)}  ${(c.prob * 100).toFixed(2).padStart(6)}%  ${'█'.repeat(Math.round(c.prob * 30))}`);
      }
      return 0;
    } finally {
      await client.dispose();
    }
  });
}
