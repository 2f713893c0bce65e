// The Python evaluator alone, with a stand-in host that records what it is handed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyntaxNode } from '@lezer/common';
import { Budget, BudgetExceeded, DEFAULT_LIMITS, type Limits } from '../../../src/core/python/budget';
import { Evaluator } from '../../../src/core/python/evaluator';
import type { Host } from '../../../src/core/python/host';
import { parsePython } from '../../../src/core/python/syntax';
import { UNKNOWN, type Value } from '../../../src/core/python/values';

interface Recorder extends Host {
  calls: string[];
  unresolvedAt: string[];
}

function recorder(src: string): Recorder {
  const calls: string[] = [];
  const unresolvedAt: string[] = [];
  return {
    calls,
    unresolvedAt,
    canonical: (p) => p,
    providesGlobal: () => false,
    callPath: (path, args) => {
      calls.push(`${path}(${args.pos.map((a) => JSON.stringify(a.value.k === 'py' ? a.value.v : a.value.k)).join(', ')})`);
      return { k: 'host', h: { kind: 'thing' } };
    },
    call: () => UNKNOWN('call'),
    attribute: () => UNKNOWN('attr'),
    callMethod: () => UNKNOWN('method'),
    subscript: () => UNKNOWN('sub'),
    binary: () => UNKNOWN('bin'),
    setAttribute: () => undefined,
    adopt: () => undefined,
    attach: () => undefined,
    bound: () => undefined,
    unresolved: (at: SyntaxNode) => void unresolvedAt.push(src.slice(at.from, at.to)),
  };
}

function run(src: string, limits: Limits = DEFAULT_LIMITS): { ev: Evaluator; host: Recorder; get: (name: string) => unknown } {
  const parsed = parsePython(src);
  const host = recorder(parsed.src);
  const ev = new Evaluator(parsed.src, host, new Budget(limits), parsed.errorOffsets);
  ev.run(parsed.tree.topNode);
  const plain = (v: Value | undefined): unknown =>
    !v ? undefined : v.k === 'py' ? v.v : v.k === 'seq' ? v.items.map(plain) : v.k === 'dict' ? Object.fromEntries([...v.entries].map(([k, x]) => [k, plain(x)])) : `<${v.k}>`;
  return { ev, host, get: (name) => plain(ev.module.get(name)) };
}

describe('python evaluator', () => {
  it('folds constants, f-strings, math and numpy helpers', () => {
    const { get } = run(
      'import math\nimport numpy as np\nn = 3\ns = f"conv{n}_{n*2:03d}"\nc = math.ceil(7 / 2)\np = np.prod((2, 3, 4))\ni = int(28 * 0.5)\nx = 2 ** 10 // 3 % 7\nb = not (n > 2 and n < 5)\n',
    );
    assert.equal(get('s'), 'conv3_006');
    assert.equal(get('c'), 4);
    assert.equal(get('p'), 24);
    assert.equal(get('i'), 14);
    assert.equal(get('x'), (2 ** 10 / 3 | 0) % 7);
    assert.equal(get('b'), false);
  });

  it("formats strings with %: 'block%d_conv%d' % (1, 2), '%s' % name, '%03d', '%.2f', '%%'", () => {
    const { get } = run('a = "block%d_conv%d" % (1, 2)\nb = "dense_%s" % "x"\nc = "%03d|%-3s|%.2f|%%" % (7, "ab", 0.5)\nd = "%d %d" % (1,)\n');
    assert.equal(get('a'), 'block1_conv2');
    assert.equal(get('b'), 'dense_x');
    assert.equal(get('c'), '007|ab |0.50|%');
    assert.equal(get('d'), '<unknown>'); // too few values: Python raises, the reader does not guess
  });

  it('follows functions with defaults, *args, **kwargs, keyword-only parameters and closures', () => {
    const { get } = run(
      'def f(a, b=2, *rest, k=10, **kw):\n    return [a, b, list(rest), k, kw]\nr1 = f(1)\nr2 = f(1, 3, 4, 5, k=6, z=7)\nargs = (1, 2)\nr3 = f(*args, **{"k": 0})\ndef outer(n):\n    def inner():\n        return n * 2\n    return inner()\nr4 = outer(21)\nsq = lambda v: v * v\nr5 = sq(9)\n',
    );
    assert.deepEqual(get('r1'), [1, 2, [], 10, {}]);
    assert.deepEqual(get('r2'), [1, 3, [4, 5], 6, { z: 7 }]);
    assert.deepEqual(get('r3'), [1, 2, [], 0, {}]);
    assert.equal(get('r4'), 42);
    assert.equal(get('r5'), 81);
  });

  it('reads comments inside calls, continuations, trailing commas, unpacking, decorators and __main__', () => {
    const { get, host } = run(
      'import lib\nq = 1; r = q + 1\n@decorator\ndef build(units: int = 4) -> None:\n    return lib.Make(units,  # a comment\n        \\\n        size=2,  # another\n    )\nbase = {"a": 1}\nd = {**base, "b": 2}\nl = [*[1, 2], 3,]\nfirst, *_ = l\nif __name__ == "__main__":\n    m = build()\n',
    );
    assert.deepEqual(get('d'), { a: 1, b: 2 });
    assert.deepEqual(get('l'), [1, 2, 3]);
    assert.equal(get('first'), 1);
    assert.equal(get('r'), 2); // two statements on one line
    assert.deepEqual(host.calls, ['lib.Make(4)']);
  });

  it('runs loops with break/continue and while loops, and tells the host what it cannot work out', () => {
    const { get, host } = run(
      'import lib\nout = []\nfor i in range(10):\n    if i % 2:\n        continue\n    if i > 6:\n        break\n    out.append(i)\nn = 0\nwhile n < 5:\n    n += 1\nfor f in lib.files():\n    out.append(f)\n',
    );
    assert.deepEqual(get('out'), [0, 2, 4, 6]);
    assert.equal(get('n'), 5);
    assert.deepEqual(host.unresolvedAt, ['lib.files()']);
  });

  it('follows classes of the file: __init__, attributes, methods, inheritance', () => {
    const { get } = run(
      'class Base:\n    scale = 2\n    def __init__(self, n):\n        self.n = n\n    def size(self):\n        return self.n * self.scale\nclass Big(Base):\n    scale = 10\nb = Big(3)\ns = b.size()\nn = b.n\n',
    );
    assert.equal(get('s'), 30);
    assert.equal(get('n'), 3);
  });

  const small: Limits = { ...DEFAULT_LIMITS, steps: 20_000, items: 1000, cells: 5000, callDepth: 10 };
  const stops = (src: string, limit: string, line: number) => {
    const parsed = parsePython(src);
    const ev = new Evaluator(parsed.src, recorder(parsed.src), new Budget(small));
    assert.throws(
      () => ev.run(parsed.tree.topNode),
      (e: unknown) => e instanceof BudgetExceeded && e.limit === limit && parsed.src.slice(0, e.at.from).split('\n').length === line,
    );
  };

  it('stops at the line where the budget runs out', () => {
    stops('r = range(100)\nfor a in r:\n    for b in r:\n        for c in r:\n            y = a\n', 'steps', 5);
    stops('x = 1\nfor a in range(1000):\n    for b in range(1000):\n        y = [0] * 10\n', 'cells', 4);
    stops('def f(n):\n    return f(n + 1)\nf(0)\n', 'callDepth', 2);
    stops("a = 1\nbig = ['x'] * 10**8\n", 'items', 2);
    stops('r = list(range(10**9))\n', 'items', 1);
    stops('s = "ab"\nfor i in range(40):\n    s = s + s\n', 'items', 3);
    stops('x = ' + '('.repeat(400) + '1' + ')'.repeat(400) + '\n', 'nesting', 1);
  });
});

describe('python evaluator: scopes, raise, partial', () => {
  it('round and np.round halve to even; // and % floor as Python does', () => {
    const { get } = run('import numpy as np\na = round(2.5)\nb = round(3.5)\nc = np.round(4.5)\nd = -7 // 2\ne = -7 % 3\n');
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map(get), [2, 4, 4, -4, 2]);
  });

  it('annotated assignments and the walrus operator bind their names', () => {
    const { get, host } = run('UNITS: int = 16\nif (n := UNITS // 2) > 1:\n    k = n * 3\n');
    assert.deepEqual([get('UNITS'), get('n'), get('k')], [16, 8, 24]);
    assert.deepEqual(host.unresolvedAt, []);
  });

  it('a @dataclass or NamedTuple of settings takes its arguments in field order or by name (defaults kept)', () => {
    const { get, host } = run(
      'from dataclasses import dataclass\nfrom typing import NamedTuple\n@dataclass\nclass Config:\n    units: int = 64\n    depth: int = 2\n    act: str = "relu"\nclass P(NamedTuple):\n    w: int\n    h: int = 3\na = Config(depth=3)\nb = Config(8, 1)\np = P(5)\nx = [a.units, a.depth, b.units, b.depth, b.act, p.w, p.h]\n',
    );
    assert.deepEqual(get('x'), [64, 3, 8, 1, 'relu', 5, 3]);
    assert.deepEqual(host.unresolvedAt, []);
  });

  it('sorted(reverse=True) is followed; key= and default= are not, so the value is unknown rather than computed without them', () => {
    const { get, host } = run('a = sorted([3, 1, 2], reverse=True)\nb = sorted([3, 1, 2], key=lambda v: -v)\nc = max([1, 5, 3], key=lambda v: -v)\nd = max([1, 5, 3])\n');
    assert.deepEqual([get('a'), get('d')], [[3, 2, 1], 5]);
    // Not worked out by the evaluator: handed on as calls it does not know (the stand-in host answers them).
    assert.deepEqual(host.calls.map((c) => c.split('(')[0]), ['builtins.sorted', 'builtins.max']);
  });

  it('while … else and starred unpacking, as Python (found by running the same programs in Python)', () => {
    const { get } = run('x = 0\nwhile x < 10:\n    x += 3\nelse:\n    x = -x\ny = 0\nwhile True:\n    y += 1\n    break\nelse:\n    y = 99\nfirst, *mid, last = [1, 2, 3, 4]\n(a, *b) = (5,)\n');
    assert.deepEqual(['x', 'y', 'first', 'mid', 'last', 'a', 'b'].map(get), [-12, 1, 1, [2, 3], 4, 5, []]);
  });

  it('defaults are evaluated where the function is defined; list remove/sort/clear, slice assignment and del change the list (checked against Python)', () => {
    const { get } = run(
      'x = 10\ndef h(x=x, acc=[]):\n    acc.append(1)\n    return [x, len(acc)]\nx = 20\nh()\na = h()\nl = [1, 2, 3, 4, 5]\nl.remove(3)\ndel l[0]\nl.sort(reverse=True)\nm = [1, 2, 3, 4]\nm[1:3] = [7]\nd = {"a": 1, "b": 2}\ndel d["a"]\nk = [9]\nk.clear()\n',
    );
    assert.deepEqual(['a', 'l', 'm', 'd', 'k'].map(get), [[10, 2], [5, 4, 2], [1, 7, 4], { b: 2 }, []]);
  });

  it('global and nonlocal bind in the module and the enclosing function', () => {
    const { get } = run('n = 0\ndef bump():\n    global n\n    n += 2\nbump()\ndef outer():\n    k = 1\n    def inner():\n        nonlocal k\n        k = 5\n    inner()\n    return k\nm = outer()\n');
    assert.equal(get('n'), 2);
    assert.equal(get('m'), 5);
  });

  it('functools.partial: the fixed arguments first, keywords overridden by the call', () => {
    const { get } = run('from functools import partial\ndef f(a, b, c=0):\n    return a * 100 + b * 10 + c\ng = partial(f, 1, c=3)\nx = g(2)\ny = g(2, c=4)\n');
    assert.equal(get('x'), 123);
    assert.equal(get('y'), 124);
  });

  it('raise leaves the function; a raise in a try block is told to the host', () => {
    const { get, host } = run('def f(k):\n    if k == 1:\n        return 10\n    raise ValueError(k)\n    return 20\na = f(1)\ntry:\n    b = 1\n    raise KeyError("x")\n    b = 2\nexcept KeyError:\n    b = 3\n');
    assert.equal(get('a'), 10);
    assert.equal(get('b'), 1);
    assert.deepEqual(host.unresolvedAt, ['raise KeyError("x")']);
  });
});
