/**
 * scikit-learn's small datasets and the helpers tutorials pass them through before Keras, so an
 * input size taken from them reads (`input_shape=X_train.shape[1:]` in Hands-On Machine Learning's
 * California housing models): the loaders give arrays of the sizes scikit-learn documents
 * (scikit-learn.org, "Toy datasets" / "Real world datasets": samples × features), train_test_split
 * keeps each array's feature axes (its sample count left open), and a scaler's transform keeps the
 * shape. Nothing is downloaded or read; other datasets stay unknown.
 */
import type { SyntaxNode } from '@lezer/common';
import { plainInstance, UNKNOWN, type Args, type Value } from '../python/values';
import { fileArray } from './data-values';
import { host, keras, type DataObject, type KerasObject } from './keras-values';

/** Loader → [samples, features…] of its `data`, and of `images` where it has them. */
const DATASETS: Readonly<Record<string, { data: number[]; images?: number[] }>> = {
  fetch_california_housing: { data: [20640, 8] },
  load_iris: { data: [150, 4] },
  load_digits: { data: [1797, 64], images: [1797, 8, 8] },
  load_breast_cancer: { data: [569, 30] },
  load_diabetes: { data: [442, 10] },
  load_wine: { data: [178, 13] },
};

const SCALERS = /^sklearn\.preprocessing\.(StandardScaler|MinMaxScaler|MaxAbsScaler|RobustScaler|Normalizer)$/;

export function sklearnCall(path: string, args: Args, n: SyntaxNode, line: number): Value | undefined {
  const loader = /^sklearn\.datasets\.(\w+)$/.exec(path)?.[1];
  const facts = loader ? DATASETS[loader] : undefined;
  if (facts) {
    // as_frame=True gives pandas objects, which Model Lens does not follow.
    if (isTrue(args.kw.get('as_frame')?.value)) return undefined;
    const data = fileArray(facts.data, line);
    const target = fileArray([facts.data[0]!], line, 'y');
    if (isTrue(args.kw.get('return_X_y')?.value)) return { k: 'seq', items: [data, target], tuple: true };
    const attrs: Record<string, Value> = { data, target };
    if (facts.images) attrs['images'] = fileArray(facts.images, line);
    return plainInstance('Bunch', attrs, n);
  }
  if (path === 'sklearn.model_selection.train_test_split') {
    if (args.star) return undefined;
    // Each array twice (train, test), in order; the split's sample counts are left open.
    const items: Value[] = [];
    for (const a of args.pos) {
      const d = keras(a.value);
      if (d?.kind !== 'data') return undefined;
      const half: Value = host({ ...d, dims: d.dims ? [null, ...d.dims.slice(1)] : null, split: undefined });
      items.push(half, half);
    }
    return items.length ? { k: 'seq', items, tuple: false } : undefined;
  }
  if (SCALERS.test(path)) return host({ kind: 'obj', cls: path.split('.').pop()!, path, pos: [], kw: new Map() });
  return undefined;
}

/** `scaler.fit_transform(X)` / `.transform(X)` / `.fit(X)` of a scaler above: X's shape / the scaler. */
export function sklearnMethod(o: KerasObject, self: Value, name: string, args: Args): Value | undefined {
  if (o.kind !== 'obj' || !SCALERS.test(o.path)) return undefined;
  if (name === 'fit') return self;
  if (name !== 'fit_transform' && name !== 'transform' && name !== 'inverse_transform') return undefined;
  const d = keras(args.pos[0]?.value ?? UNKNOWN('X'));
  return d?.kind === 'data' ? host({ ...d, scale: 1 } satisfies DataObject) : undefined;
}

function isTrue(v: Value | undefined): boolean {
  return v?.k === 'py' && v.v === true;
}
