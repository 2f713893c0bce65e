/**
 * The TensorFlow.js namespace the engine uses. By default the bundled tfjs-core + tfjs-layers
 * (with the wasm and cpu backends); when `@tensorflow/tfjs-node` loads, ITS namespace is used
 * instead, because the native backend registers itself in its own copy of tfjs-core.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type TF = typeof tfc & typeof tfl;

export const bundledTf: TF = { ...tfc, ...tfl } as TF;

/** Live binding: replaced by `useTf` once the backend is chosen. */
export let tf: TF = bundledTf;

export function useTf(namespace: TF): void {
  tf = namespace;
}
