/**
 * `model-lens summary FILE [--model NAME] [--json]`: the table Keras's `model.summary()` prints
 * (layer (type), output shape, parameters, connected to; totals), or one JSON object.
 * Exit 0 when every model was read; 1 with `FILE:LINE:COL: message` lines on stderr otherwise.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Diagnostic, ModelIR, ReadResult } from '../core/model/ir';
import { readModel } from '../core/read-model';
import { summaryTable } from '../core/model/summary-table';

export const summaryUsage = 'model-lens summary FILE [--model NAME] [--json]';

export interface SummaryIO {
  out(line: string): void;
  err(line: string): void;
}

const processIO: SummaryIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

export function summaryCommand(argv: string[], io: SummaryIO = processIO): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { model: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
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
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`${file}:1:1: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return 1;
  }
  const result = readModel(file, text);
  const wanted = parsed.values.model;
  let models = result.models;
  const problems: string[] = [];
  if (wanted !== undefined) {
    models = models.filter((m) => m.name === wanted || m.variable === wanted);
    if (!models.length) {
      problems.push(`${file}:1:1: no model named '${wanted}'; the file has ${result.models.length ? result.models.map((m) => m.name).join(', ') : 'no models'}`);
    }
  } else if (!models.length && !result.diagnostics.some((d) => d.severity === 'error')) {
    problems.push(`${file}:1:1: no Keras model found (build one with keras.Model(inputs, outputs), keras.Sequential([...]) or Sequential() + model.add(...))`);
  }
  const diagnostics = [...result.diagnostics, ...models.flatMap((m) => m.diagnostics)];
  for (const d of diagnostics) io.err(diagnosticLine(file, d));
  for (const p of problems) io.err(p);

  if (parsed.values.json) io.out(JSON.stringify(summaryJson(result, models)));
  else for (const m of models) io.out(summaryTable(m, file) + '\n');

  return problems.length || diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

export function diagnosticLine(file: string, d: Diagnostic): string {
  const where = `${file}:${d.range.line}:${d.range.column}`;
  return d.severity === 'error' ? `${where}: ${d.message}` : `${where}: ${d.severity}: ${d.message}`;
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
      diagnostics: m.diagnostics.map(diagJson),
    })),
    diagnostics: result.diagnostics.map(diagJson),
  };
}

export { summaryTable };
