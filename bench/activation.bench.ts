/**
 * Extension activation time, as VS Code counts it (require the bundle, then `activate`):
 * dist/extension.js is loaded in a plain Node child process against a stand-in `vscode`
 * module that accepts every registration (bench/activation-probe.cjs), 7 times; median shown.
 * Also says which other modules got loaded (tfjs must not be). Run `npm run build` first.
 * Figures are noisy on the shared 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
  console.error('dist/extension.js missing: run `npm run build` first');
  process.exit(1);
}
type Probe = { sizeKb: number; requireMs: number; activateMs: number; selfReportedMs: number; loaded: string[] };
const runs: Probe[] = [];
for (let i = 0; i < 7; i++) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'activation-probe.cjs')], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  runs.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Probe);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const req = median(runs.map((r) => r.requireMs));
const act = median(runs.map((r) => r.activateMs));
const total = median(runs.map((r) => r.requireMs + r.activateMs));
console.log(`dist/extension.js: ${runs[0]!.sizeKb.toFixed(0)} KB`);
console.log(`require bundle: median ${req.toFixed(1)} ms (min ${Math.min(...runs.map((r) => r.requireMs)).toFixed(1)})`);
console.log(`activate(): median ${act.toFixed(1)} ms`);
console.log(`activation total: median ${total.toFixed(1)} ms (target < 100 ms)`);
const loaded = runs[0]!.loaded;
console.log(`other modules loaded at activation: ${loaded.length ? loaded.map((f) => path.relative(root, f)).join(', ') : 'none'}`);
console.log(`tfjs loaded in the host at activation: ${loaded.some((f) => /tfjs/.test(f)) ? 'YES (bad)' : 'no'}`);
