/**
 * Turns the arguments written for a layer (positional and keyword, already evaluated) into a Keras
 * config with defaults filled in and values normalized (kernel_size 3 → [3, 3], padding 'SAME' →
 * 'same'), reporting unknown, missing and ill-typed arguments. Shared by the Python and JSON readers.
 */
import type { ConfigValue } from '../model/ir';
import { keras1LayerKeyword } from './keras1-api';
import { ACTIVATIONS, allArgs, canonicalLayerType, layerSpec, type ArgSpec, type LayerSpec } from './layer-table';

/** An argument as written: its value (`undefined` when it could not be worked out) and its source text. */
export interface WrittenArg {
  value: ConfigValue | undefined;
  text: string;
  /** Opaque position token handed back in problems (the reader maps it to a range). */
  at: unknown;
  /** The value is (or holds) a Python float, e.g. `64.0` or `128 / 2` (the Python reader tells). */
  float?: boolean;
}

export interface ArgProblem {
  /** Continues "Conv2D 'conv2d' …" (the reader prefixes the layer). */
  message: string;
  code: 'unknown-argument' | 'missing-argument' | 'bad-argument' | 'unresolved-argument';
  at: unknown;
  severity: 'error' | 'warning';
}

export interface BuiltConfig {
  config: Record<string, ConfigValue>;
  /** Names of the arguments that were written (the rest are defaults). */
  written: Set<string>;
  problems: ArgProblem[];
}

/**
 * Sizes Keras takes as ints only: Keras 3 raises for a float even when it is whole (Dense checks
 * `isinstance(units, int)`, standardize_tuple and standardize_shape refuse floats), so `Dense(128 / 2)`
 * is an error, not 64 units.
 */
const INT_KINDS = new Set(['int', 'int0', 'ints', 'intsOrNull', 'int2', 'int2OrNull', 'shape', 'targetShape']);

/** Arguments that only matter for display; an unresolved value is kept as its source text. */
const SHAPE_KINDS = new Set(['int', 'int0', 'int2', 'int2OrNull', 'ints', 'intsOrNull', 'padding', 'choice', 'shape', 'targetShape', 'axis', 'axes', 'float', 'bool', 'layer']);

export function buildConfig(spec: LayerSpec, positional: WrittenArg[], keywords: Map<string, WrittenArg>, at: unknown): BuiltConfig {
  const args = allArgs(spec);
  const byName = new Map(args.map((a) => [a.name, a]));
  const problems: ArgProblem[] = [];
  const given = new Map<string, WrittenArg>();

  positional.forEach((p, i) => {
    const a = spec.args[i];
    if (!a) {
      problems.push({ code: 'bad-argument', severity: 'error', at: p.at, message: `takes at most ${spec.args.length} positional argument${spec.args.length === 1 ? '' : 's'} (${spec.args.map((x) => x.name).join(', ') || 'none'}); remove '${p.text}' or pass it by keyword` });
    } else given.set(a.name, p);
  });
  for (const [name, w] of keywords) {
    const spelled = aliasOf(spec, name);
    if (!byName.has(spelled)) {
      const near = closest(spelled, args.map((a) => a.name));
      const old = keras1LayerKeyword(spec.type, name);
      problems.push({
        code: 'unknown-argument',
        severity: 'error',
        at: w.at,
        message: old
          ? `has no argument '${name}': ${old}`
          : `has no argument '${name}'${near ? ` (did you mean '${near}'?)` : ''}; its arguments are ${spec.args.map((a) => a.name).join(', ') || '(none besides name)'}`,
      });
      continue;
    }
    if (given.has(spelled)) {
      problems.push({ code: 'bad-argument', severity: 'error', at: w.at, message: `got '${spelled}' twice (positionally and by keyword); keep one` });
    }
    given.set(spelled, w);
  }

  const config: Record<string, ConfigValue> = {};
  const written = new Set<string>();
  for (const a of args) {
    const w = given.get(a.name);
    if (!w) {
      if (a.default === undefined) {
        problems.push({ code: 'missing-argument', severity: 'error', at, message: `needs the argument '${a.name}' (${a.doc})` });
      } else if (spec.args.includes(a) || a.name === 'name' || a.name === 'trainable') {
        config[a.name] = a.default;
      }
      continue;
    }
    written.add(a.name);
    if (w.value === undefined) {
      if (SHAPE_KINDS.has(a.kind) || a.default === undefined) {
        problems.push({
          code: 'unresolved-argument',
          severity: 'error',
          at: w.at,
          message: `gets ${a.name}=${w.text}, whose value Model Lens cannot work out; write a literal or a module-level constant`,
        });
        if (a.default !== undefined) config[a.name] = a.default;
      } else config[a.name] = w.text;
      continue;
    }
    if (w.float && INT_KINDS.has(a.kind) && w.value !== null) {
      problems.push({ code: 'bad-argument', severity: 'error', at: w.at, message: `argument ${a.name}=${w.text} is a float (${floatText(w.value)}); Keras needs an int here and raises a ValueError. Use an int, e.g. '//' instead of '/', or int(...)` });
      if (a.default !== undefined) config[a.name] = a.default;
      continue;
    }
    const norm = normalize(a, w.value);
    if (typeof norm === 'string' && norm.startsWith('\u0000')) {
      problems.push({ code: 'bad-argument', severity: 'error', at: w.at, message: `argument ${a.name}=${w.text}: ${norm.slice(1)}` });
      if (a.default !== undefined) config[a.name] = a.default;
      continue;
    }
    config[a.name] = norm;
  }
  return { config, written, problems };
}

/** A float as Python prints it (`64.0`), in a tuple too. */
function floatText(v: ConfigValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? `${v}.0` : String(v);
  if (Array.isArray(v)) return `(${v.map(floatText).join(', ')}${v.length === 1 ? ',' : ''})`;
  return JSON.stringify(v);
}

/** Keras 2 spellings Keras 3 still accepts. */
function aliasOf(spec: LayerSpec, name: string): string {
  if (spec.type === 'InputLayer' && name === 'input_shape') return 'shape';
  if (spec.type === 'InputLayer' && name === 'batch_input_shape') return 'batch_shape';
  return spec.args.find((a) => a.oldNames?.includes(name))?.name ?? name;
}

const bad = (why: string) => '\u0000' + why;
const isInt = (v: ConfigValue) => typeof v === 'number' && Number.isInteger(v);

/** Normalized value, or a string starting with NUL carrying the reason it is wrong. */
export function normalize(a: ArgSpec, v: ConfigValue): ConfigValue {
  switch (a.kind) {
    case 'int':
      if (v === null && a.default === null) return null;
      if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return bad(`expected a positive integer, got the string '${v}': tf.keras 2 turned it into a number with int(), Keras 3 does not; write ${v.trim()} without quotes`);
      return isInt(v) && (v as number) > 0 ? v : bad('expected a positive integer');
    case 'int0':
      if (v === null && a.default === null) return null;
      return isInt(v) && (v as number) >= 0 ? v : bad('expected a non-negative integer');
    case 'axis':
      return isInt(v) ? v : bad('expected an integer axis such as -1');
    case 'axes':
      if (isInt(v)) return v;
      return Array.isArray(v) && v.length > 0 && v.every(isInt) ? [...v] : bad('expected an integer axis such as -1 or a tuple of them');
    case 'ints':
    case 'intsOrNull': {
      const n = a.rank ?? 2;
      if (v === null && a.kind === 'intsOrNull') return null;
      if (isInt(v) && (v as number) > 0) return Array.from({ length: n }, () => v);
      if (Array.isArray(v) && v.length === n && v.every((x) => isInt(x) && (x as number) > 0)) return [...v];
      return bad(`expected a positive integer or a tuple of ${n}, e.g. ${n === 1 ? '3 or (3,)' : `3 or (${Array.from({ length: n }, () => 3).join(', ')})`}`);
    }
    case 'choice': {
      if (v === null && a.default === null) return null;
      const c = typeof v === 'string' ? v.toLowerCase() : '';
      const all = (a.choices ?? []).map((x) => `'${x}'`);
      return a.choices?.includes(c) ? c : bad(`expected ${all.length > 1 ? `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}` : all[0]}`);
    }
    case 'layer':
      return normalizeLayer(v, a);
    case 'float':
      return typeof v === 'number' ? v : v === null && a.default === null ? null : bad('expected a number');
    case 'bool':
      return typeof v === 'boolean' ? v : bad('expected True or False');
    case 'string':
      return typeof v === 'string' || v === null ? v : bad('expected a string');
    case 'int2':
    case 'int2OrNull': {
      if (v === null && a.kind === 'int2OrNull') return null;
      if (isInt(v) && (v as number) > 0) return [v, v];
      if (Array.isArray(v) && v.length === 2 && v.every((x) => isInt(x) && (x as number) > 0)) return [...v];
      return bad('expected a positive integer or a pair of them, e.g. 3 or (3, 3)');
    }
    case 'padding': {
      const p = typeof v === 'string' ? v.toLowerCase() : '';
      return p === 'valid' || p === 'same' ? p : bad(`expected 'valid' or 'same'`);
    }
    case 'activation': {
      if (v === null) return null;
      if (typeof v !== 'string') return bad('expected an activation name such as "relu"');
      const name = v.toLowerCase();
      return ACTIVATIONS.includes(name) ? name : bad(`unknown activation; use one of ${ACTIVATIONS.join(', ')}`);
    }
    case 'shape': {
      if (v === null) return null;
      const dims = isInt(v) ? [v] : v;
      if (Array.isArray(dims) && dims.every((d) => d === null || (isInt(d) && (d as number) > 0))) return [...dims];
      return bad('expected a tuple of positive integers, e.g. (28, 28, 1)');
    }
    case 'targetShape': {
      const dims = isInt(v) ? [v] : v;
      if (Array.isArray(dims) && dims.every((d) => isInt(d) && ((d as number) > 0 || d === -1)) && dims.filter((d) => d === -1).length <= 1) {
        return [...dims];
      }
      return bad('expected a tuple of positive integers with at most one -1, e.g. (7, 7, 64) or (-1,)');
    }
    case 'dataFormatAny':
      if (v === null || v === 'channels_last' || v === 'channels_first') return v;
      return bad(`expected 'channels_last' or 'channels_first'`);
    case 'dataFormat':
      if (v === null || v === 'channels_last') return v;
      return bad(`Model Lens reads channels_last models only; remove data_format or use 'channels_last'`);
    default:
      return v;
  }
}

/**
 * A wrapped layer (Bidirectional's `layer`, RNN's `cell`) as Keras serializes it, `{class_name,
 * config}`, with the inner layer's defaults filled in and its class name canonical.
 */
function normalizeLayer(v: ConfigValue, a: ArgSpec): ConfigValue {
  if (v === null && a.default === null) return null;
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v['class_name'] !== 'string') {
    return bad('expected a layer, e.g. layers.LSTM(64)');
  }
  const type = canonicalLayerType(v['class_name']);
  const spec = layerSpec(type);
  if (!spec) return bad(`${v['class_name']} is not a layer Model Lens knows`);
  const inner = v['config'] && typeof v['config'] === 'object' && !Array.isArray(v['config']) ? v['config'] : {};
  const kw = new Map<string, WrittenArg>(Object.entries(inner).map(([k, x]) => [k, { value: x, text: JSON.stringify(x), at: undefined }]));
  const built = buildConfig(spec, [], kw, undefined);
  const errors = built.problems.filter((p) => p.severity === 'error' && p.code !== 'unknown-argument');
  if (errors.length) return bad(`${type} ${errors[0]!.message}`);
  return { class_name: type, config: built.config };
}

/** The closest name within edit distance 2, for "did you mean". */
export function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
