/**
 * Resolving a model reference to its current IR and file hash, and to the weights that
 * Evaluate / Predict / the panel use (the latest run of that model that saved weights).
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { ModelIR } from '../../core/model/ir';
import type { RunRecord } from '../../core/run/record';
import { hashContent, isStale } from '../../core/run/store';
import type { HostContext } from '../context';
import { modelKey } from '../text/model-pick';
import { resolveTrainSettings } from '../text/train-settings';

export interface ModelSource {
  file: string;
  doc: vscode.TextDocument;
  model: ModelIR;
  hash: string;
  key: string;
}

export class NoWeightsError extends Error {
  readonly code = 'no-weights';
  constructor(modelName: string) {
    super(`${modelName} has no trained weights yet: click ▶ Train above the model first.`);
  }
}

/** The model as the file says now (the open document's text when it is open). */
export async function currentModel(ctx: HostContext, file: string, modelName: string): Promise<ModelSource | undefined> {
  const doc = ctx.documents.openDocument(file) ?? (await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
  const model = (await ctx.documents.current(doc)).models.find((m) => m.name === modelName);
  if (!model) return undefined;
  return { file, doc, model, hash: hashContent(doc.getText()), key: modelKey(file, modelName) };
}

export interface TrainedModel {
  /** The run whose weights are used; none when they come from a saved file the source loads. */
  run?: RunRecord;
  /** Where the weights come from, for messages: `run 12`, `mnist.keras (load_model, line 4)`. */
  weightsFrom: string;
  modelId: string;
  stale: boolean;
  /** The dataset the run trained on (samples and evaluation use it). */
  dataset: string;
}

/**
 * Loads the latest trained weights of the model into the worker. The run's dataset path comes
 * from its run.json (workspace content): unless `needsData` is false, an untrusted workspace
 * asks before it is used.
 */
export async function trainedModel(ctx: HostContext, src: ModelSource, needsData = true): Promise<TrainedModel> {
  const run = await ctx.runs.latestWithWeights(src.file, src.model.name);
  const start = src.model.startWeights;
  if ((!run || !run.weightsDir) && start) {
    // `load_model("…")` / `model.load_weights("…")` in the source: the worker starts from that file.
    const dataset = needsData ? await defaultDataset(ctx, src.model) : resolveTrainSettings(src.model.training, ctx.settings.training).settings.dataset;
    const modelId = await ctx.worker.loadModel(src.key, src.model);
    return { modelId, stale: false, dataset, weightsFrom: `${path.basename(start.file)} (${start.kind === 'model' ? 'load_model' : 'load_weights'}, line ${start.line})` };
  }
  if (!run || !run.weightsDir) throw new NoWeightsError(src.model.name);
  if (needsData) await ctx.datasetTrust.require(run.settings.dataset, `run ${run.id}`);
  // The weights fit the IR the run trained, not necessarily the file as edited since.
  const modelId = await ctx.worker.loadModel(src.key, run.model ?? src.model, run.weightsDir);
  return { run, modelId, stale: isStale(run, src.hash), dataset: run.settings.dataset, weightsFrom: `run ${run.id}` };
}

/** The dataset a model's samples come from when it has not been trained yet (asks in an untrusted workspace). */
export async function defaultDataset(ctx: HostContext, model: ModelIR): Promise<string> {
  const r = resolveTrainSettings(model.training, ctx.settings.training);
  await ctx.datasetTrust.require(r.settings.dataset, r.source.dataset === 'file' ? 'the model file' : 'the modelLens.datasetPath setting');
  return r.settings.dataset;
}
