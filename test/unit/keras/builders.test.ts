// Builder functions as models (issue 13, item 5): without --entry, a function of the file whose arguments all
// have defaults and that returns a Keras model is found as a model, as PyTorch's model classes are; one the
// file already calls for its model is that model, not a second one; a builder whose model is a part of
// another builder's model is a part; functions that need arguments, build no model or fail are no models.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';

const BUILDER = `import keras
from keras import layers


def build_model(input_shape=(28, 28, 1), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)
`;

test('a builder whose arguments all have defaults is a model of the file; functions needing arguments are not called', () => {
  const r = analyzeSource('/t/b.py', `${BUILDER}

def train(model, epochs=3):
    return model.fit(None, epochs=epochs)


def settings():
    return {"lr": 0.1}


def broken():
    return undefined_name + 1
`);
  assert.deepEqual(r.models.map((m) => [m.name, m.line, m.summaryName]), [['build_model()', 5, 'functional']]);
  const m = r.models[0];
  // conv 3·3·1·32 + 32, dense 32·10 + 10
  assert.deepEqual([m.totalParams, m.complete, m.layers.map((l) => l.path)], [650, true, ['input_layer', 'conv2d', 'global_average_pooling2d', 'dense']]);
  // what broken() raised while it was tried is no finding of the file
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), []);
});

test('a builder the file calls for its model (also under __main__) gives one model, not two', () => {
  for (const call of ['model = build_model(num_classes=5)', 'if __name__ == "__main__":\n    model = build_model()\n    model.summary()']) {
    const r = analyzeSource('/t/b.py', `${BUILDER}\n\n${call}\n`);
    assert.deepEqual(r.models.map((m) => m.name), ['model'], call);
  }
});

test('a builder whose model is a part of another builder\'s model is a part (encoder of the autoencoder)', () => {
  const r = analyzeSource('/t/ae.py', `import keras
from keras import layers


def get_encoder(latent_dim=16):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(latent_dim, 3, strides=2, padding="same")(inputs)
    return keras.Model(inputs, x, name="encoder")


def get_decoder(latent_dim=16):
    inputs = keras.Input(shape=(14, 14, latent_dim))
    x = layers.Conv2DTranspose(1, 3, strides=2, padding="same")(inputs)
    return keras.Model(inputs, x, name="decoder")


def get_autoencoder(latent_dim=16):
    inputs = keras.Input(shape=(28, 28, 1))
    return keras.Model(inputs, get_decoder(latent_dim)(get_encoder(latent_dim)(inputs)), name="autoencoder")
`);
  assert.deepEqual(r.models.map((m) => m.summaryName), ['autoencoder']);
  // encoder 3·3·1·16 + 16, decoder 3·3·16·1 + 1
  assert.equal(r.models[0].totalParams, 160 + 145);
});
