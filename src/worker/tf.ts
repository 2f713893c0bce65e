/**
 * The TensorFlow.js namespace the engine uses. By default the bundled tfjs-core + tfjs-layers
 * (with the wasm and cpu backends); when `@tensorflow/tfjs-node` loads, ITS namespace is used
 * instead, because the native backend registers itself in its own copy of tfjs-core.
 */
import * as tfc from '@tensorflow/tfjs-core';
// Chained tensor methods (t.flatten(), t.sign()): tfjs-layers' Orthogonal initializer, the
// recurrent layers' default, calls them; the `@tensorflow/tfjs` bundle registers them, we import tfjs-core alone.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import * as tfl from '@tensorflow/tfjs-layers';

export type TF = typeof tfc & typeof tfl;

export const bundledTf: TF = { ...tfc, ...tfl } as TF;

/** Live binding: replaced by `useTf` once the backend is chosen. */
export let tf: TF = bundledTf;

export function useTf(namespace: TF): void {
  tf = namespace;
}
