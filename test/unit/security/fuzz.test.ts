// Seeded fuzzing of every reader a workspace file reaches: mutated Python and Keras JSON models,
// IDX (raw and gzip), .npy, .npz, PNG, JPEG, and weights manifests (hostile paths, links). Every
// case must end with a result or a clear error (diagnostics at a line, or a DataError /
// WeightsError naming the file) within a time bound, without a crash, and the process must stay
// under 1.5 GB. Bounded for CI: a fixed number of cases per kind and a time budget (cases stop
// being started once it is spent; at least MIN_CASES must have run).
// Replay or run longer: MODEL_LENS_FUZZ_SEED=… MODEL_LENS_FUZZ_PER_KIND=… MODEL_LENS_FUZZ_BUDGET_MS=…
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SEED = Number(process.env.MODEL_LENS_FUZZ_SEED ?? 16);
const PER_KIND = Number(process.env.MODEL_LENS_FUZZ_PER_KIND ?? 150);
const BUDGET_MS = Number(process.env.MODEL_LENS_FUZZ_BUDGET_MS ?? 40_000);
/** A case still running after this is a hang: the child is killed and the case named. */
const CASE_TIMEOUT_MS = 10_000;
const MIN_CASES = 300;
const MAX_RSS = 1.5 * 1024 ** 3;

interface CaseReport {
  type: 'case';
  kind: string;
  index: number;
  name: string;
  size: number;
  ms: number;
  rss: number;
  outcome: 'ok' | 'clean' | 'crash';
  detail?: string;
}

test(`fuzz: mutated model and data files end cleanly (seed ${SEED})`, { timeout: BUDGET_MS + 60_000 }, async (t) => {
  const runner = path.join(__dirname, '..', 'fixtures', 'fuzz', 'runner.ts');
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  const child = fork(runner, [], { execArgv: ['--import', tsx, '--max-old-space-size=1536'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const cases: CaseReport[] = [];
  let current: { kind: string; index: number; name: string; size: number } | undefined;
  const outcome = await new Promise<{ done: boolean; why?: string }>((resolve) => {
    let timer = setTimeout(() => undefined, 0);
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ done: false, why: `no answer for ${CASE_TIMEOUT_MS} ms` });
      }, CASE_TIMEOUT_MS);
    };
    arm();
    child.on('message', (m: { type: string } & Partial<Omit<CaseReport, 'type'>>) => {
      arm();
      if (m.type === 'start') current = m as unknown as typeof current;
      else if (m.type === 'case') cases.push(m as unknown as CaseReport);
      else if (m.type === 'done') {
        clearTimeout(timer);
        resolve({ done: true });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ done: false, why: `the runner exited (code ${code}, signal ${signal})` });
    });
    child.send({ seed: SEED, perKind: PER_KIND, budgetMs: BUDGET_MS });
  });
  const replay = (c: { kind: string; index: number; name: string; size?: number }) => `${c.kind} case ${c.index} (${c.name}, ${c.size} bytes; replay with MODEL_LENS_FUZZ_SEED=${SEED})`;
  if (!outcome.done) assert.fail(`${outcome.why} during ${current ? replay(current) : 'start-up'}`);

  const byKind = new Map<string, { n: number; ok: number; clean: number; worstMs: number }>();
  for (const c of cases) {
    const k = byKind.get(c.kind) ?? { n: 0, ok: 0, clean: 0, worstMs: 0 };
    k.n++;
    if (c.outcome === 'ok') k.ok++;
    if (c.outcome === 'clean') k.clean++;
    k.worstMs = Math.max(k.worstMs, c.ms);
    byKind.set(c.kind, k);
  }
  const worst = cases.reduce((a, c) => (c.ms > a.ms ? c : a), cases[0]!);
  const peakRss = Math.max(...cases.map((c) => c.rss));
  const handled = cases.filter((c) => c.outcome !== 'crash').length;
  t.diagnostic(`seed ${SEED}: ${cases.length} cases, ${handled} handled cleanly; worst ${worst.ms.toFixed(0)} ms (${replay(worst)}); peak RSS ${(peakRss / 1024 ** 2).toFixed(0)} MB`);
  for (const [kind, k] of byKind) t.diagnostic(`  ${kind}: ${k.n} cases, ${k.ok} read, ${k.clean} clear errors, worst ${k.worstMs.toFixed(0)} ms`);

  const crashes = cases.filter((c) => c.outcome === 'crash');
  assert.deepEqual(crashes.map((c) => `${replay(c)}: ${c.detail}`), [], 'every case ends with a result or a clear error');
  assert.ok(cases.length >= MIN_CASES, `only ${cases.length} cases ran within ${BUDGET_MS} ms`);
  const slow = cases.filter((c) => c.ms > CASE_TIMEOUT_MS / 2);
  assert.deepEqual(slow.map((c) => `${replay(c)}: ${c.ms.toFixed(0)} ms`), [], `every case within ${CASE_TIMEOUT_MS / 2} ms`);
  assert.ok(peakRss < MAX_RSS, `peak RSS ${peakRss} bytes`);
});
