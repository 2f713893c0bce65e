/**
 * A read-only custom editor for saved models: double-clicking a `.keras`, `.h5`/`.hdf5` (or a TF.js
 * `model.json`, where the text editor stays one "Reopen With…" away) opens the Model Lens panel as
 * the file's editor — graph, shape flow and counts from the saved config, the Weights view, and
 * Draw / Layers see / Predictions running the file's own weights in the worker. A `model.json`
 * that is not a TF.js model is reopened in the text editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewPanelHtml } from '../panel/webview-html';
import { RpcEndpoint, RpcError } from '../../core/protocol/rpc';
import type { PanelState, WeightLayerInfo, WeightTensorInfo } from '../../core/protocol/webview';
import { panelEventCheckers, panelParamCheckers } from '../../core/protocol/webview-checks';
import { exportModel } from '../../core/saved/export';
import { openModelFile, type OpenedModel } from '../../core/saved/open-saved';
import { layerStatsAsync } from '../../core/saved/weight-stats';
import { kernelChannel } from '../../core/saved/weights';
import type { HostContext } from '../context';
import { Disposable } from '../dispose';
import { panelOptions, type PanelRpc } from '../panel/model-panel';
import { webviewTransport } from '../panel/transport';

export const SAVED_MODEL_VIEW_TYPE = 'modelLens.savedModel';
export const TFJS_MODEL_VIEW_TYPE = 'modelLens.tfjsModel';

class SavedModelDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly opened: OpenedModel,
  ) {}
  dispose(): void {
    this.opened.close();
  }
}

export function registerSavedModelEditor(ctx: HostContext): vscode.Disposable {
  const provider: vscode.CustomReadonlyEditorProvider<SavedModelDocument> = {
    // The graph as soon as the config is read; the weights follow (a .keras's copied out of its zip).
    openCustomDocument: async (uri) => new SavedModelDocument(uri, await openModelFile(uri.fsPath, {}, { deferWeights: true })),
    resolveCustomEditor: async (doc, panel) => {
      const o = doc.opened;
      if (o.format === 'json' || o.format === 'python' || !o.result.models.length) {
        if (path.basename(doc.uri.fsPath).toLowerCase().endsWith('.json') && o.format !== 'tfjs') {
          // Not a TF.js model: the text editor is the right one.
          await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default');
          panel.dispose();
          return;
        }
        const why = [...o.result.diagnostics, ...(o.result.models[0]?.diagnostics ?? [])].find((d) => d.severity === 'error')?.message ?? 'no Keras model in it';
        panel.webview.html = `<!DOCTYPE html><html><body><p>Model Lens cannot open ${escapeHtml(path.basename(doc.uri.fsPath))}: ${escapeHtml(why)}</p></body></html>`;
        return;
      }
      new SavedModelPanel(ctx, doc, panel);
    },
  };
  const options = { webviewOptions: { retainContextWhenHidden: true }, supportsMultipleEditorsPerDocument: true };
  return vscode.Disposable.from(
    vscode.window.registerCustomEditorProvider(SAVED_MODEL_VIEW_TYPE, provider, options),
    vscode.window.registerCustomEditorProvider(TFJS_MODEL_VIEW_TYPE, provider, options),
  );
}

const formatScale = (s: number) => (Math.abs(s * 255 - 1) < 1e-12 ? '1/255' : String(s));

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

class SavedModelPanel extends Disposable {
  private readonly rpc: PanelRpc;
  private modelId: Promise<string> | undefined;
  private readonly statsCache = new Map<string, Promise<WeightTensorInfo[]>>();
  private stateSent = false;

  constructor(
    private readonly ctx: HostContext,
    private readonly doc: SavedModelDocument,
    private readonly panel: vscode.WebviewPanel,
  ) {
    super();
    const o = doc.opened;
    const model = o.result.models[0]!;
    panel.webview.options = panelOptions(ctx);
    panel.webview.html = this.html(model.name);
    this.rpc = new RpcEndpoint(this.register(webviewTransport(panel.webview)));
    this.register({ dispose: () => this.rpc.dispose('editor closed') });
    this.rpc.check({ params: panelParamCheckers, events: panelEventCheckers, onRejected: (what, message) => ctx.log.warn(`Saved model editor: ${what} refused: ${message}`) });
    for (const d of [...o.result.diagnostics, ...model.diagnostics]) ctx.log.warn(`${o.file}: ${d.message}`);
    this.rpc.on('ready', () => {
      const state: PanelState = {
        model,
        file: o.file,
        runs: [],
        hasWeights: !!o.weights || !!o.weightsPending,
        saved: { format: o.format as 'keras' | 'h5' | 'tfjs', ...(o.savedBy ? { savedBy: o.savedBy } : {}), ...(o.exportedFrom ? { exportedFrom: o.exportedFrom } : {}) },
      };
      this.rpc.emit('state', state);
      this.stateSent = true;
    });
    // Weight diagnostics (a mismatch with the config, an unreadable file) come with the weights.
    // (A panel not yet ready gets them in its state; the model object is the same.)
    let live = true;
    this.register({ dispose: () => void (live = false) });
    void o.weightsPending?.then(() => {
      if (!live) return;
      const added = model.diagnostics.filter((d) => d.code === 'weights');
      for (const d of added) ctx.log.warn(`${o.file}: ${d.message}`);
      if (added.length && this.stateSent) this.rpc.emit('model', { model });
    });
    this.rpc.on('revealLayer', () => undefined);
    const dataset = model.training.dataset ?? 'mnist';
    this.rpc.handle({
      samples: async (p, { signal }) => this.ctx.worker.request('samples', { dataset, split: 'test', start: p.start, count: p.count, modelId: await this.model() }, signal),
      predictPixels: async ({ image }, { signal }) => this.ctx.worker.request('predict', { modelId: await this.model(), input: { kind: 'pixels', image }, topK: 3 }, signal),
      activations: async ({ sample, image }, { signal }) => {
        const input = image ? ({ kind: 'pixels', image } as const) : ({ kind: 'sample', dataset, split: 'test', index: sample ?? 0 } as const);
        return this.ctx.worker.request('activations', { modelId: await this.model(), input }, signal);
      },
      exportFile: (p) => this.saveAs(p.suggestedName, Buffer.from(p.content, p.encoding)),
      weights: async () => (await o.weightsPending, { layers: this.weights() }),
      weightStats: async ({ layer }, { signal }) => (await o.weightsPending, { tensors: await this.layerStats(layer, signal) }),
      kernel: async ({ layer, name, channel }) => (await o.weightsPending, this.kernel(layer, name, channel)),
      exportModel: async ({ format }) => (await o.weightsPending, this.exportAs(format)),
      setInputScale: async ({ scale }) => this.setInputScale(scale),
    });
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  private html(name: string): string {
    return webviewPanelHtml(this.ctx.extension.extensionUri, this.panel.webview, `Model Lens: ${name}`);
  }

  /** The model built in the worker with the file's own weights (once per editor). */
  private model(): Promise<string> {
    const o = this.doc.opened;
    // The worker reads the file itself: no need to wait for this editor's copy of a .keras's weights.
    if (!o.weights && !o.weightsPending) return Promise.reject(new RpcError(`${path.basename(o.file)} has no weights to run.`, 'no-weights'));
    this.modelId ??= this.ctx.worker.request('loadModel', { model: o.result.models[0]!, savedFile: o.file }).then((r) => r.modelId);
    this.modelId.catch(() => (this.modelId = undefined));
    return this.modelId;
  }

  /**
   * The user's input scaling (pixels × scale) for this editor's runs: the model is built again in
   * the worker with it (the old one is freed); Draw, Layers see and Predictions use it from then on.
   */
  private setInputScale(scale: number): { scale: number; source: string } {
    const m = this.doc.opened.result.models[0]!;
    m.training.inputScale = scale;
    m.training.inputScaleSource = `pixels × ${formatScale(scale)} (set in this panel)`;
    const old = this.modelId;
    this.modelId = undefined;
    void old?.then((modelId) => this.ctx.worker.request('dispose', { modelId })).catch(() => undefined);
    this.ctx.log.info(`${this.doc.opened.file}: input scaling set to ${m.training.inputScaleSource}`);
    return { scale, source: m.training.inputScaleSource };
  }

  /** The list at once: names, shapes, dtypes and what cannot be read; no values are read. */
  private weights(): WeightLayerInfo[] {
    const w = this.doc.opened.weights;
    if (!w) throw new RpcError(`${path.basename(this.doc.opened.file)} has no weights (a config only).`, 'no-weights');
    return w.layers.map((l) => ({
      layer: l.layer,
      type: l.type,
      tensors: l.tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: t.dtype, trainable: t.trainable, ...(t.problem ? { problem: t.problem } : {}) })),
    }));
  }

  /**
   * One layer's statistics, read in blocks with the extension host's event loop given a turn
   * after each (a large file never blocks VS Code); computed once per layer, stopped when the
   * request is cancelled (the panel closed or the model changed).
   */
  private layerStats(layer: string, signal: AbortSignal): Promise<WeightTensorInfo[]> {
    const l = this.doc.opened.weights?.layers.find((x) => x.layer === layer);
    if (!l) return Promise.reject(new RpcError(`no weights for layer '${layer}'`, 'bad-request'));
    let p = this.statsCache.get(layer);
    if (!p) {
      p = layerStatsAsync(l, 40, signal);
      this.statsCache.set(layer, p);
      p.catch(() => this.statsCache.delete(layer));
    }
    return p;
  }

  private kernel(layer: string, name: string, channel: number) {
    const t = this.doc.opened.weights?.layers.find((l) => l.layer === layer)?.tensors.find((x) => x.name === name);
    if (!t || t.shape.length !== 4) throw new RpcError(`no 4-D kernel '${layer}/${name}'`, 'bad-request');
    const [kh, kw, cin, filters] = t.shape as [number, number, number, number];
    if (channel >= cin) throw new RpcError(`'${layer}/${name}' has ${cin} input channels`, 'bad-request');
    return { shape: [kh, kw, filters], data: kernelChannel(t, channel), channels: cin };
  }

  private async exportAs(format: 'keras' | 'h5' | 'tfjs') {
    const o = this.doc.opened;
    if (!o.modelConfig || !o.weights) throw new RpcError('this file has no saved config and weights to export', 'no-weights');
    const base = path.basename(o.file).replace(/\.(keras|h5|hdf5|json)$/i, '');
    const dir = path.dirname(o.file);
    const suggested = format === 'tfjs' ? path.join(dir, `${base}_tfjs`, 'model.json') : path.join(dir, `${base}.${format === 'keras' ? 'keras' : 'h5'}`);
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(suggested), saveLabel: 'Export', filters: format === 'tfjs' ? { 'TF.js model.json': ['json'] } : format === 'keras' ? { Keras: ['keras'] } : { HDF5: ['h5', 'hdf5'] } });
    if (!target) return { saved: false };
    const written = await exportModel(
      {
        modelConfig: o.modelConfig,
        ...(o.trainingConfig ? { trainingConfig: o.trainingConfig } : {}),
        weights: o.weights,
        source: o.file,
        ...(o.savedBy?.startsWith('Keras ') ? { kerasVersion: o.savedBy.slice(6) } : {}),
        ...(o.optimizer ? { optimizer: o.optimizer } : {}),
        note: (message) => {
          this.ctx.log.warn(`Export of ${o.file}: ${message}`);
          void vscode.window.showWarningMessage(`Model Lens: ${message}`);
        },
      },
      format,
      target.fsPath,
    );
    this.ctx.log.info(`Exported ${o.file} to ${written}`);
    return { saved: true, path: written };
  }

  private async saveAs(suggestedName: string, content: Buffer) {
    const safe = suggestedName.replace(/[\\/:*?"<>|]+/g, '_') || 'export';
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(path.dirname(this.doc.opened.file), safe)), saveLabel: 'Export' });
    if (!target) return { saved: false };
    await vscode.workspace.fs.writeFile(target, content);
    return { saved: true, path: target.fsPath };
  }
}
