// A keyword a Keras layer does not take raises as Keras 3 raises it (keras/src/layers/layer.py, 3.15.1:
// "Unrecognized keyword arguments passed to SeparableConv2D: {'use_bais': False}"), with the nearest real one,
// instead of a model counted as if it were not there; every keyword Keras 3 takes, and tf.keras 2's legacy
// input keywords, are accepted.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';

const model = (conv: string) => analyzeSource('/ws/m.py', `import keras
from keras import layers
inputs = keras.Input(shape=(32, 32, 3))
x = ${conv}(inputs)
model = keras.Model(inputs, layers.GlobalAveragePooling2D()(x))
`);

test('a misspelt keyword raises Keras 3\'s ValueError with the nearest keyword the layer takes', () => {
  const r = model('layers.SeparableConv2D(16, 3, padding="same", use_bais=False)');
  const e = r.diagnostics.find((d) => d.code === 'python-error');
  assert.equal(e?.line, 4);
  assert.match(e?.message ?? '', /ValueError: Unrecognized keyword arguments passed to SeparableConv2D: \{'use_bais': False\} \(did you mean `use_bias`\?\)/);
  assert.ok(!r.models.some((m) => m.complete), 'no model is given as exact');
});

test('a subclass is named in the message; keywords Keras 3 takes and legacy input keywords pass', () => {
  const sub = analyzeSource('/ws/m.py', `import keras
from keras import layers
class MyConv(layers.Conv2D):
    pass
c = MyConv(8, 3, strid=2)
`);
  assert.ok(sub.diagnostics.some((d) => /passed to MyConv: \{'strid': 2\} \(did you mean `strides`\?\)/.test(d.message)), JSON.stringify(sub.diagnostics));
  const ok = model('layers.Conv2D(16, 3, kernel_initializer="he_normal", kernel_regularizer=None, bias_constraint=None, '
    + 'activity_regularizer=None, dtype="float32", name="c", trainable=True, input_shape=(32, 32, 3), batch_input_shape=(None, 32, 32, 3))');
  assert.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(ok.models[0].totalParams, 448);
  assert.equal(ok.models[0].complete, true);
});
