/**
 * The data arrays a model file reads and what it does to them, for the Keras reader: the built-in
 * datasets (`keras.datasets.X.load_data()`), `np.load` of an .npz archive or of .npy files, arrays
 * made from a constant shape (`np.random.random((8, 32))`), tf.data pipelines over them
 * (`from_tensor_slices`, `.batch(n)`, `iter`/`next`), and the numpy / tf helpers, operators,
 * subscripts and methods applied to them (`kind: 'data'` / `kind: 'npz'` objects). Their shapes build
 * models fit or called on them; their scaling and source go to the training settings.
 */
import type { SyntaxNode } from '@lezer/common';
import nodePath from 'node:path';
import type { DatasetName } from '../model/ir';
import type { IndexItem } from '../python/host';
import { num, py, sliceBounds, NONE, UNKNOWN, type Arg, type Args, type Value } from '../python/values';
import { host, keras, toConfig, type DataObject, type KerasObject } from './keras-values';
import { ShapeError } from './layers/spec';
import { literalShape } from './tensor-ops';

/** What the data calls need from the reader. */
export interface DataSite {
  /** The model file (paths written in it are resolved beside it). */
  file: string;
  line(n: SyntaxNode): number;
  text(n: SyntaxNode): string;
  /** A warning at the call. */
  warn(n: SyntaxNode, code: string, message: string): void;
  /** `load_data()` of a built-in dataset was read at this line. */
  datasetRead(dataset: DatasetName, line: number): void;
}

/** keras.datasets.X: the data Model Lens reads for it, and the shapes `load_data()` returns (Keras docs: x_train, y_train). */
const DATASETS: Record<string, { name: DatasetName; image: number[]; train: number; test: number; yDims: number[] }> = {
  mnist: { name: 'mnist', image: [28, 28], train: 60000, test: 10000, yDims: [] },
  fashion_mnist: { name: 'fashion_mnist', image: [28, 28], train: 60000, test: 10000, yDims: [] },
  // CIFAR: x (N, 32, 32, 3) uint8, y (N, 1) uint8.
  cifar10: { name: 'cifar10', image: [32, 32, 3], train: 50000, test: 10000, yDims: [1] },
  cifar100: { name: 'cifar100', image: [32, 32, 3], train: 50000, test: 10000, yDims: [1] },
};
/** The labels of each built-in dataset are the class numbers 0 … n − 1 (Keras's dataset docs). */
const DATASET_CLASSES: Record<DatasetName, number> = { mnist: 10, fashion_mnist: 10, cifar10: 10, cifar100: 100, cifar100_coarse: 20 };

/** The names Model Lens pairs as inputs and labels: x.npy / y.npy, x_train.npy …, X_test.npy (either case). */
const NPY_NAME = /^[xXyY]([_.-].*)?\.npy$/;

/** An argument given by keyword or at its position. */
function arg(args: Args, index: number, name: string): Arg | undefined {
  return args.kw.get(name) ?? args.pos[index];
}

/** `keras.datasets.<name>.load_data()`: ((x_train, y_train), (x_test, y_test)) of the dataset's shapes. */
export function loadData(name: string, args: Args, n: SyntaxNode, site: DataSite): Value {
  const known = DATASETS[name];
  let dataset: DatasetName | null = known?.name ?? null;
  const line = site.line(n);
  if (name === 'cifar100') {
    // cifar100.load_data(label_mode='fine' | 'coarse'): 100 or 20 classes.
    const mode = toConfig(arg(args, 0, 'label_mode')?.value ?? py('fine'));
    if (mode === 'coarse') dataset = 'cifar100_coarse';
    else if (mode !== 'fine') site.warn(n, 'unsupported-dataset', `cifar100.load_data(label_mode=${JSON.stringify(mode)}): Keras takes 'fine' or 'coarse'; Model Lens reads the fine labels`);
  }
  if (!dataset) {
    site.warn(n, 'unsupported-dataset', `dataset '${name}' is not built into Model Lens (mnist, fashion_mnist, cifar10 and cifar100 are); Train uses the dataset chosen in the settings instead`);
  } else site.datasetRead(dataset, line);
  const classes = dataset ? DATASET_CLASSES[dataset] : undefined;
  const d = (role: 'x' | 'y', count: number, split: 'train' | 'test'): Value =>
    host({ kind: 'data', dataset, role, split, scale: 1, line, dims: known ? (role === 'x' ? [count, ...known.image] : [count, ...known.yDims]) : null, ...(role === 'y' && classes ? { classes } : {}) });
  return {
    k: 'seq',
    tuple: true,
    items: [
      { k: 'seq', tuple: true, items: [d('x', known?.train ?? 0, 'train'), d('y', known?.train ?? 0, 'train')] },
      { k: 'seq', tuple: true, items: [d('x', known?.test ?? 0, 'test'), d('y', known?.test ?? 0, 'test')] },
    ],
  };
}

/**
 * Calls that make or step through data: `iter(ds)` / `next(iter(ds))` of a tf.data dataset,
 * `tf.data.Dataset.from_tensor_slices(...)`, `np.load('data.npz')` / `np.load('x.npy')`.
 * Undefined when the call is none of those (the reader goes on).
 */
export function dataCall(path: string, args: Args, n: SyntaxNode, site: DataSite): Value | undefined {
  // iter(ds) and next(iter(ds)): one item of a tf.data dataset, as a loop over it gives.
  if (path === 'builtins.iter' || path === 'builtins.next') {
    const d = keras(args.pos[0]?.value);
    if (d?.kind === 'data' && d.slices && args.pos.length === 1) {
      if (path === 'builtins.iter' && !d.iterating) return host({ ...d, iterating: true });
      if (path === 'builtins.next' && d.iterating) return loopItemOf(d) ?? UNKNOWN(site.text(n));
    }
  }
  // tf.data.Dataset.from_tensor_slices((x, y)): the images stand for the dataset, their labels go with them.
  if (path === 'tensorflow.data.Dataset.from_tensor_slices') {
    const v = (args.pos[0] ?? args.kw.get('tensors'))?.value;
    const paired = v?.k === 'seq' && v.items.length === 2;
    const [x, y] = paired ? v.items.map((i) => keras(i)) : [keras(v), undefined];
    if (x?.kind === 'data') return host({ ...x, slices: paired ? 'pair' : 'single', ...(y?.kind === 'data' ? { pair: y } : {}) });
    return UNKNOWN(site.text(n));
  }
  // keras.utils.image_dataset_from_directory(dir, image_size=…, batch_size=…): batches of images of known shape.
  if (/^keras\.(utils|preprocessing)\.image_dataset_from_directory$/.test(path)) return imageDirectoryDataset(args, n, site) ?? UNKNOWN(site.text(n));
  // np.load('data.npz'): an archive in Model Lens's .npz dataset format (x_train, y_train, x_test, y_test).
  if (path === 'numpy.load') {
    const f = (args.pos[0] ?? args.kw.get('file'))?.value;
    if (f?.k === 'py' && typeof f.v === 'string' && /\.npz$/i.test(f.v)) return host({ kind: 'npz', path: besideFile(site.file, f.v), line: site.line(n) });
    // np.load('x.npy') / np.load('y_train.npy'): one array per file; the set is named by its inputs file.
    if (f?.k === 'py' && typeof f.v === 'string' && /\.npy$/i.test(f.v)) return host(npyData(besideFile(site.file, f.v), site.line(n)));
  }
  return undefined;
}

/** Channels of each color_mode of image_dataset_from_directory (Keras docs: "rgb", "rgba", "grayscale"). */
const COLOR_CHANNELS: Record<string, number> = { rgb: 3, rgba: 4, grayscale: 1 };

/**
 * `keras.utils.image_dataset_from_directory(directory, labels="inferred", label_mode="int",
 * class_names=None, color_mode="rgb", batch_size=32, image_size=(256, 256), …)` (Keras's
 * signature and defaults): a dataset of batches of images (batch, h, w, channels) and labels —
 * (batch,) for "int", (batch, 1) for "binary", (batch, classes) for "categorical" (the class count
 * is the folder's: unknown), none for label_mode=None; subset="both" gives two such datasets. The folder is not read (a warning says so,
 * and that Train uses the settings' dataset); undefined when an argument it needs cannot be worked out.
 */
function imageDirectoryDataset(args: Args, n: SyntaxNode, site: DataSite): Value | undefined {
  const size = toConfig(args.kw.get('image_size')?.value ?? { k: 'seq', items: [py(256), py(256)], tuple: true });
  const batch = toConfig(args.kw.get('batch_size')?.value ?? py(32));
  const color = toConfig(args.kw.get('color_mode')?.value ?? py('rgb'));
  const mode = toConfig(args.kw.get('label_mode')?.value ?? py('int'));
  const channels = typeof color === 'string' ? COLOR_CHANNELS[color] : undefined;
  // Only keywords are read: the positional order differs between Keras versions after `directory`.
  if (args.pos.length > 1 || args.star) return undefined;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => typeof d === 'number' && d > 0) || channels === undefined) return undefined;
  // batch_size=None gives single images, which no model is built from here.
  if (typeof batch !== 'number' || !(batch > 0)) return undefined;
  if (mode !== null && !['int', 'binary', 'categorical'].includes(mode as string)) return undefined;
  const line = site.line(n);
  site.warn(n, 'unsupported-dataset', `Model Lens does not read image folders: this dataset's batches are read from its arguments as (None, ${size.join(', ')}, ${channels}) images, and Train uses the dataset chosen in the settings instead`);
  const labels: DataObject | undefined =
    mode === null ? undefined : { kind: 'data', dataset: null, role: 'y', scale: 1, line, dims: mode === 'int' ? [null] : mode === 'binary' ? [null, 1] : null };
  const ds = host({ kind: 'data', dataset: null, role: 'x', scale: 1, line, dims: [null, ...(size as number[]), channels], slices: labels ? 'pair' : 'single', batch, ...(labels ? { pair: labels } : {}) });
  // subset="both" (with validation_split): the training and the validation datasets, as a tuple.
  return toConfig(args.kw.get('subset')?.value ?? NONE) === 'both' ? { k: 'seq', items: [ds, ds], tuple: true } : ds;
}

/** An array made in the file (no dataset of its own) of these dims, read at `line`. */
export function fileArray(dims: (number | null)[], line: number, role: 'x' | 'y' = 'x'): Value {
  return host({ kind: 'data', dataset: null, role, scale: 1, line, dims });
}

/** Arrays made from a constant shape (tf.ones((1, 4)), np.random.random((8, 32))): data of that shape; undefined otherwise. */
export function shapedArray(path: string, args: Args, n: SyntaxNode, site: DataSite): Value | undefined {
  if (/^(tensorflow|numpy|keras\.ops)\.(ones|zeros|empty|random\.(normal|uniform|random|rand|randn))$/.test(path)) {
    // np.random.rand(1000, 28, 28) / randn(…): each axis is its own argument.
    const axes = /^numpy\.random\.(rand|randn)$/.test(path) ? { k: 'seq' as const, items: args.pos.map((a) => a.value), tuple: true } : undefined;
    const size = toConfig(axes ?? arg(args, 0, path.endsWith('.random.random') || path.includes('numpy.random') ? 'size' : 'shape')?.value ?? args.kw.get('size')?.value ?? UNKNOWN('?'));
    const dims = Array.isArray(size) ? size : typeof size === 'number' ? [size] : null;
    if (dims && dims.every((d) => typeof d === 'number')) return fileArray(dims as number[], site.line(n));
  }
  // np.array([[0, 0], [0, 1], [1, 0], [1, 1]]): a nested list of numbers (XOR-style data) is data of its
  // shape, when every row has the same length (a ragged list is numpy's error or an object array).
  if (path === 'numpy.array' || path === 'numpy.asarray') {
    const dims = nestedDims(args.pos[0]?.value);
    if (dims && dims.length >= 2) return fileArray(dims, site.line(n));
  }
  return undefined;
}

/**
 * `for images, labels in train_ds:` (or `for images in ds:`) over a tf.data dataset made by
 * from_tensor_slices: one batch of it, with the batch size as first axis, so a model called on it
 * is built as Keras builds it on the first batch. Undefined for data that is no such dataset.
 */
export function loopItemOf(o: DataObject, repeats?: number): Value | undefined {
  if (!o.slices) return undefined;
  // Without .batch(n) the items are single samples, which no model is built from (Keras would
  // take the sample's first axis for the batch): their shape is left unknown, and so is the
  // shape of arrays Model Lens does not follow (an .npz's), so a model called on them is not built by the call.
  const batchOf = (d: KerasObject & { kind: 'data' }): Value => {
    const { pair: _p, batch: _b, slices: _s, iterating: _i, ...rest } = d;
    return host({ ...rest, dims: o.batch !== undefined && d.dims ? [o.batch, ...d.dims.slice(1)] : null, ...(o.batch !== undefined ? { ofBatches: o.batch } : {}), ...(repeats !== undefined ? { ofEpochs: repeats } : {}) });
  };
  if (o.slices === 'single') return batchOf(o);
  // Labels Model Lens does not follow (e.g. np.random.randint) are unknown; they shape no model.
  return { k: 'seq', items: [batchOf(o), o.pair ? batchOf(o.pair) : UNKNOWN('labels')], tuple: true };
}

/** numpy / tf helpers applied to the dataset keep it (expand_dims, reshape, cast, to_categorical…). */
export function dataHelper(first: DataObject, last: string, args: Args): Value {
  const labels = labelsHelper(first, last, args);
  if (labels) return labels;
  if (last === 'len') return first.dims?.length ? py(first.dims[0]!) : UNKNOWN('len(...)');
  if (last === 'expand_dims') {
    const ax = toConfig(arg(args, 1, 'axis')?.value ?? py(0));
    if (!first.dims || typeof ax !== 'number') return host({ ...first, dims: null });
    const at = ax < 0 ? first.dims.length + 1 + ax : ax;
    return host({ ...first, dims: [...first.dims.slice(0, at), 1, ...first.dims.slice(at)] });
  }
  if (last === 'reshape') return host({ ...first, dims: reshapeDims(first.dims, arg(args, 1, 'newshape')?.value ?? arg(args, 1, 'shape')?.value ?? UNKNOWN('?')) });
  return host({ ...first, dims: ['cast', 'convert_to_tensor', 'array', 'asarray', 'float32'].includes(last) ? first.dims : null });
}

/**
 * What is known of a built-in dataset's labels (the class numbers 0 … n − 1, every one present):
 * `np.unique(y)`, `y.max()` / `np.max(y)` (+ 1 is the class count), `y.min()`, and
 * `to_categorical(y[, n])`, whose shape drops a last axis of 1 and adds one of n (Keras's
 * to_categorical; n defaults to max(y) + 1). Undefined when it is not such a question.
 */
function labelsHelper(y: DataObject, name: string, args: Args): Value | undefined {
  if (y.role !== 'y' || y.classes === undefined) return undefined;
  const extremes = y.oneHot ? [0, 1] : [0, y.classes - 1];
  const whole = !args.pos.slice(1).length && !args.kw.size;
  if ((name === 'max' || name === 'amax') && whole) return py(extremes[1]!);
  if ((name === 'min' || name === 'amin') && whole) return py(extremes[0]!);
  if (name === 'unique' && whole) return host({ ...y, dims: [y.oneHot ? 2 : y.classes], classes: undefined });
  if (name === 'to_categorical' && !y.oneHot) {
    const given = toConfig(arg(args, 1, 'num_classes')?.value ?? NONE);
    const n = given === null ? y.classes : typeof given === 'number' ? given : undefined;
    const dims = y.dims ? (y.dims.length > 1 && y.dims[y.dims.length - 1] === 1 ? y.dims.slice(0, -1) : y.dims) : null;
    return host({ ...y, dims: dims && n !== undefined ? [...dims, n] : null, oneHot: true, ...(n !== undefined ? { classes: n } : {}) });
  }
  return undefined;
}

/** `x.shape`, `x.T`, and the methods of an array (`x.reshape`, …; called through `dataMethod`). */
export function dataAttribute(o: DataObject, name: string, n: SyntaxNode, site: Pick<DataSite, 'text'>): Value {
  if (name === 'shape') return o.dims ? { k: 'seq', items: o.dims.map((d) => py(d)), tuple: true } : UNKNOWN(site.text(n));
  if (name === 'T') return host({ ...o, dims: null });
  return { k: 'method', self: host(o), name };
}

/** `x.reshape(...)`, `y.max()`, `x.astype(...)`…, and a tf.data pipeline's `ds.shuffle(n).batch(32)`. */
export function dataMethod(o: DataObject, name: string, args: Args, n: SyntaxNode, site: Pick<DataSite, 'text'>): Value {
  if (o.slices) {
    // A tf.data pipeline: order and grouping change, not what one sample is.
    // An iterator (iter(ds)) has no dataset methods.
    if (o.iterating) return UNKNOWN(site.text(n));
    if (['shuffle', 'prefetch', 'cache', 'repeat', 'take', 'skip', 'with_options'].includes(name)) return host(o);
    if (name === 'as_numpy_iterator') return host({ ...o, iterating: true });
    if (name === 'batch') {
      const b = toConfig(arg(args, 0, 'batch_size')?.value ?? UNKNOWN('?'));
      return host({ ...o, ...(typeof b === 'number' ? { batch: b } : {}) });
    }
    return UNKNOWN(site.text(n));
  }
  const labels = labelsHelper(o, name, { pos: [{ value: host(o), node: n }, ...args.pos], kw: args.kw, star: args.star });
  if (labels) return labels;
  if (name === 'reshape') return host({ ...o, dims: reshapeDims(o.dims, args.pos.length === 1 ? args.pos[0]!.value : { k: 'seq', items: args.pos.map((a) => a.value), tuple: true }) });
  return host({ ...o, dims: name === 'astype' || name === 'copy' ? o.dims : null });
}

/** `x[..., None]`, `x[:n]` of an array; `npz['x_train']` of an .npz archive: that array. */
export function dataSubscript(o: DataObject | Extract<KerasObject, { kind: 'npz' }>, index: IndexItem[]): Value {
  if (o.kind === 'data') return host({ ...o, dims: subscriptDims(o.dims, index) });
  const key = index.length === 1 && index[0]!.k === 'at' && index[0]!.value.k === 'py' ? index[0]!.value.v : undefined;
  const m = typeof key === 'string' ? /^([xy])_(train|test)$/.exec(key) : null;
  return host({ kind: 'data', dataset: null, npz: o.path, role: m?.[1] === 'y' || (typeof key === 'string' && /^y/i.test(key)) ? 'y' : 'x', ...(m ? { split: m[2] as 'train' | 'test' } : {}), scale: 1, line: o.line, dims: null });
}

/**
 * Scaling of the dataset: `x / 255.`, `x * (1/255)`, `x - 0`, `255 * x` …: the data with its scale;
 * `scaled` hears of a change of the inputs' scale. Undefined when no side is data with a number.
 */
export function scaleData(a: Value, op: string, b: Value, scaled: (last: { dataset: DatasetName | null; scale: number }) => void): Value | undefined {
  const x = keras(a);
  const y = keras(b);
  const bn = num(b);
  if (x?.kind === 'data' && bn !== undefined) {
    const scale = op === '/' ? x.scale / bn : op === '*' ? x.scale * bn : x.scale;
    if (x.role === 'x' && scale !== x.scale) scaled({ dataset: x.dataset, scale });
    return host({ ...x, scale });
  }
  const an = num(a);
  if (y?.kind === 'data' && op === '*' && an !== undefined) return host({ ...y, scale: y.scale * an });
  return undefined;
}

/**
 * `fit(x, y)` with x from an .npy file: x must be named as the loader pairs files, and y be the
 * labels file beside it. The error and where it is (the y argument, or the call when `at` is
 * undefined); undefined when x is from no .npy file or the pair is one Model Lens reads.
 */
export function npyFitError(x: DataObject, yArg: Arg | undefined): { at?: SyntaxNode; message: string } | undefined {
  if (!x.npy) return undefined;
  const y = keras(yArg?.value);
  if (!NPY_NAME.test(nodePath.basename(x.npy)) || x.role !== 'x') {
    return { message: `fit(x, …) with x from ${nodePath.basename(x.npy)}: Model Lens reads arrays saved one per file as x.npy with y.npy beside it (or x_train.npy, y_train.npy, x_test.npy, y_test.npy); save the inputs under one of those names` };
  } else if (yArg && (y?.kind !== 'data' || y.npz !== x.npz || y.role !== 'y' || y.split !== x.split)) {
    const want = nodePath.basename(x.npy).replace(/^[xX]/, 'y');
    return { at: yArg.node, message: `fit(x, y) with x from ${nodePath.basename(x.npy)}: Model Lens reads its labels from ${want} beside it; load y with np.load('${want}')` };
  }
  return undefined;
}

/**
 * An array of an .npy file: its role (x or y), split (_train/_test), and the set it belongs to, named
 * by its inputs file in lower case (x.npy, x_train.npy): the same for X_train.npy and y_train.npy, so
 * fit and validation_data can tell the files of one set apart from others.
 */
function npyData(file: string, line: number): KerasObject {
  const base = nodePath.basename(file);
  const m = NPY_NAME.exec(base);
  const role: 'x' | 'y' = m && /^[yY]/.test(base) ? 'y' : 'x';
  const tail = (m?.[1] ?? '').toLowerCase();
  const split = m && (tail === '_train' || tail === '_test') ? (tail.slice(1) as 'train' | 'test') : undefined;
  const set = m ? nodePath.join(nodePath.dirname(file), `x${split ? '_train' : tail}.npy`) : file;
  return { kind: 'data', dataset: null, role, ...(split ? { split } : {}), npz: set, npy: file, scale: 1, line, dims: null };
}

/** The shape of a rectangular nested list of numbers ([[1, 2], [3, 4]] → [2, 2]), no axis empty, at most 9 axes; undefined for anything else. */
function nestedDims(v: Value | undefined): number[] | undefined {
  const c = v?.k === 'seq' ? toConfig(v) : undefined;
  if (!Array.isArray(c)) return undefined;
  try {
    const dims = literalShape(c) as number[];
    return dims.includes(0) || dims.length > 9 ? undefined : dims;
  } catch (e) {
    if (e instanceof ShapeError) return undefined;
    throw e;
  }
}

/** A path written in the model file, resolved beside it (as `python model.py` run from its folder would). */
function besideFile(file: string, p: string): string {
  return nodePath.resolve(nodePath.dirname(file), p);
}

/** Array shape after `x[..., newaxis]` (newaxis = None / np.newaxis) or `x[:n]`; null otherwise. */
function subscriptDims(dims: (number | null)[] | null, index: IndexItem[]): (number | null)[] | null {
  if (!dims) return null;
  const isNewAxis = (i: IndexItem) => i.k === 'at' && ((i.value.k === 'py' && i.value.v === null) || (i.value.k === 'mod' && i.value.path.endsWith('.newaxis')));
  const first = index[0];
  if (first?.k === 'at' && first.value.k === 'ellipsis' && index.length > 1 && index.slice(1).every(isNewAxis)) return [...dims, ...index.slice(1).map(() => 1)];
  if (index.length === 1 && first?.k === 'slice') {
    if (!first.start && !first.stop && !first.step) return dims;
    return [null, ...dims.slice(1)];
  }
  // x[:, :5] / x[:, 2:] / x[:, 0]: columns of a table (Hands-On ML's wide & deep inputs), axis by axis.
  const at = (i: IndexItem) => i.k === 'at' && i.value.k === 'py' && typeof i.value.v === 'number' && !i.value.f;
  if (index.length >= 2 && index.length <= dims.length && index.every((i) => i.k === 'slice' || at(i))) {
    const out: (number | null)[] = [];
    index.forEach((i, axis) => {
      if (i.k === 'slice') out.push(sliceLength(dims[axis]!, i));
    });
    return [...out, ...dims.slice(index.length)];
  }
  return null;
}

/** How many items `[start:stop:step]` takes from an axis of `len` items, as Python's slices do; null when it cannot be told. */
function sliceLength(len: number | null, s: Extract<IndexItem, { k: 'slice' }>): number | null {
  // (a float bound is numpy's TypeError: no length)
  if ([s.start, s.stop, s.step].some((v) => v?.k === 'py' && v.f)) return null;
  const whole = [s.start, s.stop].every((v) => !v || (v.k === 'py' && v.v === null)) && (!s.step || (s.step.k === 'py' && (s.step.v === null || s.step.v === 1)));
  if (whole) return len;
  if (len === null) return null;
  const b = sliceBounds(s, len);
  return b === undefined || b === 'zero' ? null : Math.max(0, Math.ceil((b.stop - b.start) / b.step));
}

/** numpy reshape: one -1 is inferred from the total size. */
function reshapeDims(dims: (number | null)[] | null, shape: Value): (number | null)[] | null {
  // An axis given as a value Model Lens cannot work out (`np.reshape(x, (x.shape[0], 28, 28, 1))`
  // on data read at run time) is of unknown length; the others are as written.
  const one = shape.k === 'seq' ? undefined : toConfig(shape);
  if (shape.k !== 'seq' && typeof one !== 'number') return null;
  const t = shape.k === 'seq' ? shape.items.map((i) => toConfig(i)).map((d) => (typeof d === 'number' ? d : null)) : [one as number];
  const total = dims && dims.every((d) => d !== null) ? (dims as number[]).reduce((a, b) => a * b, 1) : null;
  const known = t.every((d) => d !== null) ? (t as number[]).filter((d) => d !== -1).reduce((a, b) => a * b, 1) : 0;
  return t.map((d) => (d === -1 ? (total !== null && known > 0 && total % known === 0 ? total / known : null) : d));
}
