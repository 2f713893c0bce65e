// Runs the test suites with Node's test runner (TypeScript through tsx).
//   unit     test/unit/**/*.test.ts        always
//   browser  test/browser/**/*.test.ts     needs Debian's chromium (/usr/bin/chromium); required in CI
//   e2e      test/e2e/**/*.test.ts         a real VS Code (code-server); in CI, or with MODEL_LENS_E2E=1
// Unit tests that compare saved models with Debian's python3-h5py (an independent HDF5 reader, run as
// /usr/bin/python3) are left out with a note locally when it is absent; CI installs it and runs them.
// Usage: node scripts/run-tests.mjs [unit|browser|e2e ...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function find(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

const asked = process.argv.slice(2);
const suites = asked.length ? asked : ['unit', 'browser', ...(ci || process.env.MODEL_LENS_E2E === '1' ? ['e2e'] : [])];
const hasH5py = spawnSync('/usr/bin/python3', ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0;
const needsH5py = (f) => /h5py|\/usr\/bin\/python3/.test(fs.readFileSync(path.join(root, f), 'utf8'));
const files = [];
for (const s of suites) {
  if (s === 'browser' && !fs.existsSync(chromium) && !ci) {
    console.log(`note: browser tests need chromium at ${chromium} (apt-get install chromium); they run in CI.`);
    continue;
  }
  let found = find(`test/${s}`);
  if (!hasH5py && !ci) {
    const left = found.filter(needsH5py);
    if (left.length) console.log(`note: ${left.length} saved-model test file(s) need Debian's python3-h5py (apt-get install python3-h5py); they run in CI.`);
    found = found.filter((f) => !left.includes(f));
  }
  files.push(...found);
}
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
