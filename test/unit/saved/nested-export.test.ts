/**
 * A run of a model that uses other models as layers, exported: each model carries the class and
 * config Keras writes, not TF.js's `Model`.
 *  - Keras's saving code (keras-team/keras): `keras/src/models/sequential.py` get_config lists a
 *    Sequential's layers, its InputLayer first, with no inbound nodes; `keras/src/models/functional.py`
 *    keeps the graph (inbound nodes, input_layers, output_layers); `keras/src/saving/serialization_lib.py`
 *    serialize_keras_object writes a public class by its public module (`keras`, registered_name
 *    null) and `Functional`, which is not exported, by its module `keras.src.models.functional` with
 *    registered_name "Functional". The real Keras 3.1.1 Sequential in shared/reference
 *    (mnist_model.keras) is read here for the keys Keras gives a Sequential.
 *  - Keras 3's saving_lib keeps a model's variables under `layers/<snake_case class>[_n]`, a nested
 *    model's under its own group.
 * The exports read back with our own reader: the same layers, weights and counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { CliIO } from '../../../src/cli/engine-session';
import { exportCommand } from '../../../src/cli/export';
import { trainCommand } from '../../../src/cli/train';
import { readModel } from '../../../src/core/read-model';
import { h5ready, openH5 } from '../../../src/core/saved/hdf5';
import { openModelFile } from '../../../src/core/saved/open-saved';
import { readTensor } from '../../../src/core/saved/weights';

const REF = path.resolve('../shared/reference/keras-files');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-nested-export-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Obj = Record<string, unknown>;

/** A Sequential "block" holding a Sequential "inner" (a model in a model in a model), then a functional "res" with a residual Add. */
const source = (blockDense: string) => `import keras
from keras import layers

inner = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(8, activation='relu', name='fc')], name='inner')
block = keras.Sequential([layers.Flatten(name='flat'), inner, layers.Dense(6, activation='relu', name='${blockDense}')], name='block')

x_in = keras.Input(shape=(6,))
y = layers.Dense(6, name='proj')(x_in)
y = layers.Add(name='sum')([x_in, y])
res = keras.Model(x_in, y, name='res')

inputs = keras.Input(shape=(28, 28, 1))
x = block(inputs)
x = res(x)
outputs = layers.Dense(10, activation='softmax', name='head')(x)
model = keras.Model(inputs, outputs, name='outer')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
`;

function cli(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l), status: () => undefined, tty: false, columns: 80 } };
}

async function trainRun(name: string, blockDense: string): Promise<{ file: string; runDir: string }> {
  const file = path.join(tmp, `${name}.py`);
  fs.writeFileSync(file, source(blockDense));
  const runDir = path.join(tmp, `run-${name}`);
  const c = cli();
  const code = await trainCommand([file, '--model', 'outer', '--epochs', '1', '--limit', '64', '--test-limit', '32', '--batch-size', '32', '--backend', 'cpu', '--save', runDir], c.io);
  assert.equal(code, 0, c.err.join('\n'));
  return { file, runDir };
}

const layersOf = (m: Obj): Obj[] => ((m['config'] as Obj)['layers'] as Obj[]);
const named = (m: Obj, name: string): Obj => layersOf(m).find((l) => (l['config'] as Obj)['name'] === name)!;
const classes = (m: Obj) => layersOf(m).map((l) => l['class_name']);

let run: { file: string; runDir: string };
test.before(async () => {
  run = await trainRun('deep', 'out');
});

test('.keras: a Sequential inner model is written as Keras writes a Sequential, a functional one as Functional, at every depth', async () => {
  const out = path.join(tmp, 'deep.keras');
  const c = cli();
  assert.equal(await exportCommand([run.runDir, '--to', 'keras', '--out', out], c.io), 0, c.err.join('\n'));
  const config = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(out)))['config.json']!)) as Obj;
  const keras = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(path.join(REF, 'mnist_model.keras'))))['config.json']!)) as Obj;

  // The outer model: a functional graph, as serialize_keras_object writes the non-exported Functional.
  assert.equal(config['class_name'], 'Functional');
  assert.equal(config['module'], 'keras.src.models.functional');
  assert.equal(config['registered_name'], 'Functional');

  // The Sequential "block": the keys, module and registered_name of Keras's own Sequential; its layers a list, InputLayer first, no graph.
  const block = named(config, 'block');
  assert.equal(block['class_name'], 'Sequential');
  assert.equal(block['module'], keras['module']);
  assert.equal(block['registered_name'], keras['registered_name']);
  assert.deepEqual(classes(block), ['InputLayer', 'Flatten', 'Sequential', 'Dense']);
  assert.equal(layersOf(keras)[0]!['class_name'], 'InputLayer', "Keras's Sequential lists its InputLayer first too");
  for (const l of layersOf(block)) assert.equal(l['inbound_nodes'], undefined, `${String(l['class_name'])} in a Sequential has no inbound nodes`);
  assert.equal((block['config'] as Obj)['input_layers'], undefined);
  assert.deepEqual(((layersOf(block)[0]!['config'] as Obj)['batch_input_shape'] ?? (layersOf(block)[0]!['config'] as Obj)['batch_shape']), [null, 28, 28, 1]);

  // A model in a model in a model: "inner" inside "block".
  const inner = layersOf(block)[2]!;
  assert.equal((inner['config'] as Obj)['name'], 'inner');
  assert.equal(inner['class_name'], 'Sequential');
  assert.equal(inner['module'], 'keras');
  assert.deepEqual(classes(inner), ['InputLayer', 'Dense']);

  // The functional "res" (a residual Add is no chain): a graph with inbound nodes, input and output layers.
  const res = named(config, 'res');
  assert.equal(res['class_name'], 'Functional');
  assert.equal(res['module'], 'keras.src.models.functional');
  assert.equal(res['registered_name'], 'Functional');
  assert.deepEqual(classes(res), ['InputLayer', 'Dense', 'Add']);
  assert.ok(Array.isArray((res['config'] as Obj)['input_layers']) && Array.isArray((res['config'] as Obj)['output_layers']));
  assert.ok(layersOf(res).every((l) => Array.isArray(l['inbound_nodes'])));

  // Variables where saving_lib keeps them: a nested model's under its class's group (a Sequential's InputLayer has none).
  await h5ready();
  const wfile = path.join(tmp, 'deep.weights.h5');
  fs.writeFileSync(wfile, unzipSync(new Uint8Array(fs.readFileSync(out)))['model.weights.h5']!);
  const h5 = openH5(wfile);
  try {
    const shape = (p: string) => (h5.get(p) as { shape: number[] } | null)?.shape;
    assert.deepEqual(shape('layers/sequential/layers/sequential/layers/dense/vars/0'), [784, 8], 'inner/fc kernel');
    assert.deepEqual(shape('layers/sequential/layers/dense/vars/0'), [8, 6], 'block/out kernel');
    assert.deepEqual(shape('layers/functional/layers/dense/vars/0'), [6, 6], 'res/proj kernel');
    assert.deepEqual(shape('layers/dense/vars/0'), [6, 10], 'head kernel');
    assert.equal(h5.get('layers/sequential/layers/input_layer'), null, "a Sequential's InputLayer is not among its saved layers");
  } finally {
    h5.close();
  }
});

test('.keras, .h5 and TF.js exports read back with the run\'s layers, weights and counts, and with the Keras classes', async () => {
  const fromSource = readModel(run.file, fs.readFileSync(run.file, 'utf8')).models.find((m) => m.name === 'outer')!;
  const runModel = await openModelFile(path.join(run.runDir, 'weights', 'model.json'));
  try {
    for (const format of ['keras', 'h5', 'tfjs'] as const) {
      const out = path.join(tmp, 'back', format === 'tfjs' ? 'tfjs' : `deep.${format}`);
      const c = cli();
      assert.equal(await exportCommand([run.runDir, '--to', format, '--out', out], c.io), 0, c.err.join('\n'));
      const back = await openModelFile(format === 'tfjs' ? path.join(out, 'model.json') : out);
      try {
        const m = back.result.models[0]!;
        assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error'), [], format);
        assert.equal(m.totalParams, fromSource.totalParams, `${format}: total params as the source reads`);
        assert.deepEqual(m.layers.filter((l) => l.type !== 'InputLayer').map((l) => `${l.name}:${l.type}`), ['block:Sequential', 'res:Functional', 'head:Dense'], format);
        const inner = m.layers.find((l) => l.name === 'block')!.nested?.graph;
        assert.ok(inner, `${format}: the block opens`);
        assert.deepEqual(inner.layers.filter((l) => l.type !== 'InputLayer').map((l) => `${l.name}:${l.type}`), ['flat:Flatten', 'inner:Sequential', 'out:Dense'], format);
        assert.deepEqual(back.weights!.layers.map((l) => l.layer), runModel.weights!.layers.map((l) => l.layer), format);
        assert.deepEqual(back.weights!.layers.map((l) => l.layer), ['block/inner/fc', 'block/out', 'res/proj', 'head'], format);
        runModel.weights!.layers.forEach((l, i) => l.tensors.forEach((t, j) => assert.deepEqual(readTensor(back.weights!.layers[i]!.tensors[j]!), readTensor(t), `${format}: ${l.layer}/${t.name}`)));
        if (format !== 'keras') {
          // Keras 2 layout: the Sequential's first layer is its InputLayer with batch_input_shape (TF.js folds it into the next layer).
          const block = named(back.modelConfig as Obj, 'block');
          assert.equal(block['class_name'], 'Sequential', format);
          assert.equal(named(back.modelConfig as Obj, 'res')['class_name'], 'Functional', format);
          assert.equal((back.modelConfig as Obj)['class_name'], 'Functional', format);
        }
      } finally {
        back.close();
      }
    }
  } finally {
    runModel.close();
  }
});

test('two layers of one name in models nested at different depths: .keras keeps them apart; .h5 and TF.js, which name weights by the layer alone, refuse and write nothing', async () => {
  const clash = await trainRun('clash', 'fc');
  const keras = cli();
  assert.equal(await exportCommand([clash.runDir, '--to', 'keras', '--out', path.join(tmp, 'clash.keras')], keras.io), 0, keras.err.join('\n'));
  const back = await openModelFile(path.join(tmp, 'clash.keras'));
  try {
    assert.deepEqual(back.weights!.layers.map((l) => l.layer), ['block/inner/fc', 'block/fc', 'res/proj', 'head']);
  } finally {
    back.close();
  }
  for (const [format, out] of [['h5', path.join(tmp, 'clash.h5')], ['tfjs', path.join(tmp, 'clash-tfjs')]] as const) {
    const c = cli();
    assert.equal(await exportCommand([clash.runDir, '--to', format, '--out', out], c.io), 1, format);
    assert.match(c.err.join('\n'), /layers 'block\/inner\/fc' and 'block\/fc' are both named 'fc'.*nothing was written/, format);
    assert.equal(fs.existsSync(out) && (format === 'h5' || fs.existsSync(path.join(out, 'model.json'))), false, `${format}: nothing written`);
  }
});
