// Widths computed with tensor arithmetic at construction time (torchvision's RegNet recipe) come
// out as PyTorch computes them: the expected lists are what torch 1.13 prints for this code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const RECIPE = `import math
import torch
import torch.nn as nn
depth, w_0, w_a, w_m = 22, 24, 24.48, 2.54
widths_cont = torch.arange(depth) * w_a + w_0
block_capacity = torch.round(torch.log(widths_cont / w_0) / math.log(w_m))
block_widths = (torch.round(torch.divide(w_0 * torch.pow(w_m, block_capacity), 8)) * 8).int().tolist()
splits = [w != wp or r != rp for w, wp, r, rp in zip(block_widths + [0], [0] + block_widths, block_widths + [0], [0] + block_widths)]
stage_widths = [w for w, t in zip(block_widths, splits[:-1]) if t]
stage_depths = torch.diff(torch.tensor([d for d, t in enumerate(splits) if t])).int().tolist()

class Widths(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(w, d) for w, d in zip(stage_widths, stage_depths)])
    def forward(self, x):
        return x
`;

test('RegNet-style width recipe: stage widths [24, 64, 152, 392], depths [1, 2, 7, 12]', () => {
  const report = analyzeSource('/ws/regnet_widths.py', RECIPE, { entry: 'Widths()', input: [1, 24] });
  const linears = report.models[0].parameters.filter((p) => p.name.endsWith('.weight')).map((p) => p.shape);
  assert.deepEqual(linears, [[1, 24], [2, 64], [7, 152], [12, 392]]);
});

test('tensors from the model input never pretend to know their values', () => {
  const src = 'import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        n = int(x.sum().item())\n        return self.fc(x)\n';
  const report = analyzeSource('/ws/m.py', src, { entry: 'M()', input: [1, 4] });
  assert.deepEqual(report.models[0].outputShape, [1, 2]);
});

const UNIQUE_RECIPE = `import math
import torch
import torch.nn as nn
slope, w0, wm, depth, q = 36.44, 24, 2.49, 13, 8
cont = torch.arange(depth, dtype=torch.float32) * slope + w0
exps = torch.round(torch.log(cont / w0) / math.log(wm))
widths = torch.round((w0 * torch.pow(wm, exps)) / q) * q
num_stages, max_stage = len(torch.unique(widths)), int(exps.max().item()) + 1
stage_widths, stage_depths = torch.unique(torch.tensor(widths.int().tolist()), return_counts=True)

class Stages(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(w, d) for w, d in zip(stage_widths.tolist(), stage_depths.tolist())])
        self.head = nn.Linear(num_stages, max_stage + int(widths.min().item()))
    def forward(self, x):
        return x
`;

test('torch.unique with return_counts and max()/min().item() of constant tensors (timm RegNet stages): widths [24, 56, 152, 368], depths [1, 1, 4, 7]', () => {
  const report = analyzeSource('/ws/regnet_unique.py', UNIQUE_RECIPE, { entry: 'Stages()', input: [1, 24] });
  const linears = report.models[0].parameters.filter((p) => p.name.endsWith('.weight')).map((p) => p.shape);
  assert.deepEqual(linears, [[1, 24], [1, 56], [4, 152], [7, 368], [28, 4]]);
});

const FLIP_RECIPE = `import torch
import torch.nn as nn
blocks = (4 ** torch.arange(3, dtype=torch.long)).flip(0).tolist()
grid = torch.tensor([[1, 2, 3], [4, 5, 6]])
corner = torch.flip(grid, dims=[0, 1]).tolist()[0][0] + grid.flip(-1).tolist()[1][0]

class Levels(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(b, corner) for b in blocks])
    def forward(self, x):
        return x
`;

test('flip keeps the values of constant tensors, reversed along its dims (NesT: blocks per level [16, 4, 1])', () => {
  const report = analyzeSource('/ws/nest_blocks.py', FLIP_RECIPE, { entry: 'Levels()', input: [1, 16] });
  const linears = report.models[0].parameters.filter((p) => p.name.endsWith('.weight')).map((p) => p.shape);
  assert.deepEqual(linears, [[12, 16], [12, 4], [12, 1]]);
});

const MESHGRID_RECIPE = `import torch
import torch.nn as nn
rows, cols = torch.meshgrid(torch.arange(2), torch.arange(3), indexing='ij')
xs, ys = torch.meshgrid([torch.arange(2), torch.arange(3)], indexing='xy')
pos = torch.stack((rows, cols)).flatten(1)
rel = (pos[..., :, None] - pos[..., None, :]).abs()
index = rel[0] * 3 + rel[1]

class Bias(nn.Module):
    def __init__(self):
        super().__init__()
        self.table = nn.Parameter(torch.zeros(4, int(index.max().item()) + 1))
        self.grid = nn.Linear(xs.shape[0], ys.shape[1] + cols.tolist()[1][2])
        self.register_buffer('index', index)
    def forward(self, x):
        return x + self.table[:, self.index]
`;

test('torch.meshgrid (ij and xy, tensors or a list) gives grids with their values (relative-position bias index, 4x6x6)', () => {
  const report = analyzeSource('/ws/rel_index.py', MESHGRID_RECIPE, { entry: 'Bias()', input: [1, 4, 6, 6] });
  const m = report.models[0];
  assert.deepEqual(m.parameters.map((p) => p.shape), [[4, 6], [4, 3], [4]]);
  assert.deepEqual(m.outputShape, [1, 4, 6, 6]);
});

test('constant tensors of different shapes broadcast their values ((2, 1) + (3,), (2, 3) * (2, 1))', () => {
  const src = 'import torch\nimport torch.nn as nn\ncol = torch.tensor([[1], [2]])\nrow = torch.tensor([10, 20, 30])\nwidths = (col + row).flatten().tolist() + (torch.arange(6).reshape(2, 3) * torch.tensor([[2], [3]])).view(-1).tolist()[3:]\nclass W(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layers = nn.ModuleList([nn.Linear(w, 1) for w in widths])\n    def forward(self, x):\n        return x\n';
  const report = analyzeSource('/ws/bcast.py', src, { entry: 'W()', input: [1, 2] });
  const ins = report.models[0].parameters.filter((p) => p.name.endsWith('.weight')).map((p) => p.shape[1]);
  assert.deepEqual(ins, [11, 21, 31, 12, 22, 32, 9, 12, 15]);
});

test('torch.div of Python ints with rounding_mode is a 0-d tensor of known value, and a view takes it as a size', () => {
  // a ShuffleNet channel shuffle; PyTorch 1.13: torch.div(18, 4, rounding_mode='floor') is tensor(4), the view
  // (1, 4, 4, 5, 5) after the 1×1 conv to 16 channels; 'trunc' keeps the value unknown but the shape of a scalar
  const src = `import torch
import torch.nn as nn
class Shuffle(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 1)
    def forward(self, x):
        x = self.conv(x)
        n, c, h, w = x.size()
        per = torch.div(c + 2, 4, rounding_mode='floor')
        q = torch.div(c, 3, rounding_mode='trunc')
        x = x.view(n, 4, per, h, w)
        return torch.transpose(x, 1, 2).contiguous().view(n, -1, h, w)
`;
  const [m] = analyzeSource('/ws/shuffle.py', src, { entry: 'Shuffle()', input: [1, 3, 5, 5] }).models;
  assert.deepEqual(m.outputShape, [1, 16, 5, 5]);
  const at = (line: number) => m.statements.find((s) => s.range.line === line)?.targets.map((t) => t.shapes);
  assert.deepEqual(at(10), [[[]]]);
  assert.deepEqual(at(11), [[[]]]);
  assert.deepEqual(at(12), [[[1, 4, 4, 5, 5]]]);
});
