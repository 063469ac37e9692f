// keras.ops and tf functions on Keras tensors: the shapes they compute, the Keras 3 rows they make,
// and what happens when ConvLens does not know (the honesty rule). Real Keras 3's own summaries of such
// models are the goldens 35–39 of test/fixtures/keras; these are the cases Keras 3 itself cannot run.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import type { ModelReport } from '../../../engine/report/types';

const analyse = (src: string): ModelReport => {
  const r = analyzeSource('/ws/model.py', src);
  assert.equal(r.models.length, 1, JSON.stringify(r.diagnostics));
  return r.models[0];
};
const codes = (m: ModelReport) => m.diagnostics.map((d) => d.code);

// keras.io's super_resolution_sub_pixel (tf.keras version): tf.nn.depth_to_space on the model's tensor.
// Its published summary: 1,664 + 36,928 + 18,464 + 2,601 = 59,657 parameters; the output (None, 300, 300, 1)
// for a 100 × 100 input and upscale factor 3.
const ESPCN = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def get_model(upscale_factor=3, channels=1):
    conv_args = {"activation": "relu", "kernel_initializer": "Orthogonal", "padding": "same"}
    inputs = keras.Input(shape=(100, 100, channels))
    x = layers.Conv2D(64, 5, **conv_args)(inputs)
    x = layers.Conv2D(64, 3, **conv_args)(x)
    x = layers.Conv2D(32, 3, **conv_args)(x)
    x = layers.Conv2D(channels * (upscale_factor ** 2), 3, **conv_args)(x)
    outputs = tf.nn.depth_to_space(x, upscale_factor)
    return keras.Model(inputs, outputs)

model = get_model()
`;

test('tf.nn.depth_to_space on a Keras tensor: computed, one row, and a warning that Keras 3 raises there', () => {
  const m = analyse(ESPCN);
  assert.deepEqual([m.totalParams, m.complete], [59_657, true]);
  assert.deepEqual(m.outputShape, [null, 300, 300, 1]);
  const last = m.layers[m.layers.length - 1];
  assert.deepEqual([last.path, last.type, last.outputShape], ['depth_to_space', 'DepthToSpace', [null, 300, 300, 1]]);
  const w = m.diagnostics.find((d) => d.code === 'keras3-tf-op');
  assert.ok(w && w.severity === 'warning' && w.line === 12, JSON.stringify(m.diagnostics));
  assert.match(w.message, /^tf\.nn\.depth_to_space on a Keras tensor: Keras 3 raises a ValueError here \(use keras\.ops\.depth_to_space/);
});

test('a tf.nn function ConvLens does not know is unknown with a warning, never the identity', () => {
  const m = analyse(ESPCN.replace('tf.nn.depth_to_space(x, upscale_factor)', 'tf.nn.fractional_max_pool(x, [1.0, 1.4, 1.4, 1.0])'));
  assert.equal(m.outputShape, null);
  assert.equal(m.complete, false);
  assert.deepEqual(m.unmodelled.map((u) => u.name), ['tf.nn.fractional_max_pool']);
  assert.ok(codes(m).includes('unmodelled'));
});

test('an operation whose arguments ConvLens cannot read leaves its shape unknown, named', () => {
  const m = analyse(`import keras
from keras import ops, layers
import random
inputs = keras.Input(shape=(8, 4))
x = ops.reshape(inputs, (-1, random.randint(1, 4), 8))
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)
`);
  assert.deepEqual([m.complete, m.paramsComplete, m.outputShape], [false, false, null]);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.missing]), [['reshape', ['shape']]]);
});

test('the vocabulary of a file read at run time is unknown, so the LSTM and Dense sized by it are (never 0)', () => {
  // keras.io's lstm_character_level_text_generation: chars = sorted(list(set(text)))
  const m = analyse(`import io
import keras
from keras import layers
with io.open("nietzsche.txt", encoding="utf-8") as f:
    text = f.read().lower()
chars = sorted(list(set(text)))
model = keras.Sequential([keras.Input(shape=(40, len(chars))), layers.LSTM(128), layers.Dense(len(chars), activation="softmax")])
`);
  assert.equal(m.paramsComplete, false);
  assert.ok(m.layers.every((l) => !l.paramsKnown || l.params > 0), JSON.stringify(m.layers.map((l) => [l.path, l.params, l.paramsKnown])));
  assert.equal(m.layers.find((l) => l.path === 'lstm')?.paramsKnown, false);
});

test('add_weight of a shape ConvLens does not know: the layer counts are lower bounds, with a warning', () => {
  const m = analyse(`import keras
from keras import layers
import random

class Scale(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(random.randint(1, 9),), name="scale")

    def call(self, x):
        return x * 2.0

inputs = keras.Input(shape=(8,))
outputs = Scale()(layers.Dense(4)(inputs))
model = keras.Model(inputs, outputs)
`);
  assert.deepEqual([m.totalParams, m.paramsComplete], [36, false]);
  const row = m.layers.find((l) => l.path === 'scale');
  assert.deepEqual([row?.params, row?.paramsKnown], [0, false]);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.path, u.missing]), [['Scale.add_weight', 'scale', ['params']]]);
});

test("a lookup layer's vocabulary as Keras orders it (OOV token first), so a Dense sized by it is exact", () => {
  // Keras's StringLookup documentation: vocabulary ["a", "b", "c", "d"] → get_vocabulary() is
  // ['[UNK]', 'a', 'b', 'c', 'd']; keras.io's captcha_ocr sizes its output by len(get_vocabulary()) + 1
  const m = analyse(`import keras
from keras import layers
char_to_num = layers.StringLookup(vocabulary=["a", "b", "c", "d"], mask_token=None)
assert char_to_num.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
masked = layers.StringLookup(vocabulary=["a", "b"], mask_token="")
inputs = keras.Input(shape=(50, 64))
outputs = layers.Dense(len(char_to_num.get_vocabulary()) + masked.vocabulary_size())(inputs)
model = keras.Model(inputs, outputs)
`);
  // 5 + 4 ('' , '[UNK]', 'a', 'b') = 9 units: 64·9 + 9
  assert.deepEqual([m.outputShape, m.totalParams, m.complete], [[null, 50, 9], 585, true]);
  const adapted = analyse(`import keras
from keras import layers
lookup = layers.StringLookup()
inputs = keras.Input(shape=(8,))
model = keras.Model(inputs, layers.Dense(lookup.vocabulary_size())(inputs))
`);
  assert.deepEqual([adapted.paramsComplete, adapted.unmodelled.map((u) => u.name)], [false, ['Dense']]);
});

test('an input shape computed from data the file reads is symbolic, with a warning that says how to pin it', () => {
  // keras.io's timeseries_anomaly_detection: x_train comes from a CSV read with pandas
  const src = `import numpy as np
import pandas as pd
import keras
from keras import layers
df = pd.read_csv("art_daily_small_noise.csv")
values = df.values
output = []
for i in range(len(values) - 288 + 1):
    output.append(values[i : (i + 288)])
x_train = np.stack(output)
model = keras.Sequential([
    layers.Input(shape=(x_train.shape[1], x_train.shape[2])),
    layers.Conv1D(filters=32, kernel_size=7, padding="same", strides=2, activation="relu"),
    layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
])
`;
  const m = analyse(src);
  assert.deepEqual(m.inputShape, [null, 'D1', 'D2']);
  const conv = m.layers.find((l) => l.path === 'conv1d');
  // its input channels are unknown: a lower bound, never 0 counted as exact
  assert.deepEqual([conv?.paramsKnown, m.paramsComplete], [false, false]);
  const w = m.diagnostics.find((d) => d.code === 'input-from-data');
  assert.ok(w && w.severity === 'warning' && w.line === 12, JSON.stringify(m.diagnostics));
  assert.match(w.message, /so it is symbolic: \(None, D1, D2\); pin it with a comment `# convlens: input=\(None, D1, D2\)`/);
  // pinned by the comment: exact, and no warning (Keras: 32·7·1 + 32 = 256; 1·7·32 + 1 = 225)
  const pinned = analyse(src.replace('model = keras.Sequential', '# convlens: input=(None, 288, 1)\nmodel = keras.Sequential'));
  assert.deepEqual([pinned.totalParams, pinned.paramsComplete, pinned.outputShape], [481, true, [null, 144, 1]]);
  assert.equal(pinned.diagnostics.some((d) => d.code === 'input-from-data'), false);
});

test('an input of unknown rank (shape=features.shape[1:] of rows appended from a file) is never a 1-D input', () => {
  const m = analyse(`import numpy as np
import keras
rows = []
with open("/data/creditcard.csv") as f:
    for line in f:
        rows.append([float(v) for v in line.split(",")[:-1]])
features = np.array(rows, dtype="float32")
model = keras.Sequential([keras.Input(shape=features.shape[1:]), keras.layers.Dense(256), keras.layers.Dense(1)])
`);
  assert.deepEqual(m.inputShape, [null, 'F']);
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(m.diagnostics.some((d) => d.code === 'input-from-data'));
  assert.deepEqual([m.layers[0].paramsKnown, m.layers[1].params, m.paramsComplete], [false, 257, false]);
});

test("a loss or metric object a layer's call() uses has no weights of the model (keras.io's endpoint layer pattern)", () => {
  const m = analyse(`import keras
from keras import ops

class LogisticEndpoint(keras.layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.accuracy_metric = keras.metrics.BinaryAccuracy(name="accuracy")

    def call(self, logits, targets=None, sample_weight=None):
        if targets is not None:
            self.add_loss(self.loss_fn(targets, logits, sample_weight))
            self.accuracy_metric.update_state(targets, logits, sample_weight)
        return ops.softmax(logits)

inputs = keras.Input((764,), name="inputs")
logits = keras.layers.Dense(1)(inputs)
targets = keras.Input((1,), name="targets")
preds = LogisticEndpoint()(logits, targets)
model = keras.Model([inputs, targets], preds)
`);
  // real Keras 3.15.1: 765 parameters (the Dense), the endpoint 0
  assert.deepEqual([m.totalParams, m.complete, m.unmodelled], [765, true, []]);
  assert.deepEqual(m.layers.map((l) => [l.path, l.params]), [['inputs', 0], ['dense', 765], ['targets', 0], ['logistic_endpoint', 0]]);
});
