// Functional convolutions and linears (F.conv2d, F.linear) with the model's own weights: their
// multiply-adds count once — in the row of the leaf module that runs them, or in a row of their own
// when a module with children runs them. Parameters and shapes from PyTorch 1.13 on these sources:
// weight (10, 3072) → 30,720 params, output (1, 10); Conv2d(3, 8, 3) + weight (16, 8, 3, 3) → 1,376
// params, (1, 16, 30, 30); a Conv2d subclass padding by 1 then calling F.conv2d → 224, (1, 8, 32, 32).
// MACs by the lecture's formula (C_out·C_in·k·k per output position; one per weight for a linear).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { summaryRows } from '../../../engine/report/summary-rows';
import { net } from './net-source';

test('F.linear in a leaf module with an nn.Parameter: its MACs are the module\'s', () => {
  const src = net('', 'self.w = nn.Parameter(torch.randn(10, 3072))', 'return F.linear(x.flatten(1), self.w)');
  const [m] = analyzeSource('/ws/net.py', src).models;
  assert.equal(m.totalParams, 30_720);
  assert.deepEqual(m.outputShape, [1, 10]);
  assert.equal(m.macs, 10 * 3072);
  assert.equal(m.complete, true);
});

test('F.conv2d run by a module with children is a row of its own', () => {
  const src = net('', 'self.conv = nn.Conv2d(3, 8, 3)\nself.w = nn.Parameter(torch.randn(16, 8, 3, 3))',
    'return F.conv2d(self.conv(x), self.w, padding=1)');
  const [m] = analyzeSource('/ws/net.py', src).models;
  assert.equal(m.totalParams, 1376);
  assert.deepEqual(m.outputShape, [1, 16, 30, 30]);
  const fn = m.layers.find((r) => r.type === 'F.conv2d');
  assert.equal(fn?.macs, 16 * 8 * 9 * 30 * 30);
  assert.equal(fn?.line, 11);
  assert.equal(m.macs, 8 * 3 * 9 * 30 * 30 + 16 * 8 * 9 * 30 * 30);
});

test('a Conv2d subclass that calls F.conv2d itself is counted once', () => {
  const src = `import torch
from torch import nn
import torch.nn.functional as F
class MyConv(nn.Conv2d):
    def forward(self, x):
        return F.conv2d(F.pad(x, (1, 1, 1, 1)), self.weight, self.bias, self.stride)
model = MyConv(3, 8, 3)
model(torch.randn(1, 3, 32, 32))
`;
  const [m] = analyzeSource('/ws/net.py', src).models;
  assert.equal(m.totalParams, 224);
  assert.deepEqual(m.outputShape, [1, 8, 32, 32]);
  assert.equal(m.macs, 8 * 3 * 9 * 32 * 32);
  assert.equal(m.layers.length, 1);
  assert.equal(summaryRows(m).length, 1, 'the summary shows the model once, not as a parent of itself');
});

test('a functional convolution whose stride is unknown makes the MACs a lower bound, never 0', () => {
  const src = net('from settings import cfg', 'self.w = nn.Parameter(torch.randn(8, 3, 3, 3))',
    'return F.conv2d(x, self.w, stride=cfg.stride)');
  const [m] = analyzeSource('/ws/net.py', src).models;
  assert.equal(m.totalParams, 216);
  assert.equal(m.complete, false);
  assert.equal(m.layers.find((r) => r.path === '')?.macsKnown, false);
});

test('F.linear counts per sample at any batch, as nn.Linear does (it counted the batch: 2× at batch 2)', () => {
  const run = (body: string, input: string) => analyzeSource('/ws/net.py', `import torch
from torch import nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(10, 784))
        self.fc = nn.Linear(784, 10, bias=False)
    def forward(self, x):
        return ${body}
model = Net()
model(torch.randn(${input}))
`).models[0];
  for (const input of ['2, 784', '4, 7, 784']) {
    const perSample = 784 * 10 * (input.split(',').length === 3 ? 7 : 1);
    assert.equal(run('F.linear(x, self.w)', input).macs, perSample, input);
    assert.equal(run('self.fc(x)', input).macs, perSample, input);
  }
});
