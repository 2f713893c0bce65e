/**
 * MobileNet, MobileNetV2 and MobileNetV3Small/Large (keras/src/applications/mobilenet.py,
 * mobilenet_v2.py, mobilenet_v3.py), as Python for the reader's evaluator: the same layers, names
 * and channel rounding, so Keras's counts for any alpha.
 */
export const MOBILENET = String.raw`
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


def _bn_v2(x, name):
    return layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)(x)


def _inverted_v2(x, expansion, stride, alpha, filters, block_id):
    in_channels = x.shape[-1]
    out_channels = _make_divisible(int(filters * alpha), 8)
    shortcut = x
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False, activation=None, name=prefix + "expand")(x)
        x = layers.ReLU(6.0, name=prefix + "expand_relu")(_bn_v2(x, prefix + "expand_BN"))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=_correct_pad(x, 3), name=prefix + "pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False, padding="same" if stride == 1 else "valid", name=prefix + "depthwise")(x)
    x = layers.ReLU(6.0, name=prefix + "depthwise_relu")(_bn_v2(x, prefix + "depthwise_BN"))
    x = layers.Conv2D(out_channels, kernel_size=1, padding="same", use_bias=False, activation=None, name=prefix + "project")(x)
    x = _bn_v2(x, prefix + "project_BN")
    if in_channels == out_channels and stride == 1:
        return layers.Add(name=prefix + "add")([shortcut, x])
    return x


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    # The default size follows a square input of a size ImageNet weights exist for, else 224.
    if input_shape is not None:
        side = input_shape[0]
        default_size = side if (side == input_shape[1] and side in (96, 128, 160, 192, 224)) else 224
    else:
        default_size = 224
    img_input = _input(input_tensor, input_shape, default_size, include_top)
    rows = img_input.shape[1]
    if weights == "imagenet" and rows not in (96, 128, 160, 192, 224):
        rows = 224
    x = layers.Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv1")(img_input)
    x = layers.ReLU(6.0, name="Conv1_relu")(_bn_v2(x, "bn_Conv1"))
    plan = [
        (16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6), (64, 1, 6),
        (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6),
    ]
    for block_id, (filters, stride, expansion) in enumerate(plan):
        x = _inverted_v2(x, expansion, stride, alpha, filters, block_id)
    last = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.ReLU(6.0, name="out_relu")(_bn_v2(x, "Conv_1_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    return Model(img_input, x, name=name)


def _v3_relu(x):
    return layers.ReLU()(x)


def _v3_hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _v3_se(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(_make_divisible(filters * se_ratio), kernel_size=1, padding="same", name=prefix + "squeeze_excite_conv")(x)
    x = layers.ReLU(name=prefix + "squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=prefix + "squeeze_excite_conv_1")(x)
    # Keras writes this gate as ReLU(6.0)(x + 3.0) * (1.0 / 6.0): the same function, and its only
    # layer is that ReLU (tensor arithmetic makes no layer). One activation layer here, no weights either way.
    x = layers.Activation("hard_sigmoid")(x)
    return layers.Multiply(name=prefix + "squeeze_excite_mul")([inputs, x])


def _inverted_v3(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    shortcut = x
    in_channels = x.shape[-1]
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(_make_divisible(in_channels * expansion), kernel_size=1, padding="same", use_bias=False, name=prefix + "expand")(x)
        x = activation(_bn_v2(x, prefix + "expand_bn"))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=_correct_pad(x, kernel_size), name=prefix + "depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid", use_bias=False, name=prefix + "depthwise")(x)
    x = activation(_bn_v2(x, prefix + "depthwise_bn"))
    if se_ratio:
        x = _v3_se(x, _make_divisible(in_channels * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=prefix + "project")(x)
    x = _bn_v2(x, prefix + "project_bn")
    if stride == 1 and in_channels == filters:
        x = layers.Add(name=prefix + "add")([shortcut, x])
    return x


def _mobilenet_v3(plan, last_point_ch, input_shape, alpha, minimalistic, include_top, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name):
    if input_shape is None and input_tensor is None:
        input_shape = (None, None, 3)
    img_input = input_tensor if input_tensor is not None else Input(shape=input_shape)
    if minimalistic:
        kernel, activation, se_ratio = 3, _v3_relu, None
    else:
        kernel, activation, se_ratio = 5, _v3_hard_swish, 0.25
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = activation(_bn_v2(x, "conv_bn"))
    # plan rows: expansion, filters, kernel (0 = the model's kernel), stride, squeeze-excite, hard-swish.
    for block_id, (expansion, filters, k, stride, se, hs) in enumerate(plan):
        x = _inverted_v3(x, expansion, _make_divisible(filters * alpha), k or kernel, stride, se_ratio if se else None, activation if hs else _v3_relu, block_id)
    last_conv_ch = _make_divisible(x.shape[-1] * 6)
    if alpha > 1.0:
        last_point_ch = _make_divisible(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = activation(_bn_v2(x, "conv_1_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _top_pool(x, pooling)
    return Model(img_input, x, name=name)


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet", input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Small"):
    plan = [
        (1, 16, 3, 2, True, False), (72.0 / 16, 24, 3, 2, False, False), (88.0 / 24, 24, 3, 1, False, False),
        (4, 40, 0, 2, True, True), (6, 40, 0, 1, True, True), (6, 40, 0, 1, True, True), (3, 48, 0, 1, True, True),
        (3, 48, 0, 1, True, True), (6, 96, 0, 2, True, True), (6, 96, 0, 1, True, True), (6, 96, 0, 1, True, True),
    ]
    return _mobilenet_v3(plan, 1024, input_shape, alpha, minimalistic, include_top, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet", input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Large"):
    plan = [
        (1, 16, 3, 1, False, False), (4, 24, 3, 2, False, False), (3, 24, 3, 1, False, False),
        (3, 40, 0, 2, True, False), (3, 40, 0, 1, True, False), (3, 40, 0, 1, True, False),
        (6, 80, 3, 2, False, True), (2.5, 80, 3, 1, False, True), (2.3, 80, 3, 1, False, True), (2.3, 80, 3, 1, False, True),
        (6, 112, 3, 1, True, True), (6, 112, 3, 1, True, True),
        (6, 160, 0, 2, True, True), (6, 160, 0, 1, True, True), (6, 160, 0, 1, True, True),
    ]
    return _mobilenet_v3(plan, 1280, input_shape, alpha, minimalistic, include_top, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)
`;
