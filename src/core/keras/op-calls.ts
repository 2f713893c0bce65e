/**
 * Where the reader meets a tensor operation (see tensor-ops.ts for the table): which calls,
 * operators and subscripts on Keras tensors become operation nodes, and how they read inside a
 * layer's own call() (computation within that layer, constants allowed) or at the top level of a
 * functional model (Keras 3 records `x + y` and `keras.ops.*` there as operations: rows with no
 * weights; it refuses `tf.*` functions on Keras tensors, which tf.keras 2 read as TFOpLambda
 * layers: see tf-op-lambda.ts for which a file runs on).
 */
import type { SyntaxNode } from '@lezer/common';
import type { ConfigValue, Shape } from '../model/ir';
import type { IndexItem } from '../python/host';
import { pyRepr, type Args, type Value } from '../python/values';
import { ShapeError } from './layers/spec';
import { outputTensor, type GLayer } from './shape-inference';
import { findOp, GET_ITEM, isShapeOf, kerasOpsName, opSpec, OPERATORS, RANDOM_CLASSES, readIndex, readOpArgs, type OpDef } from './tensor-ops';
import { TF_OP_LAMBDA, tfOpLambdaName, tfOpLambdaWarning, type KerasLine } from './tf-op-lambda';

/** What the reader offers the operations. */
export interface OpSite {
  /** How deep the reading is inside the file's own layer/model classes' call(); the innermost class's name. */
  callDepth(): number;
  /** The graph node a Keras tensor value stands for. */
  tensor(v: Value): GLayer | undefined;
  /** A Keras tensor value for a node. */
  tensorValue(l: GLayer): Value;
  unknown(n: SyntaxNode): Value;
  text(n: SyntaxNode): string;
  error(n: SyntaxNode, message: string): void;
  warn(n: SyntaxNode, message: string): void;
  /** Which Keras the file runs on, as its imports say so far (tf-op-lambda.ts). */
  kerasLine(): KerasLine;
  /** The node's inferred output shape (null when unknown). */
  shapeOf(l: GLayer): Shape | null;
  /** Registers a new node (made at `n`) with the reader's layers; its name comes from `name` (numbered from `prefix` when given, else from the class). */
  addNode(make: (name: string) => GLayer, cls: string, inner: boolean, n: SyntaxNode, prefix?: string): GLayer;
  range(n: SyntaxNode): GLayer['range'];
}

/** What `ops.shape(x)[0]` gives for an axis whose size is known only when the model runs (the batch). */
export const DYNAMIC = 'the batch size (known only when the model runs)';
/** What `ops.shape(x)[i]` gives for another axis whose size is known only when the model runs (a sequence length). */
export const RUNTIME_LENGTH = 'a size known only when the model runs';
const dynamic = (v: Value) => v.k === 'unknown' && (v.text === DYNAMIC || v.text === RUNTIME_LENGTH);

/** A value in a message: Python's repr, or what an unknown value was written as. */
const describe = (v: Value): string =>
  pyRepr(v, (x) => (x.k === 'unknown' ? x.text : x.k === 'host' ? ((x.h as { kind?: string }).kind === 'data' ? 'an array of data made when the file runs' : 'a Keras object') : x.k));

/** Element-wise operations applied to a Python number (inside a call(), the value is that number's). */
const NUMERIC: Record<string, (x: number) => number> = {
  Cast: (x) => x,
  Sqrt: Math.sqrt,
  Rsqrt: (x) => 1 / Math.sqrt(x),
  Exp: Math.exp,
  Log: Math.log,
  Square: (x) => x * x,
  Absolute: Math.abs,
  Negative: (x) => -x,
};

/** A Python number (or a size known only at run time) turned into a tensor: 0-D, no weights. */
const SCALAR: OpDef = { cls: 'ConvertToTensor', params: [], shape: () => [], constant: true };

/** A static argument with dynamic sizes in it: Keras reads a dynamic size as None (compute_reshape_output_shape). */
function withDynamic(v: Value): Value {
  if (v.k !== 'seq' || !v.items.some(dynamic)) return v;
  return { ...v, items: v.items.map((i) => (dynamic(i) ? { k: 'py', v: null } : i)) };
}

/** How a row made for an operation is typed and named when it is not Keras 3's (tf.keras 2's TFOpLambda). */
interface RowAs {
  type: string;
  prefix: string;
}

export class OpCalls {
  constructor(private readonly site: OpSite) {}

  /**
   * A call of a module function: an operation of the table on Keras tensors (or a constant made
   * inside a call()), `ops.shape(x)`. Undefined when it is none of those (the reader goes on).
   */
  call(path: string, args: Args, n: SyntaxNode): Value | undefined {
    const site = this.site;
    const inner = site.callDepth() > 0;
    const values = [...args.pos, ...args.kw.values()].map((a) => a.value);
    const onTensor = values.some((v) => this.tensors(v).length > 0);
    if (isShapeOf(path)) {
      const x = args.pos[0] ?? args.kw.get('x') ?? args.kw.get('input');
      const l = x && site.tensor(x.value);
      if (!l) return undefined;
      if (!inner && path.startsWith('tensorflow.')) {
        const line = site.kerasLine();
        if (line === 'keras3') return this.refuseTf(path, n);
        // tf.keras 2 made a TFOpLambda row (tf.compat.v1.shape) of an int tensor, and a row for each
        // index of it: no weights. Model Lens gives the static shape without those rows.
        site.warn(n, tfOpLambdaWarning('tf.shape', line, 'tf.compat.v1.shape', 'and a row for each index of it; Model Lens reads the static shape and lists none of those rows', 'keras.ops.shape'));
      }
      const shape = site.shapeOf(l);
      if (!shape) return site.unknown(n);
      // tf.shape(x) is an int tensor (`tf.shape(x)[1:3] * 4` multiplies each size); keras.ops.shape(x) a Python tuple.
      const items = shape.map((d, i): Value => (d === null ? { k: 'unknown', text: i === 0 ? DYNAMIC : RUNTIME_LENGTH } : { k: 'py', v: d }));
      return { k: 'seq', tuple: true, items, ...(path.startsWith('tensorflow.') ? { nd: true as const } : {}) };
    }
    const def = findOp(path);
    // At the top level, `tf.constant([1, n, 1])` of ints (a tile's multiples, a shape vector) is
    // given where a constant argument is read: its list, as TensorFlow reads a constant tensor's value.
    if (!inner && !onTensor && (path === 'tensorflow.constant' || path === 'tensorflow.convert_to_tensor')) {
      const v = (args.pos[0] ?? args.kw.get('value'))?.value;
      const others = [...args.kw.keys()].filter((k) => k !== 'value' && k !== 'dtype' && k !== 'name');
      if (v?.k === 'seq' && !v.tuple && v.items.length && v.items.length <= 8 && args.pos.length <= 2 && !others.length && v.items.every((i) => i.k === 'py' && typeof i.v === 'number' && Number.isInteger(i.v) && !i.f)) return v;
    }
    if (def && !onTensor && inner) {
      // `tf.math.sqrt(tf.cast(dim, tf.float32))` on a Python number (attention's scale): that number.
      const v = args.pos[0]?.value;
      const f = NUMERIC[def.cls];
      if (f && v?.k === 'py' && typeof v.v === 'number' && args.pos.length + args.kw.size <= 3) {
        const r = f(v.v);
        if (Number.isFinite(r)) return def.cls === 'Cast' || Number.isInteger(r) ? { k: 'py', v: r, ...(v.f || !Number.isInteger(r) ? { f: true as const } : {}) } : { k: 'py', v: r, f: true };
      }
    }
    // Inside a call(), a Python number or a size known only when the model runs, given where a tensor
    // goes (`ops.expand_dims(batch_size, -1)`): a 0-D constant tensor, as the backend converts it.
    if (def && !onTensor && inner && !def.constant) {
      const at = def.params.findIndex((p) => p.kind === 'tensor');
      const p = at >= 0 ? def.params[at]! : undefined;
      const given = p ? (args.pos[at] ?? p.names.map((k) => args.kw.get(k)).find((x) => x)) : undefined;
      if (p && given && ((given.value.k === 'py' && typeof given.value.v === 'number') || dynamic(given.value))) {
        const scalar = this.make(SCALAR, 'keras.ops.convert_to_tensor', [], {}, n);
        const pos = args.pos[at] ? args.pos.map((x, i) => (i === at ? { ...x, value: scalar } : x)) : args.pos;
        const kw = new Map([...args.kw].map(([k, x]) => [k, x === given ? { ...x, value: scalar } : x]));
        return this.node(def, path, { ...args, pos, kw }, n);
      }
    }
    // At the top level, positions `tf.range(n)` / `ops.arange(n)` are computed when the file runs
    // (eager), outside any model; other constants there stay arrays of data (a model called on tf.zeros).
    const eagerMade = !inner && !onTensor && def?.cls === 'Arange';
    const eagerOnly = !inner && onTensor && values.flatMap((v) => this.tensors(v)).every((t) => t.eager);
    // A random tensor at the top level whose first size is a Keras tensor's batch size
    // (`tf.random.normal(shape=(tf.shape(z_mean)[0], 2))`, a VAE's noise written outside any layer):
    // tf.keras 2 made it a TFOpLambda on the model's graph (Keras 3 refuses the tf.shape before it).
    const batchRandom = !inner && !onTensor && def !== undefined && RANDOM_CLASSES.has(def.cls) && path.startsWith('tensorflow.') && this.batchSizedShape(args);
    if (!def || !(onTensor || (def.constant && inner) || eagerMade || batchRandom)) return undefined;
    // Keras 3: a KerasTensor given to a TensorFlow function raises (KerasTensor.__tf_tensor__);
    // tf.keras 2 made a TFOpLambda layer of it (tf-op-lambda.ts): read so, with a warning.
    if (!inner && !eagerOnly && !eagerMade && path.startsWith('tensorflow.')) {
      const line = site.kerasLine();
      if (line === 'keras3') return this.refuseTf(path, n);
      const name = tfOpLambdaName(path);
      site.warn(n, tfOpLambdaWarning(path.replace(/^tensorflow\./, 'tf.'), line, name, undefined, kerasOpsName(def.cls)));
      return this.node(def, path, args, n, { type: TF_OP_LAMBDA, prefix: name });
    }
    return this.node(def, path, args, n);
  }

  /** `a op b` with a Keras tensor on a side. Undefined: the reader keeps its own reading (a merge layer inside a call()). */
  binary(a: Value, op: string, b: Value, n: SyntaxNode): Value | undefined {
    const def = OPERATORS[op];
    if (!def) return undefined;
    const site = this.site;
    const x = site.tensor(a);
    const y = site.tensor(b);
    if (site.callDepth() > 0) {
      // Inside a call(): two batch tensors of one rank stay the merge layer the operator stands
      // for; a tensor with a number keeps the tensor's shape; constants and other ranks broadcast.
      // A size known only when the model runs (`j - n_src` of a causal mask) is a 0-D tensor there.
      if ((x && !y && dynamic(b)) || (y && !x && dynamic(a))) {
        const scalar = this.make(SCALAR, 'keras.ops.convert_to_tensor', [], {}, n);
        const pair: Args = { pos: [{ value: x ? a : scalar, node: n }, { value: x ? scalar : b, node: n }], kw: new Map(), star: false };
        return this.node(def, `operator ${op}`, pair, n);
      }
      if (!x || !y) return undefined;
      const sx = site.shapeOf(x);
      const sy = site.shapeOf(y);
      const plain = !x.constant && !y.constant && sx && sy && sx.length === sy.length;
      if (plain && (op === '+' || op === '-' || op === '*')) return undefined;
    }
    const args: Args = { pos: [{ value: a, node: n }, { value: b, node: n }], kw: new Map(), star: false };
    return this.node(def, `operator ${op}`, args, n);
  }

  /** `x[…]` on a Keras tensor: a GetItem operation. */
  subscript(x: GLayer, index: IndexItem[], n: SyntaxNode): Value {
    const parts: ConfigValue[] = [];
    for (const i of index) {
      const p = readIndex(i, describe);
      if (typeof p === 'string') {
        this.site.error(n, `'${this.site.text(n)}': ${p}, so the shape after it is unknown`);
        return this.site.unknown(n);
      }
      parts.push(p as unknown as ConfigValue);
    }
    if (parts.filter((p) => typeof p === 'object' && p !== null && 'ellipsis' in (p as object)).length > 1) {
      this.site.error(n, `'${this.site.text(n)}' has more than one '...'; Python raises an IndexError`);
      return this.site.unknown(n);
    }
    return this.make(GET_ITEM, 'operator []', [this.site.tensorValue(x)], { index: parts }, n);
  }

  /** The first size of a random op's shape argument of more than one size (undefined otherwise). */
  private firstSize(args: Args): Value | undefined {
    const shape = (args.pos[0] ?? args.kw.get('shape'))?.value;
    return shape?.k === 'seq' && shape.items.length > 1 ? shape.items[0]! : undefined;
  }

  /** Whether a random op's shape argument starts with a batch size known only when the model runs. */
  private batchSizedShape(args: Args): boolean {
    const first = this.firstSize(args);
    return first !== undefined && first.k === 'unknown' && first.text === DYNAMIC;
  }

  private refuseTf(path: string, n: SyntaxNode): Value {
    const fn = path.replace(/^tensorflow\./, 'tf.');
    this.site.error(n, `'${fn}' is given a Keras tensor: Keras 3 raises a ValueError here (a KerasTensor cannot be used as input to a TensorFlow function), and this file uses Keras 3 (it uses keras.ops, keras.random or keras.config, which only Keras 3 has). Use the keras.ops function or a Keras layer instead, or move the computation into a layer's call()`);
    return this.site.unknown(n);
  }

  private tensors(v: Value): GLayer[] {
    const one = this.site.tensor(v);
    if (one) return [one];
    return v.k === 'seq' ? v.items.flatMap((i) => (this.site.tensor(i) ? [this.site.tensor(i)!] : [])) : [];
  }

  /** `as`: a tf.keras 2 TFOpLambda row (its type and its name before numbering) instead of Keras 3's operation. */
  private node(def: OpDef, path: string, args: Args, n: SyntaxNode, as?: RowAs): Value {
    const site = this.site;
    // `tf.range(tf.shape(x)[-1])` on an axis of size None other than the batch (the positions of
    // a sequence of any length): Keras's symbolic arange is 1-D of size None. The bound stands in
    // as 0 and the config says the size is known only when the model runs. A range over the batch
    // size stays an error (what it indexes is not known before the model runs).
    const values = [...args.pos, ...args.kw.values()].map((a) => a.value);
    const sized = def.cls === 'Arange' && values.some(dynamic) && !values.some((v) => v.k === 'unknown' && v.text === DYNAMIC);
    const bound = (v: Value): Value => (sized && dynamic(v) ? { k: 'py', v: 0 } : withDynamic(v));
    const dyn: Args = { ...args, pos: args.pos.map((a) => ({ ...a, value: bound(a.value) })), kw: new Map([...args.kw].map(([k, a]) => [k, { ...a, value: bound(a.value) }])) };
    // A random tensor's seed changes no shape (and may be a keras.random.SeedGenerator): not read.
    const random = RANDOM_CLASSES.has(def.cls);
    if (random) dyn.kw.delete('seed');
    const read = readOpArgs(def, dyn, (v) => site.tensor(v) !== undefined, describe);
    if (sized && !('error' in read)) read.config['dynamic_size'] = true;
    // …whose first size is the batch size: a batch tensor (None, …), not a constant.
    const first = random ? this.firstSize(args) : undefined;
    // (`tf.shape(z)[0]`, or the None of a tensor's own shape: `tf.random.normal(std.shape)`)
    const batchSized = random && (this.batchSizedShape(args) || (first?.k === 'py' && first.v === null));
    if (batchSized && !('error' in read)) read.config['batch_sized'] = true;
    const fn = path.replace(/^tensorflow\./, 'tf.').replace(/^keras\.ops\.(numpy\.|nn\.|core\.)?/, 'ops.');
    if ('error' in read) {
      // Values computed when the file runs, outside any model (a causal mask printed at the top
      // level): unknown to Model Lens, said where a model uses them, not here.
      const given = [...args.pos, ...args.kw.values()].flatMap((a) => this.tensors(a.value));
      if (site.callDepth() === 0 && given.length && given.every((l) => l.eager)) return site.unknown(n);
      site.error(n, `'${site.text(n)}': ${fn.startsWith('operator') ? `'${fn.slice(9)}'` : fn} ${read.error}, so the shape after it is unknown`);
      return site.unknown(n);
    }
    // A list of tensors (split, unstack): how many is worked out now, from the input's shape.
    if (def.shapes) {
      const shapes = read.inputs.map((v) => site.shapeOf(site.tensor(v)!));
      const what = `'${site.text(n)}': ${fn}`;
      if (shapes.some((x) => !x)) {
        site.error(n, `${what}: the shape of its input is unknown, so the number of tensors it returns is unknown`);
        return site.unknown(n);
      }
      try {
        read.config['num_outputs'] = def.shapes(shapes as Shape[], read.config).length;
      } catch (e) {
        if (!(e instanceof ShapeError)) throw e;
        site.error(n, `${what} ${e.message}, so the shapes after it are unknown`);
        return site.unknown(n);
      }
    }
    return this.make(def, path, read.inputs, read.config, n, as);
  }

  private make(def: OpDef, path: string, inputs: Value[], config: Record<string, ConfigValue>, n: SyntaxNode, as?: RowAs): Value {
    const site = this.site;
    const nodes = inputs.map((v) => site.tensor(v)!);
    const inner = site.callDepth() > 0;
    const constant = nodes.every((l) => l.constant) && config['batch_sized'] !== true;
    // Only eager values in (or none, at the top level): computed when the file runs, not a node of any model.
    // (A batch-sized random tensor depends on the batch the model runs on: a node of the model, not eager.)
    const eager = !inner && nodes.every((l) => l.eager) && config['batch_sized'] !== true;
    const made = site.addNode(
      (name) => ({ name, type: as?.type ?? def.cls, spec: opSpec(def), config: { ...config, name }, range: site.range(n), inputs: nodes, problems: [], operation: path, ...(constant ? { constant: true } : {}), ...(eager ? { eager: true } : {}) }),
      def.cls,
      inner,
      n,
      as?.prefix,
    );
    // split / unstack return a Python list of tensors (of one, too), each an output of the one node.
    if (def.shapes) {
      const count = Number(config['num_outputs'] ?? 1);
      return { k: 'seq', tuple: false, items: Array.from({ length: count }, (_, i) => site.tensorValue(count > 1 ? outputTensor(made, i) : made)) };
    }
    return site.tensorValue(made);
  }
}
