/**
 * ResNet50/101/152 and their V2 (pre-activation) forms (keras/src/applications/resnet.py,
 * resnet_v2.py), as Python for the reader's evaluator: the same layers and names, so Keras's counts.
 */
export const RESNET = String.raw`
def _bn(x, name):
    return layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name)(x)


def _bottleneck(x, filters, stride, shortcut_conv, name):
    # V1: conv → BN → ReLU three times, the shortcut added before the last ReLU.
    if shortcut_conv:
        shortcut = _bn(layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x), name + "_0_bn")
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(_bn(x, name + "_1_bn"))
    x = layers.Conv2D(filters, 3, padding="same", name=name + "_2_conv")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(_bn(x, name + "_2_bn"))
    x = _bn(layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x), name + "_3_bn")
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def _preact_bottleneck(x, filters, stride, shortcut_conv, name):
    # V2: BN → ReLU first; the last 1x1 convolution keeps its bias and no BN follows it.
    pre = layers.Activation("relu", name=name + "_preact_relu")(_bn(x, name + "_preact_bn"))
    if shortcut_conv:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(pre)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x
    y = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(pre)
    y = layers.Activation("relu", name=name + "_1_relu")(_bn(y, name + "_1_bn"))
    y = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(y)
    y = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=name + "_2_conv")(y)
    y = layers.Activation("relu", name=name + "_2_relu")(_bn(y, name + "_2_bn"))
    y = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(y)
    return layers.Add(name=name + "_out")([shortcut, y])


def _resnet(blocks, preact, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    img_input = _input(input_tensor, input_shape, 224, include_top)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    if not preact:
        x = layers.Activation("relu", name="conv1_relu")(_bn(x, "conv1_bn"))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, count) in enumerate(zip((64, 128, 256, 512), blocks), start=2):
        for b in range(1, count + 1):
            if preact:
                # V2 downsamples in the last block of a stage (not in conv5) and projects in the first.
                stride = 2 if (b == count and stage < 5) else 1
                x = _preact_bottleneck(x, filters, stride, b == 1, f"conv{stage}_block{b}")
            else:
                stride = 2 if (b == 1 and stage > 2) else 1
                x = _bottleneck(x, filters, stride, b == 1, f"conv{stage}_block{b}")
    if preact:
        x = layers.Activation("relu", name="post_relu")(_bn(x, "post_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _top_pool(x, pooling)
    return Model(img_input, x, name=name)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    return _resnet((3, 4, 6, 3), False, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    return _resnet((3, 4, 23, 3), False, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    return _resnet((3, 8, 36, 3), False, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet50v2"):
    return _resnet((3, 4, 6, 3), True, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet101v2"):
    return _resnet((3, 4, 23, 3), True, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet152v2"):
    return _resnet((3, 8, 36, 3), True, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)
`;
