/**
 * What differs between two runs: their settings (as `settingsOf` shows them) and their models,
 * layer by layer — added, removed and changed layers (with the arguments that changed) and the
 * parameter totals. Layers are matched by content, not by name: adding a Dense before another
 * renames Keras's default names (`dense` → `dense_1`) without changing that layer.
 */
import type { ConfigValue, LayerNode, ModelIR } from '../model/ir';
import { formatCount, formatShape } from '../model/ir';
import type { RunRecord } from './record';
import { settingsOf, type SettingKey, SETTING_COLUMNS, formatSetting } from './run-table';

export interface ArgChange {
  key: string;
  from: ConfigValue | undefined;
  to: ConfigValue | undefined;
}

export interface LayerChange {
  from: LayerNode;
  to: LayerNode;
  /** Arguments that differ; `outputShape` and `params` appear when they changed too. */
  changes: ArgChange[];
}

export interface LayerDiff {
  added: LayerNode[];
  removed: LayerNode[];
  changed: LayerChange[];
  /** Layers equal in both (possibly renamed). */
  same: number;
  totalParams: { from: number; to: number };
}

const IGNORED_ARGS = new Set(['name', 'trainable', 'dtype']);

function argsOf(l: LayerNode): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(l.config)) if (!IGNORED_ARGS.has(k)) out[k] = v;
  return out;
}

function same(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const signatures = new WeakMap<LayerNode, string>();
function signature(l: LayerNode): string {
  let s = signatures.get(l);
  if (s === undefined) {
    const args = argsOf(l);
    s = `${l.type}|${JSON.stringify(Object.keys(args).sort().map((k) => [k, args[k]]))}|${JSON.stringify(l.outputShape)}|${l.params}`;
    signatures.set(l, s);
  }
  return s;
}

/** All layer signatures of a model, once per model object (a runs table diffs each model twice). */
const modelSignatures = new WeakMap<ModelIR, string[]>();
function signaturesOf(m: ModelIR): string[] {
  let s = modelSignatures.get(m);
  if (!s) modelSignatures.set(m, (s = m.layers.map(signature)));
  return s;
}

function changesOf(a: LayerNode, b: LayerNode): ArgChange[] {
  const aa = argsOf(a);
  const bb = argsOf(b);
  const keys = [...new Set([...Object.keys(aa), ...Object.keys(bb)])].sort();
  const out: ArgChange[] = keys.filter((k) => !same(aa[k], bb[k])).map((k) => ({ key: k, from: aa[k], to: bb[k] }));
  if (!same(a.outputShape, b.outputShape)) out.push({ key: 'outputShape', from: formatShape(a.outputShape), to: formatShape(b.outputShape) });
  if (a.params !== b.params) out.push({ key: 'params', from: a.params, to: b.params });
  return out;
}

/** Longest common subsequence of two signature lists: index pairs, in order. */
function lcs(a: string[], b: string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  // Models have at most thousands of layers; beyond that, fall back to matching equal prefixes/suffixes.
  if (n * m > 25_000_000) {
    const pairs: [number, number][] = [];
    let i = 0;
    while (i < n && i < m && a[i] === b[i]) pairs.push([i, i++]);
    let j = 0;
    const tail: [number, number][] = [];
    while (j < n - i && j < m - i && a[n - 1 - j] === b[m - 1 - j]) tail.unshift([n - 1 - j, m - 1 - j++]);
    return [...pairs, ...tail];
  }
  const dp = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i * (m + 1) + j] = a[i] === b[j] ? dp[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(dp[(i + 1) * (m + 1) + j]!, dp[i * (m + 1) + j + 1]!);
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (dp[(i + 1) * (m + 1) + j]! >= dp[i * (m + 1) + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** Layers of `from` and `to` compared: equal ones matched, then same-type ones between them paired as changed. */
export function diffLayers(from: ModelIR, to: ModelIR): LayerDiff {
  const a = from.layers;
  const b = to.layers;
  const sa = signaturesOf(from);
  const sb = signaturesOf(to);
  // The common case in a runs table: the same model again.
  const pairs: [number, number][] = sa.length === sb.length && sa.every((x, i) => x === sb[i]) ? sa.map((_, i) => [i, i]) : lcs(sa, sb);
  const diff: LayerDiff = { added: [], removed: [], changed: [], same: pairs.length, totalParams: { from: from.totalParams, to: to.totalParams } };
  let ia = 0;
  let ib = 0;
  const gap = (endA: number, endB: number) => {
    const ra = a.slice(ia, endA);
    const rb = b.slice(ib, endB);
    // Pair the unmatched layers of each gap by type (a changed argument keeps the type), each with
    // the most similar one left (fewest differences; the earliest on ties).
    const usedB = new Set<number>();
    for (const la of ra) {
      let k = -1;
      let best: ArgChange[] | undefined;
      rb.forEach((lb, idx) => {
        if (usedB.has(idx) || lb.type !== la.type) return;
        const c = changesOf(la, lb);
        if (!best || c.length < best.length) [k, best] = [idx, c];
      });
      if (k >= 0) {
        usedB.add(k);
        diff.changed.push({ from: la, to: rb[k]!, changes: best! });
      } else diff.removed.push(la);
    }
    rb.forEach((lb, idx) => usedB.has(idx) || diff.added.push(lb));
  };
  for (const [pa, pb] of pairs) {
    gap(pa, pb);
    ia = pa + 1;
    ib = pb + 1;
  }
  gap(a.length, b.length);
  return diff;
}

export function isEmptyLayerDiff(d: LayerDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

function fmtValue(v: ConfigValue | undefined): string {
  if (v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `Dense 64`-style short name of a layer: type and its leading argument. */
export function layerLabel(l: LayerNode): string {
  const key = ['units', 'filters', 'rate', 'pool_size', 'activation'].find((k) => l.config[k] !== undefined);
  return `${l.type}${key ? ` ${fmtValue(l.config[key])}` : ''} (${l.name})`;
}

/** One short line: `+1 Dense 64 · −1 Dropout 0.5 · ~conv2d filters 32→64 · params 1.68 M → 1.70 M`. */
export function layerDiffSummary(d: LayerDiff): string {
  if (isEmptyLayerDiff(d)) return d.totalParams.from === d.totalParams.to ? 'same model' : `params ${formatCount(d.totalParams.from)} → ${formatCount(d.totalParams.to)}`;
  const parts: string[] = [];
  for (const l of d.added) parts.push(`+${layerLabel(l)}`);
  for (const l of d.removed) parts.push(`−${layerLabel(l)}`);
  for (const c of d.changed) {
    const args = c.changes.filter((x) => x.key !== 'params' && x.key !== 'outputShape');
    parts.push(`~${c.to.name} ${(args.length ? args : c.changes).map((x) => `${x.key} ${fmtValue(x.from)}→${fmtValue(x.to)}`).join(', ')}`);
  }
  if (d.totalParams.from !== d.totalParams.to) parts.push(`params ${formatCount(d.totalParams.from)} → ${formatCount(d.totalParams.to)}`);
  return parts.join(' · ');
}

export interface SettingChange {
  key: SettingKey;
  label: string;
  from: string;
  to: string;
}

export function diffSettings(a: RunRecord, b: RunRecord): SettingChange[] {
  const sa = settingsOf(a);
  const sb = settingsOf(b);
  return SETTING_COLUMNS.filter((c) => formatSetting(sa[c.key]) !== formatSetting(sb[c.key])).map((c) => ({ key: c.key, label: c.label, from: formatSetting(sa[c.key]), to: formatSetting(sb[c.key]) }));
}

export interface RunDiff {
  from: string;
  to: string;
  settings: SettingChange[];
  /** Undefined when a run did not keep its model (runs from before snapshots). */
  layers?: LayerDiff;
  sameSource: boolean;
}

export function diffRuns(a: RunRecord, b: RunRecord): RunDiff {
  const d: RunDiff = { from: a.id, to: b.id, settings: diffSettings(a, b), sameSource: a.modelHash === b.modelHash };
  if (a.model && b.model) d.layers = diffLayers(a.model, b.model);
  return d;
}
