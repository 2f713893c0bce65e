/**
 * Pooling (keras/src/layers/pooling): Max/Average 1D/2D/3D and the Global ones, one parameterized
 * spec each (tfjs-layers' `Pooling1D/2D/3D` idea). No weights.
 */
import { dataFormatArg, ints, NONE, paddingArg, rankIs, SPATIAL, times, type LayerSpec } from './spec';
import { windowOutput } from './convolution';

const TFJS = new Set(['MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D']);
/** Ours in src/worker/custom-layers.ts (tfjs-layers has no 3-D global pooling). */
const CUSTOM = new Set(['GlobalAveragePooling3D', 'GlobalMaxPooling3D']);
const builder = (type: string) => (TFJS.has(type) ? { className: type } : CUSTOM.has(type) ? { className: type, custom: true } : { none: `TensorFlow.js has no ${type} layer` });

function pooling(rank: 1 | 2 | 3, op: 'Max' | 'Average'): LayerSpec {
  const type = `${op}Pooling${rank}D`;
  const def = rank === 1 ? 2 : Array.from({ length: rank }, () => 2);
  return {
    type,
    aliases: [`${op === 'Max' ? 'Max' : 'Avg'}Pool${rank}D`],
    family: 'pooling',
    kind: 'pool',
    showActivations: rank === 2,
    tfjs: builder(type),
    doc: `The ${op === 'Max' ? 'maximum' : 'average'} over a pool_size window moved by strides; no weights. Output: floor((in − pool)/stride) + 1 ("valid") or ceil(in/stride) ("same").`,
    args: [
      { name: 'pool_size', kind: 'ints', rank, default: def, doc: 'Window size along each spatial axis.' },
      { name: 'strides', kind: 'intsOrNull', rank, default: null, doc: 'Step of the window; None means pool_size.' },
      paddingArg,
      dataFormatArg,
    ],
    outputShape([x], c) {
      const k = ints(c['pool_size'], rank);
      const s = c['strides'] === null || c['strides'] === undefined ? k : ints(c['strides'], rank);
      const out = windowOutput(x!, rank, type, k, s, String(c['padding'] ?? 'valid'), k.map(() => 1), 'pool_size');
      return [null, ...out, x![rank + 1]!];
    },
    params: () => NONE,
    keyArgs(c) {
      const k = ints(c['pool_size'], rank);
      const parts = [times(k)];
      if (c['strides'] !== null && c['strides'] !== undefined) {
        const s = ints(c['strides'], rank);
        if (s.some((v, i) => v !== k[i])) parts.push(`stride ${times(s)}`);
      }
      if (c['padding'] === 'same') parts.push('same');
      return parts.join(' · ');
    },
  };
}

/** TF.js's global pooling layers: channels_last only here (the worker is not given channels_first). */
function globalBuilder(type: string): LayerSpec['tfjs'] {
  const b = builder(type);
  if ('none' in b) return b;
  return { ...b, unsupported: (c) => (c['data_format'] === 'channels_first' ? `${type} with data_format='channels_first' is not trained here yet; Model Lens trains channels_last models` : undefined) };
}

function globalPooling(rank: 1 | 2 | 3, op: 'Max' | 'Average'): LayerSpec {
  const type = `Global${op}Pooling${rank}D`;
  return {
    type,
    aliases: [`Global${op === 'Max' ? 'Max' : 'Avg'}Pool${rank}D`],
    family: 'pooling',
    kind: 'pool',
    tfjs: globalBuilder(type),
    doc: `The ${op === 'Max' ? 'maximum' : 'average'} over every ${rank === 1 ? 'step' : 'spatial position'}: one value per channel; no weights.`,
    args: [
      { name: 'data_format', kind: 'dataFormatAny', default: null, doc: "'channels_last' (channels on the last axis, Keras's default) or 'channels_first' (channels right after the batch axis)." },
      { name: 'keepdims', kind: 'bool', default: false, doc: `Keep the ${rank === 1 ? 'steps axis' : 'spatial axes'} as size 1.` },
    ],
    // keras/src/layers/pooling/base_global_pooling.py compute_output_shape: the channels axis is
    // kept (last, or the one after the batch with channels_first), the others pooled away (or 1).
    outputShape([x], c) {
      rankIs(x!, rank + 2, type, `It pools a ${SPATIAL[rank]} tensor.`);
      const first = c['data_format'] === 'channels_first';
      const ch = first ? x![1]! : x![rank + 1]!;
      const ones = Array.from({ length: rank }, () => 1);
      if (!c['keepdims']) return [null, ch];
      return first ? [null, ch, ...ones] : [null, ...ones, ch];
    },
    params: () => NONE,
  };
}

export const POOLING: LayerSpec[] = [
  pooling(2, 'Max'),
  pooling(2, 'Average'),
  pooling(1, 'Max'),
  pooling(1, 'Average'),
  pooling(3, 'Max'),
  pooling(3, 'Average'),
  globalPooling(2, 'Average'),
  globalPooling(2, 'Max'),
  globalPooling(1, 'Average'),
  globalPooling(1, 'Max'),
  globalPooling(3, 'Average'),
  globalPooling(3, 'Max'),
];
