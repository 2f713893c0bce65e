/**
 * Convolutions (keras/src/layers/convolutional): Conv1D/2D/3D, their transposes, SeparableConv1D/2D
 * and DepthwiseConv1D/2D — one parameterized spec (tfjs-layers' `BaseConv` idea). Output lengths
 * follow Keras's `compute_conv_output_shape` / `compute_conv_transpose_output_shape`.
 */
import type { Shape } from '../../model/ir';
import {
  activationArg, activityArg, convLength, dataFormatArg, deconvLength, dot, init, ints, known, rankIs, ShapeError, SPATIAL, times, useBiasArg, withBias,
  type ArgSpec, type Config, type LayerSpec,
} from './spec';

export type ConvVariant = 'conv' | 'transpose' | 'separable' | 'depthwise';

const DOCS: Record<ConvVariant, (r: number) => string> = {
  conv: (r) => `A ${r}-D convolution: \`filters\` kernels of size kernel_size slide over the ${r === 1 ? 'sequence' : r === 2 ? 'image' : 'volume'}; each output channel is a weighted sum over a window of all input channels plus a bias.`,
  transpose: (r) => `A transposed ${r}-D convolution ("deconvolution"): spreads each input value over a kernel-sized window, growing the ${r === 1 ? 'sequence' : r === 2 ? 'image' : 'volume'} by \`strides\` (used in decoders and GANs).`,
  separable: (r) => `A depthwise ${r}-D convolution per channel followed by a pointwise (1×1) convolution that mixes channels into \`filters\` outputs.`,
  depthwise: (r) => `A depthwise ${r}-D convolution: each input channel is convolved with its own depth_multiplier kernels (no mixing across channels).`,
};

function spatialDims(x: Shape, rank: number, type: string): (number | null)[] {
  rankIs(x, rank + 2, type, `Give it a ${SPATIAL[rank]} tensor${rank === 2 ? '; add layers.Reshape((h, w, c)) if the input is flat' : ''}.`);
  return x.slice(1, rank + 1);
}

/** The output's spatial lengths of a convolution or pooling window; errors when it does not fit. */
export function windowOutput(x: Shape, rank: number, type: string, k: number[], s: number[], padding: string, d: number[], kernelKey: string): (number | null)[] {
  const dims = spatialDims(x, rank, type);
  const out = dims.map((n, i) => convLength(n, k[i]!, padding, s[i]!, d[i]!));
  if (out.some((n) => n !== null && n <= 0)) {
    throw new ShapeError(
      `its ${times(k)} window does not fit the ${dims.map((n) => n ?? '?').join('×')} input with padding='valid'; ` +
        `use padding='same', a smaller ${kernelKey} or strides, or fewer pooling layers before it`,
    );
  }
  return out;
}

function convSpec(rank: 1 | 2 | 3, variant: ConvVariant): LayerSpec {
  const suffix = `${rank}D`;
  const type = variant === 'conv' ? `Conv${suffix}` : variant === 'transpose' ? `Conv${suffix}Transpose` : variant === 'separable' ? `SeparableConv${suffix}` : `DepthwiseConv${suffix}`;
  const aliases = variant === 'conv' ? [`Convolution${suffix}`] : variant === 'transpose' ? [`Convolution${suffix}Transpose`] : variant === 'separable' ? [`SeparableConvolution${suffix}`] : [];
  const tuple = (name: string, def: number, doc: string): ArgSpec => ({ name, kind: 'ints', rank, default: Array.from({ length: rank }, () => def), doc });
  const padChoices = rank === 1 && variant !== 'transpose' ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const args: ArgSpec[] = [];
  if (variant !== 'depthwise') args.push({ name: 'filters', kind: 'int', doc: 'Number of output channels (kernels).' });
  args.push(
    { name: 'kernel_size', kind: 'ints', rank, doc: `Size of the kernel, an int or a tuple of ${rank}.` },
    tuple('strides', 1, 'Step of the window along each spatial axis.'),
    {
      name: 'padding',
      kind: 'choice',
      choices: padChoices,
      default: 'valid',
      doc: `"valid" (no padding: the output shrinks) or "same" (zero-padded: output = ceil(input / strides))${padChoices.includes('causal') ? '; "causal" pads the start only (output at t sees inputs ≤ t)' : ''}.`,
    },
  );
  if (variant === 'transpose') args.push({ name: 'output_padding', kind: 'intsOrNull', rank, default: null, doc: 'Extra length added to one side of the output (None = inferred).' });
  if (variant === 'depthwise') args.push({ name: 'depth_multiplier', kind: 'int', default: 1, doc: 'Output channels per input channel.' });
  args.push(dataFormatArg, tuple('dilation_rate', 1, 'Spacing between kernel taps (atrous convolution).'));
  if (variant === 'conv') args.push({ name: 'groups', kind: 'int', default: 1, doc: 'Split the input channels into this many groups.' });
  if (variant === 'separable') args.push({ name: 'depth_multiplier', kind: 'int', default: 1, doc: 'Depthwise output channels per input channel.' });
  args.push(activationArg, useBiasArg);
  const kernels = variant === 'separable' ? ['depthwise', 'pointwise'] : variant === 'depthwise' ? ['depthwise'] : ['kernel'];
  for (const w of [...kernels, 'bias']) args.push(init(`${w}_initializer`, w === 'bias' ? 'zeros' : 'glorot_uniform', `Initializer of the ${w} ${w === 'bias' ? 'vector' : 'kernel'}.`));
  for (const w of [...kernels, 'bias']) args.push(init(`${w}_regularizer`, null, `Regularizer of the ${w} ${w === 'bias' ? 'vector' : 'kernel'}.`));
  args.push(activityArg);
  for (const w of [...kernels, 'bias']) args.push(init(`${w}_constraint`, null, `Constraint on the ${w} ${w === 'bias' ? 'vector' : 'kernel'}.`));

  const tfjsClass = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'Conv3DTranspose', 'SeparableConv2D', 'DepthwiseConv2D']);
  const kOf = (c: Config) => ints(c['kernel_size'], rank);
  const cinOf = (x: Shape) => known(x[rank + 1], `channel count of the input to ${type}`);

  return {
    type,
    aliases,
    family: 'convolution',
    kind: 'conv',
    showActivations: rank === 2,
    tfjs: type === 'Conv1D'
      ? // tfjs-layers' Conv1D has no causal padding or groups: ours (src/worker/conv1d-variants.ts) then.
        { className: type, classFor: (c) => (c['padding'] === 'causal' || Number(c['groups'] ?? 1) > 1 ? { className: 'KerasConv1D', custom: true } : undefined) }
      : tfjsClass.has(type)
      ? {
          className: type,
          unsupported: (c) =>
            c['padding'] === 'causal'
              ? `TensorFlow.js's ${type} has no padding='causal'`
              : Number(c['groups'] ?? 1) > 1 && ints(c['dilation_rate'], rank).some((d) => d > 1)
                ? `Model Lens's grouped ${type} has no dilation_rate`
                : undefined,
          // tfjs-layers' Conv2D/Conv3D have no groups: ours (src/worker/grouped-conv.ts) then.
          ...(variant === 'conv' ? { classFor: (c: Config) => (Number(c['groups'] ?? 1) > 1 ? { className: `Grouped${type}`, custom: true } : undefined) } : {}),
        }
      : OURS_1D.has(type)
        ? { className: type, custom: true, unsupported: (c) => oursUnsupported(type, c) }
        : { none: `TensorFlow.js has no ${type} layer` },
    doc: DOCS[variant](rank),
    args,
    outputShape([x], c) {
      const k = kOf(c);
      const s = ints(c['strides'], rank);
      const d = ints(c['dilation_rate'], rank);
      const padding = String(c['padding'] ?? 'valid');
      if (variant === 'transpose') {
        const dims = spatialDims(x!, rank, type);
        const op = c['output_padding'] === null || c['output_padding'] === undefined ? null : ints(c['output_padding'], rank);
        op?.forEach((p, i) => {
          if (p >= s[i]!) throw new ShapeError(`output_padding ${fmtList(op)} must be smaller than strides ${fmtList(s)} on every axis`);
        });
        return [null, ...dims.map((n, i) => deconvLength(n, k[i]!, padding, s[i]!, op ? op[i]! : null, d[i]!)), Number(c['filters'])];
      }
      if (s.some((v) => v > 1) && d.some((v) => v > 1)) throw new ShapeError('strides > 1 and dilation_rate > 1 cannot be combined; keep one of them at 1');
      const out = windowOutput(x!, rank, type, k, s, padding, d, 'kernel_size');
      const cin = x![rank + 1] ?? null;
      if (variant === 'depthwise') return [null, ...out, cin === null ? null : cin * Number(c['depth_multiplier'] ?? 1)];
      const groups = Number(c['groups'] ?? 1);
      if (cin !== null && cin % groups !== 0) throw new ShapeError(`its ${cin} input channels cannot be split into groups=${groups}; use a divisor of ${cin}`);
      if (groups > 1 && Number(c['filters']) % groups !== 0) throw new ShapeError(`filters=${c['filters']} is not divisible by groups=${groups}`);
      return [null, ...out, Number(c['filters'])];
    },
    params([x], c) {
      const k = kOf(c);
      const kk = k.reduce((a, b) => a * b, 1);
      const cin = cinOf(x!);
      const bias = c['use_bias'] !== false;
      if (variant === 'depthwise') {
        const m = Number(c['depth_multiplier'] ?? 1);
        return withBias(kk * cin * m, cin * m, bias, dot(...k, cin, m));
      }
      const f = Number(c['filters']);
      if (variant === 'separable') {
        const m = Number(c['depth_multiplier'] ?? 1);
        return withBias(kk * cin * m + cin * m * f, f, bias, `${dot(...k, cin, m)} + ${dot(cin, m, f)}`);
      }
      const g = variant === 'conv' ? Number(c['groups'] ?? 1) : 1;
      const w = (kk * cin * f) / g;
      if (!bias) return { trainable: w, nonTrainable: 0, formula: `${dot(...k, cin / g, f)} = ${w}` };
      return { trainable: w + f, nonTrainable: 0, formula: `(${dot(...k, cin / g)} + 1)·${f} = ${w + f}` };
    },
    keyArgs(c) {
      const parts: string[] = [];
      if (typeof c['filters'] === 'number') parts.push(String(c['filters']));
      parts.push(times(kOf(c)));
      const s = ints(c['strides'], rank);
      if (s.some((v) => v !== 1)) parts.push(`stride ${times(s)}`);
      if (typeof c['padding'] === 'string') parts.push(c['padding']);
      if (typeof c['activation'] === 'string' && c['activation'] !== 'linear') parts.push(c['activation']);
      return parts.join(' · ');
    },
    macs([x], out, c) {
      const cin = x![x!.length - 1];
      if (typeof cin !== 'number') return 0;
      const kk = kOf(c).reduce((a, b) => a * b, 1);
      const vol = volumeOf(out);
      if (variant === 'depthwise') return vol * kk;
      if (variant === 'transpose') return volumeOf(x!) * kk * Number(c['filters']);
      if (variant === 'separable') {
        const m = Number(c['depth_multiplier'] ?? 1);
        const pos = vol / Number(c['filters']);
        return pos * cin * m * kk + vol * cin * m;
      }
      return (vol * kk * cin) / Number(c['groups'] ?? 1);
    },
  };
}

/** Ours in src/worker/conv1d-variants.ts (tfjs-layers has only the 2-D forms). */
const OURS_1D = new Set(['DepthwiseConv1D', 'SeparableConv1D', 'Conv1DTranspose']);

function oursUnsupported(type: string, c: Config): string | undefined {
  const s = ints(c['strides'], 1)[0]!;
  const d = ints(c['dilation_rate'], 1)[0]!;
  if (type === 'Conv1DTranspose') {
    if (c['output_padding'] !== null && c['output_padding'] !== undefined) return "Model Lens's TF.js Conv1DTranspose has no output_padding";
    if (d !== 1) return "Model Lens's TF.js Conv1DTranspose has no dilation_rate (TF.js's conv2dTranspose has none)";
  } else if (s > 1 && d > 1) return `TF.js's depthwise convolution cannot combine strides ${s} with dilation_rate ${d}`;
  return undefined;
}

const fmtList = (xs: number[]) => `(${xs.join(', ')})`;

/** Values in one sample (batch excluded); 0 when unknown. */
export function volumeOf(shape: Shape): number {
  let v = 1;
  for (const d of shape.slice(1)) {
    if (d === null) return 0;
    v *= d;
  }
  return v;
}

export const CONVOLUTION: LayerSpec[] = [
  convSpec(2, 'conv'),
  convSpec(1, 'conv'),
  convSpec(3, 'conv'),
  convSpec(2, 'transpose'),
  convSpec(1, 'transpose'),
  convSpec(3, 'transpose'),
  convSpec(2, 'depthwise'),
  convSpec(1, 'depthwise'),
  convSpec(2, 'separable'),
  convSpec(1, 'separable'),
];
