/**
 * `model-lens runs [FILE] [--json] [--all] [--dir RUNS]` — the runs of the current folder (or of
 * the models in FILE): settings, results, what changed in the model since the previous run, and
 * which settings differ. `model-lens runs --diff A B` — what differs between two runs (settings,
 * layers, parameters, results). No worker: runs are read from disk (each run.json checked).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../core/run/record';
import { diffRuns, isEmptyLayerDiff, layerDiffSummary, layerLabel, type RunDiff } from '../core/run/run-diff';
import { bestRun, differingSettings, reproducibilityMismatches, formatResult, formatSetting, RESULT_COLUMNS, resultsOf, SETTING_COLUMNS, settingsOf, type SettingKey } from '../core/run/run-table';
import { defaultRunsRoot, listRuns, readRun, settleOnThisMachine } from '../core/run/store';
import { parseArgs, runCommand, stdio, str, UsageError, type CliIO } from './engine-session';
import { exportTensorboard } from './tensorboard-export';

export const runsUsage = 'model-lens runs [FILE] [--json] [--all] [--dir RUNS] [--export-tensorboard DIR] | model-lens runs --diff A B [--json] [--dir RUNS]';

/** A run by id, unique id prefix, or run folder. */
function findRun(runs: RunRecord[], ref: string): RunRecord {
  const folder = path.resolve(ref);
  if (fs.existsSync(path.join(folder, 'run.json'))) {
    const { record, error } = readRun(folder);
    if (error) throw new UsageError(error.message);
    if (record) return settleOnThisMachine([record])[0]!;
  }
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact;
  const hits = runs.filter((r) => r.id.startsWith(ref));
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) throw new UsageError(`'${ref}' matches ${hits.length} runs (${hits.slice(0, 5).map((r) => r.id).join(', ')}…): give more of the id`);
  throw new UsageError(`no run '${ref}' (give a run id, an id prefix or a run folder; \`model-lens runs\` lists them)`);
}

/** What changed in each run since the previous run of the same model (file + name). */
export function changesSincePrevious(runs: RunRecord[]): Map<string, RunDiff | undefined> {
  const out = new Map<string, RunDiff | undefined>();
  const last = new Map<string, RunRecord>();
  for (const r of runs) {
    const key = `${r.modelFile}\0${r.modelName}`;
    const prev = last.get(key);
    out.set(r.id, prev ? diffRuns(prev, r) : undefined);
    last.set(key, r);
  }
  return out;
}

function changeText(d: RunDiff | undefined): string {
  if (!d) return 'first run';
  if (!d.layers) return d.sameSource ? 'same file' : 'file edited';
  if (isEmptyLayerDiff(d.layers)) return d.layers.totalParams.from !== d.layers.totalParams.to ? layerDiffSummary(d.layers) : d.sameSource ? 'same model' : 'same layers (file edited)';
  return layerDiffSummary(d.layers);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function listText(runs: RunRecord[], all: boolean, io: CliIO): void {
  const differ = differingSettings(runs);
  const shown: SettingKey[] = all ? SETTING_COLUMNS.map((c) => c.key) : differ;
  const changes = changesSincePrevious(runs);
  const header = ['run', 'status', 'model', ...shown.map((k) => SETTING_COLUMNS.find((c) => c.key === k)!.label), ...RESULT_COLUMNS.map((c) => c.label), 'changes since the previous run'];
  const rows = runs.map((r) => {
    const s = settingsOf(r);
    const res = resultsOf(r);
    return [r.label ? `${r.id} "${r.label}"` : r.id, r.status, r.modelName, ...shown.map((k) => formatSetting(s[k])), ...RESULT_COLUMNS.map((c) => formatResult(c.key, res[c.key])), changeText(changes.get(r.id))];
  });
  for (const l of table([header, ...rows])) io.out(l);
  const first = settingsOf(runs[0]!);
  const sameKeys = SETTING_COLUMNS.filter((c) => !differ.includes(c.key));
  io.out('');
  io.out(`settings that differ: ${differ.length ? differ.map((k) => SETTING_COLUMNS.find((c) => c.key === k)!.label).join(', ') : 'none'}`);
  if (!all && sameKeys.length) io.out(`same in every run: ${sameKeys.map((c) => `${c.label} ${formatSetting(first[c.key])}`).join(' · ')}`);
  for (const m of reproducibilityMismatches(runs)) io.out(`not reproduced: ${m.b.id} should equal ${m.a.id} (same model, settings, seed ${m.b.settings.seed}, backend) but differs: ${m.detail}`);
  const best = bestRun(runs);
  if (best) io.out(`best: ${best.id} (test accuracy ${formatResult('testAcc', resultsOf(best).testAcc)})`);
}

function diffText(a: RunRecord, b: RunRecord, io: CliIO): void {
  const d = diffRuns(a, b);
  io.out(`runs ${a.id} → ${b.id}${a.modelName !== b.modelName ? ` (${a.modelName} → ${b.modelName})` : ''}`);
  io.out(d.settings.length ? 'settings:' : 'settings: the same');
  for (const s of d.settings) io.out(`  ${s.label.padEnd(10)} ${s.from} → ${s.to}`);
  if (!d.layers) io.out(`layers: not kept by ${!a.model ? a.id : b.id} (a run from before Model Lens kept models); the model file ${d.sameSource ? 'is the same' : 'differs'}`);
  else if (isEmptyLayerDiff(d.layers)) io.out(`layers: the same${d.sameSource ? '' : ' (the file was edited elsewhere)'}`);
  else {
    io.out('layers:');
    for (const l of d.layers.added) io.out(`  + ${layerLabel(l)}`);
    for (const l of d.layers.removed) io.out(`  − ${layerLabel(l)}`);
    for (const c of d.layers.changed) io.out(`  ~ ${c.from.name === c.to.name ? c.to.name : `${c.from.name} → ${c.to.name}`} (${c.to.type}): ${c.changes.map((x) => `${x.key} ${JSON.stringify(x.from ?? null)} → ${JSON.stringify(x.to ?? null)}`).join('; ')}`);
  }
  if (d.layers) {
    const { from, to } = d.layers.totalParams;
    io.out(`total params: ${from.toLocaleString('en-US')} → ${to.toLocaleString('en-US')}${from !== to ? ` (${to > from ? '+' : ''}${(to - from).toLocaleString('en-US')})` : ''}`);
  }
  const ra = resultsOf(a);
  const rb = resultsOf(b);
  io.out('results:');
  for (const c of RESULT_COLUMNS) io.out(`  ${c.label.padEnd(12)} ${formatResult(c.key, ra[c.key])} → ${formatResult(c.key, rb[c.key])}`);
}

function runJson(r: RunRecord, change: RunDiff | undefined): Record<string, unknown> {
  return {
    id: r.id,
    status: r.status,
    modelName: r.modelName,
    modelFile: r.modelFile,
    startedAt: r.startedAt,
    ...(r.label ? { label: r.label } : {}),
    settings: settingsOf(r),
    results: resultsOf(r),
    changes: changeText(change),
  };
}

function diffJson(d: RunDiff): Record<string, unknown> {
  return {
    from: d.from,
    to: d.to,
    sameSource: d.sameSource,
    settings: d.settings,
    ...(d.layers
      ? {
          layers: {
            added: d.layers.added.map((l) => ({ name: l.name, type: l.type, params: l.params })),
            removed: d.layers.removed.map((l) => ({ name: l.name, type: l.type, params: l.params })),
            changed: d.layers.changed.map((c) => ({ from: c.from.name, to: c.to.name, type: c.to.type, changes: c.changes })),
            same: d.layers.same,
          },
          totalParams: d.layers.totalParams,
        }
      : {}),
  };
}

export function runsCommand(argv: string[], io: CliIO = stdio): Promise<number> {
  return runCommand(io, async () => {
    const p = parseArgs(argv, ['dir', 'export-tensorboard'], ['json', 'all', 'diff']);
    const json = p.flags.has('json');
    const root = path.resolve(str(p, 'dir') ?? defaultRunsRoot(process.cwd()));
    const all = settleOnThisMachine(listRuns(root, (e) => io.err(`warning: ${e.message}`))).reverse(); // oldest first
    if (p.flags.has('diff')) {
      if (p.positional.length !== 2) throw new UsageError(`usage: ${runsUsage}`);
      const a = findRun(all, p.positional[0]!);
      const b = findRun(all, p.positional[1]!);
      if (json) io.out(JSON.stringify({ ...diffJson(diffRuns(a, b)), results: { from: resultsOf(a), to: resultsOf(b) } }));
      else diffText(a, b, io);
      return 0;
    }
    if (p.positional.length > 1) throw new UsageError(`usage: ${runsUsage}`);
    const file = p.positional[0] ? path.resolve(p.positional[0]) : undefined;
    if (file && !fs.existsSync(file)) throw new UsageError(`${p.positional[0]}: no such file`);
    const runs = file ? all.filter((r) => path.resolve(r.modelFile) === file) : all;
    const tb = str(p, 'export-tensorboard');
    if (tb !== undefined) {
      if (runs.length === 0) throw new UsageError(`no runs${file ? ` of ${p.positional[0]}` : ''} in ${root} to export`);
      const written = exportTensorboard(runs, path.resolve(tb));
      if (json) io.out(JSON.stringify({ exported: written }));
      else {
        for (const w of written) io.out(`${w.run}: ${w.epochs} epoch(s), ${w.batches} batch points → ${path.relative(process.cwd(), w.file) || w.file}`);
        io.out(`${written.length} run(s) written; view them with: tensorboard --logdir ${tb}`);
      }
      return 0;
    }
    if (json) {
      const changes = changesSincePrevious(runs);
      io.out(JSON.stringify({ runsDir: root, runs: runs.map((r) => runJson(r, changes.get(r.id))), differing: differingSettings(runs), best: bestRun(runs)?.id ?? null, notReproduced: reproducibilityMismatches(runs).map((m) => ({ run: m.b.id, expected: m.a.id, detail: m.detail })) }));
      return 0;
    }
    if (runs.length === 0) {
      io.err(`no runs${file ? ` of ${p.positional[0]}` : ''} in ${root}${file ? '' : ' (train one: model-lens train FILE)'}`);
      return 0;
    }
    listText(runs, p.flags.has('all'), io);
    return 0;
  });
}
