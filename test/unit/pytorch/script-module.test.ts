// Blocks written against the old TorchScript API (`class B(torch.jit.ScriptModule)` with
// `@torch.jit.script_method` forward, as in stochastic-depth ResNets). Torch's forward hooks refuse
// ScriptModules, so no golden can be traced: the totals are what torch prints for this model
// (sum of parameters, output shape) and the MACs are counted by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const src = `import torch
import torch.nn as nn

class Block(torch.jit.ScriptModule):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.bn = nn.BatchNorm2d(c)
        self.p = torch.tensor(0.5).float()

    @torch.jit.script_method
    def forward(self, x):
        return self.bn(self.conv(x)) * self.p + x

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(4), Block(4))
        self.fc = nn.Linear(4 * 8 * 8, 10)

    def forward(self, x):
        return self.fc(self.blocks(x).flatten(1))
`;

test('a torch.jit.ScriptModule subclass is a module: its layers, parameters and MACs count', () => {
  const m = analyzeSource('/ws/net.py', src, { entry: 'Net()', input: [1, 4, 8, 8] }).models[0];
  assert.equal(m.totalParams, 2882); // torch: sum(p.numel() for p in Net().parameters())
  assert.deepEqual(m.outputShape, [1, 10]);
  // two 3×3 convs 4→4 on 8×8 (4·9·4·64 each) and the linear layer 256·10
  assert.equal(m.macs, 2 * 4 * 9 * 4 * 64 + 256 * 10);
  assert.deepEqual(m.layers.map((r) => r.path), ['blocks.0.conv', 'blocks.0.bn', 'blocks.1.conv', 'blocks.1.bn', 'fc']);
});
