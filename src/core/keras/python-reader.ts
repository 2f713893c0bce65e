/**
 * Reads Keras models from Python source without running it: @lezer/python parses the file, then a
 * small evaluator walks the statements in order, folding module-level constants and tracking the
 * names bound to Keras modules, layers, tensors, models and datasets. Everything else is unknown.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { ConfigValue, DatasetName, Diagnostic, ReadResult, Severity, SourceRange, TrainingConfig } from '../model/ir';
import { buildModelIR, collectFunctional } from './build-ir';
import { NameCounter } from './default-names';
import { buildConfig, closest, type WrittenArg } from './layer-config';
import { layerSpec, supportedLayerTypes } from './layer-table';
import { canonicalPath, py, toConfig, UNKNOWN, type PyModel, type Value } from './python-values';
import type { GLayer, ShapeCache } from './shape-inference';
import { applyCompile, applyFit, optimizerFromValue } from './training-config';

const MAX_LOOP = 1000;
const MAX_CALL_DEPTH = 20;
const DATASETS: Record<string, DatasetName> = { mnist: 'mnist', fashion_mnist: 'fashion_mnist' };
const SIMPLE = new Set(['AssignStatement', 'ExpressionStatement', 'UpdateStatement', 'ImportStatement']);
const BUILTINS = new Set(['range', 'len', 'int', 'float', 'tuple', 'list', 'print', 'min', 'max', 'round', 'abs', 'str', 'bool', 'sum']);

interface Arg {
  value: Value;
  node: SyntaxNode;
}
interface Args {
  pos: Arg[];
  kw: Map<string, Arg>;
  /** `*x` or `**x` was used: some arguments are not known. */
  star: boolean;
}

class ReturnSignal {
  constructor(readonly value: Value) {}
}

export function readPython(file: string, text: string): ReadResult {
  return new PythonReader(file, text).read();
}

class PythonReader {
  private readonly src: string;
  private readonly lineStarts: number[] = [0];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly names = new NameCounter();
  private scopes: Map<string, Value>[] = [new Map()];
  private readonly starModules: string[] = [];
  private readonly models: PyModel[] = [];
  private readonly layers: GLayer[] = [];
  /** Call order of layers (topological by construction). */
  private readonly order = new Map<GLayer, number>();
  private readonly applied = new Set<GLayer>();
  private readonly datasets: { dataset: DatasetName; line: number }[] = [];
  private lastScaledX: { dataset: DatasetName | null; scale: number } | undefined;
  private depth = 0;
  private seq = 0;
  private readonly syntaxErrorAt: number[] = [];
  private readonly globalNamed = new Set<PyModel>();

  constructor(
    private readonly file: string,
    text: string,
  ) {
    // Notebook magics (`%matplotlib inline`, `!pip …`) are not Python: blank them, keeping offsets.
    this.src = text.replace(/^([ \t]*)([%!].*)$/gm, (_m, ind: string, rest: string) => ind + ' '.repeat(rest.length));
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  read(): ReadResult {
    const tree = parser.parse(this.src);
    this.reportSyntaxErrors(tree.topNode);
    try {
      this.execBlock(tree.topNode);
    } catch (e) {
      if (!(e instanceof ReturnSignal)) {
        this.diag('error', 'internal', tree.topNode, `Model Lens could not finish reading this file (${e instanceof Error ? e.message : String(e)}); please report it`);
      }
    }
    return this.finish();
  }

  // ------------------------------------------------------------------ positions & diagnostics

  private pos(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  private range(node: { from: number; to: number }): SourceRange {
    const a = this.pos(node.from);
    const b = this.pos(node.to);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  private makeDiag(severity: Severity, code: string, at: { from: number; to: number } | SourceRange, message: string, layer?: string): Diagnostic {
    const range = 'from' in at ? this.range(at) : at;
    return { severity, code, file: this.file, range, message, ...(layer ? { layer } : {}) };
  }

  private diag(severity: Severity, code: string, node: { from: number; to: number }, message: string): void {
    this.diagnostics.push(this.makeDiag(severity, code, node, message));
  }

  private text(node: SyntaxNode): string {
    const t = this.src.slice(node.from, node.to).replace(/\s+/g, ' ');
    return t.length > 60 ? t.slice(0, 57) + '…' : t;
  }

  private reportSyntaxErrors(top: SyntaxNode): void {
    const lines = new Set<number>();
    const cursor = top.cursor();
    do {
      if (!cursor.type.isError) continue;
      const node = cursor.node;
      // @lezer/python reads a float with a trailing dot (`255.`) as Number "." <error>: not an error.
      let prev = node.prevSibling;
      while (prev?.name === 'Comment') prev = prev.prevSibling;
      if (node.from === node.to && prev?.name === '.' && prev.prevSibling?.name === 'Number' && prev.prevSibling.to === prev.from) continue;
      this.syntaxErrorAt.push(node.from);
      const p = this.pos(node.from);
      if (lines.has(p.line) || lines.size >= 10) continue;
      lines.add(p.line);
      const bad = this.src.slice(node.from, Math.max(node.to, node.from + 1)).split('\n')[0]!.trim();
      const message = bad
        ? `syntax error: unexpected '${bad.slice(0, 20)}'; fix the Python syntax here (Model Lens reads the rest of the file as well as it can)`
        : `syntax error: the statement is incomplete here (a missing value, bracket or colon?); fix the Python syntax`;
      this.diagnostics.push({ severity: 'error', code: 'syntax', file: this.file, range: this.range({ from: node.from, to: Math.max(node.to, node.from + 1) }), message });
    } while (cursor.next());
  }

  // ------------------------------------------------------------------ scopes

  private lookup(name: string): Value | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v) return v;
    }
    return undefined;
  }

  private bind(name: string, v: Value): void {
    this.scopes[this.scopes.length - 1]!.set(name, v);
    // The variable a model is known by: the first module-level name it is bound to.
    if (v.k === 'model' && (v.model.variable === undefined || (this.scopes.length === 1 && !this.globalNamed.has(v.model)))) {
      v.model.variable = name;
      if (this.scopes.length === 1) this.globalNamed.add(v.model);
    }
  }

  // ------------------------------------------------------------------ statements

  private execBlock(block: SyntaxNode): void {
    for (let s = block.firstChild; s; s = s.nextSibling) this.exec(s);
  }

  private exec(s: SyntaxNode): void {
    // A simple statement with a syntax error is skipped: reading half of it only adds noise.
    if (this.syntaxErrorAt.some((o) => o >= s.from && o <= s.to) && SIMPLE.has(s.name)) return;
    switch (s.name) {
      case 'ImportStatement':
        return this.execImport(s);
      case 'AssignStatement':
        return this.execAssign(s);
      case 'UpdateStatement':
        return this.execUpdate(s);
      case 'ExpressionStatement':
        for (let c = s.firstChild; c; c = c.nextSibling) this.eval(c);
        return;
      case 'IfStatement':
        return this.execIf(s);
      case 'WithStatement':
      case 'TryStatement':
        // Read the main body (the `try:` / `with ...:` block), not the handlers.
        for (let c = s.firstChild; c; c = c.nextSibling) if (c.name === 'Body') return this.execBlock(c);
        return;
      case 'ForStatement':
        return this.execFor(s);
      case 'FunctionDefinition': {
        const name = s.getChild('VariableName');
        if (name) this.bind(this.src.slice(name.from, name.to), { k: 'func', node: s, name: this.src.slice(name.from, name.to) });
        return;
      }
      case 'DecoratedStatement':
        for (let c = s.firstChild; c; c = c.nextSibling) if (c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') this.exec(c);
        return;
      case 'ClassDefinition': {
        const args = s.getChild('ArgList');
        if (args && /Model\b/.test(this.src.slice(args.from, args.to))) {
          this.diag('info', 'subclassed-model', s.firstChild ?? s, 'subclassed Keras models (class … (keras.Model)) are not read; build the model with the functional API or Sequential to see it in Model Lens');
        }
        return;
      }
      case 'ReturnStatement': {
        const e = s.lastChild && s.lastChild.name !== 'return' ? this.eval(s.lastChild) : py(null);
        throw new ReturnSignal(e);
      }
      default:
        return;
    }
  }

  private execImport(s: SyntaxNode): void {
    // Children: [from dotted… import] names [as alias] separated by commas.
    const parts: { name: string; node: SyntaxNode }[][] = [];
    let from: string | null = null;
    let cur: { name: string; node: SyntaxNode }[] = [];
    let mode: 'start' | 'from' | 'names' = 'start';
    let dots = '';
    for (let c = s.firstChild; c; c = c.nextSibling) {
      const t = this.src.slice(c.from, c.to);
      if (c.name === 'from') mode = 'from';
      else if (c.name === 'import') {
        if (mode === 'from') from = dots + cur.map((x) => x.name).join('');
        cur = [];
        mode = 'names';
      } else if (c.name === ',') {
        parts.push(cur);
        cur = [];
      } else if (mode === 'from') {
        if (c.name === '.' || c.name === 'Ellipsis') dots += t;
        cur.push({ name: c.name === 'VariableName' ? t : c.name === '.' ? '.' : t, node: c });
      } else cur.push({ name: t, node: c });
    }
    if (cur.length) parts.push(cur);
    for (const p of parts) {
      // p: a . b . c [as x]   or  * (from … import *)
      const asIdx = p.findIndex((x) => x.name === 'as');
      const dotted = (asIdx >= 0 ? p.slice(0, asIdx) : p).map((x) => x.name).join('').replace(/\(|\)/g, '');
      const alias = asIdx >= 0 ? p[asIdx + 1]?.name : undefined;
      if (!dotted) continue;
      if (from !== null) {
        const base = from.replace(/^\.+/, '');
        if (dotted === '*') {
          this.starModules.push(canonicalPath(base));
          continue;
        }
        this.bind(alias ?? dotted, { k: 'mod', path: canonicalPath(`${base}.${dotted}`) });
      } else if (alias) {
        this.bind(alias, { k: 'mod', path: canonicalPath(dotted) });
      } else {
        // `import tensorflow.keras` binds `tensorflow`.
        const head = dotted.split('.')[0]!;
        this.bind(head, { k: 'mod', path: head });
      }
    }
  }

  private execAssign(s: SyntaxNode): void {
    // Children: target(s) [, target]* = … = value ; annotations (`x: int = 3`) are skipped.
    const kids: SyntaxNode[] = [];
    for (let c = s.firstChild; c; c = c.nextSibling) kids.push(c);
    const ops = kids.map((k, i) => (k.name === 'AssignOp' ? i : -1)).filter((i) => i >= 0);
    if (!ops.length) return;
    const valueNodes = kids.slice(ops[ops.length - 1]! + 1).filter((k) => k.name !== ',');
    if (!valueNodes.length) return;
    const value =
      valueNodes.length === 1 ? this.eval(valueNodes[0]!) : { k: 'seq' as const, items: valueNodes.map((n) => this.eval(n)), tuple: true };
    let start = 0;
    for (const op of ops) {
      const targets = kids.slice(start, op).filter((k) => k.name !== ',' && k.name !== 'TypeDef');
      if (targets.length === 1) this.assign(targets[0]!, value);
      else if (targets.length > 1) this.assignSeq(targets, value);
      start = op + 1;
    }
  }

  private execUpdate(s: SyntaxNode): void {
    const target = s.firstChild;
    const op = target?.nextSibling;
    const valueNode = op?.nextSibling;
    if (!target || !op || !valueNode || target.name !== 'VariableName') return;
    const name = this.src.slice(target.from, target.to);
    const cur = this.lookup(name) ?? UNKNOWN(name);
    this.bind(name, this.binary(cur, this.src.slice(op.from, op.to).replace('=', ''), this.eval(valueNode), s));
  }

  private assign(target: SyntaxNode, value: Value): void {
    if (target.name === 'VariableName') this.bind(this.src.slice(target.from, target.to), value);
    else if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
      const inner: SyntaxNode[] = [];
      for (let c = target.firstChild; c; c = c.nextSibling) if (!['(', ')', '[', ']', ','].includes(c.name)) inner.push(c);
      if (target.name === 'ParenthesizedExpression' && inner.length === 1) this.assign(inner[0]!, value);
      else this.assignSeq(inner, value);
    }
    // Attribute and subscript targets (obj.x = …, a[0] = …) are not tracked.
  }

  private assignSeq(targets: SyntaxNode[], value: Value): void {
    targets.forEach((t, i) => this.assign(t, value.k === 'seq' ? (value.items[i] ?? UNKNOWN('?')) : UNKNOWN(this.text(t))));
  }

  private execIf(s: SyntaxNode): void {
    // if cond: Body (elif cond: Body)* (else: Body)?  — take the first branch whose condition is
    // known true; when a condition is unknown (e.g. `__name__ == '__main__'`), take that branch.
    let c = s.firstChild;
    while (c) {
      if (c.name === 'if' || c.name === 'elif') {
        const cond = c.nextSibling!;
        const body = cond?.nextSibling;
        if (!body || body.name !== 'Body') return;
        const v = this.eval(cond);
        if (v.k !== 'py' || v.v) return this.execBlock(body);
        c = body.nextSibling;
      } else if (c.name === 'else') {
        const body = c.nextSibling;
        if (body?.name === 'Body') this.execBlock(body);
        return;
      } else c = c.nextSibling;
    }
  }

  private execFor(s: SyntaxNode): void {
    // for TARGET in ITERABLE: Body — unrolled when ITERABLE is a known sequence (e.g. range(3)).
    const kids: SyntaxNode[] = [];
    for (let c = s.firstChild; c; c = c.nextSibling) kids.push(c);
    const inIdx = kids.findIndex((k) => k.name === 'in');
    const body = kids.find((k) => k.name === 'Body');
    if (inIdx < 0 || !body) return;
    const targets = kids.slice(1, inIdx).filter((k) => k.name !== ',');
    const iter = this.eval(kids[inIdx + 1]!);
    if (iter.k !== 'seq') {
      this.diag('warning', 'unknown-loop', kids[inIdx + 1]!, `cannot tell how often this loop runs (${this.text(kids[inIdx + 1]!)}); layers built inside it are not read. Loop over a literal list or range(n) with a constant n`);
      return;
    }
    for (const item of iter.items.slice(0, MAX_LOOP)) {
      if (targets.length === 1) this.assign(targets[0]!, item);
      else this.assignSeq(targets, item);
      this.execBlock(body);
    }
  }

  // ------------------------------------------------------------------ expressions

  private eval(n: SyntaxNode): Value {
    switch (n.name) {
      case 'Number':
        return py(parseNumber(this.src.slice(n.from, n.to)));
      case 'String':
        return py(parseString(this.src.slice(n.from, n.to)));
      case 'ContinuedString': {
        let s = '';
        for (let c = n.firstChild; c; c = c.nextSibling) s += parseString(this.src.slice(c.from, c.to));
        return py(s);
      }
      case 'Boolean':
        return py(this.src.slice(n.from, n.to) === 'True');
      case 'None':
        return py(null);
      case 'Ellipsis':
        return { k: 'ellipsis' };
      case 'VariableName':
        return this.evalName(n);
      case 'MemberExpression':
        return this.evalMember(n);
      case 'CallExpression':
        return this.evalCall(n);
      case 'ParenthesizedExpression': {
        const inner = n.firstChild?.nextSibling;
        return inner && inner.name !== ')' ? this.eval(inner) : UNKNOWN(this.text(n));
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'SetExpression':
        return { k: 'seq', items: this.evalItems(n), tuple: n.name === 'TupleExpression' };
      case 'DictionaryExpression':
        return this.evalDict(n);
      case 'ArrayComprehensionExpression':
      case 'ComprehensionExpression':
        return this.evalComprehension(n);
      case 'UnaryExpression':
        return this.evalUnary(n);
      case 'BinaryExpression': {
        const a = n.firstChild!;
        const op = a.nextSibling!;
        const b = op.nextSibling;
        if (!b) return UNKNOWN(this.text(n));
        return this.binary(this.eval(a), this.src.slice(op.from, op.to), this.eval(b), n);
      }
      case 'ConditionalExpression': {
        // a if cond else b
        const a = n.firstChild!;
        const cond = a.nextSibling?.nextSibling;
        const b = cond?.nextSibling?.nextSibling;
        if (!cond || !b) return UNKNOWN(this.text(n));
        const c = this.eval(cond);
        return c.k === 'py' ? (c.v ? this.eval(a) : this.eval(b)) : this.eval(a);
      }
      default:
        return UNKNOWN(this.text(n));
    }
  }

  private evalItems(n: SyntaxNode): Value[] {
    const items: Value[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (['(', ')', '[', ']', '{', '}', ','].includes(c.name)) continue;
      if (c.name === '*') {
        const v = c.nextSibling ? this.eval(c.nextSibling) : UNKNOWN('*');
        if (v.k === 'seq') items.push(...v.items);
        else items.push(UNKNOWN(this.text(n)));
        c = c.nextSibling!;
        continue;
      }
      items.push(this.eval(c));
    }
    return items;
  }

  /** `[expr for t in iterable if cond …]` over known sequences, in a scope of its own. */
  private evalComprehension(n: SyntaxNode): Value {
    const kids: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (!['[', ']', '(', ')'].includes(c.name)) kids.push(c);
    const expr = kids[0];
    if (!expr) return UNKNOWN(this.text(n));
    // Clauses: for TARGETS in ITER | if COND
    type Clause = { kind: 'for'; targets: SyntaxNode[]; iter: SyntaxNode } | { kind: 'if'; cond: SyntaxNode };
    const clauses: Clause[] = [];
    for (let i = 1; i < kids.length; ) {
      const k = kids[i]!;
      if (k.name === 'for') {
        const inAt = kids.findIndex((x, j) => j > i && x.name === 'in');
        if (inAt < 0 || !kids[inAt + 1]) return UNKNOWN(this.text(n));
        clauses.push({ kind: 'for', targets: kids.slice(i + 1, inAt).filter((x) => x.name !== ','), iter: kids[inAt + 1]! });
        i = inAt + 2;
      } else if (k.name === 'if' && kids[i + 1]) {
        clauses.push({ kind: 'if', cond: kids[i + 1]! });
        i += 2;
      } else return UNKNOWN(this.text(n));
    }
    const items: Value[] = [];
    this.scopes.push(new Map());
    try {
      const run = (ci: number): boolean => {
        if (items.length > MAX_LOOP) return false;
        const c = clauses[ci];
        if (!c) {
          items.push(this.eval(expr));
          return true;
        }
        if (c.kind === 'if') {
          const v = this.eval(c.cond);
          if (v.k !== 'py') return false;
          return v.v ? run(ci + 1) : true;
        }
        const it = this.eval(c.iter);
        if (it.k !== 'seq') return false;
        for (const item of it.items) {
          if (c.targets.length === 1) this.assign(c.targets[0]!, item);
          else this.assignSeq(c.targets, item);
          if (!run(ci + 1)) return false;
        }
        return true;
      };
      return run(0) ? { k: 'seq', items, tuple: false } : UNKNOWN(this.text(n));
    } finally {
      this.scopes.pop();
    }
  }

  private evalDict(n: SyntaxNode): Value {
    const entries = new Map<string, Value>();
    let key: Value | undefined;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (['{', '}', ',', ':'].includes(c.name)) continue;
      if (c.name === '**') return UNKNOWN(this.text(n));
      if (key === undefined) key = this.eval(c);
      else {
        entries.set(key.k === 'py' ? String(key.v) : '?', this.eval(c));
        key = undefined;
      }
    }
    return { k: 'dict', entries };
  }

  private evalName(n: SyntaxNode): Value {
    const name = this.src.slice(n.from, n.to);
    const v = this.lookup(name);
    if (v) return v;
    if (BUILTINS.has(name)) return { k: 'mod', path: `builtins.${name}` };
    for (const m of this.starModules) {
      const path = `${m}.${name}`;
      if (this.isKerasCallable(path)) return { k: 'mod', path };
    }
    return UNKNOWN(name);
  }

  private isKerasCallable(path: string): boolean {
    return (
      /^keras\.(layers\.|Input$|Model$|Sequential$|models\.|optimizers\.|losses\.|datasets\.)/.test(path) ||
      /^keras\.layers\.\w+$/.test(path)
    );
  }

  private evalMember(n: SyntaxNode): Value {
    const base = n.firstChild!;
    const second = base.nextSibling;
    if (second?.name === '.') {
      let prop = second.nextSibling;
      while (prop?.name === 'Comment') prop = prop.nextSibling;
      // `255.` parses as Number "." <error>: a float.
      if (base.name === 'Number' && (!prop || prop.type.isError)) return py(parseNumber(this.src.slice(base.from, base.to)));
      if (!prop) return UNKNOWN(this.text(n));
      const name = this.src.slice(prop.from, prop.to);
      const obj = this.eval(base);
      switch (obj.k) {
        case 'mod':
          return { k: 'mod', path: canonicalPath(`${obj.path}.${name}`) };
        case 'data':
          if (name === 'shape') return obj.dims ? { k: 'seq', items: obj.dims.map((d) => py(d)), tuple: true } : UNKNOWN(this.text(n));
          return { k: 'method', self: obj, name };
        case 'model':
        case 'seq':
        case 'layer':
        case 'tensor':
          return { k: 'method', self: obj, name };
        default:
          return UNKNOWN(this.text(n));
      }
    }
    if (second?.name === '[') {
      const obj = this.eval(base);
      if (obj.k === 'data') return { ...obj, dims: this.subscriptDims(obj.dims, second) };
      const idxNode = second.nextSibling;
      if (obj.k === 'seq' && idxNode && idxNode.nextSibling?.name === ']') {
        const idx = this.eval(idxNode);
        if (idx.k === 'py' && typeof idx.v === 'number' && Number.isInteger(idx.v)) {
          const i = idx.v < 0 ? obj.items.length + idx.v : idx.v;
          return obj.items[i] ?? UNKNOWN(this.text(n));
        }
      }
      if (obj.k === 'seq') return this.slice(obj, second, n);
      if (obj.k === 'dict' && idxNode) {
        const idx = this.eval(idxNode);
        if (idx.k === 'py') return obj.entries.get(String(idx.v)) ?? UNKNOWN(this.text(n));
      }
    }
    return UNKNOWN(this.text(n));
  }

  /** Array shape after `x[..., newaxis]` (newaxis = None / tf.newaxis / np.newaxis) or `x[:n]`; null otherwise. */
  private subscriptDims(dims: (number | null)[] | null, open: SyntaxNode): (number | null)[] | null {
    if (!dims) return null;
    const idx: SyntaxNode[] = [];
    for (let c = open.nextSibling; c && c.name !== ']'; c = c.nextSibling) if (c.name !== ',') idx.push(c);
    const isNewAxis = (c: SyntaxNode) => {
      const v = this.eval(c);
      return (v.k === 'py' && v.v === null) || (v.k === 'mod' && v.path.endsWith('.newaxis'));
    };
    if (idx[0]?.name === 'Ellipsis' && idx.length > 1 && idx.slice(1).every(isNewAxis)) return [...dims, ...idx.slice(1).map(() => 1)];
    if (idx.length === 1 && idx[0]!.name === ':') return dims;
    // x[:n] / x[a:b]: the first axis changes, the rest stay.
    const kids: string[] = [];
    for (let c = open.nextSibling; c && c.name !== ']'; c = c.nextSibling) kids.push(c.name);
    if (kids.includes(':') && !kids.includes(',')) return [null, ...dims.slice(1)];
    return null;
  }

  /** seq[a:b] with constant bounds. */
  private slice(obj: Extract<Value, { k: 'seq' }>, open: SyntaxNode, whole: SyntaxNode): Value {
    const parts: (SyntaxNode | null)[] = [null];
    let sawColon = false;
    for (let c = open.nextSibling; c && c.name !== ']'; c = c.nextSibling) {
      if (c.name === ':') {
        sawColon = true;
        parts.push(null);
      } else if (c.name === ',') return UNKNOWN(this.text(whole));
      else parts[parts.length - 1] = c;
    }
    if (!sawColon || parts.length > 3) return UNKNOWN(this.text(whole));
    const bound = (p: SyntaxNode | null | undefined, dflt: number) => {
      if (!p) return dflt;
      const v = this.eval(p);
      if (v.k !== 'py' || typeof v.v !== 'number') return NaN;
      return v.v < 0 ? obj.items.length + v.v : v.v;
    };
    const a = bound(parts[0], 0);
    const b = bound(parts[1], obj.items.length);
    if (Number.isNaN(a) || Number.isNaN(b) || parts[2]) return UNKNOWN(this.text(whole));
    return { k: 'seq', items: obj.items.slice(a, b), tuple: obj.tuple };
  }

  private evalUnary(n: SyntaxNode): Value {
    const op = this.src.slice(n.firstChild!.from, n.firstChild!.to);
    const arg = n.lastChild ? this.eval(n.lastChild) : UNKNOWN('?');
    if (arg.k !== 'py') return UNKNOWN(this.text(n));
    if (op === '-' && typeof arg.v === 'number') return py(-arg.v);
    if (op === '+' && typeof arg.v === 'number') return arg;
    if (op === 'not') return py(!arg.v);
    return UNKNOWN(this.text(n));
  }

  private binary(a: Value, op: string, b: Value, n: SyntaxNode): Value {
    if (a.k === 'py' && b.k === 'py') {
      const x = a.v;
      const y = b.v;
      if (typeof x === 'number' && typeof y === 'number') {
        switch (op) {
          case '+': return py(x + y);
          case '-': return py(x - y);
          case '*': return py(x * y);
          case '/': return y === 0 ? UNKNOWN(this.text(n)) : py(x / y);
          case '//': return y === 0 ? UNKNOWN(this.text(n)) : py(Math.floor(x / y));
          case '%': return y === 0 ? UNKNOWN(this.text(n)) : py(((x % y) + y) % y);
          case '**': return py(x ** y);
          case '==': return py(x === y);
          case '!=': return py(x !== y);
          case '<': return py(x < y);
          case '>': return py(x > y);
          case '<=': return py(x <= y);
          case '>=': return py(x >= y);
        }
      }
      if (typeof x === 'string' && typeof y === 'string') {
        if (op === '+') return py(x + y);
        if (op === '==') return py(x === y);
        if (op === '!=') return py(x !== y);
      }
      if (op === 'and') return x ? b : a;
      if (op === 'or') return x ? a : b;
    }
    if (a.k === 'seq' && b.k === 'seq' && op === '+') return { k: 'seq', items: [...a.items, ...b.items], tuple: a.tuple };
    if (a.k === 'seq' && b.k === 'py' && typeof b.v === 'number' && op === '*') {
      return { k: 'seq', items: Array.from({ length: Math.max(0, b.v) }, () => a.items).flat(), tuple: a.tuple };
    }
    // Scaling of the dataset: x / 255., x * (1/255), x - 0 …
    if (a.k === 'data' && b.k === 'py' && typeof b.v === 'number') {
      const scale = op === '/' ? a.scale / b.v : op === '*' ? a.scale * b.v : a.scale;
      const out: Value = { ...a, scale };
      if (a.role === 'x' && scale !== a.scale) this.lastScaledX = { dataset: a.dataset, scale };
      return out;
    }
    if (a.k === 'py' && b.k === 'data' && op === '*' && typeof a.v === 'number') return { ...b, scale: b.scale * a.v };
    if (a.k === 'tensor' || b.k === 'tensor') {
      const hint = op === '+' ? 'layers.Add()([a, b])' : op === '*' ? 'layers.Multiply()([a, b])' : 'a Keras layer';
      this.diag('error', 'unsupported-op', n, `'${this.text(n)}' applies '${op}' to Keras tensors, which Model Lens cannot read; use ${hint} instead`);
      return UNKNOWN(this.text(n));
    }
    return UNKNOWN(this.text(n));
  }

  // ------------------------------------------------------------------ calls

  private evalArgs(list: SyntaxNode): Args {
    const args: Args = { pos: [], kw: new Map(), star: false };
    for (let c = list.firstChild; c; c = c.nextSibling) {
      if (c.name === '(' || c.name === ')' || c.name === ',') continue;
      if (c.name === '*' || c.name === '**') {
        args.star = true;
        c = c.nextSibling ?? c;
        continue;
      }
      if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
        const valueNode = c.nextSibling.nextSibling;
        if (valueNode) args.kw.set(this.src.slice(c.from, c.to), { value: this.eval(valueNode), node: valueNode });
        c = valueNode ?? c.nextSibling;
        continue;
      }
      if (c.name === 'ComprehensionExpression' || c.name === 'compFor') {
        args.pos.push({ value: UNKNOWN(this.text(c)), node: c });
        continue;
      }
      args.pos.push({ value: this.eval(c), node: c });
    }
    return args;
  }

  private arg(args: Args, index: number, name: string): Arg | undefined {
    return args.kw.get(name) ?? args.pos[index];
  }

  private evalCall(n: SyntaxNode): Value {
    const calleeNode = n.firstChild!;
    const list = n.lastChild;
    if (!list || list.name !== 'ArgList') return UNKNOWN(this.text(n));
    const callee = this.eval(calleeNode);
    const args = this.evalArgs(list);
    switch (callee.k) {
      case 'mod':
        return this.callPath(callee.path, args, n);
      case 'layer':
        return this.applyLayer(callee.layer, args, n);
      case 'method':
        return this.callMethod(callee.self, callee.name, args, n);
      case 'func':
        return this.callFunction(callee, args, n);
      case 'model':
        this.diag('warning', 'nested-model', n, `calling model '${callee.model.name}' as a layer is not read by Model Lens; build one model from the layers instead`);
        return UNKNOWN(this.text(n));
      default:
        if (args.pos.some((a) => a.value.k === 'tensor') && calleeNode.name === 'CallExpression') {
          // e.g. `UnknownThing(...)(x)`: the inner call already produced a diagnostic.
        }
        return UNKNOWN(this.text(n));
    }
  }

  private callPath(path: string, args: Args, n: SyntaxNode): Value {
    const segs = path.split('.');
    const last = segs[segs.length - 1]!;
    if (path === 'keras.Input' || path === 'keras.layers.Input') return this.makeInput(args, n);
    if (segs[0] === 'keras' && segs[1] === 'layers' && segs.length >= 3) {
      if (layerSpec(last)) return this.makeLayer(last, args, n);
      if (last === 'add' || last === 'concatenate') {
        // Functional shortcuts: layers.add([a, b]), layers.concatenate([a, b], axis=-1)
        const type = last === 'add' ? 'Add' : 'Concatenate';
        const inputs = args.pos[0];
        const ctorArgs: Args = { pos: [], kw: new Map(args.kw), star: args.star };
        const made = this.makeLayer(type, ctorArgs, n);
        return made.k === 'layer' && inputs ? this.applyLayer(made.layer, { pos: [inputs], kw: new Map(), star: false }, n) : made;
      }
      if (/^[A-Z]/.test(last)) return this.makeLayer(last, args, n);
      return UNKNOWN(this.text(n));
    }
    if (path === 'keras.Model' || path === 'keras.models.Model' || path === 'keras.Functional') return this.makeFunctional(args, n);
    if (path === 'keras.Sequential' || path === 'keras.models.Sequential') return this.makeSequential(args, n);
    if (/^keras\.datasets\.\w+\.load_data$/.test(path)) return this.loadData(segs[2]!, n);
    if (/^keras\.(optimizers|losses|metrics|initializers|regularizers|callbacks)\./.test(path) && /^[A-Z]/.test(last)) {
      return { k: 'obj', cls: last, path, pos: args.pos.map((a) => a.value), kw: new Map([...args.kw].map(([k, a]) => [k, a.value])) };
    }
    if (path.startsWith('builtins.')) return this.builtin(last, args, n);
    // numpy / tf helpers applied to the dataset keep it (expand_dims, reshape, cast, to_categorical…).
    const first = args.pos[0]?.value;
    if (first?.k === 'data') {
      if (last === 'expand_dims') {
        const ax = toConfig(this.arg(args, 1, 'axis')?.value ?? py(0));
        if (!first.dims || typeof ax !== 'number') return { ...first, dims: null };
        const at = ax < 0 ? first.dims.length + 1 + ax : ax;
        return { ...first, dims: [...first.dims.slice(0, at), 1, ...first.dims.slice(at)] };
      }
      if (last === 'reshape') return { ...first, dims: reshapeDims(first.dims, this.arg(args, 1, 'newshape')?.value ?? this.arg(args, 1, 'shape')?.value ?? UNKNOWN('?')) };
      return { ...first, dims: ['cast', 'convert_to_tensor', 'array', 'asarray', 'float32'].includes(last) ? first.dims : null };
    }
    if (args.pos.some((a) => a.value.k === 'tensor')) {
      this.diag('error', 'unsupported-op', n, `'${path.replace(/^tensorflow\./, 'tf.')}' is applied to a Keras tensor; Model Lens reads Keras layers only. Use a layer instead (supported: ${supportedLayerTypes().join(', ')})`);
    }
    return UNKNOWN(this.text(n));
  }

  private builtin(name: string, args: Args, n: SyntaxNode): Value {
    const vals = args.pos.map((a) => a.value);
    const nums = vals.map((v) => (v.k === 'py' && typeof v.v === 'number' ? v.v : NaN));
    switch (name) {
      case 'range': {
        if (nums.some(Number.isNaN) || !nums.length) break;
        const [a, b, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
        if (step === 0) break;
        const items: Value[] = [];
        for (let i = a; step > 0 ? i < b : i > b; i += step) {
          items.push(py(i));
          if (items.length > MAX_LOOP) break;
        }
        return { k: 'seq', items, tuple: false };
      }
      case 'len':
        return vals[0]?.k === 'seq' ? py(vals[0].items.length) : UNKNOWN(this.text(n));
      case 'int':
        return Number.isNaN(nums[0]) ? UNKNOWN(this.text(n)) : py(Math.trunc(nums[0]!));
      case 'float':
        return Number.isNaN(nums[0]) ? UNKNOWN(this.text(n)) : py(nums[0]!);
      case 'abs':
        return Number.isNaN(nums[0]) ? UNKNOWN(this.text(n)) : py(Math.abs(nums[0]!));
      case 'round':
        return Number.isNaN(nums[0]) ? UNKNOWN(this.text(n)) : py(Math.round(nums[0]!));
      case 'min':
      case 'max':
      case 'sum': {
        const list = vals.length === 1 && vals[0]!.k === 'seq' ? vals[0].items.map((v) => (v.k === 'py' && typeof v.v === 'number' ? v.v : NaN)) : nums;
        if (!list.length || list.some(Number.isNaN)) break;
        return py(name === 'min' ? Math.min(...list) : name === 'max' ? Math.max(...list) : list.reduce((x, y) => x + y, 0));
      }
      case 'tuple':
      case 'list':
        return vals[0]?.k === 'seq' ? { k: 'seq', items: [...vals[0].items], tuple: name === 'tuple' } : UNKNOWN(this.text(n));
      case 'str':
        return vals[0]?.k === 'py' ? py(String(vals[0].v)) : UNKNOWN(this.text(n));
    }
    return UNKNOWN(this.text(n));
  }

  private callFunction(f: Extract<Value, { k: 'func' }>, args: Args, n: SyntaxNode): Value {
    if (this.depth >= MAX_CALL_DEPTH) return UNKNOWN(this.text(n));
    const scope = new Map<string, Value>();
    const params = f.node.getChild('ParamList');
    let i = 0;
    if (params) {
      for (let c = params.firstChild; c; c = c.nextSibling) {
        if (c.name !== 'VariableName') {
          if (c.name === '*' || c.name === '**') c = c.nextSibling ?? c; // *args / **kwargs: not bound
          continue;
        }
        const name = this.src.slice(c.from, c.to);
        let def: Value | undefined;
        if (c.nextSibling?.name === 'AssignOp' && c.nextSibling.nextSibling) {
          def = this.eval(c.nextSibling.nextSibling);
          c = c.nextSibling.nextSibling;
        } else if (c.nextSibling?.name === 'TypeDef') c = c.nextSibling;
        scope.set(name, args.kw.get(name)?.value ?? args.pos[i]?.value ?? def ?? UNKNOWN(name));
        i++;
      }
    }
    const body = f.node.getChild('Body');
    if (!body) return UNKNOWN(this.text(n));
    this.scopes.push(scope);
    this.depth++;
    try {
      this.execBlock(body);
      return py(null);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      throw e;
    } finally {
      this.depth--;
      this.scopes.pop();
    }
  }

  // ------------------------------------------------------------------ layers and models

  private written(a: Arg): WrittenArg {
    return { value: toConfig(a.value), text: this.text(a.node), at: a.node };
  }

  private makeLayer(type: string, args: Args, n: SyntaxNode): Value {
    const spec = layerSpec(type);
    const ctor = n;
    const explicit = args.kw.get('name')?.value;
    const name = explicit?.k === 'py' && typeof explicit.v === 'string' ? explicit.v : this.names.next(type);
    const layer: GLayer = { name, type, spec, config: { name }, range: this.range(ctor), inputs: [], problems: [] };
    if (!spec) {
      const near = closest(type, supportedLayerTypes());
      layer.problems.push(
        this.makeDiag(
          'error',
          'unsupported-layer',
          ctor,
          `${type} is not supported by Model Lens${near ? ` (did you mean ${near}?)` : ''}; supported layers: ${supportedLayerTypes().join(', ')}. Replace '${name}' with one of them or remove it`,
          name,
        ),
      );
    } else {
      const kw = new Map([...args.kw].map(([k, a]) => [k, this.written(a)]));
      const built = buildConfig(spec, args.pos.map((a) => this.written(a)), kw, ctor);
      layer.config = { ...built.config, name };
      for (const p of built.problems) {
        layer.problems.push(this.makeDiag(p.severity, p.code, p.at as SyntaxNode, `${type} '${name}' ${p.message}`, name));
      }
      if (args.star) layer.problems.push(this.makeDiag('warning', 'unresolved-argument', ctor, `${type} '${name}' gets *args/**kwargs whose values Model Lens cannot see; write the arguments out`, name));
    }
    this.layers.push(layer);
    this.order.set(layer, ++this.seq);
    return { k: 'layer', layer };
  }

  private makeInput(args: Args, n: SyntaxNode): Value {
    const made = this.makeLayer('InputLayer', args, n);
    if (made.k !== 'layer') return made;
    const l = made.layer;
    const batchShape = l.config['batch_shape'];
    if ((l.config['shape'] === null || l.config['shape'] === undefined) && Array.isArray(batchShape)) l.config['shape'] = batchShape.slice(1);
    if (l.config['shape'] === null && !l.problems.length) {
      l.problems.push(this.makeDiag('error', 'missing-argument', n, `keras.Input needs a shape, e.g. keras.Input(shape=(28, 28, 1))`, l.name));
    }
    this.applied.add(l);
    return { k: 'tensor', layer: l };
  }

  private applyLayer(layer: GLayer, args: Args, n: SyntaxNode): Value {
    const a = args.pos[0] ?? args.kw.get('inputs');
    if (layer.type === 'InputLayer') {
      this.diag('error', 'bad-call', n, `an InputLayer is not called on tensors; use keras.Input(shape=...) for functional models`);
      return UNKNOWN(this.text(n));
    }
    if (this.applied.has(layer)) {
      layer.problems.push(this.makeDiag('warning', 'shared-layer', n, `layer '${layer.name}' is called more than once (shared weights); Model Lens shows its first call only`, layer.name));
      return { k: 'tensor', layer };
    }
    if (!a) {
      this.diag('error', 'bad-call', n, `layer '${layer.name}' is called without an input tensor; pass one, e.g. ${layer.type}(...)(x)`);
      return UNKNOWN(this.text(n));
    }
    const inputs = a.value.k === 'seq' ? a.value.items : [a.value];
    const tensors: GLayer[] = [];
    for (const v of inputs) {
      if (v.k === 'tensor') tensors.push(v.layer);
      else {
        // The input is unknown (an earlier problem or an unsupported operation): nothing to chain.
        if (v.k !== 'unknown') {
          this.diag('error', 'bad-call', a.node, `layer '${layer.name}' is called on '${this.text(a.node)}', which is not a Keras tensor; call it on the output of keras.Input or of another layer`);
        }
        return UNKNOWN(this.text(n));
      }
    }
    if (layer.spec && !layer.spec.multiInput && tensors.length !== 1) {
      layer.problems.push(this.makeDiag('error', 'bad-call', a.node, `${layer.type} '${layer.name}' takes one tensor but is called on ${tensors.length}; merge them first with layers.Add() or layers.Concatenate()`, layer.name));
    }
    layer.inputs = tensors;
    this.applied.add(layer);
    this.order.set(layer, ++this.seq);
    return { k: 'tensor', layer };
  }

  private tensorsOf(v: Value | undefined): GLayer[] | null {
    if (!v) return null;
    if (v.k === 'tensor') return [v.layer];
    if (v.k === 'seq' && v.items.every((i) => i.k === 'tensor')) return v.items.map((i) => (i as Extract<Value, { k: 'tensor' }>).layer);
    if (v.k === 'dict' && [...v.entries.values()].every((i) => i.k === 'tensor')) {
      return [...v.entries.values()].map((i) => (i as Extract<Value, { k: 'tensor' }>).layer);
    }
    return null;
  }

  private newModel(style: PyModel['style'], args: Args, n: SyntaxNode, defaultPrefix: string): PyModel {
    const nameArg = args.kw.get('name')?.value;
    const name = nameArg?.k === 'py' && typeof nameArg.v === 'string' ? nameArg.v : this.names.nextPrefix(defaultPrefix);
    const m: PyModel = { style, name, range: this.range(n.firstChild ?? n), layers: [], inputs: [], outputs: [], items: [], training: {}, problems: [] };
    m.range = this.range(n);
    this.models.push(m);
    return m;
  }

  private makeFunctional(args: Args, n: SyntaxNode): Value {
    const m = this.newModel('functional', args, n, 'functional');
    const inArg = this.arg(args, 0, 'inputs');
    const outArg = this.arg(args, 1, 'outputs');
    const inputs = this.tensorsOf(inArg?.value);
    const outputs = this.tensorsOf(outArg?.value);
    if (!inputs || !outputs) {
      const which = !inputs ? 'inputs' : 'outputs';
      const node = (!inputs ? inArg?.node : outArg?.node) ?? n;
      const v = (!inputs ? inArg : outArg)?.value;
      const why = !v ? `${which}= is missing` : v.k === 'unknown' ? `'${v.text}' could not be traced to Keras layers (see the earlier problems)` : `'${this.text(node)}' is not a Keras tensor`;
      m.problems.push(this.makeDiag('error', 'bad-model', node, `model '${m.name}': ${why}; pass ${which}= the tensors from keras.Input / layer calls`));
      return { k: 'model', model: m };
    }
    for (const i of inputs) {
      if (i.type !== 'InputLayer') {
        m.problems.push(this.makeDiag('error', 'bad-model', inArg!.node, `model '${m.name}': input '${i.name}' is not created by keras.Input(...); model inputs must be Input tensors`));
      }
    }
    const { layers, stray } = collectFunctional(inputs, outputs, this.order);
    for (const s of stray) {
      m.problems.push(
        this.makeDiag('error', 'bad-model', outArg!.node, `model '${m.name}': the outputs depend on '${s.name}' (line ${s.range.line}), which is not among the model's inputs; add it to inputs=[...]`),
      );
    }
    m.layers = layers;
    m.inputs = inputs;
    m.outputs = outputs;
    return { k: 'model', model: m };
  }

  private makeSequential(args: Args, n: SyntaxNode): Value {
    const m = this.newModel('sequential', args, n, 'sequential');
    const list = this.arg(args, 0, 'layers');
    if (list) {
      if (list.value.k !== 'seq') {
        m.problems.push(this.makeDiag('error', 'bad-model', list.node, `Sequential expects a list of layers; '${this.text(list.node)}' is not one`));
      } else for (const item of list.value.items) this.addToSequential(m, item, list.node);
    } else m.style = 'sequential-add';
    return { k: 'model', model: m };
  }

  private addToSequential(m: PyModel, v: Value, at: SyntaxNode): void {
    if (v.k === 'layer' || (v.k === 'tensor' && v.layer.type === 'InputLayer')) {
      if (v.layer.type === 'InputLayer' && m.items.length) {
        m.problems.push(this.makeDiag('error', 'bad-model', at, `Sequential model '${m.name}': an Input can only be its first layer`));
        return;
      }
      // Keras 3: when the first layer carries input_shape=, Sequential.add creates the InputLayer first.
      if (!m.items.length && v.layer.type !== 'InputLayer') this.addInputFor(m, v.layer);
      m.items.push(v.layer);
      this.applied.add(v.layer);
    } else if (v.k !== 'unknown') {
      m.problems.push(this.makeDiag('error', 'bad-model', at, `Sequential model '${m.name}': '${this.text(at)}' is not a Keras layer; add layers such as layers.Dense(10)`));
    }
  }

  private addInputFor(m: PyModel, first: GLayer): void {
    const c = first.config;
    const shape = Array.isArray(c['input_shape'])
      ? c['input_shape']
      : Array.isArray(c['batch_input_shape'])
        ? c['batch_input_shape'].slice(1)
        : typeof c['input_dim'] === 'number'
          ? [c['input_dim']]
          : null;
    if (!shape) return;
    const name = this.names.next('InputLayer');
    const input: GLayer = { name, type: 'InputLayer', spec: layerSpec('InputLayer'), config: { shape, batch_size: null, dtype: 'float32', sparse: false, batch_shape: null, name }, range: first.range, inputs: [], problems: [] };
    m.items.push(input);
  }

  private loadData(name: string, n: SyntaxNode): Value {
    const dataset = DATASETS[name] ?? null;
    const line = this.range(n).line;
    if (!dataset) {
      this.diag('warning', 'unsupported-dataset', n, `dataset '${name}' is not built into Model Lens (mnist and fashion_mnist are); Train uses the dataset chosen in the settings instead`);
    } else this.datasets.push({ dataset, line });
    // Both built-in datasets hold 28×28 images: 60000 for training, 10000 for testing.
    const d = (role: 'x' | 'y', n: number): Value => ({ k: 'data', dataset, role, scale: 1, line, dims: dataset ? (role === 'x' ? [n, 28, 28] : [n]) : null });
    return {
      k: 'seq',
      tuple: true,
      items: [
        { k: 'seq', tuple: true, items: [d('x', 60000), d('y', 60000)] },
        { k: 'seq', tuple: true, items: [d('x', 10000), d('y', 10000)] },
      ],
    };
  }

  private callMethod(self: Value, name: string, args: Args, n: SyntaxNode): Value {
    if (self.k === 'model') {
      const m = self.model;
      const line = this.range(n).line;
      switch (name) {
        case 'add': {
          const a = args.pos[0] ?? args.kw.get('layer');
          if (a) this.addToSequential(m, a.value, a.node);
          return py(null);
        }
        case 'compile':
          applyCompile(m.training, args, line, (v) => optimizerFromValue(v), (node, msg) => m.problems.push(this.makeDiag('warning', 'training-config', node as SyntaxNode, msg)));
          return py(null);
        case 'fit': {
          applyFit(m.training, args, line);
          const x = this.arg(args, 0, 'x')?.value;
          if (x?.k === 'data' && x.dataset) {
            m.training.dataset = x.dataset;
            m.training.datasetLine = x.line;
            m.training.inputScale = x.scale;
          }
          return UNKNOWN('history');
        }
        case 'evaluate':
          m.training.evaluateLine ??= line;
          return UNKNOWN('scores');
        case 'predict':
          m.training.predictLine ??= line;
          return UNKNOWN('predictions');
        default:
          return UNKNOWN(this.text(n));
      }
    }
    if (self.k === 'data') {
      if (name === 'reshape') return { ...self, dims: reshapeDims(self.dims, args.pos.length === 1 ? args.pos[0]!.value : { k: 'seq', items: args.pos.map((a) => a.value), tuple: true }) };
      return { ...self, dims: name === 'astype' || name === 'copy' ? self.dims : null };
    }
    if (self.k === 'seq' && (name === 'append' || name === 'extend')) {
      const a = args.pos[0]?.value;
      if (a) {
        if (name === 'append') self.items.push(a);
        else if (a.k === 'seq') self.items.push(...a.items);
      }
      return py(null);
    }
    return UNKNOWN(this.text(n));
  }

  // ------------------------------------------------------------------ result

  private finish(): ReadResult {
    const cache: ShapeCache = new Map();
    const inModel = new Set<GLayer>();
    const single = new Set(this.datasets.map((d) => d.dataset)).size === 1 ? this.datasets[0] : undefined;
    const models = this.models.map((m) => {
      if (m.style !== 'functional') {
        let prev: GLayer | undefined;
        for (const l of m.items) {
          if (prev) l.inputs = [prev];
          prev = l;
        }
        m.layers = m.items;
        m.inputs = m.items[0]?.type === 'InputLayer' ? [m.items[0]] : [];
        m.outputs = prev ? [prev] : [];
        if (!m.items.length) {
          m.problems.push(this.makeDiag('warning', 'empty-model', m.range, `Sequential model '${m.name}' has no layers; add some with model.add(...)`));
        } else if (!m.inputs.length) {
          m.problems.push(
            this.makeDiag('warning', 'no-input-shape', m.range, `Sequential model '${m.name}' has no input shape, so its shapes and parameters are unknown; add keras.Input(shape=(...)) as its first layer or input_shape=(...) to the first layer`),
          );
        }
      }
      if (!m.training.dataset && single) {
        m.training.dataset = single.dataset;
        m.training.datasetLine = single.line;
        if (this.lastScaledX && this.lastScaledX.dataset === single.dataset) m.training.inputScale = this.lastScaledX.scale;
      }
      for (const l of m.layers) inModel.add(l);
      return buildModelIR(m, this.file, cache);
    });
    // Problems of layers that belong to no model still matter (e.g. an unsupported layer).
    for (const l of this.layers) if (!inModel.has(l)) this.diagnostics.push(...l.problems.filter((p) => p.severity === 'error'));
    return { file: this.file, models, diagnostics: this.diagnostics };
  }
}

/** numpy reshape: one -1 is inferred from the total size. */
function reshapeDims(dims: (number | null)[] | null, shape: Value): (number | null)[] | null {
  const target = toConfig(shape);
  const list = typeof target === 'number' ? [target] : target;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'number')) return null;
  const t = list as number[];
  const total = dims && dims.every((d) => d !== null) ? (dims as number[]).reduce((a, b) => a * b, 1) : null;
  const known = t.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return t.map((d) => (d === -1 ? (total !== null && known > 0 && total % known === 0 ? total / known : null) : d));
}

function parseNumber(t: string): number {
  const s = t.replace(/_/g, '').replace(/[jJ]$/, '');
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[oO]/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2), 2);
  return Number(s.replace(/[lL]$/, ''));
}

function parseString(t: string): string {
  const m = /^([rRbBuUfF]*)('''|"""|'|")([\s\S]*)\2$/.exec(t);
  if (!m) return t;
  const raw = /[rR]/.test(m[1]!);
  const body = m[3]!;
  if (raw) return body;
  return body.replace(/\\(n|t|r|\\|'|"|\n)/g, (_x, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' })[c] ?? c);
}

export type { ConfigValue, TrainingConfig };
