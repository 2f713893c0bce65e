// The side bar's models-and-runs tree against a stand-in context (no VS Code).
import { workspaceState } from './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord } from '../../../src/core/run/record';
import { RunsTree } from '../../../src/extension/runs/runs-tree';
import type { HostContext } from '../../../src/extension/context';
import { tinyCnn } from './fixture';

function rec(id: string, startedAt: string, over: Partial<RunRecord> = {}): RunRecord {
  return { id, modelName: 'Basic_CNN', modelFile: '/w/m.py', modelHash: 'h', status: 'completed', startedAt, settings: { epochs: 1, batchSize: 64, dataset: 'mnist' }, batches: [], epochs: [], model: tinyCnn(), ...over };
}

test('models with their runs, newest first: status, test accuracy, what changed; clicking opens the Runs tab', async () => {
  workspaceState.folders = [{ uri: { fsPath: '/w', scheme: 'file' } }];
  const runs = [
    rec('a', '2026-12-01T10:00:00Z', { test: { loss: 0.3, acc: 0.91, samples: 100 } }),
    rec('b', '2026-12-01T11:00:00Z', { settings: { epochs: 1, batchSize: 128, dataset: 'mnist' }, test: { loss: 0.2, acc: 0.93, samples: 100 } }),
    rec('c', '2026-12-01T12:00:00Z', { status: 'interrupted', label: 'wide' }),
    rec('x', '2026-12-01T09:00:00Z', { modelName: 'Other', modelFile: '/w/o.py' }),
  ];
  const none = () => ({ dispose: () => undefined });
  const ctx = { runs: { listRuns: async () => runs, running: [], onDidChange: none }, documents: { onDidChange: none, peek: () => undefined } } as unknown as HostContext;
  const tree = new RunsTree(ctx);
  const models = await tree.getChildren();
  assert.deepEqual(models.map((m) => tree.getTreeItem(m).label), ['Basic_CNN', 'Other']);
  assert.equal(tree.getTreeItem(models[0]!).description, 'm.py · 3 run(s)');
  const items = (await tree.getChildren(models[0])).map((n) => tree.getTreeItem(n));
  assert.deepEqual(items.map((i) => i.label), ['wide', '2026-12-01 11:00', '2026-12-01 10:00']);
  assert.deepEqual(items.map((i) => i.description), ['interrupted · batch 64', 'completed · acc 0.9300 · batch 128', 'completed · acc 0.9100 · first run']);
  assert.deepEqual(items[0]!.command, { command: 'modelLens.showGraph', title: 'Show runs', arguments: [{ file: '/w/m.py', model: 'Basic_CNN', view: 'runs' }] });
  assert.equal((items[0]!.iconPath as { id: string }).id, 'warning');
  tree.dispose();
});
