// Tensor operations on Keras tensors (tensor-ops.ts, op-calls.ts): inside a layer's call() and at
// the top level of a functional model. Expected figures come from Keras's formulas (written beside
// each) or from printed summaries (cited); never from the reader's own output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic, ModelIR, ReadResult } from '../../../src/core/model/ir';
import { trainingBlocker } from '../../../src/core/keras/layer-table';
import { describeLayer } from '../../../src/core/keras/describe-layer';
import { readModel } from '../../../src/core/read-model';

const all = (r: ReadResult): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const errors = (r: ReadResult) => all(r).filter((d) => d.severity === 'error');
const read = (src: string) => readModel('m.py', src);
function clean(src: string): ModelIR[] {
  const r = read(src);
  assert.deepEqual(all(r).map((d) => `${d.range.line}: ${d.message}`), []);
  return r.models;
}
const K3 = 'import keras\nfrom keras import layers, ops\n';
/**
 * The model's rows with each call of a layer class of the file opened: its graph's layers (Keras
 * lists the call as one row; what its call() computes is in that row's graph).
 */
const opened = (m: ModelIR): ModelIR['layers'] =>
  m.layers.flatMap((l) => (l.nested?.block && l.nested.graph ? [l, ...opened(l.nested.graph).filter((x) => !l.nested!.graph!.inputs.includes(x.name))] : [l]));
const TF = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

// keras.io "Text classification with Transformer": token and position embeddings summed.
const embedding = (shape: string, range: string) =>
  'class TokenAndPositionEmbedding(layers.Layer):\n' +
  '    def __init__(self, maxlen, vocab_size, embed_dim):\n' +
  '        super().__init__()\n' +
  '        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)\n' +
  '        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)\n' +
  '    def call(self, x):\n' +
  `        maxlen = ${shape}(x)[-1]\n` +
  `        positions = ${range}\n` +
  '        positions = self.pos_emb(positions)\n' +
  '        x = self.token_emb(x)\n' +
  '        return x + positions\n';
const K3_EMBEDDING = embedding('ops.shape', 'ops.arange(start=0, stop=maxlen, step=1)');
const TF_EMBEDDING = embedding('tf.shape', 'tf.range(start=0, limit=maxlen, delta=1)');
const BLOCK =
  'class TransformerBlock(layers.Layer):\n' +
  '    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):\n' +
  '        super().__init__()\n' +
  '        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)\n' +
  '        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])\n' +
  '        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)\n' +
  '        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)\n' +
  '        self.dropout1 = layers.Dropout(rate)\n' +
  '        self.dropout2 = layers.Dropout(rate)\n' +
  '    def call(self, inputs):\n' +
  '        attn_output = self.att(inputs, inputs)\n' +
  '        attn_output = self.dropout1(attn_output)\n' +
  '        out1 = self.layernorm1(inputs + attn_output)\n' +
  '        ffn_output = self.ffn(out1)\n' +
  '        ffn_output = self.dropout2(ffn_output)\n' +
  '        return self.layernorm2(out1 + ffn_output)\n';

describe('tensor operations inside a layer’s call()', () => {
  const head = (block: string) =>
    'inputs = layers.Input(shape=(200,))\n' +
    'x = TokenAndPositionEmbedding(200, 20000, 32)(inputs)\n' +
    block +
    'x = layers.GlobalAveragePooling1D()(x)\n' +
    'outputs = layers.Dense(2, activation="softmax")(x)\n' +
    'model = keras.Model(inputs=inputs, outputs=outputs)\n';

  // Embedding params = input_dim·output_dim: tokens 20000·32 = 640,000; positions 200·32 = 6,400.
  // Dense (32 + 1)·2 = 66.
  const EMBEDDINGS = 20000 * 32 + 200 * 32;
  for (const [form, src] of [
    ['keras.ops (Keras 3)', K3 + K3_EMBEDDING],
    ['tf.shape / tf.range (tf.keras)', TF + TF_EMBEDDING],
  ] as const) {
    it(`TokenAndPositionEmbedding written with ${form}: positions (200,) embedded to (200, 32), broadcast onto the batch`, () => {
      const [m] = clean(src + head(''));
      assert.equal(m!.totalParams, EMBEDDINGS + 66);
      assert.equal(m!.trainableParams, EMBEDDINGS + 66);
      const byName = new Map(opened(m!).map((l) => [l.name, l]));
      // One row for the layer class, as Keras prints it: its two embeddings' weights.
      assert.deepEqual([byName.get('token_and_position_embedding')!.type, byName.get('token_and_position_embedding')!.params], ['TokenAndPositionEmbedding', EMBEDDINGS]);
      // The position embedding works on a constant without a batch axis, as Keras runs it.
      assert.deepEqual(byName.get('embedding_1')!.outputShape, [200, 32]);
      assert.deepEqual(byName.get('embedding')!.outputShape, [null, 200, 32]);
      const sum = opened(m!).find((l) => l.type === 'Add')!;
      assert.deepEqual(sum.outputShape, [null, 200, 32]);
      assert.equal(sum.params, 0);
      assert.deepEqual(m!.layers.at(-1)!.outputShape, [null, 2]);
    });
  }

  for (const [form, src] of [
    ['keras.ops (Keras 3)', K3 + K3_EMBEDDING],
    ['tf.shape / tf.range (tf.keras)', TF + TF_EMBEDDING],
  ] as const) {
    it(`written with ${form} on sequences of any length (Input shape (None,), DLWP 2nd ed. ch. 11): positions (None,), the sum (None, None, 32)`, () => {
      const [m] = clean(src + head('').replace('shape=(200,)', 'shape=(None,), dtype="int64"'));
      // The same weights: the position table's size is maxlen (200), not the input's length.
      assert.equal(m!.totalParams, EMBEDDINGS + 66);
      const byName = new Map(opened(m!).map((l) => [l.name, l]));
      assert.deepEqual(byName.get('embedding_1')!.outputShape, [null, 32]);
      assert.deepEqual(byName.get('embedding')!.outputShape, [null, null, 32]);
      // (None, None, 32) + (None, 32): numpy's rules from the right, None against None stays None.
      assert.deepEqual(opened(m!).find((l) => l.type === 'Add')!.outputShape, [null, null, 32]);
      assert.deepEqual(byName.get('token_and_position_embedding')!.outputShape, [null, null, 32]);
    });
  }

  // A VAE's sampling layer (GDL 2nd ed. vae_fashion "encoder": sampling (Sampling) (None, 2) 0,
  // Total params: 100,868; keras.io's VAE writes it with keras.random and a SeedGenerator).
  for (const [form, head2, noise] of [
    ['tf.random.normal', TF, 'tf.random.normal(shape=(batch, dim))'],
    ['keras.backend.random_normal', TF + 'import tensorflow.keras.backend as K\n', 'K.random_normal(shape=(batch, dim))'],
    ['keras.random.normal with a seed generator', K3 + 'import tensorflow as tf\n', 'keras.random.normal(shape=(batch, dim), seed=self.seeds)'],
  ] as const) {
    it(`a VAE's sampling noise of shape (batch, dim) written with ${form}: a batch tensor (None, dim), the layer's row (None, 2) with no weights`, () => {
      const src =
        head2 +
        'class Sampling(layers.Layer):\n' +
        '    def __init__(self, **kw):\n        super().__init__(**kw)\n        self.seeds = keras.random.SeedGenerator(7)\n' +
        '    def call(self, inputs):\n' +
        '        z_mean, z_log_var = inputs\n' +
        '        batch = tf.shape(z_mean)[0]\n        dim = tf.shape(z_mean)[1]\n' +
        `        epsilon = ${noise}\n` +
        '        return z_mean + tf.exp(0.5 * z_log_var) * epsilon\n' +
        'inputs = keras.Input(shape=(32, 32, 1))\n' +
        'x = layers.Conv2D(32, 3, strides=2, padding="same")(inputs)\n' +
        'x = layers.Flatten()(x)\n' +
        'z_mean = layers.Dense(2)(x)\nz_log_var = layers.Dense(2)(x)\n' +
        'model = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n';
      const [m] = clean(src.replace(/tf\.shape/g, form.startsWith('keras.random') ? 'ops.shape' : 'tf.shape').replace('tf.exp', form.startsWith('keras.random') ? 'ops.exp' : 'tf.exp'));
      // Conv2D (3·3·1 + 1)·32 = 320 → 16·16·32 = 8,192 → Dense (8,192 + 1)·2 = 16,386 twice.
      assert.equal(m!.totalParams, 320 + 2 * 16386);
      const row = m!.layers.find((l) => l.type === 'Sampling')!;
      assert.deepEqual([row.outputShape, row.params], [[null, 2], 0]);
    });
  }

  it("a causal mask from the sequence's length (GDL 2nd ed. GPT): a size known at run time in arithmetic is a 0-D tensor, tf.bool / tf.int32 read as dtypes; the same function called on numbers at the top level is no model's concern", () => {
    const mask =
      'def causal(batch, n_dest, n_src, dtype):\n' +
      '    i = tf.range(n_dest)[:, None]\n    j = tf.range(n_src)\n' +
      '    m = tf.cast(i >= j - n_src + n_dest, dtype)\n' +
      '    m = tf.reshape(m, [1, n_dest, n_src])\n' +
      '    return tf.tile(m, tf.concat([tf.expand_dims(batch, -1), tf.constant([1, 1], dtype=tf.int32)], 0))\n' +
      'demo = causal(1, 4, 4, dtype=tf.int32)\n';
    const block =
      'class Block(layers.Layer):\n' +
      '    def __init__(self):\n        super().__init__()\n        self.attn = layers.MultiHeadAttention(2, 8, output_shape=16)\n' +
      '    def call(self, x):\n' +
      '        s = tf.shape(x)\n' +
      '        out, scores = self.attn(x, x, attention_mask=causal(s[0], s[1], s[1], tf.bool), return_attention_scores=True)\n' +
      '        return out, scores\n';
    const r = read(TF + mask + block + 'inputs = keras.Input(shape=(None, 16))\nmodel = keras.Model(inputs, Block()(inputs))\n');
    assert.deepEqual(errors(r).map((d) => `${d.range.line}: ${d.message}`), []);
    const m = r.models[0]!;
    // MultiHeadAttention(2 heads, key_dim 8, output 16) on 16 features: q, k, v each 16·2·8 + 2·8 = 272; output 2·8·16 + 16 = 272 → 1,088.
    assert.equal(m.totalParams, 1088);
    assert.deepEqual(m.layers.at(-1)!.outputShapes, [[null, null, 16], [null, 2, null, null]]);
  });

  it('random noise of a constant shape is a constant; a size other than the batch that is not known is an error at the line', () => {
    const [m] = clean(K3 + 'class Jitter(layers.Layer):\n    def call(self, x):\n        return x + keras.random.uniform((8,), minval=-0.1, maxval=0.1)\ninputs = keras.Input(shape=(4, 8))\nmodel = keras.Model(inputs, Jitter()(inputs))\n');
    assert.deepEqual(m!.layers.at(-1)!.outputShape, [null, 4, 8]); // (None, 4, 8) + (8,)
    const r = read(K3 + 'import sys\nclass Bad(layers.Layer):\n    def call(self, x):\n        return x + keras.random.normal((ops.shape(x)[0], int(sys.argv[1])))\ninputs = keras.Input(shape=(8,))\nmodel = keras.Model(inputs, Bad()(inputs))\n');
    assert.ok(errors(r).some((e) => e.range.line === 6), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });

  it("keras.io's Transformer text classifier end to end: the formulas' total", () => {
    const m = clean(K3 + K3_EMBEDDING + BLOCK + head('x = TransformerBlock(32, 2, 32)(x)\nx = layers.Dropout(0.1)(x)\nx = layers.Dense(20, activation="relu")(x)\nx = layers.Dropout(0.1)(x)\n')).find((x) => x.name === 'functional');
    // TransformerBlock(32, 2, 32): MultiHeadAttention q, k, v each 32·2·32 + 2·32 = 2,112, output
    // 2·32·32 + 32 = 2,080 → 8,416; ffn (32 + 1)·32 = 1,056 twice; LayerNormalization 2·32 twice
    // = 128 → 10,656 (the figure a printed tf.keras summary of this block shows: "transformer_block
    // (Transform (None, 256, 32) 10656" for embed_dim 32, 2 heads, ff_dim 32).
    // GlobalAveragePooling1D → Dense(20) (32 + 1)·20 = 660 → Dense(2) (20 + 1)·2 = 42.
    assert.equal(m!.totalParams, EMBEDDINGS + 10656 + 660 + 42);
    assert.deepEqual(m!.layers.at(-1)!.outputShape, [null, 2]);
  });

  it('the same totals as the sum written with layers.Add() where both are batch tensors', () => {
    const withOps = clean(K3 + BLOCK + 'inputs = layers.Input(shape=(10, 16))\nmodel = keras.Model(inputs, TransformerBlock(16, 2, 8)(inputs))\n')[0]!;
    const withAdd = clean(K3 + BLOCK.replace('inputs + attn_output', 'layers.Add()([inputs, attn_output])').replace('out1 + ffn_output', 'layers.Add()([out1, ffn_output])') + 'inputs = layers.Input(shape=(10, 16))\nmodel = keras.Model(inputs, TransformerBlock(16, 2, 8)(inputs))\n')[0]!;
    assert.equal(withOps.totalParams, withAdd.totalParams);
    assert.deepEqual(withOps.layers.map((l) => l.outputShape), withAdd.layers.map((l) => l.outputShape));
  });

  it("ViT's Patches and PatchEncoder (ops.image.extract_patches, reshape by the batch size, position embedding of ops.arange)", () => {
    const [m] = clean(
      K3 +
        'class Patches(layers.Layer):\n' +
        '    def __init__(self, patch_size):\n' +
        '        super().__init__()\n' +
        '        self.patch_size = patch_size\n' +
        '    def call(self, images):\n' +
        '        batch, height, width, channels = ops.shape(images)\n' +
        '        patches = ops.image.extract_patches(images, size=self.patch_size)\n' +
        '        n = (height // self.patch_size) * (width // self.patch_size)\n' +
        '        return ops.reshape(patches, (batch, n, self.patch_size * self.patch_size * channels))\n' +
        'class PatchEncoder(layers.Layer):\n' +
        '    def __init__(self, num_patches, projection_dim):\n' +
        '        super().__init__()\n' +
        '        self.num_patches = num_patches\n' +
        '        self.projection = layers.Dense(units=projection_dim)\n' +
        '        self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)\n' +
        '    def call(self, patch):\n' +
        '        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)\n' +
        '        return self.projection(patch) + self.position_embedding(positions)\n' +
        'inputs = keras.Input(shape=(72, 72, 3))\n' +
        'p = Patches(6)(inputs)\n' +
        'e = PatchEncoder(144, 64)(p)\n' +
        'x = layers.LayerNormalization(epsilon=1e-6)(e)\n' +
        'x = layers.Flatten()(x)\n' +
        'model = keras.Model(inputs, layers.Dense(2)(x))\n',
    );
    // 72 / 6 = 12 patches a side, 144 patches of 6·6·3 = 108 values. Dense(64) (108 + 1)·64 = 6,976;
    // Embedding 144·64 = 9,216; LayerNormalization 2·64 = 128; Flatten 144·64 = 9,216 → Dense(2) (9,216 + 1)·2 = 18,434.
    const shapes = new Map(opened(m!).map((l) => [l.type, l.outputShape]));
    assert.deepEqual(m!.layers.map((l) => l.name), ['input_layer', 'patches', 'patch_encoder', 'layer_normalization', 'flatten', 'dense_1']);
    assert.deepEqual(shapes.get('ExtractPatches'), [null, 12, 12, 108]);
    assert.deepEqual(shapes.get('Reshape'), [null, 144, 108]);
    assert.deepEqual(shapes.get('Embedding'), [1, 144, 64]);
    assert.deepEqual(shapes.get('Add'), [null, 144, 64]);
    assert.equal(m!.totalParams, 6976 + 9216 + 128 + 18434);
  });

  it("keras.io's earlier MultiHeadSelfAttention (tf.reshape by tf.shape(x)[0], tf.transpose, tf.matmul, / tf.math.sqrt of a cast size, tf.nn.softmax)", () => {
    const [m] = clean(
        'import tensorflow as tf\n' +
        'from tensorflow import keras\n' +
        'from tensorflow.keras import layers\n' +
        'class MultiHeadSelfAttention(layers.Layer):\n' +
        '    def __init__(self, embed_dim, num_heads=8):\n' +
        '        super().__init__()\n' +
        '        self.embed_dim = embed_dim\n' +
        '        self.num_heads = num_heads\n' +
        '        self.projection_dim = embed_dim // num_heads\n' +
        '        self.query_dense = layers.Dense(embed_dim)\n' +
        '        self.key_dense = layers.Dense(embed_dim)\n' +
        '        self.value_dense = layers.Dense(embed_dim)\n' +
        '        self.combine_heads = layers.Dense(embed_dim)\n' +
        '    def attention(self, query, key, value):\n' +
        '        score = tf.matmul(query, key, transpose_b=True)\n' +
        '        dim_key = tf.cast(tf.shape(key)[-1], tf.float32)\n' +
        '        scaled_score = score / tf.math.sqrt(dim_key)\n' +
        '        weights = tf.nn.softmax(scaled_score, axis=-1)\n' +
        '        return tf.matmul(weights, value), weights\n' +
        '    def separate_heads(self, x, batch_size):\n' +
        '        x = tf.reshape(x, (batch_size, -1, self.num_heads, self.projection_dim))\n' +
        '        return tf.transpose(x, perm=[0, 2, 1, 3])\n' +
        '    def call(self, inputs):\n' +
        '        batch_size = tf.shape(inputs)[0]\n' +
        '        query = self.separate_heads(self.query_dense(inputs), batch_size)\n' +
        '        key = self.separate_heads(self.key_dense(inputs), batch_size)\n' +
        '        value = self.separate_heads(self.value_dense(inputs), batch_size)\n' +
        '        attention, weights = self.attention(query, key, value)\n' +
        '        attention = tf.transpose(attention, perm=[0, 2, 1, 3])\n' +
        '        concat = tf.reshape(attention, (batch_size, -1, self.embed_dim))\n' +
        '        return self.combine_heads(concat)\n' +
        'inputs = layers.Input(shape=(200,))\n' +
        'x = layers.Embedding(20000, 32)(inputs)\n' +
        'x = x + MultiHeadSelfAttention(32, 2)(x)\n' +
        'x = layers.GlobalAveragePooling1D()(x)\n' +
        'model = keras.Model(inputs, layers.Dense(2)(x))\n',
    );
    // Embedding 20000·32 = 640,000; four Dense(32) on 32 features (32 + 1)·32 = 1,056 each;
    // Dense(2) (32 + 1)·2 = 66. tf.reshape by the batch size follows TensorFlow's shape function
    // (the one unknown on each side taken for equal, so the -1 is worked out: 200·32 / (2·16) = 200;
    // tf-op-lambda.test.ts), so the heads keep their length 200 and the scores are 200 × 200.
    assert.equal(m!.totalParams, 640000 + 4 * 1056 + 66);
    const byType = (t: string) => opened(m!).filter((l) => l.type === t).map((l) => l.outputShape);
    assert.deepEqual(byType('Reshape')[0], [null, 200, 2, 16]);
    assert.deepEqual(byType('Reshape').at(-1), [null, 200, 32]);
    assert.deepEqual(byType('Matmul')[0], [null, 2, 200, 200]);
    assert.deepEqual(m!.layers.find((l) => l.name === 'add')!.outputShape, [null, 200, 32]);
  });

  it('shapes that do not broadcast are an error at the line naming both shapes', () => {
    const r = read(
      K3 +
        'class Bad(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.e = layers.Embedding(100, 8)\n' +
        '    def call(self, x):\n        return x + self.e(ops.arange(0, 7))\n' +
        'inputs = keras.Input(shape=(5, 8))\nmodel = keras.Model(inputs, Bad()(inputs))\n',
    );
    const [d, ...rest] = errors(r);
    assert.equal(rest.length, 0);
    assert.equal(d!.range.line, 8);
    assert.match(d!.message, /\(None, 5, 8\) and \(7, 8\) cannot be broadcast/);
  });

  it('a size taken from the batch size is unknown: the model is incomplete at the line, never a guess', () => {
    for (const body of ['return x + ops.zeros((ops.shape(x)[0], 8))', 'return x + ops.expand_dims(ops.arange(ops.shape(x)[0]), -1)']) {
      const r = read(K3 + `class B(layers.Layer):\n    def call(self, x):\n        ${body}\n` + 'inputs = keras.Input(shape=(5, 8))\nmodel = keras.Model(inputs, B()(inputs))\n');
      const es = errors(r);
      const said = es.map((e) => `${e.range.line}: ${e.message}`).join(' | ');
      assert.equal(es[0]?.range.line, 5, said);
      assert.match(es[0]!.message, /batch size/, said);
      assert.ok(r.models.every((m) => m.diagnostics.some((d) => d.severity === 'error') || (m.gaps?.length ?? 0) > 0), said);
    }
  });

  it('an operation Model Lens does not know, on a tensor, is an error at the line', () => {
    const r = read(K3 + 'class B(layers.Layer):\n    def call(self, x):\n        return ops.sort(x)\n' + 'inputs = keras.Input(shape=(5,))\nmodel = keras.Model(inputs, layers.Dense(2)(B()(inputs)))\n');
    assert.ok(errors(r).some((e) => e.range.line === 5 && /ops\.sort/.test(e.message)));
  });

  it('comparisons, a size turned into a tensor and tile with static or tensor repeats (a causal mask from the batch size) follow numpy’s rules', () => {
    const [m] = clean(
      K3 +
        'class B(layers.Layer):\n' +
        '    def call(self, x):\n' +
        '        n = ops.shape(x)[1]\n' +
        '        i = ops.arange(n)[:, None]\n' + // (5, 1)
        '        c = i >= ops.arange(n)\n' + // (5, 5) bool
        '        t = ops.tile(ops.expand_dims(c, 0), (2, 1, 3))\n' + // (2, 5, 15)
        '        reps = ops.concatenate([ops.expand_dims(ops.shape(x)[0], -1), ops.convert_to_tensor([1, 1])], 0)\n' + // (3,)
        '        u = ops.tile(ops.expand_dims(c, 0), reps)\n' + // (None, None, None)
        '        return x * ops.sum(ops.cast(t, "float32")) + ops.sum(ops.cast(u, "float32"))\n' +
        'inputs = keras.Input(shape=(5, 8))\nmodel = keras.Model(inputs, B()(inputs))\n',
    );
    const shapes = new Map(opened(m!).map((l) => [l.type + (l.type === 'Tile' ? `:${l.inputs.length}` : ''), l.outputShape]));
    assert.deepEqual(shapes.get('GreaterEqual'), [5, 5]);
    assert.deepEqual(shapes.get('Tile:1'), [2, 5, 15]);
    assert.deepEqual(shapes.get('Tile:2'), [null, null, null]);
    assert.deepEqual(shapes.get('Concatenate'), [3]);
    // Repeats of 10**8 values would be a 10**8-axis tensor: an error at the line, never that list.
    const huge = read(K3 + 'class H(layers.Layer):\n    def call(self, x):\n        return ops.tile(x, ops.arange(10**8))\ninputs = keras.Input(shape=(5,))\nmodel = keras.Model(inputs, H()(inputs))\n');
    assert.ok(errors(huge).some((e) => /more than 64 axes/.test(e.message)), errors(huge).map((e) => e.message).join(' | '));
  });

  it('reductions, transposes, matmul and concatenation follow Keras’s shape rules', () => {
    const [m] = clean(
      K3 +
        'class B(layers.Layer):\n' +
        '    def call(self, x):\n' +
        '        a = ops.mean(x, axis=1, keepdims=True)\n' + // (None, 1, 8)
        '        b = ops.transpose(x, axes=(0, 2, 1))\n' + // (None, 8, 5)
        '        c = ops.matmul(b, x)\n' + // (None, 8, 8)
        '        d = ops.concatenate([c, a], axis=1)\n' + // (None, 9, 8)
        '        return ops.softmax(ops.sum(d, axis=-1))\n' + // (None, 9)
        'inputs = keras.Input(shape=(5, 8))\nmodel = keras.Model(inputs, B()(inputs))\n',
    );
    assert.deepEqual(
      opened(m!).filter((l) => l.operation).map((l) => [l.type, l.outputShape]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        ['Concatenate', [null, 9, 8]],
        ['Matmul', [null, 8, 8]],
        ['Mean', [null, 1, 8]],
        ['Softmax', [null, 9]],
        ['Sum', [null, 9]],
        ['Transpose', [null, 8, 5]],
      ],
    );
    assert.equal(m!.totalParams, 0);
  });
});

describe('tensor operations at the top level of a functional model (Keras 3 records them)', () => {
  it('x + y, ops.mean, x * 2 and x[:, 0] are rows with no weights, named as Keras 3 names its operations', () => {
    const [m] = clean(
      K3 +
        'inputs = keras.Input(shape=(500, 1))\n' +
        'x = layers.Dense(1)(inputs)\n' +
        'res = x + inputs\n' +
        'm = ops.mean(res, axis=1)\n' +
        'y = layers.Dense(2)(m * 2.0)\n' +
        'z = res[:, 0]\n' +
        'model = keras.Model(inputs, [y, z])\n',
    );
    const rows = m!.layers.map((l) => [l.name, l.type, l.outputShape, l.params]);
    assert.deepEqual(rows, [
      ['input_layer', 'InputLayer', [null, 500, 1], 0],
      ['dense', 'Dense', [null, 500, 1], 2], // (1 + 1)·1
      ['add', 'Add', [null, 500, 1], 0],
      ['mean', 'Mean', [null, 1], 0],
      ['multiply', 'Multiply', [null, 1], 0],
      ['dense_1', 'Dense', [null, 2], 4], // (1 + 1)·2
      ['get_item', 'GetItem', [null, 1], 0],
    ]);
    assert.deepEqual(m!.layers.find((l) => l.name === 'add')!.inputs, ['dense', 'input_layer']);
    // Hover: described as the operation (not as layers.Add, whose class name it shares).
    const mean = describeLayer(m!.layers.find((l) => l.name === 'mean')!, m!);
    assert.equal(mean.formula, 'no weights');
    assert.match(mean.doc, /tensor operation \(keras\.ops\.mean\)/);
    assert.deepEqual(mean.args.find((a) => a.name === 'axis')?.value, '1');
    // Keras 3 names operations from the same counter as layers: a later layers.Add() is add_1.
    const [n] = clean(K3 + 'a = keras.Input(shape=(4,))\nb = a + a\nc = layers.Add()([b, a])\nmodel = keras.Model(a, c)\n');
    assert.deepEqual(n!.layers.map((l) => l.name), ['input_layer', 'add', 'add_1']);
  });

  it("keras.io's timeseries Transformer (tf.keras, `x + inputs` at the top level): the printed rows' figures", () => {
    // Figures from keras-io examples/timeseries/md/timeseries_classification_transformer.md (its
    // printed summary, tf.keras 2: the sums are rows "tf.__operators__.add (TFOpLambda)", 0 params):
    // per block LayerNormalization 2, MultiHeadAttention 7,169, LayerNormalization 2, Conv1D 8 and 5;
    // 4 blocks, 8 sums. (Its head uses GlobalAveragePooling1D(data_format="channels_first"), which
    // Model Lens does not read, so the model here ends at the blocks.)
    const [m] = clean(
      TF +
        'def encoder(inputs, head_size, num_heads, ff_dim, dropout=0):\n' +
        '    x = layers.LayerNormalization(epsilon=1e-6)(inputs)\n' +
        '    x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(x, x)\n' +
        '    x = layers.Dropout(dropout)(x)\n' +
        '    res = x + inputs\n' +
        '    x = layers.LayerNormalization(epsilon=1e-6)(res)\n' +
        '    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(x)\n' +
        '    x = layers.Dropout(dropout)(x)\n' +
        '    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)\n' +
        '    return x + res\n' +
        'inputs = keras.Input(shape=(500, 1))\n' +
        'x = inputs\n' +
        'for _ in range(4):\n' +
        '    x = encoder(x, 256, 4, 4, 0.25)\n' +
        'model = keras.Model(inputs, x)\n',
    );
    assert.equal(m!.totalParams, 4 * (2 + 7169 + 2 + 8 + 5));
    const sums = m!.layers.filter((l) => l.operation);
    assert.deepEqual(sums.map((l) => l.name), ['add', 'add_1', 'add_2', 'add_3', 'add_4', 'add_5', 'add_6', 'add_7']);
    assert.ok(sums.every((l) => l.params === 0 && JSON.stringify(l.outputShape) === JSON.stringify([null, 500, 1])));
    // Keras 3's names: the MultiHeadAttention makes a Dropout of its own when first called
    // (MultiHeadAttention._build_attention), so the Dropout written after it is dropout_1.
    assert.deepEqual(m!.layers.find((l) => l.name === 'add')!.inputs, ['dropout_1', 'input_layer']);
  });

  it('positions made at the top level are computed when the file runs: the sum takes them as a value, their embedding is no row and none of its weights count', () => {
    // As the printed Keras 3 summary of a Transformer tutorial shows (test/unit/fixtures/published/
    // imdb_transformer_eager_positions.py: `x + pos_emb` is "add (Add)", the position Embedding's
    // weights are in no row and not in the total).
    const [m] = clean(K3 + 'inputs = keras.Input(shape=(7, 8))\npositions = layers.Embedding(7, 8)(ops.arange(7))\nx = inputs + positions\nmodel = keras.Model(inputs, x)\n');
    assert.deepEqual(m!.layers.map((l) => [l.name, l.outputShape, l.inputs]), [
      ['input_layer', [null, 7, 8], []],
      ['add', [null, 7, 8], ['input_layer']],
    ]);
    assert.equal(m!.totalParams, 0);
    // Shapes that do not broadcast are still the error at the line.
    const bad = read(K3 + 'inputs = keras.Input(shape=(7, 8))\npositions = layers.Embedding(9, 8)(ops.arange(9))\nx = inputs + positions\nmodel = keras.Model(inputs, x)\n');
    assert.ok(errors(bad).some((e) => e.range.line === 5 && /cannot be broadcast|different shapes/.test(e.message)), errors(bad).map((e) => e.message).join(' | '));
  });

  it('a tf.* function given a Keras tensor in a Keras 3 file (keras.ops imported) is the error Keras 3 raises, at the line', () => {
    // (tf.keras files read it as tf.keras 2 did: tf-op-lambda.test.ts)
    const r = read(K3 + 'import tensorflow as tf\ninputs = keras.Input(shape=(4, 2))\nx = tf.reduce_mean(inputs, axis=1)\nmodel = keras.Model(inputs, layers.Dense(1)(x))\n');
    const es = errors(r);
    assert.ok(es.some((e) => e.range.line === 5 && /Keras 3 raises a ValueError/.test(e.message) && /keras\.ops/.test(e.message)), es.map((e) => e.message).join(' | '));
  });

  it('training says clearly that a model with an operation cannot be built, naming it', () => {
    const [m] = clean(K3 + 'a = keras.Input(shape=(4,))\nmodel = keras.Model(a, layers.Dense(2)(a + a))\n');
    const blocked = trainingBlocker(m!);
    assert.ok(blocked);
    assert.equal(blocked.layer, 'add');
    assert.match(blocked.message, /tensor operation/);
  });
});

// keras/src/layers/core/lambda_layer.py: without output_shape, Lambda.compute_output_shape calls the
// function on symbolic tensors. Model Lens reads the function the same way; the Lambda stays one row.
describe('a Lambda without output_shape: its function read on a tensor of its input shape', () => {
  it('Sequential: expand_dims then a Conv2D ((3·3·1 + 1)·8 = 80; 26·26·8 = 5,408 → Dense(10): 54,090); the function\'s operations are no rows', () => {
    const [m] = clean(TF + 'model = keras.Sequential([layers.Input(shape=(28, 28)), layers.Lambda(lambda x: tf.expand_dims(x, -1)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])\n');
    assert.deepEqual(m!.layers.map((l) => [l.name, l.outputShape]), [
      ['input_layer', [null, 28, 28]],
      ['lambda', [null, 28, 28, 1]],
      ['conv2d', [null, 26, 26, 8]],
      ['flatten', [null, 5408]],
      ['dense', [null, 10]],
    ]);
    assert.equal(m!.totalParams, 80 + 54090);
  });

  it("keras.io's siamese distance with Keras 2's backend (K.sum, K.square, K.maximum, K.epsilon) on two towers: (None, 1)", () => {
    const [, m] = clean(
      TF + 'from tensorflow.keras import backend as K\ndef euclidean_distance(vects):\n    x, y = vects\n    s = K.sum(K.square(x - y), axis=1, keepdims=True)\n    return K.sqrt(K.maximum(s, K.epsilon()))\ninp = layers.Input((8,))\ntower = keras.Model(inp, layers.Dense(4)(inp))\na = layers.Input((8,))\nb = layers.Input((8,))\nd = layers.Lambda(euclidean_distance)([tower(a), tower(b)])\nout = layers.Dense(1)(layers.BatchNormalization()(d))\nmodel = keras.Model([a, b], out)\n',
    );
    assert.deepEqual(m!.layers.find((l) => l.type === 'Lambda')!.outputShape, [null, 1]);
    // Dense(4) 36 + BatchNormalization(1) 4 + Dense(1) 2.
    assert.equal(m!.totalParams, 36 + 4 + 2);
  });

  it('scaling keeps the shape; K.mean over an axis drops it; a shape given later by build() is used', () => {
    const [a] = clean(TF + 'model = keras.Sequential([layers.Input((6,)), layers.Lambda(lambda x: x / 255.0), layers.Dense(2)])\n');
    assert.equal(a!.totalParams, 14);
    const [b] = clean(TF + 'import tensorflow.keras.backend as K\nmodel = keras.Sequential([layers.Lambda(lambda x: K.mean(x, axis=1)), layers.Dense(10)])\nmodel.build((None, 20, 8))\n');
    assert.equal(b!.totalParams, 90); // (8 + 1)·10
  });

  it("a function returning a list of tensors (Hands-On Computer Vision with TF2, ch. 7 VAE: z_mean, z_log_var = Lambda(lambda a: [a[..., :k], a[..., k:]])(enc)) gives that many outputs", () => {
    const [m] = clean(TF + 'k = 2\ninputs = keras.Input(shape=(8,))\nenc = layers.Dense(2 * k)(inputs)\nz_mean, z_log_var = layers.Lambda(lambda a: [a[..., :k], a[..., k:]], name="slicer")(enc)\nout = layers.Dense(3)(z_mean)\nmodel = keras.Model(inputs, [out, z_log_var])\n');
    const slicer = m!.layers.find((l) => l.name === 'slicer')!;
    assert.deepEqual(slicer.outputShapes, [[null, 2], [null, 2]]);
    // Dense(4) on 8: 36; Dense(3) on 2: 9.
    assert.equal(m!.totalParams, 45);
    assert.deepEqual(m!.outputs, ['dense_1', 'slicer']);
  });

  it("tf.shape(x) is a tensor: tf.shape(x)[1:3] * 4 multiplies each size (Hands-On Computer Vision with TF2, ch. 6: an upscaling Lambda on images of open size)", () => {
    const up = 'layers.Lambda(lambda im: tf.image.resize(im, tf.shape(im)[1:3] * 4), name="up")';
    const [open] = clean(TF + `inputs = keras.Input(shape=(None, None, 3))\nmodel = keras.Model(inputs, layers.Conv2D(8, 3, padding="same")(${up}(inputs)))\n`);
    // The printed summary: upscale_input (Lambda) (None, None, None, 3); Conv2D (3·3·3 + 1)·8 = 224.
    assert.deepEqual(open!.layers.find((l) => l.name === 'up')!.outputShape, [null, null, null, 3]);
    assert.equal(open!.totalParams, 224);
    const [sized] = clean(TF + `inputs = keras.Input(shape=(8, 6, 3))\nmodel = keras.Model(inputs, ${up}(inputs))\n`);
    assert.deepEqual(sized!.layers.find((l) => l.name === 'up')!.outputShape, [null, 32, 24, 3]);
  });

  it('a function Model Lens cannot read still asks for output_shape at the line', () => {
    const r = read(TF + 'import mylib\nmodel = keras.Sequential([layers.Input((6,)), layers.Lambda(lambda x: mylib.warp(x)), layers.Dense(2)])\n');
    assert.ok(errors(r).some((d) => /pass output_shape=/.test(d.message) && d.range.line === 5), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });
});

describe('a Lambda whose function never ends', () => {
  it('stops at the budget where the loop is, the model incomplete there; the rest of the file is still shown', () => {
    const r = read(TF + 'def f(x):\n    while True:\n        x = x\n    return x\nmodel = keras.Sequential([layers.Input((4,)), layers.Lambda(f), layers.Dense(2)])\n');
    const budget = all(r).find((d) => d.code === 'budget');
    assert.ok(budget, all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
    assert.equal(budget.range.line, 5); // the while loop
    assert.deepEqual(r.models.map((m) => [m.name, (m.gaps ?? []).map((g) => g.range.line)]), [['sequential', [5]]]);
  });
});

describe('random tensors and a subclassed model used on arrays (a VAE)', () => {
  // keras.io "Variational AutoEncoder" Sampling layer (Keras 3): z_mean + exp(0.5·z_log_var)·ε with
  // ε = keras.random.normal(shape=(batch, dim)); the encoder's printed summary: "sampling (Sampling)
  // (None, 2) 0 z_mean[0][0], z_log_var[0][0]", Total params: 69,076.
  it('keras.random.normal of (batch, dim) inside a layer call(): the batch size stays None', () => {
    const src =
      K3 +
      'class Sampling(layers.Layer):\n' +
      '    def call(self, inputs):\n' +
      '        z_mean, z_log_var = inputs\n' +
      '        batch = ops.shape(z_mean)[0]\n' +
      '        dim = ops.shape(z_mean)[1]\n' +
      '        epsilon = keras.random.normal(shape=(batch, dim))\n' +
      '        return z_mean + ops.exp(0.5 * z_log_var) * epsilon\n' +
      'inp = keras.Input(shape=(28, 28, 1))\n' +
      'x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(inp)\n' +
      'x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)\n' +
      'x = layers.Flatten()(x)\n' +
      'x = layers.Dense(16, activation="relu")(x)\n' +
      'z_mean = layers.Dense(2, name="z_mean")(x)\n' +
      'z_log_var = layers.Dense(2, name="z_log_var")(x)\n' +
      'z = Sampling()([z_mean, z_log_var])\n' +
      'encoder = keras.Model(inp, [z_mean, z_log_var, z], name="encoder")\n';
    const [m] = clean(src);
    const row = m!.layers.find((l) => l.type === 'Sampling')!;
    assert.deepEqual([row.outputShape, row.params], [[null, 2], 0]);
    assert.equal(m!.totalParams, 69076);
  });

  // Figures: PacktPublishing/Deep-Learning-with-TensorFlow-2-and-Keras "Chapter 10/VAE.ipynb" cell 6 (Total params: 820,004).
  it('tf.random.normal(std.shape) in a subclassed call(); model(x) unpacked into its three outputs; a layer called on arrays later', () => {
    const r = read(require('node:fs').readFileSync(require('node:path').resolve(__dirname, '../fixtures/published/gulli_vae_subclass.py'), 'utf8'));
    assert.deepEqual(all(r).filter((d) => d.severity !== 'info').map((d) => `${d.range.line}: ${d.message}`), []);
    const m = r.models[0]!;
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [820004, 820004, 0]);
    assert.deepEqual(m.layers.find((l) => l.type === 'RandomNormal')?.outputShape, [null, 10]);
    assert.equal(m.gaps?.length ?? 0, 0);
  });

  it('unpacking a model call into a count that is not its outputs\' count is still a gap; a layer then called on a string changes nothing', () => {
    const src =
      TF +
      'class Two(keras.Model):\n' +
      '    def __init__(self):\n' +
      '        super().__init__()\n' +
      '        self.a = layers.Dense(2)\n' +
      '        self.b = layers.Dense(3)\n' +
      '    def call(self, x):\n' +
      '        return self.a(x), self.b(x)\n' +
      'm = Two()\n' +
      'm.build((None, 4))\n' +
      'x = tf.ones((8, 4))\n' +
      'p, q = m(x)\n' +
      'p, q, r = m(x)\n' +
      "m.a('text')\n";
    const r = read(src);
    const m = r.models[0]!;
    assert.deepEqual([m.totalParams], [10 + 15]); // Dense: (4 + 1)·2 + (4 + 1)·3
    assert.deepEqual((m.gaps ?? []).map((g) => g.range.line), [15]);
    // A layer of the built model called on a Python value runs eagerly, outside any model (see
    // explicit-build.test.ts): no error, and the model built before it keeps its figures.
  });
});

describe('random tensors drawn inside a call() (a VAE’s sampling layer)', () => {
  // Dense(8 → 16) (8 + 1)·16 = 144; z_mean and z_log_var Dense(16 → 3) (16 + 1)·3 = 51 each: 246.
  const HEAD = 'inp = keras.Input(shape=(8,))\nh = layers.Dense(16, activation="relu")(inp)\nm = layers.Dense(3, name="z_mean")(h)\nv = layers.Dense(3, name="z_log_var")(h)\n';
  const check = (src: string) => {
    const models = clean(src);
    const enc = models.find((x) => x.name === 'enc')!;
    assert.equal(enc.totalParams, 246);
    const row = enc.layers.at(-1)!;
    // The noise has the mean's shape: the layer's output is (batch, 3), as Keras's symbolic call gives it.
    assert.deepEqual([row.outputShape, row.params], [[null, 3], 0]);
  };

  it('keras.random.normal of (ops.shape(x)[0], ops.shape(x)[1]) with a SeedGenerator seed (Keras 3)', () => {
    check(
      K3 +
        'class Sampling(layers.Layer):\n' +
        '    def __init__(self, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.seed_generator = keras.random.SeedGenerator(1337)\n' +
        '    def call(self, inputs):\n' +
        '        z_mean, z_log_var = inputs\n' +
        '        batch = ops.shape(z_mean)[0]\n' +
        '        dim = ops.shape(z_mean)[1]\n' +
        '        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)\n' +
        '        return z_mean + ops.exp(0.5 * z_log_var) * epsilon\n' +
        HEAD +
        'z = Sampling()([m, v])\nenc = keras.Model(inp, [m, v, z], name="enc")\n',
    );
  });

  it('tf.random.uniform / tf.random.normal of tf.shape() (tf.keras)', () => {
    for (const draw of ['tf.random.normal(shape=(tf.shape(a)[0], 3))', 'tf.random.uniform((tf.shape(a)[0], tf.shape(a)[1]), minval=-1.0, maxval=1.0)']) {
      check(TF + `class S(layers.Layer):\n    def call(self, inputs):\n        a, b = inputs\n        return a + tf.exp(b) * ${draw}\n` + HEAD + 'z = S()([m, v])\nenc = keras.Model(inp, [m, v, z], name="enc")\n');
    }
  });

  it('K.random_normal of (K.shape(x)[0], K.int_shape(x)[1]) in a Lambda (Keras 2 style)', () => {
    check(
      TF +
        'from tensorflow.keras import backend as K\n' +
        'def sampling(args):\n    z_mean, z_log_var = args\n    eps = K.random_normal(shape=(K.shape(z_mean)[0], K.int_shape(z_mean)[1]), mean=0.0, stddev=1.0)\n    return z_mean + K.exp(0.5 * z_log_var) * eps\n' +
        HEAD +
        'z = layers.Lambda(sampling)([m, v])\nenc = keras.Model(inp, [m, v, z], name="enc")\n',
    );
  });

  it("stochastic depth's per-sample mask: tf.random.uniform of (tf.shape(x)[0],) + (1,) * (rank - 1), called with training=True", () => {
    const [m] = clean(
      TF +
        'class Drop(layers.Layer):\n    def call(self, x, training=None):\n        if training:\n' +
        '            shape = (tf.shape(x)[0],) + (1,) * (len(tf.shape(x)) - 1)\n            keep = tf.floor(0.9 + tf.random.uniform(shape, 0, 1))\n            return (x / 0.9) * keep\n        return x\n' +
        'inp = keras.Input(shape=(6, 4))\nmodel = keras.Model(inp, layers.Dense(2)(Drop()(inp, training=True)))\n',
    );
    // The (None, 1, 1) mask broadcasts onto (None, 6, 4); Dense(4 → 2) (4 + 1)·2 = 10.
    assert.deepEqual(m!.layers.find((l) => l.type === 'Drop')!.outputShape, [null, 6, 4]);
    assert.equal(m!.totalParams, 10);
  });

  it('a noise shape that does not broadcast with the mean is an error at the line', () => {
    const r = read(K3 + 'class S(layers.Layer):\n    def call(self, a):\n        return a + keras.random.normal(shape=(ops.shape(a)[0], 4))\n' + 'inp = keras.Input(shape=(3,))\nenc = keras.Model(inp, S()(inp), name="enc")\n');
    assert.ok(errors(r).some((e) => e.range.line === 5 && /cannot be broadcast|different shapes/.test(e.message)), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });

  it('a noise shape Model Lens cannot work out is an error at the line', () => {
    const r = read(K3 + 'class S(layers.Layer):\n    def call(self, a):\n        return a + keras.random.normal(shape=(ops.shape(a)[0], "x"))\n' + 'inp = keras.Input(shape=(3,))\nenc = keras.Model(inp, S()(inp), name="enc")\n');
    assert.ok(errors(r).some((e) => e.range.line === 5 && /not a tuple of sizes|cannot work out/.test(e.message)), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });
});

describe('positions over a sequence length known only when the model runs', () => {
  // keras.io's English-to-Spanish Transformer: PositionalEmbedding of variable-length token ids.
  // Embedding params = input_dim·output_dim: tokens 100·8 = 800, positions 20·8 = 160.
  const POS = (shape: string, range: string) =>
    'class Pos(layers.Layer):\n' +
    '    def __init__(self):\n        super().__init__()\n' +
    '        self.tok = layers.Embedding(input_dim=100, output_dim=8)\n        self.pos = layers.Embedding(input_dim=20, output_dim=8)\n' +
    `    def call(self, x):\n        n = ${shape}(x)[-1]\n        p = ${range}\n        return self.tok(x) + self.pos(p)\n` +
    'inp = keras.Input(shape=(None,), dtype="int64")\nmodel = keras.Model(inp, Pos()(inp))\n';

  for (const [form, src] of [
    ['tf.shape / tf.range(start=0, limit=n, delta=1) (tf.keras)', TF + POS('tf.shape', 'tf.range(start=0, limit=n, delta=1)')],
    ['ops.shape / ops.arange(0, n) (Keras 3)', K3 + POS('ops.shape', 'ops.arange(0, n)')],
  ] as const) {
    it(`${form}: (None,) positions embedded to (None, 8) and broadcast onto (None, None, 8)`, () => {
      const [m] = clean(src);
      assert.equal(m!.totalParams, 800 + 160);
      assert.deepEqual(m!.layers.at(-1)!.outputShape, [null, null, 8]);
      const positions = opened(m!).find((l) => l.type === 'Arange')!;
      assert.deepEqual(positions.outputShape, [null]);
    });
  }

  it('a range over the batch size is still an error at the line (what it meets cannot be checked)', () => {
    const r = read(K3 + 'class B(layers.Layer):\n    def call(self, x):\n        return x + ops.arange(ops.shape(x)[0])\n' + 'inp = keras.Input(shape=(None,))\nmodel = keras.Model(inp, B()(inp))\n');
    assert.ok(errors(r).some((e) => e.range.line === 5 && /batch size/.test(e.message)), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });

  it('a dtype given as tf.int32 (a module constant) changes no shape and is accepted', () => {
    const [m] = clean(TF + 'class C(layers.Layer):\n    def call(self, x):\n        return x * tf.cast(tf.constant([1, 1], dtype=tf.int32), tf.float32)\n' + 'inp = keras.Input(shape=(4, 2))\nmodel = keras.Model(inp, C()(inp))\n');
    assert.deepEqual(m!.layers.at(-1)!.outputShape, [null, 4, 2]);
  });
});

describe("keras.applications.<family>.preprocess_input on a Keras tensor (Keras 3's operations)", () => {
  const src = (family: string) => K3 + `inp = keras.Input(shape=(8, 8, 3))\nx = keras.applications.${family}.preprocess_input(inp)\nmodel = keras.Model(inp, layers.Conv2D(4, 1)(x))\n`;
  it('mode "tf" (mobilenet_v2, xception, resnet_v2…): x / 127.5 − 1, rows true_divide (TrueDivide) and subtract (Subtract) as keras.io\'s keypoint detector prints', () => {
    for (const family of ['mobilenet_v2', 'xception', 'resnet_v2', 'inception_v3']) {
      const [m] = clean(src(family));
      assert.deepEqual(m!.layers.map((l) => [l.name, l.type]), [['input_layer', 'InputLayer'], ['true_divide', 'TrueDivide'], ['subtract', 'Subtract'], ['conv2d', 'Conv2D']], family);
      assert.equal(m!.totalParams, 16); // Conv2D 1×1: (3 + 1)·4
    }
  });
  it('families whose models preprocess themselves (efficientnet, convnext…) return x unchanged: no rows', () => {
    for (const family of ['efficientnet', 'convnext', 'mobilenet_v3']) {
      const [m] = clean(src(family));
      assert.deepEqual(m!.layers.map((l) => l.type), ['InputLayer', 'Conv2D'], family);
    }
  });
  it('"caffe" mode (vgg16, resnet50): RGB to BGR by three x[..., i] stacked, then the mean added; "torch" (densenet): / 255, + mean, / std', () => {
    // keras/src/applications/imagenet_utils.py _preprocess_tensor_input: ops.stack([x[..., i] for i
    // in (2, 1, 0)], axis=-1) then x += mean_tensor; torch: x /= 255.0, x += mean, x /= std.
    for (const family of ['vgg16', 'resnet50']) {
      const [m] = clean(src(family));
      assert.deepEqual(
        m!.layers.map((l) => [l.name, l.type, l.outputShape]),
        [
          ['input_layer', 'InputLayer', [null, 8, 8, 3]],
          ['get_item', 'GetItem', [null, 8, 8]],
          ['get_item_1', 'GetItem', [null, 8, 8]],
          ['get_item_2', 'GetItem', [null, 8, 8]],
          ['stack', 'Stack', [null, 8, 8, 3]],
          ['add', 'Add', [null, 8, 8, 3]],
          ['conv2d', 'Conv2D', [null, 8, 8, 4]],
        ],
        family,
      );
    }
    const [d] = clean(src('densenet'));
    assert.deepEqual(d!.layers.map((l) => l.type), ['InputLayer', 'TrueDivide', 'Add', 'TrueDivide', 'Conv2D']);
    // A mean of 3 channels on an image of another count: not read (Keras's broadcast would fail or change the shape), an error at the line.
    const r = read(K3 + 'inp = keras.Input(shape=(8, 8, 1))\nx = keras.applications.vgg16.preprocess_input(inp)\nmodel = keras.Model(inp, layers.Conv2D(4, 1)(x))\n');
    assert.ok(errors(r).some((e) => e.range.line === 4 && /preprocess_input/.test(e.message)), all(r).map((d) => `${d.range.line}: ${d.message}`).join('\n'));
  });
});
