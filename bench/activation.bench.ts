/**
 * Extension activation time: loads the built dist/extension.js (as VS Code does: require, then
 * `activate`) against a stand-in `vscode` module that accepts every registration, and reports
 * the time to require the bundle and to run `activate`, plus what got loaded.
 * Then reads the reference model through the lazily loaded reader (first-use cost).
 * Run `npm run build` first. Figures are noisy on the shared 2-core machine.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const bundle = path.join(root, 'dist', 'extension.js');
if (!fs.existsSync(bundle)) {
  console.error('dist/extension.js missing: run `npm run build` first');
  process.exit(1);
}

// A `vscode` that accepts anything: every property is callable and returns the same thing.
const handler: ProxyHandler<object> = {
  get: (t, p) => (p === 'then' ? undefined : p in t ? (t as Record<PropertyKey, unknown>)[p] : anything),
  apply: () => anything,
  construct: () => anything,
};
const anything: any = new Proxy(function () {}, handler);
class EventEmitter {
  event = () => ({ dispose() {} });
  fire() {}
  dispose() {}
}
const fakeVscode = new Proxy(
  {
    EventEmitter,
    Disposable: Object.assign(function () {}, { from: () => ({ dispose() {} }) }),
    workspace: new Proxy({ textDocuments: [], isTrusted: true, workspaceFolders: [] }, handler),
    window: new Proxy({ visibleTextEditors: [], activeTextEditor: undefined }, handler),
  },
  handler,
);
const resolve = (Module as unknown as { _resolveFilename: (r: string, ...a: unknown[]) => string })._resolveFilename;
(Module as unknown as { _resolveFilename: unknown })._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode } as NodeJS.Module;

const modulesBefore = new Set(Object.keys(require.cache));
const t0 = performance.now();
const ext = require(bundle) as { activate(ctx: unknown): { activationMs: number }; deactivate(): void };
const tRequire = performance.now() - t0;
const context = {
  subscriptions: [] as unknown[],
  extensionPath: root,
  extensionUri: anything,
  globalStorageUri: { fsPath: path.join(root, '.cache', 'bench-global') },
  globalState: { get: () => undefined, update: async () => {} },
  workspaceState: { get: () => undefined, update: async () => {} },
};
const t1 = performance.now();
const r = ext.activate(context);
const tActivate = performance.now() - t1;
const loaded = Object.keys(require.cache).filter((k) => !modulesBefore.has(k) && k !== 'vscode');
const sizeKb = fs.statSync(bundle).size / 1024;
console.log(`dist/extension.js: ${sizeKb.toFixed(0)} KB`);
console.log(`require bundle: ${tRequire.toFixed(1)} ms`);
console.log(`activate(): ${tActivate.toFixed(1)} ms (self-reported ${r.activationMs.toFixed(1)} ms)`);
console.log(`activation total: ${(tRequire + tActivate).toFixed(1)} ms (target < 100 ms)`);
console.log(`other modules loaded at activation: ${loaded.length ? loaded.map((f) => path.relative(root, f)).join(', ') : 'none'}`);
const tfLoaded = loaded.some((f) => /tfjs/.test(f));
console.log(`tfjs loaded in the host: ${tfLoaded ? 'YES (bad)' : 'no'}`);
ext.deactivate();
