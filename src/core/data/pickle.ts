/**
 * A safe reader for the Python pickles Keras's datasets ship (CIFAR-10/100 `data_batch_1`,
 * `test_batch`, `train`, `meta`…): plain data — dicts, lists, tuples, str/bytes, ints, floats,
 * None/True/False — and NumPy arrays rebuilt through the three globals NumPy's own pickling uses
 * (`numpy.core.multiarray._reconstruct`, `numpy.ndarray`, `numpy.dtype`; `numpy._core…` in
 * NumPy 2; `…numeric._frombuffer` at protocol 5; and `_codecs.encode` for bytes a Python 3
 * pickler wrote at protocol 2).
 *
 * Nothing is ever executed: a pickle is a program for a stack machine, and this is an
 * interpreter of a small, closed set of its opcodes (numbers as in Python's `pickletools`):
 * any other opcode or any other global is refused with the file and byte offset. Work and
 * memory are bounded by the input: every opcode consumes at least one byte, every length is
 * checked against the bytes left, and an array's data must match its shape × item size.
 */
import { DataError } from './errors';

/** A NumPy array from a pickle: its dtype string ('|u1', '<i8', …), shape and raw C-order bytes. */
export interface PickledArray {
  kind: 'ndarray';
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
  fortran: boolean;
}

export interface PyTuple {
  kind: 'tuple';
  items: PyValue[];
}

/** A Python value read from a pickle. dict keys are text (bytes keys decoded as Latin-1, as Keras's `encoding='bytes'` + `.decode()`). */
export type PyValue = null | boolean | number | string | Uint8Array | PyValue[] | PyTuple | Map<string, PyValue> | PickledArray | Internal;

type Internal = { kind: 'global'; name: AllowedGlobal } | { kind: 'dtype'; descr: string; order: string } | { kind: 'array-pending'; typecode: string };

type AllowedGlobal = 'reconstruct' | 'frombuffer' | 'ndarray' | 'dtype' | 'codecs-encode';

/** The only globals a pickle may name; each maps to what the reader does with it (nothing is imported). */
const GLOBALS: Record<string, AllowedGlobal> = {
  'numpy.core.multiarray._reconstruct': 'reconstruct',
  'numpy._core.multiarray._reconstruct': 'reconstruct',
  // Protocol 5: _frombuffer(bytearray, dtype, shape, order).
  'numpy.core.numeric._frombuffer': 'frombuffer',
  'numpy._core.numeric._frombuffer': 'frombuffer',
  'numpy.ndarray': 'ndarray',
  'numpy.dtype': 'dtype',
  '_codecs.encode': 'codecs-encode',
};

/** Item sizes of the dtypes an array may have. */
const ITEM_SIZE: Record<string, number> = { b1: 1, u1: 1, i1: 1, u2: 2, i2: 2, u4: 4, i4: 4, u8: 8, i8: 8, f4: 4, f8: 8 };

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

const OPCODE_NAMES: Record<number, string> = {
  0x80: 'PROTO', 0x95: 'FRAME', 0x2e: 'STOP', 0x28: 'MARK', 0x7d: 'EMPTY_DICT', 0x5d: 'EMPTY_LIST', 0x29: 'EMPTY_TUPLE',
  0x61: 'APPEND', 0x65: 'APPENDS', 0x73: 'SETITEM', 0x75: 'SETITEMS', 0x4a: 'BININT', 0x4b: 'BININT1', 0x4d: 'BININT2',
  0x8a: 'LONG1', 0x4e: 'NONE', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x47: 'BINFLOAT', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING',
  0x58: 'BINUNICODE', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES', 0x8e: 'BINBYTES8', 0x96: 'BYTEARRAY8',
  0x74: 'TUPLE', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x94: 'MEMOIZE',
  0x68: 'BINGET', 0x6a: 'LONG_BINGET', 0x63: 'GLOBAL', 0x93: 'STACK_GLOBAL', 0x52: 'REDUCE', 0x62: 'BUILD', 0x30: 'POP',
  // Read by name only, to say what was refused:
  0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x82: 'EXT1', 0x83: 'EXT2',
  0x84: 'EXT4', 0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT', 0x53: 'STRING', 0x56: 'UNICODE', 0x70: 'PUT', 0x67: 'GET', 0x64: 'DICT',
  0x6c: 'LIST', 0x8b: 'LONG4', 0x90: 'EMPTY_SET', 0x91: 'ADDITEMS', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isObj<K extends string>(v: Slot | undefined, kind: K): v is Extract<PyValue, { kind: K }> {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && !(v instanceof Map) && (v as { kind?: string }).kind === kind;
}

/** Python's own name for a value's type, for messages. */
function typeName(v: Slot | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === MARK) return 'a mark';
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  return (v as { kind: string }).kind;
}

/**
 * Read one pickle. `file` names it in errors. Throws a DataError ('bad-format' for a damaged
 * file, 'refused' for anything beyond plain data and NumPy arrays).
 */
export function readPickle(bytes: Uint8Array, file: string): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let pos = 0;
  let at = 0;

  const fail = (what: string, code = 'bad-format'): DataError =>
    new DataError(
      code === 'refused'
        ? `${file}: byte ${at}: ${what}. Model Lens reads only plain data and NumPy arrays from pickles (as in Keras's CIFAR files) and never runs anything in them; refused. Save the arrays with numpy.savez instead.`
        : `${file}: byte ${at}: ${what} — not a readable pickle (damaged or truncated). Download the file again.`,
      code,
      file,
    );
  const need = (n: number): void => {
    if (!Number.isSafeInteger(n) || n < 0 || pos + n > bytes.length) throw fail(`needs ${n} more bytes but the file ends`);
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++]!;
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.length)) throw fail(`a length of ${v} bytes, more than the whole file`);
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 256) throw fail('a GLOBAL name without its newline');
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const text = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      throw fail('a str that is not UTF-8');
    }
  };
  const pop = (): Slot => {
    if (stack.length === 0 || (marks.length && stack.length <= marks[marks.length - 1]!)) throw fail('an opcode needs a value but the stack is empty');
    return stack.pop()!;
  };
  const value = (): PyValue => {
    const v = pop();
    if (v === MARK) throw fail('a mark where a value belongs');
    return v;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) throw fail('an opcode needs a MARK but there is none');
    const items = stack.splice(m);
    return items as PyValue[];
  };
  const top = (): Slot => {
    const v = stack[stack.length - 1];
    if (v === undefined) throw fail('an opcode needs a value but the stack is empty');
    return v;
  };
  const memoable = (): PyValue => {
    const v = top();
    if (v === MARK) throw fail('PUT of a mark');
    return v;
  };
  const key = (k: PyValue): string => {
    if (typeof k === 'string') return k;
    if (k instanceof Uint8Array) return latin1.decode(k);
    if (typeof k === 'number') return String(k);
    throw fail(`a dict key of type ${typeName(k)}`, 'refused');
  };
  const global = (name: string): PyValue => {
    const g = GLOBALS[name];
    if (!g) throw fail(`the pickle names the Python global '${name}'`, 'refused');
    return { kind: 'global', name: g };
  };

  const makeArray = (shapeV: PyTuple, dtype: Extract<Internal, { kind: 'dtype' }>, fortran: boolean, data: Uint8Array): PickledArray => {
    if (!shapeV.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) throw fail('an ndarray shape that is not a tuple of sizes');
    const shape = shapeV.items as number[];
    const want = shape.reduce((p, d) => p * d, 1) * ITEM_SIZE[dtype.descr]!;
    if (want !== data.length) throw fail(`an ndarray of shape (${shape.join(', ')}) ${dtype.descr} needs ${want} bytes but holds ${data.length}`);
    return { kind: 'ndarray', dtype: dtype.order + dtype.descr, shape, bytes: data, fortran };
  };

  const reduce = (fn: PyValue, args: PyValue): PyValue => {
    if (!isObj(fn, 'global')) throw fail(`REDUCE calls a ${typeName(fn)}`, 'refused');
    if (!isObj(args, 'tuple')) throw fail(`REDUCE with arguments of type ${typeName(args)}`);
    const a = args.items;
    switch (fn.name) {
      case 'reconstruct':
        // _reconstruct(numpy.ndarray, (0,), b'b'): an empty array that BUILD then fills.
        if (!isObj(a[0], 'global') || a[0].name !== 'ndarray') throw fail('_reconstruct of something other than numpy.ndarray', 'refused');
        return { kind: 'array-pending', typecode: typeof a[2] === 'string' ? a[2] : a[2] instanceof Uint8Array ? latin1.decode(a[2]) : '' };
      case 'frombuffer': {
        const [buf, dtype, shapeV, order] = a;
        if (!(buf instanceof Uint8Array) || !isObj(dtype, 'dtype') || !isObj(shapeV, 'tuple')) throw fail('_frombuffer with arguments other than (bytes, dtype, shape, order)', 'refused');
        return makeArray(shapeV, dtype, order === 'F', buf);
      }
      case 'dtype': {
        // dtype('u1', False, True): the byte order comes with BUILD.
        const d = a[0] instanceof Uint8Array ? latin1.decode(a[0]) : a[0];
        if (typeof d !== 'string' || !ITEM_SIZE[d]) throw fail(`numpy.dtype('${String(d)}'), which is not one Model Lens reads (bool, (u)int8–64, float32/64)`, 'refused');
        return { kind: 'dtype', descr: d, order: ITEM_SIZE[d] === 1 ? '|' : '<' };
      }
      case 'codecs-encode': {
        // _codecs.encode('…', 'latin1'): how a Python 3 pickler writes bytes at protocol 2.
        const enc = typeof a[1] === 'string' ? a[1].toLowerCase().replace(/[-_]/g, '') : '';
        if (typeof a[0] !== 'string' || (enc !== 'latin1' && enc !== 'iso88591')) throw fail('_codecs.encode other than (str, "latin1")', 'refused');
        const out = new Uint8Array(a[0].length);
        for (let i = 0; i < out.length; i++) {
          const c = a[0].charCodeAt(i);
          if (c > 255) throw fail('_codecs.encode of a character beyond Latin-1');
          out[i] = c;
        }
        return out;
      }
      default:
        throw fail(`REDUCE calls numpy.${fn.name} directly`, 'refused');
    }
  };

  const build = (obj: PyValue, state: PyValue): PyValue => {
    if (isObj(obj, 'dtype')) {
      // (version, byteorder, subdescr, names, fields, elsize, alignment, flags)
      if (!isObj(state, 'tuple')) throw fail('a dtype state that is not a tuple');
      const order = state.items[1];
      const o = order instanceof Uint8Array ? latin1.decode(order) : order;
      if (typeof o !== 'string' || !['<', '>', '|', '='].includes(o)) throw fail(`dtype byte order '${String(o)}'`);
      if (state.items[3] !== null && state.items[3] !== undefined) throw fail('a structured dtype (with fields)', 'refused');
      if (o === '>' && ITEM_SIZE[obj.descr]! > 1) throw fail(`a big-endian dtype '>${obj.descr}'`, 'refused');
      // In place: the memo may hold this very object.
      obj.order = ITEM_SIZE[obj.descr] === 1 ? '|' : '<';
      return obj;
    }
    if (isObj(obj, 'array-pending')) {
      // (version, shape, dtype, is_fortran, raw data)
      if (!isObj(state, 'tuple') || state.items.length !== 5) throw fail('an ndarray state that is not (version, shape, dtype, fortran, data)');
      const [, shapeV, dtype, fortran, data] = state.items;
      if (!isObj(shapeV, 'tuple')) throw fail('an ndarray shape that is not a tuple of sizes');
      if (!isObj(dtype, 'dtype')) throw fail(`an ndarray whose dtype is a ${typeName(dtype)}`, 'refused');
      if (!(data instanceof Uint8Array)) throw fail(`an ndarray whose data is a ${typeName(data)} (an object array?)`, 'refused');
      // In place: the memo may hold this very object (BINPUT comes before BUILD).
      const done: PickledArray = Object.assign(obj as unknown as PickledArray, makeArray(shapeV, dtype, fortran === true, data));
      delete (done as { typecode?: string }).typecode;
      return done;
    }
    throw fail(`BUILD on a ${typeName(obj)}`, 'refused');
  };

  for (;;) {
    at = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw fail('pickle protocol newer than 5');
        break;
      case 0x95: // FRAME: a length hint only
        u64();
        break;
      case 0x2e: {
        // STOP
        if (stack.length !== 1 || marks.length) throw fail(`STOP with ${stack.length} values left on the stack`);
        const v = stack[0]!;
        if (v === MARK) throw fail('STOP on a mark');
        return v;
      }
      case 0x28: // MARK
        marks.push(stack.length);
        stack.push(MARK);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x7d:
        stack.push(new Map());
        break;
      case 0x5d:
        stack.push([]);
        break;
      case 0x29:
        stack.push({ kind: 'tuple', items: [] });
        break;
      case 0x61: {
        // APPEND
        const v = value();
        const l = top();
        if (!Array.isArray(l)) throw fail(`APPEND to a ${typeName(l)}`);
        l.push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark().slice(1);
        const l = top();
        if (!Array.isArray(l)) throw fail(`APPENDS to a ${typeName(l)}`);
        for (const v of items) l.push(v);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = value();
        const k = value();
        const d = top();
        if (!(d instanceof Map)) throw fail(`SETITEM on a ${typeName(d)}`);
        d.set(key(k), v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark().slice(1);
        const d = top();
        if (!(d instanceof Map)) throw fail(`SETITEMS on a ${typeName(d)}`);
        if (items.length % 2) throw fail('SETITEMS with a key and no value');
        for (let i = 0; i < items.length; i += 2) d.set(key(items[i]!), items[i + 1]!);
        break;
      }
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b:
        stack.push(u8());
        break;
      case 0x4d:
        stack.push(u16());
        break;
      case 0x8a: {
        // LONG1: n bytes, little-endian two's complement
        const b = take(u8());
        let v = 0n;
        for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (b.length && b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`an int (${v}) beyond 2^53`, 'refused');
        stack.push(Number(v));
        break;
      }
      case 0x4e:
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x47:
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x54: // BINSTRING (Python 2 str: bytes, as Keras's encoding='bytes' reads it)
        stack.push(take(u32()));
        break;
      case 0x55:
        stack.push(take(u8()));
        break;
      case 0x58:
        stack.push(text(take(u32())));
        break;
      case 0x8c:
        stack.push(text(take(u8())));
        break;
      case 0x8d:
        stack.push(text(take(u64())));
        break;
      case 0x42:
        stack.push(take(u32()));
        break;
      case 0x43:
        stack.push(take(u8()));
        break;
      case 0x8e:
      case 0x96: // BINBYTES8, BYTEARRAY8 (both read as bytes)
        stack.push(take(u64()));
        break;
      case 0x74:
        stack.push({ kind: 'tuple', items: popMark().slice(1) });
        break;
      case 0x85:
      case 0x86:
      case 0x87: {
        const n = op - 0x84;
        const items: PyValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(value());
        stack.push({ kind: 'tuple', items });
        break;
      }
      case 0x71:
        memo.set(u8(), memoable());
        break;
      case 0x72:
        memo.set(u32(), memoable());
        break;
      case 0x94:
        memo.set(memo.size, memoable());
        break;
      case 0x68:
      case 0x6a: {
        const i = op === 0x68 ? u8() : u32();
        if (!memo.has(i)) throw fail(`GET of memo entry ${i}, which was never stored`);
        stack.push(memo.get(i)!);
        break;
      }
      case 0x63: {
        // GLOBAL 'module\nname\n'
        const mod = line();
        const name = line();
        stack.push(global(`${mod}.${name}`));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = value();
        const mod = value();
        if (typeof mod !== 'string' || typeof name !== 'string') throw fail('STACK_GLOBAL with names that are not str');
        stack.push(global(`${mod}.${name}`));
        break;
      }
      case 0x52: {
        const args = value();
        const fn = value();
        stack.push(reduce(fn, args));
        break;
      }
      case 0x62: {
        const state = value();
        const obj = value();
        stack.push(build(obj, state));
        break;
      }
      default: {
        const name = OPCODE_NAMES[op];
        throw fail(`opcode 0x${op.toString(16).padStart(2, '0')}${name ? ` (${name})` : ''}, which ${name ? 'is not among those plain data and NumPy arrays use' : 'is not a pickle opcode'}`, name ? 'refused' : 'bad-format');
      }
    }
  }
}
