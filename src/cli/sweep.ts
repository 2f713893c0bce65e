/**
 * `model-lens sweep FILE --lr 1e-3,3e-4 --batch-size 64,128 [--epochs 1,2] [--seeds 3 | --seeds 1,5]
 *   [--json]` — trains every combination, one after another in one worker, each a normal run in
 * `.model-lens/runs/` (run.json, source, weights), with one overall progress; Ctrl+C stops the
 * current run and the sweep. Prints a table (or one JSON line per finished run) and the best run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord, TrainSettings } from '../core/run/record';
import { bestRun, formatResult, RESULT_COLUMNS, resultsOf } from '../core/run/run-table';
import { cleanLeftovers, defaultRunsRoot, newRunId } from '../core/run/store';
import { backendChoice, fmtDuration, loadModelFile, parseArgs, prepareSavedReads, runCommand, startEngine, stdio, str, UsageError, type CliIO, type Parsed } from './engine-session';
import { assertTrainable, settingsFromArgs } from './train';
import { expandVariants, MAX_VARIANTS, variantLabel, VariantListError, type Variant, type VariantField } from '../core/run/variants';

export const sweepUsage =
  'model-lens sweep FILE [--lr A,B,…] [--batch-size A,B,…] [--epochs A,B,…] [--seeds N | --seeds A,B,…] [--model NAME] [--limit N] [--test-limit N] [--data(set) mnist|fashion-mnist|cifar10|cifar100|cifar100-coarse|PATH] [--backend auto|tensorflow|wasm|cpu] [--json]';

/** More would be a typo (or a week of training): refused rather than started. */
export const MAX_SWEEP_RUNS = MAX_VARIANTS;
export type { Variant };
export { variantLabel };

const FLAG: Record<VariantField, string> = { learningRate: 'lr', batchSize: 'batch-size', epochs: 'epochs', seeds: 'seeds' };

/** The grid: every combination of the lists given (a list not given: the file's value). */
export function sweepGrid(p: Parsed): Variant[] {
  try {
    return expandVariants({ learningRate: str(p, 'lr'), batchSize: str(p, 'batch-size'), epochs: str(p, 'epochs'), seeds: str(p, 'seeds') });
  } catch (e) {
    if (!(e instanceof VariantListError)) throw e;
    if (/^the grid has/.test(e.message)) throw new UsageError(e.message.replace('the grid', 'the sweep'));
    const flag = FLAG[e.field];
    throw new UsageError(`--${flag}: ${e.message}${flag === 'seeds' ? '' : ` (write e.g. --${flag} ${flag === 'lr' ? '1e-3,3e-4' : '64,128'})`}`);
  }
}

function withoutListOptions(p: Parsed): Parsed {
  const flags = new Map(p.flags);
  for (const k of ['lr', 'batch-size', 'epochs', 'seeds']) flags.delete(k);
  return { positional: p.positional, flags };
}

function uniqueRunDir(root: string): { id: string; dir: string } {
  for (;;) {
    const id = newRunId();
    const dir = path.join(root, id);
    if (!fs.existsSync(dir)) return { id, dir };
  }
}

export function sweepCommand(argv: string[], io: CliIO = stdio): Promise<number> {
  return runCommand(io, async () => {
    const p = parseArgs(argv, ['model', 'epochs', 'batch-size', 'limit', 'dataset', 'data', 'backend', 'seeds', 'test-limit', 'lr'], ['json']);
    const json = p.flags.has('json');
    const file = p.positional[0];
    if (!file || p.positional.length > 1) throw new UsageError(`usage: ${sweepUsage}`);
    const grid = sweepGrid(p);
    await prepareSavedReads(file);
    const m = loadModelFile(file, str(p, 'model'), io);
    assertTrainable(file, m.ir);
    const base = settingsFromArgs(withoutListOptions(p), m.ir.training);
    const root = defaultRunsRoot(process.cwd());
    cleanLeftovers(root);

    const { client, backend } = await startEngine(backendChoice(p), io, { quiet: json });
    let stopping = 0;
    let current: string | undefined;
    const onSigint = () => {
      stopping++;
      if (stopping === 1) {
        io.err('\nstopping the sweep after this batch… (Ctrl+C again to kill)');
        if (current) void client.request('cancel', { runId: current }).catch(() => undefined);
      } else void client.dispose();
    };
    process.on('SIGINT', onSigint);
    const done: { variant: Variant; record: RunRecord; runDir: string }[] = [];
    const started = Date.now();
    try {
      if (!json) io.out(`sweep of ${m.ir.name} (${path.relative(process.cwd(), m.file) || m.file}): ${grid.length} run(s) on ${base.dataset}, backend ${backend.backend}`);
      const { modelId } = await client.request('loadModel', { model: m.ir });
      let index = 0;
      client.on('batch', (b) => {
        if (!io.tty || json || b.runId !== current) return;
        const overall = (index + b.progress) / grid.length;
        io.status(`run ${index + 1}/${grid.length} (${variantLabel(grid[index]!)}) · epoch ${b.epoch}/${b.epochs} ${Math.floor(b.progress * 100)}% · loss ${b.loss.toFixed(4)} · sweep ${Math.floor(overall * 100)}%`);
      });
      for (; index < grid.length && !stopping; index++) {
        const variant = grid[index]!;
        const settings: TrainSettings = { ...base, ...variant };
        const { id, dir } = uniqueRunDir(root);
        current = id;
        const record = await client.request('train', { modelId, runId: id, settings, runDir: dir, modelFile: m.file, modelHash: m.hash, sourceText: m.text });
        current = undefined;
        done.push({ variant, record, runDir: dir });
        const res = resultsOf(record);
        if (json) {
          io.out(JSON.stringify({ event: 'run', index: index + 1, of: grid.length, id, status: record.status, ...variant, testAcc: res.testAcc, testLoss: res.testLoss, bestValAcc: res.bestValAcc, samplesPerSec: res.samplesPerSec, durationMs: record.durationMs, runDir: dir }));
        } else {
          if (io.tty) io.status('');
          io.out(`run ${index + 1}/${grid.length} (${variantLabel(variant)}): ${record.status}${record.test ? ` · test acc ${formatResult('testAcc', res.testAcc)} · test loss ${formatResult('testLoss', res.testLoss)}` : ''} · ${fmtDuration((record.durationMs ?? 0) / 1000)}`);
        }
      }
      const best = bestRun(done.map((d) => d.record));
      const bestDone = done.find((d) => d.record === best);
      if (json) {
        io.out(JSON.stringify({ event: 'best', stopped: stopping > 0, runs: done.length, of: grid.length, ...(bestDone ? { id: bestDone.record.id, ...bestDone.variant, testAcc: resultsOf(bestDone.record).testAcc, runDir: bestDone.runDir } : { id: null }) }));
      } else {
        if (io.tty) io.status('');
        io.out('');
        const header = ['#', 'settings', 'status', ...RESULT_COLUMNS.map((c) => c.label), 'run'];
        const rows = done.map((d, i) => [String(i + 1), variantLabel(d.variant), d.record.status, ...RESULT_COLUMNS.map((c) => formatResult(c.key, resultsOf(d.record)[c.key])), d.record.id]);
        const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
        for (const r of [header, ...rows]) io.out(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
        io.out('');
        if (stopping) io.out(`stopped after ${done.length} of ${grid.length} run(s)`);
        io.out(bestDone ? `best: ${bestDone.record.id} (${variantLabel(bestDone.variant)}): test accuracy ${formatResult('testAcc', resultsOf(bestDone.record).testAcc)}` : 'best: none (no run completed)');
        io.out(`${done.length} run(s) in ${fmtDuration((Date.now() - started) / 1000)} · model-lens runs --diff A B compares two`);
      }
      return stopping ? 130 : done.every((d) => d.record.status === 'completed') ? 0 : 1;
    } finally {
      process.off('SIGINT', onSigint);
      await client.dispose();
    }
  });
}
