/**
 * Damaged and mismatched model files: each gives one clear message naming the file and what is
 * wrong (never a crash, never HDF5's own error stack on stderr). Built from the real reference
 * files (../shared/reference/keras-files/) into a temporary folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { summaryCommand } from '../../../src/cli/summary';
import { openModelFile } from '../../../src/core/saved/open-saved';
import { readTensor } from '../../../src/core/saved/weights';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-bad-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The error messages of opening `file`; each diagnostic must name that file. */
async function errorsOf(file: string): Promise<string[]> {
  const o = await openModelFile(file);
  try {
    const errors = [...o.result.diagnostics, ...(o.result.models[0]?.diagnostics ?? [])].filter((d) => d.severity === 'error');
    for (const d of errors) assert.equal(d.file, file, `${d.message} names the file`);
    return errors.map((d) => d.message);
  } finally {
    o.close();
  }
}

async function summaryErrors(file: string): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await summaryCommand([file], { out: () => undefined, err: (l) => err.push(l) });
  return { code, err };
}

function truncated(name: string, fraction: number): string {
  const b = fs.readFileSync(path.join(REF, name));
  const out = path.join(tmp, `cut-${fraction}-${name}`);
  fs.writeFileSync(out, b.subarray(0, Math.floor(b.length * fraction)));
  return out;
}

/** mnist_model.keras with some entries replaced or removed. */
function rezip(name: string, change: (entries: Record<string, Uint8Array>) => void): string {
  const entries = unzipSync(new Uint8Array(fs.readFileSync(path.join(REF, 'mnist_model.keras'))));
  change(entries);
  const out = path.join(tmp, name);
  fs.writeFileSync(out, zipSync(entries, { level: 0 }));
  return out;
}

function editConfig(name: string, edit: (config: string) => string): string {
  return rezip(name, (e) => {
    e['config.json'] = new TextEncoder().encode(edit(new TextDecoder().decode(e['config.json']!)));
  });
}


/**
 * A Keras 2-style .h5 of one Dense layer (`inputs` → `units`, layer 'd') written by h5py; `datasets`
 * are the Python lines that fill the layer's weight group `g` (which may leave a weight out).
 */
function writeDenseH5(file: string, inputs: number, units: number, datasets: string[], kerasVersion?: string): void {
  const cfg = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, inputs], name: 'x' } }, { class_name: 'Dense', config: { name: 'd', units } }] } };
  execFileSync('/usr/bin/python3', [
    '-c',
    [
      'import h5py, json, numpy as np',
      `with h5py.File(${JSON.stringify(file)}, "w") as f:`,
      `    f.attrs["model_config"] = ${JSON.stringify(JSON.stringify(cfg))}`,
      ...(kerasVersion ? [`    f.attrs["keras_version"] = ${JSON.stringify(kerasVersion)}`] : []),
      '    g = f.create_group("model_weights").create_group("d")',
      '    g.attrs["weight_names"] = ["kernel", "bias"]',
      ...datasets.map((d) => `    ${d}`),
    ].join('\n'),
  ]);
}

test('a truncated .keras zip: says it is truncated, names the file, exit 1', async () => {
  const file = truncated('mnist_model.keras', 0.6);
  const { code, err } = await summaryErrors(file);
  assert.equal(code, 1);
  assert.equal(err.length, 1);
  assert.ok(err[0]!.startsWith(`${file}:1:1: `), err[0]);
  assert.match(err[0]!, /truncated/);
});

test('a truncated HDF5 file: says how many bytes it has and how many its header says', async () => {
  const file = truncated('pretrainedResnet.h5', 0.9);
  const stderr = captureStderr();
  const errors = await errorsOf(file);
  const printed = stderr.stop();
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /truncated: it has 1,005,040 bytes but its HDF5 header says 1,116,712/);
  assert.equal(printed, '', 'HDF5 error stacks are not printed');
});

test('a .keras without config.json: says what a .keras holds', async () => {
  const file = rezip('no-config.keras', (e) => delete e['config.json']);
  const errors = await errorsOf(file);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /no config\.json in the archive \(it has metadata\.json, model\.weights\.h5\)/);
});

test('weights that do not fit the config: names the layer and both counts', async () => {
  // Dense(10) on 1600 inputs saved; the edited config says Dense(12).
  const file = editConfig('mismatch.keras', (c) => c.replace('"units": 10', '"units": 12'));
  const errors = await errorsOf(file);
  assert.deepEqual(errors, ["layer 'dense' (Dense) has 16,010 saved weight values but its config needs 19,212: weights and config do not match"]);
});

test('an unknown layer class: reported at that layer, the rest of the graph still read', async () => {
  const file = editConfig('unknown.keras', (c) => c.replace('"class_name": "Dropout"', '"class_name": "FancyDropout"'));
  const o = await openModelFile(file);
  try {
    const m = o.result.models[0]!;
    const bad = m.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.file, file);
    assert.equal(bad[0]!.layer, 'dropout');
    assert.match(bad[0]!.message, /^FancyDropout is not supported by Model Lens/);
    assert.equal(m.layers.find((l) => l.name === 'conv2d')!.params, 320);
  } finally {
    o.close();
  }
});

test('a compression filter this HDF5 build lacks (LZF, written by h5py): named at the weight', async () => {
  const file = path.join(tmp, 'lzf.h5');
  writeDenseH5(file, 3, 2, ['g.create_dataset("kernel", data=np.ones((3, 2), "f4"), compression="lzf")', 'g.create_dataset("bias", data=np.zeros((2,), "f4"))'], '3.1.1');
  const o = await openModelFile(file);
  try {
    const bad = o.result.models[0]!.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(bad.map((d) => d.file), [file]);
    const errors = bad.map((d) => d.message);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /weight '\/model_weights\/d\/kernel' of layer 'd' cannot be read: it is compressed with lzf \(HDF5 filter id 32000\)/);
    const kernel = o.weights!.layers[0]!.tensors[0]!;
    assert.throws(() => readTensor(kernel), /lzf/);
    assert.deepEqual(Array.from(readTensor(o.weights!.layers[0]!.tensors[1]!)), [0, 0]);
  } finally {
    o.close();
  }
});

test('an HDF5 file that is not a Keras model, and a weights-only file', async () => {
  const plain = path.join(tmp, 'plain.h5');
  const weightsOnly = path.join(tmp, 'only.weights.h5');
  execFileSync('/usr/bin/python3', ['-c', `import h5py\nh5py.File(${JSON.stringify(plain)}, "w").create_dataset("x", data=[1])\nf = h5py.File(${JSON.stringify(weightsOnly)}, "w")\nf.create_group("layers")`]);
  assert.match((await errorsOf(plain))[0]!, /not a Keras model \(no model_config attribute\)/);
  assert.match((await errorsOf(weightsOnly))[0]!, /holds weights only \(saved with save_weights\)/);
});

test('a TF.js model.json whose shard is missing or short', async () => {
  const dir = path.join(tmp, 'tfjs');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(REF, 'scratch_extension/model.json'), path.join(dir, 'model.json'));
  assert.match((await errorsOf(path.join(dir, 'model.json')))[0]!, /weight shard 'group1-shard1of1\.bin' is missing beside model\.json/);
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), new Uint8Array(6));
  assert.match((await errorsOf(path.join(dir, 'model.json')))[0]!, /a shard is truncated/);
});

test('a huge weight (a 200,000 × 50,000 kernel, 37 GiB declared in a 200 KB file): counted, rows read on request, a whole read refused by name — never attempted', async () => {
  const file = path.join(tmp, 'huge.h5');
  writeDenseH5(file, 200000, 50000, ['g.create_dataset("kernel", shape=(200000, 50000), dtype="f4", chunks=(1000, 1000), fillvalue=0.25)', 'g.create_dataset("bias", data=np.zeros((50000,), "f4"))']);
  assert.ok(fs.statSync(file).size < 1 << 20);
  assert.deepEqual(await errorsOf(file), []);
  const o = await openModelFile(file);
  try {
    assert.equal(o.result.models[0]!.totalParams, 10_000_050_000);
    const kernel = o.weights!.layers[0]!.tensors[0]!;
    const rows = kernel.readRows(7, 9);
    assert.equal(rows.length, 100_000);
    assert.ok(rows.every((v) => v === 0.25));
    // The size wrapped around in h5wasm's 32-bit heap before: a wrong-length array and gigabytes used.
    assert.throws(() => readTensor(kernel), (e: Error) => e.message.startsWith(`${file}: weight '/model_weights/d/kernel' would be read as 10,000,000,000 values (37.3 GiB) at once`));
  } finally {
    o.close();
  }
});

test('a .keras opened with deferWeights: the graph at once, the weights and their diagnostics after; a damaged weights file leaves the graph with a message', async () => {
  const good = await openModelFile(path.join(REF, 'mnist_model.keras'), {}, { deferWeights: true });
  try {
    assert.equal(good.result.models[0]!.totalParams, 34826);
    assert.equal(good.weights, undefined, 'not read yet');
    assert.ok(good.result.models[0]!.startWeights, 'runs will start from the file');
    await good.weightsPending;
    assert.deepEqual(good.weights!.layers.map((l) => l.layer), ['conv2d', 'conv2d_1', 'dense']);
    assert.equal(good.optimizer?.vars.length, 14);
  } finally {
    good.close();
  }
  const mismatch = editConfig('mismatch-later.keras', (c) => c.replace('"units": 10', '"units": 12'));
  const m = await openModelFile(mismatch, {}, { deferWeights: true });
  const errors = () => m.result.models[0]!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  assert.deepEqual(errors(), []);
  await m.weightsPending;
  assert.deepEqual(errors(), ["layer 'dense' (Dense) has 16,010 saved weight values but its config needs 19,212: weights and config do not match"]);
  m.close();
  const damaged = rezip('damaged-weights.keras', (e) => {
    e['model.weights.h5'] = new TextEncoder().encode('not an HDF5 file at all');
  });
  const d = await openModelFile(damaged, {}, { deferWeights: true });
  await d.weightsPending;
  assert.equal(d.result.models[0]!.totalParams, 34826, 'the graph stays');
  const bad = d.result.models[0]!.diagnostics.filter((x) => x.severity === 'error');
  assert.equal(bad.length, 1);
  assert.equal(bad[0]!.file, damaged);
  assert.match(bad[0]!.message, /^not a readable HDF5 file \(23 bytes\)/);
  assert.equal(d.weights, undefined);
  d.close();
  // Closed while the weights are copied: they are dropped, nothing is reported.
  const early = await openModelFile(path.join(REF, 'mnist_model.keras'), {}, { deferWeights: true });
  early.close();
  await early.weightsPending;
  assert.equal(early.weights, undefined);
  assert.deepEqual(early.result.models[0]!.diagnostics.filter((x) => x.severity === 'error'), []);
});

test('an .h5 opened with deferWeights: the graph at once, the weights after; a weight listed but missing leaves the graph with a message', async () => {
  const whole = await openModelFile(path.join(REF, 'pretrainedResnet.h5'));
  const later = await openModelFile(path.join(REF, 'pretrainedResnet.h5'), {}, { deferWeights: true });
  try {
    assert.equal(later.result.models[0]!.totalParams, 78666);
    assert.equal(later.weights, undefined, 'not read yet');
    await later.weightsPending;
    assert.deepEqual(later.weights!.layers.map((l) => `${l.layer}:${l.tensors.map((t) => t.name).join(',')}`), whole.weights!.layers.map((l) => `${l.layer}:${l.tensors.map((t) => t.name).join(',')}`));
    assert.equal(later.optimizer?.vars.length, whole.optimizer?.vars.length);
  } finally {
    whole.close();
    later.close();
  }
  const file = path.join(tmp, 'missing-weight.h5');
  writeDenseH5(file, 3, 2, ['g.create_dataset("kernel", data=np.ones((3, 2), "f4"))']);
  const d = await openModelFile(file, {}, { deferWeights: true });
  await d.weightsPending;
  assert.equal(d.result.models[0]!.totalParams, 8, 'the graph stays');
  assert.deepEqual(d.result.models[0]!.diagnostics.filter((x) => x.severity === 'error').map((x) => [x.file, x.message]), [[file, "layer 'd' lists weight 'bias', which is not in the file; the file is damaged"]]);
  d.close();
  // Without deferWeights the same file cannot be opened at all, with the same message.
  assert.deepEqual(await errorsOf(file), ["layer 'd' lists weight 'bias', which is not in the file; the file is damaged"]);
});

function captureStderr(): { stop(): string } {
  const fsMod = fs as { writeSync: typeof fs.writeSync };
  const original = fsMod.writeSync;
  const write = process.stderr.write;
  let text = '';
  fsMod.writeSync = ((fd: number, ...rest: unknown[]) => {
    if (fd === 2) {
      text += String(rest[0]);
      return 0;
    }
    return (original as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  process.stderr.write = ((c: string) => {
    text += c;
    return true;
  }) as typeof process.stderr.write;
  return {
    stop() {
      fsMod.writeSync = original;
      process.stderr.write = write;
      return text;
    },
  };
}
