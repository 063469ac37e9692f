// The text summary of a functional model as Keras 3 prints it: a "Connected to" column (`-` for an input,
// `layer[node][tensor]` comma-separated), a layer with several outputs shown with all of them, and the model's
// outputs when it has several. The truth is what real Keras 3.15.1 (JAX backend) printed for this file with
// model.summary(line_length=150); a Sequential model has no such column, as in Keras.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { formatTable } from '../../../engine/report/format';

const SOURCE = `import keras
from keras import layers
a = keras.Input((8,), name="a")
b = keras.Input((8,), name="b")
x = layers.Dense(4)(a)
y = layers.Dense(4)(b)
s = layers.Add()([x, y, a[:, :4]])
l, h, c = layers.LSTM(3, return_state=True)(layers.Reshape((4, 1))(s))
m = keras.Model([a, b], [l, layers.Dense(2)(h)])
`;

// Keras 3.15.1's rows: name (type), output shape, connected to
const KERAS = [
  ['a (InputLayer)', '(None, 8)', '-'],
  ['b (InputLayer)', '(None, 8)', '-'],
  ['dense (Dense)', '(None, 4)', 'a[0][0]'],
  ['dense_1 (Dense)', '(None, 4)', 'b[0][0]'],
  ['get_item (GetItem)', '(None, 4)', 'a[0][0]'],
  ['add (Add)', '(None, 4)', 'dense[0][0], dense_1[0][0], get_item[0][0]'],
  ['reshape (Reshape)', '(None, 4, 1)', 'add[0][0]'],
  ['lstm (LSTM)', '[(None, 3), (None, 3), (None, 3)]', 'reshape[0][0]'],
  ['dense_2 (Dense)', '(None, 2)', 'lstm[0][1]'],
];

test('a functional model\'s text summary has Keras\'s "Connected to" column and every output of a layer', () => {
  const m = analyzeSource('/t/ct.py', SOURCE).models[0];
  const table = formatTable(m).split('\n');
  assert.match(table[2], /Layer \(type\)\s+Output Shape\s+Param #\s+MACs\s+Connected to$/);
  for (const [name, shape, connected] of KERAS) {
    const row = table.find((l) => l.startsWith(` ${name} `));
    assert.ok(row, name);
    assert.equal(row.split(/ {3,}/).map((c) => c.trim()).filter((c) => c)[1], shape, `${name} output`);
    assert.ok(row.endsWith(`   ${connected}`), `${name}: ${row}`);
  }
  // JSON-side fields: the row's inputs and outputs, the model's outputs
  assert.deepEqual(m.layers.find((l) => l.path === 'dense_2')?.inputs, [{ layer: 'lstm', node: 0, tensor: 1 }]);
  assert.deepEqual(m.layers.find((l) => l.path === 'lstm')?.outputShapes, [[null, 3], [null, 3], [null, 3]]);
  assert.deepEqual([m.outputShape, m.outputShapes], [[null, 3], [[null, 3], [null, 2]]]);
  assert.ok(table.includes('Output shapes: [(None, 3), (None, 2)]'));
  // Keras's totals: 36 + 36 + LSTM 4·3·(1 + 3 + 1) + 3·2 + 2
  assert.equal(m.totalParams, 140);
});

test('a Sequential model has no "Connected to" column and a one-output model no outputShapes', () => {
  const m = analyzeSource('/t/s.py', 'import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n').models[0];
  assert.doesNotMatch(formatTable(m), /Connected to/);
  assert.equal(m.outputShapes, undefined);
  assert.ok(m.layers.every((l) => l.inputs === undefined && l.outputShapes === undefined));
});
