# A small functional model with a skip connection (layers.Add).
import tensorflow as tf

L = tf.keras.layers

inputs = tf.keras.Input(shape=(28, 28, 1), name='image')
x = L.Conv2D(32, 3, padding='same', activation='relu')(inputs)
skip = x
x = L.Conv2D(32, 3, padding='same')(x)
x = L.BatchNormalization()(x)
x = L.ReLU()(x)
x = L.Conv2D(32, 3, padding='same')(x)
x = L.BatchNormalization()(x)
x = L.Add()([x, skip])
x = L.ReLU()(x)
x = L.MaxPooling2D(2)(x)
x = L.GlobalAveragePooling2D()(x)
outputs = L.Dense(10, activation='softmax')(x)

model = tf.keras.Model(inputs, outputs, name='residual_cnn')
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

(train_x, train_y), (test_x, test_y) = tf.keras.datasets.mnist.load_data()
train_x = train_x[..., None] / 255.0
model.fit(train_x, train_y, batch_size=64, epochs=1, validation_split=0.1)
