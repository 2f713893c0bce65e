# A small transformer encoder block on token ids: self-attention and a feed-forward network,
# each with a residual connection and LayerNormalization, then a classifier.
import keras
from keras import layers

VOCAB = 8000
MAXLEN = 64
DIM = 32

inputs = keras.Input(shape=(MAXLEN,), dtype='int32', name='tokens')
x = layers.Embedding(VOCAB, DIM)(inputs)

attn = layers.MultiHeadAttention(num_heads=2, key_dim=16)(x, x)
attn = layers.Dropout(0.1)(attn)
x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, attn]))

ffn = layers.Dense(64, activation='relu')(x)
ffn = layers.Dense(DIM)(ffn)
ffn = layers.Dropout(0.1)(ffn)
x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, ffn]))

x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(2, activation='softmax')(x)

model = keras.Model(inputs, outputs, name='transformer_block')
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
