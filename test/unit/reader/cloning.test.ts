// clone_model, model_from_json(model.to_json()) and X.from_config(model.get_config()) (issue 10):
// a copy is a new model with the same architecture and fresh layers, as keras/src/models/cloning.py
// makes it — each layer remade with `layer.__class__.from_config(layer.get_config())`, so it keeps
// its name and trainable flag; the model keeps its name. What cannot be followed (a clone_function
// Model Lens cannot read, a config changed through its items, a subclassed model) is said at the line.
// Expected figures follow Keras's formulas: Dense = (in + 1)·units; BatchNormalization = 4·C, of which
// 2·C (moving mean and variance) are never trainable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const errors = (r: ReadResult) => all(r).filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`);
// Input(8) → Dense(8): 72 → BatchNormalization: 32 (16 trainable) → Dense(4): 36.
const SEQ = 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((8,)), layers.Dense(8), layers.BatchNormalization(), layers.Dense(4)])\n';
const FUNC =
  'import keras\nfrom keras import layers\ninputs = keras.Input((8,), name="x")\nh = layers.Dense(8)(inputs)\nh = layers.BatchNormalization()(h)\nmodel = keras.Model(inputs, layers.Dense(4)(h), name="f")\n';
function read(src: string): ReadResult {
  return readModel('m.py', src);
}
function byVar(r: ReadResult, v: string): ModelIR {
  const m = r.models.find((x) => x.variable === v);
  assert.ok(m, `no model bound to ${v}: ${r.models.map((x) => x.variable).join(', ')}`);
  return m;
}
const figures = (m: ModelIR) => [m.totalParams, m.trainableParams];
const names = (m: ModelIR) => m.layers.map((l) => l.name);

describe('clone_model', () => {
  it('a Sequential and a functional model: a new model, same name, same layer names, same counts, at the line of the call', () => {
    for (const src of [SEQ, FUNC]) {
      const r = read(src + 'clone = keras.models.clone_model(model)\n');
      assert.deepEqual(errors(r), []);
      const [model, clone] = [byVar(r, 'model'), byVar(r, 'clone')];
      assert.deepEqual(figures(clone), [72 + 32 + 36, 72 + 16 + 36]);
      assert.deepEqual(figures(clone), figures(model));
      assert.equal(clone.name, model.name);
      assert.deepEqual(names(clone), names(model));
      assert.equal(clone.range.line, src.split('\n').length);
      assert.equal(clone.gaps, undefined);
    }
  });

  it('tf.keras.models.clone_model and `from tensorflow.keras.models import clone_model`', () => {
    const tf = 'import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(8)])\nc = tf.keras.models.clone_model(m)\n';
    assert.deepEqual(figures(byVar(read(tf), 'c')), [72, 72]);
    const imported = 'from tensorflow.keras.models import Sequential, clone_model\nfrom tensorflow.keras.layers import Dense\nm = Sequential([Dense(8, input_shape=(8,))])\nc = clone_model(m)\n';
    assert.deepEqual(figures(byVar(read(imported), 'c')), [72, 72]);
  });

  it('trainable flags: a layer frozen before the clone is frozen in it (its config says so); changes after it are the model\'s own', () => {
    const r = read(SEQ + 'model.layers[0].trainable = False\nclone = keras.models.clone_model(model)\nclone.layers[2].trainable = False\nmodel.layers[0].trainable = True\n');
    assert.deepEqual(figures(byVar(r, 'model')), [140, 72 + 16 + 36]);
    assert.deepEqual(figures(byVar(r, 'clone')), [140, 16]);
    const frozen = read(SEQ + 'model.trainable = False\nclone = keras.models.clone_model(model)\nmodel.trainable = True\n');
    assert.deepEqual(figures(byVar(frozen, 'clone')), [140, 0]);
    assert.deepEqual(figures(byVar(frozen, 'model')), [140, 124]);
    const thawed = read(FUNC + 'model.trainable = False\nclone = keras.models.clone_model(model)\nclone.trainable = True\n');
    assert.deepEqual(figures(byVar(thawed, 'clone')), [140, 124]);
    assert.deepEqual(figures(byVar(thawed, 'model')), [140, 0]);
  });

  it('layers added to the clone or the model later belong to that one only', () => {
    const r = read('import keras\nfrom keras import layers\nmodel = keras.Sequential()\nmodel.add(layers.Dense(8, input_shape=(4,)))\nclone = keras.models.clone_model(model)\nclone.add(layers.Dense(2))\nmodel.add(layers.Dense(3))\n');
    assert.deepEqual(errors(r), []);
    assert.deepEqual(figures(byVar(r, 'model')), [40 + 27, 40 + 27]);
    assert.deepEqual(figures(byVar(r, 'clone')), [40 + 18, 40 + 18]);
  });

  it('a model used as a layer is cloned too: freezing it in the clone leaves the original base trainable', () => {
    const r = read('import keras\nfrom keras import layers\nbase = keras.Sequential([keras.Input((4,)), layers.Dense(6)], name="base")\nouter = keras.Sequential([base, layers.Dense(1)], name="outer")\nclone = keras.models.clone_model(outer)\nclone.layers[0].trainable = False\n');
    assert.deepEqual(errors(r), []);
    assert.deepEqual(figures(byVar(r, 'outer')), [30 + 7, 37]);
    assert.deepEqual(figures(byVar(r, 'clone')), [37, 7]);
    assert.deepEqual(figures(byVar(r, 'base')), [30, 30]);
  });

  it("the copy of a model inside the one cloned is opened through the copy's node, not listed as a model of its own", () => {
    const src =
      'import keras\nfrom keras import layers\nblock = keras.Sequential([keras.Input((4,)), layers.Dense(8)], name="block")\ninputs = keras.Input((4,))\nouter = keras.Model(inputs, layers.Dense(2)(block(inputs)), name="outer")\ncopy = keras.models.clone_model(outer)\nagain = keras.Model.from_config(outer.get_config())\nseq = keras.Sequential([block, layers.Dense(1)])\nseq_copy = keras.models.clone_model(seq)\n';
    const r = read(src);
    assert.deepEqual(errors(r), []);
    // Keras's view: the models the file builds (block, outer, seq) and the copies it names; no unnamed 'block' copies.
    assert.deepEqual(r.models.map((m) => m.variable), ['block', 'outer', 'copy', 'again', 'seq', 'seq_copy']);
    for (const v of ['copy', 'again', 'seq_copy']) {
      const node = byVar(r, v).layers.find((l) => l.name === 'block');
      // block: (4 + 1)·8 = 40, opened from the copy's node (its own graph, at the copy's line).
      assert.equal(node?.params, 40, v);
      assert.equal(node?.nested?.graph?.totalParams, 40, v);
      assert.notEqual(node?.nested?.graph, byVar(r, 'block'), `${v}: the copy's own inner model`);
    }
    // An incomplete inner model still makes each copy incomplete at its line.
    const gap = read(src.replace('inputs = keras.Input', 'import lib\nlib.mutate(block)\ninputs = keras.Input'));
    assert.ok(['copy', 'again', 'seq_copy'].every((v) => byVar(gap, v).diagnostics.some((d) => d.code === 'incomplete')), errors(gap).join('\n'));
  });

  it('a layer called twice (shared weights) is one layer of the clone, called twice', () => {
    const r = read('import keras\nfrom keras import layers\ninp = keras.Input((4,))\nd = layers.Dense(4)\nmodel = keras.Model(inp, d(d(inp)))\nclone = keras.models.clone_model(model)\n');
    assert.deepEqual(figures(byVar(r, 'clone')), [20, 20]);
  });

  it('input_tensors= a keras.Input: the clone is built on it', () => {
    const r = read(FUNC + 'new_in = keras.Input((3,), name="y")\nclone = keras.models.clone_model(model, input_tensors=[new_in])\n');
    const clone = byVar(r, 'clone');
    assert.equal(clone.layers[0]!.name, 'y');
    assert.deepEqual(figures(clone), [4 * 8 + 32 + 36, 32 + 16 + 36]);
  });

  it("clone_function: Keras's default written out, and one that changes the config (followed)", () => {
    const dflt = read(FUNC + 'clone = keras.models.clone_model(model, clone_function=lambda layer: layer.__class__.from_config(layer.get_config()))\n');
    assert.deepEqual(errors(dflt), []);
    assert.deepEqual(figures(byVar(dflt, 'clone')), [140, 124]);
    const wider = read(SEQ + 'def widen(layer):\n    config = layer.get_config()\n    if isinstance(layer, layers.Dense):\n        config["units"] = 16\n    return type(layer).from_config(config)\nclone = keras.models.clone_model(model, clone_function=widen)\n');
    assert.deepEqual(errors(wider), []);
    // Dense(8 → 16): 144; BatchNormalization(16): 64 (32 trainable); Dense(16 → 16): 272.
    assert.deepEqual(figures(byVar(wider, 'clone')), [144 + 64 + 272, 144 + 32 + 272]);
    assert.deepEqual(names(byVar(wider, 'clone')), names(byVar(wider, 'model')));
  });

  it('clone_function=lambda l: l reuses the layers (the same weights): same counts', () => {
    const r = read(FUNC + 'clone = keras.models.clone_model(model, clone_function=lambda l: l)\n');
    assert.deepEqual(errors(r), []);
    assert.deepEqual(figures(byVar(r, 'clone')), [140, 124]);
  });

  it('a clone_function Model Lens cannot read, or a call_function: the clone is incomplete at the line (exit 1)', () => {
    for (const arg of ['clone_function=helpers.clone_layer', 'clone_function=lambda l: l if random.random() > 0.5 else layers.Dense(3)', 'call_function=lambda layer, *a, **k: layer(*a, **k)']) {
      const r = read('import random, helpers\n' + FUNC + `clone = keras.models.clone_model(model, ${arg})\n`);
      const clone = byVar(r, 'clone');
      assert.ok(clone.gaps?.some((g) => g.range.line === 8), `${arg}: ${JSON.stringify(clone.gaps)}`);
      assert.ok(all(r).some((d) => d.code === 'incomplete' && d.range.line === 8));
    }
  });

  it('a clone of an incomplete model is incomplete; a subclassed model or an unknown one is an error at the line', () => {
    const r = read('import keras, random\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((8,)), layers.Dense(8)])\nif random.random() > 0.5:\n    model.add(layers.Dense(8))\nclone = keras.models.clone_model(model)\n');
    assert.deepEqual(byVar(r, 'clone').gaps?.map((g) => g.range.line), [4]);
    const sub = read('import keras\nfrom keras import layers\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(3)\n    def call(self, x):\n        return self.d(x)\nnet = Net()\nnet.build((None, 4))\nclone = keras.models.clone_model(net)\n');
    assert.ok(errors(sub).some((e) => /^11: clone_model: model 'net' is of a subclass of keras.Model/.test(e)), errors(sub).join('\n'));
    const unknown = read(SEQ + 'import json\nother = keras.models.model_from_json(open("model.json").read())\n');
    assert.ok(errors(unknown).some((e) => /^5: model_from_json\(.*cannot tell which model/.test(e)), errors(unknown).join('\n'));
  });
});

describe('model_from_json(model.to_json()) and from_config(model.get_config())', () => {
  it('a copy of the model as it was when its config was taken', () => {
    const r = read('import keras\nfrom keras import layers\nmodel = keras.Sequential()\nmodel.add(layers.Dense(8, input_shape=(4,)))\njson_string = model.to_json()\nconfig = model.get_config()\nmodel.add(layers.Dense(3))\nfrom_json = keras.models.model_from_json(json_string)\nfrom_cfg = keras.Sequential.from_config(config)\n');
    assert.deepEqual(errors(r), []);
    assert.deepEqual(figures(byVar(r, 'model')), [40 + 27, 67]);
    assert.deepEqual(figures(byVar(r, 'from_json')), [40, 40]);
    assert.deepEqual(figures(byVar(r, 'from_cfg')), [40, 40]);
    assert.deepEqual(names(byVar(r, 'from_json')), ['input_layer', 'dense']);
  });

  it('Model.from_config / model.__class__.from_config of a functional model; a frozen model stays frozen in its layers', () => {
    const r = read(FUNC + 'model.trainable = False\na = keras.Model.from_config(model.get_config())\nb = model.__class__.from_config(model.get_config())\n');
    assert.deepEqual(figures(byVar(r, 'a')), [140, 0]);
    assert.deepEqual(figures(byVar(r, 'b')), [140, 0]);
  });

  it('a config changed through its items is in doubt: the model made from it is incomplete there', () => {
    const r = read(SEQ + 'config = model.get_config()\nconfig["layers"][1]["config"]["units"] = 64\ncopy = keras.Sequential.from_config(config)\n');
    assert.deepEqual(byVar(r, 'copy').gaps?.map((g) => g.range.line), [5]);
    assert.equal(byVar(r, 'model').gaps, undefined);
  });

  it("the wrong kind of config, or another class's, is an error at the line", () => {
    const json = read(SEQ + 'copy = keras.Sequential.from_config(model.to_json())\n');
    assert.ok(errors(json).some((e) => /^4: .*takes a config dict/.test(e)), errors(json).join('\n'));
    const cls = read(FUNC + 'copy = keras.Sequential.from_config(model.get_config())\n');
    assert.ok(errors(cls).some((e) => /^7: .*config of a functional model/.test(e)), errors(cls).join('\n'));
  });
});

describe('a model with a mask (Embedding(mask_zero=True)) copied', () => {
  it("clone_model keeps the mask a mask: the recurrent layer's states are not taken for it", () => {
    const src = 'import keras\nfrom keras import layers\ninputs = keras.Input(shape=(None,), dtype="int64")\nx = layers.Embedding(100, 8, mask_zero=True)(inputs)\nx = layers.Bidirectional(layers.LSTM(4))(x)\nmodel = keras.Model(inputs, layers.Dense(1)(x))\ncopy = keras.models.clone_model(model)\n';
    const r = readModel('m.py', src);
    assert.deepEqual(errors(r), []);
    // Embedding 100·8 = 800; Bidirectional(LSTM(4)) on 8: 2·4·(4·(8 + 4) + 4) = 416; Dense(1) on 8: 9.
    assert.deepEqual(r.models.map((m) => m.totalParams), [1225, 1225]);
  });
});

describe('load_model of a file the script itself writes first', () => {
  const S = 'import keras\nfrom keras import layers\ninputs = keras.Input((8,))\nmodel = keras.Model(inputs, layers.Dense(4)(layers.Dense(8)(inputs)), name="net")\nmodel.compile(optimizer="adam", loss="mse")\n';
  const infos = (r: ReadResult) => all(r).filter((d) => d.severity === 'info');

  it("a ModelCheckpoint given to fit, then load_model of its path (Deep Learning with Python 2nd ed.): the model as it was at the fit", () => {
    const r = readModel('/nowhere/m.py', S + 'cb = [keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)]\nmodel.fit(x, y, epochs=3, callbacks=cb)\nbest = keras.models.load_model("best.keras")\nbest.evaluate(x, y)\n');
    assert.deepEqual(errors(r), []);
    const loaded = r.models.find((m) => m.range.line === 8)!;
    // Dense(8) on 8: 72; Dense(4) on 8: 36.
    assert.deepEqual([loaded.name, loaded.totalParams], ['net', 108]);
    assert.equal(infos(r).length, 1);
    assert.match(infos(r)[0]!.message, /'best\.keras' is not there yet; it is the file this script writes at line 7 \(a ModelCheckpoint in fit of model 'net'\)/);
  });

  it('model.save(path) then load_model(path): the model as it was at the save, not as changed after', () => {
    const r = readModel('/nowhere/m.py', S + 'model.save("m.keras")\nmodel.layers[1].trainable = False\nagain = keras.models.load_model("m.keras")\n');
    assert.deepEqual(errors(r), []);
    const loaded = r.models.find((m) => m.range.line === 8)!;
    assert.deepEqual([loaded.totalParams, loaded.trainableParams], [108, 108]);
  });

  it('a saved model that calls a layer class of the file is not copied: an error at the load saying so', () => {
    const block = 'import keras\nfrom keras import layers\nclass Block(layers.Layer):\n    def __init__(self, **kw):\n        super().__init__(**kw)\n        self.d = layers.Dense(4)\n    def call(self, x):\n        return self.d(x)\ninputs = keras.Input((8,))\nmodel = keras.Model(inputs, Block()(inputs))\nmodel.save("b.keras")\nagain = keras.models.load_model("b.keras", custom_objects={"Block": Block})\n';
    const r = readModel('/nowhere/m.py', block);
    assert.ok(errors(r).some((e) => /^12: load_model: 'b\.keras' is not there yet; this script writes it at line 11 .*layer class of the file \(Block\)/.test(e)), errors(r).join('\n'));
  });

  it('a checkpoint of weights only, or a path with {epoch} in it, is no model file: load_model of a missing file stays an error', () => {
    for (const cb of ['keras.callbacks.ModelCheckpoint("w.keras", save_weights_only=True)', 'keras.callbacks.ModelCheckpoint("m_{epoch}.keras")']) {
      const r = readModel('/nowhere/m.py', S + `model.fit(x, y, callbacks=[${cb}])\nbest = keras.models.load_model("w.keras")\n`);
      assert.ok(errors(r).some((e) => e.startsWith('7: ') && /load_model/.test(e)), cb);
    }
  });
});
