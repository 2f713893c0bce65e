/**
 * `keras.applications.<family>.preprocess_input(x)` on a Keras tensor, as Keras 3 computes it
 * (keras/src/applications/imagenet_utils.py `_preprocess_tensor_input`, and the families' own
 * pass-through preprocess_input), channels last:
 * - "tf": scales to [-1, 1] with `x / 127.5 - 1.0`, two operations Keras 3 lists as rows (keras.io's
 *   keypoint detector prints `true_divide (TrueDivide)` and `subtract (Subtract)` before its MobileNetV2);
 * - "caffe" (VGG, ResNet): RGB to BGR with `ops.stack([x[..., i] for i in (2, 1, 0)], axis=-1)`, then
 *   `x += mean_tensor` (a constant of 3 values): three GetItem rows, a Stack and an Add;
 * - "torch" (DenseNet): `x /= 255.0`, `x += mean_tensor`, `x /= std_tensor`: TrueDivide, Add, TrueDivide;
 * the families whose models preprocess themselves return x unchanged. No row has weights; each keeps
 * the image's shape. (tf.keras 2 made other rows of the same computation: tf.__operators__.getitem and
 * tf.nn.bias_add for caffe; the totals are the same.)
 */
import type { Value } from '../python/values';

/** How a family's preprocess_input treats a tensor (undefined: not read). */
export type PreprocessMode = 'tf' | 'caffe' | 'torch' | 'identity';

const TF_MODE = new Set(['mobilenet', 'mobilenet_v2', 'inception_v3', 'inception_resnet_v2', 'xception', 'resnet_v2', 'nasnet']);
const CAFFE_MODE = new Set(['vgg16', 'vgg19', 'resnet', 'resnet50']);
const TORCH_MODE = new Set(['densenet']);
const IDENTITY = new Set(['efficientnet', 'efficientnet_v2', 'convnext', 'regnet', 'mobilenet_v3']);

/** The mode of `keras.applications.<family>.preprocess_input` (canonical path), if Model Lens reads it. */
export function preprocessMode(path: string): PreprocessMode | undefined {
  const m = /^keras\.applications\.(\w+)\.preprocess_input$/.exec(path);
  if (!m) return undefined;
  if (TF_MODE.has(m[1]!)) return 'tf';
  if (CAFFE_MODE.has(m[1]!)) return 'caffe';
  if (TORCH_MODE.has(m[1]!)) return 'torch';
  if (IDENTITY.has(m[1]!)) return 'identity';
  return undefined;
}

/** The tensor operations the computation is made of (the reader's own: op-calls.ts). */
export interface PreprocessOps {
  /** `a op b`, `b` a Python number. */
  binary(a: Value, op: '+' | '-' | '/', b: number): Value;
  /** `x[..., channel]`. */
  channel(x: Value, channel: number): Value;
  /** `ops.stack(items, axis=-1)`. */
  stackLast(items: Value[]): Value;
}

/** preprocess_input's computation on the Keras tensor `x` (what it returns). */
export function preprocessTensor(mode: PreprocessMode, x: Value, ops: PreprocessOps): Value {
  switch (mode) {
    case 'identity':
      return x;
    case 'tf':
      return ops.binary(ops.binary(x, '/', 127.5), '-', 1.0);
    case 'caffe':
      // the mean tensor (−103.939, −116.779, −123.68) broadcast over the channels: shape kept.
      return ops.binary(ops.stackLast([2, 1, 0].map((c) => ops.channel(x, c))), '+', -116.0);
    case 'torch':
      // mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225) per channel: shape kept.
      return ops.binary(ops.binary(ops.binary(x, '/', 255.0), '+', -0.45), '/', 0.226);
  }
}
