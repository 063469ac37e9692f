// Keras 3's model names, as real Keras 3.15.1 (JAX backend) gave them for the same file: an unnamed
// functional model is `functional`, a Sequential `sequential`; every build of a Sequential whose input
// is known makes an inner Functional that takes a `functional` name, and an `input_shape=` on its first
// layer (or its first call) an InputLayer that takes an `input_layer` name.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { formatTable } from '../../../engine/report/format';

test('model.summary() names: functional, sequential, and the counters Sequential builds take', () => {
  const r = analyzeSource('/t/model.py', `import keras
from keras import layers
a = keras.Sequential()
a.add(keras.Input((3,)))
a.add(layers.Dense(2))
a.add(layers.Dense(2))
b = keras.Sequential([layers.Dense(2, input_shape=(3,)), layers.Dense(2)])
m = keras.Sequential([layers.Dense(2)])
m(keras.Input((3,)))
i = keras.Input((3,))
c = keras.Model(i, layers.Dense(2)(i))
n = keras.Sequential([layers.Dense(2)], name="named")
`);
  // Keras 3.15.1: sequential sequential_1 sequential_2 functional_4 named, c's input input_layer_4
  assert.deepEqual(r.models.map((m) => m.summaryName), ['sequential', 'sequential_1', 'sequential_2', 'functional_4', 'named']);
  const c = r.models[3];
  assert.equal(c.layers[0].path, 'input_layer_4');
  assert.match(formatTable(c), /^Model: "functional_4"$/m);
  // the model is still found and chosen by its variable
  assert.deepEqual(r.models.map((m) => m.name), ['a', 'b', 'm', 'c', 'named']);
});
