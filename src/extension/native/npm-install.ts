/**
 * Runs the user's `npm install PACKAGE` in a folder (no `vscode` import: tested in plain Node).
 * Output lines are passed on as they come; failures come back as a message that says what to do.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { npmInstallError } from '../text/npm-errors';

export const TFJS_NODE = '@tensorflow/tfjs-node@4.22.0';

export type InstallResult = { ok: true } | { ok: false; cancelled?: boolean; message: string };

/** Whether `dir/node_modules/<name>` holds an installed package. */
export function isInstalled(dir: string, name = '@tensorflow/tfjs-node'): boolean {
  return fs.existsSync(path.join(dir, 'node_modules', ...name.split('/'), 'package.json'));
}

export function npmInstall(
  dir: string,
  spec: string,
  onLine: (line: string) => void,
  signal?: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstallResult> {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = path.join(dir, 'package.json');
  if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ name: 'model-lens-native', private: true, description: 'Native TensorFlow backend for Model Lens' }, null, 2));
  const name = spec.replace(/@[^@/]*$/, '');
  return new Promise((resolve) => {
    const win = process.platform === 'win32';
    // Its own process group, so cancel also stops npm's children (install scripts).
    const child = spawn(win ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund', '--save-exact', spec], { cwd: dir, shell: win, env, detached: !win });
    let output = '';
    let pending = '';
    const onData = (b: Buffer) => {
      const s = b.toString();
      output += s;
      const lines = (pending + s).split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const onAbort = () => {
      try {
        if (!win && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill();
      } catch {
        child.kill();
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => (spawnError = e));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (pending.trim()) onLine(pending);
      if (signal?.aborted) return resolve({ ok: false, cancelled: true, message: 'Installation cancelled.' });
      if (code === 0 && !spawnError && isInstalled(dir, name)) return resolve({ ok: true });
      const se = spawnError ? { ...(spawnError.code ? { code: spawnError.code } : {}), message: spawnError.message } : undefined;
      resolve({ ok: false, message: npmInstallError(output, code, se) });
    });
  });
}
