// Keras semantics beyond the golden models: import spellings, Keras's layer names, TensorFlow's
// padding arithmetic, the diagnostics of issue 3 and the summary table.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { formatTable } from '../../../engine/report/format';
import type { ModelReport } from '../../../engine/report/types';

function only(source: string): ModelReport {
  const r = analyzeSource('/t/model.py', source);
  assert.equal(r.models.length, 1, `models: ${r.models.map((m) => m.name).join(', ')}; ${JSON.stringify(r.diagnostics)}`);
  return r.models[0];
}

const body = (prefix: string) => `
model = ${prefix}Sequential([${prefix}layers.Conv2D(8, 3, input_shape=(10, 10, 1)), ${prefix}layers.Flatten(), ${prefix}layers.Dense(2)])
`;

test('every import spelling reaches the same keras', () => {
  const spellings: Array<[string, string]> = [
    ['import keras', 'keras.'],
    ['from tensorflow import keras', 'keras.'],
    ['import tensorflow as tf', 'tf.keras.'],
    ['import tensorflow.keras as K', 'K.'],
  ];
  for (const [imp, prefix] of spellings) {
    const m = only(`${imp}\n${body(prefix)}`);
    assert.equal(m.framework, 'keras', imp);
    // conv 3·3·1·8 + 8 = 80; dense 8·8·8·2 + 2 = 1026
    assert.equal(m.totalParams, 80 + 1026, imp);
  }
  const m = only('from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input((4,)), layers.Dense(3)])\n');
  assert.deepEqual(m.outputShape, [null, 3]);
  assert.equal(m.totalParams, 15);
});

test('layer names count per class in the session, and name= wins', () => {
  const m = only(`
import keras
from keras import layers
inp = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 1)(inp)
x = layers.Conv2D(4, 1, name="mine")(x)
x = layers.Conv2D(4, 1)(x)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inp, x)
`);
  assert.deepEqual(m.layers.map((l) => l.path), ['input_layer', 'conv2d', 'mine', 'conv2d_1', 'batch_normalization', 're_lu', 'global_average_pooling2d']);
});

test("TensorFlow's padding: same is ⌈l/s⌉ with the odd pixel after, valid is ⌈(l − d(k−1))/s⌉", () => {
  const m = only(`
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(15, 15, 2)),
    layers.Conv2D(4, 4, strides=3, padding="same"),
    layers.Conv2D(4, 3, strides=2, padding="valid", dilation_rate=1),
    layers.MaxPooling2D(2, padding="same"),
])
`);
  // same: ⌈15/3⌉ = 5, total padding (5−1)·3 + 4 − 15 = 1: 0 before, 1 after
  assert.deepEqual(m.layers[0].outputShape, [null, 5, 5, 4]);
  assert.deepEqual(m.layers[0].padding, { kind: 'same', split: [[0, 1], [0, 1]] });
  // valid: ⌈(5 − 2)/2⌉ = 2; then same pooling ⌈2/2⌉ = 1
  assert.deepEqual(m.layers[1].outputShape, [null, 2, 2, 4]);
  assert.deepEqual(m.layers[2].outputShape, [null, 1, 1, 4]);
});

test('diagnostics: Add and Concatenate mismatches, sizes below 1, Dense on a 4-D tensor', () => {
  const r = analyzeSource('/t/bad.py', `
import keras
from keras import layers
inp = keras.Input(shape=(8, 8, 3))
a = layers.Conv2D(4, 3)(inp)
b = layers.Conv2D(4, 1)(inp)
s = layers.Add()([a, b])
c = layers.Concatenate()([a, b])
tiny = layers.Conv2D(2, 9)(inp)
d = layers.Dense(5)(inp)
model = keras.Model(inp, [s, c, tiny, d])
`);
  const codes = r.models[0].diagnostics.map((d) => `${d.severity}:${d.code}:${d.line}`);
  assert.ok(codes.includes('error:add-mismatch:7'), codes.join(' '));
  assert.ok(codes.includes('error:cat-mismatch:8'), codes.join(' '));
  assert.ok(codes.includes('error:size-below-one:9'), codes.join(' '));
  assert.ok(codes.includes('info:dense-unflattened:10'), codes.join(' '));
});

test('a model without an input shape is symbolic, with None for the batch', () => {
  const m = only('import keras\nfrom keras import layers\nmodel = keras.Sequential([layers.Conv2D(8, 3), layers.MaxPooling2D()])\n');
  assert.equal(m.inputShapeSource, 'symbolic');
  assert.deepEqual(m.inputShape, [null, 'H', 'W', 'C']);
  // ⌊(H − 2 − 2)/2⌋ + 1: a 3×3 valid convolution, then 2×2 pooling
  assert.deepEqual(m.outputShape, [null, '⌊(H-4)/2⌋+1', '⌊(W-4)/2⌋+1', 8]);
});

test('a comment gives a Keras model its input shape', () => {
  const m = only('import keras\nfrom keras import layers\n# convlens: input=(None, 32, 32, 3)\nmodel = keras.Sequential([layers.Conv2D(8, 3), layers.Flatten()])\n');
  assert.equal(m.inputShapeSource, 'comment');
  assert.deepEqual(m.outputShape, [null, 30 * 30 * 8]);
  assert.equal(m.totalParams, 3 * 3 * 3 * 8 + 8);
});

test("the text table follows model.summary()'s layout with a MACs column", () => {
  const m = only('import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3), layers.BatchNormalization()])\n');
  const t = formatTable(m);
  assert.match(t, /Layer \(type\)\s+Output Shape\s+Param #\s+MACs/);
  assert.match(t, / conv2d \(Conv2D\)\s+\(None, 26, 26, 32\)\s+320\s+194,688/);
  assert.match(t, / batch_normalization \(BatchNormalization\)\s+\(None, 26, 26, 32\)\s+128\s+0/);
  assert.match(t, /Total params: 448\nTrainable params: 384\nNon-trainable params: 64/);
});

test('what Keras 3.15 refuses to build is an error, and a model cut short by one has lower-bound totals', () => {
  // Keras 3.15.1: AveragePooling2D() -> TypeError (pool_size has no default; MaxPooling2D's is 2);
  // Input(shape=3) -> ValueError "Cannot convert '3' to a shape."
  const r = analyzeSource('/t/model.py', ['import keras', 'from keras import layers',
    'a = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.MaxPooling2D(), layers.Flatten()])',
    'b = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3), layers.AveragePooling2D(), layers.Flatten(), layers.Dense(2)])',
    'inp = keras.Input(shape=3)', 'c = keras.Model(inp, layers.Dense(2)(inp))'].join('\n'));
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message]);
  assert.deepEqual(errors.map(([l]) => l), [4, 5], JSON.stringify(errors));
  assert.match(String(errors[0][1]), /AveragePooling2D\(\) missing required argument 'pool_size'/);
  assert.match(String(errors[1][1]), /ValueError: Cannot convert '3' to a shape\./);
  assert.deepEqual(r.models.find((m) => m.name === 'a')?.outputShape, [null, 16]);
  // `c` never gets its Dense built: its totals are not a confident 0
  const c = r.models.find((m) => m.name === 'c');
  assert.equal(c?.paramsComplete, false);
  assert.match(formatTable(c as ModelReport), /Total params: \?/);
});
