# A text classifier on token ids: Embedding, then a 1-D convolution and an LSTM over the sequence.
# (Sentences become ids with layers.TextVectorization or your own tokenizer; here the model takes ids.)
import keras
from keras import layers

VOCAB = 20000
MAXLEN = 200

inputs = keras.Input(shape=(MAXLEN,), dtype='int32', name='tokens')
x = layers.Embedding(VOCAB, 64)(inputs)
x = layers.Dropout(0.2)(x)
x = layers.Conv1D(64, 5, strides=2, activation='relu')(x)
x = layers.MaxPooling1D(2)(x)
x = layers.LSTM(32)(x)
x = layers.Dense(32, activation='relu')(x)
outputs = layers.Dense(1, activation='sigmoid')(x)

model = keras.Model(inputs, outputs, name='text_classifier')
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])

# Token ids saved with np.savez(x_train=(N, 200) ints, y_train=(N,) 0/1, x_test=…, y_test=…);
# `npm run example-data` writes a small made-up one there (no download).
import numpy as np
data = np.load('../data/text.npz')
model.fit(data['x_train'], data['y_train'], batch_size=32, epochs=2)
