/**
 * Python's `argparse`, read as the script run with no command-line arguments: `parse_args()` gives
 * each option its default (argparse's rules: `dest` from the first long option, `store_true` →
 * False, a string default converted by `type=`). An option Python would need on the command line
 * (a positional argument, `required=True`) or anything not followed (sub-commands, `**kwargs`) is
 * unknown, never guessed. The evaluator says at `parse_args()` that defaults were taken.
 */
import type { SyntaxNode } from '@lezer/common';
import { iterate } from './builtins';
import { py, pyf, str, UNKNOWN, type Args, type Value } from './values';

/** One parser and its argument groups share this. */
export interface ParserState {
  /** dest → the value a run with no arguments gives (unknown when Python would need one). */
  readonly values: Map<string, Value>;
  /** Something was not followed: every value is unknown. */
  lost?: string;
}

export function newParser(): ParserState {
  return { values: new Map() };
}

/** `dest` as argparse derives it: `--hidden-size` → hidden_size, `-n` → n, `units` → units. */
function destOf(names: string[]): string | undefined {
  const long = names.find((s) => s.startsWith('--'));
  const short = names.find((s) => s.startsWith('-'));
  const chosen = long ?? short ?? names[0];
  return chosen?.replace(/^-+/, '').replace(/-/g, '_');
}

/** A string default converted by `type=int` / `type=float`, as argparse does; other types leave it as written. */
function converted(value: Value, type: Value | undefined): Value {
  const s = str(value);
  if (s === undefined || type?.k !== 'mod') return value;
  if (type.path === 'builtins.int') return /^\s*[-+]?\d+\s*$/.test(s) ? py(Number(s)) : UNKNOWN(s);
  if (type.path === 'builtins.float') return Number.isNaN(Number(s)) ? UNKNOWN(s) : pyf(Number(s));
  return value;
}

export function addArgument(state: ParserState, args: Args, text: (n: SyntaxNode) => string, at: SyntaxNode): void {
  const names = args.pos.map((a) => str(a.value));
  if (args.star || !names.length || names.some((n) => n === undefined)) {
    state.lost = `cannot tell which option '${text(at)}' adds`;
    return;
  }
  const kw = (k: string) => args.kw.get(k)?.value;
  const action = str(kw('action') ?? py('store'));
  if (action === 'help' || action === 'version') return;
  const dest = str(kw('dest') ?? py(destOf(names as string[]) ?? '')) || undefined;
  if (!dest) {
    state.lost = `cannot tell the name '${text(at)}' stores its value under`;
    return;
  }
  const positional = !(names as string[]).some((n) => n.startsWith('-'));
  const nargs = str(kw('nargs') ?? py(null));
  const required = kw('required');
  const needed = (positional && nargs !== '?' && nargs !== '*') || (required?.k === 'py' && required.v === true);
  if (needed) {
    state.values.set(dest, UNKNOWN(`${dest} (given on the command line)`));
    return;
  }
  const given = kw('default');
  if (given?.k === 'mod' && given.path === 'argparse.SUPPRESS') {
    state.values.set(dest, UNKNOWN(dest));
    return;
  }
  const fallback = action === 'store_true' ? py(false) : action === 'store_false' ? py(true) : py(null);
  const value = given ?? fallback;
  // nargs='+' / '*' with a list default, or a plain default: as written; a string default goes through type=.
  state.values.set(dest, value.k === 'seq' ? value : converted(value, kw('type')));
}

/** `parser.set_defaults(units=64)`: overrides the options' defaults. */
export function setDefaults(state: ParserState, args: Args): void {
  for (const [k, a] of args.kw) state.values.set(k, a.value);
  if (args.pos.length || args.star) state.lost = 'set_defaults() given values Model Lens cannot place';
}

/**
 * What `parse_args()` / `parse_args([])` gives, as attribute values; undefined when it cannot be told
 * (arguments given as a list that is not empty, or something not followed).
 */
export function parsedValues(state: ParserState, args: Args): Map<string, Value> | undefined {
  const list = (args.pos[0] ?? args.kw.get('args'))?.value;
  const items = list ? (list.k === 'py' && list.v === null ? [] : iterate(list)) : [];
  if (state.lost || !items || items.length) return undefined;
  return new Map(state.values);
}
