/**
 * Reads Keras models from Python source without running it: the Python evaluator
 * (src/core/python) walks the file within its budget, the Keras host gives Keras calls their
 * meaning, and this turns what they found into the model IR.
 */
import type { DatasetName, Diagnostic, LayerNode, ModelGap, ModelIR, ReadResult, TrainingConfig } from '../model/ir';
import { savedInputScaling } from '../saved/input-scaling';
import type { LoadAccess } from '../saved/loaded-model';
import path from 'node:path';
import { Budget, BudgetExceeded, DEFAULT_LIMITS, type Limits } from '../python/budget';
import { Evaluator } from '../python/evaluator';
import { parsePython } from '../python/syntax';
import { LineIndex } from '../text/line-index';
import { buildModelIR } from './build-ir';
import { hasNoCall, unbuiltModel } from './callless-model';
import { KerasHost } from './keras-host';
import { isSequential, type PyModel } from './keras-values';
import { layerSpec } from './layer-table';
import type { GLayer, ShapeCache } from './shape-inference';

export function readPython(file: string, text: string, limits: Limits = DEFAULT_LIMITS, access: LoadAccess = {}): ReadResult {
  if (text.length > limits.fileChars) {
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    return {
      file,
      models: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'budget',
          file,
          range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
          message: `the file is ${mb(text.length)}, more than the ${mb(limits.fileChars)} Model Lens reads as a model file; keep the model in a smaller file`,
        },
      ],
    };
  }
  const lines = new LineIndex(text);
  const parsed = parsePython(text);
  const source = {
    file,
    lines,
    text: (node: { from: number; to: number }) => {
      const t = parsed.src.slice(node.from, Math.min(node.to, node.from + 200)).replace(/\s+/g, ' ');
      return t.length > 60 ? t.slice(0, 57) + '…' : t;
    },
  };
  const keras = new KerasHost(source, access);
  for (const p of parsed.problems) keras.diag('error', 'syntax', p, p.message);
  const evaluator = new Evaluator(parsed.src, keras, new Budget(limits), parsed.errorOffsets);
  try {
    evaluator.run(parsed.tree.topNode);
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      keras.diag('error', 'budget', e.at, e.message);
      for (const m of keras.models) keras.addGap(m, e.at, `reading stopped at line ${lines.pos(e.at.from).line}`);
    } else if (e instanceof RangeError) {
      // The JavaScript stack ran out despite the budget's nesting limit: still a clear refusal.
      keras.diag('error', 'budget', { from: 0, to: 0 }, `Model Lens could not read this file: it is nested too deeply; simplify it`);
    } else {
      keras.diag('error', 'internal', { from: 0, to: 0 }, `Model Lens could not finish reading this file (${e instanceof Error ? e.message : String(e)}); please report it`);
    }
  }
  // Python runs no file with a syntax error, so no figure of this file is Keras's yet: every model
  // is incomplete at the first such line (said once there, as the syntax error).
  const syntax = parsed.problems[0];
  return finish(file, keras, syntax ? { range: lines.range(syntax.from, syntax.to), message: 'a syntax error here: Python cannot run this file until it is fixed', after: null } : undefined);
}

function finish(file: string, keras: KerasHost, syntaxGap?: ModelGap): ReadResult {
  const cache: ShapeCache = new Map();
  const nodes = new Map<GLayer, LayerNode[]>();
  const inModel = new Set<GLayer>();
  const single = new Set(keras.datasets.map((d) => d.dataset)).size === 1 ? keras.datasets[0] : undefined;
  // A wrapper whose train_step drives the models it holds (a GAN, a VAE) and has no call(): Keras
  // never builds it (build() runs call()), so it has no summary; the file is still valid. Said at
  // its line, not listed with totals (the uses Keras refuses are errors where they are). Not when
  // something about it could not be read (a functional super().__init__(inputs=, outputs=)); told
  // before the doubts of other models are spread (it holds no layer of its own).
  const unbuilt = keras.models.filter((m) => !m.built && !m.gaps.length && hasNoCall(m));
  for (const m of keras.models) {
    if (isSequential(m)) {
      linkSequential(m, keras);
      keras.traceLambdas(m);
    }
    if (m.frozen) {
      for (const l of m.layers) l.config['trainable'] = false;
      for (const u of m.uses ?? []) u.config['trainable'] = false;
    }
  }
  lostLayers(keras);
  propagateGaps(keras.models);
  const build = (m: PyModel): ModelIR => {
    if (m.loaded) return loadedModelIR(m, file, single, keras.lastScaledX);
    if (isSequential(m)) checkSequential(m, keras);
    if (m.style !== 'subclassed') uniqueNames(m, keras);
    if (m.style === 'subclassed' && !m.built) {
      const fit = m.training.fitLine;
      const message =
        fit !== undefined
            ? `model '${m.name}' is built by fit (line ${fit}) on data whose shape Model Lens cannot work out (e.g. a tensorflow_datasets pipeline), so it shows no totals; call model.build((None, ...input shape)) before fit`
            : `model '${m.name}' is never built, so Keras cannot print its summary and Model Lens shows no totals; call model.build((None, ...)), call it on data or an Input, or fit it`;
      m.problems.push(keras.makeDiag('error', 'no-input-shape', m.range, message));
    }
    if (!m.training.dataset && single) {
      m.training.dataset = single.dataset;
      m.training.datasetLine = single.line;
      if (keras.lastScaledX && keras.lastScaledX.dataset === single.dataset) m.training.inputScale = keras.lastScaledX.scale;
    }
    for (const l of m.layers) for (const x of [l, ...(l.block?.layers ?? [])]) inModel.add(x);
    const ir = buildModelIR(m, file, cache, nodes);
    if (m.startWeights) ir.startWeights = m.startWeights;
    if (m.gaps.length) {
      ir.gaps = m.gaps.map((g): ModelGap => ({ ...g }));
      for (const g of m.gaps) {
        ir.diagnostics.push({
          severity: 'error',
          code: 'incomplete',
          file,
          range: g.range,
          message: `${g.message}; its totals are not Keras's. Write this part so it can be read without running Python (constant loops, known functions)`,
        });
      }
    }
    if (syntaxGap) ir.gaps = [{ ...syntaxGap }, ...(ir.gaps ?? [])];
    return ir;
  };
  // A Sequential model made without an input shape and used inside another is built by that use,
  // as in Keras: read the others first, then give it the shape its first use gets.
  const builtByUse = (m: PyModel) => isSequential(m) && !m.inputs.length && m.items.length > 0 && (m.uses?.length ?? 0) > 0;
  const irs = new Map<PyModel, ModelIR>();
  for (const m of keras.models) if (!builtByUse(m) && !unbuilt.includes(m)) irs.set(m, build(m));
  for (const m of keras.models) {
    if (!builtByUse(m)) continue;
    const from = m.uses![0]!.inputs[0];
    const shape = from ? cache.get(from)?.outputShape : undefined;
    if (shape) {
      const name = `${m.name}_input`;
      m.items.unshift({ name, type: 'InputLayer', spec: layerSpec('InputLayer'), config: { shape: shape.slice(1), batch_size: null, dtype: 'float32', sparse: false, batch_shape: null, name }, range: m.range, inputs: [], problems: [] });
      linkSequential(m, keras);
    }
    irs.set(m, build(m));
  }
  // What each summary() call printed there (the flags of that moment, the IRs above for the rest).
  keras.summaries.attach(irs, file, keras.models);
  // The copy of a model inside a copied model is opened through its node, not listed (unless the file names it).
  const models = keras.models.filter((m) => (!m.innerCopy || m.variable !== undefined) && !unbuilt.includes(m)).map((m) => irs.get(m)!);
  // Each node that stands for a model used as a layer carries that model's graph (the panel opens it).
  for (const m of keras.models) {
    const graph = irs.get(m);
    if (graph) for (const u of m.uses ?? []) for (const node of nodes.get(u) ?? []) if (node.nested) node.nested.graph = graph;
  }
  // Problems of layers that belong to no model still matter (e.g. an unsupported layer).
  for (const l of keras.layers) if (!inModel.has(l)) keras.diagnostics.push(...l.problems.filter((p) => p.severity === 'error'));
  const notBuilt = unbuilt.map(unbuiltModel);
  for (const [i, u] of notBuilt.entries()) {
    keras.diagnostics.push({ severity: 'warning', code: 'not-built', file, range: u.range, message: u.message });
    // Its own problems (a fit whose data cannot be read, …) are about training it, which Model Lens does not do.
    keras.diagnostics.push(...unbuilt[i]!.problems.filter((d) => d.code !== 'training-config' && d.severity === 'error'));
  }
  return { file, models, diagnostics: keras.diagnostics, ...(notBuilt.length ? { unbuilt: notBuilt } : {}) };
}

/**
 * A model loaded with `keras.models.load_model("…")`: the saved file's model, shown at the call's
 * line (every layer points there; the file's own problems are said there, naming the file). What
 * the .py says about training (compile, fit, its data) wins over the file's saved training config.
 */
function loadedModelIR(m: PyModel, file: string, single: { dataset: DatasetName } | undefined, scaled: KerasHost['lastScaledX']): ModelIR {
  const saved = m.loaded!;
  const at = m.range;
  const savedFile = m.startWeights!.file;
  const here = (d: Diagnostic): Diagnostic => ({ ...d, file, range: at, message: `${path.basename(savedFile)}: ${d.message}` });
  const training: TrainingConfig = { ...saved.training };
  for (const [k, v] of Object.entries(m.training)) if (v !== undefined) (training as Record<string, unknown>)[k] = v;
  if (!training.dataset && single) training.dataset = single.dataset;
  const ir: ModelIR = {
    ...saved,
    name: m.name,
    ...(m.variable !== undefined ? { variable: m.variable } : {}),
    range: at,
    layers: saved.layers.map((l) => ({ ...l, range: at })),
    training,
    diagnostics: [...saved.diagnostics.map(here), ...m.problems],
    startWeights: m.startWeights!,
  };
  if (m.training.inputScale !== undefined) {
    ir.training.inputScaleSource = `pixels × ${formatScale(m.training.inputScale)}, as this file scales the data it fits on`;
  } else if (scaled && (!scaled.dataset || scaled.dataset === training.dataset) && scaled.scale !== 1) {
    ir.training.inputScale = scaled.scale;
    ir.training.inputScaleSource = `pixels × ${formatScale(scaled.scale)}, as this file scales its data`;
  } else {
    savedInputScaling(ir);
  }
  return ir;
}

const formatScale = (s: number) => (Math.abs(s * 255 - 1) < 1e-9 ? '1/255' : String(s));

/**
 * A layer given to something Model Lens could not follow (a method of an object it lost track of,
 * a function it does not know) that ends up in no model it read may have gone into one of them
 * (`m.add(layer)` where `m` is not known): every model may be incomplete there.
 */
function lostLayers(keras: KerasHost): void {
  if (!keras.tainted.size || !keras.models.length) return;
  const placed = new Set<GLayer>();
  for (const m of keras.models) for (const l of [...m.items, ...m.layers]) placed.add(l);
  for (const [l, gap] of keras.tainted) {
    if (placed.has(l) || l.type === 'InputLayer' || keras.models.some((m) => m.uses?.includes(l) || m.called === l)) continue;
    const message = `layer '${l.name}' (line ${l.range.line}) goes to something Model Lens cannot follow and into no model it read, so each model may be incomplete here`;
    for (const m of keras.models) if (!m.gaps.some((g) => g.message === message || g.range.line === gap.range.line)) m.gaps.push({ range: gap.range, message, after: null });
  }
}

/**
 * A model used as a layer of another is counted in it: when the inner model is incomplete, so is
 * the outer one, with a gap at the use (to any depth).
 */
function propagateGaps(models: PyModel[]): void {
  let changed = true;
  for (let round = 0; changed && round <= models.length; round++) {
    changed = false;
    for (const inner of models) {
      if (!inner.gaps.length || !inner.uses?.length) continue;
      for (const outer of models) {
        if (outer === inner) continue;
        const all = new Set([...outer.items, ...outer.layers]);
        for (const u of inner.uses) {
          if (!all.has(u)) continue;
          const message = `model '${inner.name}' used here is incomplete (line ${inner.gaps[0]!.range.line}), so model '${outer.name}' may be incomplete here`;
          if (outer.gaps.some((g) => g.message === message)) continue;
          outer.gaps.push({ range: u.range, message, after: u.name });
          changed = true;
        }
      }
    }
  }
}

/**
 * A Sequential model's layers in a chain, its input and its output. A layer already connected
 * elsewhere (in another model, as `keras.Sequential(other.layers[:-1])` makes) keeps that
 * connection when this chain gives it the same input (the layers of a base re-added in order);
 * otherwise this model is an error, and the other model's figures stay right.
 */
function linkSequential(m: PyModel, keras: KerasHost): void {
  let prev: GLayer | undefined;
  for (const [i, item] of m.items.entries()) {
    let l = item;
    const want = prev ? [prev] : [];
    // A layer of another model put after a different layer here (HOML's MC Dropout model: the
    // trained Dense layers behind new Dropout layers): Keras calls it again, sharing its weights.
    if (prev && l.inputs.length && (l.inputs.length !== 1 || l.inputs[0] !== prev) && !sameInput(l.inputs, want) && !m.items.slice(0, i).includes(l)) {
      const owner = l.sharedOf ?? l;
      l = { name: owner.name, type: owner.type, spec: owner.spec, config: owner.config, range: m.range, inputs: [], problems: [], sharedOf: owner, ...(owner.nested ? { nested: owner.nested } : {}) };
      m.items[i] = l;
    }
    if (l.inputs.length && (l.inputs.length !== want.length || l.inputs.some((x, i) => x !== want[i])) && !sameInput(l.inputs, want)) {
      m.problems.push(
        keras.makeDiag('error', 'bad-model', m.range, `Sequential model '${m.name}': layer '${l.name}' is already connected to '${l.inputs.map((x) => x.name).join("', '")}' in another model, and here it would follow ${prev ? `'${prev.name}'` : 'nothing'}; Model Lens reads a layer in one chain only. Make a new layer for this model`),
      );
      m.layers = m.items;
      m.inputs = m.items[0]?.type === 'InputLayer' ? [m.items[0]] : [];
      m.outputs = m.items.length ? [m.items[m.items.length - 1]!] : [];
      return;
    }
    // Connected to an Input of the same shape in another model: that model keeps its connection
    // (this model's own chain is told from its order when its IR is built).
    if (!(l.inputs.length && l.inputs[0] !== want[0] && sameInput(l.inputs, want))) l.inputs = want;
    prev = l;
  }
  m.layers = m.items;
  m.inputs = m.items[0]?.type === 'InputLayer' ? [m.items[0]] : [];
  m.outputs = prev ? [prev] : [];
}

/** Two Input layers of the same shape (each model made its own from the first layer's input_dim=): the figures are the same either way. */
function sameInput(a: GLayer[], b: GLayer[]): boolean {
  const [x, y] = [a[0], b[0]];
  return a.length === 1 && b.length === 1 && x!.type === 'InputLayer' && y!.type === 'InputLayer' && JSON.stringify(x!.config['shape']) === JSON.stringify(y!.config['shape']);
}

/**
 * Two different layers of one Sequential or functional model with the same name: Keras raises a
 * ValueError (Sequential.add: "should have unique names"; a functional graph: "All operation names
 * should be unique"), so the model has no summary. One layer called twice is one operation.
 */
function uniqueNames(m: PyModel, keras: KerasHost): void {
  const seen = new Map<string, GLayer>();
  for (const l of m.layers) {
    const owner = l.sharedOf ?? l;
    const other = seen.get(owner.name);
    if (other && other !== owner && !(other.nested && owner.nested && other.nested.model === owner.nested.model && other.nested.line === owner.nested.line)) {
      m.problems.push(keras.makeDiag('error', 'bad-model', owner.range, `model '${m.name}': the name '${owner.name}' is used by two layers (lines ${other.range.line} and ${owner.range.line}); Keras raises a ValueError (layer names in a model must be unique). Give one of them another name`));
      return;
    }
    seen.set(owner.name, owner);
  }
}

/** What is missing to build a Sequential model. */
function checkSequential(m: PyModel, keras: KerasHost): void {
  if (m.pending) {
    const first = m.pending[0]!;
    m.problems.push(
      keras.makeDiag(
        'error',
        'no-input-shape',
        first.range,
        `Sequential model '${m.name}': a layer class of this file comes first and the model is never given an input shape, so it is not built (Keras cannot print its summary) and Model Lens has no input to read its call() on; put keras.Input(shape=(...)) before it, or call model.build((None, ...))`,
      ),
    );
  } else if (!m.items.length) {
    m.problems.push(keras.makeDiag('warning', 'empty-model', m.range, `Sequential model '${m.name}' has no layers; add some with model.add(...)`));
  } else if (!m.inputs.length && !m.gaps.some((g) => g.after === null)) {
    // (Not when what comes first could not be read: that may be what carries the input shape.)
    m.problems.push(
      keras.makeDiag(
        'error',
        'no-input-shape',
        m.range,
        `Sequential model '${m.name}' has no input shape, so it is not built: Keras cannot print its summary and Model Lens shows no shapes or totals; add keras.Input(shape=(...)) as its first layer, input_shape=(...) to the first layer, or call model.build((None, ...))`,
      ),
    );
  }
}
