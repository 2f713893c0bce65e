/**
 * The Model Lens view in the side bar: the workspace's models (those with runs on disk, and those in
 * open editors) and, under each, its runs newest first with status, test accuracy and what changed.
 * Clicking a model or a run opens the model's panel on its Runs tab.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/run/record';
import { diffRuns, isEmptyLayerDiff, layerDiffSummary } from '../../core/run/run-diff';
import { formatResult, resultsOf, settingsOf, SETTING_COLUMNS, formatSetting } from '../../core/run/run-table';
import type { HostContext } from '../context';
import { Disposable } from '../dispose';

type Node = { kind: 'model'; file: string; model: string; runs: RunRecord[] } | { kind: 'run'; file: string; model: string; run: RunRecord; prev?: RunRecord };

const STATUS_ICON: Record<RunRecord['status'], string> = { completed: 'pass', running: 'sync~spin', cancelled: 'debug-stop', failed: 'error', interrupted: 'warning' };

export class RunsTree extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: HostContext) {
    super();
    const refresh = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.changed.fire(), 500);
    };
    this.register(ctx.runs.onDidChange(refresh));
    this.register(ctx.documents.onDidChange(refresh));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(refresh));
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** Runs of every workspace folder (and the running ones), oldest first, grouped by model. */
  private async models(): Promise<Node[]> {
    const files = new Set<string>();
    for (const f of vscode.workspace.workspaceFolders ?? []) if (f.uri.scheme === 'file') files.add(path.join(f.uri.fsPath, '__any__.py'));
    const byModel = new Map<string, { file: string; model: string; runs: RunRecord[] }>();
    const add = (file: string, model: string) => {
      const key = `${file}\0${model}`;
      let m = byModel.get(key);
      if (!m) byModel.set(key, (m = { file, model, runs: [] }));
      return m;
    };
    const seen = new Set<string>();
    for (const f of files) {
      for (const r of await this.ctx.runs.listRuns(f)) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        add(r.modelFile, r.modelName).runs.push(r);
      }
    }
    for (const a of this.ctx.runs.running) if (!seen.has(a.record.id)) add(a.record.modelFile, a.record.modelName).runs.push(a.record);
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== 'file') continue;
      for (const m of this.ctx.documents.peek(doc.uri)?.models ?? []) add(doc.uri.fsPath, m.name);
    }
    return [...byModel.values()]
      .map((m) => ({ kind: 'model' as const, ...m, runs: m.runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt)) }))
      .sort((a, b) => a.model.localeCompare(b.model) || a.file.localeCompare(b.file));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.models();
    if (node.kind === 'run') return [];
    return node.runs.map((run, i) => ({ kind: 'run' as const, file: node.file, model: node.model, run, ...(i > 0 ? { prev: node.runs[i - 1]! } : {}) })).reverse();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const open = { command: 'modelLens.showGraph', title: 'Show runs', arguments: [{ file: node.file, model: node.model, view: 'runs' }] };
    if (node.kind === 'model') {
      const item = new vscode.TreeItem(node.model, node.runs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.description = `${vscode.workspace.asRelativePath(node.file)} · ${node.runs.length} run(s)`;
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.contextValue = 'model';
      item.command = open;
      item.id = `model:${node.file}:${node.model}`;
      return item;
    }
    const r = node.run;
    const res = resultsOf(r);
    const item = new vscode.TreeItem(r.label || r.startedAt.replace('T', ' ').slice(0, 16), vscode.TreeItemCollapsibleState.None);
    let change = 'first run';
    if (node.prev) {
      const d = diffRuns(node.prev, r);
      change = d.layers ? (isEmptyLayerDiff(d.layers) ? (d.settings.length ? d.settings.map((s) => `${s.label} ${s.to}`).join(', ') : 'same') : layerDiffSummary(d.layers)) : d.sameSource ? 'same file' : 'file edited';
    }
    item.description = `${r.status}${res.testAcc !== undefined ? ` · acc ${formatResult('testAcc', res.testAcc)}` : ''} · ${change}`;
    const s = settingsOf(r);
    item.tooltip = new vscode.MarkdownString(
      [`**${r.label ?? r.id}** — ${r.status}`, r.note ?? '', SETTING_COLUMNS.filter((c) => s[c.key] !== undefined).map((c) => `${c.label} ${formatSetting(s[c.key])}`).join(' · '), r.error ?? ''].filter(Boolean).join('\n\n'),
    );
    item.tooltip.isTrusted = false;
    item.iconPath = new vscode.ThemeIcon(STATUS_ICON[r.status] ?? 'circle-outline');
    item.contextValue = 'run';
    item.command = open;
    item.id = `run:${r.id}`;
    return item;
  }
}
