// A subclassed model whose call() makes a weightless layer on each call (`layers.Dot(axes=1)([u, v])`, keras.io's
// collaborative-filtering example) and uses a tf function: Keras 3's summary lists only the layers the model
// tracks (real Keras 3.15.1: embedding 50, embedding_1 10, embedding_2 100, embedding_3 20; total 180), and a tf
// function inside call() is fine there (no keras3-tf-op warning). ConvLens listed a `dot_1` row and warned.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';

const SOURCE = `import tensorflow as tf
import keras
from keras import layers


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super().__init__(**kwargs)
        self.user_embedding = layers.Embedding(num_users, embedding_size)
        self.user_bias = layers.Embedding(num_users, 1)
        self.movie_embedding = layers.Embedding(num_movies, embedding_size)
        self.movie_bias = layers.Embedding(num_movies, 1)

    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        dot_user_movie = layers.Dot(axes=1)([user_vector, movie_vector])
        x = dot_user_movie + self.user_bias(inputs[:, 0]) + self.movie_bias(inputs[:, 1])
        return tf.nn.sigmoid(x)


inputs = layers.Input(shape=(2,))
model = RecommenderNet(10, 20, 5)
outputs = model(inputs)
`;

test('a weightless layer made in call() is no row; a tf function inside a subclassed model\'s call() is fine', () => {
  const r = analyzeSource('/t/sub.py', SOURCE, { entry: 'model' });
  const m = r.models[0];
  assert.deepEqual(m.layers.map((l) => [l.path, l.params]), [['embedding', 50], ['embedding_1', 10], ['embedding_2', 100], ['embedding_3', 20]]);
  assert.deepEqual([m.summaryName, m.totalParams, m.complete], ['recommender_net', 180, true]);
  assert.deepEqual(m.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code), []);
});

// real Keras 3.15.1: `m.build((None, 28, 28, 1))` on this model warns that it "does not have a build() method
// implemented and it looks like it has unbuilt state" and leaves 0 weights; a call on keras.Input builds 13,610
const BUILT = (how: string, build = '') => `import keras
from keras import layers, ops


class Flat(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(8, 3, strides=2)
        self.fc = layers.Dense(10)
${build}
    def call(self, x):
        return self.fc(ops.reshape(self.conv(x), (ops.shape(x)[0], -1)))


model = Flat()
${how}
`;

test('Keras 3: build() on a subclassed model without its own build() is said to build nothing; a call on Input is not', () => {
  const notes = (src: string, kerasNaming?: 'tf2') => {
    const r = analyzeSource('/t/b.py', src, { entry: 'model', kerasNaming });
    return [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.code === 'keras3-build-unbuilt').map((d) => [d.line, d.severity]);
  };
  assert.deepEqual(notes(BUILT('model.build((None, 28, 28, 1))')), [[16, 'info']]);
  assert.deepEqual(notes(BUILT('model(keras.Input((28, 28, 1)))')), []);
  assert.deepEqual(notes(BUILT('model.build((None, 28, 28, 1))', '    def build(self, shape):\n        super().build(shape)\n')), []);
  assert.deepEqual(notes(BUILT('model.build((None, 28, 28, 1))'), 'tf2'), [], 'tf.keras 2 ran call() in build()');
  for (const how of ['model.build((None, 28, 28, 1))', 'model(keras.Input((28, 28, 1)))']) {
    assert.equal(analyzeSource('/t/b.py', BUILT(how), { entry: 'model' }).models[0].totalParams, 13610, how);
  }
});

test('inside a custom layer\'s call() a tensor of None sizes prints them as None, not as the stand-ins it runs on', () => {
  const src = ['import keras', 'from keras import layers', '', '', 'class Loud(layers.Layer):', '    def call(self, x):',
    '        raise ValueError(f"got {x}")', '', '', 'inputs = keras.Input(shape=(None, None, 4))', 'model = keras.Model(inputs, Loud()(inputs))', ''].join('\n');
  const r = analyzeSource('/t/loud.py', src);
  const messages = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].map((d) => d.message).join('\n');
  assert.match(messages, /got <KerasTensor shape=\(None, None, None, 4\)>/);
});
