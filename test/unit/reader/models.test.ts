// Every model file of the manifest read and compared with Keras's figures.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readModel } from '../../../src/core/read-model';
import { MANIFEST, PUBLISHED } from './manifest';

const root = path.resolve(__dirname, '../../..');

describe('reader manifest', () => {
  for (const entry of MANIFEST) {
    it(entry.file, () => {
      const result = readModel(entry.file, fs.readFileSync(path.join(root, entry.file), 'utf8'));
      assert.deepEqual(result.diagnostics, [], 'no file-level diagnostics');
      assert.deepEqual(
        result.models.map((m) => m.name),
        entry.models.map((m) => m.name),
        'models found',
      );
      entry.models.forEach((want, i) => {
        const got = result.models[i]!;
        assert.deepEqual(got.diagnostics, [], `${want.name}: no diagnostics`);
        assert.equal(got.range.line, want.line, `${want.name}: line of the model`);
        assert.equal(got.style, want.style);
        if (want.variable) assert.equal(got.variable, want.variable);
        assert.deepEqual(
          got.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
          want.layers,
          `${want.name}: layers`,
        );
        for (let j = 1; j < got.layers.length; j++) {
          const l = got.layers[j]!;
          const expected = want.inputs?.[l.name] ?? (l.type === 'InputLayer' ? [] : [got.layers[j - 1]!.name]);
          assert.deepEqual(l.inputs, expected, `${want.name}: inputs of ${l.name}`);
        }
        assert.equal(got.totalParams, want.total, `${want.name}: total`);
        assert.equal(got.trainableParams, want.trainable, `${want.name}: trainable`);
        assert.equal(got.nonTrainableParams, want.nonTrainable, `${want.name}: non-trainable`);
        assert.equal(got.inputs[0], got.layers[0]!.name);
        assert.equal(got.outputs[0], got.layers[got.layers.length - 1]!.name);
        for (const [key, value] of Object.entries(want.training ?? {})) {
          const t = got.training;
          const actual =
            key === 'optimizer' ? t.optimizer?.name : key === 'learningRate' ? t.optimizer?.learningRate : (t as Record<string, unknown>)[key];
          if (typeof value === 'number' && !Number.isInteger(value)) assert.ok(Math.abs((actual as number) - value) < 1e-12, `${key}: ${actual} ≠ ${value}`);
          else assert.deepEqual(actual, value, `${want.name}: training.${key}`);
        }
      });
    });
  }

  it('layer ranges point at the layer constructor call', () => {
    const text = fs.readFileSync(path.join(root, 'examples/basic_cnn.py'), 'utf8');
    const m = readModel('basic_cnn.py', text).models[0]!;
    const conv = m.layers.find((l) => l.name === 'conv2d')!;
    assert.deepEqual([conv.range.line, conv.range.column], [10, 7]);
    const lines = text.split('\n');
    assert.ok(lines[conv.range.endLine - 1]!.slice(conv.range.column - 1, conv.range.endColumn - 1) === "layers.Conv2D(32, (3, 3), padding='SAME')");
    assert.equal(m.layers[0]!.range.line, 9);
    assert.equal(m.range.column, 9); // tf.keras.Model( on line 31
  });

  it('fills Keras defaults and normalizes arguments in the config', () => {
    const m = readModel('examples/basic_cnn.py', fs.readFileSync(path.join(root, 'examples/basic_cnn.py'), 'utf8')).models[0]!;
    const conv = m.layers[1]!.config;
    assert.deepEqual(conv['kernel_size'], [3, 3]);
    assert.equal(conv['padding'], 'same'); // written 'SAME'
    assert.deepEqual(conv['strides'], [1, 1]);
    assert.equal(conv['activation'], null);
    assert.equal(conv['use_bias'], true);
    assert.equal(conv['name'], 'conv2d');
    const pool = m.layers.find((l) => l.type === 'MaxPooling2D')!.config;
    assert.deepEqual(pool['pool_size'], [2, 2]);
    assert.equal(pool['strides'], null); // None → pool_size, as in Keras
    assert.equal(m.layers.find((l) => l.type === 'Dropout')!.config['rate'], 0.5);
    assert.equal(m.layers[2]!.config['activation'], 'relu');
  });
});

describe('published models (totals from the authors\' printed summaries)', () => {
  it("has 60 or more published models, no model twice", () => {
    assert.ok(PUBLISHED.length >= 60, String(PUBLISHED.length));
    assert.equal(new Set(PUBLISHED.map((p) => `${p.file} ${p.model ?? ''} ${p.summaryLine ?? ''} ${p.summaryRun ?? ''}`)).size, PUBLISHED.length);
  });
  for (const p of PUBLISHED) {
    it(`${path.basename(p.file)}${p.model ? ` (${p.model})` : ''}${p.summaryLine ? ` (summary() at line ${p.summaryLine}${p.summaryRun !== undefined ? `, run ${p.summaryRun}` : ''})` : ''} — ${p.source}`, () => {
      const result = readModel(p.file, fs.readFileSync(path.join(root, p.file), 'utf8'));
      const problems = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
      assert.deepEqual(problems.map((d) => `${d.range.line}: ${d.message}`), []);
      if (p.summaryLine !== undefined) {
        // The summary() call at that line (of whichever model it is called on; its given run in a loop) prints these figures.
        const calls = result.models.flatMap((x) => (x.summaries ?? []).filter((s) => s.range.line === p.summaryLine));
        if (p.summaryRun === undefined) assert.equal(calls.length, 1, `summary() calls at line ${p.summaryLine}`);
        const call = calls[p.summaryRun ?? 0];
        assert.ok(call, `run ${p.summaryRun} of the ${calls.length} summary() calls at line ${p.summaryLine}`);
        assert.deepEqual([call.totalParams, call.trainableParams, call.nonTrainableParams], [p.total, p.trainable, p.nonTrainable]);
        return;
      }
      const m = p.model ? result.models.find((x) => x.name === p.model) : result.models[result.models.length - 1];
      assert.ok(m, `model ${p.model ?? '(last)'} in ${result.models.map((x) => x.name).join(', ')}`);
      assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [p.total, p.trainable, p.nonTrainable]);
    });
  }
});
