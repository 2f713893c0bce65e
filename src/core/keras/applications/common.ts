/**
 * What every keras.applications builder shares, as Python the reader's evaluator runs: the input
 * (keras/src/applications/imagenet_utils.py obtain_input_shape), the optional pooling of a
 * headless model, the padding before a stride-2 convolution (correct_pad) and the rounding of
 * channel counts to a multiple of 8 (_make_divisible). Written for Model Lens, not copied.
 */
export const COMMON = String.raw`
from keras import layers, Model, Input
import math


def _input(input_tensor, input_shape, default_size, include_top):
    if input_tensor is not None:
        return input_tensor
    if input_shape is None:
        input_shape = (default_size, default_size, 3) if include_top else (None, None, 3)
    return Input(shape=input_shape)


def _pool(x, pooling, name=None):
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=name)(x)
    return x


def _top_pool(x, pooling):
    # The pooling of a headless model named as the ResNet/DenseNet/EfficientNet builders name it.
    return _pool(x, pooling, name="avg_pool" if pooling == "avg" else "max_pool")


def _correct_pad(x, k):
    # Zero padding that makes a 'valid' stride-2 convolution with a k x k kernel give
    # ceil(size / 2), as 'same' would.
    size = x.shape[1:3]
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    return ((k // 2 - adjust[0], k // 2), (k // 2 - adjust[1], k // 2))


def _make_divisible(v, divisor=8, min_value=None):
    if min_value is None:
        min_value = divisor
    rounded = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * v:
        rounded += divisor
    return rounded
`;
