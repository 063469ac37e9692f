// Where a model is placed (its CodeLens): above its class, or above the function that builds it,
// and on the line of the file that builds it — for PyTorch and Keras alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const SRC = [
  'import torch.nn as nn', 'from tensorflow import keras', 'from tensorflow.keras import layers', '',
  'def make_model(classes=10):', '    net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())', '    return net', '',
  'def build_keras(classes=10):', '    inputs = keras.Input(shape=(32, 32, 3))', '    x = layers.Conv2D(8, 3)(inputs)',
  '    return keras.Model(inputs, layers.Dense(classes)(x))', '',
  'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, 2)',
  '    def forward(self, x):', '        return self.fc(x)', '',
  'model = make_model()', 'kmodel = build_keras(5)', 'net = Net()', 'top = nn.Sequential(nn.Linear(2, 2))',
].join('\n');

test('a model built by a function: on the line that builds it, defined at the def', () => {
  const places = analyzeSource('/ws/m.py', SRC).models.map((m) => [m.name, m.line, m.definitionLine]);
  assert.deepEqual(places, [['model', 21, 5], ['kmodel', 22, 9], ['net', 23, 14], ['top', 24, undefined]]);
});
