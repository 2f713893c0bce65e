/**
 * Training settings: what the file says, overridden by `modelLens.*` settings, overridden by
 * what the user typed in the quick input (pure; no `vscode` import).
 */
import type { TrainingConfig } from '../../core/model/ir';
import type { TrainSettings } from '../../core/run/record';
import { builtinDatasetName } from '../../core/data/dataset-names';

/** The `modelLens.*` values that bear on training; `undefined` / empty = not set. */
export interface UserTrainSettings {
  epochs?: number;
  batchSize?: number;
  datasetPath?: string;
  validationSplit?: number;
  trainLimit?: number;
  testLimit?: number;
}

/** Keras's own defaults for `fit` when neither the file nor the user says. */
export const KERAS_DEFAULTS = { epochs: 1, batchSize: 32, dataset: 'mnist' } as const;

/** Where each value came from (shown in the quick input, logged). */
export type SettingSource = 'file' | 'settings' | 'override' | 'default';

export interface ResolvedTrainSettings {
  settings: TrainSettings;
  source: Record<'epochs' | 'batchSize' | 'dataset', SettingSource>;
  /** True when the dataset is a filesystem path (not a built-in name). */
  datasetIsPath: boolean;
}

export function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

export function isBuiltinDataset(d: string): boolean {
  return builtinDatasetName(d) !== undefined;
}

export function resolveTrainSettings(
  file: TrainingConfig,
  user: UserTrainSettings,
  override: Partial<Pick<TrainSettings, 'epochs' | 'batchSize' | 'dataset'>> = {},
): ResolvedTrainSettings {
  const pick = <T>(o: T | undefined, u: T | undefined, f: T | undefined, d: T, ok: (v: T) => boolean) => {
    if (o !== undefined && ok(o)) return [o, 'override'] as const;
    if (u !== undefined && ok(u)) return [u, 'settings'] as const;
    if (f !== undefined && ok(f)) return [f, 'file'] as const;
    return [d, 'default'] as const;
  };
  const nonEmpty = (s: string) => typeof s === 'string' && s.trim() !== '';
  const [epochs, se] = pick(override.epochs, user.epochs, file.epochs, KERAS_DEFAULTS.epochs, isPositiveInt);
  const [batchSize, sb] = pick(override.batchSize, user.batchSize, file.batchSize, KERAS_DEFAULTS.batchSize, isPositiveInt);
  const [dataset, sd] = pick<string>(override.dataset, user.datasetPath, file.dataset ?? file.dataPath, KERAS_DEFAULTS.dataset, nonEmpty);
  const settings: TrainSettings = { epochs, batchSize, dataset: dataset.trim() };
  const split = user.validationSplit ?? file.validationSplit;
  if (typeof split === 'number' && split > 0 && split < 1) settings.validationSplit = split;
  if (file.validationData) settings.validationData = file.validationData;
  if (file.classWeight && Object.keys(file.classWeight).length) settings.classWeight = file.classWeight;
  if (file.shuffle !== undefined) settings.shuffle = file.shuffle;
  if (file.optimizer?.schedule) settings.lrSchedule = file.optimizer.schedule;
  else if (file.optimizer?.learningRate !== undefined) settings.learningRate = file.optimizer.learningRate;
  if (file.seed !== undefined) settings.seed = file.seed;
  if (file.callbacks?.length) settings.callbacks = file.callbacks;
  if (isPositiveInt(user.trainLimit)) settings.limit = user.trainLimit;
  if (isPositiveInt(user.testLimit)) settings.testLimit = user.testLimit;
  return { settings, source: { epochs: se, batchSize: sb, dataset: sd }, datasetIsPath: !isBuiltinDataset(settings.dataset) };
}

/**
 * Parses the quick-input line `epochs 3, batch 64, data mnist` (any order, any subset; also
 * `epochs=3 batch_size=64`). Returns the overrides or an error message saying what to type.
 */
export function parseOverrides(text: string): { ok: true; value: Partial<Pick<TrainSettings, 'epochs' | 'batchSize' | 'dataset'>> } | { ok: false; message: string } {
  const value: Partial<Pick<TrainSettings, 'epochs' | 'batchSize' | 'dataset'>> = {};
  const tokens = text.match(/"[^"]*"|'[^']*'|[^\s,=]+/g) ?? [];
  const help = 'type e.g. "epochs 3, batch 64, data mnist" (data: mnist, fashion_mnist, cifar10, cifar100 or a path)';
  for (let i = 0; i < tokens.length; i += 2) {
    const key = tokens[i]!.replace(/:$/, '').toLowerCase();
    const raw = tokens[i + 1]?.replace(/^["']|["']$/g, '');
    if (raw === undefined) return { ok: false, message: `"${tokens[i]}" needs a value: ${help}` };
    if (key === 'epochs' || key === 'epoch') {
      const n = Number(raw);
      if (!isPositiveInt(n)) return { ok: false, message: `epochs must be a whole number ≥ 1 (got "${raw}")` };
      value.epochs = n;
    } else if (key === 'batch' || key === 'batch_size' || key === 'batchsize') {
      const n = Number(raw);
      if (!isPositiveInt(n)) return { ok: false, message: `batch size must be a whole number ≥ 1 (got "${raw}")` };
      value.batchSize = n;
    } else if (key === 'data' || key === 'dataset') {
      value.dataset = raw;
    } else {
      return { ok: false, message: `unknown setting "${tokens[i]}": ${help}` };
    }
  }
  return { ok: true, value };
}

/** The quick input's prefilled text for the resolved settings. */
export function formatOverrides(s: Pick<TrainSettings, 'epochs' | 'batchSize' | 'dataset'>): string {
  const data = /[\s,]/.test(s.dataset) ? `"${s.dataset}"` : s.dataset;
  return `epochs ${s.epochs}, batch ${s.batchSize}, data ${data}`;
}
