// The module tree's MACs (the summary's tree rows): each node holds the MACs of the rows in its subtree, once.
// A model that is itself one layer (`model = nn.Conv2d(3, 8, 3)`) had its root counted twice (388,800 for
// Conv2d(3, 8, 3) on 32×32, whose 8·3·3·3 weights meet 30·30 output positions: 194,400 by the lecture's formula).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';

test('a model that is one layer: the root of its module tree has the layer\'s MACs once', () => {
  const src = 'import torch\nimport torch.nn as nn\nmodel = nn.Conv2d(3, 8, 3)\ny = model(torch.randn(1, 3, 32, 32))\n';
  const [m] = analyzeSource('/ws/one.py', src).models;
  assert.equal(m.macs, 8 * 3 * 3 * 3 * 30 * 30);
  assert.deepEqual(m.modules.map((n) => [n.path, n.macs]), [['', 194_400]]);
});

test('every node of a nested model\'s tree holds the MACs of the rows under it', () => {
  const src = `import torch
import torch.nn as nn
class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = nn.Conv2d(c, c, 3, padding=1)
        self.b = nn.Conv2d(c, c, 1)
    def forward(self, x):
        return self.b(self.a(x))
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3)
        self.blocks = nn.Sequential(Block(8), Block(8))
        self.head = nn.Linear(8, 10)
    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(x.mean((2, 3)))
model = Net()
y = model(torch.randn(1, 3, 16, 16))
`;
  const [m] = analyzeSource('/ws/nested.py', src).models;
  const under = (path: string) => m.layers.filter((r) => path === '' || r.path === path || r.path.startsWith(`${path}.`))
    .reduce((n, r) => n + r.macs, 0);
  // 14×14 after the stem: 8·3·9·196 = 42,336; each block 8·8·9·196 + 8·8·196 = 125,440; the head 80
  assert.equal(m.macs, 42_336 + 2 * 125_440 + 80);
  for (const node of m.modules) assert.equal(node.macs, under(node.path), node.path || '(root)');
  assert.equal(m.modules.find((n) => n.path === '')?.macs, m.macs);
  assert.equal(m.modules.find((n) => n.path === 'blocks.1')?.macs, 125_440);
});
