# A small CIFAR-style ResNet (32×32 colour images, 10 classes) with augmentation layers in front:
# RandomFlip/RandomTranslation change the images in training only and pass them through at inference.
import keras
from keras import layers


inputs = keras.Input(shape=(32, 32, 3), name='image')
x = layers.RandomFlip('horizontal')(inputs)
x = layers.RandomTranslation(0.1, 0.1)(x)
x = layers.Rescaling(1.0 / 255)(x)
x = layers.Conv2D(32, 3, padding='same', use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)

# Residual block, 32 channels
skip = x
x = layers.Conv2D(32, 3, padding='same', use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.Conv2D(32, 3, padding='same', use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = layers.Add()([x, skip])
x = layers.ReLU()(x)

# Residual block, 64 channels at half the size (a 1×1 strided convolution on the shortcut)
skip = layers.Conv2D(64, 1, strides=2, use_bias=False)(x)
x = layers.Conv2D(64, 3, strides=2, padding='same', use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.Conv2D(64, 3, padding='same', use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = layers.Add()([x, skip])
x = layers.ReLU()(x)

x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(10, activation='softmax')(x)

model = keras.Model(inputs, outputs, name='cifar_resnet')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

# CIFAR-10 from Keras's cache (~/.keras/datasets/cifar-10-batches-py; Keras downloads it on first use).
# Offline: `npm run example-data` writes a small made-up copy, then
#   model-lens train examples/catalog/cifar_resnet.py --data examples/data/cifar-10-batches-py
# That copy is small (900 training images: 15 steps an epoch), too few steps for BatchNormalization's
# moving mean and variance (momentum 0.99) to leave their starting 0 and 1: training accuracy nears
# 1.0 while validation and test accuracy, which use the moving statistics, stay low — Keras gives the
# same, and Model Lens warns. Real CIFAR-10 (704 steps an epoch) does not have this.
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.1)
