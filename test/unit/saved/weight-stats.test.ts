/**
 * Weight statistics and histograms checked against numpy (Debian's python3-numpy through
 * python3-h5py: an independent implementation), on a real Keras file and on a float16 file with
 * zeros, NaN and Inf written by h5py.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { weightsCommand } from '../../../src/cli/weights';
import { openModelFile } from '../../../src/core/saved/open-saved';
import { layerStatsAsync, STATS_BLOCK, tensorStats, tensorStatsAsync } from '../../../src/core/saved/weight-stats';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-stats-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface NpStats { min: number; max: number; mean: number; std: number; zeros: number; nan: number; inf: number; hist: number[] }

/** numpy's figures for every dataset of an HDF5 file (finite values for min/max/mean/std/histogram). */
function numpyStats(file: string, bins: number): Record<string, NpStats> {
  const script = `
import sys, json, h5py, numpy as np
out = {}
def visit(name, obj):
    if isinstance(obj, h5py.Dataset) and obj.dtype.kind == 'f':
        a = np.asarray(obj[()], dtype=np.float64).ravel()
        f = a[np.isfinite(a)]
        h = np.histogram(f, bins=${bins}, range=(f.min(), f.max()) if f.max() > f.min() else None)[0] if f.size else []
        out['/' + name] = dict(min=float(f.min()), max=float(f.max()), mean=float(f.mean()), std=float(f.std()), zeros=float((a == 0).mean()), nan=int(np.isnan(a).sum()), inf=int(np.isinf(a).sum()), hist=[int(x) for x in h])
h5py.File(sys.argv[1], 'r').visititems(visit)
print(json.dumps(out))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, NpStats>;
}

function close(a: number, b: number, what: string) {
  assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: ${a} vs numpy ${b}`);
}

test('statistics and histograms of every weight of pretrainedResnet.h5 equal numpy\'s', async () => {
  const file = path.join(REF, 'pretrainedResnet.h5');
  const np = numpyStats(file, 20);
  const o = await openModelFile(file);
  try {
    let n = 0;
    for (const l of o.weights!.layers) {
      for (const t of l.tensors) {
        const s = tensorStats(t, 20);
        const ref = np[t.location]!;
        assert.ok(ref, t.location);
        close(s.min, ref.min, `${t.location} min`);
        close(s.max, ref.max, `${t.location} max`);
        close(s.mean, ref.mean, `${t.location} mean`);
        close(s.std, ref.std, `${t.location} std`);
        assert.equal(s.zeros, ref.zeros);
        if (ref.max > ref.min) assert.deepEqual(s.histogram.counts, ref.hist, `${t.location} histogram`);
        n++;
      }
    }
    assert.equal(n, 48);
  } finally {
    o.close();
  }
});

test('float16 weights with zeros, NaN and Inf: read, converted and counted like numpy', async () => {
  const file = path.join(tmp, 'half.h5');
  execFileSync('/usr/bin/python3', [
    '-c',
    `import h5py, json, numpy as np
rng = np.random.default_rng(3)
k = rng.normal(0, 0.5, (4, 5)).astype('f2')
k[0, 0] = 0; k[1, 1] = np.nan; k[2, 2] = np.inf; k[3, 3] = -np.inf; k[0, 1] = 6e-8
cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [None, 4], "name": "x"}}, {"class_name": "Dense", "config": {"name": "d", "units": 5}}]}}
with h5py.File(${JSON.stringify(file)}, "w") as f:
    f.attrs["model_config"] = json.dumps(cfg)
    g = f.create_group("model_weights").create_group("d")
    g.attrs["weight_names"] = [b"d/kernel:0", b"d/bias:0"]
    g.create_dataset("d/kernel:0", data=k)
    g.create_dataset("d/bias:0", data=np.array([1, -2, 0.5, 65504, -0.000061035], "f2"))`,
  ]);
  const np = numpyStats(file, 7);
  const o = await openModelFile(file);
  try {
    const [kernel, bias] = o.weights!.layers[0]!.tensors;
    assert.equal(kernel!.dtype, 'float16');
    const s = tensorStats(kernel!, 7);
    const ref = np['/model_weights/d/d/kernel:0']!;
    assert.equal(s.nan, 1);
    assert.equal(s.inf, 2);
    assert.equal(s.zeros, ref.zeros);
    close(s.mean, ref.mean, 'mean');
    close(s.std, ref.std, 'std');
    close(s.min, ref.min, 'min');
    assert.deepEqual(s.histogram.counts, ref.hist);
    const b = tensorStats(bias!, 7);
    assert.equal(b.max, 65504);
    close(b.min, -2, 'bias min');
  } finally {
    o.close();
  }
});

test('model-lens weights --json: every tensor with shape, dtype, trainable and statistics; --layer filters', async () => {
  const out: string[] = [];
  const code = await weightsCommand([path.join(REF, 'mnist_model.keras'), '--json', '--layer', 'dense'], { out: (l) => out.push(l), err: (l) => assert.fail(l) });
  assert.equal(code, 0);
  const j = JSON.parse(out[0]!) as { format: string; layers: { layer: string; tensors: { name: string; shape: number[]; dtype: string; trainable: boolean; stats: { count: number; histogram: { counts: number[] } } }[] }[] };
  assert.equal(j.format, 'keras');
  assert.deepEqual(j.layers.map((l) => l.layer), ['dense']);
  assert.deepEqual(j.layers[0]!.tensors.map((t) => [t.name, t.shape, t.dtype, t.trainable]), [['kernel', [1600, 10], 'float32', true], ['bias', [10], 'float32', true]]);
  assert.equal(j.layers[0]!.tensors[0]!.stats.count, 16000);
  assert.equal(j.layers[0]!.tensors[0]!.stats.histogram.counts.reduce((a, c) => a + c, 0), 16000);
  const text: string[] = [];
  assert.equal(await weightsCommand([path.join(REF, 'mnist.h5')], { out: (l) => text.push(l), err: (l) => assert.fail(l) }), 0);
  assert.match(text.join('\n'), /Conv2D_1 \(Conv2D\)\n {2}kernel +\[5,5,1,6\] +float32 +min -0\.3406/);
});

test('a kernel larger than the kept size is read twice in blocks of at most 1 Mi values, never whole, and its figures equal numpy\'s', async () => {
  const file = path.join(tmp, 'large.h5');
  // 4,200 × 1,024 = 4.3 M values (17 MB): above the 4 Mi values kept between the two passes.
  execFileSync('/usr/bin/python3', [
    '-c',
    `import h5py, json, numpy as np
rng = np.random.default_rng(7)
k = rng.normal(0, 0.1, (4200, 1024)).astype('f4')
k[5, :100] = 0; k[4100, 3] = np.nan
cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [None, 4200], "name": "x"}}, {"class_name": "Dense", "config": {"name": "d", "units": 1024}}]}}
with h5py.File(${JSON.stringify(file)}, "w") as f:
    f.attrs["model_config"] = json.dumps(cfg)
    g = f.create_group("model_weights").create_group("d")
    g.attrs["weight_names"] = ["kernel", "bias"]
    g.create_dataset("kernel", data=k)
    g.create_dataset("bias", data=np.zeros((1024,), "f4"))`,
  ]);
  const np = numpyStats(file, 25)['/model_weights/d/kernel']!;
  const o = await openModelFile(file);
  try {
    const kernel = o.weights!.layers[0]!.tensors[0]!;
    const reads: number[] = [];
    const read = kernel.readRows.bind(kernel);
    const spy = { ...kernel, readRows: (a: number, b: number) => (reads.push((b - a) * 1024), read(a, b)) };
    const s = await tensorStatsAsync(spy, 25);
    assert.ok(Math.max(...reads) <= STATS_BLOCK, `largest read ${Math.max(...reads)} values`);
    assert.equal(reads.reduce((a, n) => a + n, 0), 2 * kernel.size, 'two passes over the file, nothing kept');
    assert.equal(s.nan, 1);
    close(s.min, np.min, 'min');
    close(s.max, np.max, 'max');
    close(s.mean, np.mean, 'mean');
    close(s.std, np.std, 'std');
    assert.equal(s.zeros, np.zeros);
    assert.deepEqual(s.histogram.counts, np.hist);
    assert.deepEqual(tensorStats(kernel, 25), s, 'the synchronous form gives the same figures');
  } finally {
    o.close();
  }
});

test('tensorStatsAsync gives the event loop a turn after every block, and stops when aborted', async () => {
  const rows = 64;
  const row = STATS_BLOCK / 4; // 4 rows a block: 16 blocks, 16 turns
  const t = { name: 'kernel', shape: [rows, row], dtype: 'float32' as const, location: 'generated', trainable: true, size: rows * row, readRows: (a: number, b: number) => new Float32Array((b - a) * row).fill(a) };
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const s = await tensorStatsAsync(t, 4);
  running = false;
  assert.equal(s.max, 60);
  assert.ok(turns >= 16, `${turns} turns of the event loop while 16 blocks were read`);
  const ac = new AbortController();
  let reads = 0;
  const p = tensorStatsAsync({ ...t, readRows: (a: number, b: number) => (reads++ === 2 && ac.abort(new Error('editor closed')), t.readRows(a, b)) }, 4, ac.signal);
  await assert.rejects(p, /editor closed/);
  assert.equal(reads, 3, 'no block is read after the abort');
});

test('layerStatsAsync: a tensor known to be unreadable and one whose read fails get their reasons; the others still get statistics', async () => {
  const ok = (name: string, values: number[]) => ({ name, shape: [values.length], dtype: 'float32' as const, location: name, trainable: true, size: values.length, readRows: (a: number, b: number) => Float32Array.from(values.slice(a, b)) });
  const layer = {
    layer: 'dense',
    type: 'Dense',
    tensors: [
      { ...ok('kernel', [1, 2]), problem: 'it is compressed with lzf (HDF5 filter id 32000)' },
      { ...ok('bias', [1]), readRows: () => { throw new Error('/m.h5: cannot read weight \'/d/bias\': the file may be truncated or damaged'); } },
      ok('scale', [0, 2, 4]),
    ],
  };
  const rows = await layerStatsAsync(layer, 2);
  assert.deepEqual(rows.map((r) => [r.name, r.problem ?? null, r.stats?.mean ?? null]), [
    ['kernel', 'it is compressed with lzf (HDF5 filter id 32000)', null],
    ['bias', "/m.h5: cannot read weight '/d/bias': the file may be truncated or damaged", null],
    ['scale', null, 2],
  ]);
  assert.deepEqual(rows[2]!.stats!.histogram.counts, [1, 2]);
  const ac = new AbortController();
  ac.abort(new Error('panel closed'));
  await assert.rejects(layerStatsAsync({ ...layer, tensors: [ok('scale', [1])] }, 2, ac.signal), /panel closed/);
});
