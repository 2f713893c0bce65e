/**
 * One panel per model. The host owns the state: on `ready` the panel gets everything
 * (model, runs incl. a running one with its history, weights status), then only deltas.
 * Requests from the panel (samples, drawing predictions, activations, exports) are served
 * here, mostly by forwarding to the worker with the model's latest trained weights.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewPanelHtml } from './webview-html';
import { panelEventCheckers, panelParamCheckers } from '../../core/protocol/webview-checks';
import { RpcEndpoint, RpcError } from '../../core/protocol/rpc';
import type { FromWebviewEvents, HostPanelApi, PanelState, PanelView, ToWebviewEvents, WebviewPanelApi } from '../../core/protocol/webview';
import type { ModelIR } from '../../core/model/ir';
import type { Prediction } from '../../core/protocol/worker';
import type { HostContext } from '../context';
import { Disposable } from '../dispose';
import { currentModel, defaultDataset, trainedModel, type ModelSource } from '../runs/model-source';
import { runAction } from '../runs/run-actions';
import { latestWithWeights } from '../../core/run/run-model';
import { packRuns } from '../../core/run/shared-models';
import { modelKey } from '../text/model-pick';
import { toRange } from '../ranges';
import { webviewTransport } from './transport';

export const PANEL_VIEW_TYPE = 'modelLens.panel';

export type PanelRpc = RpcEndpoint<HostPanelApi, WebviewPanelApi, FromWebviewEvents, ToWebviewEvents>;

export function panelOptions(ctx: HostContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  const ext = ctx.extension.extensionUri;
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(ext, 'dist'), vscode.Uri.joinPath(ext, 'media')],
  };
}

export class ModelPanel extends Disposable {
  readonly key: string;
  private readonly rpc: PanelRpc;
  private ready = false;
  private pendingView: PanelView | undefined;
  private readonly disposedEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    private readonly ctx: HostContext,
    readonly panel: vscode.WebviewPanel,
    readonly file: string,
    readonly modelName: string,
    view?: PanelView,
  ) {
    super();
    this.key = modelKey(file, modelName);
    this.pendingView = view;
    panel.webview.options = panelOptions(ctx);
    panel.title = `Model Lens: ${modelName}`;
    const icon = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'icon.svg');
    if (fs.existsSync(icon.fsPath)) panel.iconPath = icon;
    panel.webview.html = this.html();
    const transport = this.register(webviewTransport(panel.webview));
    this.rpc = new RpcEndpoint(transport);
    this.register({ dispose: () => this.rpc.dispose('panel closed') });
    // The page is web content: what it sends is checked before it reaches the worker or the disk.
    this.rpc.check({ params: panelParamCheckers, events: panelEventCheckers, onRejected: (what, message) => ctx.log.warn(`Panel: ${what} refused: ${message}`) });
    this.rpc.on('ready', () => {
      this.ready = true;
      void this.sendState().catch((e) => ctx.log.error('Sending the panel state failed', e));
    });
    this.rpc.on('revealLayer', ({ layer, within }) => void this.revealLayer(layer, within ?? []));
    this.rpc.handle({
      samples: (p, { signal }) => this.samples(p.start, p.count, signal),
      predictPixels: async ({ image }, { signal }) => {
        const t = await trainedModel(ctx, await this.source(), false);
        return ctx.worker.request('predict', { modelId: t.modelId, input: { kind: 'pixels', image }, topK: 3 }, signal);
      },
      activations: async ({ sample, image }, { signal }) => {
        const t = await trainedModel(ctx, await this.source(), !image);
        const input = image ? ({ kind: 'pixels', image } as const) : ({ kind: 'sample', dataset: t.dataset, split: 'test', index: sample ?? 0 } as const);
        return ctx.worker.request('activations', { modelId: t.modelId, input }, signal);
      },
      exportFile: (p) => this.exportFile(p.suggestedName, p.content, p.encoding),
      runAction: async ({ runId, action }) => {
        if (typeof runId !== 'string' || typeof action !== 'string') throw new RpcError('runAction needs a run id and an action.', 'bad-request');
        const r = await runAction(ctx, file, runId, action);
        if (r.done) await this.sendState();
        return r;
      },
      runCurves: async ({ ids }) => {
        const runs = await this.ctx.runs.runsOf(file, modelName);
        const byId = new Map(runs.map((r) => [r.id, r]));
        // A curve read lazily is parsed (and checked) here, the first time it is drawn.
        return { curves: ids.flatMap((id) => { const r = byId.get(id); return r ? [{ id, batches: r.batches }] : []; }) };
      },
      // The command asks its questions and runs the whole sweep: the panel is answered at once
      // (errors and the end of the sweep are the command's messages).
      trainVariants: () => {
        void vscode.commands.executeCommand('modelLens.trainVariants', { file, model: modelName });
        return { started: true };
      },
      // Weights statistics and export are for saved model files (the saved-model editor serves them).
      weights: () => Promise.reject(new RpcError('The Weights view shows the weights of a saved model file: open a .keras, .h5 or TF.js model.json, or export a run with `model-lens export`.', 'no-weights')),
      weightStats: () => Promise.reject(new RpcError('The Weights view shows the weights of a saved model file.', 'no-weights')),
      kernel: () => Promise.reject(new RpcError('Kernels are shown for saved model files.', 'no-weights')),
      exportModel: () => Promise.reject(new RpcError('Export a trained run with `model-lens export RUN --to keras|h5|tfjs --out PATH`.', 'no-weights')),
    });
    this.register(
      ctx.documents.onDidChange((uri) => {
        if (!this.ready || uri.fsPath !== file) return;
        const doc = ctx.documents.openDocument(file);
        const model = doc && ctx.documents.peek(doc.uri)?.models.find((m) => m.name === modelName);
        if (model) this.rpc.emit('model', { model });
      }),
    );
    this.register(
      ctx.runs.onRunEvent((e) => {
        if (!this.ready || e.key !== this.key) return;
        if (e.kind === 'started') this.rpc.emit('runStarted', { run: e.run });
        else if (e.kind === 'batch') this.rpc.emit('runBatch', e.event);
        else if (e.kind === 'epoch') this.rpc.emit('runEpoch', e.event);
        else {
          this.rpc.emit('runDone', { run: e.run });
          void this.sendState().catch(() => undefined); // weights status changed
        }
      }),
    );
    this.register(panel.onDidDispose(() => this.disposeFromPanel()));
  }

  /** Shows the panel where it is (not moved into the editor's group). */
  reveal(view?: PanelView, preserveFocus = false): void {
    this.panel.reveal(this.panel.viewColumn, preserveFocus);
    if (!view) return;
    if (this.ready) this.rpc.emit('showView', { view });
    else this.pendingView = view;
  }

  highlight(layer: string | null): void {
    if (this.ready) this.rpc.emit('highlight', { layer });
  }

  showPrediction(prediction: Prediction, source: string): void {
    this.reveal('predictions', true);
    if (this.ready) this.rpc.emit('prediction', { prediction, source });
  }

  private disposed = false;
  private disposeFromPanel(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposedEmitter.fire();
    super.dispose();
  }

  override dispose(): void {
    if (this.disposed) return;
    this.panel.dispose(); // fires onDidDispose → disposeFromPanel
    this.disposeFromPanel();
  }

  private html(): string {
    return webviewPanelHtml(this.ctx.extension.extensionUri, this.panel.webview, `Model Lens: ${this.modelName}`);
  }

  private async source(): Promise<ModelSource> {
    const src = await currentModel(this.ctx, this.file, this.modelName);
    if (!src) throw new RpcError(`${this.modelName} is no longer in ${this.file}.`, 'no-model');
    return src;
  }

  private async sendState(): Promise<void> {
    const src = await currentModel(this.ctx, this.file, this.modelName);
    const runs = await this.ctx.runs.runsOf(this.file, this.modelName);
    const model = src?.model ?? [...runs].reverse().find((r) => r.model)?.model;
    if (!model) {
      this.ctx.log.warn(`Panel: ${this.modelName} is not in ${this.file} any more.`);
      return;
    }
    // One read of the runs folder (1,000 runs take a noticeable fraction of a second to read).
    const latest = latestWithWeights(runs, this.file, this.modelName, (dir) => fs.existsSync(path.join(dir, 'model.json')));
    const state: PanelState = { model, file: this.file, ...packRuns(runs, { omitOlderCurves: true }), hasWeights: !!latest || !!src?.model.startWeights, weightsStale: !!(latest && src && latest.modelHash !== src.hash) };
    if (this.pendingView) state.view = this.pendingView;
    this.pendingView = undefined;
    this.rpc.emit('state', state);
  }

  private async samples(start: number, count: number, signal: AbortSignal) {
    const src = await this.source();
    let modelId: string | undefined;
    let dataset: string;
    try {
      const t = await trainedModel(this.ctx, src);
      modelId = t.modelId;
      dataset = t.dataset;
    } catch (e) {
      if ((e as { code?: string }).code !== 'no-weights') throw e;
      dataset = await defaultDataset(this.ctx, src.model);
    }
    return this.ctx.worker.request('samples', { dataset, split: 'test', start, count, ...(modelId ? { modelId } : {}) }, signal);
  }

  private async revealLayer(layer: string, within: string[]): Promise<void> {
    try {
      const src = await this.source();
      // A layer of a nested model the panel opened: through the nodes it was opened from.
      let model: ModelIR | undefined = src.model;
      for (const name of within) model = model?.layers.find((l) => l.name === name)?.nested?.graph;
      const node = model?.layers.find((l) => l.name === layer);
      if (!node) return;
      const range = toRange(node.range, src.doc);
      const editor = await vscode.window.showTextDocument(src.doc, {
        viewColumn: vscode.window.visibleTextEditors.find((e) => e.document === src.doc)?.viewColumn ?? vscode.ViewColumn.One,
        selection: new vscode.Range(range.start, range.start),
        preserveFocus: false,
      });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (e) {
      this.ctx.log.error(`Revealing layer ${layer} failed`, e);
    }
  }

  private async exportFile(suggestedName: string, content: string, encoding: 'utf8' | 'base64') {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(this.file))?.uri ?? vscode.Uri.file(path.dirname(this.file));
    const safe = suggestedName.replace(/[\\/:*?"<>|]+/g, '_') || 'export';
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, safe), saveLabel: 'Export' });
    if (!target) return { saved: false };
    await vscode.workspace.fs.writeFile(target, Buffer.from(content, encoding));
    this.ctx.log.info(`Exported ${target.fsPath}`);
    return { saved: true, path: target.fsPath };
  }
}
