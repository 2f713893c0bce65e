/**
 * The `model-lens` command: a small table of subcommands. To add one, write src/cli/NAME.ts
 * exporting a `(argv) => number | Promise<number>` function and a usage line, and add a row here.
 */
import { benchCommand, benchUsage } from './bench';
import { evaluateCommand, evaluateUsage } from './evaluate';
import { predictCommand, predictUsage } from './predict';
import { runsCommand, runsUsage } from './runs';
import { sweepCommand, sweepUsage } from './sweep';
import { summaryCommand, summaryUsage } from './summary';
import { trainCommand, trainUsage } from './train';
import { weightsCommand, weightsUsage } from './weights';
import { convertCommand, convertUsage, exportCommand, exportUsage } from './export';

export interface Command {
  usage: string;
  /** One line for `model-lens --help`. */
  about: string;
  run(argv: string[]): number | Promise<number>;
}

export const commands: Record<string, Command> = {
  summary: { usage: summaryUsage, about: 'print each model like Keras model.summary() (--json for one JSON object)', run: (a) => summaryCommand(a) },
  weights: { usage: weightsUsage, about: 'per layer, every weight tensor of a saved model with statistics and a histogram (--json)', run: (a) => weightsCommand(a) },
  export: { usage: exportUsage, about: "write a run's weights or a saved model as .keras (Keras 3), .h5 (Keras 2) or TF.js", run: (a) => exportCommand(a) },
  convert: { usage: convertUsage, about: 'convert between .keras, .h5 and TF.js (the format follows OUT)', run: (a) => convertCommand(a) },
  train: { usage: trainUsage, about: 'train a model in the worker, with progress; saves weights + run.json (--json: one JSON object per line)', run: (a) => trainCommand(a) },
  evaluate: { usage: evaluateUsage, about: 'test loss and accuracy of trained weights', run: (a) => evaluateCommand(a) },
  predict: { usage: predictUsage, about: 'top-k classes for an image file or a test sample', run: (a) => predictCommand(a) },
  sweep: { usage: sweepUsage, about: 'train every combination of settings, one after another; a table (or JSON lines) and the best run', run: (a) => sweepCommand(a) },
  runs: { usage: runsUsage, about: 'list runs (settings, results, what changed, which settings differ); --diff A B compares two runs; --export-tensorboard DIR writes them for TensorBoard', run: (a) => runsCommand(a) },
  bench: { usage: benchUsage, about: 'training / prediction speed of the reference Basic_CNN on synthetic data', run: (a) => benchCommand(a) },
};

function usage(): string {
  return [
    'usage: model-lens <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.about}\n  ${' '.repeat(10)} ${c.usage}`),
    '',
    'Models are read statically: the Python file is parsed, never executed.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`model-lens: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`model-lens: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
