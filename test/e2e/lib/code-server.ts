/**
 * A real VS Code for the e2e tests: code-server 4.100.3 installed by test/e2e/setup.sh into a
 * cache folder, a fresh profile per run (telemetry off, our .vsix installed), started in its own
 * process group on a free loopback port and stopped with the whole group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const CODE_SERVER_VERSION = '4.100.3';
export const cacheDir = process.env.MODEL_LENS_E2E_CACHE || path.join(repoRoot, '.cache/e2e');
export const codeServerBin = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}/node_modules/.bin/code-server`);

/** Keeps code-server's own files (config.yaml, logs) out of $HOME. */
export function xdgEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CONFIG', 'DATA', 'CACHE', 'STATE'] as const) {
    const d = path.join(dir, 'xdg', k.toLowerCase());
    fs.mkdirSync(d, { recursive: true });
    env[`XDG_${k}_HOME`] = d;
  }
  // Settings of the developer's own VS Code must not leak in.
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; what: string }): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${opts.what} failed (exit ${r.status}):\n${out.slice(-4000)}`);
  return out;
}

/** Installs code-server into the cache when it is not there yet (a no-op afterwards). */
export function ensureCodeServer(): void {
  run('bash', [path.join(repoRoot, 'test/e2e/setup.sh')], { what: 'test/e2e/setup.sh', env: process.env });
}

/** `npm run package` in the repository, then a private copy of the .vsix for this run. */
export function packageExtension(dest: string): string {
  run('npm', ['run', 'package'], { cwd: repoRoot, what: 'npm run package', env: process.env });
  const vsix = path.join(repoRoot, 'model-lens.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`npm run package did not write ${vsix}`);
  fs.copyFileSync(vsix, dest);
  return dest;
}

export interface Profile {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  settingsFile: string;
  env: NodeJS.ProcessEnv;
}

/** Settings that keep a fresh VS Code quiet and deterministic for scripted typing. */
export const baseSettings: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.parameterHints.enabled': false,
  'editor.hover.enabled': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'python.experiments.enabled': false,
};

export function writeSettings(profile: Profile, settings: Record<string, unknown>): void {
  const tmp = `${profile.settingsFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(settings, null, 2));
  fs.renameSync(tmp, profile.settingsFile);
}

/** A fresh profile with the extension installed from `vsix`. */
export function createProfile(dir: string, vsix: string, settings: Record<string, unknown>): Profile {
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const profile: Profile = {
    dir,
    userDataDir,
    extensionsDir,
    configFile,
    settingsFile: path.join(userDataDir, 'User/settings.json'),
    env: xdgEnv(dir),
  };
  writeSettings(profile, { ...baseSettings, ...settings });
  const out = run(codeServerBin, [...profileArgs(profile), '--install-extension', vsix], {
    what: `code-server --install-extension ${vsix}`,
    env: profile.env,
  });
  if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} said:\n${out}`);
  return profile;
}

function profileArgs(p: Profile): string[] {
  return ['--config', p.configFile, '--user-data-dir', p.userDataDir, '--extensions-dir', p.extensionsDir];
}

export function listExtensions(p: Profile): string[] {
  const out = run(codeServerBin, [...profileArgs(p), '--list-extensions', '--show-versions'], {
    what: 'code-server --list-extensions',
    env: p.env,
  });
  return out.split('\n').filter((l) => /@/.test(l));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  logFile: string;
  /** Milliseconds from spawn to a healthy HTTP endpoint. */
  healthyMs: number;
  stop(): Promise<void>;
}

/** Starts code-server on `workspace` in its own process group (detached = setsid). */
export async function startCodeServer(p: Profile, workspace: string): Promise<RunningCodeServer> {
  const port = await freePort();
  const logFile = path.join(p.dir, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const t0 = Date.now();
  const child: ChildProcess = spawn(
    codeServerBin,
    [
      ...profileArgs(p),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { env: p.env, detached: true, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async (): Promise<void> => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000));
    if ((await Promise.race([gone, timer])) === 'timeout') {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    // The file watcher child can outlive its parent; make sure the whole group is gone.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited at start; log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const res = await fetch(`${url}healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server not healthy after 60 s; log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, logFile, healthyMs: Date.now() - t0, stop };
}
