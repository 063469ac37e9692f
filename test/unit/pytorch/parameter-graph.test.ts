// Tensors made while the model was built (parameters, constants, buffers) take part in the forward pass's
// graph: an op they start (`self.layer_scale * x`, `self.pe[:, :n] + x`) is recorded in the trace, not in
// the graph of their making (torchvision's ConvNeXt lost its layer-scale products and residual adds, and the
// next block read node ids of another graph).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import { buildNetwork, UnsupportedModel } from '../../../engine/train/graph/build';
import type { GraphNode, ModelReport } from '../../../engine/report/types';
import { graphStorages } from '../../../engine/memory/storages';

const model = (body: string[], input = '(1, 4, 6, 6)'): ModelReport => analyzeSource('/ws/net.py', [
  'import torch', 'import torch.nn as nn', `# convlens: input=${input}`, 'class Net(nn.Module):', ...body.map((l) => `    ${l}`),
].join('\n')).models[0];

/** Every input of every node is an earlier node of the same graph. */
function wellFormed(graph: GraphNode[]): void {
  graph.forEach((n, i) => assert.ok(n.inputs.every((id) => graph.findIndex((m) => m.id === id) < i && id >= 0), `${n.type} reads ${n.inputs}`));
}

test('CNBlock: the parameter on the left of * and the in-place += are nodes of the trace, in order', () => {
  const m = model([
    'def __init__(self):', '    super().__init__()', '    self.conv = nn.Conv2d(4, 4, 3, padding=1)',
    '    self.layer_scale = nn.Parameter(torch.ones(4, 1, 1) * 1e-6)',
    'def forward(self, input):', '    result = self.layer_scale * self.conv(input)', '    result += input', '    return self.conv(result)',
  ]);
  wellFormed(m.graph);
  assert.deepEqual(m.graph.map((n) => n.type), ['input', 'Conv2d', 'parameter', 'mul', 'add', 'Conv2d']);
  const [, conv, param, mul, add, last] = m.graph;
  assert.deepEqual(param.config, { name: 'layer_scale', shape: [4, 1, 1] });
  assert.equal(param.path, '');
  assert.deepEqual(mul.inputs, [param.id, conv.id]);
  assert.deepEqual(add.inputs, [mul.id, 0]);
  // `+=` writes into the product's storage, as PyTorch does; `x = x + y` would make a new one
  assert.equal(add.config.inplace, true);
  const g = graphStorages(m);
  assert.equal(g.storageOf[add.id], g.storageOf[mul.id]);
  assert.deepEqual(last.inputs, [add.id]);
  assert.deepEqual(m.outputShape, [1, 4, 6, 6]);
});

test('only a += or -= that keeps the target\'s shape is in place; *= is recorded as its out-of-place op', () => {
  const m = model([
    'def forward(self, x):', '    y = x.mean(1, keepdim=True)', '    y += x', '    x = x * 1', '    x *= 2', '    x -= 1', '    return x + y',
  ]);
  assert.deepEqual(m.graph.filter((n) => n.kind === 'op').map((n) => [n.type, n.config.inplace === true]),
    [['mean', false], ['add', false], ['mul', false], ['mul', false], ['sub', true], ['add', false]]);
});

test('a parameter read twice is one node; a submodule\'s parameter is named by its module path', () => {
  const m = model([
    'def __init__(self):', '    super().__init__()', '    self.inner = nn.Module()',
    '    self.inner.gate = nn.Parameter(torch.zeros(4, 1, 1))',
    'def forward(self, x):', '    return x * self.inner.gate - self.inner.gate',
  ]);
  wellFormed(m.graph);
  const params = m.graph.filter((n) => n.type === 'parameter');
  assert.equal(params.length, 1);
  assert.equal(params[0].path, 'inner');
  assert.equal(params[0].config.name, 'gate');
  assert.deepEqual(m.graph.find((n) => n.type === 'sub')?.inputs, [m.graph.find((n) => n.type === 'mul')!.id, params[0].id]);
  assert.doesNotThrow(() => buildNetwork(m));
});

test('a constant and a buffer made in __init__ are constant nodes of the trace; ops they start are recorded there', () => {
  const m = model([
    'def __init__(self):', '    super().__init__()', '    self.scale = torch.ones(1, 4, 1, 1)',
    '    self.register_buffer("pe", torch.zeros(1, 4, 10, 6))',
    'def forward(self, x):', '    x = self.scale * x', '    return self.pe[:, :, :x.size(2)] + x',
  ]);
  wellFormed(m.graph);
  assert.deepEqual(m.graph.map((n) => n.type), ['input', 'constant', 'mul', 'constant', 'index', 'add']);
  assert.deepEqual(m.outputShape, [1, 4, 6, 6]);
});

test('a parameter the model does not register (made in forward) is a node the trainer refuses, as PyTorch would not train it', () => {
  const m = model(['def forward(self, x):', '    return nn.Parameter(torch.ones(4, 1, 1)) * x']);
  wellFormed(m.graph);
  const p = m.graph.find((n) => n.type === 'parameter');
  assert.ok(p && p.path === undefined);
  assert.throws(() => buildNetwork(m), (e: unknown) => e instanceof UnsupportedModel
    && e.problems.some((q) => q.type === 'parameter' && /does not register/.test(q.why)));
});
