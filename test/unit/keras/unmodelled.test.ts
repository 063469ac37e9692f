// The honesty rule for Keras: an unknown layer class or a function on a KerasTensor is a row with
// a warning, its output of unknown shape, and the totals lower bounds. Conv2D(8, 3) on (28, 28, 1):
// 3·3·1·8 + 8 = 80 weights, 26·26·8·9 = 48,672 MACs (Keras's own count).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { formatTable } from '../../../engine/report/format';
import type { ModelReport } from '../../../engine/report/types';

const analyse = (src: string): ModelReport => {
  const r = analyzeSource('/ws/model.py', src);
  assert.equal(r.models.length, 1, JSON.stringify(r.diagnostics));
  return r.models[0];
};
const warnings = (m: ModelReport) => m.diagnostics.filter((d) => d.code === 'unmodelled');
const HEAD = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nimport tensorflow as tf\n';

test('Sequential with a layer from an unresolved import: a row, a warning, ≥ totals', () => {
  const src = `${HEAD}from foo import MyLayer
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3),
    MyLayer(16),
    layers.Flatten(),
    layers.Dense(10),
])
`;
  const m = analyse(src);
  assert.deepEqual(m.layers.map((r) => [r.path, r.type, r.outputShape === null, r.paramsKnown, r.macsKnown]), [
    ['conv2d', 'Conv2D', false, true, true], ['my_layer', 'MyLayer', true, false, false],
    ['flatten', 'Flatten', true, true, true], ['dense', 'Dense', true, false, false],
  ]);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.line, u.missing]), [['MyLayer', 8, ['params', 'macs', 'shape']]]);
  assert.equal(warnings(m).length, 1);
  assert.match(warnings(m)[0].message, /^MyLayer \(from the unresolved import 'foo'\) is not modelled: its parameters, MACs and the shapes after line \d+ are unknown$/);
  assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete, m.totalParams, m.macs], [false, false, false, 80, 48_672]);
  const t = formatTable(m);
  assert.match(t, /Total params: ≥ 80\n/);
  assert.match(t, /≥: 1 thing not modelled: MyLayer \(line 8\)/);
  assert.match(t, / my_layer \(MyLayer\) +\? +\? +\?/);
});

test('functional model: a keras.layers class the catalogue lacks and an unknown tf function', () => {
  for (const [call, name, type, missing] of [
    ['layers.FancyNewLayer(4)(x)', 'layers.FancyNewLayer', 'FancyNewLayer', ['params', 'macs', 'shape']],
    ['tf.image.mystery(x)', 'tf.image.mystery', 'tf.image.mystery', ['shape']],
  ] as const) {
    const src = `${HEAD}inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3)(inputs)
x = ${call}
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
    const m = analyse(src);
    assert.deepEqual(m.layers.map((r) => r.type), ['InputLayer', 'Conv2D', type, 'Flatten', 'Dense'], call);
    assert.deepEqual(m.unmodelled.map((u) => [u.name, u.line, u.missing]), [[name, 6, [...missing]]], call);
    assert.equal(warnings(m).length, 1);
    // the Dense after it cannot know its input size: its weights and MACs are unknown either way
    assert.deepEqual([m.layers[4].paramsKnown, m.layers[4].macsKnown, m.complete, m.paramsComplete], [false, false, false, false]);
    assert.match(formatTable(m), /Total MACs: ≥ 48,672/);
  }
});

test('a catalogued layer with an unknown argument (Dense(units), units unknown)', () => {
  const src = `${HEAD}from cfg import units
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(units), layers.Dense(10)])
`;
  const m = analyse(src);
  assert.deepEqual(m.layers.map((r) => [r.type, r.paramsKnown]), [['Dense', false], ['Dense', false]]);
  assert.deepEqual(warnings(m).map((d) => d.message.replace(/line \d+/, 'line N')),
    ['Dense (its argument units is unknown) is not modelled: its parameters, MACs and the shapes after line N are unknown']);
  assert.ok(!m.diagnostics.some((d) => d.code === 'unknown-argument'), 'the warning replaces the rule\'s note');
  assert.match(formatTable(m), /Total params: \?\n/);
});

test('MACs unknown only because the input size is: the note says so, not that the pass stopped early', () => {
  // MobileNetV3Small(weights=None) takes (None, None, 3): real Keras 3.15.1 gives 2,056,848 parameters with
  // minimalistic=True, whatever the size; the MACs need the size.
  const m = analyse(`${HEAD}model = keras.applications.MobileNetV3Small(weights=None, minimalistic=True)\n`);
  assert.equal(m.totalParams, 2_056_848);
  assert.equal(m.paramsComplete, true);
  assert.equal(m.macsComplete, false);
  const table = formatTable(m);
  assert.match(table, /≥: the input's size is not fully known.*# convlens: input=/);
  assert.doesNotMatch(table, /stopped early/);
});
