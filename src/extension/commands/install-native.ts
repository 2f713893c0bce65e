/**
 * Installs `@tensorflow/tfjs-node` into the extension's global storage with the user's npm.
 * From then on the worker is started with that folder so it can load the native backend.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { isInstalled, npmInstall, TFJS_NODE } from '../native/npm-install';
import { UserError } from './pick-model';

export const NATIVE_STATE_KEY = 'modelLens.nativeModulePath';

export function nativeInstallDir(ctx: vscode.ExtensionContext): string {
  return path.join(ctx.globalStorageUri.fsPath, 'native');
}

/** The folder to give the worker, when a previous install left tfjs-node there. */
export function installedNativePath(ctx: vscode.ExtensionContext): string | undefined {
  const dir = ctx.globalState.get<string>(NATIVE_STATE_KEY);
  return dir && isInstalled(dir) ? dir : undefined;
}

export function installNative(ctx: HostContext) {
  return async () => {
    if (!vscode.workspace.isTrusted) {
      // The install runs npm; keep it to trusted windows (the user can still do it elsewhere).
      throw new UserError('Installing the native backend needs a trusted workspace (it runs npm). Trust this folder or run the command in another window.');
    }
    const dir = nativeInstallDir(ctx.extension);
    ctx.log.info(`Installing ${TFJS_NODE} into ${dir}`);
    ctx.log.show();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Installing native TensorFlow backend', cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return npmInstall(
          dir,
          TFJS_NODE,
          (line) => {
            ctx.log.info(`[npm] ${line}`);
            progress.report({ message: line.slice(0, 120) });
          },
          abort.signal,
        );
      },
    );
    if (!result.ok) {
      if (result.cancelled) return false;
      ctx.log.error(result.message);
      void vscode.window.showErrorMessage(`Model Lens: ${result.message}`, 'Show Log').then((a) => a && ctx.log.show());
      return false;
    }
    await ctx.extension.globalState.update(NATIVE_STATE_KEY, dir);
    if (ctx.runs.running.length === 0) ctx.worker.stop(); // the next request starts a worker that loads tfjs-node
    else ctx.log.info('A run is in progress: the native backend is used from the next worker start (after reload or a worker restart).');
    void vscode.window.showInformationMessage('Model Lens: native TensorFlow backend installed. The next training uses it (when it loads; the output says which backend was chosen).');
    return true;
  };
}
