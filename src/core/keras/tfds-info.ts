/**
 * TensorFlow Datasets' metadata for the datasets courses and books use, so sizes taken from it read:
 * `info.features['image'].shape`, `info.features['label'].num_classes`,
 * `info.splits['train'].num_examples`, from `tfds.builder(name).info` or `tfds.load(name, with_info=True)`.
 * The facts are the TFDS catalog's (tensorflow.org/datasets/catalog/<name>: "Feature structure" and
 * "Splits"); a dataset not listed here stays unknown, as before. Nothing is downloaded or read.
 */
import type { SyntaxNode } from '@lezer/common';
import { plainInstance, py, UNKNOWN, type Args, type Value } from '../python/values';

interface DatasetFacts {
  /** Feature name → its shape (an image, a mask) or its number of classes (a ClassLabel). */
  features: Record<string, { shape: (number | null)[] } | { classes: number }>;
  splits: Record<string, number>;
}

const IMAGE_28: DatasetFacts['features'] = { image: { shape: [28, 28, 1] }, label: { classes: 10 } };
const TFDS: Readonly<Record<string, DatasetFacts>> = {
  mnist: { features: IMAGE_28, splits: { train: 60000, test: 10000 } },
  fashion_mnist: { features: IMAGE_28, splits: { train: 60000, test: 10000 } },
  kmnist: { features: IMAGE_28, splits: { train: 60000, test: 10000 } },
  cifar10: { features: { image: { shape: [32, 32, 3] }, label: { classes: 10 } }, splits: { train: 50000, test: 10000 } },
  cifar100: { features: { image: { shape: [32, 32, 3] }, label: { classes: 100 }, coarse_label: { classes: 20 } }, splits: { train: 50000, test: 10000 } },
  horses_or_humans: { features: { image: { shape: [300, 300, 3] }, label: { classes: 2 } }, splits: { train: 1027, test: 256 } },
  rock_paper_scissors: { features: { image: { shape: [300, 300, 3] }, label: { classes: 3 } }, splits: { train: 2520, test: 372 } },
  tf_flowers: { features: { image: { shape: [null, null, 3] }, label: { classes: 5 } }, splits: { train: 3670 } },
};

/** `tfds.builder(name)` / `tfds.load(name, …, with_info=True)` of a dataset listed above; undefined otherwise. */
export function tfdsCall(path: string, args: Args, n: SyntaxNode): Value | undefined {
  if (path !== 'tensorflow_datasets.builder' && path !== 'tensorflow_datasets.load') return undefined;
  const given = (args.pos[0] ?? args.kw.get('name'))?.value;
  // 'mnist:3.*.*' names a version of the same dataset.
  const name = given?.k === 'py' && typeof given.v === 'string' ? given.v.split(':')[0]! : undefined;
  const facts = name !== undefined ? TFDS[name] : undefined;
  if (!facts || !name) return undefined;
  const info = infoValue(name, facts, n);
  if (path === 'tensorflow_datasets.builder') return plainInstance('DatasetBuilder', { info }, n);
  const withInfo = args.kw.get('with_info')?.value;
  if (withInfo?.k !== 'py' || withInfo.v !== true) return undefined;
  return { k: 'seq', items: [UNKNOWN(`the ${name} dataset`), info], tuple: true };
}

function infoValue(name: string, facts: DatasetFacts, n: SyntaxNode): Value {
  const features = new Map<string, Value>();
  for (const [key, f] of Object.entries(facts.features)) {
    features.set(key, 'shape' in f ? plainInstance('Image', { shape: { k: 'seq', items: f.shape.map((d) => py(d)), tuple: true } }, n) : plainInstance('ClassLabel', { num_classes: py(f.classes), shape: { k: 'seq', items: [], tuple: true } }, n));
  }
  const splits = new Map<string, Value>(Object.entries(facts.splits).map(([split, count]) => [split, plainInstance('SplitInfo', { num_examples: py(count), name: py(split) }, n)]));
  return plainInstance('DatasetInfo', { name: py(name), features: { k: 'dict', entries: features }, splits: { k: 'dict', entries: splits } }, n);
}
