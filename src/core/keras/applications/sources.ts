/**
 * `keras.applications` models, written as Python that the reader's own evaluator runs when a file
 * calls them: the layer structure and names of Keras's builders (keras/src/applications), so the
 * parameter counts are Keras's. Written for Model Lens (not copied); weights are not involved.
 */

/** Shared helpers: the input and the optional pooling of a headless model. */
const COMMON = String.raw`
from keras import layers, Model, Input


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
`;

const VGG = String.raw`
def _vgg(convs_per_block, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    img_input = _input(input_tensor, input_shape, 224, include_top)
    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block), start=1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name=name)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    return _vgg((2, 2, 3, 3, 3), include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    return _vgg((2, 2, 4, 4, 4), include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)
`;

const RESNET = String.raw`
def _bottleneck(x, filters, stride, shortcut_conv, name):
    if shortcut_conv:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_3_bn")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def _resnet(blocks, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    img_input = _input(input_tensor, input_shape, 224, include_top)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, count) in enumerate(zip((64, 128, 256, 512), blocks), start=2):
        for b in range(1, count + 1):
            stride = 2 if (b == 1 and stage > 2) else 1
            x = _bottleneck(x, filters, stride, b == 1, f"conv{stage}_block{b}")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling, name="avg_pool" if pooling == "avg" else "max_pool")
    return Model(img_input, x, name=name)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    return _resnet((3, 4, 6, 3), include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    return _resnet((3, 4, 23, 3), include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    return _resnet((3, 8, 36, 3), include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)
`;

const MOBILENET = String.raw`
def _dw_block(x, pointwise_filters, alpha, depth_multiplier, strides, block_id):
    pointwise_filters = int(pointwise_filters * alpha)
    if strides != (1, 1):
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if strides == (1, 1) else "valid", depth_multiplier=depth_multiplier, strides=strides, use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(pointwise_filters, (1, 1), padding="same", use_bias=False, strides=(1, 1), name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    img_input = _input(input_tensor, input_shape, 224, include_top)
    rows = 224 if input_shape is None else input_shape[0]
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
    for block_id, (filters, stride) in enumerate(plan, start=1):
        x = _dw_block(x, filters, alpha, depth_multiplier, (stride, stride), block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    if name is None:
        name = f"mobilenet_{alpha:.2f}_{rows}"
    return Model(img_input, x, name=name)
`;

const XCEPTION = String.raw`
def _sep(x, filters, name, act=True):
    if act:
        x = layers.Activation("relu", name=name + "_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=-1, name=name + "_bn")(x)


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    img_input = _input(input_tensor, input_shape, 299, include_top)
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    for block, filters in ((2, 128), (3, 256), (4, 728)):
        residual = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
        residual = layers.BatchNormalization(axis=-1)(residual)
        x = _sep(x, filters, f"block{block}_sepconv1", act=block > 2)
        x = _sep(x, filters, f"block{block}_sepconv2")
        x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
        x = layers.add([x, residual])
    for block in range(5, 13):
        residual = x
        for i in (1, 2, 3):
            x = _sep(x, 728, f"block{block}_sepconv{i}")
        x = layers.add([x, residual])
    residual = layers.Conv2D(1024, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=-1)(residual)
    x = _sep(x, 728, "block13_sepconv1")
    x = _sep(x, 1024, "block13_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name="block13_pool")(x)
    x = layers.add([x, residual])
    x = _sep(x, 1536, "block14_sepconv1", act=False)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sep(x, 2048, "block14_sepconv2", act=False)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name=name)
`;

/** The Python module of all builders, and the names it defines. */
export const APPLICATIONS_SOURCE = [COMMON, VGG, RESNET, MOBILENET, XCEPTION].join('\n');

export const APPLICATIONS = ['VGG16', 'VGG19', 'ResNet50', 'ResNet101', 'ResNet152', 'MobileNet', 'Xception'] as const;
