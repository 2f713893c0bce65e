/**
 * `keras.applications.<family>.preprocess_input(x)` on a Keras tensor, as Keras 3 computes it
 * (keras/src/applications/imagenet_utils.py `_preprocess_tensor_input`, and the families' own
 * pass-through preprocess_input): mode "tf" scales to [-1, 1] with `x / 127.5 - 1.0`, two
 * operations Keras 3 lists as rows (keras.io's keypoint detector prints `true_divide (TrueDivide)`
 * and `subtract (Subtract)` before its MobileNetV2); the families whose models preprocess
 * themselves return x unchanged. The "caffe" and "torch" modes (a channel flip and per-channel
 * mean/std tensors) are not read: the caller reports them as before.
 */

/** How a family's preprocess_input treats a tensor: 'tf' (x / 127.5 − 1), 'identity', or undefined (not read). */
export type PreprocessMode = 'tf' | 'identity';

const TF_MODE = new Set(['mobilenet', 'mobilenet_v2', 'inception_v3', 'inception_resnet_v2', 'xception', 'resnet_v2', 'nasnet']);
const IDENTITY = new Set(['efficientnet', 'efficientnet_v2', 'convnext', 'regnet', 'mobilenet_v3']);

/** The mode of `keras.applications.<family>.preprocess_input` (canonical path), if Model Lens reads it. */
export function preprocessMode(path: string): PreprocessMode | undefined {
  const m = /^keras\.applications\.(\w+)\.preprocess_input$/.exec(path);
  if (!m) return undefined;
  if (TF_MODE.has(m[1]!)) return 'tf';
  if (IDENTITY.has(m[1]!)) return 'identity';
  return undefined;
}
