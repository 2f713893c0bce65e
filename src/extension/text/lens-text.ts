/**
 * Code lens titles and the shape-flow text (pure; no `vscode` import).
 * The e2e tests look for these exact titles.
 */
import { trainingBlocker } from '../../core/keras/layer-table';
import { formatCount, formatOutputs, formatShape, modelOutputShape, type ModelIR, type UnbuiltModel } from '../../core/model/ir';
import { countCaveat } from '../../core/model/completeness';
import { summaryTable } from '../../core/model/summary-table';
import { summaryCallNotes } from '../../core/model/summary-calls';
import { shortProgressText, type ProgressSnapshot } from '../../core/run/progress';

export const LENS_TRAIN = '▶ Train';
/** A model with a layer TF.js cannot build: the lens names the layer; clicking it says why. */
export const LENS_TRAIN_BLOCKED = '⊘ Train';
export const LENS_STOP = '■ Stop';
export const LENS_EVALUATE = 'Evaluate';
export const LENS_PREDICT = 'Predict image…';
export const LENS_GRAPH = 'Show graph';

/** Live state of a training run: the one snapshot the lens, status bar, panel and notification print. */
export type RunProgress = ProgressSnapshot;

/** `28×28×1 → … → 10 · 1.68 M params` (input shape(s), then output shape(s), then total). */
export function shapeFlowText(model: ModelIR): string {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const shapes = (names: string[]) =>
    names.map((n) => formatShape(byName.get(n)?.outputShape ?? null)).join(', ') || '?';
  const outs = model.outputs.map((_, k) => formatShape(modelOutputShape(model, k))).join(', ') || '?';
  const params = `${formatCount(model.totalParams)} params`;
  if (model.layers.length === 0) return params;
  return `${shapes(model.inputs)} → … → ${outs} · ${params}`;
}

/** The summary lens's longest title; the flow's middle gives way first, then the name, never the count. */
export const SUMMARY_MAX_CHARS = 64;

/** Distinct consecutive output shapes from the inputs to the outputs: `28×28×1`, `28×28×32`, …, `10`. */
function flowShapes(model: ModelIR): { first: string; middle: string[]; last: string } {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const shapes = (names: string[]) => names.map((n) => formatShape(byName.get(n)?.outputShape ?? null)).join(', ') || '?';
  const first = shapes(model.inputs);
  const last = model.outputs.map((_, k) => formatShape(modelOutputShape(model, k))).join(', ') || '?';
  const middle: string[] = [];
  for (const l of model.layers) {
    if (model.inputs.includes(l.name) || model.outputs.includes(l.name)) continue;
    const s = formatOutputs(l);
    if (s !== (middle[middle.length - 1] ?? first)) middle.push(s);
  }
  if (middle[middle.length - 1] === last) middle.pop();
  return { first, middle, last };
}

/**
 * `Basic_CNN · 1,676,266 params · 28×28×1 → 28×28×32 → … → 512 → 10`: the model's name, its exact
 * parameter count, and as much of the shape flow as fits in `maxChars` (the middle elided first).
 */
export function summaryLensText(model: ModelIR, maxChars = SUMMARY_MAX_CHARS): string {
  // A count that is not Keras's says so in the lens itself, not only at the lines with the problems.
  const count = `${model.totalParams.toLocaleString('en-US')} params${countCaveat(model)}`;
  if (model.layers.length === 0) return `${model.name} · ${count}`;
  const { first, middle, last } = flowShapes(model);
  const flowOf = (head: string[], tail: string[]) => {
    const elided = head.length + tail.length < middle.length;
    return [first, ...head, ...(elided ? ['…'] : []), ...tail, last].join(' → ');
  };
  const line = (name: string, flow: string) => `${name} · ${count} · ${flow}`;
  // Keep shapes from both ends of the middle, alternating, while the line fits.
  let head: string[] = [];
  let tail: string[] = [];
  for (let i = 0; i < middle.length; i++) {
    const nextHead = i % 2 === 0 ? middle.slice(0, head.length + 1) : head;
    const nextTail = i % 2 === 1 ? middle.slice(middle.length - tail.length - 1) : tail;
    if (line(model.name, flowOf(nextHead, nextTail)).length > maxChars) break;
    head = nextHead;
    tail = nextTail;
  }
  const flow = flowOf(head, tail);
  const full = line(model.name, flow);
  if (full.length <= maxChars) return full;
  // Still too long: shorten the name (the count and the input → output stay).
  const room = maxChars - line('', flow).length;
  const name = model.name.length <= Math.max(room, 6) ? model.name : `${model.name.slice(0, Math.max(room, 6) - 1)}…`;
  return line(name, flow);
}

/** `epoch 1/3 · 42% · acc 0.91` (acc only once known): the shared formatter's short form. */
export const progressText = shortProgressText;

export interface LensSpec {
  title: string;
  /** Command id (without arguments; the provider adds the model reference). */
  command: string;
  tooltip?: string;
  /** Panel view to open (for `modelLens.showGraph`). */
  view?: 'graph' | 'shapes' | 'training';
}

/**
 * The lens above a model Keras never builds (a class without call(): a GAN/VAE wrapper): no count
 * and no Train, since there is no summary and Model Lens does not run its train_step; the tooltip
 * says why. Not clickable (no command).
 */
export function unbuiltLenses(u: UnbuiltModel): LensSpec[] {
  return [{ title: `${u.name} · not built (no call())${u.trainStep ? ' · its train_step is not run here' : ''}`, command: '', tooltip: u.message }];
}

/**
 * The lenses above one model, in order. `running` = a run of this model is in progress.
 * What a user wants most comes first, since a narrow editor cuts the row at the right: the
 * model's summary (exact count) when idle; Stop and the progress while it trains.
 * `file` names the model's file in the summary lens's tooltip (the Keras-style table).
 */
export function modelLenses(model: ModelIR, running?: RunProgress | 'starting', file = ''): LensSpec[] {
  const lenses: LensSpec[] = [];
  const summary: LensSpec = { title: summaryLensText(model), command: 'modelLens.showGraph', view: 'shapes', tooltip: [summaryTable(model, file || model.name), ...summaryCallNotes(model)].join('\n') };
  if (!running) lenses.push(summary);
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
  if (running) lenses.splice(2, 0, summary);
  return lenses;
}
