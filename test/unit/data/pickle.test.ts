import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../../src/core/data/errors';
import { readPickle, type PickledArray } from '../../../src/core/data/pickle';
import { cifarBatch } from '../../../src/core/data/cifar';
import { cifarBatchPickle, pickle, PickleWriter } from './make-pickle';

const refused = (pattern: RegExp) => (e: unknown) => e instanceof DataError && e.code === 'refused' && pattern.test(e.message) && /evil\.pkl/.test(e.message);

test('plain data: dicts, lists, ints of every width, str, bytes, None', () => {
  const v = readPickle(pickle({ dict: [['a', [1, 300, 70000, -5]], ['b', 'text'], ['c', null], ['d', []]] }), 'p.pkl');
  assert.ok(v instanceof Map);
  assert.deepEqual(v.get('a'), [1, 300, 70000, -5]);
  // Python 2 str is bytes (what Keras's encoding='bytes' gives); keys are decoded.
  assert.equal(new TextDecoder().decode(v.get('b') as Uint8Array), 'text');
  assert.equal(v.get('c'), null);
  assert.deepEqual(v.get('d'), []);
  const u = readPickle(new PickleWriter().unicode('é€').done(), 'u.pkl');
  assert.equal(u, 'é€');
});

test('a NumPy uint8 array, rebuilt from _reconstruct/ndarray/dtype without running anything', () => {
  const data = Uint8Array.from({ length: 6 }, (_, i) => i * 7);
  const v = readPickle(pickle({ ndarray: { shape: [2, 3], data } }), 'a.pkl') as PickledArray;
  assert.equal(v.kind, 'ndarray');
  assert.equal(v.dtype, '|u1');
  assert.deepEqual(v.shape, [2, 3]);
  assert.deepEqual([...v.bytes], [...data]);
});

test('memo: BINGET returns the very object stored by BINPUT (a list appended to after it was stored)', () => {
  // ] q\x01 ( K1 e  then a tuple of (memo 1, memo 1): ( h\x01 h\x01 t  … STOP
  const w = new PickleWriter().op(0x5d, 0x71, 0x01, 0x28).int(1).op(0x65, 0x30).op(0x28, 0x68, 0x01, 0x68, 0x01, 0x74);
  const v = readPickle(w.done(), 'm.pkl') as { items: unknown[] };
  assert.equal(v.items[0], v.items[1]);
  assert.deepEqual(v.items[0], [1]);
});

test('any other global is refused, naming it: os.system, builtins.eval, numpy.load', () => {
  const call = (mod: string, name: string) => new PickleWriter().global(mod, name).str('echo hi').op(0x85, 0x52).done();
  assert.throws(() => readPickle(call('os', 'system'), 'evil.pkl'), refused(/'os\.system'/));
  assert.throws(() => readPickle(call('posix', 'system'), 'evil.pkl'), refused(/'posix\.system'/));
  assert.throws(() => readPickle(call('builtins', 'eval'), 'evil.pkl'), refused(/'builtins\.eval'/));
  assert.throws(() => readPickle(call('numpy', 'load'), 'evil.pkl'), refused(/'numpy\.load'/));
  // STACK_GLOBAL (protocol 4) with a name on the stack: same check.
  const sg = new PickleWriter().op(0x80, 4).unicode('subprocess').unicode('Popen').op(0x93).done().subarray(2);
  assert.throws(() => readPickle(Uint8Array.from([0x80, 0x04, ...sg]), 'evil.pkl'), refused(/'subprocess\.Popen'/));
});

test('opcodes that build or call objects are refused: INST, OBJ, NEWOBJ, PERSID, EXT1', () => {
  const inst = new PickleWriter().op(0x28).op(0x69).ascii('os\nsystem\n').done();
  assert.throws(() => readPickle(inst, 'evil.pkl'), refused(/INST/));
  for (const [op, name] of [[0x6f, 'OBJ'], [0x81, 'NEWOBJ'], [0x51, 'BINPERSID'], [0x82, 'EXT1']] as const) {
    assert.throws(() => readPickle(new PickleWriter().op(0x4e, 0x4e, op).done(), 'evil.pkl'), refused(new RegExp(name)));
  }
  // An allowed global used for something else: REDUCE on numpy.ndarray itself.
  const nd = new PickleWriter().global('numpy', 'ndarray').op(0x29, 0x52).done();
  assert.throws(() => readPickle(nd, 'evil.pkl'), refused(/numpy\.ndarray/));
});

test('damaged pickles: truncated, wrong array size, lengths past the end, no STOP', () => {
  const good = pickle({ ndarray: { shape: [2, 3], data: new Uint8Array(6) } });
  const bad = (e: unknown) => e instanceof DataError && e.code === 'bad-format' && /x\.pkl: byte \d+/.test(e.message);
  assert.throws(() => readPickle(good.subarray(0, good.length - 5), 'x.pkl'), bad);
  assert.throws(() => readPickle(good.subarray(0, good.length - 1), 'x.pkl'), bad);
  // Shape says 2×4 = 8 bytes, data holds 6.
  assert.throws(() => readPickle(pickle({ ndarray: { shape: [2, 4], data: new Uint8Array(6) } }), 'x.pkl'), (e: unknown) => bad(e) && /needs 8 bytes but holds 6/.test((e as Error).message));
  // BINSTRING declaring 4 GB.
  assert.throws(() => readPickle(Uint8Array.from([0x80, 2, 0x54, 0xff, 0xff, 0xff, 0xff, 0x2e]), 'x.pkl'), bad);
  assert.throws(() => readPickle(new Uint8Array([0x80, 2, 0x65]), 'x.pkl'), bad);
});

test('a CIFAR batch becomes 32×32×3 channels-last images (Keras: reshape(N,3,32,32).transpose(0,2,3,1))', () => {
  const set = cifarBatch(cifarBatchPickle([3, 1, 4]), 'data_batch_1', 'labels');
  assert.deepEqual([set.count, set.height, set.width, set.channels], [3, 32, 32, 3]);
  assert.deepEqual([...set.labels], [3, 1, 4]);
  // Image 2, pixel 5: red = 2, green = 102, blue = 5.
  const o = 2 * 3072 + 5 * 3;
  assert.deepEqual([...set.images.subarray(o, o + 3)], [2, 102, 5]);
  const fine = cifarBatch(cifarBatchPickle([55, 21], 'cifar100'), 'train', 'fine_labels');
  assert.deepEqual([...fine.labels], [55, 21]);
  const coarse = cifarBatch(cifarBatchPickle([55, 21], 'cifar100'), 'train', 'coarse_labels');
  assert.deepEqual([...coarse.labels], [15, 1]);
  assert.throws(() => cifarBatch(cifarBatchPickle([1], 'cifar100'), 'train', 'labels'), /no 'labels' list.*CIFAR-100 file\? Use cifar100/);
  assert.throws(() => cifarBatch(pickle([1, 2]), 'x', 'labels'), /holds a list where a CIFAR batch holds a dict/);
});
