// package.json's contributions agree with the code: commands, titles, settings, activation.
import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../../src/extension/commands';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

test('every contributed command is registered and every registered command is contributed', () => {
  const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.keys(COMMANDS).sort());
});

test('every %key% in package.json has a text in package.nls.json', () => {
  const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  assert.ok(keys.length > 10);
  for (const k of keys) assert.ok(nls[k], `package.nls.json lacks ${k}`);
});

test('palette titles the e2e tests and users type', () => {
  const title = (id: string) => {
    const c = (pkg.contributes.commands as { command: string; title: string; category: string }[]).find((x) => x.command === id)!;
    return `${c.category}: ${nls[c.title.slice(1, -1)]}`;
  };
  assert.equal(title('modelLens.predictImage'), 'Model Lens: Predict Image…');
  assert.equal(title('modelLens.train'), 'Model Lens: Train Model');
  assert.equal(title('modelLens.installNativeBackend'), 'Model Lens: Install Native TensorFlow Backend');
});

test('settings read by the code are declared', () => {
  const src = fs.readFileSync(path.join(root, 'src/extension/settings.ts'), 'utf8');
  const read = new Set([...src.matchAll(/this\.(?:num|str)\('(\w+)'\)|get<\w+>\('(\w+)'\)|inspect<\w+>\('(\w+)'\)/g)].map((m) => m[1] ?? m[2] ?? m[3]));
  const declared = Object.keys(pkg.contributes.configuration.properties).map((k) => k.replace(/^modelLens\./, ''));
  for (const k of read) assert.ok(declared.includes(k!), `modelLens.${k} is read but not declared`);
  for (const k of ['epochs', 'batchSize', 'datasetPath', 'backend', 'validationSplit', 'inlineHints', 'nodePath', 'trainLimit', 'testLimit']) assert.ok(declared.includes(k), k);
});

test('activation only on Python / JSON (and restoring a panel, opening a saved model); untrusted workspaces limited', () => {
  assert.deepEqual(pkg.activationEvents, ['onLanguage:python', 'onLanguage:json', 'onWebviewPanel:modelLens.panel', 'onCustomEditor:modelLens.savedModel', 'onCustomEditor:modelLens.tfjsModel']);
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), ['modelLens.datasetPath', 'modelLens.nodePath']);
});

test('saved models (.keras, .h5, .hdf5, TF.js model.json) open in the read-only Model Lens editor', () => {
  const editors = (pkg.contributes as { customEditors: { viewType: string; selector: { filenamePattern: string }[]; priority: string }[] }).customEditors;
  const patterns = Object.fromEntries(editors.flatMap((e) => e.selector.map((s) => [s.filenamePattern, e.viewType])));
  assert.deepEqual(patterns, { '*.keras': 'modelLens.savedModel', '*.h5': 'modelLens.savedModel', '*.hdf5': 'modelLens.savedModel', 'model.json': 'modelLens.tfjsModel' });
});
