/**
 * Code lens titles and the shape-flow text (pure; no `vscode` import).
 * The e2e tests look for these exact titles.
 */
import { trainingBlocker } from '../../core/keras/layer-table';
import { formatCount, formatShape, type ModelIR } from '../../core/model/ir';

export const LENS_TRAIN = '▶ Train';
/** A model with a layer TF.js cannot build: the lens names the layer; clicking it says why. */
export const LENS_TRAIN_BLOCKED = '⊘ Train';
export const LENS_STOP = '■ Stop';
export const LENS_EVALUATE = 'Evaluate';
export const LENS_PREDICT = 'Predict image…';
export const LENS_GRAPH = 'Show graph';

/** Live state of a training run, as the lenses and status bar show it. */
export interface RunProgress {
  epoch: number;
  epochs: number;
  /** 0–1 over the whole run. */
  progress: number;
  acc?: number;
  loss?: number;
  /** Seconds left for the whole run. */
  etaSec?: number;
}

/** `28×28×1 → … → 10 · 1.68 M params` (input shape(s), then output shape(s), then total). */
export function shapeFlowText(model: ModelIR): string {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const shapes = (names: string[]) =>
    names.map((n) => formatShape(byName.get(n)?.outputShape ?? null)).join(', ') || '?';
  const params = `${formatCount(model.totalParams)} params`;
  if (model.layers.length === 0) return params;
  return `${shapes(model.inputs)} → … → ${shapes(model.outputs)} · ${params}`;
}

/** `epoch 1/3 · 42% · acc 0.91` (acc only once known). */
export function progressText(p: RunProgress): string {
  const parts = [`epoch ${p.epoch}/${p.epochs}`, `${Math.floor(clamp01(p.progress) * 100)}%`];
  if (p.acc !== undefined && Number.isFinite(p.acc)) parts.push(`acc ${p.acc.toFixed(2)}`);
  else if (p.loss !== undefined && Number.isFinite(p.loss)) parts.push(`loss ${p.loss.toFixed(3)}`);
  return parts.join(' · ');
}

export interface LensSpec {
  title: string;
  /** Command id (without arguments; the provider adds the model reference). */
  command: string;
  tooltip?: string;
  /** Panel view to open (for `modelLens.showGraph`). */
  view?: 'graph' | 'shapes' | 'training';
}

/** The lenses above one model, in order. `running` = a run of this model is in progress. */
export function modelLenses(model: ModelIR, running?: RunProgress | 'starting'): LensSpec[] {
  const lenses: LensSpec[] = [];
  if (running) {
    lenses.push({ title: LENS_STOP, command: 'modelLens.stopTraining', tooltip: 'Stop training (keeps the last saved weights)' });
    lenses.push({
      title: running === 'starting' ? 'starting…' : progressText(running),
      command: 'modelLens.showGraph',
      view: 'training',
      tooltip: 'Open the panel with the live curves',
    });
  } else {
    const blocked = trainingBlocker(model);
    if (blocked) lenses.push({ title: `${LENS_TRAIN_BLOCKED} (${blocked.type})`, command: 'modelLens.train', tooltip: `Cannot train ${model.name} here: ${blocked.message}` });
    else lenses.push({ title: LENS_TRAIN, command: 'modelLens.train', tooltip: `Train ${model.name}` });
  }
  lenses.push({ title: LENS_EVALUATE, command: 'modelLens.evaluate', tooltip: 'Evaluate the latest trained weights on the test set' });
  lenses.push({ title: LENS_PREDICT, command: 'modelLens.predictImage', tooltip: 'Predict an image or a test sample' });
  lenses.push({ title: LENS_GRAPH, command: 'modelLens.showGraph', tooltip: 'Open the layer graph' });
  lenses.push({ title: shapeFlowText(model), command: 'modelLens.showGraph', view: 'shapes', tooltip: 'Open the shape flow' });
  return lenses;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
