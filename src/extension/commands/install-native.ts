/**
 * Installs `@tensorflow/tfjs-node` into the extension's global storage with the user's npm.
 * From then on the worker is started with that folder so it can load the native backend.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { npmInstallError } from '../text/npm-errors';
import { UserError } from './pick-model';

export const NATIVE_STATE_KEY = 'modelLens.nativeModulePath';
const PACKAGE = '@tensorflow/tfjs-node@4.22.0';

export function nativeInstallDir(ctx: vscode.ExtensionContext): string {
  return path.join(ctx.globalStorageUri.fsPath, 'native');
}

/** The folder to give the worker, when a previous install left tfjs-node there. */
export function installedNativePath(ctx: vscode.ExtensionContext): string | undefined {
  const dir = ctx.globalState.get<string>(NATIVE_STATE_KEY);
  return dir && fs.existsSync(path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json')) ? dir : undefined;
}

export function installNative(ctx: HostContext) {
  return async () => {
    if (!vscode.workspace.isTrusted) {
      // The install runs npm; keep it to trusted windows (the user can still do it elsewhere).
      throw new UserError('Installing the native backend needs a trusted workspace (it runs npm). Trust this folder or run the command in another window.');
    }
    const dir = nativeInstallDir(ctx.extension);
    fs.mkdirSync(dir, { recursive: true });
    const pkg = path.join(dir, 'package.json');
    if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ name: 'model-lens-native', private: true, description: 'Native TensorFlow backend for Model Lens' }, null, 2));
    ctx.log.info(`Installing ${PACKAGE} into ${dir}`);
    ctx.log.show();
    const ok = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Installing native TensorFlow backend', cancellable: true },
      (progress, token) =>
        new Promise<boolean>((resolve) => {
          const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
          const child = spawn(npm, ['install', '--no-audit', '--no-fund', '--save-exact', PACKAGE], { cwd: dir, shell: process.platform === 'win32', env: process.env });
          let output = '';
          const onData = (b: Buffer) => {
            const s = b.toString();
            output += s;
            for (const line of s.split(/\r?\n/).filter((l) => l.trim())) {
              ctx.log.info(`[npm] ${line}`);
              progress.report({ message: line.slice(0, 120) });
            }
          };
          child.stdout?.on('data', onData);
          child.stderr?.on('data', onData);
          const cancel = token.onCancellationRequested(() => child.kill());
          let spawnError: NodeJS.ErrnoException | undefined;
          child.on('error', (e: NodeJS.ErrnoException) => (spawnError = e));
          child.on('close', (code) => {
            cancel.dispose();
            if (token.isCancellationRequested) return resolve(false);
            const installed = fs.existsSync(path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json'));
            if (code === 0 && installed && !spawnError) return resolve(true);
            const msg = npmInstallError(output, code, spawnError ? { ...(spawnError.code ? { code: spawnError.code } : {}), message: spawnError.message } : undefined);
            ctx.log.error(msg);
            void vscode.window.showErrorMessage(`Model Lens: ${msg}`, 'Show Log').then((a) => a && ctx.log.show());
            resolve(false);
          });
        }),
    );
    if (!ok) return false;
    await ctx.extension.globalState.update(NATIVE_STATE_KEY, dir);
    if (ctx.runs.running.length === 0) ctx.worker.stop(); // the next request starts a worker that loads tfjs-node
    else ctx.log.info('A run is in progress: the native backend is used from the next worker start (after reload or a worker restart).');
    void vscode.window.showInformationMessage('Model Lens: native TensorFlow backend installed. The next training uses it (when it loads; the output says which backend was chosen).');
    return true;
  };
}
