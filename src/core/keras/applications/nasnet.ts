/**
 * NASNetMobile and NASNetLarge (keras/src/applications/nasnet.py), as Python for the reader's
 * evaluator: the normal and reduction cells, the block that adjusts the previous cell's output,
 * and Keras's names (its unnamed ReLUs, paddings and croppings get Keras's default names).
 */
export const NASNET = String.raw`
def _nas_bn(x, name):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)(x)


def _nas_sep(x, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    x = layers.Activation("relu")(x)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=_correct_pad(x, kernel_size[0]), name=f"separable_conv_1_pad_{block_id}")(x)
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name=f"separable_conv_1_{block_id}", padding="valid" if strides == (2, 2) else "same", use_bias=False)(x)
    x = _nas_bn(x, f"separable_conv_1_bn_{block_id}")
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same", use_bias=False)(x)
    return _nas_bn(x, f"separable_conv_2_bn_{block_id}")


def _nas_adjust(p, ip, filters, block_id):
    # Brings the previous cell's output to this cell's size and channel count. The first cell has
    # none (Keras passes p=None); it is told by its block id, as a tensor cannot be compared here.
    if block_id == "stem_1":
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_1_{block_id}")(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_2_{block_id}")(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        return _nas_bn(p, f"adjust_bn_{block_id}")
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name=f"adjust_conv_projection_{block_id}", use_bias=False)(p)
        return _nas_bn(p, f"adjust_bn_{block_id}")
    return p


def _nas_squeeze(ip, filters, kind, block_id):
    h = layers.Activation("relu")(ip)
    h = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name=f"{kind}_conv_1_{block_id}", use_bias=False)(h)
    return _nas_bn(h, f"{kind}_bn_1_{block_id}")


def _normal_cell(ip, p, filters, block_id):
    p = _nas_adjust(p, ip, filters, block_id)
    h = _nas_squeeze(ip, filters, "normal", block_id)
    x1 = layers.add([_nas_sep(h, filters, kernel_size=(5, 5), block_id=f"normal_left1_{block_id}"), _nas_sep(p, filters, block_id=f"normal_right1_{block_id}")], name=f"normal_add_1_{block_id}")
    x2 = layers.add([_nas_sep(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"), _nas_sep(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")], name=f"normal_add_2_{block_id}")
    x3 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"normal_left3_{block_id}")(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4_1 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"normal_left4_{block_id}")(p)
    x4_2 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"normal_right4_{block_id}")(p)
    x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
    x5 = layers.add([_nas_sep(h, filters, block_id=f"normal_left5_{block_id}"), h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_cell(ip, p, filters, block_id):
    p = _nas_adjust(p, ip, filters, block_id)
    h = _nas_squeeze(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(padding=_correct_pad(h, 3), name=f"reduction_pad_1_{block_id}")(h)
    x1_1 = _nas_sep(h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}")
    x1_2 = _nas_sep(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}")
    x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
    x2_1 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}")(h3)
    x2_2 = _nas_sep(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
    x3_1 = layers.AveragePooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left3_{block_id}")(h3)
    x3_2 = _nas_sep(p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}")
    x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
    x4 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"reduction_left4_{block_id}")(x1)
    x4 = layers.add([x2, x4])
    x5_1 = _nas_sep(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}")(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


def _nasnet(input_shape, penultimate_filters, num_blocks, stem_block_filters, skip_reduction, filter_multiplier, include_top, input_tensor, pooling, classes, default_size, classifier_activation, name):
    img_input = _input(input_tensor, input_shape, default_size, include_top)
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1")(img_input)
    x = _nas_bn(x, "stem_bn1")
    x, p = _reduction_cell(x, x, filters // (filter_multiplier ** 2), "stem_1")
    x, p = _reduction_cell(x, p, filters // filter_multiplier, "stem_2")
    for stage in range(3):
        if stage > 0:
            x, p0 = _reduction_cell(x, p, filters * filter_multiplier ** stage, f"reduce_{stage * num_blocks}")
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block = f"{i}" if stage == 0 else f"{stage * num_blocks + i + 1}"
            x, p = _normal_cell(x, p, filters * filter_multiplier ** stage, block)
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name=name)


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name="nasnet_mobile"):
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return _nasnet(input_shape, 1056, 4, 32, False, 2, include_top, input_tensor, pooling, classes, 224, classifier_activation, name)


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name="nasnet_large"):
    return _nasnet(input_shape, 4032, 6, 96, True, 2, include_top, input_tensor, pooling, classes, 331, classifier_activation, name)
`;
