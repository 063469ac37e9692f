// torch.Tensor and the legacy FloatTensor/LongTensor constructors, as YOLO code of the PyTorch 0.4
// era writes them: sizes as ints or a torch.Size, data as (nested) lists or tuples, or a tensor.
// The shapes are what PyTorch 1.13 gives for these very lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

function shapes(lines: string[]): Record<string, unknown> {
  const src = ['import torch', 'import torch.nn as nn', '# convlens: input=(2, 3, 4, 5)', 'class Net(nn.Module):',
    '    def forward(self, x):', ...lines.map((l) => `        ${l}`), '        return x'].join('\n');
  const m = analyzeSource('/ws/m.py', src).models[0];
  return Object.fromEntries(m.statements.flatMap((s) => s.targets.map((t) => [t.name, t.shapes[t.shapes.length - 1]])));
}

test('sizes, a torch.Size, data and a tensor give PyTorch\'s shapes', () => {
  const s = shapes([
    'a = torch.FloatTensor(3, 2)', 'b = torch.FloatTensor(x[..., :4].shape)', 'c = torch.FloatTensor([(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)])',
    'd = torch.LongTensor((7, 8))', 'e = torch.Tensor(x)',
  ]);
  assert.deepEqual([s.a, s.b, s.c, s.d, s.e], [[3, 2], [2, 3, 4, 4], [3, 2], [2], [2, 3, 4, 5]]);
});

test('anything else is an unknown shape, not a guess', () => {
  assert.deepEqual(shapes(['a = torch.FloatTensor("three")']).a, null);
});

test('repeat by keyword, as a ViT class token is expanded to the batch (PyTorch: (2, 1, 8))', () => {
  const src = ['import torch', 'import torch.nn as nn', '# convlens: input=(2, 4, 8)', 'class Net(nn.Module):',
    '    def __init__(self):', '        super().__init__()', '        self.cls = nn.Parameter(torch.zeros(1, 1, 8))',
    '    def forward(self, x):', '        c = self.cls.repeat(repeats=(x.size(0), 1, 1))', '        return torch.cat([c, x], dim=1)'].join('\n');
  assert.deepEqual(analyzeSource('/ws/m.py', src).models[0].outputShape, [2, 5, 8]);
});
