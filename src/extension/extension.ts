/**
 * Model Lens extension host entry. Small on purpose: it builds the context and registers
 * providers and commands from tables; everything goes into one disposable store.
 * Nothing heavy is loaded here: the model reader loads on the first model file, the worker
 * (and tfjs, in its own process) on the first Train / Evaluate / Predict.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerSavedModelEditor } from './saved/saved-model-editor';
import { installedNativePath } from './commands/install-native';
import type { HostContext } from './context';
import { DisposableStore } from './dispose';
import { MODEL_SELECTOR, ModelDocuments } from './documents';
import { Log } from './log';
import { Panels } from './panel/panels';
import { registerCodeLenses } from './providers/code-lens';
import { registerContextKeys } from './providers/context-keys';
import { registerCursorSync } from './providers/cursor-sync';
import { registerHover } from './providers/hover';
import { registerInlayHints } from './providers/inlay-hints';
import { DatasetTrust } from './runs/dataset-trust';
import { RunManager } from './runs/run-manager';
import { RunStatusBar } from './runs/status-bar';
import { RunsTree } from './runs/runs-tree';
import { startWorker } from './runs/worker-factory';
import { WorkerHost } from './runs/worker-host';
import { Settings } from './settings';

const PROVIDERS: ((ctx: HostContext) => vscode.Disposable)[] = [registerCodeLenses, registerInlayHints, registerHover, registerCursorSync, registerContextKeys, registerCommands, registerSavedModelEditor];

let store: DisposableStore | undefined;

export function activate(extension: vscode.ExtensionContext): { activationMs: number } {
  const t0 = performance.now();
  store = new DisposableStore();
  extension.subscriptions.push(store);
  const log = store.add(new Log());
  const settings = new Settings();
  const worker = store.add(
    new WorkerHost(startWorker, path.join(extension.extensionPath, 'dist', 'worker.js'), settings, log, () => installedNativePath(extension)),
  );
  const runs = store.add(
    new RunManager(
      worker,
      log,
      (() => {
        let cache: import('../core/run/store').RunListCache | undefined;
        return async (dir: string) => (cache ??= new (await import('../core/run/store')).RunListCache()).list(dir, (e) => log.warn(e.message));
      })(),
      () => path.join(extension.globalStorageUri.fsPath, 'runs'),
    ),
  );
  const panels = store.add(new Panels());
  const documents = store.add(new ModelDocuments(log));
  const ctx: HostContext = {
    extension,
    settings,
    log,
    documents,
    worker,
    runs,
    panels,
    datasetTrust: new DatasetTrust({
      isTrusted: () => vscode.workspace.isTrusted,
      ask: async (message, detail, accept) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, accept)) === accept,
    }),
    selector: MODEL_SELECTOR,
    nativeModulePath: () => installedNativePath(extension),
  };
  panels.attach(ctx);
  for (const register of PROVIDERS) store.add(register(ctx));
  store.add(new RunStatusBar(runs));
  const runsTree = store.add(new RunsTree(ctx));
  store.add(vscode.window.createTreeView('modelLens.runs', { treeDataProvider: runsTree, showCollapseAll: true }));
  store.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['nodePath', 'backend', 'threads'].some((k) => Settings.affects(e, k)) && runs.running.length === 0) worker.stop();
    }),
  );
  const activationMs = performance.now() - t0;
  log.info(`Model Lens activated in ${activationMs.toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted: reading and graphs only; data paths ask first'})`);
  return { activationMs };
}

export function deactivate(): void {
  store?.dispose();
  store = undefined;
}
