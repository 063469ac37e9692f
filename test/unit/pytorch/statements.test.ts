// The report's `statements`: what each statement of forward() binds, returns or computes, with the
// calls it makes itself. Shapes here are worked out by hand (the golden suite checks them against PyTorch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import type { StatementRecord } from '../../../engine/report/types';

const HEADER = ['import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', 'import mystery'];

/** A file whose model `Net` has the given __init__ body and forward body (4-space indented lines). */
function statements(init: string[], forward: string[], input = '(1, 1, 28, 28)', extra: string[] = []): Map<number, StatementRecord> {
  const lines = [
    ...HEADER, ...extra, `# convlens: input=${input}`, 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
    ...init.map((l) => `        ${l}`), '    def forward(self, x):', ...forward.map((l) => `        ${l}`),
  ];
  const first = lines.lastIndexOf('    def forward(self, x):') + 2;
  const model = analyzeSource('/ws/net.py', lines.join('\n')).models.find((m) => m.name === 'Net');
  assert.ok(model, 'the model Net is reported');
  // keyed by the line's position in forward(): 1 = its first statement
  return new Map(model.statements.map((s) => [s.range.line - first + 1, s]));
}

test('a nested call line describes the value bound, and lists its calls in order', () => {
  const s = statements(['self.conv1 = nn.Conv2d(1, 10, kernel_size=5)'], ['x = F.relu(F.max_pool2d(self.conv1(x), 2))', 'return x']);
  const line = s.get(1)!;
  assert.deepEqual(line.targets, [{ name: 'x', shapes: [[1, 10, 12, 12]] }]);
  assert.deepEqual(line.calls.map((c) => [c.kind, c.name, c.outputShape]), [
    ['module', 'conv1', [1, 10, 24, 24]], ['op', 'max_pool2d', [1, 10, 12, 12]], ['op', 'relu', [1, 10, 12, 12]],
  ]);
  assert.equal(line.calls[0].params, 10 * 1 * 25 + 10);
  assert.equal(line.calls[0].macs, 10 * 25 * 24 * 24);
  assert.deepEqual(s.get(2)!.targets, [{ name: 'return', shapes: [[1, 10, 12, 12]] }]);
});

test('methods, cat, + and tuple targets', () => {
  const s = statements(['self.pool = nn.AdaptiveAvgPool2d(1)'], [
    'a, b = x, x + 1', 'y = torch.cat([a, b], 1)', 'y = self.pool(y).flatten(1)', 'return y, a',
  ]);
  assert.deepEqual(s.get(1)!.targets, [{ name: 'a', shapes: [[1, 1, 28, 28]] }, { name: 'b', shapes: [[1, 1, 28, 28]] }]);
  assert.deepEqual(s.get(2)!.targets, [{ name: 'y', shapes: [[1, 2, 28, 28]] }]);
  assert.deepEqual(s.get(3)!.targets, [{ name: 'y', shapes: [[1, 2]] }]);
  assert.deepEqual(s.get(4)!.targets, [{ name: 'return', shapes: [[1, 2], [1, 1, 28, 28]] }]);
});

test('a custom block is one call of the statement; its insides are its own statements', () => {
  const block = ['class Block(nn.Module):', '    def __init__(self, c):', '        super().__init__()',
    '        self.conv = nn.Conv2d(c, 2 * c, 3, padding=1)', '    def forward(self, x):', '        return self.conv(x)'];
  const s = statements(['self.b1 = Block(1)', 'self.b2 = Block(2)'], ['x = self.b2(self.b1(x))', 'return x'], '(1, 1, 8, 8)', block);
  const line = s.get(1)!;
  assert.deepEqual(line.targets, [{ name: 'x', shapes: [[1, 4, 8, 8]] }]);
  assert.deepEqual(line.calls.map((c) => [c.name, c.type, c.params]), [['b1', 'Block', 1 * 2 * 9 + 2], ['b2', 'Block', 2 * 4 * 9 + 4]]);
  // the block's own return line ran twice, with two shapes
  const inner = [...s.values()].find((r) => r.iterations === 2)!;
  assert.deepEqual(inner.targets, [{ name: 'return', shapes: [[1, 4, 8, 8]], firstShapes: [[1, 2, 8, 8]] }]);
  assert.equal(inner.inLoop, false);
});

test('a loop: the first and the last shape, the number of turns, and that it is a loop', () => {
  const s = statements(['self.convs = nn.ModuleList([nn.Conv2d(1, 1, 3) for _ in range(3)])'], ['for c in self.convs:', '    x = c(x)', 'return x']);
  const line = s.get(2)!;
  assert.equal(line.iterations, 3);
  assert.equal(line.inLoop, true);
  assert.deepEqual(line.targets, [{ name: 'x', shapes: [[1, 1, 22, 22]], firstShapes: [[1, 1, 26, 26]] }]);
  assert.deepEqual(line.calls.map((c) => c.name), ['convs.0', 'convs.1', 'convs.2']);
});

test('what the engine does not know stays visible: an unknown call binds an unknown shape, never a guess', () => {
  const s = statements(['self.conv = nn.Conv2d(1, 4, 3)'], ['x = mystery.warp(self.conv(x))', 'n = x.size(0)', 'return x']);
  assert.deepEqual(s.get(1)!.targets, [{ name: 'x', shapes: [null] }]);
  // the unknown call is listed too (the honesty rule), with no shape
  assert.deepEqual(s.get(1)!.calls.map((c) => [c.name, c.outputShape]), [['conv', [1, 4, 26, 26]], ['mystery.warp', null]]);
  assert.deepEqual(s.get(3)!.targets, [{ name: 'return', shapes: [null] }]);
});

test('statements that bind only numbers are not listed', () => {
  const s = statements([], ['b, c, h, w = x.size()', 'x = x.view(b, -1)', 'return x']);
  assert.equal(s.get(1), undefined);
  assert.deepEqual(s.get(2)!.targets, [{ name: 'x', shapes: [[1, 784]] }]);
});

test('an adaptive pool to another tensor\'s symbolic size is no error (it said PyTorch raises), at a size it is exact', () => {
  // PyTorch 1.13 at (2, 3, 17, 17): a (2, 8, 17, 17), b (2, 8, 9, 9), p (2, 8, 9, 9)
  const src = ['import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', 'class Net(nn.Module):',
    '    def __init__(self):', '        super().__init__()', '        self.c1 = nn.Conv2d(3, 8, 3, padding=1)',
    '        self.c2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)', '    def forward(self, x):', '        a = self.c1(x)',
    '        b = self.c2(a)', '        p = F.adaptive_avg_pool2d(a, b.shape[-2:])', '        return p + b'].join('\n');
  const symbolic = analyzeSource('/ws/net.py', src, { entry: 'Net()' }).models[0];
  assert.deepEqual(symbolic.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(symbolic.outputShape?.length, 4);
  assert.deepEqual(symbolic.outputShape?.slice(0, 2), ['N', 8]);
  const sized = analyzeSource('/ws/net.py', src, { entry: 'Net()', input: [2, 3, 17, 17] }).models[0];
  assert.deepEqual(sized.outputShape, [2, 8, 9, 9]);
});
