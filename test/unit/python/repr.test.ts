// pyRepr (values.ts): a value in a message as Python's repr shows it. The expected texts are what
// CPython 3.11's repr() prints for the same values (run by hand: python3 -c "print(repr((3,)))" …),
// not Model Lens's own output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';
import { NONE, py, pyf, pyRepr, UNKNOWN, type Value } from '../../../src/core/python/values';

const tuple = (...items: Value[]): Value => ({ k: 'seq', items, tuple: true });
const list = (...items: Value[]): Value => ({ k: 'seq', items, tuple: false });

describe('pyRepr', () => {
  it('writes constants as repr() does', () => {
    // repr(None), repr(True), repr(64), repr(2.0), repr(0.5), repr(1e-05), repr(1e16)
    assert.deepEqual([NONE, py(true), py(64), pyf(2), pyf(0.5), pyf(1e-5), pyf(1e16)].map((v) => pyRepr(v)), ['None', 'True', '64', '2.0', '0.5', '1e-05', '1e+16']);
  });

  it('quotes strings as repr() does', () => {
    // repr('adam') → 'adam'; repr("it's") → "it's"; repr('say "hi"') → 'say "hi"';
    // repr('both \' and "') → 'both \' and "'; repr('a\\b\nc\t') → 'a\\b\nc\t'; repr('\x01') → '\x01'
    const texts = ['adam', "it's", 'say "hi"', `both ' and "`, 'a\\b\nc\t', '\x01'];
    assert.deepEqual(texts.map((t) => pyRepr(py(t))), [`'adam'`, `"it's"`, `'say "hi"'`, `'both \\' and "'`, `'a\\\\b\\nc\\t'`, `'\\x01'`]);
  });

  it('writes containers as repr() does: a one-item tuple keeps its comma', () => {
    // repr((3,)) → (3,); repr(()) → (); repr([1, [2, (3,)]]) → [1, [2, (3,)]]; repr({'a': 1, 2: 'x'}) → {'a': 1, 2: 'x'}; repr(...) → Ellipsis
    const dict: Value = { k: 'dict', entries: new Map([['a', py(1)], ['2', py('x')]]), keys: new Map([['2', py(2)]]) };
    assert.deepEqual([tuple(py(3)), tuple(), list(py(1), list(py(2), tuple(py(3)))), dict, { k: 'ellipsis' } as Value].map((v) => pyRepr(v)), ['(3,)', '()', '[1, [2, (3,)]]', "{'a': 1, 2: 'x'}", 'Ellipsis']);
  });

  it('says values without a known repr through the caller, and stops at a list that holds itself', () => {
    assert.equal(pyRepr(list(UNKNOWN('n'), { k: 'host', h: { kind: 'layer' } })), '[?, …]');
    assert.equal(pyRepr(list(UNKNOWN('n')), (v) => (v.k === 'unknown' ? v.text : v.k)), '[n]');
    const self = { k: 'seq', items: [py(2)], tuple: false } as Extract<Value, { k: 'seq' }>;
    self.items.push(self);
    assert.equal(pyRepr(self), '[2, [2, [2, …]]]');
  });
});

describe('values in the reader messages are written as Python writes them', () => {
  const all = (src: string): Diagnostic[] => {
    const r = readModel('m.py', src);
    return [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
  };

  it('the note at parse_args() writes a one-item tuple default with its comma and a quote in a string default', () => {
    const ds = all(`import argparse\nimport keras\np = argparse.ArgumentParser()\np.add_argument("--k", default=(3,))\np.add_argument("--q", default="it's")\na = p.parse_args()\nx = keras.Input(shape=(a.k[0],))\nm = keras.Model(x, keras.layers.Dense(2)(x))\n`);
    assert.ok(ds.some((d) => d.message.includes(`(k=(3,), q="it's")`)), ds.map((d) => d.message).join(' | '));
  });

  it("an index Model Lens cannot read is written as Python's float or bool, not as a JavaScript number", () => {
    const ds = all(`import keras\nx = keras.Input(shape=(4, 2))\ny = x[2.0]\nz = x[True]\n`);
    const said = ds.map((d) => d.message).join(' | ');
    assert.ok(ds.some((d) => d.range.line === 3 && d.message.includes('cannot work out the index 2.0 ')), said);
    assert.ok(ds.some((d) => d.range.line === 4 && d.message.includes('cannot work out the index True ')), said);
  });
});
