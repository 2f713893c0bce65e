# A CIFAR-style ResNet (He et al. 2016, section 4.2: three stages of 16, 32 and 64 filters on
# 32×32, 16×16 and 8×8 maps, n = 3 residual blocks each: ResNet-20; a 1×1 convolution with
# stride 2 projects the shortcut where a stage starts) on 32×32×3 inputs, for the training bench.
import tensorflow as tf
from tensorflow.keras import layers

inputs = layers.Input((32, 32, 3))
x = layers.Conv2D(16, 3, padding='same', use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation('relu')(x)

for filters in [16, 32, 64]:
    for block in range(3):
        strides = 2 if filters > 16 and block == 0 else 1
        y = layers.Conv2D(filters, 3, strides=strides, padding='same', use_bias=False)(x)
        y = layers.BatchNormalization()(y)
        y = layers.Activation('relu')(y)
        y = layers.Conv2D(filters, 3, padding='same', use_bias=False)(y)
        y = layers.BatchNormalization()(y)
        if strides == 2:
            x = layers.Conv2D(filters, 1, strides=2, use_bias=False)(x)
            x = layers.BatchNormalization()(x)
        x = layers.Add()([x, y])
        x = layers.Activation('relu')(x)

x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation='softmax')(x)
model = tf.keras.Model(inputs, outputs, name='ResNet20_CIFAR')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
