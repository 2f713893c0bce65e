import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras import datasets

input_shape = (28, 28, 1)  # 28*28 grayscale
num_classes = 10  # digits 0-9
learning_rate = 0.001  # start with 0.001

inputs = layers.Input(input_shape)
net = layers.Conv2D(32, (3, 3), padding='SAME')(inputs)
net = layers.Activation('relu')(net)
net = layers.Conv2D(32, (3, 3), padding='SAME')(net)
net = layers.Activation('relu')(net)
net = layers.MaxPooling2D(pool_size=(2, 2))(net)  # keep the largest value of each 2x2 window
net = layers.Dropout(0.5)(net)

net = layers.Conv2D(64, (3, 3), padding='SAME')(net)
net = layers.Activation('relu')(net)
net = layers.Conv2D(64, (3, 3), padding='SAME')(net)
net = layers.Activation('relu')(net)
net = layers.MaxPooling2D(pool_size=(2, 2))(net)
net = layers.Dropout(0.5)(net)  # dropout: many layers risk overfitting

net = layers.Flatten()(net)  # to one dimension
net = layers.Dense(512)(net)
net = layers.Activation('relu')(net)
net = layers.Dropout(0.5)(net)
net = layers.Dense(num_classes)(net)
net = layers.Activation('softmax')(net)  # class probabilities

model = tf.keras.Model(inputs=inputs, outputs=net, name='Basic_CNN')

model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate),
              loss='sparse_categorical_crossentropy',  # binary only for two classes, else categorical
              metrics=['accuracy'])

(train_x, train_y), (test_x, test_y) = datasets.mnist.load_data()
train_x = train_x[..., tf.newaxis]  # add the channel axis
test_x = test_x[..., tf.newaxis]
train_x = train_x / 255.  # rescale large values
test_x = test_x / 255.

num_epochs = 1
batch_size = 64
hist = model.fit(train_x, train_y,
                 batch_size=batch_size,
                 shuffle=True)

model.evaluate(test_x, test_y, batch_size=batch_size)
# - loss: 0.0240 - accuracy: 0.9845

import matplotlib.pyplot as plt
import numpy as np

test_image = test_x[0, :, :, 0]  # two dimensions to show it
pred = model.predict(test_image.reshape(1, 28, 28, 1))  # back to (batch, height, width, channel)
np.argmax(pred)  # 7

test_batch = test_x[:32]
preds = model.predict(test_batch)
np.argmax(preds, -1)  # 7 2 1 0 4 1 4 9 5 9 0 6 9 0 1 5 9 7 3 4 9 6 6 5 4 0 7 4 0 1 3 1
plt.imshow(test_batch[4, :, :, 0], 'gray')
plt.show()
