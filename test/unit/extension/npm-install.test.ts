// npmInstall against fake `npm` executables on PATH (success, offline, missing npm, cancel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInstalled, npmInstall } from '../../../src/extension/native/npm-install';

function fakeNpm(script: string): { env: NodeJS.ProcessEnv; dir: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-npm-bin-'));
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-native-'));
  return { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, dir };
}

test('success: the package lands in node_modules, lines are streamed, package.json written', async () => {
  const { env, dir } = fakeNpm('echo "added 1 package"; mkdir -p node_modules/@tensorflow/tfjs-node && echo "{}" > node_modules/@tensorflow/tfjs-node/package.json');
  const lines: string[] = [];
  const r = await npmInstall(dir, '@tensorflow/tfjs-node@4.22.0', (l) => lines.push(l), undefined, env);
  assert.deepEqual(r, { ok: true });
  assert.deepEqual(lines, ['added 1 package']);
  assert.ok(isInstalled(dir));
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).private, true);
});

test('offline: a clear message, not a stack', async () => {
  const { env, dir } = fakeNpm('echo "npm error code ENOTFOUND" >&2; echo "npm error request to https://registry.npmjs.org/@tensorflow%2ftfjs-node failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org" >&2; exit 1');
  const r = await npmInstall(dir, '@tensorflow/tfjs-node@4.22.0', () => undefined, undefined, env);
  assert.equal(r.ok, false);
  assert.match((r as { message: string }).message, /^No network: npm could not reach the registry/);
  assert.equal(isInstalled(dir), false);
});

test('exit 0 but nothing installed is a failure', async () => {
  const { env, dir } = fakeNpm('exit 0');
  const r = await npmInstall(dir, '@tensorflow/tfjs-node@4.22.0', () => undefined, undefined, env);
  assert.equal(r.ok, false);
});

test('npm missing: says to install Node.js', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-native-'));
  const r = await npmInstall(dir, '@tensorflow/tfjs-node@4.22.0', () => undefined, undefined, { ...process.env, PATH: path.join(dir, 'nothing-here') });
  assert.equal(r.ok, false);
  assert.match((r as { message: string }).message, /npm was not found/);
});

test('cancel kills npm', async () => {
  const { env, dir } = fakeNpm('sleep 30');
  const abort = new AbortController();
  const t0 = Date.now();
  setTimeout(() => abort.abort(), 100);
  const r = await npmInstall(dir, '@tensorflow/tfjs-node@4.22.0', () => undefined, abort.signal, env);
  assert.deepEqual(r, { ok: false, cancelled: true, message: 'Installation cancelled.' });
  assert.ok(Date.now() - t0 < 5000);
});
