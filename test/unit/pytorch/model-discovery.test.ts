// Which module-level values are models. A module built inside another model is a block of it: the
// file's own classes by class (a `Block` used in `Net`), library classes by identity — an
// nn.Sequential holding nn.Sequentials is a model (it was "no model found" while classes decided).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const names = (src: string) => analyzeSource('/ws/net.py', src).models.map((m) => [m.name, m.totalParams]);

test('an nn.Sequential of nn.Sequentials is a model; its parts bound to names are blocks of it', () => {
  // Conv2d(3, 8, 3) = 224, Linear(8, 2) = 18
  assert.deepEqual(names('import torch.nn as nn\nmodel = nn.Sequential(nn.Sequential(nn.Conv2d(3, 8, 3)), nn.ReLU())\n'),
    [['model', 224]]);
  const parts = ['import torch.nn as nn', 'features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())',
    'head = nn.Sequential(nn.Linear(8, 2))', 'other = nn.Sequential(nn.Linear(8, 2))', 'model = nn.Sequential(features, head)'];
  assert.deepEqual(names(parts.join('\n')), [['other', 18], ['model', 242]]);
});

test('a class of the file used inside another model is a block wherever it is built', () => {
  const src = ['import torch.nn as nn', 'class Block(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.c = nn.Conv2d(3, 3, 1)', '    def forward(self, x):', '        return self.c(x)',
    'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.b = Block()',
    '    def forward(self, x):', '        return self.b(x)', 'block = Block()', 'model = Net()'].join('\n');
  assert.deepEqual(names(src), [['model', 12]]);
});

test('a loss built at module level is no model (a notebook\'s criterion = nn.CrossEntropyLoss())', () => {
  const src = 'import torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())\ncriterion = nn.CrossEntropyLoss()\n';
  assert.deepEqual(names(src), [['model', 224]]);
});
