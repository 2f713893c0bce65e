// Child process of activation.bench.ts (plain Node, no TypeScript hooks): loads
// dist/extension.js against a stand-in `vscode`, calls activate, prints timings as JSON.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bundle = path.join(root, 'dist', 'extension.js');
const handler = {
  get: (t, p) => (p === 'then' ? undefined : p in t ? t[p] : anything),
  apply: () => anything,
  construct: () => anything,
  set: () => true,
};
const anything = new Proxy(function () {}, handler);
class EventEmitter {
  event = () => ({ dispose() {} });
  fire() {}
  dispose() {}
}
const names = ['languages', 'commands', 'env', 'Uri', 'Range', 'Position', 'CodeLens', 'InlayHint', 'Hover', 'MarkdownString', 'Diagnostic', 'DiagnosticSeverity', 'StatusBarAlignment', 'ProgressLocation', 'ViewColumn', 'QuickPickItemKind', 'TextEditorRevealType'];
const fakeVscode = new Proxy(
  {
    EventEmitter,
    Disposable: Object.assign(function () {}, { from: () => ({ dispose() {} }) }),
    workspace: new Proxy({ textDocuments: [], isTrusted: true, workspaceFolders: [] }, handler),
    window: new Proxy({ visibleTextEditors: [], activeTextEditor: undefined }, handler),
    ...Object.fromEntries(names.map((k) => [k, anything])),
  },
  handler,
);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode };

const before = new Set(Object.keys(require.cache));
const t0 = performance.now();
const ext = require(bundle);
const requireMs = performance.now() - t0;
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: anything,
  globalStorageUri: { fsPath: path.join(root, '.cache', 'bench-global') },
  globalState: { get: () => undefined, update: async () => {} },
  workspaceState: { get: () => undefined, update: async () => {} },
};
const t1 = performance.now();
const r = ext.activate(context);
const activateMs = performance.now() - t1;
const loaded = Object.keys(require.cache).filter((k) => !before.has(k) && k !== 'vscode' && k !== bundle);
ext.deactivate();
console.log(JSON.stringify({ sizeKb: fs.statSync(bundle).size / 1024, requireMs, activateMs, selfReportedMs: r.activationMs, loaded }));
