/**
 * InceptionV3 (keras/src/applications/inception_v3.py), as Python for the reader's evaluator: the
 * same branches in the same order, unnamed convolutions and BatchNormalization(scale=False).
 */
export const INCEPTION = String.raw`
def _conv_bn(x, filters, rows, cols, padding="same", strides=(1, 1), name=None):
    x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding, use_bias=False, name=None if name is None else name + "_conv")(x)
    x = layers.BatchNormalization(axis=3, scale=False, name=None if name is None else name + "_bn")(x)
    return layers.Activation("relu", name=name)(x)


def _avg_branch(x, filters):
    return _conv_bn(layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x), filters, 1, 1)


def _chain(x, convs):
    for filters, rows, cols in convs:
        x = _conv_bn(x, filters, rows, cols)
    return x


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="inception_v3"):
    img_input = _input(input_tensor, input_shape, 299, include_top)
    x = _conv_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = _conv_bn(x, 32, 3, 3, padding="valid")
    x = _conv_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _conv_bn(x, 80, 1, 1, padding="valid")
    x = _conv_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    # mixed0-2: 35x35 blocks
    for i, pool_filters in enumerate((32, 64, 64)):
        b1 = _conv_bn(x, 64, 1, 1)
        b5 = _chain(x, [(48, 1, 1), (64, 5, 5)])
        b3 = _chain(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)])
        bp = _avg_branch(x, pool_filters)
        x = layers.concatenate([b1, b5, b3, bp], axis=3, name=f"mixed{i}")

    # mixed3: down to 17x17
    b3 = _conv_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    b3d = _chain(x, [(64, 1, 1), (96, 3, 3)])
    b3d = _conv_bn(b3d, 96, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([b3, b3d, bp], axis=3, name="mixed3")

    # mixed4-7: 17x17 blocks with factorized 7x7 convolutions
    for i, c in enumerate((128, 160, 160, 192)):
        b1 = _conv_bn(x, 192, 1, 1)
        b7 = _chain(x, [(c, 1, 1), (c, 1, 7), (192, 7, 1)])
        b7d = _chain(x, [(c, 1, 1), (c, 7, 1), (c, 1, 7), (c, 7, 1), (192, 1, 7)])
        bp = _avg_branch(x, 192)
        x = layers.concatenate([b1, b7, b7d, bp], axis=3, name=f"mixed{4 + i}")

    # mixed8: down to 8x8
    b3 = _conv_bn(_conv_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    b7 = _chain(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1)])
    b7 = _conv_bn(b7, 192, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([b3, b7, bp], axis=3, name="mixed8")

    # mixed9-10: 8x8 blocks with split 1x3 / 3x1 branches
    for i in range(2):
        b1 = _conv_bn(x, 320, 1, 1)
        b3 = _conv_bn(x, 384, 1, 1)
        b3 = layers.concatenate([_conv_bn(b3, 384, 1, 3), _conv_bn(b3, 384, 3, 1)], axis=3, name=f"mixed9_{i}")
        b3d = _chain(x, [(448, 1, 1), (384, 3, 3)])
        b3d = layers.concatenate([_conv_bn(b3d, 384, 1, 3), _conv_bn(b3d, 384, 3, 1)], axis=3)
        bp = _avg_branch(x, 192)
        x = layers.concatenate([b1, b3, b3d, bp], axis=3, name=f"mixed{9 + i}")

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name=name)
`;
