/**
 * EfficientNetB0–B7 (keras/src/applications/efficientnet.py), as Python for the reader's
 * evaluator: Keras 3's stem (Rescaling, then Normalization, then with ImageNet weights a Rescaling
 * by 1/sqrt(stddev)), the width and depth multipliers with Keras's rounding, and its layer names.
 */
export const EFFICIENTNET = String.raw`
# kernel, repeats, filters in, filters out, expansion, strides (squeeze-excite ratio 0.25 and the
# identity skip in every stage).
_EFFICIENTNET_STAGES = [
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
]


def _mbconv(x, activation, drop_rate, name, filters_in, filters_out, kernel_size, strides, expand_ratio, se_ratio):
    inputs = x
    filters = filters_in * expand_ratio
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=name + "expand_conv")(x)
        x = layers.BatchNormalization(axis=3, name=name + "expand_bn")(x)
        x = layers.Activation(activation, name=name + "expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=_correct_pad(x, kernel_size), name=name + "dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="valid" if strides == 2 else "same", use_bias=False, name=name + "dwconv")(x)
    x = layers.BatchNormalization(axis=3, name=name + "bn")(x)
    x = layers.Activation(activation, name=name + "activation")(x)
    if 0 < se_ratio <= 1:
        squeezed = max(1, int(filters_in * se_ratio))
        se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
        se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
        se = layers.Conv2D(squeezed, 1, padding="same", activation=activation, name=name + "se_reduce")(se)
        se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
        x = layers.multiply([x, se], name=name + "se_excite")
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=name + "project_conv")(x)
    x = layers.BatchNormalization(axis=3, name=name + "project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def _efficientnet(width, depth, default_size, dropout_rate, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, drop_connect_rate=0.2, divisor=8, activation="swish"):
    def round_filters(filters):
        filters = filters * width
        rounded = max(divisor, int(filters + divisor / 2) // divisor * divisor)
        if rounded < 0.9 * filters:
            rounded += divisor
        return int(rounded)

    def round_repeats(repeats):
        return int(math.ceil(depth * repeats))

    img_input = _input(input_tensor, input_shape, default_size, include_top)
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=3)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(v) for v in (0.229, 0.224, 0.225)])(x)
    x = layers.ZeroPadding2D(padding=_correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    total = 0
    for stage in _EFFICIENTNET_STAGES:
        total += round_repeats(stage[1])
    b = 0
    for i, (kernel, repeats, f_in, f_out, expand, strides) in enumerate(_EFFICIENTNET_STAGES):
        f_in = round_filters(f_in)
        f_out = round_filters(f_out)
        for j in range(round_repeats(repeats)):
            if j > 0:
                strides = 1
                f_in = f_out
            x = _mbconv(x, activation, drop_connect_rate * b / total, f"block{i + 1}{'abcdefghijklmnopqrstuvwxyz'[j]}_", f_in, f_out, kernel, strides, expand, 0.25)
            b += 1
    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _top_pool(x, pooling)
    return Model(img_input, x, name=name)


def EfficientNetB0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb0"):
    return _efficientnet(1.0, 1.0, 224, 0.2, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb1"):
    return _efficientnet(1.0, 1.1, 240, 0.2, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb2"):
    return _efficientnet(1.1, 1.2, 260, 0.3, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb3"):
    return _efficientnet(1.2, 1.4, 300, 0.3, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB4(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb4"):
    return _efficientnet(1.4, 1.8, 380, 0.4, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB5(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb5"):
    return _efficientnet(1.6, 2.2, 456, 0.4, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB6(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb6"):
    return _efficientnet(1.8, 2.6, 528, 0.5, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB7(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb7"):
    return _efficientnet(2.0, 3.1, 600, 0.5, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)
`;
