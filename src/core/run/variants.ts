/**
 * Train variants: a small grid of settings (learning rates × batch sizes × epochs × seeds), each
 * combination one normal run. The lists are text a user typed (`1e-3, 3e-4`; seeds as a count `3`
 * or a list `1,5,9`); the CLI's `model-lens sweep` and the extension's "Train Variants…" read them
 * here, so both accept and refuse the same things.
 */

/** One combination; a field not set keeps the file's (or the base settings') value. */
export interface Variant {
  learningRate?: number;
  batchSize?: number;
  epochs?: number;
  seed?: number;
}

export type VariantField = 'learningRate' | 'batchSize' | 'epochs' | 'seeds';

/** More would be a typo (or a week of training): refused rather than started. */
export const MAX_VARIANTS = 1000;

/** A list that cannot be read: which one, the item, what was expected. */
export class VariantListError extends Error {
  constructor(
    readonly field: VariantField,
    readonly item: string,
    readonly expected: string,
    message: string,
  ) {
    super(message);
  }
}

/** The lists as typed; absent or blank: not varied. */
export type VariantLists = Partial<Record<VariantField, string>>;

const positive = (s: string) => (s !== '' && Number(s) > 0 && Number.isFinite(Number(s)) ? Number(s) : undefined);
const wholeFrom = (min: number) => (s: string) => (/^\d+$/.test(s) && Number(s) >= min && Number(s) <= 0xffffffff ? Number(s) : undefined);

const EXPECTED: Record<VariantField, string> = {
  learningRate: 'a positive number',
  batchSize: 'a whole number ≥ 1',
  epochs: 'a whole number ≥ 1',
  seeds: 'a whole number ≥ 0',
};

function list(lists: VariantLists, field: VariantField, parse: (s: string) => number | undefined): (number | undefined)[] {
  const v = lists[field];
  if (v === undefined || v.trim() === '') return [undefined];
  const items = v.split(',').map((s) => s.trim());
  const out = items.map((s) => {
    const n = parse(s);
    if (n === undefined) throw new VariantListError(field, s, EXPECTED[field], s === '' ? `an empty item (two commas, or one at the end)` : `'${s}' is not ${EXPECTED[field]}`);
    return n;
  });
  return out;
}

/** Every combination of the lists given, learning rate outermost, seed innermost. */
export function expandVariants(lists: VariantLists): Variant[] {
  const lrs = list(lists, 'learningRate', positive);
  const batches = list(lists, 'batchSize', wholeFrom(1));
  const epochs = list(lists, 'epochs', wholeFrom(1));
  let seeds: (number | undefined)[] = [undefined];
  const s = lists.seeds?.trim();
  if (s) {
    if (s.includes(',')) seeds = list(lists, 'seeds', wholeFrom(0));
    else {
      const n = wholeFrom(1)(s);
      if (n === undefined || n > MAX_VARIANTS) throw new VariantListError('seeds', s, `a count from 1 to ${MAX_VARIANTS}`, `'${s}' is not a count from 1 to ${MAX_VARIANTS} (or a list: 1,5,9)`);
      seeds = Array.from({ length: n }, (_, i) => i + 1);
    }
  }
  const total = lrs.length * batches.length * epochs.length * seeds.length;
  if (total > MAX_VARIANTS) throw new VariantListError('seeds', String(total), `at most ${MAX_VARIANTS} runs`, `the grid has ${total} runs, more than ${MAX_VARIANTS}: shorten the lists`);
  const out: Variant[] = [];
  for (const learningRate of lrs)
    for (const batchSize of batches)
      for (const ep of epochs)
        for (const seed of seeds) {
          const v: Variant = {};
          if (learningRate !== undefined) v.learningRate = learningRate;
          if (batchSize !== undefined) v.batchSize = batchSize;
          if (ep !== undefined) v.epochs = ep;
          if (seed !== undefined) v.seed = seed;
          out.push(v);
        }
  return out;
}

/** `lr 0.001, batch 64, seed 2`. */
export function variantLabel(v: Variant): string {
  const parts: string[] = [];
  if (v.learningRate !== undefined) parts.push(`lr ${v.learningRate}`);
  if (v.batchSize !== undefined) parts.push(`batch ${v.batchSize}`);
  if (v.epochs !== undefined) parts.push(`epochs ${v.epochs}`);
  if (v.seed !== undefined) parts.push(`seed ${v.seed}`);
  return parts.join(', ') || 'as the file says';
}
