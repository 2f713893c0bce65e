/**
 * A writer of protocol-2 pickles laid out as Python 2's cPickle wrote Keras's CIFAR files, for
 * fixtures (Model Lens itself only reads pickles). Byte layout from the pickle format as
 * documented in CPython's Lib/pickletools.py (opcode, argument):
 *   PROTO 0x80 <1>; STOP '.'; MARK '('; EMPTY_DICT '}'; EMPTY_LIST ']'; SETITEMS 'u'; APPENDS 'e';
 *   BININT1 'K' <u1>; BININT2 'M' <u2 LE>; BININT 'J' <i4 LE>; NONE 'N'; NEWFALSE 0x89;
 *   SHORT_BINSTRING 'U' <u1 len>; BINSTRING 'T' <u4 len>; BINUNICODE 'X' <u4 len, UTF-8>;
 *   TUPLE 't'; TUPLE1 0x85; TUPLE3 0x87; BINPUT 'q' <u1>; GLOBAL 'c' module\nname\n; REDUCE 'R'; BUILD 'b'.
 * A NumPy array is NumPy's own __reduce__: _reconstruct(ndarray, (0,), 'b') then BUILD with
 * (1, shape, dtype, fortran, raw bytes), the dtype being dtype('u1', 0, 1) BUILT with
 * (3, '|', None, None, None, -1, -1, 0).
 */

/** Python values the writer knows: a Uint8Array is a Python 2 str (bytes); `{ ndarray }` a uint8 array. */
export type PickleIn = number | string | Uint8Array | null | PickleIn[] | { dict: [string, PickleIn][] } | { ndarray: { shape: number[]; data: Uint8Array } };

export class PickleWriter {
  private parts: number[] = [];
  private memo = 0;

  op(...bytes: number[]): this {
    this.parts.push(...bytes);
    return this;
  }
  ascii(s: string): this {
    for (let i = 0; i < s.length; i++) this.parts.push(s.charCodeAt(i) & 0xff);
    return this;
  }
  u32(n: number): this {
    return this.op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n);
    if (n >= 0 && n < 65536) return this.op(0x4d, n & 0xff, n >> 8);
    return this.op(0x4a).u32(n >>> 0);
  }
  /** Python 2 str (SHORT_BINSTRING / BINSTRING). */
  bytes(b: Uint8Array): this {
    if (b.length < 256) this.op(0x55, b.length);
    else this.op(0x54).u32(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  str(s: string): this {
    return this.bytes(new TextEncoder().encode(s));
  }
  /** Python unicode (BINUNICODE). */
  unicode(s: string): this {
    const b = new TextEncoder().encode(s);
    this.op(0x58).u32(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  put(): this {
    return this.op(0x71, ++this.memo & 0xff);
  }
  global(mod: string, name: string): this {
    return this.op(0x63).ascii(`${mod}\n${name}\n`);
  }
  value(v: PickleIn): this {
    if (v === null) return this.op(0x4e);
    if (typeof v === 'number') return this.int(v);
    if (typeof v === 'string') return this.str(v);
    if (v instanceof Uint8Array) return this.bytes(v);
    if (Array.isArray(v)) {
      this.op(0x5d).put();
      if (v.length) {
        this.op(0x28);
        for (const x of v) this.value(x);
        this.op(0x65);
      }
      return this;
    }
    if ('dict' in v) {
      this.op(0x7d).put();
      if (v.dict.length) {
        this.op(0x28);
        for (const [k, x] of v.dict) this.str(k).value(x);
        this.op(0x75);
      }
      return this;
    }
    const { shape, data } = v.ndarray;
    this.global('numpy.core.multiarray', '_reconstruct').put();
    this.global('numpy', 'ndarray').put();
    this.int(0).op(0x85).str('b').op(0x87).op(0x52).put();
    this.op(0x28).int(1);
    this.op(0x28);
    for (const d of shape) this.int(d);
    this.op(0x74);
    this.global('numpy', 'dtype').put().str('u1').int(0).int(1).op(0x87).op(0x52).put();
    this.op(0x28).int(3).str('|').op(0x4e, 0x4e, 0x4e).int(-1).int(-1).int(0).op(0x74).op(0x62);
    this.op(0x89).bytes(data).op(0x74).op(0x62);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from([0x80, 0x02, ...this.parts, 0x2e]);
  }
}

export function pickle(v: PickleIn): Uint8Array {
  return new PickleWriter().value(v).done();
}

/**
 * A CIFAR batch dict like Keras's files: `data` (N, 3072) uint8 planes, and `labels` (CIFAR-10)
 * or `fine_labels` + `coarse_labels` (CIFAR-100). Image n's red plane is all `n`, green all
 * `n + 100`, blue the pixel index mod 256 — easy to check after the transpose.
 */
export function cifarBatchPickle(labels: number[], kind: 'cifar10' | 'cifar100' = 'cifar10'): Uint8Array {
  const n = labels.length;
  const data = new Uint8Array(n * 3072);
  for (let i = 0; i < n; i++) {
    data.fill(i & 0xff, i * 3072, i * 3072 + 1024);
    data.fill((i + 100) & 0xff, i * 3072 + 1024, i * 3072 + 2048);
    for (let p = 0; p < 1024; p++) data[i * 3072 + 2048 + p] = p & 0xff;
  }
  const labelEntries: [string, PickleIn][] = kind === 'cifar10' ? [['labels', labels]] : [['fine_labels', labels], ['coarse_labels', labels.map((l) => l % 20)]];
  return pickle({ dict: [['batch_label', 'training batch 1 of 5'], ['data', { ndarray: { shape: [n, 3072], data } }], ...labelEntries, ['filenames', labels.map((_, i) => `img_${i}.png`)]] });
}
