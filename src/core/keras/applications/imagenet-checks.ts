/**
 * The argument checks Keras's builders make before building (keras/src/applications/*.py and
 * imagenet_utils.obtain_input_shape): a call Keras refuses with a ValueError must not be read as a
 * model. Only what Keras refuses is checked here; the builders themselves run in the evaluator.
 */
import type { ConfigValue } from '../../model/ir';

/** The positional parameters of a builder, in Keras's order (most share the first form). */
const COMMON_ORDER = ['include_top', 'weights', 'input_tensor', 'input_shape', 'pooling', 'classes', 'classifier_activation'];
const ORDER: Record<string, string[]> = {
  MobileNet: ['input_shape', 'alpha', 'depth_multiplier', 'dropout', 'include_top', 'weights', 'input_tensor', 'pooling', 'classes', 'classifier_activation'],
  MobileNetV2: ['input_shape', 'alpha', 'include_top', 'weights', 'input_tensor', 'pooling', 'classes', 'classifier_activation'],
  MobileNetV3Small: ['input_shape', 'alpha', 'minimalistic', 'include_top', 'weights', 'input_tensor', 'classes', 'pooling', 'dropout_rate', 'classifier_activation', 'include_preprocessing'],
  NASNetMobile: ['input_shape', 'include_top', 'weights', 'input_tensor', 'pooling', 'classes', 'classifier_activation'],
};
ORDER['MobileNetV3Large'] = ORDER['MobileNetV3Small']!;
ORDER['NASNetLarge'] = ORDER['NASNetMobile']!;

/** The square input size ImageNet weights with the top need (sizes that choose themselves: a list). */
const DEFAULT_SIZE: Record<string, number | number[]> = {
  VGG16: 224, VGG19: 224, ResNet50: 224, ResNet101: 224, ResNet152: 224, ResNet50V2: 224, ResNet101V2: 224, ResNet152V2: 224,
  Xception: 299, InceptionV3: 299, DenseNet121: 224, DenseNet169: 224, DenseNet201: 224, NASNetMobile: 224, NASNetLarge: 331,
  EfficientNetB0: 224, EfficientNetB1: 240, EfficientNetB2: 260, EfficientNetB3: 300, EfficientNetB4: 380, EfficientNetB5: 456, EfficientNetB6: 528, EfficientNetB7: 600,
  MobileNet: [128, 160, 192, 224], MobileNetV2: [96, 128, 160, 192, 224],
};

/** The smallest input side Keras accepts. */
const MIN_SIZE: Record<string, number> = { Xception: 71, InceptionV3: 75 };

/** A shape as Python prints a tuple. */
const tuple = (dims: unknown[]): string => `(${dims.map((d) => (d === null ? 'None' : String(d))).join(', ')}${dims.length === 1 ? ',' : ''})`;

/** The builder's arguments by name, from keywords and positions (values as plain data). */
export type AppArgs = Map<string, ConfigValue | undefined>;

export function namedArgs(name: string, positional: (ConfigValue | undefined)[], keywords: Map<string, ConfigValue | undefined>): AppArgs {
  const order = ORDER[name] ?? COMMON_ORDER;
  const out: AppArgs = new Map(keywords);
  positional.forEach((v, i) => {
    const key = order[i];
    if (key && !out.has(key)) out.set(key, v);
  });
  return out;
}

/** Why Keras refuses this call (its ValueError, with what to do), or undefined. */
export function refusedCall(name: string, args: AppArgs): string | undefined {
  const weights = args.has('weights') ? args.get('weights') : 'imagenet';
  const includeTop = args.has('include_top') ? args.get('include_top') : true;
  const classes = args.has('classes') ? args.get('classes') : 1000;
  const shape = args.get('input_shape');
  const imagenet = weights === 'imagenet';
  if (imagenet && includeTop === true && typeof classes === 'number' && classes !== 1000) {
    return `${name}(weights='imagenet', include_top=True) needs classes=1000 (Keras raises a ValueError); for ${classes} classes pass weights=None, or include_top=False and add your own classifier`;
  }
  if (!Array.isArray(shape) || name.startsWith('MobileNetV3')) return undefined;
  const dims = shape as (ConfigValue | null)[];
  if (dims.length !== 3) return `${name}: input_shape must be (height, width, channels), got ${tuple(dims)} (Keras raises a ValueError)`;
  if (imagenet && typeof dims[2] === 'number' && dims[2] !== 3) {
    return `${name}: ImageNet weights need 3 input channels, input_shape has ${dims[2]} (Keras raises a ValueError); pass weights=None to build it for ${dims[2]} channels`;
  }
  const min = MIN_SIZE[name] ?? 32;
  if (dims.slice(0, 2).some((d) => typeof d === 'number' && d < min)) {
    return `${name}: the input must be at least ${min}×${min}, input_shape is ${tuple(dims)} (Keras raises a ValueError); resize the images first (e.g. layers.Resizing)`;
  }
  const def = DEFAULT_SIZE[name];
  if (imagenet && includeTop === true && def !== undefined) {
    const [h, w] = dims;
    const size = Array.isArray(def) ? (h === w && typeof h === 'number' && def.includes(h) ? h : 224) : def;
    if (h !== size || w !== size || dims[2] !== 3) {
      return `${name}(weights='imagenet', include_top=True) takes only input_shape=(${size}, ${size}, 3), got ${tuple(dims)} (Keras raises a ValueError); pass include_top=False and add your own classifier, or weights=None`;
    }
  }
  return undefined;
}
