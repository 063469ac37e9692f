// `model.layers` in the user's code as Keras 3 lists them: for a functional model the summary's order (graph
// order, not creation order) without its operations (`x[:, :4]`'s get_item, an `add` of `x + y`), InputLayers
// included; len(), indexing, slicing, iteration and get_layer(index=) read that list. The truth is what real
// Keras 3.15.1 printed for these models: 8 layers, ['a', 'b', 'dense', 'dense_1', 'add', 'reshape', 'lstm',
// 'dense_2'], get_layer(index=4) 'add'; and for two branches of different depth ['input_layer', 'dense_2',
// 'dense', 'dense_1', 'concatenate'] (the deeper branch's first layer before the others: not call order).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';

const MODEL = `import keras
from keras import layers
a = keras.Input((8,), name="a")
b = keras.Input((8,), name="b")
x = layers.Dense(4)(a)
y = layers.Dense(4)(b)
s = layers.Add()([x, y, a[:, :4]])
l, h, c = layers.LSTM(3, return_state=True)(layers.Reshape((4, 1))(s))
m = keras.Model([a, b], [l, layers.Dense(2)(h)])
`;

test('model.layers of a functional model: Keras\'s order, operations left out, len/indexing/iteration/get_layer', () => {
  const r = analyzeSource('/t/ml.py', `${MODEL}
names = [layer.name for layer in m.layers]
ok = names == ["a", "b", "dense", "dense_1", "add", "reshape", "lstm", "dense_2"]
ok = ok and len(m.layers) == 8 and m.layers[4].name == "add" and m.get_layer(index=4).name == "add" and m.layers[-1].name == "dense_2"
probe = keras.Sequential([keras.Input((1,)), layers.Dense(7 if ok else 1)], name="probe")
for layer in m.layers[:4]:
    layer.trainable = False
`);
  const probe = r.models.find((x) => x.summaryName === 'probe');
  assert.equal(probe?.totalParams, 14, 'the checks on model.layers held');
  const m = r.models.find((x) => x.name === 'm');
  // a, b, dense, dense_1 frozen: the two Dense layers' 2 × 36 weights
  assert.deepEqual([m?.totalParams, m?.trainableParams, m?.nonTrainableParams], [140, 68, 72]);
});

test('model.layers sorts by depth from the outputs, as Keras does, not by call order', () => {
  const r = analyzeSource('/t/order.py', `import keras
from keras import layers
i = keras.Input((4,))
x1 = layers.Dense(3)(i)
x2 = layers.Dense(5)(layers.Dense(6)(i))
m = keras.Model(i, layers.Concatenate()([x1, x2]))
ok = [l.name for l in m.layers] == ["input_layer", "dense_2", "dense", "dense_1", "concatenate"]
ok = ok and m.get_layer(index=1).name == "dense_2"
probe = keras.Sequential([keras.Input((1,)), layers.Dense(7 if ok else 1)], name="probe")
`);
  assert.equal(r.models.find((x) => x.summaryName === 'probe')?.totalParams, 14, 'the checks on model.layers held');
});

test('a functional model named by --entry is placed on its keras.Model(…) line, as when found by itself', () => {
  const source = [
    'import keras', 'from keras import layers', '',
    'inputs = keras.Input(shape=(28, 28, 1))', 'x = layers.Conv2D(8, 3)(inputs)', 'x = layers.Flatten()(x)',
    'outputs = layers.Dense(10)(x)', 'model = keras.Model(inputs, outputs)', '',
  ].join('\n');
  const found = analyzeSource('net.py', source);
  const named = analyzeSource('net.py', source, { entry: 'model' });
  assert.equal(found.models[0]?.line, 8);
  assert.equal(named.models[0]?.line, 8);
  assert.equal(named.models[0]?.totalParams, found.models[0]?.totalParams);
});
