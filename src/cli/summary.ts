/**
 * `model-lens summary FILE [--model NAME] [--expand-nested] [--json]`: the table Keras's `model.summary()` prints
 * (layer (type), output shape, parameters, connected to; totals), or one JSON object.
 * Exit 0 when every model was read; 1 with `FILE:LINE:COL: message` lines on stderr otherwise.
 */
import { parseArgs } from 'node:util';
import type { Diagnostic, ModelIR, ReadResult } from '../core/model/ir';
import { isComplete } from '../core/model/completeness';
import { summaryTable, thousands } from '../core/model/summary-table';
import { summaryCallNotes } from '../core/model/summary-calls';
import { openModelFile, type OpenedModel } from '../core/saved/open-saved';
import { checkModelFile, diagnosticLine, modelReport } from './model-file';
import { cliAccess } from './engine-session';

export const summaryUsage = 'model-lens summary FILE [--model NAME] [--expand-nested] [--json]';

export interface SummaryIO {
  out(line: string): void;
  err(line: string): void;
}

const processIO: SummaryIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

export async function summaryCommand(argv: string[], io: SummaryIO = processIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { model: { type: 'string' }, json: { type: 'boolean' }, 'expand-nested': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.err(`model-lens summary: ${(e as Error).message}\nusage: ${summaryUsage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`usage: ${summaryUsage}\n\nPrints each Keras model in FILE (Python source, Keras JSON or TF.js model.json) like model.summary().`);
    return 0;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    io.err(`usage: ${summaryUsage}`);
    return 2;
  }
  const unreadable = checkModelFile(file);
  if (unreadable) {
    io.err(unreadable);
    return 1;
  }
  const opened = await openModelFile(file, cliAccess(file));
  try {
    return report(file, opened, parsed.values.model, parsed.values.json === true, io, parsed.values['expand-nested'] === true);
  } finally {
    opened.close();
  }
}

function report(file: string, opened: OpenedModel, wanted: string | undefined, json: boolean, io: SummaryIO, expandNested = false): number {
  const result = opened.result;
  // The same report train/evaluate/predict refuse a file with.
  const { models, lines, failed } = modelReport(file, result, wanted);
  for (const l of lines) io.err(l);

  if (json) io.out(JSON.stringify({ ...summaryJson(result, models), ...savedInfo(opened) }));
  else {
    for (const m of models) {
      // The file's own summary() calls that print other figures than this end state, under its table.
      const notes = summaryCallNotes(m);
      io.out(summaryTable(m, file, { expandNested }) + (notes.length ? '\n' + notes.join('\n') : '') + '\n');
    }
    const info = savedInfo(opened);
    if (info.savedBy || info.exportedFrom) io.out([info.savedBy ? `Saved by ${info.savedBy}` : '', info.exportedFrom ? `exported by Model Lens from ${info.exportedFrom}` : ''].filter(Boolean).join('; '));
    const t = models[0]?.training;
    if (opened.format !== 'python' && opened.format !== 'json' && t && (t.optimizer || t.loss)) {
      io.out(`Training config: optimizer ${t.optimizer?.name ?? '?'}${t.optimizer?.learningRate !== undefined ? ` (learning rate ${t.optimizer.learningRate})` : ''}, loss ${t.loss ?? '?'}, metrics ${t.metrics?.join(', ') || 'none'}`);
    }
    if (opened.weights) {
      const n = opened.weights.layers.reduce((a, l) => a + l.tensors.length, 0);
      const v = opened.weights.layers.reduce((a, l) => a + l.tensors.reduce((b, t) => b + t.size, 0), 0);
      io.out(`Weights: ${n} tensors, ${thousands(v)} values in ${opened.weights.layers.length} layers (model-lens weights ${file})`);
    }
  }

  return failed ? 1 : 0;
}

export { diagnosticLine };

function savedInfo(o: OpenedModel): { format?: string; savedBy?: string; exportedFrom?: string } {
  if (o.format === 'python' || o.format === 'json') return {};
  return { format: o.format, ...(o.savedBy ? { savedBy: o.savedBy } : {}), ...(o.exportedFrom ? { exportedFrom: o.exportedFrom } : {}) };
}

function diagJson(d: Diagnostic) {
  return { severity: d.severity, code: d.code, message: d.message, line: d.range.line, column: d.range.column, ...(d.layer ? { layer: d.layer } : {}) };
}

/** The `--json` object: `{"models":[{"name","line","layers":[…],"totalParams",…,"diagnostics":[]}],"diagnostics":[]}`. */
export function summaryJson(result: ReadResult, models: ModelIR[] = result.models) {
  return {
    models: models.map((m) => ({
      name: m.name,
      line: m.range.line,
      layers: m.layers.map((l) => ({
        name: l.name,
        type: l.type,
        outputShape: l.outputShape,
        params: l.params,
        trainableParams: l.trainableParams,
        inputs: l.inputs,
        line: l.range.line,
      })),
      totalParams: m.totalParams,
      trainableParams: m.trainableParams,
      nonTrainableParams: m.nonTrainableParams,
      // false when a statement that changes the model could not be read, or the model has an
      // error (a layer Model Lens could not build): the totals are then not Keras's.
      complete: isComplete(m),
      // What each summary() call of the file prints at its line (the model as it is there).
      ...(m.summaries?.length
        ? {
            summaries: m.summaries.map((c) => ({
              line: c.range.line,
              built: c.built,
              ...(c.totalParams !== undefined ? { total: c.totalParams, trainable: c.trainableParams, nonTrainable: c.nonTrainableParams, rows: c.layers } : {}),
            })),
          }
        : {}),
      ...(m.gaps?.length ? { gaps: m.gaps.map((g) => ({ line: g.range.line, column: g.range.column, after: g.after, message: g.message })) } : {}),
      diagnostics: m.diagnostics.map(diagJson),
    })),
    // false when any model is incomplete or the file could not be read to its end.
    complete: models.every(isComplete) && !result.diagnostics.some((d) => d.code === 'budget'),
    diagnostics: result.diagnostics.map(diagJson),
  };
}

export { summaryTable };
