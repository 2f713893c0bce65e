/** The status bar item while a run is in progress: `$(sync~spin) Basic_CNN 42% · 1:10 left`. */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { statusText, statusTextMany } from '../text/status-text';
import type { RunManager } from './run-manager';

export class RunStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('modelLens.run', vscode.StatusBarAlignment.Left, 10));

  constructor(private readonly runs: RunManager) {
    super();
    this.item.name = 'Model Lens training';
    this.register(runs.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const active = this.runs.running;
    if (active.length === 0) {
      this.item.hide();
      void vscode.commands.executeCommand('setContext', 'modelLens.training', false);
      return;
    }
    const texts = active.map((r) => statusText(r.record.modelName, r.progress === 'starting' ? undefined : r.progress, r.stopping));
    const first = active[0]!;
    this.item.text = statusTextMany(texts);
    this.item.tooltip = `${active.map((r) => r.record.modelName).join(', ')} training — click to open the panel`;
    this.item.command = {
      title: 'Open panel',
      command: 'modelLens.showGraph',
      arguments: [{ file: first.record.modelFile, model: first.record.modelName, view: 'training' }],
    };
    this.item.show();
    void vscode.commands.executeCommand('setContext', 'modelLens.training', true);
  }
}
