// Functional pooling calls reach the graph under the names F gives them, so the training engine,
// which builds its network from that graph, can train models written with F.max_pool2d.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../../engine/analyze';
import { buildNetwork } from '../../../engine/train/graph/build';

test('F.max_pool2d and F.adaptive_avg_pool2d are graph ops max_pool2d and adaptive_avg_pool2d, and train', () => {
  const src = [
    'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', '# convlens: input=(1, 1, 12, 12)',
    'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.conv = nn.Conv2d(1, 4, 3)', '        self.fc = nn.Linear(4, 2)',
    '    def forward(self, x):', '        x = F.max_pool2d(F.relu(self.conv(x)), 2)',
    '        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))',
  ].join('\n');
  const model = analyzeSource('/ws/net.py', src).models[0];
  assert.deepEqual(model.graph.filter((n) => n.kind === 'op' && /pool/.test(n.type)).map((n) => n.type), ['max_pool2d', 'adaptive_avg_pool2d']);
  assert.doesNotThrow(() => buildNetwork(model));
});

test('the LeNet fixture written with F.max_pool2d builds a trainable network', () => {
  const file = join(__dirname, '../../fixtures/pytorch/01_lenet_mnist.py');
  const model = analyzeSource(file, readFileSync(file, 'utf8'), { entry: 'LeNet()', input: [1, 1, 28, 28] }).models[0];
  assert.equal(buildNetwork(model).state.length, 10);
});
