/** `model-lens evaluate FILE [--weights DIR] [--model NAME] [--dataset …] [--limit N] [--backend …] [--json]` */
import { backendChoice, dataFlag, datasetArg, int, parseArgs, runCommand, startEngine, stdio, str, UsageError, type CliIO } from './engine-session';
import { loadAnyModel } from './saved-model-arg';
import { resolveWeights } from './weights-arg';

export const evaluateUsage = 'model-lens evaluate FILE [--weights DIR] [--model NAME] [--data(set) mnist|fashion-mnist|cifar10|cifar100|cifar100-coarse|PATH] [--limit N] [--batch-size N] [--backend auto|tensorflow|wasm|cpu] [--input-scale X] [--json]';

export function evaluateCommand(argv: string[], io: CliIO = stdio): Promise<number> {
  return runCommand(io, async () => {
    const p = parseArgs(argv, ['weights', 'model', 'dataset', 'data', 'limit', 'batch-size', 'backend', 'input-scale'], ['json']);
    const file = p.positional[0];
    if (!file || p.positional.length > 1) throw new UsageError(`usage: ${evaluateUsage}`);
    const json = p.flags.has('json');
    const m = await loadAnyModel(file, str(p, 'model'), io, str(p, 'input-scale'));
    // A saved model, or a .py that loads one (load_model / load_weights), brings its own weights unless --weights says otherwise.
    const weightsDir = (m.savedFile || m.ir.startWeights) && !str(p, 'weights') ? undefined : resolveWeights(str(p, 'weights'), m.file, m.ir.name);
    const dataset = datasetArg(dataFlag(p), m.ir.training.dataset ?? m.ir.training.dataPath);
    const { client, backend } = await startEngine(backendChoice(p), io, { quiet: json });
    try {
      const { modelId } = await client.request('loadModel', { model: m.ir, ...(weightsDir ? { weightsDir } : m.savedFile ? { savedFile: m.savedFile } : {}) });
      const params: { modelId: string; dataset: string; limit?: number; batchSize?: number } = { modelId, dataset };
      const limit = int(p, 'limit');
      if (limit !== undefined) params.limit = limit;
      const bs = int(p, 'batch-size');
      if (bs !== undefined) params.batchSize = bs;
      const r = await client.request('evaluate', params);
      if (json) io.out(JSON.stringify({ loss: r.loss, acc: r.acc, samples: r.samples, dataset, weights: weightsDir ?? m.savedFile ?? m.ir.startWeights?.file, backend: backend.backend }));
      else io.out(`${m.ir.name} on ${dataset} test set (${r.samples} samples): loss ${r.loss.toFixed(4)} · accuracy ${r.acc.toFixed(4)}  [weights ${weightsDir ?? `${m.savedFile ?? m.ir.startWeights?.file}${m.savedBy ? `, saved by ${m.savedBy}` : ''}`}]`);
      return 0;
    } finally {
      await client.dispose();
    }
  });
}
