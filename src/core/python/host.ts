/**
 * The narrow interface between the Python evaluator and the library semantics on top of it (the
 * Keras reader). The evaluator does Python — names, scopes, constants, containers, control flow,
 * the file's own functions — and hands every library object and call to the host.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Args, HostObject, InstValue, Value } from './values';

/** One item of a subscript: `x[i]` or `x[a:b:c]` (missing bounds are undefined). */
export type IndexItem = { k: 'at'; value: Value; node: SyntaxNode } | { k: 'slice'; start?: Value; stop?: Value; step?: Value };

export interface Host {
  /** The canonical spelling of a module path (`tensorflow.keras.layers` → `keras.layers`). */
  canonical(path: string): string;
  /** Whether `from M import *` brings in `path` (a name the file then uses unqualified). */
  providesGlobal(path: string): boolean;
  /** A call of a module attribute that is not a Python builtin, e.g. `keras.layers.Dense(10)`. */
  callPath(path: string, args: Args, at: SyntaxNode): Value;
  /** A call of a host object, e.g. a layer applied to a tensor. */
  call(obj: HostObject, args: Args, at: SyntaxNode): Value;
  attribute(obj: HostObject, name: string, at: SyntaxNode): Value;
  callMethod(obj: HostObject, name: string, args: Args, at: SyntaxNode): Value;
  subscript(obj: HostObject, index: IndexItem[], at: SyntaxNode): Value;
  /** `a op b` where at least one side is a host object. */
  binary(a: Value, op: string, b: Value, at: SyntaxNode): Value;
  /** `obj.name = value` on a host object. */
  setAttribute(obj: HostObject, name: string, value: Value, at: SyntaxNode): void;
  /**
   * A new instance of a class of the file that derives from a library class (a path or host
   * object), before its `__init__` runs: the host may attach its own object (`inst.host`), or
   * return the library object the instance simply is (then no `__init__` of the file runs).
   */
  adopt(inst: InstValue, bases: Value[], args: Args, at: SyntaxNode): Value | void;
  /** Gives the host the evaluator, to call methods the file's classes define. */
  attach(runtime: Runtime): void;
  /** A name was bound (for the variable a model is known by). */
  bound(name: string, value: Value, moduleLevel: boolean): void;
  /**
   * A statement the evaluator could not work out (a loop over unknown data, a condition it cannot
   * decide, a call of an unknown function); `mentions` are the values of the names it uses. The
   * host decides whether that leaves one of its objects incomplete.
   */
  unresolved(at: SyntaxNode, reason: string, mentions: Value[]): void;
  /** Something the reader assumed that the user should know (shown as a warning at the line). */
  warn?(at: SyntaxNode, message: string): void;
  /** Python truthiness of a host object (`if activation:` given a layer), or undefined when it cannot be told. */
  truth?(obj: HostObject): boolean | undefined;
  /**
   * `a, b, c = obj`: the items of a host object unpacked into `count` names (a model's several
   * outputs, called on data), or undefined when the host cannot tell them.
   */
  unpack?(obj: HostObject, count: number): Value[] | undefined;
  /** `isinstance(obj, cls)` for a host object: true/false when the library's classes decide it, else undefined. */
  isInstance?(obj: HostObject, cls: Value): boolean | undefined;
  /**
   * A loop over a host object whose items the evaluator cannot list (a batched tf.data dataset):
   * one item that stands for every one of them (a symbolic batch), or undefined. `repeats`: the
   * item count of the innermost `for … in range(n)` loop around it (a training loop's epochs).
   */
  loopItem?(obj: HostObject, at: SyntaxNode, repeats?: number): Value | undefined;
  /** A text that changes whenever the host's objects change (models, layers, gaps, diagnostics). */
  fingerprint?(): string;
  /**
   * A loop read once for all its items changed what the host made when read again (see
   * `loopItem`): whatever changed may differ after the many passes Python makes.
   */
  changedOnRepeat?(before: string, at: SyntaxNode, reason: string): void;
  /**
   * A method that changes nothing of the object it is called on, nor hands out a part of it
   * (`model.predict`, `model.summary`): a name used only as the receiver of such a call is not
   * something a statement the evaluator cannot follow may change.
   */
  readsOnly?(method: string): boolean;
  /**
   * An attribute whose value is plain data, no part of the object (`model.metrics_names`): a name
   * only read through it, and not assigned to, is not something such a statement may change.
   */
  readsOnlyAttribute?(name: string): boolean;
  /** A mark of what the host has made so far (see `unresolvedSince`). */
  checkpoint?(): number;
  /** Everything the host made since `mark` was made under a statement it could not work out (`unresolved`). */
  unresolvedSince?(mark: number, at: SyntaxNode, reason: string): void;
}

/** What the evaluator offers the host. */
export interface Runtime {
  /** Calls a method that the instance's class (of the file) defines; undefined when it defines none. */
  callOwnMethod(inst: InstValue, name: string, args: Args, at: SyntaxNode): Value | undefined;
  /** Calls a function or lambda of the file with these arguments; undefined when `fn` is not one. */
  callValue(fn: Value, args: Value[], at: SyntaxNode): Value | undefined;
  /** Source text of a node, whole. */
  source(node: { from: number; to: number }): string;
}
