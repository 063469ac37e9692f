// keras.config / keras.backend set_image_data_format: a layer made afterwards with data_format=None takes
// the global format (Keras's standardize_data_format at construction), one made before keeps its own. The
// figures are Keras 3.15.1's (JAX backend): the channels-first model below prints these shapes and 20,298
// parameters; a format the interpreter cannot know leaves the layers that depend on it unknown, named.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';

const MODEL = (set: string) => `import keras
from keras import layers
${set}
model = keras.Sequential([
    keras.Input(shape=(3, 32, 32)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, padding="same"),
    layers.BatchNormalization(axis=1),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
`;

const rows = (src: string) => {
  const r = analyzeSource('/ws/m.py', src);
  const m = r.models[0];
  return { r, m, shapes: m.layers.map((l) => [l.path, JSON.stringify(l.outputShape), l.params]) };
};

test('set_image_data_format("channels_first") makes the layers built after it channels first, as Keras 3 does', () => {
  for (const set of ['keras.config.set_image_data_format("channels_first")', 'keras.backend.set_image_data_format("Channels_First")']) {
    const { m, shapes } = rows(MODEL(set));
    assert.deepEqual(shapes, [
      ['conv2d', '[null,32,30,30]', 896], ['max_pooling2d', '[null,32,15,15]', 0], ['conv2d_1', '[null,64,15,15]', 18496],
      ['batch_normalization', '[null,64,15,15]', 256], ['global_average_pooling2d', '[null,64]', 0], ['dense', '[null,10]', 650],
    ], set);
    assert.equal(m.totalParams, 20298);
    assert.equal(m.complete, true);
  }
  // without it the same input is (32, 32) images of 3... as channels last: 3 rows of 32 columns, 32 channels
  assert.notEqual(rows(MODEL('')).m.totalParams, 20298);
});

test('a layer made before the switch keeps its format; image_data_format() says the current one', () => {
  const src = `import keras
from keras import layers
keras.config.set_image_data_format("channels_last")
c = layers.Conv2D(8, 3)
keras.config.set_image_data_format("channels_first")
if keras.backend.image_data_format() != "channels_first":
    raise ValueError("format")
x = keras.Input(shape=(16, 16, 3))
y = c(x)
z = layers.Conv2D(4, 3)(keras.ops.transpose(y, (0, 3, 1, 2)))
model = keras.Model(x, z)
`;
  const { r, m } = rows(src);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(m.layers.filter((l) => l.type === 'Conv2D').map((l) => l.outputShape), [[null, 14, 14, 8], [null, 4, 12, 12]]);
});

test('an invalid format raises Keras\'s ValueError; an unknown one leaves the layers unknown and the totals incomplete', () => {
  const bad = analyzeSource('/ws/m.py', MODEL('keras.config.set_image_data_format("NCHW")'));
  assert.ok(bad.diagnostics.some((d) => /ValueError: The `data_format` argument must be one of .*Received: data_format=nchw/.test(d.message)),
    JSON.stringify(bad.diagnostics));
  const { m } = rows(MODEL('import os\nkeras.config.set_image_data_format(os.environ["FMT"])'));
  assert.equal(m.complete, false);
  assert.equal(m.layers[0].outputShape, null);
  assert.equal(m.layers[0].paramsKnown, false);
  assert.ok(m.diagnostics.some((d) => d.code === 'unmodelled' && /data_format is unknown/.test(d.message)), JSON.stringify(m.diagnostics));
});
