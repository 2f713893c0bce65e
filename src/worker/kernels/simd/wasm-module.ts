// A small WebAssembly assembler for hand-written SIMD kernels: functions of i32 parameters
// (byte addresses and sizes) over the wasm backend's shared memory, imported as env.memory. Only
// the instructions the kernels use are here; `WebAssembly.validate` checks every module built.
// Encoding per the WebAssembly core spec (binary format, §5) and the fixed-width SIMD proposal.

export type ValType = 'i32' | 'f32' | 'v128';
const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const utf8 = (s: string) => [...new TextEncoder().encode(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

/** A local variable (parameters first, then declared locals). */
export type Local = number & { readonly local: unique symbol };

const SIMD = 0xfd;

/** Builds one function body; methods append instructions and return `this` for chaining. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    readonly name: string,
    readonly params: number,
  ) {}

  param(i: number): Local {
    if (i >= this.params) throw new Error(`${this.name} has ${this.params} parameters`);
    return i as Local;
  }

  local(type: ValType): Local {
    this.locals.push(type);
    return (this.params + this.locals.length - 1) as Local;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  get(l: Local) {
    return this.op(0x20, ...uleb(l));
  }
  set(l: Local) {
    return this.op(0x21, ...uleb(l));
  }
  tee(l: Local) {
    return this.op(0x22, ...uleb(l));
  }
  i32(v: number) {
    return this.op(0x41, ...sleb(v | 0));
  }
  add() {
    return this.op(0x6a);
  }
  sub() {
    return this.op(0x6b);
  }
  mul() {
    return this.op(0x6c);
  }
  eq() {
    return this.op(0x46);
  }
  divS() {
    return this.op(0x6d);
  }
  and() {
    return this.op(0x71);
  }
  ltS() {
    return this.op(0x48);
  }
  geS() {
    return this.op(0x4e);
  }
  gtS() {
    return this.op(0x4a);
  }
  select() {
    return this.op(0x1b);
  }
  /** v128.load at the address on the stack plus `offset` bytes. */
  load(offset = 0) {
    return this.op(SIMD, ...uleb(0x00), 4, ...uleb(offset));
  }
  store(offset = 0) {
    return this.op(SIMD, ...uleb(0x0b), 4, ...uleb(offset));
  }
  /** v128.load32_splat: one float read and copied to the four lanes. */
  loadSplat(offset = 0) {
    return this.op(SIMD, ...uleb(0x09), 2, ...uleb(offset));
  }
  f32Load(offset = 0) {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0) {
    return this.op(0x38, 2, ...uleb(offset));
  }
  f32Const(v: number) {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.op(0x43, ...b);
  }
  i32x4Splat() {
    return this.op(SIMD, ...uleb(0x11));
  }
  i32x4ReplaceLane(lane: number) {
    return this.op(SIMD, ...uleb(0x1c), lane);
  }
  /** i32x4.shl / shr_u by the i32 on the stack. */
  i32x4Shl() {
    return this.op(SIMD, ...uleb(0xab));
  }
  i32x4ShrU() {
    return this.op(SIMD, ...uleb(0xad));
  }
  i32x4GeU() {
    return this.op(SIMD, ...uleb(0x40));
  }
  v128Xor() {
    return this.op(SIMD, ...uleb(0x51));
  }
  f32x4Splat() {
    return this.op(SIMD, ...uleb(0x13));
  }
  /** i8x16.shuffle that copies float lane `lane` of the vector on the stack to all four lanes. */
  splatLane(lane: number, source: Local) {
    this.get(source).get(source);
    const bytes = Array.from({ length: 16 }, (_, i) => lane * 4 + (i % 4));
    return this.op(SIMD, ...uleb(0x0d), ...bytes);
  }
  f32x4Add() {
    return this.op(SIMD, ...uleb(0xe4));
  }
  f32x4Sub() {
    return this.op(SIMD, ...uleb(0xe5));
  }
  f32x4Mul() {
    return this.op(SIMD, ...uleb(0xe6));
  }
  f32x4Max() {
    return this.op(SIMD, ...uleb(0xe9));
  }
  f32x4Gt() {
    return this.op(SIMD, ...uleb(0x44));
  }
  f32x4Ne() {
    return this.op(SIMD, ...uleb(0x42));
  }
  f32Mul() {
    return this.op(0x94);
  }
  f32Gt() {
    return this.op(0x5e);
  }
  f32Ne() {
    return this.op(0x5c);
  }
  /** select on f32 operands (the same instruction; named for what it picks between). */
  fSelect() {
    return this.op(0x1b);
  }
  f32x4Eq() {
    return this.op(SIMD, ...uleb(0x41));
  }
  v128And() {
    return this.op(SIMD, ...uleb(0x4e));
  }
  v128AndNot() {
    return this.op(SIMD, ...uleb(0x4f));
  }
  v128Or() {
    return this.op(SIMD, ...uleb(0x50));
  }
  /** v128.bitselect: (a & mask) | (b & ~mask) with a, b, mask on the stack in that order. */
  bitselect() {
    return this.op(SIMD, ...uleb(0x52));
  }
  v128Zero() {
    return this.op(SIMD, ...uleb(0x0c), ...new Array<number>(16).fill(0));
  }

  /** if (condition on the stack) { then() } */
  when(then: () => void) {
    this.op(0x04, 0x40);
    then();
    return this.op(0x0b);
  }

  /**
   * for (v = from; v < to; v += step) body(): `from`/`to` push an i32 each; `to` is evaluated on
   * every test.
   */
  range(v: Local, from: () => void, to: () => void, step: number, body: () => void) {
    from();
    this.set(v);
    this.op(0x02, 0x40, 0x03, 0x40); // block, loop
    this.get(v);
    to();
    this.geS();
    this.op(0x0d, 1); // br_if to the block's end
    body();
    this.get(v).i32(step).add().set(v);
    this.op(0x0c, 0); // br to the loop's start
    return this.op(0x0b, 0x0b);
  }

  /** The function's body in the code section's form. */
  encode(): number[] {
    const groups: number[][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === TYPE_CODE[t]) last[0]!++;
      else groups.push([1, TYPE_CODE[t]]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n!), t!]), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/** A kernel function taking one i32 parameter per name, and those parameters by name. */
export function kernelFunction<const T extends readonly string[]>(name: string, paramNames: T): { f: FunctionBuilder; p: Record<T[number], Local> } {
  const f = new FunctionBuilder(name, paramNames.length);
  return { f, p: Object.fromEntries(paramNames.map((n, i) => [n, f.param(i)])) as Record<T[number], Local> };
}

/**
 * A module of `functions` (each `(i32 × params) → ()`, exported by name) importing env.memory:
 * shared (the threaded build's memory) or not (the single-threaded build's).
 */
export function buildModule(functions: FunctionBuilder[], shared: boolean): Uint8Array {
  const types = [...new Set(functions.map((f) => f.params))];
  const typeSec = vec(types.map((n) => [0x60, ...uleb(n), ...new Array<number>(n).fill(0x7f), 0]));
  // env.memory: 1 page at least; a shared memory must declare its maximum (65536 pages, 4 GiB: the wasm backend's).
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const importSec = vec([[...uleb(3), ...utf8('env'), ...uleb(6), ...utf8('memory'), 0x02, ...limits]]);
  const funcSec = vec(functions.map((f) => uleb(types.indexOf(f.params))));
  const exportSec = vec(functions.map((f, i) => [...uleb(utf8(f.name).length), ...utf8(f.name), 0x00, ...uleb(i)]));
  const codeSec = vec(functions.map((f) => f.encode()));
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, typeSec),
    ...section(2, importSec),
    ...section(3, funcSec),
    ...section(7, exportSec),
    ...section(10, codeSec),
  ]);
  if (!WebAssembly.validate(bytes)) throw new Error(`the generated SIMD kernel module (${functions.map((f) => f.name).join(', ')}) does not validate`);
  return bytes;
}
