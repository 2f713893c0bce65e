/**
 * The values of the Python evaluator. Only constants, containers, module paths, functions and
 * classes of the file are modelled; what a library makes (a Keras layer, a dataset) is a `host`
 * value owned by the semantics on top (see host.ts); anything else is `unknown` and carries its
 * source text for messages. No user code is ever run.
 */
import type { SyntaxNode } from '@lezer/common';
import { floatRepr } from './literals';

/** An object the host (the library semantics) made; the evaluator only passes it around. */
export interface HostObject {
  readonly kind: string;
}

export type Scope = Map<string, Value>;

export type Value =
  /** A constant; `f` marks a Python float (`64.0`, `128 / 2`): Python keeps int and float apart, and Keras needs ints for sizes. */
  | { k: 'py'; v: number | string | boolean | null; f?: true }
  /** `nd`: a one-dimensional numpy array of numbers (`np.array([28, 28]) // 4`): arithmetic works item by item. */
  | { k: 'seq'; items: Value[]; tuple: boolean; nd?: true }
  /** Keys are kept as strings; `keys` holds the key values that are not strings (`{1: 64}`). */
  | { k: 'dict'; entries: Map<string, Value>; keys?: Map<string, Value> }
  /** A module or attribute path, canonical as the host spells it (`keras.layers.Conv2D`). */
  | { k: 'mod'; path: string }
  | { k: 'method'; self: Value; name: string }
  /** A `def` or `lambda` of the file, with the scopes it was defined in and its defaults (evaluated there, once, as Python does). */
  /** `firstResult`: `@tf.custom_gradient` — a call gives the first item of what the function returns (the second is its gradient function). */
  | { k: 'func'; node: SyntaxNode; name: string; closure: Scope[]; defaults?: Map<string, Value>; owner?: ClassValue; binding?: 'static' | 'class'; firstResult?: true }
  /** A `class` of the file: its bases and the names its body binds. */
  | { k: 'class'; node: SyntaxNode; name: string; bases: Value[]; members: Scope }
  /** An instance of a class of the file; `host` is the host's object when a base is a library class. */
  | { k: 'inst'; cls: ClassValue; attrs: Scope; host?: HostObject }
  /** `super()` / `super(Cls, self)` in a method of `cls`: members are looked up after `cls` in the MRO of `self`'s class. */
  | { k: 'super'; cls: ClassValue; self: Value }
  /** `functools.partial(fn, *args, **kwargs)`: `fn` called later with these arguments first. */
  | { k: 'partial'; fn: Value; args: Args }
  /**
   * A one-shot iterator (`zip`, `enumerate`, `reversed`, `map`, `filter`, `iter(list)`): `pull` makes
   * its items when it is first iterated (a `map`'s function runs then, not before, as in Python 3);
   * `rest` is what is left after that (empty once a loop has gone through it). `rest` undefined and
   * `pulled` true: its items could not be known.
   */
  | { k: 'iter'; name: string; pull: () => Value[] | undefined; rest?: Value[]; pulled?: true }
  | { k: 'ellipsis' }
  | { k: 'host'; h: HostObject }
  | { k: 'unknown'; text: string };

export type ClassValue = Extract<Value, { k: 'class' }>;
export type IterValue = Extract<Value, { k: 'iter' }>;

/** A one-shot iterator over items made when it is first iterated. */
export function iterator(name: string, pull: () => Value[] | undefined): IterValue {
  return { k: 'iter', name, pull };
}

/** What is left to iterate, pulled on first use; undefined when its items cannot be known. */
export function iteratorRest(it: IterValue): Value[] | undefined {
  if (!it.pulled) {
    it.pulled = true;
    const items = it.pull();
    if (items) it.rest = [...items];
  }
  return it.rest;
}
export type InstValue = Extract<Value, { k: 'inst' }>;

/** A member of a class of the file, looked up in its MRO (depth-first through its bases when the MRO cannot be told). */
export function classMember(cls: ClassValue, name: string, depth = 0): Value | undefined {
  const order = depth === 0 ? mro(cls) : undefined;
  if (order) {
    for (const c of order) if (c.k === 'class' && c.members.has(name)) return c.members.get(name);
    return undefined;
  }
  const own = cls.members.get(name);
  if (own || depth > 20) return own;
  for (const b of cls.bases) if (b.k === 'class') {
    const m = classMember(b, name, depth + 1);
    if (m) return m;
  }
  return undefined;
}

/**
 * Python's method resolution order of a class of the file (C3 linearization); a library base
 * (a module path or host object) stands for itself and what it derives from. Null when no order
 * can be made (Python raises TypeError at the class), undefined when the hierarchy is deeper than 20.
 */
export function mro(cls: ClassValue, depth = 0): Value[] | null | undefined {
  if (depth > 20) return undefined;
  // A class's bases never change: its order is made once.
  if (MROS.has(cls)) return MROS.get(cls);
  const order = linearize(cls, depth);
  if (order !== undefined) MROS.set(cls, order);
  return order;
}

const MROS = new WeakMap<ClassValue, Value[] | null>();

function linearize(cls: ClassValue, depth: number): Value[] | null | undefined {
  const lists: Value[][] = [];
  for (const b of cls.bases) {
    if (b.k === 'class') {
      const l = mro(b, depth + 1);
      if (!l) return l;
      lists.push([...l]);
    } else lists.push([b]);
  }
  lists.push([...cls.bases]);
  const same = (a: Value, b: Value) => a === b || (a.k === 'mod' && b.k === 'mod' && a.path === b.path);
  const out: Value[] = [cls];
  for (;;) {
    const rest = lists.filter((l) => l.length);
    if (!rest.length) return out;
    const head = rest.map((l) => l[0]!).find((h) => !rest.some((l) => l.slice(1).some((x) => same(x, h))));
    if (!head) return null;
    out.push(head);
    for (const l of rest) if (same(l[0]!, head)) l.shift();
  }
}

/** A member of a class as `obj.name` gives it: bound to the instance (or to the class for a classmethod); a staticmethod as is. */
export function bindMember(m: Value, obj: ClassValue | InstValue, name: string): Value {
  if (m.k !== 'func' || m.binding === 'static') return m;
  const cls = obj.k === 'inst' ? obj.cls : obj;
  if (m.binding === 'class') return { k: 'partial', fn: m, args: { pos: [{ value: cls, node: m.node }], kw: new Map(), star: false } };
  return obj.k === 'inst' ? { k: 'method', self: obj, name } : m;
}

/** The library classes (module paths or host objects) a class of the file derives from. */
export function foreignBases(cls: ClassValue, depth = 0): Value[] {
  const out: Value[] = [];
  for (const b of cls.bases) {
    if (b.k === 'class') {
      if (depth < 20) out.push(...foreignBases(b, depth + 1));
    } else if (b.k === 'mod' || b.k === 'host') out.push(b);
  }
  return out;
}

export interface Arg {
  value: Value;
  node: SyntaxNode;
}

export interface Args {
  pos: Arg[];
  kw: Map<string, Arg>;
  /** `*x` or `**x` whose contents are not known was passed: some arguments are missing. */
  star: boolean;
}

export const UNKNOWN = (text: string): Value => ({ k: 'unknown', text });

/**
 * An object of a library class with these attributes and no methods of its own (TFDS's DatasetInfo,
 * scikit-learn's Bunch): what a host returns when only attribute reads of it matter. `at` stands
 * for its class's definition.
 */
export function plainInstance(cls: string, attrs: Record<string, Value>, at: SyntaxNode): Value {
  const c: ClassValue = { k: 'class', node: at, name: cls, bases: [], members: new Map() };
  return { k: 'inst', cls: c, attrs: new Map(Object.entries(attrs)) };
}

/**
 * Where `[start:stop:step]` starts and stops on a sequence of `len` items, as Python's
 * slice.indices gives them (bounds clamped to [0, len] going forward, to [-1, len - 1] going back);
 * `step` is 1 when not written. Undefined when a bound is not a known int; 'zero' for a step of 0.
 */
export function sliceBounds(ix: { start?: Value; stop?: Value; step?: Value }, len: number): { start: number; stop: number; step: number } | 'zero' | undefined {
  const given = (v: Value | undefined): number | null | undefined => (!v || (v.k === 'py' && v.v === null) ? null : num(v));
  const [start, stop, stepGiven] = [given(ix.start), given(ix.stop), given(ix.step)];
  const step = stepGiven === null ? 1 : stepGiven;
  if (start === undefined || stop === undefined || step === undefined || ![start ?? 0, stop ?? 0, step].every(Number.isInteger)) return undefined;
  if (step === 0) return 'zero';
  const [lower, upper] = step > 0 ? [0, len] : [-1, len - 1];
  const clamp = (x: number | null, dflt: number) => (x === null ? dflt : Math.min(upper, Math.max(lower, x < 0 ? x + len : x)));
  return { start: clamp(start, step > 0 ? lower : upper), stop: clamp(stop, step > 0 ? upper : lower), step };
}
export const py = (v: number | string | boolean | null): Value => ({ k: 'py', v });
/** A Python float. */
export const pyf = (v: number): Value => ({ k: 'py', v, f: true });
/** A number of the given kind: a float when `float`, else an int. */
export const pyNum = (v: number, float: boolean): Value => (float ? pyf(v) : py(v));
/** Whether a value is a Python float. */
export const isFloat = (v: Value | undefined): boolean => v?.k === 'py' && v.f === true;
/** Whether a value is a float or holds one (a tuple of sizes with a float in it). */
export function hasFloat(v: Value, depth = 0): boolean {
  if (v.k === 'py') return v.f === true;
  if (v.k === 'seq' && depth < 4) return v.items.some((i) => hasFloat(i, depth + 1));
  return false;
}
export const NONE: Value = { k: 'py', v: null };

export function num(v: Value | undefined): number | undefined {
  return v?.k === 'py' && typeof v.v === 'number' ? v.v : undefined;
}

export function str(v: Value | undefined): string | undefined {
  return v?.k === 'py' && typeof v.v === 'string' ? v.v : undefined;
}

/** Python truthiness, or undefined when it cannot be told. */
export function truthy(v: Value): boolean | undefined {
  switch (v.k) {
    case 'py':
      return Boolean(v.v);
    case 'seq':
      return v.items.length > 0;
    case 'dict':
      return v.entries.size > 0;
    case 'mod':
      // A module is true; an attribute of one (`config.BIG`, `from settings import DEBUG`) may be any value.
      return v.path.includes('.') ? undefined : true;
    case 'func':
    case 'class':
    case 'inst':
    case 'method':
    case 'super':
    case 'ellipsis':
    case 'iter':
      return true;
    default:
      return undefined;
  }
}

/** Values a host object may hold inside containers (to find, e.g., layers in a list). */
export function* walkValues(v: Value, depth = 0): Generator<Value> {
  yield v;
  if (depth > 4) return;
  if (v.k === 'inst') {
    if (v.host) yield { k: 'host', h: v.host };
    for (const i of v.attrs.values()) yield* walkValues(i, depth + 1);
  }
  // A bound method carries its object (map(model.add, layers) may change the model).
  if (v.k === 'method' || v.k === 'super') yield* walkValues(v.self, depth + 1);
  if (v.k === 'partial') for (const a of [v.fn, ...v.args.pos.map((x) => x.value), ...[...v.args.kw.values()].map((x) => x.value)]) yield* walkValues(a, depth + 1);
  if (v.k === 'seq') for (const i of v.items) yield* walkValues(i, depth + 1);
  else if (v.k === 'dict') for (const i of v.entries.values()) yield* walkValues(i, depth + 1);
}

/**
 * A list or dict of the file changed in a way Model Lens does not follow (`l.sort(key=f)` with `f`
 * unknown, `d[k] = v` with `k` unknown): unknown from here on, for every name and container that
 * holds it (Python's objects are shared), never its old contents.
 */
export function forget(v: Extract<Value, { k: 'seq' | 'dict' }>, text: string): void {
  const o = v as unknown as Record<string, unknown>;
  for (const key of Object.keys(o)) delete o[key];
  Object.assign(o, { k: 'unknown', text });
}

/** The key of a dict entry as the value it was written as. */
export function dictKey(d: Extract<Value, { k: 'dict' }>, key: string): Value {
  return d.keys?.get(key) ?? { k: 'py', v: key };
}

/** Sets a dict entry, remembering a key that is not a string. */
export function setDictKey(d: Extract<Value, { k: 'dict' }>, key: Value & { k: 'py' }, value: Value): void {
  const s = String(key.v);
  d.entries.set(s, value);
  if (typeof key.v !== 'string') (d.keys ??= new Map()).set(s, key);
}

/** Python's repr of a str: single quotes unless it holds ' and no ", backslashes and control characters escaped. */
function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', [q]: `\\${q}` };
  const body = s.replace(/[\\'\x00-\x1f\x7f]/g, (c) => (c === "'" && q === '"' ? c : (escapes[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)));
  return `${q}${body}${q}`;
}

/**
 * A value as Python's repr shows it: `None`, `True`, `64`, `0.5`, `1e-05`, `'adam'`, `"it's"`, `(3,)`,
 * `[32, 16]`, `{'a': 1}`, `Ellipsis`. Values that have no repr Model Lens can know (unknown ones,
 * library objects, functions) are said by `other`; containers nested deeper than 3 are `…` (a list
 * that holds itself too).
 */
export function pyRepr(v: Value, other: (v: Value) => string = (x) => (x.k === 'unknown' ? '?' : '…'), depth = 0): string {
  if (v.k === 'py') {
    if (v.v === null) return 'None';
    if (typeof v.v === 'boolean') return v.v ? 'True' : 'False';
    if (typeof v.v === 'string') return strRepr(v.v);
    return isFloat(v) ? floatRepr(v.v) : String(v.v);
  }
  if (v.k === 'ellipsis') return 'Ellipsis';
  if ((v.k === 'seq' || v.k === 'dict') && depth >= 3) return '…';
  const inner = (x: Value) => pyRepr(x, other, depth + 1);
  if (v.k === 'seq') {
    const items = v.items.map(inner).join(', ');
    return v.tuple ? `(${items}${v.items.length === 1 ? ',' : ''})` : `[${items}]`;
  }
  if (v.k === 'dict') return `{${[...v.entries].map(([k, x]) => `${inner(dictKey(v, k))}: ${inner(x)}`).join(', ')}}`;
  return other(v);
}
