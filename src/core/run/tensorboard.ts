/**
 * A run as a TensorBoard event file, written by our own small encoder (no protobuf library): a
 * TFRecord stream (each record: uint64 length, masked CRC-32C of the length, the bytes, masked
 * CRC-32C of the bytes — all little-endian) of `tensorflow.Event` protobufs. The first event
 * carries `file_version: "brain.Event:2"`; the others a `Summary` of scalar values
 * (`simple_value`): per epoch `epoch/loss`, `epoch/accuracy`, `epoch/val_loss`,
 * `epoch/val_accuracy`, `epoch/learning_rate`; per recorded batch `batch/loss`, `batch/accuracy`,
 * `batch/learning_rate` (step = global step); the test result as `test/loss`, `test/accuracy` at the last epoch.
 * Field numbers from tensorflow/core/util/event.proto and framework/summary.proto.
 * Pure: returns bytes; the CLI writes them.
 */
import type { RunRecord } from './record';
import { scheduleAt } from '../train/lr-schedules';

// ---------------------------------------------------------------- CRC-32C (Castagnoli)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 bits, add 0xa282ead8. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

// ---------------------------------------------------------------- protobuf, the few wire types used

class Writer {
  private parts: number[] = [];
  varint(n: number): this {
    // Non-negative integers below 2^53 (steps, lengths, tags).
    let v = n;
    while (v >= 0x80) {
      this.parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.parts.push(v);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  double(field: number, v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.tag(field, 1);
    for (const x of b) this.parts.push(x);
    return this;
  }
  float(field: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.tag(field, 5);
    for (const x of b) this.parts.push(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** `Event { wall_time = 1 (double); step = 2 (int64); file_version = 3 (string) }`. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return new Writer().double(1, wallTime).string(3, 'brain.Event:2').done();
}

/** `Event { wall_time = 1; step = 2; summary = 5 { value = 1 { tag = 1; simple_value = 2 (float) } } }`. */
export function scalarEvent(wallTime: number, step: number, values: [string, number][]): Uint8Array {
  const summary = new Writer();
  for (const [tag, v] of values) summary.bytes(1, new Writer().string(1, tag).float(2, v).done());
  const w = new Writer().double(1, wallTime);
  if (step !== 0) w.tag(2, 0).varint(step); // proto3: a zero step is left out
  return w.bytes(5, summary.done()).done();
}

/** One TFRecord: length (uint64 LE), masked CRC of the length, data, masked CRC of the data. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length >>> 0, true);
  view.setUint32(4, Math.floor(data.length / 2 ** 32), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** The run's event file: its scalars per epoch and per recorded batch, wall times from the run's clock. */
export function runEventFile(r: RunRecord): Uint8Array {
  const start = Date.parse(r.startedAt) / 1000;
  const records: Uint8Array[] = [tfRecord(fileVersionEvent(start))];
  // Wall time of an epoch's end: the start plus the epochs' durations so far.
  const ends: number[] = [];
  let t = start;
  for (const e of r.epochs) ends.push((t += e.durationMs / 1000));
  const epochEnd = new Map(r.epochs.map((e, i) => [e.epoch, ends[i]!]));
  const epochLr = new Map(r.epochs.map((e) => [e.epoch, e.lr]));
  const lastStepOf = new Map<number, number>();
  for (const b of r.batches) lastStepOf.set(b.epoch, Math.max(lastStepOf.get(b.epoch) ?? 0, b.step));
  for (const b of r.batches) {
    const values: [string, number][] = [];
    if (finite(b.loss)) values.push(['batch/loss', b.loss]);
    if (finite(b.acc)) values.push(['batch/accuracy', b.acc]);
    if (!values.length) continue;
    // The rate of that step: a schedule's at its iteration (step − 1), else its epoch's (callbacks change it between epochs only).
    const lr = r.settings.lrSchedule ? scheduleAt(r.settings.lrSchedule, b.step - 1) : epochLr.get(b.epoch);
    if (finite(lr)) values.push(['batch/learning_rate', lr]);
    const end = epochEnd.get(b.epoch) ?? t;
    const from = epochEnd.get(b.epoch - 1) ?? start;
    const prevLast = lastStepOf.get(b.epoch - 1) ?? 0;
    const span = (lastStepOf.get(b.epoch) ?? b.step) - prevLast;
    records.push(tfRecord(scalarEvent(from + ((end - from) * (b.step - prevLast)) / Math.max(1, span), b.step, values)));
  }
  for (const e of r.epochs) {
    const values: [string, number][] = [];
    if (finite(e.loss)) values.push(['epoch/loss', e.loss]);
    if (finite(e.acc)) values.push(['epoch/accuracy', e.acc]);
    if (finite(e.valLoss)) values.push(['epoch/val_loss', e.valLoss]);
    if (finite(e.valAcc)) values.push(['epoch/val_accuracy', e.valAcc]);
    if (finite(e.lr)) values.push(['epoch/learning_rate', e.lr]);
    if (values.length) records.push(tfRecord(scalarEvent(epochEnd.get(e.epoch)!, e.epoch, values)));
  }
  if (r.test && (finite(r.test.loss) || finite(r.test.acc))) {
    const values: [string, number][] = [];
    if (finite(r.test.loss)) values.push(['test/loss', r.test.loss]);
    if (finite(r.test.acc)) values.push(['test/accuracy', r.test.acc]);
    const wall = r.finishedAt ? Date.parse(r.finishedAt) / 1000 : t;
    records.push(tfRecord(scalarEvent(wall, r.epochs.length ? r.epochs[r.epochs.length - 1]!.epoch : 0, values)));
  }
  return concat(records);
}

/** The run's folder name under the export folder: its label (made safe) and id, or the id. */
export function runFolderName(r: RunRecord): string {
  const label = (r.label ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '').slice(0, 60);
  return label ? `${label}-${r.id}` : r.id;
}

/** The event file's name: TensorBoard reads files whose name contains "tfevents". Fixed per run, so an export again replaces it. */
export function eventFileName(r: RunRecord): string {
  return `events.out.tfevents.${Math.floor(Date.parse(r.startedAt) / 1000)}.model-lens`;
}
