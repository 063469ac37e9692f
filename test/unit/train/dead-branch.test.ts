// A node the model's output does not depend on and the trainer cannot build (the indices torch.max returns and the
// code drops) is left out; but a layer with running statistics on such a branch would still update them in
// PyTorch's training, so leaving it out would train otherwise than PyTorch: it is named before Start instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { buildNetwork, UnsupportedModel } from '../../../engine/train/graph/build';

const model = (deadBranch: string): string => `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.bn = nn.BatchNorm1d(1)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        y = self.conv(x)
        best, idx = torch.max(y.flatten(1), 1)
${deadBranch}
        return self.fc(y.mean((2, 3)))

model = Net()
model(torch.randn(2, 1, 8, 8))
`;

test('a dead node that cannot be built is left out: the model trains', () => {
  const r = analyzeSource('/ws/net.py', model('        order = torch.argsort(best)')).models[0];
  assert.doesNotThrow(() => buildNetwork(r));
});

test('a BatchNorm fed by what cannot be built is named with its line, though the output does not read it', () => {
  const r = analyzeSource('/ws/net.py', model('        stats = self.bn(torch.argsort(best).float().unsqueeze(1))')).models[0];
  assert.throws(() => buildNetwork(r), (e: unknown) => {
    assert.ok(e instanceof UnsupportedModel);
    const bn = e.problems.find((p) => p.path === 'bn');
    assert.ok(bn, JSON.stringify(e.problems));
    assert.equal(bn.line, 8);
    assert.deepEqual(e.problems.map((p) => p.path), ['bn']);
    assert.match(bn.why, /running statistics/);
    return true;
  });
});
