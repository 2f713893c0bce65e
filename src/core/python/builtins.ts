/**
 * Python builtins and the constant helpers of `math` and `numpy` that model files use for sizes
 * (`int(...)`, `range`, `len`, `math.ceil`, `np.prod`, …). Each works on known constants only and
 * returns undefined otherwise, so the caller can hand the call to the host.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Budget } from './budget';
import { floatRepr } from './literals';
import { RaiseSignal, typeError } from './signals';
import { dictKey, isFloat, iterator, iteratorRest, num, py, pyf, pyNum, str, truthy, type Args, type Value } from './values';

type At = SyntaxNode;

/** Whether any of the numbers (given as one sequence or as separate arguments) is a float. */
function anyFloat(vals: Value[]): boolean {
  if (vals.length === 1 && vals[0]!.k === 'seq') return vals[0].items.some(isFloat);
  return vals.some(isFloat);
}

function numbers(vals: Value[]): number[] | undefined {
  const out: number[] = [];
  for (const v of vals) {
    const n = num(v) ?? (v.k === 'py' && typeof v.v === 'boolean' ? Number(v.v) : undefined);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

/** A list of numbers, whether given as one sequence or as separate arguments. */
function numberList(vals: Value[]): number[] | undefined {
  if (vals.length === 1 && vals[0]!.k === 'seq') return numbers(vals[0].items);
  return numbers(vals);
}

/**
 * The items of an iterable constant (sequence, dict keys, string characters). An iterator (`zip(...)`,
 * `map(...)`) gives what is left of it and is used up, as in Python: a second loop over it runs no time.
 */
export function iterate(v: Value): Value[] | undefined {
  if (v.k === 'iter') {
    const rest = iteratorRest(v);
    if (rest) v.rest = [];
    return rest;
  }
  if (v.k === 'seq') return v.items;
  if (v.k === 'dict') return [...v.entries.keys()].map((k) => dictKey(v, k));
  if (v.k === 'py' && typeof v.v === 'string') return [...v.v].map((c) => py(c));
  return undefined;
}

/** Whether `iterate` can give the items of v (without using up an iterator to find out). */
export function iterable(v: Value): boolean {
  return v.k === 'iter' || v.k === 'seq' || v.k === 'dict' || (v.k === 'py' && typeof v.v === 'string');
}

/** Calls a `key=` function on an item (the evaluator follows it); undefined when its result is not known. */
export type CallKey = (fn: Value, item: Value, at: At) => Value | undefined;

/** The code points of a string compared as Python compares strings. */
function compareStrings(s: string, t: string): number {
  const a = [...s];
  const b = [...t];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a[i]!.codePointAt(0)! - b[i]!.codePointAt(0)!;
    if (d) return Math.sign(d);
  }
  return Math.sign(a.length - b.length);
}

/**
 * Python's order of two constants: numbers (bools as 0 and 1), strings, and tuples or lists of
 * them, item by item. Undefined for anything else (Python raises TypeError, or the values are not known).
 */
export function compare(a: Value, b: Value, depth = 0): number | undefined {
  const [x] = numbers([a]) ?? [];
  const [y] = numbers([b]) ?? [];
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  const s = str(a);
  const t = str(b);
  if (s !== undefined && t !== undefined) return compareStrings(s, t);
  if (a.k === 'seq' && b.k === 'seq' && a.tuple === b.tuple && depth < 8) {
    for (let i = 0; i < Math.min(a.items.length, b.items.length); i++) {
      const c = compare(a.items[i]!, b.items[i]!, depth + 1);
      if (c !== 0) return c;
    }
    return Math.sign(a.items.length - b.items.length);
  }
  return undefined;
}

/** The sort keys of items: the items themselves, or what `key` gives for each (undefined if any is not known). */
function keysOf(items: Value[], key: Value | undefined, at: At, callKey?: CallKey): Value[] | undefined {
  if (!key || (key.k === 'py' && key.v === null)) return items;
  if (!callKey) return undefined;
  const out: Value[] = [];
  for (const item of items) {
    const k = callKey(key, item, at);
    if (!k) return undefined;
    out.push(k);
  }
  return out;
}

/** `min` / `max` (of one iterable or of several arguments; `key=`, `default=`): the first item with the smallest or largest key, itself (an int stays an int). */
function pick(name: 'min' | 'max', vals: Value[], args: Args, at: At, callKey?: CallKey): Value | undefined {
  const dflt = args.kw.get('default');
  if ([...args.kw.keys()].some((k) => k !== 'key' && k !== 'default') || !vals.length || (dflt && vals.length > 1)) return undefined;
  const items = vals.length === 1 ? iterate(vals[0]!) : vals;
  if (!items) return undefined;
  if (!items.length) return dflt?.value;
  const keys = keysOf(items, args.kw.get('key')?.value, at, callKey);
  if (!keys) return undefined;
  let best = 0;
  for (let i = 1; i < items.length; i++) {
    const c = compare(keys[i]!, keys[best]!);
    if (c === undefined) return undefined;
    if (name === 'min' ? c < 0 : c > 0) best = i;
  }
  return items[best];
}

const MATH: Record<string, (x: number[]) => number | undefined> = {
  ceil: ([x]) => (x === undefined ? undefined : Math.ceil(x)),
  floor: ([x]) => (x === undefined ? undefined : Math.floor(x)),
  sqrt: ([x]) => (x === undefined ? undefined : Math.sqrt(x)),
  log: ([x, b]) => (x === undefined ? undefined : b === undefined ? Math.log(x) : Math.log(x) / Math.log(b)),
  log2: ([x]) => (x === undefined ? undefined : Math.log2(x)),
  log10: ([x]) => (x === undefined ? undefined : Math.log10(x)),
  exp: ([x]) => (x === undefined ? undefined : Math.exp(x)),
  cos: ([x]) => (x === undefined ? undefined : Math.cos(x)),
  sin: ([x]) => (x === undefined ? undefined : Math.sin(x)),
  pow: ([x, y]) => (x === undefined || y === undefined ? undefined : x ** y),
  fabs: ([x]) => (x === undefined ? undefined : Math.abs(x)),
  trunc: ([x]) => (x === undefined ? undefined : Math.trunc(x)),
  gcd: ([x, y]) => {
    if (x === undefined || y === undefined) return undefined;
    let a = Math.abs(x);
    let b = Math.abs(y);
    while (b) [a, b] = [b, a % b];
    return a;
  },
};

/**
 * `np.array([28, 28])` / `np.asarray(shape[:2], dtype=…)`: a one-dimensional array of numbers, whose
 * arithmetic works item by item; undefined for anything else (nested lists are data, read by the host).
 */
export function ndArray(v: Value | undefined, dtype?: Value): Value | undefined {
  if (!v || v.k !== 'seq' || v.items.some((i) => i.k === 'seq')) return undefined;
  const xs = numbers(v.items);
  if (!xs) return undefined;
  const kind = dtype ? dtypeKind(dtype) : v.items.some(isFloat) ? 'float' : 'int';
  if (!kind) return undefined;
  return { k: 'seq', items: xs.map((x) => (kind === 'int' ? py(Math.trunc(x)) : pyf(x))), tuple: false, nd: true };
}

/** 'int' or 'float' for a numpy dtype given as np.int32, int, 'float32'…; undefined when it cannot be told. */
export function dtypeKind(d: Value): 'int' | 'float' | undefined {
  const name = d.k === 'mod' ? d.path.split('.').pop()! : d.k === 'py' && typeof d.v === 'string' ? d.v : undefined;
  if (!name) return undefined;
  if (/^u?int(8|16|32|64)?$/.test(name)) return 'int';
  if (/^float(16|32|64)?$/.test(name)) return 'float';
  return undefined;
}

/** The `math` functions that give an int (the rest, and every numpy one, give a float). */
const MATH_INTS = new Set(['ceil', 'floor', 'trunc', 'gcd']);

export const MATH_CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, inf: Infinity, tau: 2 * Math.PI };

/**
 * `path` is `builtins.X`, `math.X` or `numpy.X`. Returns the result, or undefined when the call is
 * not one of these or its arguments are not known constants.
 */
export function callBuiltin(path: string, args: Args, budget: Budget, at: At, callKey?: CallKey): Value | undefined {
  // tf.math.exp(-0.1), tf.exp, keras.ops.exp on plain numbers (learning-rate schedules write them): as math.X.
  const tensorMath = /^(?:tensorflow\.math|tensorflow|(?:tensorflow\.)?keras\.ops)\.(exp|log|sqrt|pow|floor|ceil|cos|sin)$/.exec(path);
  if (tensorMath) {
    const nums = numbers(args.pos.map((a) => a.value));
    const f = MATH[tensorMath[1]!];
    const r = nums && !args.kw.size && f ? f(nums) : undefined;
    return r === undefined ? undefined : pyf(r);
  }
  // Keras's fuzz factor (keras.backend.epsilon(), keras.config.epsilon()): 1e-7 unless the user's keras.json says otherwise.
  if ((path === 'keras.backend.epsilon' || path === 'keras.config.epsilon') && !args.pos.length && !args.kw.size) return pyf(1e-7);
  // tf.reduce_prod(shape), tf.math.reduce_sum([…]), keras.ops.prod(…) over a constant list (no axis): one number.
  const reduce = /^(?:tensorflow\.math|tensorflow|(?:tensorflow\.)?keras\.ops)\.(reduce_prod|reduce_sum|reduce_max|reduce_min|prod|sum|max|min)$/.exec(path);
  if (reduce) {
    const list = args.pos.length === 1 && !args.kw.size ? numberList(args.pos.map((a) => a.value)) : undefined;
    if (!list?.length) return undefined;
    const op = reduce[1]!.replace(/^reduce_/, '');
    const r = op === 'prod' ? list.reduce((a, b) => a * b, 1) : op === 'sum' ? list.reduce((a, b) => a + b, 0) : op === 'max' ? Math.max(...list) : Math.min(...list);
    return pyNum(r, anyFloat(args.pos.map((a) => a.value)));
  }
  const dot = path.indexOf('.');
  const mod = path.slice(0, dot);
  const name = path.slice(dot + 1);
  const vals = args.pos.map((a) => a.value);
  if (args.star) return undefined;
  if (mod === 'numpy' && (name === 'array' || name === 'asarray')) return ndArray(vals[0], args.kw.get('dtype')?.value ?? vals[1]);
  // np.ceil(np.array(…) / 4): a numpy function on such an array works item by item (and gives floats, as numpy does).
  if (mod === 'numpy' && vals[0]?.k === 'seq' && vals[0].nd && vals.length === 1 && MATH[name]) {
    const f = MATH[name]!;
    const xs = numbers(vals[0].items);
    const r = xs?.map((x) => f([x]));
    return r && r.every((x) => x !== undefined && !Number.isNaN(x)) ? { k: 'seq', items: r.map((x) => pyf(x!)), tuple: false, nd: true } : undefined;
  }
  if (mod === 'math' || mod === 'numpy') {
    if (name === 'prod' || name === 'product') {
      const list = numberList(vals);
      return list ? pyNum(list.reduce((a, b) => a * b, 1), anyFloat(vals)) : undefined;
    }
    if (name === 'sum' && mod === 'numpy') {
      const list = numberList(vals);
      return list ? pyNum(list.reduce((a, b) => a + b, 0), anyFloat(vals)) : undefined;
    }
    const kind = mod === 'numpy' ? dtypeKind(py(name)) : undefined;
    if (kind) {
      const [x] = numbers(vals) ?? [];
      return x === undefined ? undefined : kind === 'int' ? py(Math.trunc(x)) : pyf(x);
    }
    if (mod === 'numpy' && (name === 'round' || name === 'around')) {
      const [x] = numbers(vals) ?? [];
      // numpy rounds half to even, as Python's round does, and keeps the kind of number.
      return x === undefined ? undefined : pyNum(Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x), anyFloat(vals));
    }
    if (mod === 'numpy' && (name === 'maximum' || name === 'minimum')) {
      const list = numbers(vals);
      return list && list.length === 2 ? pyNum(name === 'maximum' ? Math.max(...list) : Math.min(...list), anyFloat(vals)) : undefined;
    }
    const f = MATH[name];
    if (!f) return undefined;
    const x = numbers(vals);
    const r = x ? f(x) : undefined;
    return r === undefined || Number.isNaN(r) ? undefined : pyNum(r, mod === 'numpy' || !MATH_INTS.has(name));
  }
  if (mod !== 'builtins') return undefined;
  switch (name) {
    case 'range': {
      const ns = numbers(vals);
      if (vals.some(isFloat)) typeError(at, "'float' object cannot be interpreted as an integer");
      if (!ns || !ns.length || ns.length > 3 || !ns.every(Number.isInteger)) return undefined;
      const [a, b, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
      if (step === 0) return undefined;
      const n = Math.max(0, Math.ceil((b - a) / step));
      budget.alloc(n, at);
      const items: Value[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = py(a + i * step);
      return { k: 'seq', items, tuple: false };
    }
    case 'len': {
      const v = vals[0];
      if (!v) return undefined;
      if (v.k === 'seq') return py(v.items.length);
      if (v.k === 'dict') return py(v.entries.size);
      if (v.k === 'iter') typeError(at, `object of type '${v.name}' has no len()`);
      if (v.k === 'py' && typeof v.v === 'string') return py(v.v.length);
      return undefined;
    }
    case 'int': {
      const v = vals[0];
      if (!v) return py(0);
      const s = str(v);
      // int('ff', 16), int('0b101', 0): a base given.
      const base = vals[1] ?? args.kw.get('base')?.value;
      if (base) {
        const b = num(base);
        if (s === undefined || b === undefined || !Number.isInteger(b) || b < 2 || b > 36) return undefined;
        const body = s.trim().replace(/_/g, '').replace(b === 16 ? /^([-+]?)0[xX]/ : b === 8 ? /^([-+]?)0[oO]/ : b === 2 ? /^([-+]?)0[bB]/ : /^$/, '$1');
        const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
        if (!new RegExp(`^[-+]?[${digits}]+$`, 'i').test(body)) return undefined;
        return py(parseInt(body, b));
      }
      if (s !== undefined) return /^\s*[-+]?\d+\s*$/.test(s) ? py(Number(s)) : undefined;
      const [x] = numbers([v]) ?? [];
      return x === undefined ? undefined : py(Math.trunc(x));
    }
    case 'float': {
      const v = vals[0];
      if (!v) return py(0);
      const s = str(v);
      if (s !== undefined) return Number.isNaN(Number(s)) ? undefined : pyf(Number(s));
      const [x] = numbers([v]) ?? [];
      return x === undefined ? undefined : pyf(x);
    }
    case 'bool': {
      const v = vals[0];
      if (!v) return py(false);
      if (v.k === 'py') return py(Boolean(v.v));
      if (v.k === 'seq') return py(v.items.length > 0);
      if (v.k === 'iter') return py(true);
      return undefined;
    }
    case 'abs':
    case 'round': {
      const x = numbers(vals);
      if (!x || !x.length) return undefined;
      if (name === 'abs') return pyNum(Math.abs(x[0]!), isFloat(vals[0]));
      const digits = x[1] ?? 0;
      const f = 10 ** digits;
      // Python rounds half to even; round(x) is an int, round(x, n) the kind of x.
      const v = x[0]! * f;
      const r = Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
      return pyNum(digits >= 0 ? r / f : r * 10 ** -digits, x.length > 1 && isFloat(vals[0]));
    }
    case 'min':
    case 'max':
    case 'sum': {
      if (name !== 'sum') return pick(name, vals, args, at, callKey);
      // sum(iterable, start) / sum(iterable, start=…) of numbers.
      const start = vals[1] ?? args.kw.get('start')?.value ?? py(0);
      const items = vals[0] ? iterate(vals[0]) : undefined;
      if (!items || vals.length > 2 || [...args.kw.keys()].some((k) => k !== 'start')) return undefined;
      const list = numbers([start, ...items]);
      return list ? pyNum(list.reduce((a, b) => a + b, 0), [start, ...items].some(isFloat)) : undefined;
    }
    case 'tuple':
    case 'list': {
      if (!vals.length) return { k: 'seq', items: [], tuple: name === 'tuple' };
      const items = iterate(vals[0]!);
      if (!items) return undefined;
      budget.alloc(items.length, at);
      return { k: 'seq', items: [...items], tuple: name === 'tuple' };
    }
    case 'dict': {
      const entries = new Map<string, Value>();
      for (const [k, a] of args.kw) entries.set(k, a.value);
      if (vals[0]?.k === 'dict') for (const [k, v] of vals[0].entries) if (!args.kw.has(k)) entries.set(k, v);
      return vals.length && vals[0]!.k !== 'dict' ? undefined : { k: 'dict', entries };
    }
    // Iterators, made when first iterated (the lists they read may change before, as in Python).
    case 'enumerate': {
      const source = vals[0];
      if (!source || !iterable(source) || vals.length > 2) return undefined;
      const start = num(vals[1] ?? args.kw.get('start')?.value) ?? 0;
      return iterator('enumerate', () => {
        const items = iterate(source);
        if (!items) return undefined;
        budget.alloc(items.length * 3, at);
        return items.map((v, i) => ({ k: 'seq', items: [py(start + i), v], tuple: true }));
      });
    }
    case 'zip': {
      if (!vals.length || !vals.every(iterable) || args.kw.size) return undefined;
      return iterator('zip', () => {
        const lists = vals.map(iterate);
        if (lists.some((l) => !l)) return undefined;
        const n = Math.min(...lists.map((l) => l!.length));
        budget.alloc(n * (lists.length + 1), at);
        return Array.from({ length: n }, (_, i) => ({ k: 'seq', items: lists.map((l) => l![i]!), tuple: true }));
      });
    }
    case 'reversed': {
      const source = vals[0];
      if (source?.k === 'iter') typeError(at, `'${source.name}' object is not reversible`);
      if (!source || !iterable(source)) return undefined;
      return iterator('reversed', () => {
        const items = iterate(source);
        if (!items) return undefined;
        budget.alloc(items.length, at);
        return [...items].reverse();
      });
    }
    // iter(list) / next(it, default): the file's own iterables; a library's (next(iter(dataset))) is the host's.
    case 'iter': {
      const source = vals[0];
      if (!source || vals.length !== 1 || !iterable(source)) return undefined;
      if (source.k === 'iter') return source;
      return iterator(source.k === 'seq' ? (source.tuple ? 'tuple_iterator' : 'list_iterator') : 'iterator', () => iterate(source));
    }
    case 'next': {
      const it = vals[0];
      if (it?.k !== 'iter') return undefined;
      const rest = iteratorRest(it);
      if (!rest) return undefined;
      if (rest.length) return rest.shift()!;
      if (vals[1]) return vals[1];
      throw new RaiseSignal(at, 'StopIteration');
    }
    case 'sorted': {
      const list = vals[0] ? iterate(vals[0]) : undefined;
      const reverse = args.kw.get('reverse')?.value ?? py(false);
      const flip = truthy(reverse);
      if (!list || vals.length !== 1 || [...args.kw.keys()].some((k) => k !== 'reverse' && k !== 'key') || flip === undefined) return undefined;
      budget.alloc(list.length, at);
      const keys = keysOf(list, args.kw.get('key')?.value, at, callKey);
      if (!keys) return undefined;
      // Stable, also reversed (equal items keep their order, as Python's sort does).
      let comparable = true;
      const order = list.map((_, i) => i).sort((a, b) => {
        const c = compare(keys[a]!, keys[b]!);
        if (c === undefined) comparable = false;
        return (c ?? 0) * (flip ? -1 : 1) || a - b;
      });
      return comparable ? { k: 'seq', items: order.map((i) => list[i]!), tuple: false } : undefined;
    }
    case 'any':
    case 'all': {
      const items = vals[0] && vals.length === 1 && !args.kw.size ? iterate(vals[0]) : undefined;
      if (!items) return undefined;
      // Python stops at the first item that decides; an unknown item before it leaves the answer unknown.
      for (const x of items) {
        const t = truthy(x);
        if (t === undefined) return undefined;
        if (t === (name === 'any')) return py(t);
      }
      return py(name === 'all');
    }
    case 'pow': {
      const [a, b] = numbers(vals) ?? [];
      if (a === undefined || b === undefined || vals.length !== 2 || args.kw.size) return undefined;
      // An int to a negative int power is a float, as `**` gives it.
      const float = anyFloat(vals) || b < 0;
      if (a === 0 && b < 0) throw new RaiseSignal(at, 'ZeroDivisionError: 0.0 cannot be raised to a negative power');
      return pyNum(a ** b, float);
    }
    case 'divmod': {
      const [a, b] = numbers(vals) ?? [];
      if (a === undefined || b === undefined || vals.length !== 2 || args.kw.size) return undefined;
      const float = anyFloat(vals);
      if (b === 0) throw new RaiseSignal(at, `ZeroDivisionError: ${float ? 'float divmod()' : 'integer division or modulo by zero'}`);
      if (!float) {
        const q = Math.floor(a / b);
        return { k: 'seq', items: [py(q), py(a - q * b)], tuple: true };
      }
      // Python's float divmod: the remainder takes the sign of the divisor; the quotient is floored.
      let r = a % b;
      if (r && b < 0 !== r < 0) r += b;
      const d = (a - r) / b;
      let q = Math.floor(d);
      if (d - q > 0.5) q += 1;
      return { k: 'seq', items: [pyf(q), pyf(r)], tuple: true };
    }
    case 'str': {
      const v = vals[0];
      if (!v) return py('');
      if (v.k !== 'py') return undefined;
      return py(v.v === null ? 'None' : typeof v.v === 'boolean' ? (v.v ? 'True' : 'False') : typeof v.v === 'number' && isFloat(v) ? floatRepr(v.v) : String(v.v));
    }
    case 'print':
      return py(null);
    // Questions about objects that change nothing; their answer is not followed.
    case 'super':
    case 'isinstance':
    case 'issubclass':
    case 'hasattr':
    case 'type':
    case 'id':
    case 'repr':
    case 'callable':
      return { k: 'unknown', text: `${name}(...)` };
    default:
      return undefined;
  }
}

export const BUILTIN_NAMES = new Set([
  'range', 'len', 'int', 'float', 'bool', 'abs', 'round', 'min', 'max', 'sum', 'divmod', 'any', 'all', 'pow', 'tuple', 'list', 'dict', 'enumerate', 'zip', 'reversed', 'sorted', 'str', 'print',
  'super', 'isinstance', 'issubclass', 'hasattr', 'type', 'id', 'repr', 'callable',
  // The file's own iterables here; a library's (next(iter(dataset))) is left to the host.
  'iter', 'next',
  // Followed by the evaluator itself (callSpecialBuiltin).
  'setattr', 'getattr', 'exec', 'eval', 'compile', 'map', 'filter',
]);
