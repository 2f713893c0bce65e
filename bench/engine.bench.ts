/**
 * The engine end to end, as `model-lens bench` measures it: the reference Basic_CNN
 * (examples/basic_cnn.py) trained in the worker child process on synthetic 28×28×1 data at
 * batch 64, batched prediction, and the single-image prediction round trip host → worker → host.
 * Targets (issue 3): ≥ 250 samples/s training, < 20 ms single prediction. The machine's 2 cores
 * are shared with other work: figures are noisy (load average printed).
 */
import os from 'node:os';
import { runBench } from '../src/cli/bench';
import { stdio } from '../src/cli/engine-session';

async function main(): Promise<void> {
  const load = os.loadavg()[0]!.toFixed(2);
  const r = await runBench({ batchSize: 64, batches: 30 }, { ...stdio, err: () => undefined });
  console.log(`${r.model}, batch ${r.batchSize}, backend ${r.backend} (${r.backendReason}); load average ${load}`);
  console.log(`trainSamplesPerSec    ${r.trainSamplesPerSec.toFixed(1)}   (target ≥ 250)`);
  console.log(`predictSamplesPerSec  ${r.predictSamplesPerSec.toFixed(1)}`);
  console.log(`singlePredictMs       ${r.singlePredictMs.toFixed(2)}   (target < 20, median of 20 round trips)`);
  console.log(JSON.stringify(r));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
