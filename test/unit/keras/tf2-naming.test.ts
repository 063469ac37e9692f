// tf.keras 2's automatic names (`--keras-naming tf2`, the `kerasNaming` option), as published tf.keras 2
// summaries print them: a keras.Input is `input_1`, `input_2`, … and a functional model `model`, `model_1`, …
// (e.g. `Model: "model_1"` with `input_2 (InputLayer)`, `conv2d_1 (Conv2D)` … `input_1[0][0]`); a Sequential's
// implied InputLayer and inner builds take no names (Keras 3 counts `input_layer` and `functional` for them).
// Keras 3's names stay the default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { analyzeSource } from '../../../engine/analyze';

const SOURCE = `import keras
from keras import layers
seq = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Flatten()(layers.Conv2D(8, 3)(inputs))
enc = keras.Model(inputs, x)
i2 = keras.Input(shape=(28, 28, 1))
model = keras.Model(i2, layers.Dense(10)(enc(i2)))
`;

const names = (kerasNaming?: 'keras3' | 'tf2') => analyzeSource('/t/n.py', SOURCE, { kerasNaming }).models
  .map((m) => [m.summaryName, ...m.layers.map((l) => l.path), ...m.layers.flatMap((l) => l.inputs ?? []).map((i) => i.layer)]);

test('tf.keras 2 names: input_1, model, model_1; a Sequential takes no InputLayer or Functional names', () => {
  assert.deepEqual(names('tf2'), [
    ['sequential', 'dense', 'dense_1'],
    ['model_1', 'input_2', 'model', 'dense_2', 'input_2', 'model'],
  ]);
});

test('Keras 3 names are the default (real Keras 3.15.1: functional_2 with input_layer_2, functional_1, dense_2)', () => {
  const keras3 = [
    ['sequential', 'dense', 'dense_1'],
    ['functional_2', 'input_layer_2', 'functional_1', 'dense_2', 'input_layer_2', 'functional_1'],
  ];
  assert.deepEqual(names(), keras3);
  assert.deepEqual(names('keras3'), keras3);
});

test('tf.keras 2 counts a layer unfrozen inside a frozen base as frozen: only trainable layers gathered weights', () => {
  // fixture 46 (Keras 3: 204,113 trainable); tf.keras 2 trained only the head, Dense(1280 → 1): 1,281
  const file = join(fileURLToPath(new URL('../../fixtures/keras', import.meta.url)), '46_unfreeze_inside_frozen_base.py');
  const trainable = (kerasNaming: 'keras3' | 'tf2') => analyzeSource(file, readFileSync(file, 'utf8'), { kerasNaming }).models
    .find((m) => m.name === 'model')?.trainableParams;
  assert.equal(trainable('tf2'), 1281);
  assert.equal(trainable('keras3'), 204113);
});
