/**
 * Reads Keras JSON models into the IR: the output of Keras `model.to_json()` (Keras 2 and 3
 * formats), TF.js `model.json` (`modelTopology`, with or without `model_config`) and the configs
 * saved inside `.keras` (config.json with `compile_config`) and `.h5` files (`model_config` and
 * `training_config` attributes). Nested models become one layer whose shape and counts are the
 * inner model's. Layers are matched by name; each layer's range points at its `"name": "…"`.
 */
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: esbuild cannot bundle the UMD one
import type { ConfigValue, Diagnostic, ModelIR, ReadResult, SourceRange, TrainingConfig } from '../model/ir';
import { buildModelIR, collectFunctional } from './build-ir';
import { snakeCase } from './default-names';
import { buildConfig, type WrittenArg } from './layer-config';
import { canonicalLayerType, layerSpec, ShapeError, supportedLayerTypes, type LayerSpec } from './layer-table';
import { outputCount, outputTensor, type GLayer, type ShapeCache } from './shape-inference';
import { LineIndex } from '../text/line-index';

type Json = ConfigValue;
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface JsonReadOptions {
  /** A training config saved beside the model config (an `.h5` file's `training_config` attribute). */
  training?: Obj;
}

export function readJsonModel(file: string, text: string, options: JsonReadOptions = {}): ReadResult {
  return new JsonReader(file, text, options).read();
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

class JsonReader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly lines: LineIndex;
  private searchFrom = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly options: JsonReadOptions = {},
  ) {
    this.lines = new LineIndex(text);
  }

  read(): ReadResult {
    let root: Json;
    try {
      root = JSON.parse(this.text) as Json;
    } catch {
      // jsonc-parser reports where the first error is (JSON.parse does not say in every Node version).
      const errors: ParseError[] = [];
      parseTree(this.text, errors, { disallowComments: true, allowTrailingComma: false });
      const first = errors[0];
      const at = first ? first.offset : 0;
      const what = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'invalid JSON';
      this.diag('error', 'syntax', at, at + (first?.length || 1), `not valid JSON: ${what} here; fix the file or re-export it with model.to_json()`);
      return { file: this.file, models: [], diagnostics: this.diagnostics };
    }
    const found = this.findModel(root);
    if (!found) {
      this.diag('error', 'not-a-model', 0, 1, 'no Keras model in this JSON: expected the output of model.to_json() or a TF.js model.json with "modelTopology"');
      return { file: this.file, models: [], diagnostics: this.diagnostics };
    }
    const model = this.readModelConfig(found.model, found.training ?? this.options.training);
    return { file: this.file, models: model ? [model] : [], diagnostics: this.diagnostics };
  }

  private findModel(root: Json): { model: Obj; training: Obj | undefined } | undefined {
    if (!isObj(root)) return undefined;
    if (isObj(root['modelTopology'])) {
      const topo = root['modelTopology'];
      const training = isObj(topo['training_config']) ? topo['training_config'] : undefined;
      if (isObj(topo['model_config'])) return { model: topo['model_config'], training };
      if (typeof topo['class_name'] === 'string') return { model: topo, training };
    }
    if (isObj(root['model_config'])) return { model: root['model_config'], training: isObj(root['training_config']) ? root['training_config'] : undefined };
    // Keras 3 config.json: the model with its compile() arguments beside it.
    if (typeof root['class_name'] === 'string' && root['config'] !== undefined) return { model: root, training: isObj(root['compile_config']) ? root['compile_config'] : undefined };
    return undefined;
  }

  // ---------------------------------------------------------------- positions

  private range(from: number, to: number): SourceRange {
    return this.lines.range(from, to);
  }

  private diag(severity: Diagnostic['severity'], code: string, from: number, to: number, message: string): void {
    this.diagnostics.push({ severity, code, file: this.file, range: this.range(from, to), message });
  }

  /** Where `"name": "X"` next appears (layers appear in file order). */
  private locateName(name: string): SourceRange {
    const re = new RegExp(`"name"\\s*:\\s*${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
    re.lastIndex = this.searchFrom;
    let m = re.exec(this.text);
    if (!m) {
      re.lastIndex = 0;
      m = re.exec(this.text);
    }
    if (!m) return this.range(0, 0);
    this.searchFrom = m.index + m[0].length;
    return this.range(m.index, m.index + m[0].length);
  }

  private locate(needle: RegExp): SourceRange {
    const m = needle.exec(this.text);
    return m ? this.range(m.index, m.index + m[0].length) : this.range(0, 0);
  }

  // ---------------------------------------------------------------- models

  private readModelConfig(model: Obj, trainingJson: Obj | undefined, inputHint?: (number | null)[]): ModelIR | undefined {
    const cls = String(model['class_name']);
    const config = model['config'];
    const range = this.locate(new RegExp(`"class_name"\\s*:\\s*"${cls}"`));
    const layersJson: Json[] = Array.isArray(config) ? config : isObj(config) && Array.isArray(config['layers']) ? config['layers'] : [];
    const name = isObj(config) && typeof config['name'] === 'string' ? config['name'] : snakeCase(cls === 'Model' ? 'Functional' : cls);
    const training = trainingJson ? readTraining(trainingJson) : {};
    const cache: ShapeCache = new Map();
    if (cls === 'Sequential') {
      const layers: GLayer[] = [];
      for (const lj of layersJson) {
        const l = this.readLayer(lj);
        if (l) layers.push(l);
      }
      const first = layers[0];
      if (first && first.type !== 'InputLayer') {
        const shape = inputShapeOf(first.config) ?? buildInputShape(model) ?? inputHint ?? null;
        if (shape) layers.unshift(this.inputLayer(`${first.name}_input`, shape as (number | null)[], first.range));
      }
      for (let i = 1; i < layers.length; i++) layers[i]!.inputs = [layers[i - 1]!];
      const problems: Diagnostic[] = [];
      if (!layers.length || layers[0]!.type !== 'InputLayer') {
        problems.push({ severity: 'warning', code: 'no-input-shape', file: this.file, range, message: `Sequential model '${name}' has no input shape, so its shapes and parameters are unknown` });
      }
      return buildModelIR(
        { name, style: 'json', range, layers, inputs: layers[0]?.type === 'InputLayer' ? [layers[0]] : [], outputs: layers.length ? [layers[layers.length - 1]!] : [], training, problems },
        this.file,
        cache,
      );
    }
    if (cls === 'Functional' || cls === 'Model') {
      const byName = new Map<string, GLayer>();
      const inbound = new Map<GLayer, TensorRef[]>();
      const order = new Map<GLayer, number>();
      for (const lj of layersJson) {
        const l = this.readLayer(lj);
        if (!l) continue;
        byName.set(l.name, l);
        order.set(l, order.size);
        inbound.set(l, isObj(lj) ? inboundRefs(lj['inbound_nodes']) : []);
        const mode = isObj(lj) ? inboundTraining(lj['inbound_nodes']) : undefined;
        if (mode !== undefined) l.callTraining = mode;
      }
      const problems: Diagnostic[] = [];
      // One of the several tensors a call returns (an LSTM's states, `["lstm", 0, 1]`): one tensor GLayer per output.
      const picks = new Map<string, GLayer>();
      const tensorOf = (src: GLayer, index: number, user: GLayer | undefined): GLayer | undefined => {
        let count = 1;
        try {
          count = outputCount(src);
        } catch {
          // an unknown wrapped cell: its shape says so
        }
        if (count === 1) {
          if (index === 0) return src;
          problems.push({ severity: 'error', code: 'bad-model', file: this.file, range: (user ?? src).range, layer: user?.name ?? src.name, message: `${user ? `layer '${user.name}' takes` : 'the model outputs'} output ${index} of '${src.name}', which returns one tensor; the file is inconsistent, save it again` });
          return undefined;
        }
        if (index >= count) {
          problems.push({ severity: 'error', code: 'bad-model', file: this.file, range: (user ?? src).range, layer: user?.name ?? src.name, message: `${user ? `layer '${user.name}' takes` : 'the model outputs'} output ${index} of '${src.name}', which returns ${count} tensors; the file is inconsistent, save it again` });
          return undefined;
        }
        const key = `${src.name}\u0000${index}`;
        let pick = picks.get(key);
        if (!pick) {
          pick = outputTensor(src, index);
          picks.set(key, pick);
        }
        return pick;
      };
      for (const [l, refs] of inbound) {
        l.inputs = refs.flatMap(({ name: n, tensor }) => {
          const src = byName.get(n);
          if (!src) problems.push({ severity: 'error', code: 'bad-model', file: this.file, range: l.range, layer: l.name, message: `layer '${l.name}' takes its input from '${n}', which is not in the model` });
          const t = src ? tensorOf(src, tensor, l) : undefined;
          return t ? [t] : [];
        });
      }
      const refs = (v: Json | undefined) =>
        (isObj(config) ? outputRefs(v) : []).flatMap(({ name: n, tensor }) => {
          const src = byName.get(n);
          const t = src ? tensorOf(src, tensor, undefined) : undefined;
          return t ? [t] : [];
        });
      const inputs = refs(isObj(config) ? config['input_layers'] : undefined);
      const outputs = refs(isObj(config) ? config['output_layers'] : undefined);
      const { layers } = collectFunctional(inputs, outputs.length ? outputs : [...byName.values()].slice(-1), order);
      return buildModelIR({ name, style: 'json', range, layers, inputs, outputs, training, problems }, this.file, cache);
    }
    this.diag('error', 'unsupported-model', 0, 1, `model class '${cls}' is not read by Model Lens; export a Sequential or functional model`);
    return undefined;
  }

  /**
   * A model used as a layer: read on its own (with the shape it is called on when its config does
   * not say), then shown as one layer with the inner model's output shape and counts.
   */
  private nestedModel(lj: Obj, type: string, name: string): GLayer {
    const range = this.locateName(name);
    const from = this.searchFrom;
    const cache = new Map<string, ModelIR | undefined>();
    const inner = (input: (number | null)[] | undefined): ModelIR | undefined => {
      const key = JSON.stringify(input ?? null);
      if (!cache.has(key)) {
        this.searchFrom = from;
        const saved = this.diagnostics.length;
        cache.set(key, this.readModelConfig(lj, undefined, input));
        this.diagnostics.length = saved;
      }
      return cache.get(key);
    };
    const problems: Diagnostic[] = [];
    const first = inner(undefined);
    if (first) problems.push(...first.diagnostics.filter((d) => d.code !== 'no-input-shape').map((d) => ({ ...d, message: `in nested model '${name}': ${d.message}` })));
    const spec: LayerSpec = {
      type,
      family: 'core',
      kind: 'other',
      tfjs: { none: 'a model used as a layer is built from its own layers, not as one layer' },
      doc: `the nested model '${name}'`,
      args: [],
      outputShape: (inputs) => {
        const m = inner(inputs[0]?.slice(1));
        const out = m?.layers.find((l) => l.name === m.outputs[0]);
        if (!out?.outputShape) throw new ShapeError(`the output shape of nested model '${name}' is unknown`);
        return out.outputShape;
      },
      params: (inputs) => {
        const m = inner(inputs[0]?.slice(1));
        return { trainable: m?.trainableParams ?? 0, nonTrainable: m?.nonTrainableParams ?? 0, formula: `the sum over the layers of '${name}'` };
      },
    };
    const trainable = cfg(lj)['trainable'];
    return {
      name,
      type,
      spec,
      config: { name, ...(trainable === false ? { trainable: false } : {}), layers: layerNames(lj) },
      range,
      inputs: [],
      problems,
      nested: { model: name, line: range.line },
      innerGraph: (inputs) => inner(inputs[0]?.slice(1)),
    };
  }

  private inputLayer(name: string, shape: (number | null)[], range: SourceRange): GLayer {
    return { name, type: 'InputLayer', spec: layerSpec('InputLayer'), config: { shape, batch_size: null, dtype: 'float32', sparse: false, batch_shape: null, name }, range, inputs: [], problems: [] };
  }

  private readLayer(lj: Json): GLayer | undefined {
    if (!isObj(lj) || typeof lj['class_name'] !== 'string') return undefined;
    const type = canonicalLayerType(lj['class_name']);
    const cfg = isObj(lj['config']) ? lj['config'] : {};
    const name = typeof cfg['name'] === 'string' ? cfg['name'] : typeof lj['name'] === 'string' ? lj['name'] : snakeCase(type);
    if (MODEL_CLASSES.has(type)) return this.nestedModel(lj, type, name);
    const range = this.locateName(name);
    const spec = layerSpec(type);
    if (!spec) {
      return {
        name,
        type,
        spec,
        config: { name },
        range,
        inputs: [],
        problems: [{ severity: 'error', code: 'unsupported-layer', file: this.file, range, layer: name, message: `${type} is not supported by Model Lens; supported layers: ${supportedLayerTypes().join(', ')}. Replace '${name}' with one of them` }],
      };
    }
    const kw = new Map<string, WrittenArg>();
    // A wrapped layer (Bidirectional's `layer`) stays {class_name, config}: the table reads it.
    const wrapped = new Set(spec.args.filter((a) => a.kind === 'layer').map((a) => a.name));
    for (const [k, v] of Object.entries(cfg)) {
      // Keras 2 saves some axes as one-element lists (BatchNormalization axis=[3]).
      const value = wrapped.has(k) ? v : k === 'axis' && Array.isArray(v) && v.length === 1 ? v[0]! : simplify(v);
      kw.set(k, { value, text: JSON.stringify(v), at: range });
    }
    if (type === 'InputLayer') {
      // Keras 2: batch_input_shape; Keras 3: batch_shape; both include the batch axis.
      const batch = cfg['batch_shape'] ?? cfg['batch_input_shape'];
      kw.delete('batch_input_shape');
      if (Array.isArray(batch) && !kw.has('shape')) kw.set('shape', { value: batch.slice(1), text: JSON.stringify(batch), at: range });
      kw.delete('batch_shape');
    }
    const built = buildConfig(spec, [], kw, range);
    const problems: Diagnostic[] = built.problems
      .filter((p) => p.code !== 'unknown-argument') // Keras writes arguments of its own (build_config, ragged, …)
      .map((p) => ({ severity: p.severity, code: p.code, file: this.file, range, layer: name, message: `${type} '${name}' ${p.message}` }));
    return { name, type, spec, config: { ...built.config, name }, range, inputs: [], problems };
  }
}

/** Keras 3 wraps dtype/initializers in {class_name, config}; keep the class name for display. */
function simplify(v: Json): Json {
  if (isObj(v) && typeof v['class_name'] === 'string') {
    if (v['class_name'] === 'DTypePolicy' && isObj(v['config'])) return (v['config']['name'] as Json) ?? null;
    return v['class_name'];
  }
  return v;
}

const cfg = (lj: Obj): Obj => (isObj(lj['config']) ? lj['config'] : {});

function layerNames(model: Obj): string[] {
  const c = model['config'];
  const list = Array.isArray(c) ? c : isObj(c) && Array.isArray(c['layers']) ? c['layers'] : [];
  return list.flatMap((l) => (isObj(l) && isObj(l['config']) && typeof l['config']['name'] === 'string' ? [l['config']['name']] : []));
}

/** The input shape a model was built with (Keras 2 `build_input_shape`, Keras 3 `build_config`), without the batch axis. */
function buildInputShape(model: Obj): (number | null)[] | null {
  const c = model['config'];
  const b = isObj(c) && Array.isArray(c['build_input_shape']) ? c['build_input_shape'] : isObj(model['build_config']) ? model['build_config']['input_shape'] : undefined;
  return Array.isArray(b) && b.every((d) => d === null || typeof d === 'number') ? (b.slice(1) as (number | null)[]) : null;
}

function inputShapeOf(c: Record<string, ConfigValue>): ConfigValue[] | null {
  if (Array.isArray(c['input_shape'])) return c['input_shape'];
  if (Array.isArray(c['batch_input_shape'])) return c['batch_input_shape'].slice(1);
  if (typeof c['input_dim'] === 'number') return [c['input_dim']];
  return null;
}

/** A tensor a layer takes: the layer that makes it and which of that call's outputs it is (Keras's tensor index). */
interface TensorRef {
  name: string;
  tensor: number;
}

/**
 * The tensors feeding a layer's first call, from Keras 2 (`[[["conv2d", 0, 0, {}]]]`) or Keras 3
 * (`[{"args": […], "kwargs": {…}}]`) inbound nodes. Keras 3 keeps an RNN's `initial_state=` in the
 * call's kwargs: those states follow the input (other kwargs tensors, such as a mask, are not inputs).
 */
function inboundRefs(nodes: Json | undefined): TensorRef[] {
  if (!Array.isArray(nodes) || !nodes.length) return [];
  const first = nodes[0]!;
  const refs: TensorRef[] = [];
  const tensor = (v: Json | undefined) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  const visit = (v: Json) => {
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string' && typeof v[1] === 'number') refs.push({ name: v[0], tensor: tensor(v[2]) });
      else v.forEach(visit);
    } else if (isObj(v)) {
      if (v['class_name'] === '__keras_tensor__' && isObj(v['config']) && Array.isArray(v['config']['keras_history'])) {
        const h = v['config']['keras_history'];
        if (typeof h[0] === 'string') refs.push({ name: h[0], tensor: tensor(h[2]) });
      } else if (Array.isArray(v['args'])) {
        visit(v['args']);
        const kw = v['kwargs'];
        if (isObj(kw) && kw['initial_state'] !== undefined && kw['initial_state'] !== null) visit(kw['initial_state']);
      }
    }
  };
  visit(isObj(first) ? first : Array.isArray(first) && typeof first[0] === 'string' ? [first] : first);
  return refs;
}

/**
 * The `training` a layer's first call fixed (`layer(x, training=False)`), as Keras saves it in the call's
 * kwargs: Keras 3 `{"args": […], "kwargs": {"training": false}}`, Keras 2 `[["conv2d", 0, 0, {"training": false}]]`.
 */
function inboundTraining(nodes: Json | undefined): boolean | undefined {
  if (!Array.isArray(nodes) || !nodes.length) return undefined;
  const first = nodes[0]!;
  const kwargs = isObj(first) ? first['kwargs'] : Array.isArray(first) && Array.isArray(first[0]) ? first[0][3] : undefined;
  const t = isObj(kwargs) ? kwargs['training'] : undefined;
  return typeof t === 'boolean' ? t : undefined;
}

/** `[["input_layer", 0, 0]]` or `["input_layer", 0, 0]` → the tensors (layer, tensor index). */
function outputRefs(v: Json | undefined): TensorRef[] {
  if (!Array.isArray(v)) return [];
  const one = (x: Json[]): TensorRef => ({ name: String(x[0]), tensor: typeof x[2] === 'number' && Number.isInteger(x[2]) && x[2] >= 0 ? x[2] : 0 });
  if (typeof v[0] === 'string') return [one(v)];
  return v.flatMap((x) => (Array.isArray(x) && typeof x[0] === 'string' ? [one(x)] : []));
}

/** Keras 2 `training_config` (`optimizer_config`) or Keras 3 `compile_config` (`optimizer`). */
function readTraining(t: Obj): TrainingConfig {
  const out: TrainingConfig = {};
  const loss = t['loss'];
  if (typeof loss === 'string') out.loss = loss;
  else if (isObj(loss) && typeof loss['class_name'] === 'string') {
    const c = cfg(loss);
    out.loss = typeof c['name'] === 'string' ? c['name'] : snakeCase(loss['class_name']);
    if (typeof c['from_logits'] === 'boolean') out.fromLogits = c['from_logits'];
  }
  if (Array.isArray(t['metrics'])) {
    const names: string[] = [];
    const visit = (m: Json) => {
      if (typeof m === 'string') names.push(m === 'acc' ? 'accuracy' : m);
      else if (Array.isArray(m)) m.forEach(visit);
      else if (isObj(m) && typeof cfg(m)['name'] === 'string') names.push(String(cfg(m)['name']));
    };
    t['metrics'].forEach(visit);
    out.metrics = names;
  }
  const o = t['optimizer_config'] ?? t['optimizer'];
  if (typeof o === 'string') {
    const known: Record<string, [string, number]> = { adam: ['Adam', 0.001], sgd: ['SGD', 0.01], rmsprop: ['RMSprop', 0.001], adagrad: ['Adagrad', 0.001], adadelta: ['Adadelta', 0.001], adamax: ['Adamax', 0.001], nadam: ['Nadam', 0.001] };
    const k = known[o.toLowerCase()];
    out.optimizer = k ? { name: k[0], learningRate: k[1] } : { name: o };
  } else if (isObj(o) && typeof o['class_name'] === 'string') {
    const c = cfg(o);
    const lr = c['learning_rate'] ?? c['lr'];
    const args: Record<string, ConfigValue> = {};
    for (const k of ['beta_1', 'beta_2', 'epsilon', 'momentum', 'nesterov', 'rho', 'centered']) if (c[k] !== undefined && c[k] !== null) args[k] = c[k]!;
    out.optimizer = { name: o['class_name'], ...(typeof lr === 'number' ? { learningRate: lr } : {}), ...(Object.keys(args).length ? { args } : {}) };
  }
  return out;
}
