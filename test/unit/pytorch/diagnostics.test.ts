// Diagnostics of the foundation issue, each on a small model whose numbers are checked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const model = (body: string, forward: string, input = '(1, 3, 32, 32)') => [
  'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', `# convlens: input=${input}`,
  'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
  ...body.split('\n').map((l) => `        ${l}`), '    def forward(self, x):', ...forward.split('\n').map((l) => `        ${l}`),
].join('\n');

const codes = (src: string) => analyzeSource('/ws/net.py', src).models[0].diagnostics.map((d) => `${d.severity}:${d.code}:${d.line}`);

test('channel mismatch: a conv expecting 16 channels after one that gives 8', () => {
  assert.deepEqual(codes(model('self.a = nn.Conv2d(3, 8, 3)\nself.b = nn.Conv2d(16, 4, 3)', 'return self.b(self.a(x))')), ['error:channel-mismatch:9']);
});

test('spatial size below 1: a 5×5 kernel on a 3×3 input', () => {
  assert.ok(codes(model('self.a = nn.Conv2d(3, 8, 5)', 'return self.a(x)', '(1, 3, 3, 3)')).includes('error:size-below-one:8'));
});

test('residual + of different channel counts', () => {
  const c = codes(model('self.a = nn.Conv2d(3, 8, 3, padding=1)', 'return self.a(x) + x'));
  assert.deepEqual(c, ['error:add-mismatch:10']);
});

test('torch.cat of different spatial sizes', () => {
  const c = codes(model('self.a = nn.Conv2d(3, 8, 3)', 'return torch.cat([self.a(x), x], dim=1)'));
  assert.deepEqual(c, ['error:cat-mismatch:10']);
});

test("padding='same' with stride 2 is an error, as PyTorch raises", () => {
  assert.ok(codes(model("self.a = nn.Conv2d(3, 8, 3, stride=2, padding='same')", 'return self.a(x)')).includes('error:same-padding-stride:8'));
});

test('a call ConvLens cannot see into says that shapes after it are unknown', () => {
  const src = model('self.a = nn.Conv2d(3, 8, 3)', 'return mystery_op(self.a(x))').replace('import torch\n', 'import torch\nfrom somewhere import mystery_op\n');
  const report = analyzeSource('/ws/net.py', src);
  const warning = report.models[0].diagnostics.find((d) => d.code === 'unmodelled');
  assert.equal(warning?.severity, 'warning');
  assert.match(warning?.message ?? '', /^mystery_op \(from the unresolved import 'somewhere'\) is not modelled: the shapes after line \d+ are unknown$/);
  assert.ok(report.diagnostics.some((d) => d.code === 'unresolved-import'));
});

test('torch.cat with an unknown item has an unknown size, not the sum of the known ones', () => {
  const src = model('self.a = nn.Conv2d(3, 8, 3, padding=1)\nself.b = nn.Conv2d(16, 4, 1)', 'y = torch.cat([self.a(x), mystery_op(x)], 1)\nreturn self.b(y)')
    .replace('import torch\n', 'import torch\nfrom somewhere import mystery_op\n');
  const m = analyzeSource('/ws/net.py', src).models[0];
  assert.ok(!m.diagnostics.some((d) => d.code === 'channel-mismatch'), JSON.stringify(m.diagnostics));
  assert.equal(m.layers.find((r) => r.path === 'b')?.outputShape, null);
});

test('a functional layer op (F.interpolate) on a tensor of unknown shape reports nothing, its output is unknown', () => {
  const src = model('self.a = nn.Conv2d(3, 8, 3)', 'import missing_helper\ny = x.view(missing_helper.rows(), -1)\nreturn F.interpolate(y, size=(4, 4), mode="bilinear")');
  const report = analyzeSource('/ws/net.py', src).models[0];
  assert.deepEqual(report.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(report.outputShape, null);
});

test('a model whose constructor raises is named with the error, never dropped silently', () => {
  // PyTorch's add_module refuses a name with a dot: KeyError, and there is no model to show
  const r = analyzeSource('/ws/net.py', model("self.add_module('a.b', nn.Conv2d(3, 8, 3))", 'return x'));
  assert.deepEqual(r.models, []);
  const d = r.diagnostics.find((x) => x.code === 'python-error');
  assert.equal(d?.line, 5);
  assert.match(d?.message ?? '', /Net\(\) raises KeyError: module name can.t contain "\.", got: a\.b at line 8 when it is built/);
});

test('a class that needs arguments is no model on its own, and no error either', () => {
  const r = analyzeSource('/ws/net.py', model('pass', 'return x').replace('def __init__(self):', 'def __init__(self, width):'));
  assert.deepEqual([r.models.length, r.diagnostics.filter((d) => d.severity === 'error')], [0, []]);
});

test('torch.is_tensor of an unknown value is unknown: a library\'s type check raises only on what is known', () => {
  // torchvision.utils.make_grid(images) on a batch from a DataLoader ConvLens cannot read: no "would fail"
  const src = (value: string) => [
    'import torch', 'import numpy as np', 'import mystery', 'def check(x):', '    if not torch.is_tensor(x):',
    '        raise TypeError("tensor expected")', '    return x', `check(${value})`,
  ].join('\n');
  const errors = (value: string) => analyzeSource('/ws/s.py', src(value)).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors('mystery.load()'), []);
  assert.deepEqual(errors('torch.zeros(2)'), []);
  assert.deepEqual(errors('np.zeros(2)').map((d) => [d.code, d.line]), [['python-error', 6]]);
});

test('a raise reached only by taking a condition on an unknown value as false is "may fail", an info', () => {
  // torchvision's download helper under `datasets.CIFAR10(..., download=True)`: `if response.url == url` unknown
  const src = [
    'import mystery', 'def resolve(url):', '    for _ in range(3):', '        r = mystery.urlopen(url)',
    '        if r.url == url:', '            return url', '        url = r.url',
    '    raise RecursionError("too many redirects")', 'resolve("http://example.org")', '[1, 2][5]',
  ].join('\n');
  const d = analyzeSource('/ws/s.py', src).diagnostics.filter((x) => x.code !== 'unresolved-import');
  assert.deepEqual(d.map((x) => [x.severity, x.code, x.line]), [['info', 'unsure-raise', 8], ['error', 'python-error', 10]]);
  assert.match(d[0].message, /may fail: RecursionError: too many redirects — .*condition ConvLens cannot evaluate as false \(line 5/);
  // in forward(), the same: a trace that stops after such a guess says it may stop there
  const fwd = analyzeSource('/ws/m.py', model('self.a = nn.Conv2d(3, 8, 3)\nimport mystery\nself.flag = mystery.flag',
    'if self.flag:\n    return self.a(x)\nraise ValueError("no")')).models[0].diagnostics;
  // and the model, traced past that guess, says its counts assume it (line 12: `if self.flag:`)
  assert.deepEqual(fwd.map((x) => [x.severity, x.code, x.line]), [['info', 'unsure-raise', 14], ['warning', 'guessed-condition', 5]]);
  assert.match(fwd[0].message, /^forward\(\) may stop here: ValueError: no/);
  assert.match(fwd[1].message, /^ConvLens cannot evaluate the condition on line 12 in its forward pass and went on as if it were false/);
});
