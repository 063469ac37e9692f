# Keras's functional API: one hint per line, at its end, never between a layer and its (x), nor
# inside a call nested in another.
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(64, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(layers.Dropout(0.5)(x))
model = keras.Model(inputs, outputs, name="small_cnn")
