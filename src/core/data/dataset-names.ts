/**
 * The datasets Model Lens knows by name (Keras's `keras.datasets.X.load_data()`), and how a name a
 * user types maps to one: 'Fashion-MNIST' → 'fashion_mnist', 'cifar-10' → 'cifar10',
 * 'cifar100-coarse' → 'cifar100_coarse'. Anything else is a path.
 */
import type { DatasetName } from '../model/ir';

export const BUILTIN_DATASETS: readonly DatasetName[] = ['mnist', 'fashion_mnist', 'cifar10', 'cifar100', 'cifar100_coarse'];

/** The built-in dataset a name means, or undefined when it is not one (then it is a path). */
export function builtinDatasetName(name: string): DatasetName | undefined {
  const n = name.trim().toLowerCase().replace(/-/g, '_').replace(/^cifar_(10|100)/, 'cifar$1');
  return (BUILTIN_DATASETS as readonly string[]).includes(n) ? (n as DatasetName) : undefined;
}
