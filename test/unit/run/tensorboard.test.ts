/**
 * TensorBoard export, checked by decoding what was written with a decoder written here, apart from
 * the encoder: TFRecord framing (uint64 length, masked CRC-32C of the length, data, masked CRC-32C
 * of the data — tensorflow/core/lib/io/record_writer.cc's format), then the `Event` and `Summary`
 * protobufs field by field (event.proto: wall_time = 1, step = 2, file_version = 3, summary = 5;
 * summary.proto: value = 1 { tag = 1, simple_value = 2 }).
 * CRC-32C test vectors: the check value of "123456789" (0xE3069283, the CRC catalogue's CRC-32/ISCSI)
 * and RFC 3720 appendix B.4 (32 bytes of 0x00 → 0x8A9136AA, of 0xFF → 0x62A8AB43, 0…31 → 0x46DD794E,
 * 31…0 → 0x113FDB5C).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32c, maskedCrc32c, runEventFile, runFolderName } from '../../../src/core/run/tensorboard';
import type { RunRecord } from '../../../src/core/run/record';
import { writeRunRecord } from '../../../src/core/run/store';
import { runsCommand } from '../../../src/cli/runs';
import type { CliIO } from '../../../src/cli/engine-session';

/** Bit-by-bit CRC-32C, the reference form (no table), independent of the encoder's. */
function slowCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const mask = (c: number) => ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;

test('CRC-32C matches the published test vectors', () => {
  const vectors: [Uint8Array, number][] = [
    [new TextEncoder().encode('123456789'), 0xe3069283],
    [new Uint8Array(32), 0x8a9136aa],
    [new Uint8Array(32).fill(0xff), 0x62a8ab43],
    [Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    [Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
  ];
  for (const [bytes, want] of vectors) {
    assert.equal(slowCrc32c(bytes), want, 'the test decoder');
    assert.equal(crc32c(bytes), want, 'the encoder');
    assert.equal(maskedCrc32c(bytes), mask(want));
  }
});

// ------------------------------------------------------------ an independent decoder

function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (;;) {
    const x = b[at++]!;
    v += (x & 0x7f) * mul;
    mul *= 128;
    if (x < 0x80) return [v, at];
  }
}

type Field = { n: number; wire: number; v: number | Uint8Array };
function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < b.length) {
    let key: number;
    [key, at] = varint(b, at);
    const n = Math.floor(key / 8);
    const wire = key % 8;
    const dv = new DataView(b.buffer, b.byteOffset + at);
    if (wire === 0) {
      let v: number;
      [v, at] = varint(b, at);
      out.push({ n, wire, v });
    } else if (wire === 1) {
      out.push({ n, wire, v: dv.getFloat64(0, true) });
      at += 8;
    } else if (wire === 5) {
      out.push({ n, wire, v: dv.getFloat32(0, true) });
      at += 4;
    } else if (wire === 2) {
      let len: number;
      [len, at] = varint(b, at);
      out.push({ n, wire, v: b.subarray(at, at + len) });
      at += len;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

interface Ev { wallTime: number; step: number; fileVersion?: string; values: Record<string, number> }
function readEvents(file: Uint8Array): Ev[] {
  const out: Ev[] = [];
  let at = 0;
  while (at < file.length) {
    const dv = new DataView(file.buffer, file.byteOffset + at);
    const len = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
    assert.equal(dv.getUint32(8, true), mask(slowCrc32c(file.subarray(at, at + 8))), 'length CRC');
    const data = file.subarray(at + 12, at + 12 + len);
    assert.equal(new DataView(file.buffer, file.byteOffset + at + 12 + len).getUint32(0, true), mask(slowCrc32c(data)), 'data CRC');
    at += 16 + len;
    const ev: Ev = { wallTime: NaN, step: 0, values: {} };
    for (const f of fields(data)) {
      if (f.n === 1 && f.wire === 1) ev.wallTime = f.v as number;
      else if (f.n === 2 && f.wire === 0) ev.step = f.v as number;
      else if (f.n === 3 && f.wire === 2) ev.fileVersion = new TextDecoder().decode(f.v as Uint8Array);
      else if (f.n === 5 && f.wire === 2) {
        for (const value of fields(f.v as Uint8Array)) {
          assert.equal(value.n, 1);
          const vf = fields(value.v as Uint8Array);
          const tag = new TextDecoder().decode(vf.find((x) => x.n === 1 && x.wire === 2)!.v as Uint8Array);
          ev.values[tag] = vf.find((x) => x.n === 2 && x.wire === 5)!.v as number;
        }
      } else assert.fail(`unexpected field ${f.n}/${f.wire}`);
    }
    out.push(ev);
  }
  assert.equal(at, file.length, 'records end exactly at the end of the file');
  return out;
}

function run(id: string, label?: string): RunRecord {
  return {
    id,
    ...(label ? { label } : {}),
    modelName: 'tiny',
    modelFile: '/x/tiny.py',
    modelHash: 'h',
    status: 'completed',
    startedAt: '2026-12-04T20:00:00.000Z',
    finishedAt: '2026-12-04T20:00:05.000Z',
    settings: { epochs: 2, batchSize: 32, dataset: 'mnist' },
    batches: [
      { step: 1, epoch: 1, loss: 2.25, acc: 0.125 },
      { step: 2, epoch: 1, loss: 2.0, acc: 0.25 },
      { step: 3, epoch: 2, loss: 1.5, acc: 0.5 },
      { step: 4, epoch: 2, loss: 1.25, acc: 0.625 },
    ],
    epochs: [
      { epoch: 1, loss: 2.125, acc: 0.1875, valLoss: 1.75, valAcc: 0.375, lr: 0.01, durationMs: 2000 },
      { epoch: 2, loss: 1.375, acc: 0.5625, valLoss: 1.125, valAcc: 0.625, lr: 0.001, durationMs: 2000 },
    ],
    test: { loss: 1.0, acc: 0.75, samples: 100 },
  };
}

test('a run becomes file_version, then scalars per batch, per epoch and the test result', () => {
  const events = readEvents(runEventFile(run('r1')));
  assert.equal(events[0]!.fileVersion, 'brain.Event:2');
  assert.equal(events[0]!.wallTime, Date.parse('2026-12-04T20:00:00.000Z') / 1000);
  const batch = events.filter((e) => 'batch/loss' in e.values);
  assert.deepEqual(batch.map((e) => [e.step, e.values['batch/loss'], e.values['batch/accuracy']]), [[1, 2.25, 0.125], [2, 2, 0.25], [3, 1.5, 0.5], [4, 1.25, 0.625]]);
  assert.deepEqual(batch.map((e) => e.values['batch/learning_rate']), [0.01, 0.01, 0.001, 0.001].map(Math.fround), "each step at its epoch's rate");
  const epochs = events.filter((e) => 'epoch/loss' in e.values);
  assert.deepEqual(epochs.map((e) => e.step), [1, 2]);
  assert.deepEqual(epochs[1]!.values, { 'epoch/loss': 1.375, 'epoch/accuracy': 0.5625, 'epoch/val_loss': 1.125, 'epoch/val_accuracy': 0.625, 'epoch/learning_rate': Math.fround(0.001) });
  assert.equal(epochs[0]!.wallTime - events[0]!.wallTime, 2, 'epoch 1 ends 2 s after the start');
  const test = events.find((e) => 'test/accuracy' in e.values)!;
  assert.deepEqual([test.step, test.values['test/accuracy'], test.values['test/loss']], [2, 0.75, 1]);
  assert.ok(events.every((e, i) => i === 0 || e.wallTime >= events[0]!.wallTime));
});

test('under a schedule, each batch point carries the rate of its step (Keras: the schedule at iteration step − 1)', () => {
  const r = run('r2');
  r.settings.lrSchedule = { type: 'PiecewiseConstantDecay', boundaries: [1], values: [0.5, 0.25] };
  const batch = readEvents(runEventFile(r)).filter((e) => 'batch/loss' in e.values);
  // Iterations 0 and 1 are <= boundary 1 → 0.5; iterations 2 and 3 → 0.25.
  assert.deepEqual(batch.map((e) => e.values['batch/learning_rate']), [0.5, 0.5, 0.25, 0.25]);
});

test('model-lens runs --export-tensorboard DIR writes one folder per run, named after it', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-tb-'));
  try {
    const runsDir = path.join(root, 'runs');
    for (const r of [run('20261204-200000-aaaa'), run('20261204-200100-bbbb', 'wider dense / lr 1e-3')]) {
      fs.mkdirSync(path.join(runsDir, r.id), { recursive: true });
      writeRunRecord(path.join(runsDir, r.id), r);
    }
    const lines: string[] = [];
    const errors: string[] = [];
    const io: CliIO = { out: (l) => lines.push(l), err: (l) => errors.push(l), status: () => undefined, tty: false, columns: 80 };
    const out = path.join(root, 'tb');
    assert.equal(await runsCommand(['--dir', runsDir, '--export-tensorboard', out], io), 0, errors.join('\n'));
    const folders = fs.readdirSync(out).sort();
    assert.deepEqual(folders, ['20261204-200000-aaaa', 'wider_dense_lr_1e-3-20261204-200100-bbbb']);
    assert.equal(runFolderName(run('x', 'wider dense / lr 1e-3')), 'wider_dense_lr_1e-3-x');
    for (const f of folders) {
      const files = fs.readdirSync(path.join(out, f));
      assert.equal(files.length, 1);
      assert.match(files[0]!, /^events\.out\.tfevents\.\d+\.model-lens$/);
      const events = readEvents(new Uint8Array(fs.readFileSync(path.join(out, f, files[0]!))));
      assert.equal(events.filter((e) => 'epoch/loss' in e.values).length, 2);
    }
    assert.match(lines.at(-1)!, /2 run\(s\) written; view them with: tensorboard --logdir/);
    // Exported again: the same file is replaced, not a second one added (TensorBoard would show both).
    assert.equal(await runsCommand(['--dir', runsDir, '--export-tensorboard', out], io), 0);
    assert.equal(fs.readdirSync(path.join(out, folders[0]!)).length, 1);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
