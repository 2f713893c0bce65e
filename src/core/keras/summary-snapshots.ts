/**
 * What each `model.summary()` call of a file prints: Keras prints the model as it is at that line,
 * so a model changed afterwards (layers added or popped, a base frozen or unfrozen) prints other
 * figures there than at the end of the file. The host records, at each call, what the figures
 * depend on (the model's layers then and every `trainable` flag then); once the whole file is read
 * and every model's IR is made, each record is counted with the same IR builder, the flags of that
 * moment put back for the time of the count.
 */
import type { ConfigValue, ModelIR, SourceRange, SummarySnapshot } from '../model/ir';
import { isComplete } from '../model/completeness';
import { buildModelIR, type GModel } from './build-ir';
import { isSequential, type PyModel } from './keras-values';
import type { GLayer } from './shape-inference';

/** At most this many summary() calls of one file are recorded; each later one is said at its line. */
export const MAX_SUMMARY_SNAPSHOTS = 64;

type Config = Record<string, ConfigValue>;

/** What the host gives: the file's models and layers so far, and a warning at a line. */
export interface SnapshotSite {
  models: readonly PyModel[];
  layers: readonly GLayer[];
  range(at: { from: number; to: number }): SourceRange;
  warn(at: { from: number; to: number }, code: string, message: string): void;
}

interface SummaryCall {
  model: PyModel;
  range: SourceRange;
  built: boolean;
  items: GLayer[];
  layers: GLayer[];
  inputs: GLayer[];
  outputs: GLayer[];
  /** `trainable` of every layer config then (undefined: not set). */
  trainable: Map<Config, ConfigValue | undefined>;
  /** `model.trainable = False` of every model then. */
  frozen: Map<PyModel, boolean>;
  /** The layers (but an Input) of each model used as a layer somewhere then: counted as they are at the end. */
  inner: Map<PyModel, GLayer[]>;
}

export class SummarySnapshots {
  private readonly records: SummaryCall[] = [];

  /** `m.summary()` read at `at`: what it prints depends on the model as it is now. */
  record(m: PyModel, at: { from: number; to: number }, site: SnapshotSite): void {
    // A loaded model's figures are the saved file's (not followed through later changes here).
    if (m.loaded) return;
    if (this.records.length >= MAX_SUMMARY_SNAPSHOTS) {
      site.warn(at, 'summary-limit', `Model Lens works out what the first ${MAX_SUMMARY_SNAPSHOTS} summary() calls of a file print; this call (and every later one) is not worked out, so compare its printout with the model's figures by hand`);
      return;
    }
    const built = isBuiltNow(m);
    if (!built) {
      site.warn(
        at,
        'summary-unbuilt',
        `model '${m.name}' is not built at this summary() (it has no input shape yet): tf.keras 2 raises a ValueError here ("This model has not yet been built"), and Keras 3 prints its layers unbuilt with Total params: 0. Give it its input first (keras.Input(shape=...) as its first layer, input_shape=, or model.build((None, ...)) before this line)`,
      );
    }
    const trainable = new Map<Config, ConfigValue | undefined>();
    const frozen = new Map<PyModel, boolean>();
    const inner = new Map<PyModel, GLayer[]>();
    const note = (l: GLayer) => {
      if (!trainable.has(l.config)) trainable.set(l.config, 'trainable' in l.config ? l.config['trainable'] : undefined);
      for (const x of l.block?.layers ?? []) if (!trainable.has(x.config)) trainable.set(x.config, 'trainable' in x.config ? x.config['trainable'] : undefined);
    };
    for (const l of site.layers) note(l);
    for (const x of site.models) {
      frozen.set(x, !!x.frozen);
      if (x !== m && x.uses?.length) inner.set(x, ownLayers(x));
      for (const l of [...x.items, ...x.layers, ...(x.uses ?? []), ...(x.called ? [x.called] : [])]) note(l);
    }
    this.records.push({ model: m, range: site.range(at), built, items: [...m.items], layers: [...m.layers], inputs: [...m.inputs], outputs: [...m.outputs], trainable, frozen, inner });
  }

  /**
   * Counts each record with the flags of its moment and puts the result on its model's IR
   * (`summaries`). Called once every IR is made; the flags are the final ones again afterwards.
   */
  attach(irs: Map<PyModel, ModelIR>, file: string, models: readonly PyModel[]): void {
    // The last record counted for each model: a call that finds the model as it was then (a loop
    // printing it again) takes the same figures without counting it again.
    const last = new Map<PyModel, { r: SummaryCall; figures: Partial<SummarySnapshot> }>();
    for (const r of this.records) {
      const ir = irs.get(r.model);
      if (!ir) continue;
      const snap: SummarySnapshot = { range: r.range, built: r.built };
      if (r.built && isComplete(ir)) {
        const before = last.get(r.model);
        const figures = before && sameState(before.r, r) ? before.figures : count(r, file, models);
        last.set(r.model, { r, figures });
        Object.assign(snap, figures);
      }
      (ir.summaries ??= []).push(snap);
    }
  }
}

/** A model's layers but its Input (which the reader may give a Sequential model once the file is read). */
const ownLayers = (m: PyModel): GLayer[] => (isSequential(m) ? m.items : m.layers).filter((l) => l.type !== 'InputLayer');

const sameList = (a: GLayer[], b: GLayer[]) => a.length === b.length && a.every((l, i) => l === b[i]);

/** Two records of one model that find it in the same state: the same layers, every flag the same. */
function sameState(a: SummaryCall, b: SummaryCall): boolean {
  if (!sameList(a.items, b.items) || !sameList(a.layers, b.layers) || !sameList(a.inputs, b.inputs) || !sameList(a.outputs, b.outputs)) return false;
  if (a.inner.size !== b.inner.size || [...a.inner].some(([m, l]) => !sameList(l, b.inner.get(m) ?? []))) return false;
  if (a.trainable.size !== b.trainable.size || a.frozen.size !== b.frozen.size) return false;
  for (const [c, v] of a.trainable) if (!b.trainable.has(c) || b.trainable.get(c) !== v) return false;
  for (const [m, v] of a.frozen) if (b.frozen.get(m) !== v) return false;
  return true;
}

/** Whether Keras has built the model at this point (its summary() prints weights). */
function isBuiltNow(m: PyModel): boolean {
  if (m.style === 'functional') return true;
  if (m.style === 'subclassed') return !!m.built || m.gaps.length > 0;
  // A Sequential model: built once it has an Input (given, or made from input_shape= or build()),
  // or once it was called on a tensor (used in another model); what could not be read may have built it.
  return m.items[0]?.type === 'InputLayer' || (m.uses?.length ?? 0) > 0 || m.called !== undefined || m.gaps.length > 0;
}

/** The figures of one record: the IR builder on the layers of that moment, with that moment's flags. */
function count(r: SummaryCall, file: string, models: readonly PyModel[]): Partial<SummarySnapshot> {
  const saved = new Map<Config, ConfigValue | undefined>();
  const savedFrozen = new Map<PyModel, boolean | undefined>();
  const set = (c: Config, v: ConfigValue | undefined) => {
    if (!saved.has(c)) saved.set(c, 'trainable' in c ? c['trainable'] : undefined);
    if (v === undefined) delete c['trainable'];
    else c['trainable'] = v;
  };
  try {
    for (const [c, v] of r.trainable) set(c, v);
    for (const x of models) {
      savedFrozen.set(x, x.frozen);
      x.frozen = r.frozen.get(x) ?? false;
    }
    // As the reader does for the end state: a frozen model's layers, and its node in another model, train nothing.
    for (const x of models) {
      if (!x.frozen) continue;
      const own = x === r.model ? [...r.items, ...r.layers] : [...x.items, ...x.layers];
      for (const l of [...own, ...(x.uses ?? [])]) set(l.config, false);
    }
    // A model used as a layer is read as it is at the end of the file: when its layers changed after
    // this call (rare: layers added to a base already in use), these figures would not be Keras's.
    for (const [x, then] of r.inner) if (!sameList(then, ownLayers(x))) return {};
    const ir = buildModelIR(graphThen(r), file, new Map());
    if (ir.diagnostics.some((d) => d.severity === 'error')) return {};
    return { totalParams: ir.totalParams, trainableParams: ir.trainableParams, nonTrainableParams: ir.nonTrainableParams, layers: ir.layers.length };
  } finally {
    for (const [c, v] of saved) {
      if (v === undefined) delete c['trainable'];
      else c['trainable'] = v;
    }
    for (const [x, v] of savedFrozen) {
      if (v === undefined) delete x.frozen;
      else x.frozen = v;
    }
  }
}

/**
 * The model's graph at the record: a Sequential model's layers then, chained in that order (as
 * copies, so that the end state's chain is left as it is); other models' graphs as they were.
 */
function graphThen(r: SummaryCall): GModel {
  const m = r.model;
  const base = { name: m.name, style: m.style, range: m.range, training: m.training, problems: [] };
  if (!isSequential(m)) return { ...base, layers: r.layers, inputs: r.inputs, outputs: r.outputs };
  let items = r.items;
  // Built by its use in another model: the reader gives it that use's Input once the file is read.
  const first = m.items[0];
  if (items[0]?.type !== 'InputLayer' && first?.type === 'InputLayer' && !items.includes(first)) items = [first, ...items];
  const copies: GLayer[] = [];
  for (const l of items) copies.push({ ...l, inputs: copies.length ? [copies[copies.length - 1]!] : [] });
  return { ...base, layers: copies, inputs: copies[0]?.type === 'InputLayer' ? [copies[0]] : [], outputs: copies.length ? [copies[copies.length - 1]!] : [] };
}
