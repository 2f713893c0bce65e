/**
 * The open panels, one per model; restores them after a window reload (serializer + the list
 * of open panels kept in workspace state).
 */
import * as vscode from 'vscode';
import type { PanelView } from '../../core/protocol/webview';
import type { Prediction } from '../../core/protocol/worker';
import type { HostContext } from '../context';
import { Disposable } from '../dispose';
import { modelKey } from '../text/model-pick';
import { ModelPanel, PANEL_VIEW_TYPE, panelOptions } from './model-panel';

const OPEN_KEY = 'modelLens.openPanels';
interface OpenPanel {
  file: string;
  model: string;
}

export class Panels extends Disposable {
  private readonly panels = new Map<string, ModelPanel>();
  private ctx: HostContext | undefined;

  /** Called once the context exists (the context holds this object too). */
  attach(ctx: HostContext): void {
    this.ctx = ctx;
    this.register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const saved = this.savedList();
          const s = state as Partial<OpenPanel> | undefined;
          const ref = s && typeof s.file === 'string' && typeof s.model === 'string' ? (s as OpenPanel) : saved.find((o) => !this.panels.has(modelKey(o.file, o.model)));
          if (!ref) {
            panel.dispose();
            return;
          }
          this.adopt(panel, ref.file, ref.model);
        },
      }),
    );
    this.register({ dispose: () => [...this.panels.values()].forEach((p) => p.dispose()) });
  }

  show(file: string, model: string, view?: PanelView, preserveFocus = false): ModelPanel {
    const ctx = this.need();
    const key = modelKey(file, model);
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal(view, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, `Model Lens: ${model}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, panelOptions(ctx));
    return this.adopt(panel, file, model, view);
  }

  get(file: string, model: string): ModelPanel | undefined {
    return this.panels.get(modelKey(file, model));
  }

  highlight(file: string, model: string, layer: string | null): void {
    this.panels.get(modelKey(file, model))?.highlight(layer);
  }

  showPrediction(file: string, model: string, prediction: Prediction, source: string): void {
    this.show(file, model, 'predictions', true).showPrediction(prediction, source);
  }

  private adopt(panel: vscode.WebviewPanel, file: string, model: string, view?: PanelView): ModelPanel {
    const p = new ModelPanel(this.need(), panel, file, model, view);
    this.panels.set(p.key, p);
    p.onDidDispose(() => {
      if (this.panels.get(p.key) === p) this.panels.delete(p.key);
      this.saveList();
    });
    this.saveList();
    return p;
  }

  private savedList(): OpenPanel[] {
    const v = this.ctx?.extension.workspaceState.get<OpenPanel[]>(OPEN_KEY);
    return Array.isArray(v) ? v : [];
  }

  private saveList(): void {
    if (this.isDisposing) return;
    const list: OpenPanel[] = [...this.panels.values()].map((p) => ({ file: p.file, model: p.modelName }));
    void this.ctx?.extension.workspaceState.update(OPEN_KEY, list);
  }

  private isDisposing = false;
  override dispose(): void {
    this.isDisposing = true; // keep the list so the panels come back after a reload
    super.dispose();
  }

  private need(): HostContext {
    if (!this.ctx) throw new Error('Panels used before the extension context was attached');
    return this.ctx;
  }
}
