# A convolutional autoencoder for 28×28 images: strided convolutions down to 7×7×16,
# then Conv2DTranspose and UpSampling2D back up to the image.
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1), name='image')
x = layers.Conv2D(32, 3, strides=2, padding='same', activation='relu')(inputs)   # 14×14
x = layers.Conv2D(16, 3, strides=2, padding='same', activation='relu')(x)        # 7×7
x = layers.Conv2DTranspose(16, 3, strides=2, padding='same', activation='relu')(x)  # 14×14
x = layers.UpSampling2D(2)(x)                                                    # 28×28
x = layers.Conv2D(32, 3, padding='same', activation='relu')(x)
outputs = layers.Conv2D(1, 3, padding='same', activation='sigmoid')(x)

model = keras.Model(inputs, outputs, name='conv_autoencoder')
model.compile(optimizer='adam', loss='binary_crossentropy')
