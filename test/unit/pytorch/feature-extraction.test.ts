// torchvision's create_feature_extractor without torch.fx (fixture 147 holds the cases checked against PyTorch's
// goldens): what a forward reads by name is kept, and whatever ConvLens cannot follow leaves the extractor unknown,
// named in a warning, with the totals around it lower bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const net = (extractor: string, forward: string) => ['import torch, torch.nn as nn, torchvision',
  'from torchvision.models.feature_extraction import create_feature_extractor',
  'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
  `        self.body = ${extractor}`, '        self.fc = nn.Linear(4, 3)',
  '    def forward(self, x):', `        return self.fc(${forward})`,
  'model = Net()', 'model(torch.randn(1, 3, 64, 64))'].join('\n');

const unknownBody = (src: string) => {
  const m = analyzeSource('/ws/net.py', src).models[0];
  assert.deepEqual([m.complete, m.paramsComplete, m.totalParams], [false, false, 15]);
  const w = m.diagnostics.filter((d) => d.code === 'unmodelled');
  assert.equal(w.length, 1);
  return w[0].message;
};

test('Swin reads its attention weights by name (F.linear(x, self.qkv.weight)): they are kept, the head is not', () => {
  // PyTorch 1.13 + torchvision 0.14: sum(p.numel() for p in extractor.parameters()) is 27,519,354
  const src = ['import torchvision', 'from torchvision.models.feature_extraction import create_feature_extractor',
    'model = create_feature_extractor(torchvision.models.swin_t(), return_nodes={"features.5": "s3", "norm": "n"})'].join('\n');
  const m = analyzeSource('/ws/net.py', src, { input: [1, 3, 224, 224] }).models.find((x) => x.name === 'model');
  assert.equal(m?.totalParams, 27_519_354);
});

test('a return node the forward never reaches: unknown, named, never a count of what the model holds', () => {
  const src = net('create_feature_extractor(nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU()), return_nodes=["2"])',
    'self.body(x)["2"].mean((2, 3))');
  assert.match(unknownBody(src), /no module of the model/);
  const unused = ['import torch.nn as nn', 'class Two(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.a = nn.Conv2d(3, 4, 3)', '        self.spare = nn.Conv2d(4, 4, 3)', '    def forward(self, x):',
    '        return self.a(x)', ''].join('\n');
  const src2 = unused + net('create_feature_extractor(Two(), return_nodes=["spare"])', 'self.body(x)["spare"].mean((2, 3))');
  const m = analyzeSource('/ws/net.py', src2).models.find((x) => x.name === 'model');
  assert.deepEqual([m?.complete, m?.paramsComplete, m?.totalParams], [false, false, 15]);
  assert.ok(m?.diagnostics.some((d) => d.code === 'unmodelled' && /'spare' is not reached/.test(d.message)));
});

test('a forward that raises when run to find the order of its layers: the extractor is unknown and says why', () => {
  const bad = ['import torch.nn as nn', 'class Bad(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.a = nn.Conv2d(3, 4, 3)', '    def forward(self, x):', '        raise RuntimeError("no")', ''].join('\n');
  const src = bad + net('create_feature_extractor(Bad(), return_nodes=["a"])', 'self.body(x)["a"].mean((2, 3))');
  const m = analyzeSource('/ws/net.py', src).models.find((x) => x.name === 'model');
  assert.deepEqual([m?.complete, m?.paramsComplete, m?.totalParams], [false, false, 15]);
  assert.ok(m?.diagnostics.some((d) => d.code === 'unmodelled' && /raised RuntimeError on a symbolic input/.test(d.message)));
});

test('get_graph_node_names lists torch.fx nodes ConvLens does not have: unknown, never an empty list', () => {
  const src = ['import torch.nn as nn, torchvision', 'from torchvision.models.feature_extraction import get_graph_node_names',
    'train, evaluated = get_graph_node_names(torchvision.models.resnet18())',
    'model = nn.Linear(len(evaluated), 2)'].join('\n');
  const m = analyzeSource('/ws/net.py', src).models.find((x) => x.name === 'model');
  assert.notEqual(m?.paramsComplete, true);
});
