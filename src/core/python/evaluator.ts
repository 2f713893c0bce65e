/**
 * A small evaluator for the Python a model file is written in: it walks the statements in order,
 * folds constants, follows lists, dicts, loops, conditions and the file's own functions, and hands
 * every library object to a Host. It never runs user code and stops within its Budget.
 */
import type { SyntaxNode } from '@lezer/common';
import { Budget, BudgetExceeded } from './budget';
import { addArgument, newParser, parsedValues, setDefaults, type ParserState } from './argparse';
import { ndArray, BUILTIN_NAMES, callBuiltin, iterable, iterate, MATH_CONSTANTS } from './builtins';
import type { Host, IndexItem, Runtime } from './host';
import { formatValue, isFloatLiteral, parseNumber, parseString, stringParts } from './literals';
import { RaiseSignal, typeError } from './signals';
import { children, hasErrorIn } from './syntax';
import { bindMember, classMember, sliceBounds, forget, mro, dictKey, foreignBases, setDictKey, isFloat, iterator, num, py, pyf, pyNum, pyRepr, NONE, truthy, UNKNOWN, walkValues, type Arg, type Args, type ClassValue, type InstValue, type Scope, type Value } from './values';

/** Methods that change a list or dict in place. */
const MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse', 'update', 'setdefault', 'popitem']);
const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=', 'in', 'not in', 'is', 'is not']);
const SIMPLE = new Set(['AssignStatement', 'ExpressionStatement', 'UpdateStatement', 'ImportStatement']);
const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',']);

/** The indices `l[start:stop:step]` picks from a sequence of `len` items (see sliceBounds). */
function sliceIndices(ix: Extract<IndexItem, { k: 'slice' }>, len: number): { indices: number[]; step: number; start: number; stop: number } | 'zero' | undefined {
  const b = sliceBounds(ix, len);
  if (b === undefined || b === 'zero') return b;
  const indices: number[] = [];
  for (let i = b.start; b.step > 0 ? i < b.stop : i > b.stop; i += b.step) indices.push(i);
  return { indices, ...b };
}

/** A call of a function of the file: its class when it is a method, and its first argument (for super()). */
interface Frame {
  uncertain?: string;
  owner?: ClassValue;
  first?: Value;
}

class ReturnSignal {
  constructor(readonly value: Value) {}
}
class BreakSignal {}
class ContinueSignal {}

/** A name's value in a chain of scopes (innermost last). */
function lookupIn(scopes: Scope[], name: string): Value | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const v = scopes[i]!.get(name);
    if (v) return v;
  }
  return undefined;
}

/** The node names of Python's comprehensions (list, generator, set, dict). */
const COMPREHENSIONS = new Set(['ArrayComprehensionExpression', 'ComprehensionExpression', 'SetComprehensionExpression', 'DictionaryComprehensionExpression']);

export class Evaluator implements Runtime {
  /** The scope chain in effect: module scope first. */
  private scopes: Scope[];
  readonly module: Scope = new Map([['__name__', py('__main__')]]);
  private readonly starModules: string[] = [];
  private callDepth = 0;
  private nesting = 0;
  /** The for / while statements being read, innermost last: where a `break` or `continue` goes. */
  private readonly loops: SyntaxNode[] = [];

  constructor(
    private readonly src: string,
    private readonly host: Host,
    readonly budget: Budget,
    private readonly errorOffsets: number[] = [],
  ) {
    this.scopes = [this.module];
    host.attach(this);
  }

  source(node: { from: number; to: number }): string {
    return this.src.slice(node.from, node.to);
  }

  callOwnMethod(inst: InstValue, name: string, args: Args, at: SyntaxNode): Value | undefined {
    const f = classMember(inst.cls, name);
    if (f?.k !== 'func') return undefined;
    return this.callFunction(f, args, at, f.binding === 'static' ? undefined : f.binding === 'class' ? inst.cls : inst);
  }

  callValue(fn: Value, args: Value[], at: SyntaxNode): Value | undefined {
    return fn.k === 'func' ? this.callFunction(fn, { pos: args.map((value) => ({ value, node: at })), kw: new Map(), star: false }, at) : undefined;
  }

  /** Runs a module. Throws BudgetExceeded when the budget runs out. */
  run(top: SyntaxNode): void {
    try {
      this.execBlock(top);
    } catch (e) {
      if (e instanceof ReturnSignal || e instanceof BreakSignal || e instanceof ContinueSignal) return;
      // Python stops here with a traceback: nothing after it runs, no summary after it is printed.
      if (e instanceof RaiseSignal) {
        const why = e.why ? `Python raises '${e.why}' here ('${this.text(e.at)}') and stops` : `the file raises an error here when run ('${this.text(e.at)}'), so Python stops`;
        // Said at the line even when no model is made before it (then nothing else would say why there is none).
        this.host.warn?.(e.at, `${why}; nothing after this line runs, so Model Lens reads no further`);
        return this.host.unresolved(e.at, why, this.everything());
      }
      throw e;
    }
  }

  /** Source text of a node on one line, shortened for messages. */
  text(node: { from: number; to: number }): string {
    const t = this.src.slice(node.from, Math.min(node.to, node.from + 200)).replace(/\s+/g, ' ');
    return t.length > 60 ? t.slice(0, 57) + '…' : t;
  }

  private raw(node: { from: number; to: number }): string {
    return this.src.slice(node.from, node.to);
  }

  get moduleLevel(): boolean {
    return this.scopes.length === 1;
  }

  // ------------------------------------------------------------------ scopes

  lookup(name: string): Value | undefined {
    return lookupIn(this.scopes, name);
  }

  /** Module names bound through `global` in a function, in order (a loop read once forgets them). */
  private readonly globalWrites: string[] = [];

  /** Names a function's scope declares `global` or `nonlocal` (bound in the module / the enclosing function). */
  private readonly declared = new WeakMap<Scope, Map<string, 'global' | 'nonlocal'>>();

  private bind(name: string, v: Value): void {
    const top = this.scopes[this.scopes.length - 1]!;
    const declared = this.scopes.length > 1 ? this.declared.get(top)?.get(name) : undefined;
    if (declared === 'global') {
      this.globalWrites.push(name);
      this.module.set(name, v);
      this.host.bound(name, v, true);
      return;
    }
    if (declared === 'nonlocal') {
      for (let i = this.scopes.length - 2; i >= 1; i--) {
        if (this.scopes[i]!.has(name)) {
          this.scopes[i]!.set(name, v);
          this.host.bound(name, v, false);
          return;
        }
      }
    }
    top.set(name, v);
    this.host.bound(name, v, this.moduleLevel);
  }

  private declare(s: SyntaxNode, how: 'global' | 'nonlocal'): void {
    if (this.scopes.length === 1) return;
    const top = this.scopes[this.scopes.length - 1]!;
    let names = this.declared.get(top);
    if (!names) this.declared.set(top, (names = new Map()));
    for (const c of children(s)) if (c.name === 'VariableName') names.set(this.raw(c), how);
  }

  /** The values of the names a piece of code uses (for the host to judge what it may change). */
  private mentions(node: SyntaxNode): Value[] {
    const out: Value[] = [];
    // The file's functions named here (called, or passed on) are part of what the code may do:
    // the names their bodies use count too, looked up where each was defined (`def grow():
    // model.add(...)` called under a condition Model Lens cannot decide changes `model`).
    const functions = new Set<SyntaxNode>();
    let budget = 20_000;
    const scan = (root: SyntaxNode, look: (name: string) => Value | undefined, locals?: Set<string>) => {
      const seen = new Set<string>();
      const cursor = root.cursor();
      const end = root.to;
      do {
        if (cursor.from > end || --budget < 0 || out.length > 400) return;
        if (cursor.name !== 'VariableName') continue;
        if (this.receiverOnly(cursor.node)) continue;
        const name = this.src.slice(cursor.from, cursor.to);
        // A comprehension's loop variable or a lambda's parameter inside what is scanned names no
        // value of the code around it (a module `x` is not the `x` of `[f(x) for x in batch]`).
        if (this.boundWithin(cursor.node, name, root)) continue;
        if (seen.has(name)) continue;
        seen.add(name);
        // A local of the function (Python's rule: bound anywhere in its body) is never the global
        // of that name: its value is the one this call bound so far, if any.
        const v = locals?.has(name) ? (root === node ? this.scopes[this.scopes.length - 1]!.get(name) : undefined) : look(name);
        if (!v) continue;
        out.push(v);
        const fn = v.k === 'func' ? v : v.k === 'method' && v.self.k === 'inst' ? classMember(v.self.cls, v.name) : undefined;
        if (fn?.k === 'func' && !functions.has(fn.node) && functions.size < 64) {
          functions.add(fn.node);
          this.budget.step(fn.node);
          scan(fn.node, (n) => lookupIn(fn.closure, n), fn.node.name === 'FunctionDefinition' ? this.localNames(fn.node) : undefined);
        }
      } while (cursor.next() && cursor.from < end);
    };
    let def: SyntaxNode | null = node.parent;
    while (def && def.name !== 'FunctionDefinition' && def.name !== 'ClassDefinition') def = def.parent;
    scan(node, (n) => this.lookup(n), def?.name === 'FunctionDefinition' && !this.moduleLevel ? this.localNames(def) : undefined);
    return out;
  }

  private readonly locals = new WeakMap<SyntaxNode, Set<string>>();

  /**
   * The local names of a function, as Python decides them: its parameters and every name its body
   * binds (assignment and loop targets, functions and classes it defines, imports), less those
   * declared global or nonlocal. Nested functions and classes bind their own.
   */
  private localNames(fn: SyntaxNode): Set<string> {
    let names = this.locals.get(fn);
    if (names) return names;
    names = new Set<string>();
    const declared = new Set<string>();
    const targets = (t: SyntaxNode) => {
      for (const name of this.targetNames(t)) names!.add(name);
    };
    // The parameters (`def f(a, b=units)`: a name after `=` is a default, read where f is defined).
    const params = fn.getChild('ParamList');
    if (params) for (const p of children(params)) if (p.name === 'VariableName' && p.prevSibling?.name !== 'AssignOp') names.add(this.raw(p));
    const body = fn.getChild('Body');
    if (body) {
      const cursor = body.cursor();
      const end = body.to;
      let more = cursor.firstChild();
      while (more && cursor.from < end) {
        const kids = children(cursor.node);
        const nested = cursor.name === 'FunctionDefinition' || cursor.name === 'ClassDefinition';
        if (nested || cursor.name === 'LambdaExpression') {
          const named = kids.find((k) => k.name === 'VariableName');
          if (nested && named) names.add(this.raw(named));
        } else if (cursor.name === 'AssignStatement') {
          const last = kids.map((k) => k.name).lastIndexOf('AssignOp');
          for (const t of kids.slice(0, Math.max(0, last))) targets(t);
        } else if (cursor.name === 'UpdateStatement' && kids[0]) targets(kids[0]);
        else if (cursor.name === 'ForStatement' || cursor.name === 'ForClause') {
          const at = kids.findIndex((k) => k.name === 'in');
          for (const t of kids.slice(1, Math.max(1, at))) targets(t);
        } else if (cursor.name === 'ScopeStatement') for (const k of kids) if (k.name === 'VariableName') declared.add(this.raw(k));
        more = cursor.next(!(nested || cursor.name === 'LambdaExpression'));
      }
    }
    for (const d of declared) names.delete(d);
    this.locals.set(fn, names);
    return names;
  }

  /** Whether `name` at `node` is bound by a comprehension or lambda between it and `root` (inclusive). */
  private boundWithin(node: SyntaxNode, name: string, root: SyntaxNode): boolean {
    for (let cur = node.parent; cur; cur = cur.parent) {
      if (cur.name === 'LambdaExpression') {
        const params = cur.getChild('ParamList');
        if (params && children(params).some((c) => c.name === 'VariableName' && this.raw(c) === name)) return true;
      } else if (COMPREHENSIONS.has(cur.name)) {
        const kids = children(cur);
        // Its first iterable is read in the code around it (`[x for x in x]`: the last x is outside's).
        const firstIn = kids.findIndex((k) => k.name === 'in');
        const outer = kids[firstIn + 1];
        if (outer && node.from >= outer.from && node.to <= outer.to) continue;
        for (let i = 0; i < kids.length; i++) {
          if (kids[i]!.name !== 'for') continue;
          for (let j = i + 1; j < kids.length && kids[j]!.name !== 'in'; j++) if (this.targetNames(kids[j]!).includes(name)) return true;
        }
      }
      if (cur.from === root.from && cur.to === root.to && cur.name === root.name) return false;
    }
    return false;
  }

  /**
   * `decoder.predict(z)` / `vae.decoder.predict(z)`: the name is only the receiver (through plain
   * attributes) of a method the host says changes nothing (see Host.readsOnly). Its arguments are
   * other names, scanned on their own.
   */
  private receiverOnly(node: SyntaxNode): boolean {
    if (!this.host.readsOnly) return false;
    let cur = node;
    while (cur.parent?.name === 'MemberExpression' && cur.parent.firstChild?.from === cur.from && cur.parent.firstChild.to === cur.to) {
      cur = cur.parent;
      const prop = cur.lastChild;
      if (prop?.name !== 'PropertyName' || children(cur).some((c) => c.name === '[')) return false;
      if (this.src.slice(prop.from, prop.to).startsWith('_')) return false;
    }
    if (cur === node) return false;
    const call = cur.parent;
    const prop = cur.lastChild!;
    const first = call?.firstChild?.from === cur.from && call.firstChild.to === cur.to;
    if (call?.name !== 'CallExpression' || !first) {
      // `zip(model.metrics_names, result)`: plain data read, unless it is what the statement assigns to.
      const target = first && (call?.name === 'AssignStatement' || call?.name === 'UpdateStatement');
      return !target && (this.host.readsOnlyAttribute?.(this.src.slice(prop.from, prop.to)) ?? false);
    }
    return this.host.readsOnly(this.src.slice(prop.from, prop.to));
  }

  private unresolved(at: SyntaxNode, reason: string, scope: SyntaxNode = at): void {
    this.host.unresolved(at, reason, this.mentions(scope));
  }

  // ------------------------------------------------------------------ statements

  private execBlock(block: SyntaxNode): void {
    for (let s = block.firstChild; s; s = s.nextSibling) this.exec(s);
  }

  private enter(at: SyntaxNode): void {
    this.budget.step(at);
    if (++this.nesting > this.budget.limits.nesting) {
      throw new BudgetExceeded('nesting', at, `Model Lens stopped reading here: the code is nested more than ${this.budget.limits.nesting} levels deep; simplify it`);
    }
  }

  private exec(s: SyntaxNode): void {
    // A simple statement with a syntax error is skipped: reading half of it only adds noise.
    if (SIMPLE.has(s.name) && this.errorOffsets.length && hasErrorIn(this.errorOffsets, s)) return;
    this.enter(s);
    try {
      this.execInner(s);
    } finally {
      this.nesting--;
    }
  }

  private execInner(s: SyntaxNode): void {
    switch (s.name) {
      case 'ImportStatement':
        return this.execImport(s);
      case 'AssignStatement':
        return this.execAssign(s);
      case 'UpdateStatement':
        return this.execUpdate(s);
      case 'ExpressionStatement':
        for (const c of children(s)) this.eval(c);
        return;
      case 'IfStatement':
        return this.execIf(s);
      case 'WhileStatement':
        return this.inLoop(s, () => this.execWhile(s));
      case 'WithStatement': {
        // `with np.load('…') as f:` binds f to what np.load gives (an NpzFile's __enter__ returns
        // itself), as does `with tf.GradientTape() as tape:`. Other context managers are not
        // evaluated (their __enter__ is unknown).
        const kids = children(s);
        for (let i = 0; i + 2 < kids.length; i++) {
          const e = kids[i]!;
          if (kids[i + 1]!.name === 'as' && kids[i + 2]!.name === 'VariableName' && e.name === 'CallExpression' && /(^|\.)(load|GradientTape)$/.test(this.raw(e.firstChild ?? e))) {
            const v = this.eval(e);
            if (v.k === 'host') this.bind(this.raw(kids[i + 2]!), v);
          }
        }
        for (const c of kids) if (c.name === 'Body') return this.execBlock(c);
        return;
      }
      case 'TryStatement': {
        // The `try:` block, then its `else:` and `finally:` blocks; the handlers are for errors that a
        // static read does not have. A `raise` reached in the `try:` block goes to a handler Model
        // Lens does not pick: what follows may differ, and the host is told.
        const kids = children(s);
        const handled = kids.some((c) => c.name === 'except');
        let prev = '';
        let raised = false;
        for (const c of kids) {
          if (c.name === 'Body' && prev === 'try') {
            try {
              this.execBlock(c);
            } catch (e) {
              if (!(e instanceof RaiseSignal) || !handled) throw e;
              raised = true;
              this.host.unresolved(e.at, `Model Lens does not follow which 'except' clause handles the error raised here`, this.everything());
            }
          } else if (c.name === 'Body' && ((prev === 'else' && !raised) || prev === 'finally')) this.execBlock(c);
          prev = c.name;
        }
        return;
      }
      case 'ForStatement':
        return this.inLoop(s, () => this.execFor(s));
      case 'FunctionDefinition': {
        const name = s.getChild('VariableName');
        if (name) this.bind(this.raw(name), { k: 'func', node: s, name: this.raw(name), closure: [...this.scopes], defaults: this.defaultsOf(s) });
        return;
      }
      case 'DecoratedStatement':
        return this.execDecorated(s);
      case 'ClassDefinition':
        return this.execClass(s);
      case 'ReturnStatement': {
        const kids = children(s).filter((c) => c.name !== 'return' && c.name !== ',');
        throw new ReturnSignal(kids.length === 0 ? NONE : kids.length === 1 ? this.eval(kids[0]!) : this.tuple(kids, s));
      }
      case 'RaiseStatement':
        throw new RaiseSignal(s);
      case 'BreakStatement':
        throw new BreakSignal();
      case 'ContinueStatement':
        throw new ContinueSignal();
      case 'StatementGroup':
        // `a(); b()` on one line.
        return this.execBlock(s);
      case 'DeleteStatement':
        return this.execDelete(s);
      case 'ScopeStatement':
        return this.declare(s, s.firstChild?.name === 'nonlocal' ? 'nonlocal' : 'global');
      case 'PassStatement':
      case 'AssertStatement':
      case 'PrintStatement':
      case 'Comment':
      case ';':
      case ':':
        return;
      default:
        // Anything else (match, del, async forms, …) is not followed: the host decides what that leaves out.
        if (!s.type.isError) this.unresolved(s, `Model Lens does not follow this statement ('${this.text(s)}')`);
        return;
    }
  }

  private tuple(nodes: SyntaxNode[], at: SyntaxNode): Value {
    this.budget.alloc(nodes.length, at);
    return { k: 'seq', items: nodes.map((n) => this.eval(n)), tuple: true };
  }

  private execImport(s: SyntaxNode): void {
    // Children: [from dotted… import] names [as alias] separated by commas.
    const parts: string[][] = [];
    let from: string | null = null;
    let cur: string[] = [];
    let mode: 'start' | 'from' | 'names' = 'start';
    for (const c of children(s)) {
      const t = this.raw(c);
      if (c.name === 'from') mode = 'from';
      else if (c.name === 'import') {
        if (mode === 'from') from = cur.join('');
        cur = [];
        mode = 'names';
      } else if (c.name === ',') {
        parts.push(cur);
        cur = [];
      } else cur.push(t);
    }
    if (cur.length) parts.push(cur);
    for (const p of parts) {
      // p: a . b . c [as x]   or  * (from … import *)
      const asIdx = p.indexOf('as');
      const dotted = (asIdx >= 0 ? p.slice(0, asIdx) : p).join('').replace(/\(|\)/g, '');
      const alias = asIdx >= 0 ? p[asIdx + 1] : undefined;
      if (!dotted) continue;
      if (from !== null) {
        const base = from.replace(/^\.+/, '');
        if (dotted === '*') {
          this.starModules.push(this.host.canonical(base));
          continue;
        }
        this.bind(alias ?? dotted, { k: 'mod', path: this.host.canonical(`${base}.${dotted}`) });
      } else if (alias) {
        this.bind(alias, { k: 'mod', path: this.host.canonical(dotted) });
      } else {
        // `import tensorflow.keras` binds `tensorflow`.
        const head = dotted.split('.')[0]!;
        this.bind(head, { k: 'mod', path: head });
      }
    }
  }

  private execAssign(s: SyntaxNode): void {
    // target(s) [, target]* = … = value ; an annotation alone (`x: int`) binds nothing.
    const kids = children(s);
    const ops: number[] = [];
    kids.forEach((k, i) => k.name === 'AssignOp' && ops.push(i));
    if (!ops.length) return;
    const valueNodes = kids.slice(ops[ops.length - 1]! + 1).filter((k) => k.name !== ',');
    if (!valueNodes.length) return;
    const value = valueNodes.length === 1 ? this.eval(valueNodes[0]!) : this.tuple(valueNodes, s);
    let start = 0;
    for (const op of ops) {
      const targets = kids.slice(start, op).filter((k) => k.name !== ',' && k.name !== 'TypeDef');
      if (targets.length === 1) this.assign(targets[0]!, value);
      else if (targets.length > 1) this.assignSeq(targets, value, s);
      start = op + 1;
    }
  }

  private execUpdate(s: SyntaxNode): void {
    const [target, op, valueNode] = children(s);
    if (!target || !op || !valueNode) return;
    const cur = this.eval(target);
    const result = this.binary(cur, this.raw(op).replace('=', ''), this.eval(valueNode), s);
    // `list += [...]` changes the list in place, as in Python.
    if (cur.k === 'seq' && result.k === 'seq' && !cur.tuple && this.raw(op) === '+=') {
      cur.items.splice(0, cur.items.length, ...result.items);
      return;
    }
    this.assign(target, result);
  }

  private assign(target: SyntaxNode, value: Value): void {
    switch (target.name) {
      case 'VariableName':
        return this.bind(this.raw(target), value);
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression': {
        const inner = children(target).filter((c) => !PUNCT.has(c.name));
        if (target.name === 'ParenthesizedExpression' && inner.length === 1) return this.assign(inner[0]!, value);
        return this.assignSeq(inner, value, target);
      }
      case 'MemberExpression':
        return this.assignMember(target, value);
      default:
        return;
    }
  }

  private assignMember(target: SyntaxNode, value: Value): void {
    const kids = children(target);
    const base = kids[0];
    const second = kids[1];
    if (!base || !second) return;
    if (second.name === '.') {
      const prop = kids[2];
      if (!prop) return;
      const obj = this.eval(base);
      if (obj.k === 'host') this.host.setAttribute(obj.h, this.raw(prop), value, target);
      else if (obj.k === 'class') obj.members.set(this.raw(prop), value);
      else if (obj.k === 'inst') {
        obj.attrs.set(this.raw(prop), value);
        if (obj.host) this.host.setAttribute(obj.host, this.raw(prop), value, target);
      }
      else if (obj.k === 'unknown' && value.k === 'host') this.unresolved(target, `cannot tell what '${this.text(base)}' is`, target);
      return;
    }
    if (second.name === '[') {
      const obj = this.eval(base);
      const index = this.index(kids.slice(2, -1), target);
      const at = index.length === 1 && index[0]!.k === 'at' ? index[0].value : undefined;
      if (obj.k === 'seq' && !obj.tuple && at) {
        if (isFloat(at)) typeError(target, 'list indices must be integers or slices, not float');
        const i = num(at);
        if (i !== undefined && Number.isInteger(i)) {
          const j = i < 0 ? obj.items.length + i : i;
          if (j < 0 || j >= obj.items.length) throw new RaiseSignal(target, 'IndexError: list assignment index out of range');
          obj.items[j] = value;
          return;
        }
      }
      // `l[a:b] = [...]`: the slice replaced; `l[::2] = [...]`: as many items as the slice picks.
      const slice = index.length === 1 && index[0]!.k === 'slice' ? index[0] : undefined;
      const items = iterate(value);
      const picked = obj.k === 'seq' && !obj.tuple && slice && items ? sliceIndices(slice, obj.items.length) : undefined;
      if (picked === 'zero') throw new RaiseSignal(target, 'ValueError: slice step cannot be zero');
      if (obj.k === 'seq' && picked && items) {
        this.budget.alloc(items.length, target);
        if (picked.step === 1) obj.items.splice(picked.start, Math.max(0, picked.stop - picked.start), ...items);
        else if (items.length !== picked.indices.length) throw new RaiseSignal(target, `ValueError: attempt to assign sequence of size ${items.length} to extended slice of size ${picked.indices.length}`);
        else picked.indices.forEach((i, k) => (obj.items[i] = items[k]!));
        return;
      }
      if (obj.k === 'dict' && at?.k === 'py') {
        setDictKey(obj, at, value);
        return;
      }
      if ((obj.k === 'seq' && obj.tuple) || (obj.k === 'py' && typeof obj.v === 'string')) typeError(target, `'${obj.k === 'seq' ? 'tuple' : 'str'}' object does not support item assignment`);
      if (value.k === 'host' || obj.k === 'host') this.unresolved(target, `cannot tell which item '${this.text(target)}' sets`, target);
      // A list or dict of the file changed in a way not followed: unknown from here on, never its old value.
      else if ((obj.k === 'seq' && !obj.tuple) || obj.k === 'dict') forget(obj, this.text(base));
    }
  }

  /** A function's default values, evaluated where it is defined (once: a list default is shared by the calls). */
  private defaultsOf(fn: SyntaxNode): Map<string, Value> | undefined {
    const params = fn.getChild('ParamList');
    if (!params) return undefined;
    const kids = children(params);
    const out = new Map<string, Value>();
    for (let j = 0; j < kids.length; j++) {
      if (kids[j]!.name !== 'VariableName') continue;
      const name = this.raw(kids[j]!);
      if (kids[j + 1]?.name === 'TypeDef') j++;
      if (kids[j + 1]?.name === 'AssignOp' && kids[j + 2]) {
        out.set(name, this.eval(kids[j + 2]!));
        j += 2;
      }
    }
    return out.size ? out : undefined;
  }

  /** `del name`, `del l[i]`, `del l[a:b]`, `del d[key]` on the file's own lists and dicts; anything else is told to the host. */
  private execDelete(s: SyntaxNode): void {
    for (const t of children(s)) {
      if (t.name === 'del' || t.name === ',') continue;
      if (t.name === 'VariableName') {
        this.scopes[this.scopes.length - 1]!.delete(this.raw(t));
        continue;
      }
      const kids = children(t);
      // A list or dict whose item is deleted in a way not followed: unknown from here on.
      let changed: Value | undefined;
      if (t.name === 'MemberExpression' && kids[1]?.name === '[') {
        const obj = this.eval(kids[0]!);
        changed = obj;
        const index = this.index(kids.slice(2, -1), t);
        const one = index.length === 1 ? index[0]! : undefined;
        // A list holding Keras objects (a model's layers) is left to the host to judge.
        const plain = !(obj.k === 'seq' && obj.items.some((x) => [...walkValues(x)].some((y) => y.k === 'host')));
        if (obj.k === 'seq' && !obj.tuple && plain && one?.k === 'at') {
          const i = num(one.value);
          if (i !== undefined && Number.isInteger(i)) {
            const j = i < 0 ? obj.items.length + i : i;
            if (j >= 0 && j < obj.items.length) {
              obj.items.splice(j, 1);
              continue;
            }
          }
        }
        if (obj.k === 'seq' && !obj.tuple && plain && one?.k === 'slice') {
          const picked = sliceIndices(one, obj.items.length);
          if (picked === 'zero') throw new RaiseSignal(t, 'ValueError: slice step cannot be zero');
          if (picked) {
            const gone = new Set(picked.indices);
            obj.items.splice(0, obj.items.length, ...obj.items.filter((_, i) => !gone.has(i)));
            continue;
          }
        }
        if (obj.k === 'dict' && one?.k === 'at' && one.value.k === 'py') {
          obj.entries.delete(String(one.value.v));
          continue;
        }
      }
      this.unresolved(t, `Model Lens does not follow 'del ${this.text(t)}'`);
      if (changed && ((changed.k === 'seq' && !changed.tuple) || changed.k === 'dict')) forget(changed, this.text(t));
    }
  }

  private assignSeq(nodes: SyntaxNode[], value: Value, at: SyntaxNode): void {
    const count = nodes.filter((t) => t.name !== '*').length;
    const items = iterate(value) ?? (value.k === 'host' && !nodes.some((t) => t.name === '*') ? this.host.unpack?.(value.h, count) : undefined);
    // `first, *rest, last = …`: the starred target (a `*` token before it) takes the middle as a list.
    const targets: SyntaxNode[] = [];
    let star = -1;
    for (const t of nodes) {
      if (t.name === '*') star = targets.length;
      else targets.push(t);
    }
    if (!items) {
      targets.forEach((t) => this.assign(t, UNKNOWN(this.text(t))));
      if (value.k !== 'unknown') this.unresolved(at, `cannot unpack '${this.text(at)}'`);
      return;
    }
    // Python checks the count before it binds anything.
    if (star < 0 && items.length !== targets.length) {
      throw new RaiseSignal(at, items.length > targets.length ? `ValueError: too many values to unpack (expected ${targets.length})` : `ValueError: not enough values to unpack (expected ${targets.length}, got ${items.length})`);
    }
    if (star >= 0 && items.length < targets.length - 1) {
      throw new RaiseSignal(at, `ValueError: not enough values to unpack (expected at least ${targets.length - 1}, got ${items.length})`);
    }
    if (star < 0) {
      targets.forEach((t, i) => this.assign(t, items[i]!));
      return;
    }
    const after = targets.length - star - 1;
    targets.forEach((t, i) => {
      if (i < star) this.assign(t, items[i] ?? UNKNOWN(this.text(t)));
      else if (i === star) this.assign(t, { k: 'seq', items: items.slice(star, Math.max(star, items.length - after)), tuple: false });
      else this.assign(t, items[items.length - (targets.length - i)] ?? UNKNOWN(this.text(t)));
    });
  }

  private execIf(s: SyntaxNode): void {
    // if cond: Body (elif cond: Body)* (else: Body)?  — the first branch whose condition is true.
    // When a condition cannot be decided, the first such branch is read and the host is told.
    const kids = children(s);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (c.name === 'if' || c.name === 'elif') {
        const cond = kids[i + 1];
        const body = kids[i + 2];
        if (!cond || body?.name !== 'Body') return;
        const t = this.truth(this.eval(cond));
        if (t === undefined) {
          // Tell the host about everything the statement names, before and after reading this
          // branch (then bound to what the branch made or changed), and about every object made in it.
          const reason = `cannot decide the condition '${this.text(cond)}'; Model Lens read this branch`;
          this.unresolved(cond, reason, s);
          const mark = this.host.checkpoint?.();
          const after = () => {
            this.unresolved(cond, reason, s);
            this.forgetAssigned(s);
            this.forgetMutated(s);
            if (mark !== undefined) this.host.unresolvedSince?.(mark, cond, reason);
          };
          try {
            this.execBlock(body);
          } catch (e) {
            // The branch may not be taken: a `raise` in it does not end the reading.
            if (e instanceof RaiseSignal) {
              after();
              return;
            }
            // A `return`, `break` or `continue` in it: what the function gives, or how the loop
            // goes on, is the branch's guess (Python may take the other way).
            if (e instanceof ReturnSignal || e instanceof BreakSignal || e instanceof ContinueSignal) {
              after();
              if (e instanceof ReturnSignal) this.uncertainReturn(reason);
              else this.uncertainLoopExit(cond, `${reason}, which ${e instanceof BreakSignal ? 'leaves' : 'goes on with'} the loop around it`);
            }
            throw e;
          }
          after();
          return;
        }
        if (t) return this.execBlock(body);
        i += 2;
      } else if (c.name === 'else') {
        const body = kids[i + 1];
        if (body?.name === 'Body') this.execBlock(body);
        return;
      }
    }
  }

  /**
   * After an `if` whose condition cannot be decided: a constant that any of its branches assigns
   * may be another value in Python (the branch not read, or the one read not taken), so it becomes
   * unknown; a layer given it then says so at its line instead of using a guess.
   */
  private forgetAssigned(s: SyntaxNode): void {
    const names = new Set<string>();
    const cursor = s.cursor();
    const end = s.to;
    const targetsOf = (t: SyntaxNode) => {
      for (const name of this.targetNames(t)) names.add(name);
    };
    let more = cursor.firstChild();
    while (more && cursor.from < end) {
      // Assignments inside a function or class defined under the `if` bind their own names.
      const skip = cursor.name === 'FunctionDefinition' || cursor.name === 'ClassDefinition' || cursor.name === 'LambdaExpression';
      if (!skip && (cursor.name === 'AssignStatement' || cursor.name === 'UpdateStatement')) {
        const kids = children(cursor.node);
        const last = kids.map((k) => k.name).lastIndexOf('AssignOp');
        for (const t of cursor.name === 'UpdateStatement' ? kids.slice(0, 1) : kids.slice(0, Math.max(0, last))) targetsOf(t);
      }
      more = cursor.next(!skip);
    }
    for (const name of names) {
      const v = this.lookup(name);
      if (v && [...walkValues(v)].every((x) => x.k === 'py' || x.k === 'seq' || x.k === 'dict')) this.bind(name, UNKNOWN(name));
    }
  }

  /**
   * After code Model Lens read once or not at all but Python may run otherwise (an undecided
   * condition, a loop over unknown data): a list or dict of constants that it changes in place
   * (`sizes.append(…)`, `cfg["units"] = …`, also inside the file's functions it calls) is unknown,
   * so a layer sized from it says so instead of using a guess.
   */
  private forgetMutated(s: SyntaxNode): void {
    const targets: { name: string; scopes: Scope[] }[] = [];
    const seenFns = new Set<SyntaxNode>();
    let budget = 20_000;
    const scan = (root: SyntaxNode, scopes: Scope[], depth: number) => {
      const cursor = root.cursor();
      const end = root.to;
      do {
        if (cursor.from > end || --budget < 0) return;
        const node = cursor.node;
        if (cursor.name === 'MemberExpression') {
          const kids = children(node);
          const base = kids[0];
          if (base?.name === 'VariableName') {
            const name = this.raw(base);
            const method = kids[1]?.name === '.' && kids[2] ? this.raw(kids[2]) : undefined;
            const called = node.parent?.name === 'CallExpression' && node.parent.firstChild?.from === node.from;
            const parent = node.parent;
            let target = parent?.name === 'DeleteStatement' || (parent?.name === 'UpdateStatement' && parent.firstChild?.from === node.from);
            if (parent?.name === 'AssignStatement') for (let x = node.nextSibling; x && !target; x = x.nextSibling) target = x.name === 'AssignOp';
            const assigned = kids[1]?.name === '[' && target;
            if ((called && method && MUTATORS.has(method)) || assigned) targets.push({ name, scopes });
          }
        } else if (cursor.name === 'VariableName' && depth < 3) {
          // A function of the file called here may change a module list too.
          const v = lookupIn(scopes, this.raw(node));
          if (v?.k === 'func' && !seenFns.has(v.node) && seenFns.size < 64) {
            seenFns.add(v.node);
            scan(v.node, v.closure, depth + 1);
          }
        }
      } while (cursor.next() && cursor.from < end);
    };
    scan(s, this.scopes, 0);
    for (const { name, scopes } of targets) {
      for (let i = scopes.length - 1; i >= 0; i--) {
        const v = scopes[i]!.get(name);
        if (!v) continue;
        if ((v.k === 'seq' || v.k === 'dict') && [...walkValues(v)].every((x) => x.k === 'py' || x.k === 'seq' || x.k === 'dict')) scopes[i]!.set(name, UNKNOWN(name));
        break;
      }
    }
  }

  private forgetModuleNames(names: readonly string[]): void {
    for (const name of new Set(names)) {
      const v = this.module.get(name);
      if (v && [...walkValues(v)].every((x) => x.k === 'py' || x.k === 'seq' || x.k === 'dict')) this.module.set(name, UNKNOWN(name));
    }
  }

  /** The function being read may return something else than what Model Lens follows (a `return` under a condition it cannot decide, or in a loop it cannot run). */
  private uncertainReturn(reason: string): void {
    const top = this.frames[this.frames.length - 1];
    if (top) top.uncertain ??= reason;
  }

  /** Whether a block has a `return` of its own (not one of a function or class defined in it). */
  private hasReturn(block: SyntaxNode): boolean {
    const cursor = block.cursor();
    const end = block.to;
    let more = cursor.firstChild();
    while (more && cursor.from < end) {
      if (cursor.name === 'ReturnStatement') return true;
      const skip = cursor.name === 'FunctionDefinition' || cursor.name === 'ClassDefinition' || cursor.name === 'LambdaExpression';
      more = cursor.next(!skip);
    }
    return false;
  }

  private inLoop(s: SyntaxNode, run: () => void): void {
    this.loops.push(s);
    try {
      run();
    } finally {
      this.loops.pop();
    }
  }

  /**
   * A `break` or `continue` under a condition that cannot be decided: the loop around it may run
   * its body more or fewer times than read, so what that loop names (the models its body changes,
   * the functions it calls) is in doubt, and what it assigns or changes in place is unknown after
   * it, as for a loop over unknown data. Outside any loop (not valid Python): everything.
   */
  private uncertainLoopExit(cond: SyntaxNode, reason: string): void {
    const loop = this.loops[this.loops.length - 1];
    if (!loop) {
      this.host.unresolved(cond, reason, this.everything());
      return;
    }
    this.unresolved(cond, reason, loop);
    this.forgetAssigned(loop);
    this.forgetMutated(loop);
  }

  private execWhile(s: SyntaxNode): void {
    const kids = children(s);
    const cond = kids[1];
    const body = kids.find((k) => k.name === 'Body');
    if (!cond || !body) return;
    for (;;) {
      this.budget.step(s);
      const t = this.truth(this.eval(cond));
      if (t === undefined) {
        this.unresolved(cond, `cannot tell how often this loop runs (while ${this.text(cond)})`, s);
        if (this.hasReturn(body)) this.uncertainReturn(`cannot tell how often the loop 'while ${this.text(cond)}' runs, and it may return`);
        this.forgetAssigned(s);
        this.forgetMutated(s);
        return;
      }
      if (!t) break;
      try {
        this.execBlock(body);
      } catch (e) {
        if (e instanceof BreakSignal) return;
        if (!(e instanceof ContinueSignal)) throw e;
      }
    }
    // `while …: … else: …` — the else block runs when the loop ends without break.
    const kidsAfter = kids.slice(kids.indexOf(body) + 1);
    const elseBody = kidsAfter[0]?.name === 'else' ? kidsAfter[1] : undefined;
    if (elseBody?.name === 'Body') this.execBlock(elseBody);
  }

  private execFor(s: SyntaxNode): void {
    // for TARGET in ITERABLE: Body [else: Body]
    const kids = children(s);
    const inIdx = kids.findIndex((k) => k.name === 'in');
    const bodyIdx = kids.findIndex((k) => k.name === 'Body');
    if (inIdx < 0 || bodyIdx < 0) return;
    const body = kids[bodyIdx]!;
    const elseBody = kids.slice(bodyIdx + 1).find((k) => k.name === 'Body');
    const targets = kids.slice(1, inIdx).filter((k) => k.name !== ',');
    const iterNodes = kids.slice(inIdx + 1, bodyIdx).filter((k) => k.name !== ',');
    // enumerate(ds): ds is evaluated once, and looked at before enumerate is applied to it.
    const enumerated = this.enumerateArg(iterNodes);
    const inner = enumerated ? this.eval(enumerated) : undefined;
    if (inner && this.execForEachBatch(s, targets, inner, true, iterNodes[0]!, body)) return;
    const iterValue = inner && enumerated
      ? (callBuiltin('builtins.enumerate', { pos: [{ value: inner, node: enumerated }], kw: new Map(), star: false }, this.budget, iterNodes[0]!) ?? UNKNOWN(this.text(iterNodes[0]!)))
      : iterNodes.length === 1 ? this.eval(iterNodes[0]!) : this.tuple(iterNodes, s);
    const items = iterate(iterValue);
    if (!items && !enumerated && iterNodes.length === 1 && this.execForEachBatch(s, targets, iterValue, false, iterNodes[0]!, body)) return;
    if (!items) {
      this.unresolved(iterNodes[0] ?? s, `cannot tell what this loop runs over (${this.text(iterNodes[0] ?? s)}); loop over a literal list or range(n) with a constant n`, s);
      // The body may run any number of times: what it assigns or changes in place is unknown after it.
      if (this.hasReturn(body)) this.uncertainReturn(`cannot tell what the loop over '${this.text(iterNodes[0] ?? s)}' runs over, and it may return`);
      this.forgetAssigned(s);
      this.forgetMutated(s);
      return;
    }
    // `for epoch in range(n):` — a loop over batches inside it runs n times (see execForEachBatch).
    const overRange = iterNodes.length === 1 && iterNodes[0]!.name === 'CallExpression' && this.raw(iterNodes[0]!.firstChild ?? s) === 'range' && this.lookup('range') === undefined;
    if (overRange) this.rangeLoops.push(items.length);
    try {
      for (const [i, item] of [...items].entries()) {
        this.budget.step(s);
        if (targets.length === 1) this.assign(targets[0]!, item);
        else this.assignSeq(targets, item, s);
        try {
          this.execBlock(body);
        } catch (e) {
          if (e instanceof BreakSignal) {
            // An iterator left after a break keeps the items the loop did not take.
            if (iterValue.k === 'iter') iterValue.rest = items.slice(i + 1);
            return;
          }
          if (!(e instanceof ContinueSignal)) throw e;
        }
      }
    } finally {
      if (overRange) this.rangeLoops.pop();
    }
    if (elseBody) this.execBlock(elseBody);
  }

  /** The item counts of the `for … in range(n)` loops being read, outermost first. */
  private readonly rangeLoops: number[] = [];

  /**
   * `for x, y in train_ds:` / `for i, (x, y) in enumerate(train_ds):` over a host object whose
   * items all look alike (a batched dataset): the body is read with the host's item standing for
   * every batch, as Python's first pass (Keras builds a model on its first call). Then the names the
   * body assigns are forgotten and the body is read again, as any later pass: if that changes what
   * the host made, the host is told (the model may differ after the passes Python makes).
   * False when the loop is not such a loop.
   */
  /** `enumerate(X)` with one argument, Python's builtin (not a name the file rebinds): X's node. */
  private enumerateArg(iterNodes: SyntaxNode[]): SyntaxNode | undefined {
    const n = iterNodes.length === 1 ? iterNodes[0]! : undefined;
    if (n?.name !== 'CallExpression' || this.raw(n.firstChild ?? n) !== 'enumerate' || this.lookup('enumerate') !== undefined) return undefined;
    const args = children(n.getChild('ArgList') ?? n).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',');
    return args.length === 1 ? args[0] : undefined;
  }

  private execForEachBatch(s: SyntaxNode, targets: SyntaxNode[], over: Value, counted: boolean, iterNode: SyntaxNode, body: SyntaxNode): boolean {
    if (!this.host.loopItem) return false;
    if (over.k !== 'host') return false;
    const item = this.host.loopItem(over.h, iterNode, this.rangeLoops[this.rangeLoops.length - 1]);
    if (!item) return false;
    const value: Value = counted ? { k: 'seq', items: [UNKNOWN('step'), item], tuple: true } : item;
    const pass = (): boolean => {
      this.budget.step(s);
      if (targets.length === 1) this.assign(targets[0]!, value);
      else this.assignSeq(targets, value, s);
      try {
        this.execBlock(body);
      } catch (e) {
        if (e instanceof BreakSignal) return false;
        if (!(e instanceof ContinueSignal)) throw e;
      }
      return true;
    };
    const globalsFrom = this.globalWrites.length;
    if (!pass()) return true;
    this.forgetAssigned(body);
    // A function the body calls may change a module constant (`global n; n += 1`): after an
    // unknown number of passes it is unknown too.
    this.forgetModuleNames(this.globalWrites.slice(globalsFrom));
    const before = this.host.fingerprint?.();
    pass();
    this.forgetMutated(body);
    if (before !== undefined) {
      this.host.changedOnRepeat?.(before, iterNode, `this loop over '${this.text(iterNode)}' runs once per batch, an unknown number of times, and what it does to the model differs after the first pass`);
    }
    this.forgetAssigned(body);
    // An `else:` block runs after the last batch (no break was followed).
    const elseBody = children(s).find((k) => k.name === 'Body' && k.from > body.from);
    if (elseBody) this.execBlock(elseBody);
    return true;
  }

  /**
   * `@decorator def f(): …`: a decorator that is a function of the file is applied, as Python does
   * (the name is bound to what it returns: a wrapper that calls f twice adds two layers). A library
   * decorator (`@tf.function`, `@staticmethod`, `@dataclass`) keeps the function as written.
   */
  private execDecorated(s: SyntaxNode): void {
    const kids = children(s);
    const def = kids.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
    if (!def) return;
    this.exec(def);
    const nameNode = def.getChild('VariableName');
    if (def.name !== 'FunctionDefinition' || !nameNode) return;
    const name = this.raw(nameNode);
    const decorators = kids.filter((c) => c.name === 'Decorator').reverse();
    let value = this.lookup(name);
    for (const d of decorators) {
      const parts = children(d).filter((c) => c.name !== 'At');
      const head = parts[0];
      // @tf.custom_gradient: f returns (y, grad_fn); the decorated f gives y.
      const dotted = /^@\s*([\w.]+)\s*$/.exec(this.text(d))?.[1]?.split('.');
      const root = dotted && dotted.length > 1 ? this.lookup(dotted[0]!) : undefined;
      if (value?.k === 'func' && root?.k === 'mod' && this.host.canonical([root.path, ...dotted!.slice(1)].join('.')) === 'tensorflow.custom_gradient') {
        value = { ...value, firstResult: true };
        continue;
      }
      if (!value || head?.name !== 'VariableName' || parts.some((p, i) => i > 0 && p.name !== 'ArgList')) continue;
      let dec = this.lookup(this.raw(head));
      // @staticmethod / @classmethod: how the method is bound when looked up on its class or an instance.
      if (value.k === 'func' && parts.length === 1 && (this.raw(head) === 'staticmethod' || this.raw(head) === 'classmethod') && dec?.k !== 'func' && dec?.k !== 'class') {
        value = { ...value, binding: this.raw(head) === 'staticmethod' ? 'static' : 'class' };
        continue;
      }
      if (dec?.k !== 'func') continue;
      const argList = parts[1];
      if (argList) {
        dec = this.callFunction(dec, this.evalArgs(argList), d);
        if (dec.k !== 'func') {
          this.unresolved(d, `cannot tell what the decorator '${this.text(d)}' makes of '${name}'`, s);
          return;
        }
      }
      value = this.callFunction(dec, { pos: [{ value, node: d }], kw: new Map(), star: false }, d);
      if (value.k !== 'func' && value.k !== 'partial' && value.k !== 'class' && value.k !== 'inst') {
        this.unresolved(d, `cannot tell what the decorator '${this.text(d)}' makes of '${name}'`, s);
        return;
      }
    }
    if (value) this.bind(name, value);
  }

  private execClass(s: SyntaxNode): void {
    const nameNode = s.getChild('VariableName');
    if (!nameNode) return;
    const argList = s.getChild('ArgList');
    const bases = argList ? this.evalArgs(argList).pos.map((a) => a.value) : [];
    const members: Scope = new Map();
    const body = s.getChild('Body');
    if (body) {
      this.scopes.push(members);
      try {
        this.execBlock(body);
      } finally {
        this.scopes.pop();
      }
    }
    // Methods see the enclosing scopes, not the class body (as in Python), and know their class (for super()).
    const cls: ClassValue = { k: 'class', node: s, name: this.raw(nameNode), bases, members };
    for (const [k, v] of members) if (v.k === 'func') members.set(k, { ...v, closure: [...this.scopes], owner: cls });
    if (mro(cls) === null) typeError(s, `Cannot create a consistent method resolution order (MRO) for the bases of '${cls.name}'`);
    this.bind(this.raw(nameNode), cls);
  }

  // ------------------------------------------------------------------ expressions

  eval(n: SyntaxNode): Value {
    this.enter(n);
    try {
      return this.evalInner(n);
    } finally {
      this.nesting--;
    }
  }

  private evalInner(n: SyntaxNode): Value {
    switch (n.name) {
      case 'Number':
        return pyNum(parseNumber(this.raw(n)), isFloatLiteral(this.raw(n)));
      case 'String':
        return this.evalString(n);
      case 'FormatString':
        return this.evalFormatString(n);
      case 'ContinuedString': {
        let s = '';
        for (const c of children(n)) {
          const v = this.eval(c);
          if (v.k !== 'py' || typeof v.v !== 'string') return UNKNOWN(this.text(n));
          s += v.v;
        }
        return py(s);
      }
      case 'Boolean':
        return py(this.raw(n) === 'True');
      case 'None':
        return NONE;
      case 'Ellipsis':
        return { k: 'ellipsis' };
      case 'VariableName':
        return this.evalName(n);
      case 'MemberExpression':
        return this.evalMember(n);
      case 'CallExpression':
        return this.evalCall(n);
      case 'ParenthesizedExpression': {
        const inner = children(n).filter((c) => !PUNCT.has(c.name));
        return inner.length === 1 ? this.eval(inner[0]!) : UNKNOWN(this.text(n));
      }
      case 'NamedExpression': {
        // `(n := expr)`: binds n, gives the value.
        const [target, , value] = children(n);
        const v = value ? this.eval(value) : UNKNOWN(this.text(n));
        if (target?.name === 'VariableName') this.bind(this.raw(target), v);
        return v;
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'SetExpression':
        return { k: 'seq', items: n.name === 'SetExpression' ? distinct(this.evalItems(n)) : this.evalItems(n), tuple: n.name === 'TupleExpression' };
      case 'DictionaryExpression':
        return this.evalDict(n);
      case 'ArrayComprehensionExpression':
      case 'ComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression':
        return this.evalComprehension(n);
      case 'UnaryExpression':
        return this.evalUnary(n);
      case 'BinaryExpression':
        return this.evalBinary(n);
      case 'ConditionalExpression': {
        // a if cond else b
        const [a, , cond, , b] = children(n);
        if (!a || !cond || !b) return UNKNOWN(this.text(n));
        const t = this.truth(this.eval(cond));
        if (t === undefined) {
          // Two constants that differ: the value is unknown (never a guess that changes a layer).
          const first = this.eval(a);
          // Anything but a Keras object (a constant, a list of them, a class, a function): the value
          // is unknown unless both sides are the same (never a guess that changes a layer).
          if (![...walkValues(first)].some((x) => x.k === 'host' || x.k === 'inst')) {
            const other = this.eval(b);
            if (sameValue(first, other)) return first;
            this.unresolved(cond, `cannot decide the condition '${this.text(cond)}', so '${this.text(n)}' is unknown`, n);
            return UNKNOWN(this.text(n));
          }
          this.host.unresolved(cond, `cannot decide the condition '${this.text(cond)}'; Model Lens took the first value`, [...this.mentions(n), first]);
          return first;
        }
        return t ? this.eval(a) : this.eval(b);
      }
      case 'LambdaExpression':
        return { k: 'func', node: n, name: 'lambda', closure: [...this.scopes], defaults: this.defaultsOf(n) };
      default:
        return UNKNOWN(this.text(n));
    }
  }

  private evalString(n: SyntaxNode): Value {
    const t = this.raw(n);
    const parts = stringParts(t);
    if (parts && /[fF]/.test(parts.prefix)) return this.evalFormatString(n);
    const s = parseString(t);
    this.budget.alloc(s.length / 16, n);
    return py(s);
  }

  /** f-strings with `{expr}` and `{expr:spec}` over known constants. */
  private evalFormatString(n: SyntaxNode): Value {
    const t = this.raw(n);
    const parts = stringParts(t);
    if (!parts) return UNKNOWN(this.text(n));
    const bodyStart = n.from + parts.prefix.length + parts.quote.length;
    const bodyEnd = n.to - parts.quote.length;
    let out = '';
    let at = bodyStart;
    const literal = (a: number, b: number) => parseString(parts.quote + this.src.slice(a, b).replace(/\{\{/g, '{').replace(/\}\}/g, '}') + parts.quote);
    for (const r of children(n)) {
      if (r.name !== 'FormatReplacement') continue;
      out += literal(at, r.from);
      at = r.to;
      const inner = children(r).filter((c) => c.name !== '{' && c.name !== '}');
      const expr = inner.find((c) => c.name !== 'FormatSpec' && c.name !== 'FormatConversion' && c.name !== '=');
      const spec = inner.find((c) => c.name === 'FormatSpec');
      if (!expr) return UNKNOWN(this.text(n));
      const v = this.eval(expr);
      if (v.k !== 'py') return UNKNOWN(this.text(n));
      const f = formatValue(v.v, spec ? this.raw(spec).slice(1) : '', isFloat(v));
      if (f === undefined) return UNKNOWN(this.text(n));
      out += f;
      this.budget.alloc(out.length / 16, n);
    }
    out += literal(at, bodyEnd);
    return py(out);
  }

  private evalItems(n: SyntaxNode): Value[] {
    const items: Value[] = [];
    const kids = children(n);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (PUNCT.has(c.name)) continue;
      if (c.name === '*') {
        const next = kids[++i];
        const v = next ? this.eval(next) : UNKNOWN('*');
        const spread = iterate(v);
        if (spread) {
          this.budget.alloc(spread.length, n);
          items.push(...spread);
        } else items.push(UNKNOWN(this.text(n)));
        continue;
      }
      this.budget.alloc(1, c);
      items.push(this.eval(c));
    }
    return items;
  }

  /** `[expr for t in iterable if cond …]` over known sequences, in a scope of its own. */
  private evalComprehension(n: SyntaxNode): Value {
    const kids = children(n).filter((c) => !PUNCT.has(c.name));
    // `{k: v for …}`: the key and the value before the clauses.
    const dict = n.name === 'DictionaryComprehensionExpression';
    if (dict && kids[1]?.name === ':') kids.splice(1, 1);
    else if (dict) return UNKNOWN(this.text(n));
    const expr = kids[0];
    const valueExpr = dict ? kids[1] : undefined;
    if (!expr || (dict && !valueExpr)) return UNKNOWN(this.text(n));
    const out: Extract<Value, { k: 'dict' }> = { k: 'dict', entries: new Map() };
    type Clause = { kind: 'for'; targets: SyntaxNode[]; iter: SyntaxNode } | { kind: 'if'; cond: SyntaxNode };
    const clauses: Clause[] = [];
    for (let i = dict ? 2 : 1; i < kids.length; ) {
      const k = kids[i]!;
      if (k.name === 'for') {
        const inAt = kids.findIndex((x, j) => j > i && x.name === 'in');
        if (inAt < 0 || !kids[inAt + 1]) return UNKNOWN(this.text(n));
        clauses.push({ kind: 'for', targets: kids.slice(i + 1, inAt), iter: kids[inAt + 1]! });
        i = inAt + 2;
      } else if (k.name === 'if' && kids[i + 1]) {
        clauses.push({ kind: 'if', cond: kids[i + 1]! });
        i += 2;
      } else return UNKNOWN(this.text(n));
    }
    const items: Value[] = [];
    // The comprehension's own names (its for targets) are local to it, as in Python 3: bound (to
    // unknown until an item is) before anything runs, so neither its body nor what is said about
    // it when it cannot be worked out reaches a name of the same spelling outside (a module's `x`).
    const own: Scope = new Map();
    for (const c of clauses) if (c.kind === 'for') for (const t of c.targets) for (const name of this.targetNames(t)) own.set(name, UNKNOWN(name));
    this.scopes.push(own);
    try {
      const run = (ci: number): boolean => {
        const c = clauses[ci];
        if (!c) {
          this.budget.alloc(1, n);
          if (!valueExpr) {
            items.push(this.eval(expr));
            return true;
          }
          // Python evaluates the key first; a key that is not a constant is not followed.
          const key = this.eval(expr);
          if (key.k !== 'py') return false;
          setDictKey(out, key, this.eval(valueExpr));
          return true;
        }
        if (c.kind === 'if') {
          const t = this.truth(this.eval(c.cond));
          if (t === undefined) return false;
          return t ? run(ci + 1) : true;
        }
        const it = iterate(this.eval(c.iter));
        if (!it) return false;
        for (const item of it) {
          this.budget.step(n);
          if (c.targets.length === 1) this.assign(c.targets[0]!, item);
          else this.assignSeq(c.targets, item, n);
          if (!run(ci + 1)) return false;
        }
        return true;
      };
      if (run(0)) return dict ? out : { k: 'seq', items: n.name === 'SetComprehensionExpression' ? distinct(items) : items, tuple: false };
      // Said while its own names are still in scope (they name no value of the enclosing code).
      this.unresolved(n, `cannot work out the comprehension '${this.text(n)}'`);
      return UNKNOWN(this.text(n));
    } finally {
      this.scopes.pop();
    }
  }

  /** The names a for target binds: `x`, `(a, b)`, `[a, *rest]`. */
  private targetNames(t: SyntaxNode): string[] {
    if (t.name === 'VariableName') return [this.raw(t)];
    if (t.name === 'TupleExpression' || t.name === 'ArrayExpression' || t.name === 'ParenthesizedExpression') return children(t).flatMap((c) => this.targetNames(c));
    return [];
  }

  private evalDict(n: SyntaxNode): Value {
    const d: Extract<Value, { k: 'dict' }> = { k: 'dict', entries: new Map() };
    const entries = d.entries;
    let key: Value | undefined;
    const kids = children(n);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (PUNCT.has(c.name) || c.name === ':') continue;
      if (c.name === '**') {
        const v = kids[i + 1] ? this.eval(kids[++i]!) : UNKNOWN('**');
        if (v.k !== 'dict') return UNKNOWN(this.text(n));
        for (const [k, x] of v.entries) {
          entries.set(k, x);
          if (v.keys?.has(k)) (d.keys ??= new Map()).set(k, v.keys.get(k)!);
        }
        continue;
      }
      if (key === undefined) key = this.eval(c);
      else {
        this.budget.alloc(1, c);
        const v = this.eval(c);
        // A key that is not a constant (a tuple, an unknown value): the dict is not followed.
        if (key.k !== 'py') return UNKNOWN(this.text(n));
        setDictKey(d, key, v);
        key = undefined;
      }
    }
    return d;
  }

  private evalName(n: SyntaxNode): Value {
    const name = this.raw(n);
    const v = this.lookup(name);
    if (v) return v;
    if (BUILTIN_NAMES.has(name)) return { k: 'mod', path: `builtins.${name}` };
    // The last `from M import *` that has the name binds it, as in Python.
    for (const m of [...this.starModules].reverse()) {
      const path = `${m}.${name}`;
      if (this.host.providesGlobal(path) || (m === 'math' && name in MATH_CONSTANTS)) return this.modAttr(m, name);
    }
    return UNKNOWN(name);
  }

  private modAttr(path: string, name: string): Value {
    if ((path === 'math' || path === 'numpy') && name in MATH_CONSTANTS) return py(MATH_CONSTANTS[name]!);
    return { k: 'mod', path: this.host.canonical(`${path}.${name}`) };
  }

  private evalMember(n: SyntaxNode): Value {
    const kids = children(n);
    const base = kids[0]!;
    const second = kids[1];
    if (second?.name === '.') {
      const prop = kids[2];
      // `255.` parses as Number "." <error>: a float.
      if (base.name === 'Number' && (!prop || prop.type.isError)) return pyf(parseNumber(this.raw(base)));
      if (!prop) return UNKNOWN(this.text(n));
      const name = this.raw(prop);
      const obj = this.eval(base);
      switch (obj.k) {
        case 'mod':
          return this.modAttr(obj.path, name);
        case 'host':
          return this.host.attribute(obj.h, name, n);
        case 'class': {
          const m = classMember(obj, name);
          return m ? bindMember(m, obj, name) : UNKNOWN(this.text(n));
        }
        case 'super':
          return this.superMember(obj, name, n);
        case 'inst': {
          const own = obj.attrs.get(name);
          if (own) return own;
          const m = classMember(obj.cls, name);
          if (m) return bindMember(m, obj, name);
          if (obj.host) return this.host.attribute(obj.host, name, n);
          if (this.parsers.has(obj)) return { k: 'method', self: obj, name };
          return UNKNOWN(this.text(n));
        }
        case 'seq':
        case 'dict':
        case 'py':
          return { k: 'method', self: obj, name };
        default:
          return UNKNOWN(this.text(n));
      }
    }
    if (second?.name === '[') {
      const obj = this.eval(base);
      const index = this.index(kids.slice(2, -1), n);
      if (obj.k === 'host') return this.host.subscript(obj.h, index, n);
      return this.subscript(obj, index, n);
    }
    return UNKNOWN(this.text(n));
  }

  /** The items of a subscript `[a, b:c, ...]` (nodes between the brackets). */
  private index(nodes: SyntaxNode[], at: SyntaxNode): IndexItem[] {
    const out: IndexItem[] = [];
    let parts: (SyntaxNode | null)[] = [null];
    let colons = 0;
    const flush = () => {
      if (colons === 0) {
        const p = parts[0];
        if (p) out.push({ k: 'at', value: this.eval(p), node: p });
      } else {
        const v = (p: SyntaxNode | null | undefined) => (p ? this.eval(p) : undefined);
        const item: IndexItem = { k: 'slice' };
        const start = v(parts[0]);
        const stop = v(parts[1]);
        const step = v(parts[2]);
        if (start) item.start = start;
        if (stop) item.stop = stop;
        if (step) item.step = step;
        out.push(item);
      }
      parts = [null];
      colons = 0;
    };
    for (const c of nodes) {
      if (c.name === ',') flush();
      else if (c.name === ':') {
        colons++;
        parts.push(null);
      } else parts[parts.length - 1] = c;
    }
    flush();
    void at;
    return out;
  }

  private subscript(obj: Value, index: IndexItem[], n: SyntaxNode): Value {
    if (index.length !== 1) return UNKNOWN(this.text(n));
    const ix = index[0]!;
    if (obj.k === 'iter') typeError(n, `'${obj.name}' object is not subscriptable`);
    const items = obj.k === 'seq' ? obj.items : obj.k === 'py' && typeof obj.v === 'string' ? [...obj.v].map((c) => py(c)) : undefined;
    if (ix.k === 'at') {
      if (obj.k === 'dict' && ix.value.k === 'py') return obj.entries.get(String(ix.value.v)) ?? UNKNOWN(this.text(n));
      if (items && isFloat(ix.value)) typeError(n, `${obj.k === 'seq' ? (obj.tuple ? 'tuple' : 'list') : 'string'} indices must be integers or slices, not float`);
      const i = num(ix.value);
      if (items && i !== undefined && Number.isInteger(i)) return items[i < 0 ? items.length + i : i] ?? UNKNOWN(this.text(n));
      return UNKNOWN(this.text(n));
    }
    if (!items) return UNKNOWN(this.text(n));
    if (isFloat(ix.start) || isFloat(ix.stop) || isFloat(ix.step)) typeError(n, 'slice indices must be integers or None or have an __index__ method');
    const picked = sliceIndices(ix, items.length);
    if (!picked) return UNKNOWN(this.text(n));
    if (picked === 'zero') throw new RaiseSignal(n, 'ValueError: slice step cannot be zero');
    const sliced = picked.indices.map((i) => items[i]!);
    if (obj.k === 'seq') return { k: 'seq', items: sliced, tuple: obj.tuple, ...(obj.nd ? { nd: true as const } : {}) };
    return py(sliced.map((c) => (c.k === 'py' ? String(c.v) : '')).join(''));
  }

  /** Python truthiness; a host object's is the host's to tell (a layer is true). */
  private truth(v: Value): boolean | undefined {
    return v.k === 'host' ? this.host.truth?.(v.h) : truthy(v);
  }

  private evalUnary(n: SyntaxNode): Value {
    const kids = children(n);
    const op = this.raw(kids[0]!);
    const arg = kids[1] ? this.eval(kids[kids.length - 1]!) : UNKNOWN('?');
    if (op === 'not') {
      const t = this.truth(arg);
      return t === undefined ? UNKNOWN(this.text(n)) : py(!t);
    }
    if (arg.k === 'py' && typeof arg.v === 'boolean') return op === '~' ? py(~Number(arg.v)) : py(op === '-' ? -Number(arg.v) : Number(arg.v));
    if (arg.k !== 'py' || typeof arg.v !== 'number') return UNKNOWN(this.text(n));
    if (op === '-') return pyNum(-arg.v, isFloat(arg));
    if (op === '+') return arg;
    if (op === '~' && isFloat(arg)) typeError(n, "bad operand type for unary ~: 'float'");
    if (op === '~' && Number.isInteger(arg.v)) return py(~arg.v);
    return UNKNOWN(this.text(n));
  }

  /** The operator of a binary expression as written (`<`, `not in`, `is not`). */
  private operatorOf(n: SyntaxNode): string {
    const kids = children(n);
    return kids
      .slice(1, -1)
      .map((k) => this.raw(k))
      .join(' ');
  }

  /**
   * `a < b < c` (parsed as `(a < b) < c`): Python's `a < b and b < c`, each operand evaluated once,
   * stopping at the first false comparison.
   */
  private evalChain(n: SyntaxNode): Value {
    const operands: SyntaxNode[] = [];
    const ops: string[] = [];
    const flatten = (x: SyntaxNode) => {
      const kids = children(x);
      if (x.name === 'BinaryExpression' && COMPARISONS.has(this.operatorOf(x)) && kids.length >= 3) {
        flatten(kids[0]!);
        ops.push(this.operatorOf(x));
        operands.push(kids[kids.length - 1]!);
      } else operands.push(x);
    };
    flatten(n);
    let left = this.eval(operands[0]!);
    let result: Value = py(true);
    for (let i = 0; i < ops.length; i++) {
      const right = this.eval(operands[i + 1]!);
      const r = this.binary(left, ops[i]!, right, n);
      const t = this.truth(r);
      if (t === undefined) return UNKNOWN(this.text(n));
      if (!t) return r;
      result = r;
      left = right;
    }
    return result;
  }

  private evalBinary(n: SyntaxNode): Value {
    const kids = children(n);
    const a = kids[0];
    const b = kids[kids.length - 1];
    if (!a || !b || kids.length < 3) return UNKNOWN(this.text(n));
    const op = this.operatorOf(n);
    if (COMPARISONS.has(op) && a.name === 'BinaryExpression' && COMPARISONS.has(this.operatorOf(a))) return this.evalChain(n);
    const left = this.eval(a);
    // `and` / `or` decide on the left side when they can, as Python does.
    if (op === 'and' || op === 'or') {
      const t = this.truth(left);
      if (t === undefined) return UNKNOWN(this.text(n));
      if (op === 'and' ? !t : t) return left;
      return this.eval(b);
    }
    return this.binary(left, op, this.eval(b), n);
  }

  binary(a: Value, op: string, b: Value, n: SyntaxNode): Value {
    if (a.k === 'host' || b.k === 'host') return this.host.binary(a, op, b, n);
    if ((a.k === 'seq' && a.nd) || (b.k === 'seq' && b.nd)) return this.ndBinary(a, op, b, n);
    if (a.k === 'py' && b.k === 'py') {
      const x = a.v;
      const y = b.v;
      const xn = typeof x === 'boolean' ? Number(x) : x;
      const yn = typeof y === 'boolean' ? Number(y) : y;
      if (typeof xn === 'number' && typeof yn === 'number') {
        // Python: an int and a float give a float; `/` always gives a float; `**` a float for a negative int power.
        const fl = isFloat(a) || isFloat(b);
        if (fl && (op === '<<' || op === '>>' || op === '&' || op === '|' || op === '^')) typeError(n, `unsupported operand type(s) for ${op}: a float`);
        switch (op) {
          case '+': return pyNum(xn + yn, fl);
          case '-': return pyNum(xn - yn, fl);
          case '*': return pyNum(xn * yn, fl);
          case '/': return yn === 0 ? UNKNOWN(this.text(n)) : pyf(xn / yn);
          case '//': return yn === 0 ? UNKNOWN(this.text(n)) : pyNum(Math.floor(xn / yn), fl);
          case '%': return yn === 0 ? UNKNOWN(this.text(n)) : pyNum(((xn % yn) + yn) % yn, fl);
          case '**': return pyNum(xn ** yn, fl || yn < 0);
          case '<<': return py(xn * 2 ** yn);
          case '>>': return py(Math.floor(xn / 2 ** yn));
          case '<': return py(xn < yn);
          case '>': return py(xn > yn);
          case '<=': return py(xn <= yn);
          case '>=': return py(xn >= yn);
        }
      }
      if (typeof x === 'string' && typeof y === 'string') {
        if (op === '+') {
          this.budget.alloc((x.length + y.length) / 16, n);
          return py(x + y);
        }
        if (op === 'in') return py(y.includes(x));
        if (op === 'not in') return py(!y.includes(x));
        if (op === '<') return py(x < y);
        if (op === '>') return py(x > y);
      }
      if (typeof x === 'string' && typeof y === 'number' && op === '*') {
        if (isFloat(b)) typeError(n, "can't multiply sequence by non-int of type 'float'");
        this.budget.alloc((x.length * Math.max(0, y)) / 16, n);
        return py(x.repeat(Math.max(0, Math.trunc(y))));
      }
      if (typeof x === 'string' && op === '%') {
        const out = percentFormat(x, [y], [isFloat(b)]);
        return out === undefined ? UNKNOWN(this.text(n)) : py(out);
      }
      if (op === '==' || op === 'is') return py(x === y || (typeof xn === 'number' && xn === yn));
      if (op === '!=' || op === 'is not') return py(!(x === y || (typeof xn === 'number' && xn === yn)));
    }
    if (a.k === 'py' && typeof a.v === 'string' && op === '%' && b.k === 'seq' && b.tuple) {
      const items = b.items.map((i) => (i.k === 'py' ? i.v : undefined));
      const out = items.every((i) => i !== undefined) ? percentFormat(a.v, items as (number | string | boolean | null)[], b.items.map(isFloat)) : undefined;
      return out === undefined ? UNKNOWN(this.text(n)) : py(out);
    }
    if (a.k === 'seq' && b.k === 'seq' && (op === '==' || op === '!=')) {
      const eq = constEqual(a, b);
      if (eq !== undefined) return py(op === '==' ? eq : !eq);
    }
    if (a.k === 'seq' && b.k === 'seq' && op === '+') {
      this.budget.alloc(a.items.length + b.items.length, n);
      return { k: 'seq', items: [...a.items, ...b.items], tuple: a.tuple };
    }
    const times = a.k === 'seq' ? num(b) : b.k === 'seq' ? num(a) : undefined;
    const list = a.k === 'seq' ? a : b.k === 'seq' ? b : undefined;
    if (op === '*' && list && times !== undefined) {
      if (isFloat(a.k === 'seq' ? b : a)) typeError(n, "can't multiply sequence by non-int of type 'float'");
      const k = Math.max(0, Math.trunc(times));
      this.budget.alloc(list.items.length * k, n);
      const items: Value[] = [];
      for (let i = 0; i < k; i++) items.push(...list.items);
      return { k: 'seq', items, tuple: list.tuple };
    }
    if ((op === 'in' || op === 'not in') && b.k !== 'unknown') {
      const items = iterate(b);
      if (items && a.k === 'py' && items.every((i) => i.k === 'py')) {
        const found = items.some((i) => i.k === 'py' && i.v === a.v);
        return py(op === 'in' ? found : !found);
      }
    }
    if ((op === 'is' || op === 'is not' || op === '==' || op === '!=') && (a.k === 'py' && a.v === null) !== (b.k === 'py' && b.v === null)) {
      // x is None where x is a known non-None value.
      const other = a.k === 'py' && a.v === null ? b : a;
      if (other.k !== 'unknown') return py(op === 'is not' || op === '!=');
    }
    return UNKNOWN(this.text(n));
  }

  // ------------------------------------------------------------------ calls

  evalArgs(list: SyntaxNode): Args {
    const args: Args = { pos: [], kw: new Map(), star: false };
    const kids = children(list);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (PUNCT.has(c.name)) continue;
      if (c.name === '*' || c.name === '**') {
        const node = kids[++i];
        if (!node) continue;
        const v = this.eval(node);
        if (c.name === '*') {
          const items = iterate(v);
          if (items) for (const item of items) args.pos.push({ value: item, node });
          else args.star = true;
        } else if (v.k === 'dict') {
          for (const [k, x] of v.entries) {
            if (args.kw.has(k)) typeError(node, `got multiple values for keyword argument '${k}'`);
            args.kw.set(k, { value: x, node });
          }
        } else args.star = true;
        continue;
      }
      if (c.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp') {
        const valueNode = kids[i + 2];
        if (args.kw.has(this.raw(c))) typeError(c, `got multiple values for keyword argument '${this.raw(c)}'`);
        if (valueNode) args.kw.set(this.raw(c), { value: this.eval(valueNode), node: valueNode });
        i += 2;
        continue;
      }
      if (c.name === 'for' || c.name === 'compFor') {
        // A generator argument, e.g. sum(x for x in xs): not followed.
        args.pos = [{ value: UNKNOWN(this.text(list)), node: list }];
        return args;
      }
      args.pos.push({ value: this.eval(c), node: c });
    }
    return args;
  }

  private evalCall(n: SyntaxNode): Value {
    const kids = children(n);
    const calleeNode = kids[0]!;
    const list = kids[kids.length - 1];
    if (!list || list.name !== 'ArgList') return UNKNOWN(this.text(n));
    return this.callValueWith(this.eval(calleeNode), calleeNode, this.evalArgs(list), n);
  }

  private callValueWith(callee: Value, calleeNode: SyntaxNode, args: Args, n: SyntaxNode): Value {
    switch (callee.k) {
      case 'partial': {
        const merged: Args = { pos: [...callee.args.pos, ...args.pos], kw: new Map([...callee.args.kw, ...args.kw]), star: callee.args.star || args.star };
        return this.callValueWith(callee.fn, calleeNode, merged, n);
      }
      case 'mod': {
        const special = this.callSpecialBuiltin(callee.path, args, n);
        if (special) return special;
        const b = callBuiltin(callee.path, args, this.budget, n, this.callKey);
        if (b) return b;
        return this.host.callPath(callee.path, args, n);
      }
      case 'host':
        return this.host.call(callee.h, args, n);
      case 'method': {
        const self = callee.self;
        if (self.k === 'host') return this.host.callMethod(self.h, callee.name, args, n);
        if (self.k === 'inst') {
          const parser = this.parsers.get(self);
          if (parser) return this.parserMethod(parser, callee.name, args, n);
          const own = this.callOwnMethod(self, callee.name, args, n);
          if (own) {
            // A library class's own `build` runs after the file's (it calls super().build(...)).
            if (self.host && callee.name === 'build') this.host.callMethod(self.host, 'build', args, n);
            return own;
          }
          if (self.host) return this.host.callMethod(self.host, callee.name, args, n);
          return this.reportUnknownCall(n, calleeNode, args);
        }
        return this.callPyMethod(self, callee.name, args, n);
      }
      case 'func':
        return this.callFunction(callee, args, n);
      case 'class':
        return this.instantiate(callee, args, n);
      case 'inst': {
        const own = this.callOwnMethod(callee, '__call__', args, n);
        if (own) return own;
        if (callee.host) return this.host.call(callee.host, args, n);
        return this.reportUnknownCall(n, calleeNode, args);
      }
      default:
        return this.reportUnknownCall(n, calleeNode, args);
    }
  }

  /**
   * Builtins that reach into objects: `isinstance` of a host object (the host decides), `setattr` /
   * `getattr` with a constant name (as `obj.name = v` / `obj.name`), and `exec` / `eval` / `compile`,
   * whose code is a string Model Lens does not read: every model so far may be changed by it.
   */
  private callSpecialBuiltin(path: string, args: Args, n: SyntaxNode): Value | undefined {
    const [a0, a1, a2] = args.pos.map((a) => a.value);
    switch (path) {
      case 'builtins.isinstance':
      case 'builtins.issubclass': {
        // An object of a class of the file against classes of the file: decided by its MRO.
        const own = path === 'builtins.isinstance' ? (a0?.k === 'inst' ? a0.cls : undefined) : a0?.k === 'class' ? a0 : undefined;
        const classes = a1?.k === 'seq' && a1.tuple ? a1.items : a1 ? [a1] : [];
        if (own && classes.length && classes.every((c) => c.k === 'class') && args.pos.length === 2) {
          const order = mro(own);
          if (order) return py(classes.some((c) => order.includes(c)));
        }
        if (path === 'builtins.issubclass' || a0?.k !== 'host' || !a1) return undefined;
        const r = this.host.isInstance?.(a0.h, a1);
        return r === undefined ? undefined : { k: 'py', v: r };
      }
      case 'builtins.type': {
        // `type(layer)`: the library class of a host object, as `layer.__class__` gives it.
        if (a0?.k !== 'host' || args.pos.length !== 1 || args.kw.size) return undefined;
        const cls = this.host.attribute(a0.h, '__class__', n);
        return cls.k === 'unknown' ? undefined : cls;
      }
      case 'builtins.setattr':
      case 'builtins.getattr': {
        const name = a1?.k === 'py' && typeof a1.v === 'string' ? a1.v : undefined;
        if (!a0 || args.star || args.kw.size) return undefined;
        if (path === 'builtins.setattr') {
          if (name === undefined || !a2) {
            if ([...walkValues(a0)].some((x) => x.k === 'host')) this.host.unresolved(n, `cannot tell which attribute '${this.text(n)}' sets`, [a0]);
            return NONE;
          }
          if (a0.k === 'host') this.host.setAttribute(a0.h, name, a2, n);
          else if (a0.k === 'inst') a0.attrs.set(name, a2);
          else if ([...walkValues(a0)].some((x) => x.k === 'host')) this.host.unresolved(n, `cannot follow '${this.text(n)}'`, [a0]);
          return NONE;
        }
        if (name === undefined) return UNKNOWN(this.text(n));
        if (a0.k === 'host') return this.host.attribute(a0.h, name, n);
        // getattr(layers, "Dense"): the module's attribute, as layers.Dense.
        if (a0.k === 'mod' && /^[A-Za-z_]\w*$/.test(name)) return this.modAttr(a0.path, name);
        if (a0.k === 'inst' && a0.attrs.has(name)) return a0.attrs.get(name)!;
        return a2 ?? UNKNOWN(this.text(n));
      }
      case 'builtins.super': {
        if (args.star || args.kw.size) return undefined;
        // super(): the class of the method running and its first argument, as Python's __class__ cell gives them.
        if (!args.pos.length) {
          const top = this.frames[this.frames.length - 1];
          return top?.owner && top.first ? { k: 'super', cls: top.owner, self: top.first } : undefined;
        }
        return a0?.k === 'class' && a1 && args.pos.length === 2 ? { k: 'super', cls: a0, self: a1 } : undefined;
      }
      case 'functools.partial': {
        const fn = args.pos[0];
        if (!fn) return undefined;
        return { k: 'partial', fn: fn.value, args: { pos: args.pos.slice(1), kw: new Map(args.kw), star: args.star } };
      }
      // A plain object whose attributes are the keywords given (settings bundled for a model builder).
      case 'types.SimpleNamespace':
      case 'argparse.Namespace': {
        if (args.pos.length || args.star) return undefined;
        const cls: ClassValue = { k: 'class', node: n, name: path.slice(path.indexOf('.') + 1), bases: [], members: new Map() };
        return { k: 'inst', cls, attrs: new Map([...args.kw].map(([k, a]) => [k, a.value])) };
      }
      // functools.reduce(f, items[, initial]): f(f(initial, a), b)… — e.g. layers applied in turn to a tensor.
      case 'functools.reduce': {
        const [fn, source, initial] = args.pos.map((a) => a.value);
        if (!fn || !source || args.star || args.kw.size || args.pos.length > 3 || !iterable(source)) return undefined;
        const items = iterate(source)!;
        if (!initial && !items.length) throw new RaiseSignal(n, 'TypeError: reduce() of empty iterable with no initial value');
        let acc = initial ?? items[0]!;
        for (const item of initial ? items : items.slice(1)) {
          this.budget.step(n);
          acc = this.callValueWith(fn, n, { pos: [{ value: acc, node: n }, { value: item, node: n }], kw: new Map(), star: false }, n);
        }
        return acc;
      }
      case 'argparse.ArgumentParser':
        return this.parserObject('ArgumentParser', newParser(), n);
      case 'builtins.map':
      case 'builtins.filter':
        return this.mapOrFilter(path === 'builtins.map' ? 'map' : 'filter', args, n);
      case 'builtins.exec':
      case 'builtins.eval':
      case 'builtins.compile':
        this.host.unresolved(n, `'${path.slice(9)}' runs code from a string, which Model Lens does not read`, this.everything());
        return UNKNOWN(this.text(n));
      default:
        return undefined;
    }
  }

  /** argparse parsers of the file and their argument groups (which add to the same parser). */
  private readonly parsers = new WeakMap<InstValue, ParserState>();

  private parserObject(name: string, state: ParserState, n: SyntaxNode): InstValue {
    const inst: InstValue = { k: 'inst', cls: { k: 'class', node: n, name, bases: [], members: new Map() }, attrs: new Map() };
    this.parsers.set(inst, state);
    return inst;
  }

  /** A method of an argparse parser, read as the script run with no command-line arguments (see argparse.ts). */
  private parserMethod(state: ParserState, name: string, args: Args, n: SyntaxNode): Value {
    switch (name) {
      case 'add_argument':
        addArgument(state, args, (x) => this.text(x), n);
        return NONE;
      case 'add_argument_group':
      case 'add_mutually_exclusive_group':
        return this.parserObject(name, state, n);
      case 'set_defaults':
        setDefaults(state, args);
        return NONE;
      case 'parse_args':
      case 'parse_known_args':
      case 'parse_intermixed_args': {
        const values = parsedValues(state, args);
        if (!values) return UNKNOWN(this.text(n));
        this.host.warn?.(n, `command-line options are read with their defaults, as when the script runs with no arguments (${[...values].map(([k, v]) => `${k}=${pyRepr(v)}`).join(', ') || 'none'})`);
        const ns: InstValue = { k: 'inst', cls: { k: 'class', node: n, name: 'Namespace', bases: [], members: new Map() }, attrs: values };
        return name === 'parse_known_args' ? { k: 'seq', items: [ns, { k: 'seq', items: [], tuple: false }], tuple: true } : ns;
      }
      case 'add_subparsers':
        state.lost = `'${this.text(n)}': sub-commands are not followed`;
        return UNKNOWN(this.text(n));
      default:
        return name.startsWith('print_') || name === 'error' ? NONE : UNKNOWN(this.text(n));
    }
  }

  /**
   * `map(f, xs, …)` / `filter(f, xs)`: an iterator whose function runs when it is iterated, as in
   * Python 3 (a `map(model.add, layers)` never iterated adds nothing). A result that cannot be known
   * then makes everything the function or the items touch unknown at this call.
   */
  private mapOrFilter(name: 'map' | 'filter', args: Args, n: SyntaxNode): Value | undefined {
    const [fn, ...sources] = args.pos.map((a) => a.value);
    if (!fn || !sources.length || args.star || args.kw.size || (name === 'filter' && sources.length !== 1)) return undefined;
    const gap = (): undefined => {
      this.host.unresolved(n, `cannot tell what '${this.text(n)}' gives`, [fn, ...sources]);
      return undefined;
    };
    if (!sources.every(iterable)) return gap() ?? UNKNOWN(this.text(n));
    return iterator(name, () => {
      const lists = sources.map(iterate);
      if (lists.some((l) => !l)) return gap();
      const count = Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < count; i++) {
        this.budget.step(n);
        const items = lists.map((l) => l![i]!);
        const call = (): Value => this.callValueWith(fn, n, { pos: items.map((value) => ({ value, node: n })), kw: new Map(), star: false }, n);
        if (name === 'map') {
          out.push(call());
          continue;
        }
        const keep = fn.k === 'py' && fn.v === null ? truthy(items[0]!) : truthy(call());
        if (keep === undefined) return gap();
        if (keep) out.push(items[0]!);
      }
      this.budget.alloc(out.length, n);
      return out;
    });
  }

  /**
   * `super().name`: the first class after the method's class in the MRO of the instance's class
   * that has `name`, bound to the instance. A library base reached first (keras.layers.Layer's own
   * `__init__`) or an MRO that cannot be told gives an unknown value, as any library call whose
   * effect the host does not model.
   */
  private superMember(sup: Extract<Value, { k: 'super' }>, name: string, n: SyntaxNode): Value {
    const self = sup.self;
    const order = self.k === 'inst' ? mro(self.cls) : self.k === 'class' ? mro(self) : undefined;
    const at = order?.indexOf(sup.cls) ?? -1;
    if (!order || at < 0) return UNKNOWN(this.text(n));
    for (const c of order.slice(at + 1)) {
      // keras.Model's / Layer's own __init__ (name=, trainable=): the host's object takes it.
      if (c.k !== 'class') return name === '__init__' && self.k === 'inst' && self.host ? { k: 'method', self: { k: 'host', h: self.host }, name } : UNKNOWN(this.text(n));
      const m = c.members.get(name);
      if (!m) continue;
      if (m.k !== 'func' || m.binding) return self.k === 'inst' || self.k === 'class' ? bindMember(m, self, name) : m;
      // A plain method bound to the instance (the 'method' value would look the name up from its class again).
      return self.k === 'inst' ? { k: 'partial', fn: m, args: { pos: [{ value: self, node: n }], kw: new Map(), star: false } } : m;
    }
    return UNKNOWN(this.text(n));
  }

  /** A `key=` function of sorted / min / max called on one item: its result, or undefined when not known. */
  private readonly callKey = (fn: Value, item: Value, at: SyntaxNode): Value | undefined => {
    const r = this.callValueWith(fn, at, { pos: [{ value: item, node: at }], kw: new Map(), star: false }, at);
    return r.k === 'unknown' ? undefined : r;
  };

  /** Every value bound in the module and the current scopes (for a statement that may change anything). */
  private everything(): Value[] {
    return this.scopes.flatMap((scope) => [...scope.values()]);
  }

  /** `Cls(...)`: a new instance, handed to the host when the class derives from a library class, then `__init__`. */
  private instantiate(cls: Extract<Value, { k: 'class' }>, args: Args, n: SyntaxNode): Value {
    const inst: InstValue = { k: 'inst', cls, attrs: new Map() };
    const foreign = foreignBases(cls);
    if (foreign.length) {
      const itself = this.host.adopt(inst, foreign, args, n);
      if (itself) return itself;
    }
    if (classMember(cls, '__init__')) this.callOwnMethod(inst, '__init__', args, n);
    // No __init__ of the file: the library class's own takes the arguments (keras.Model's name=, trainable=).
    else if (inst.host) this.host.callMethod(inst.host, '__init__', args, n);
    else if (!inst.host) this.initFields(inst, args, n);
    return inst;
  }

  /**
   * A class of the file without `__init__` given arguments: a `@dataclass`, a `NamedTuple` or a
   * settings class of that kind, whose annotated fields (bases' first) take the arguments in order
   * or by name. Arguments Model Lens cannot place make every field unknown.
   */
  private initFields(inst: InstValue, args: Args, n: SyntaxNode): void {
    const fields: string[] = [];
    // `x: list = field(default_factory=…)` / `field(default=…)`: the call's node, by field.
    const made = new Map<string, SyntaxNode>();
    const collect = (cls: Extract<Value, { k: 'class' }>, depth: number) => {
      if (depth > 20) return;
      for (const b of cls.bases) if (b.k === 'class') collect(b, depth + 1);
      const body = cls.node.getChild('Body');
      for (let c = body?.firstChild; c; c = c.nextSibling) {
        const [target, typeDef, , value] = children(c);
        if (c.name !== 'AssignStatement' || target?.name !== 'VariableName' || typeDef?.name !== 'TypeDef') continue;
        const name = this.raw(target);
        if (!fields.includes(name)) fields.push(name);
        if (value?.name === 'CallExpression') made.set(name, value);
        else made.delete(name);
      }
    };
    collect(inst.cls, 0);
    if (!args.pos.length && !args.kw.size && !args.star && !made.size) return;
    const placed = !args.star && args.pos.length <= fields.length && [...args.kw.keys()].every((k) => fields.includes(k));
    if (!placed) {
      for (const f of fields) inst.attrs.set(f, UNKNOWN(f));
      this.unresolved(n, `cannot tell how '${this.text(n)}' sets the fields of '${inst.cls.name}'`);
      return;
    }
    args.pos.forEach((a, i) => inst.attrs.set(fields[i]!, a.value));
    for (const [k, a] of args.kw) inst.attrs.set(k, a.value);
    for (const [f, call] of made) {
      if (inst.attrs.has(f) || this.pathOf(call.firstChild) !== 'dataclasses.field') continue;
      const list = call.getChild('ArgList');
      const given = list ? this.evalArgs(list) : undefined;
      const factory = given?.kw.get('default_factory')?.value;
      const value = factory ? this.callValueWith(factory, call, { pos: [], kw: new Map(), star: false }, call) : given?.kw.get('default')?.value;
      // A field with neither: Python's dataclass needs it as an argument (TypeError), so it stays unknown.
      inst.attrs.set(f, value ?? UNKNOWN(this.text(call)));
    }
  }

  /** The module path a callee names (`field` imported from dataclasses → 'dataclasses.field'), if it names one. */
  private pathOf(callee: SyntaxNode | null): string | undefined {
    if (!callee) return undefined;
    const v = this.eval(callee);
    return v.k === 'mod' ? v.path : undefined;
  }

  private reportUnknownCall(n: SyntaxNode, calleeNode: SyntaxNode, args: Args): Value {
    const values = [...args.pos, ...args.kw.values()].map((a) => a.value);
    if (values.some((v) => [...walkValues(v)].some((x) => x.k === 'host'))) {
      this.host.unresolved(n, `cannot tell what '${this.text(calleeNode)}' does`, values);
    }
    return UNKNOWN(this.text(n));
  }

  /**
   * Arithmetic on a one-dimensional numpy array of numbers (see Value 'seq' nd): item by item, with a
   * number or an array of the same length, as numpy broadcasts them; anything else is unknown.
   */
  private ndBinary(a: Value, op: string, b: Value, n: SyntaxNode): Value {
    const unknown = UNKNOWN(this.text(n));
    if (!['+', '-', '*', '/', '//', '%', '**'].includes(op)) return unknown;
    const len = a.k === 'seq' ? a.items.length : (b as Extract<Value, { k: 'seq' }>).items.length;
    const at = (v: Value, i: number): Value | undefined => (v.k === 'seq' ? (v.nd && v.items.length === len ? v.items[i] : undefined) : (v.k === 'py' && typeof v.v === 'number') || v.k === 'unknown' ? v : undefined);
    const items: Value[] = [];
    for (let i = 0; i < len; i++) {
      const x = at(a, i);
      const y = at(b, i);
      // A size known only when the model runs (an item of tf.shape(x)) stays that unknown item.
      const open = [x, y].find((v) => v?.k === 'unknown');
      if (open && x && y) {
        items.push(open);
        continue;
      }
      const r = x && y ? this.binary(x, op, y, n) : undefined;
      if (!r || r.k !== 'py' || typeof r.v !== 'number') return unknown;
      items.push(r);
    }
    return { k: 'seq', items, tuple: false, nd: true };
  }

  private callPyMethod(self: Value, name: string, args: Args, n: SyntaxNode): Value {
    const a0 = args.pos[0]?.value;
    if (self.k === 'seq' && self.nd) {
      // arr.astype(np.int32) / arr.tolist(): the same numbers as ints or floats / as a list.
      if (name === 'astype' && a0) return ndArray(self, a0) ?? UNKNOWN(this.text(n));
      if (name === 'tolist' && !a0) return { k: 'seq', items: [...self.items], tuple: false };
    }
    if (self.k === 'seq' && !self.tuple) {
      switch (name) {
        case 'append':
          if (!a0) break;
          this.budget.alloc(1, n);
          self.items.push(a0);
          return NONE;
        case 'extend': {
          const items = a0 ? iterate(a0) : undefined;
          if (!items) break;
          this.budget.alloc(items.length, n);
          self.items.push(...items);
          return NONE;
        }
        case 'insert': {
          const i = num(a0);
          const v = args.pos[1]?.value;
          if (i === undefined || !v) break;
          this.budget.alloc(1, n);
          self.items.splice(i < 0 ? Math.max(0, self.items.length + i) : i, 0, v);
          return NONE;
        }
        case 'pop': {
          const i = a0 ? num(a0) : -1;
          if (i === undefined || !self.items.length) break;
          return self.items.splice(i < 0 ? self.items.length + i : i, 1)[0] ?? UNKNOWN(this.text(n));
        }
        case 'remove': {
          if (a0?.k !== 'py') break;
          const i = self.items.findIndex((x) => x.k === 'py' && x.v === a0.v);
          if (i < 0) break;
          self.items.splice(i, 1);
          return NONE;
        }
        case 'clear':
          self.items.length = 0;
          return NONE;
        case 'sort': {
          // As sorted(l, key=, reverse=), in place.
          if (args.pos.length) break;
          const sorted = callBuiltin('builtins.sorted', { pos: [{ value: self, node: n }], kw: args.kw, star: args.star }, this.budget, n, this.callKey);
          if (sorted?.k !== 'seq') break;
          self.items.splice(0, self.items.length, ...sorted.items);
          return NONE;
        }
        case 'copy':
          this.budget.alloc(self.items.length, n);
          return { k: 'seq', items: [...self.items], tuple: false };
        case 'reverse':
          self.items.reverse();
          return NONE;
        case 'index': {
          if (a0?.k !== 'py') break;
          const i = self.items.findIndex((x) => x.k === 'py' && x.v === a0.v);
          return i >= 0 ? py(i) : UNKNOWN(this.text(n));
        }
      }
    }
    if (self.k === 'dict') {
      switch (name) {
        case 'get': {
          if (a0?.k !== 'py') break;
          return self.entries.get(String(a0.v)) ?? args.pos[1]?.value ?? NONE;
        }
        case 'keys':
        case 'values':
        case 'items': {
          this.budget.alloc(self.entries.size * (name === 'items' ? 3 : 1), n);
          const items: Value[] = [...self.entries].map(([k, v]) =>
            name === 'keys' ? dictKey(self, k) : name === 'values' ? v : { k: 'seq', items: [dictKey(self, k), v], tuple: true },
          );
          return { k: 'seq', items, tuple: false };
        }
        case 'update': {
          if ((a0 && a0.k !== 'dict') || args.star || args.pos.length > 1) break;
          if (a0?.k === 'dict') for (const [k, v] of a0.entries) setDictKey(self, dictKey(a0, k) as Value & { k: 'py' }, v);
          for (const [k, a] of args.kw) self.entries.set(k, a.value);
          return NONE;
        }
        case 'copy':
          return { k: 'dict', entries: new Map(self.entries) };
        case 'pop': {
          if (a0?.k !== 'py') break;
          const v = self.entries.get(String(a0.v)) ?? args.pos[1]?.value;
          self.entries.delete(String(a0.v));
          return v ?? UNKNOWN(this.text(n));
        }
        case 'setdefault': {
          if (a0?.k !== 'py') break;
          const key = String(a0.v);
          if (!self.entries.has(key)) self.entries.set(key, args.pos[1]?.value ?? NONE);
          return self.entries.get(key)!;
        }
      }
    }
    // A number made by tf / numpy helpers on constants (tf.reduce_prod(shape)) is a scalar tensor or
    // numpy number: .numpy() and .item() give its value.
    if (self.k === 'py' && typeof self.v === 'number' && (name === 'numpy' || name === 'item') && !args.pos.length && !args.kw.size) return self;
    if (self.k === 'py' && typeof self.v === 'string') {
      const s = self.v;
      switch (name) {
        case 'upper':
          return py(s.toUpperCase());
        case 'lower':
          return py(s.toLowerCase());
        case 'strip':
          return py(s.trim());
        case 'join': {
          const items = a0 ? iterate(a0) : undefined;
          if (!items || !items.every((i) => i.k === 'py' && typeof i.v === 'string')) break;
          const out = items.map((i) => (i as { v: string }).v).join(s);
          this.budget.alloc(out.length / 16, n);
          return py(out);
        }
        case 'format': {
          let i = 0;
          let ok = true;
          const out = s.replace(/\{([^{}]*)\}/g, (_m, key: string) => {
            const [field, spec] = key.split(':') as [string, string | undefined];
            const v = field === '' ? args.pos[i++]?.value : /^\d+$/.test(field) ? args.pos[Number(field)]?.value : args.kw.get(field)?.value;
            const f = v?.k === 'py' ? formatValue(v.v, spec ?? '', isFloat(v)) : undefined;
            if (f === undefined) ok = false;
            return f ?? '';
          });
          if (!ok) break;
          this.budget.alloc(out.length / 16, n);
          return py(out);
        }
        case 'split': {
          const sep = a0?.k === 'py' && typeof a0.v === 'string' ? a0.v : undefined;
          const parts = sep === undefined ? s.trim().split(/\s+/) : s.split(sep);
          this.budget.alloc(parts.length, n);
          return { k: 'seq', items: parts.map((p) => py(p)), tuple: false };
        }
        case 'startswith':
        case 'endswith': {
          if (a0?.k !== 'py' || typeof a0.v !== 'string') break;
          return py(name === 'startswith' ? s.startsWith(a0.v) : s.endsWith(a0.v));
        }
      }
    }
    // A method that may change a container holding library objects (e.g. a list of layers).
    if ((self.k === 'seq' || self.k === 'dict') && [...walkValues(self)].some((v) => v.k === 'host') && !['count', 'index', 'get'].includes(name)) {
      this.host.unresolved(n, `cannot follow '.${name}(...)' on this list`, [self]);
    }
    // A list or dict of the file changed by a call not followed: unknown from here on.
    if (((self.k === 'seq' && !self.tuple) || self.k === 'dict') && MUTATORS.has(name)) forget(self, this.text(n));
    return UNKNOWN(this.text(n));
  }

  /** Calls a function of the file: binds its parameters (defaults, *args, **kwargs) and runs its body. */
  callFunction(f: Extract<Value, { k: 'func' }>, args: Args, n: SyntaxNode, self?: Value): Value {
    if (this.callDepth >= this.budget.limits.callDepth) {
      throw new BudgetExceeded(
        'callDepth',
        n,
        `Model Lens stopped reading here: functions call each other more than ${this.budget.limits.callDepth} levels deep (recursion?); Model Lens follows calls without running them`,
      );
    }
    const scope: Scope = new Map();
    const params = f.node.getChild('ParamList');
    const pos = self ? [{ value: self, node: n } as Arg, ...args.pos] : [...args.pos];
    const usedKw = new Set<string>();
    let i = 0;
    let kwOnly = false;
    if (params) {
      const kids = children(params);
      for (let j = 0; j < kids.length; j++) {
        const c = kids[j]!;
        if (c.name === '*' || c.name === '**') {
          const nameNode = kids[j + 1]?.name === 'VariableName' ? kids[++j]! : undefined;
          if (c.name === '*') {
            kwOnly = true;
            if (nameNode) {
              const rest = pos.slice(i).map((a) => a.value);
              i = pos.length;
              scope.set(this.raw(nameNode), args.star ? UNKNOWN(this.raw(nameNode)) : { k: 'seq', items: rest, tuple: true });
            }
          } else if (nameNode) {
            const entries = new Map<string, Value>();
            for (const [k, a] of args.kw) if (!usedKw.has(k)) entries.set(k, a.value);
            scope.set(this.raw(nameNode), args.star ? UNKNOWN(this.raw(nameNode)) : { k: 'dict', entries });
          }
          continue;
        }
        if (c.name !== 'VariableName') continue;
        const name = this.raw(c);
        let def: Value | undefined;
        if (kids[j + 1]?.name === 'TypeDef') j++;
        if (kids[j + 1]?.name === 'AssignOp' && kids[j + 2]) {
          def = f.defaults?.get(name) ?? this.eval(kids[j + 2]!);
          j += 2;
        }
        const kw = args.kw.get(name);
        if (kw) usedKw.add(name);
        // f(1, x=2) for def f(x): Python's TypeError (the self of a method is never given by keyword).
        if (kw && !kwOnly && i < pos.length && !(self && i === 0)) typeError(n, `${f.name}() got multiple values for argument '${name}'`);
        const given = kw?.value ?? (kwOnly ? undefined : pos[i]?.value);
        if (!kwOnly) i++;
        scope.set(name, given ?? def ?? UNKNOWN(name));
      }
    }
    const saved = this.scopes;
    this.scopes = [...f.closure, scope];
    this.callDepth++;
    const frame: Frame = { owner: f.owner, first: pos[0]?.value };
    this.frames.push(frame);
    let result: Value;
    try {
      if (f.node.name === 'LambdaExpression') {
        const body = children(f.node).pop();
        return body ? this.eval(body) : NONE;
      }
      const body = f.node.getChild('Body');
      if (!body) return UNKNOWN(this.text(n));
      // A generator: Python runs its body only as it is iterated, which Model Lens does not follow.
      if (this.isGenerator(body)) return UNKNOWN(this.text(n));
      this.execBlock(body);
      result = NONE;
    } catch (e) {
      if (e instanceof ReturnSignal) result = e.value;
      else if (e instanceof BreakSignal || e instanceof ContinueSignal) result = NONE;
      else throw e;
    } finally {
      this.callDepth--;
      this.scopes = saved;
      this.frames.pop();
    }
    if (f.firstResult) result = result.k === 'seq' && result.items.length === 2 ? result.items[0]! : UNKNOWN(this.text(n));
    if (!frame.uncertain) return result;
    // What it gives is a guess: a constant is unknown; a model or layer is in doubt there.
    if ([...walkValues(result)].every((x) => x.k === 'py' || x.k === 'seq' || x.k === 'dict')) return UNKNOWN(this.text(n));
    this.host.unresolved(n, `${frame.uncertain}; what '${this.text(n)}' gives may differ`, [result]);
    return result;
  }

  private readonly generators = new WeakMap<SyntaxNode, boolean>();

  /** Whether a function body yields (its own `yield`, not one of a function defined in it). */
  private isGenerator(body: SyntaxNode): boolean {
    let known = this.generators.get(body);
    if (known === undefined) {
      known = false;
      const cursor = body.cursor();
      const end = body.to;
      let more = cursor.firstChild();
      while (more && cursor.from < end) {
        if (cursor.name === 'YieldStatement' || cursor.name === 'YieldExpression') {
          known = true;
          break;
        }
        const skip = cursor.name === 'FunctionDefinition' || cursor.name === 'ClassDefinition' || cursor.name === 'LambdaExpression';
        more = cursor.next(!skip);
      }
      this.generators.set(body, known);
    }
    return known;
  }

  /** The functions of the file being read, innermost last. */
  private readonly frames: Frame[] = [];
}

/** Python's `'block%d_conv%d' % (1, 2)` for the common conversions (d i s r f e x %); undefined otherwise. */
export function percentFormat(fmt: string, args: (number | string | boolean | null)[], floats: boolean[] = []): string | undefined {
  let k = 0;
  let bad = false;
  const out = fmt.replace(/%([-0]?)(\d*)(?:\.(\d+))?([diuxsrfe%])/g, (_m, flag: string, width: string, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (k >= args.length) return ((bad = true), '');
    const float = floats[k] === true;
    const v = args[k++]!;
    let s: string | undefined;
    if (conv === 's' || conv === 'r') s = formatValue(v, '', float);
    else if (typeof v !== 'number' && typeof v !== 'boolean') s = undefined;
    else if (conv === 'x') s = Math.trunc(Number(v)).toString(16);
    else s = formatValue(conv === 'f' || conv === 'e' ? Number(v) : Math.trunc(Number(v)), `${prec !== undefined ? `.${prec}` : ''}${conv === 'f' || conv === 'e' ? conv : ''}`);
    if (s === undefined) return ((bad = true), '');
    if (conv === 'r' && typeof v === 'string') s = `'${s}'`;
    if (width) s = flag === '-' ? s.padEnd(Number(width)) : flag === '0' ? s.padStart(Number(width), '0') : s.padStart(Number(width));
    return s;
  });
  return bad || k !== args.length ? undefined : out;
}

/** A set's items: each value once (`{1, 1, 2}` has two; 1, 1.0 and True are one in Python), objects by identity. */
function distinct(items: Value[]): Value[] {
  const seen = new Set<unknown>();
  const out: Value[] = [];
  for (const v of items) {
    const key = v.k === 'py' ? (typeof v.v === 'boolean' ? Number(v.v) : typeof v.v === 'string' ? `s:${v.v}` : v.v) : v.k === 'host' ? v.h : v;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** The same constant, module path or function of the file. */
function sameValue(a: Value, b: Value): boolean {
  if (a.k === 'mod' && b.k === 'mod') return a.path === b.path;
  if (a.k === 'func' && b.k === 'func') return a.node === b.node;
  if (a.k === 'py' && b.k === 'py') return a.v === b.v && !!a.f === !!b.f;
  return constEqual(a, b) === true;
}

/** Equality of two constants (numbers, strings, nested tuples/lists); undefined when not constants. */
function constEqual(a: Value, b: Value): boolean | undefined {
  if (a.k === 'py' && b.k === 'py') return a.v === b.v || (typeof a.v !== 'string' && typeof b.v !== 'string' && Number(a.v) === Number(b.v));
  if (a.k === 'seq' && b.k === 'seq') {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const e = constEqual(a.items[i]!, b.items[i]!);
      if (e !== true) return e;
    }
    return true;
  }
  return undefined;
}
