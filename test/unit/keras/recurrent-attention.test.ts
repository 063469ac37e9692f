// Keras's recurrent, wrapper and attention layers, one layer at a time, against real Keras 3:
// every figure below (parameter count, weight shapes, output shapes) was printed by Keras 3.15.1
// (JAX backend) for the same layer on the same inputs. And the honesty rule for them: what
// ConvLens cannot know (a unit count from outside the file, an unknown time length, a wrapped layer
// it does not catalogue) is a warning and a lower bound, never a number that looks exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import type { Dim, ModelReport } from '../../../engine/report/types';

function only(source: string): ModelReport {
  const r = analyzeSource('/t/model.py', source);
  assert.equal(r.models.length, 1, `models: ${r.models.map((m) => m.name).join(', ')}; ${JSON.stringify(r.diagnostics)}`);
  return r.models[0];
}

interface Figure {
  layer: string;
  inputs: Array<Array<number | null>>;
  /** The layer takes its inputs as one list (Attention). */
  list?: boolean;
  params: number;
  weights: number[][];
  outputs: Dim[][];
}

// model.summary()/count_params()/layer.weights/layer(...) of Keras 3.15.1
const FIGURES: Figure[] = [
  { layer: 'SimpleRNN(10)', inputs: [[7, 3]], params: 140, weights: [[3, 10], [10, 10], [10]], outputs: [[null, 10]] },
  { layer: 'SimpleRNN(10, use_bias=False)', inputs: [[7, 3]], params: 130, weights: [[3, 10], [10, 10]], outputs: [[null, 10]] },
  { layer: 'LSTM(16)', inputs: [[null, 5]], params: 1408, weights: [[5, 64], [16, 64], [64]], outputs: [[null, 16]] },
  {
    layer: 'LSTM(16, return_sequences=True, return_state=True)', inputs: [[9, 5]], params: 1408,
    weights: [[5, 64], [16, 64], [64]], outputs: [[null, 9, 16], [null, 16], [null, 16]],
  },
  { layer: 'GRU(8)', inputs: [[4, 6]], params: 384, weights: [[6, 24], [8, 24], [2, 24]], outputs: [[null, 8]] },
  { layer: 'GRU(8, reset_after=False)', inputs: [[4, 6]], params: 360, weights: [[6, 24], [8, 24], [24]], outputs: [[null, 8]] },
  { layer: 'GRU(8, return_state=True)', inputs: [[4, 6]], params: 384, weights: [[6, 24], [8, 24], [2, 24]], outputs: [[null, 8], [null, 8]] },
  {
    layer: 'Bidirectional(layers.GRU(8), merge_mode=None)', inputs: [[4, 6]], params: 768,
    weights: [[6, 24], [8, 24], [2, 24], [6, 24], [8, 24], [2, 24]], outputs: [[null, 8], [null, 8]],
  },
  {
    layer: 'Bidirectional(layers.LSTM(8, return_state=True))', inputs: [[4, 6]], params: 960,
    weights: [[6, 32], [8, 32], [32], [6, 32], [8, 32], [32]], outputs: [[null, 16], [null, 8], [null, 8], [null, 8], [null, 8]],
  },
  { layer: 'TimeDistributed(layers.Conv2D(4, 3))', inputs: [[5, 10, 10, 2]], params: 76, weights: [[3, 3, 2, 4], [4]], outputs: [[null, 5, 8, 8, 4]] },
  {
    layer: 'ConvLSTM2D(6, 3, padding="same", return_state=True)', inputs: [[3, 8, 8, 2]], params: 1752,
    weights: [[3, 3, 2, 24], [3, 3, 6, 24], [24]], outputs: [[null, 8, 8, 6], [null, 8, 8, 6], [null, 8, 8, 6]],
  },
  {
    layer: 'MultiHeadAttention(3, 5)', inputs: [[7, 12], [9, 10]], params: 717,
    weights: [[12, 3, 5], [3, 5], [10, 3, 5], [3, 5], [10, 3, 5], [3, 5], [3, 5, 12], [12]], outputs: [[null, 7, 12]],
  },
  {
    layer: 'MultiHeadAttention(2, 4, value_dim=3, output_shape=(2, 5))', inputs: [[7, 12], [9, 10], [9, 6]], params: 296,
    weights: [[12, 2, 4], [2, 4], [6, 2, 4], [2, 4], [10, 2, 3], [2, 3], [2, 3, 2, 5], [2, 5]], outputs: [[null, 7, 2, 5]],
  },
  { layer: 'AdditiveAttention()', inputs: [[7, 12], [9, 12]], list: true, params: 12, weights: [[12]], outputs: [[null, 7, 12]] },
  { layer: 'Attention(use_scale=True, score_mode="concat")', inputs: [[7, 12], [9, 12]], list: true, params: 2, weights: [[], []], outputs: [[null, 7, 12]] },
  { layer: 'LayerNormalization(axis=[1, 2])', inputs: [[4, 6]], params: 48, weights: [[4, 6], [4, 6]], outputs: [[null, 4, 6]] },
];

const py = (s: Array<number | null>) => `(${s.map((d) => (d === null ? 'None' : d)).join(', ')},)`;

for (const f of FIGURES) {
  test(`${f.layer} on ${f.inputs.map(py).join(', ')}: Keras's weights and outputs`, () => {
    const ins = f.inputs.map((_, i) => `i${i}`);
    const call = f.list ? `[${ins.join(', ')}]` : ins.join(', ');
    const last = f.outputs.length - 1;
    // the last output of a list, so that its length and every shape in it are checked
    const m = only(`import keras
from keras import layers
${f.inputs.map((s, i) => `i${i} = keras.Input(shape=${py(s)})`).join('\n')}
outs = layers.${f.layer}(${call})
model = keras.Model([${ins.join(', ')}], ${f.outputs.length > 1 ? `outs[${last}]` : 'outs'})
`);
    assert.equal(m.totalParams, f.params);
    assert.deepEqual(m.parameters.map((p) => p.shape), f.weights);
    const row = m.layers.find((l) => l.type === f.layer.slice(0, f.layer.indexOf('(')));
    assert.deepEqual(row?.outputShape, f.outputs[0], 'the row shows the first output');
    assert.deepEqual(m.outputShape, f.outputs[last]);
    assert.equal(m.complete, !f.inputs.some((s) => s.includes(null)), 'complete unless a time length is unknown');
  });
}

test('MACs: T × the recurrent matrix products per direction; attention its projections and QKᵀ, AV', () => {
  const m = only(`import keras
from keras import layers
x = keras.Input(shape=(9, 5))
y = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
z = layers.MultiHeadAttention(num_heads=2, key_dim=4)(y, y)
model = keras.Model(x, z)
`);
  const [, bi, mha] = m.layers;
  // per direction 9 steps · 4·16 · (5 + 16)
  assert.equal(bi.macs, 2 * 9 * 64 * 21);
  // q, k, v: 9·32·(2·4) each; output 9·(2·4)·32; QKᵀ and AV: 2·(4 + 4)·9·9
  assert.equal(mha.macs, 3 * 9 * 32 * 8 + 9 * 8 * 32 + 2 * 8 * 81);
});

test('an unknown time length: exact parameters, MACs unknown (a lower bound), never 0', () => {
  const m = only(`import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(None, 8)), layers.GRU(4), layers.Dense(1)])
`);
  assert.equal(m.totalParams, 3 * 4 * (8 + 4) + 2 * 12 + 5);
  assert.equal(m.paramsComplete, true);
  assert.equal(m.macsComplete, false);
  assert.deepEqual(m.layers.map((l) => l.macsKnown), [false, true]);
});

test('a unit count ConvLens cannot know: a warning that names it, totals marked as lower bounds', () => {
  const m = only(`import sys
import keras
from keras import layers
units = int(sys.argv[1])
model = keras.Sequential([keras.Input(shape=(10, 8)), layers.LSTM(units), layers.Dense(1)])
`);
  assert.equal(m.paramsComplete, false);
  assert.equal(m.complete, false);
  assert.equal(m.layers[0].paramsKnown, false);
  assert.ok(m.unmodelled.some((u) => u.name === 'LSTM' && u.reason.includes('units')), JSON.stringify(m.unmodelled));
  assert.ok(m.diagnostics.some((d) => d.severity === 'warning' && d.message.includes('units')));
});

test('a wrapped layer ConvLens does not catalogue: unknown counts and a warning, not 0', () => {
  const m = only(`import keras
from keras import layers
class Scale(layers.Layer):
    def call(self, x):
        return x * 2
model = keras.Sequential([keras.Input(shape=(5, 3)), layers.TimeDistributed(Scale()), layers.LSTM(2)])
`);
  assert.equal(m.paramsComplete, false);
  assert.equal(m.layers[0].paramsKnown, false);
  assert.ok(m.unmodelled.some((u) => u.name === 'TimeDistributed'), JSON.stringify(m.unmodelled));
});

test('Keras names: a MultiHeadAttention build takes the softmax and dropout names', () => {
  const m = only(`import keras
from keras import layers
x = keras.Input(shape=(6, 8))
y = layers.MultiHeadAttention(2, 4)(x, x)
y = layers.Dropout(0.1)(y)
model = keras.Model(x, y)
`);
  // Keras 3.15.1: input_layer, multi_head_attention, dropout_1
  assert.deepEqual(m.layers.map((l) => l.path), ['input_layer', 'multi_head_attention', 'dropout_1']);
});

/** A token + position embedding layer whose positions come from `positions` (a Python expression). */
const tokenAndPosition = (imports: string, positions: string) => `import keras
from keras import layers
${imports}
class TokenAndPosition(layers.Layer):
    def __init__(self):
        super().__init__()
        self.tokens = layers.Embedding(100, 8)
        self.positions = layers.Embedding(20, 8)
    def call(self, x):
        return self.tokens(x) + self.positions(${positions})
inputs = keras.Input(shape=(20,))
model = keras.Model(inputs, TokenAndPosition()(inputs))
`;

test('a layer called on a value ConvLens cannot compute: its weights are unknown and said so, never left out silently', () => {
  const m = only(tokenAndPosition('from mystery import positions_of', 'positions_of(20)'));
  assert.equal(m.paramsComplete, false);
  assert.equal(m.layers.find((l) => l.type === 'TokenAndPosition')?.paramsKnown, false);
  assert.ok(m.unmodelled.some((u) => u.name === 'Embedding' && u.missing.includes('params')), JSON.stringify(m.unmodelled));
});

test('keras.ops.arange positions: the position table is counted', () => {
  const m = only(tokenAndPosition('from keras import ops', 'ops.arange(0, 20, 1)'));
  assert.deepEqual([m.totalParams, m.paramsComplete], [100 * 8 + 20 * 8, true]);
  assert.deepEqual(m.outputShape, [null, 20, 8]);
});
