// Lazy layers: what PyTorch does at the first call (numbers from torch 1.13, noted per test), and
// what the engine says when it cannot know the inferred size — never a count of 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import type { ModelReport } from '../../../engine/report/types';

const model = (init: string, forward: string, header = '') => [
  'import torch', 'import torch.nn as nn', header, 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
  ...init.split('\n').map((l) => `        ${l}`), '    def forward(self, x):', ...forward.split('\n').map((l) => `        ${l}`),
].join('\n');

const analyze = (src: string, input?: number[]): ModelReport => {
  const models = analyzeSource('/ws/net.py', src, input ? { input } : {}).models;
  assert.equal(models.length, 1);
  return models[0];
};
const row = (m: ModelReport, path: string) => m.layers.find((r) => r.path === path);
const node = (m: ModelReport, path: string) => m.modules.find((n) => n.path === path);

test('the first call decides: PyTorch types, isinstance and in_channels before and after it', () => {
  // torch 1.13 on a (5, 16, 16) unbatched input: conv Conv2d 184 params (channels from dim 0),
  // extra Conv2d 20, before Identity, fc Linear 45 (in_features 14 from the last dim); output (4, 14, 3)
  const m = analyze(model(
    'self.conv = nn.LazyConv2d(4, 3)\nself.extra = nn.Conv2d(4, 4, 1)\nself.before = nn.Identity()\nself.fc = nn.LazyLinear(3)',
    'if type(self.conv) == nn.LazyConv2d and isinstance(self.conv, nn.Conv2d):\n    x = self.before(x)\nx = self.conv(x)\n'
    + 'if type(self.conv) == nn.Conv2d and self.conv.in_channels == 5:\n    x = self.extra(x)\nreturn self.fc(x)',
  ), [5, 16, 16]);
  assert.deepEqual(m.layers.map((r) => [r.path, r.type, r.params]), [['before', 'Identity', 0], ['conv', 'Conv2d', 184], ['extra', 'Conv2d', 20], ['fc', 'Linear', 45]]);
  assert.deepEqual(m.outputShape, [4, 14, 3]);
  assert.deepEqual(m.parameters.map((p) => p.name), ['conv.weight', 'conv.bias', 'extra.weight', 'extra.bias', 'fc.weight', 'fc.bias']);
  assert.equal(m.totalParams, 249);
  assert.ok(m.complete);
});

test('a call in the file initialises the layers: the report counts them with that input', () => {
  const src = `${model('self.conv = nn.LazyConv2d(8, 3, bias=False)\nself.bn = nn.LazyBatchNorm2d()', 'return self.bn(self.conv(x))')}\n`
    + 'net = Net()\nnet(torch.randn(1, 3, 10, 10))\n';
  const m = analyze(src);
  assert.equal(m.inputShapeSource, 'call');
  // 8·3·3·3 = 216 weights, no bias; BatchNorm2d(8): 16
  assert.deepEqual(m.layers.map((r) => [r.type, r.params, r.paramsKnown]), [['Conv2d', 216, true], ['BatchNorm2d', 16, true]]);
  assert.ok(m.paramsComplete);
});

test('no input shape anywhere: the lazy layer has no size yet, its parameters are unknown, not 0', () => {
  const m = analyze(model('self.conv = nn.LazyConv2d(8, 3)\nself.fc = nn.Linear(8, 2)', 'return self.fc(self.conv(x).mean((2, 3)))'));
  assert.equal(m.inputShapeSource, 'symbolic');
  const conv = row(m, 'conv');
  assert.equal(conv?.type, 'LazyConv2d');
  assert.equal(conv?.paramsKnown, false);
  assert.equal(conv?.macsKnown, false);
  assert.deepEqual(conv?.outputShape, ['N', 8, 'H-2', 'W-2']);
  assert.equal(node(m, 'conv')?.paramsKnown, false);
  assert.equal(node(m, '')?.paramsKnown, false);
  assert.equal(m.paramsComplete, false);
  assert.equal(m.complete, false);
  // the known part is a lower bound: the Linear's 18
  assert.equal(m.totalParams, 18);
  const warn = m.diagnostics.find((d) => d.code === 'lazy-uninitialized');
  assert.equal(warn?.severity, 'warning');
  assert.equal(warn?.line, 7);
  assert.match(warn?.message ?? '', /LazyConv2d `conv` takes in_channels from its first input/);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.path, u.missing]), [['LazyConv2d', 'conv', ['params', 'macs']]]);
  // the engine's own complaint about an unknown in_channels would only repeat the warning
  assert.ok(!m.diagnostics.some((d) => d.code === 'unknown-argument'));
});

test('a lazy layer after an op the engine cannot see into: unknown, warned, the model incomplete', () => {
  const src = model('self.conv = nn.Conv2d(3, 8, 3)\nself.fc = nn.LazyLinear(10)', 'x = mystery(self.conv(x))\nreturn self.fc(x)', 'from elsewhere import mystery');
  const m = analyze(src, [1, 3, 16, 16]);
  const fc = row(m, 'fc');
  assert.equal(fc?.type, 'LazyLinear');
  assert.equal(fc?.paramsKnown, false);
  assert.equal(fc?.macsKnown, false);
  assert.equal(row(m, 'conv')?.params, 224);
  assert.equal(m.totalParams, 224);
  assert.equal(m.paramsComplete, false);
  assert.equal(m.macsComplete, false);
  assert.ok(m.diagnostics.some((d) => d.code === 'lazy-uninitialized' && d.severity === 'warning' && /`fc`/.test(d.message)));
  assert.deepEqual(m.parameters.find((p) => p.name === 'fc.weight')?.name, 'fc.weight');
});

test('a lazy layer never called keeps its parameters unknown (PyTorch cannot count them either)', () => {
  const m = analyze(model('self.conv = nn.Conv2d(3, 8, 3)\nself.spare = nn.LazyLinear(5)', 'return self.conv(x)'), [1, 3, 8, 8]);
  assert.equal(row(m, 'spare'), undefined);
  assert.equal(node(m, 'spare')?.paramsKnown, false);
  assert.equal(node(m, '')?.paramsKnown, false);
  assert.equal(m.totalParams, 224);
  assert.equal(m.paramsComplete, false);
  const warn = m.diagnostics.find((d) => d.code === 'lazy-uninitialized');
  assert.match(warn?.message ?? '', /LazyLinear `spare` is never called, so its in_features/);
  assert.deepEqual(m.unmodelled.map((u) => [u.path, u.missing]), [['spare', ['params']]]);
});

test('an input of the wrong rank raises where PyTorch raises', () => {
  // torch 1.13: RuntimeError: Expected 3D (unbatched) or 4D (batched) input to LazyConv2d, but got input of size: [2, 5]
  const m = analyze(model('self.conv = nn.LazyConv2d(4, 3)', 'return self.conv(x)'), [2, 5]);
  const failure = m.diagnostics.find((d) => d.code === 'forward-raised');
  assert.match(failure?.message ?? '', /RuntimeError: Expected 3D \(unbatched\) or 4D \(batched\) input to LazyConv2d/);
  assert.equal(m.paramsComplete, false);
});

test('the traces that search for an input size do not leave their guesses behind: each starts lazy again', () => {
  // `fc` pins 50 features: a 7×7 input (2·5·5). The search traces other sizes first; each one
  // initialises `lazy` with its own feature count, and the report's trace must see it lazy again.
  const src = model('self.conv = nn.Conv2d(3, 2, 3)\nself.fc = nn.Linear(50, 10)\nself.lazy = nn.LazyLinear(5)',
    'f = torch.flatten(self.conv(x), 1)\nreturn torch.cat([self.fc(f), self.lazy(f)], 1)');
  const m = analyze(src);
  assert.equal(m.inputShapeSource, 'inferred');
  assert.deepEqual(m.inputShape, ['N', 3, 7, 7]);
  assert.deepEqual(row(m, 'lazy')?.params, 5 * 50 + 5);
  assert.deepEqual(m.diagnostics.filter((d) => d.severity !== 'info'), []);
  assert.deepEqual(m.outputShape, ['N', 15]);
});

test('an unresolved helper wrapping a lazy layer inside a Sequential is not dropped silently', () => {
  // from a public DQN file: nn.Sequential(…, nn.Flatten(), init_chainer_default(nn.LazyLinear(1000))) with pfrl not importable
  const src = model('self.q = nn.Sequential(nn.LazyConv2d(16, 3), nn.Flatten(), init_fn(nn.LazyLinear(10)))', 'return self.q(x)',
    'from pfrl.initializers import init_fn');
  const m = analyze(src, [1, 4, 8, 8]);
  assert.equal(m.outputShape, null);
  assert.equal(m.paramsComplete, false);
  assert.equal(m.complete, false);
  const warn = m.diagnostics.find((d) => d.code === 'unmodelled');
  assert.equal(warn?.severity, 'warning');
  assert.equal(warn?.line, 7);
  assert.match(warn?.message ?? '', /init_fn/);
  assert.deepEqual(m.unmodelled.map((u) => u.path), ['q.2']);
});
