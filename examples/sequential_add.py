# A small Fashion-MNIST classifier built with Sequential() + model.add(...).
import keras
from keras import layers

model = keras.Sequential(name='fashion_mlp')
model.add(layers.Rescaling(1.0 / 255, input_shape=(28, 28)))
model.add(layers.Reshape((28, 28, 1)))
model.add(layers.Conv2D(16, (5, 5), strides=2, activation='relu'))
model.add(layers.BatchNormalization())
model.add(layers.Flatten())
model.add(layers.Dense(128, activation='relu'))
model.add(layers.Dropout(0.3))
model.add(layers.Dense(10, activation='softmax'))

model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
              loss=keras.losses.SparseCategoricalCrossentropy(),
              metrics=['accuracy'])

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
model.fit(x_train, y_train, epochs=3, batch_size=32)
