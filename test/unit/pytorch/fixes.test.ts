// Quick fixes come from the engine: the argument of the layer's constructor, rewritten to what
// arrives. The expected numbers are hand-checked (and PyTorch agrees: see examples/broken_linear.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzeSource } from '../../../engine/analyze';

const slice = (lines: string[], r: { line: number; col: number; endCol: number }) => lines[r.line - 1].slice(r.col, r.endCol);

test('broken_linear.py: in_features becomes the 2048 that arrive', () => {
  const source = fs.readFileSync('examples/broken_linear.py', 'utf8');
  const model = analyzeSource('examples/broken_linear.py', source).models[0];
  const d = model.diagnostics.find((x) => x.code === 'linear-in-features');
  assert.ok(d?.fixes?.length, JSON.stringify(model.diagnostics));
  assert.equal(d.fixes[0].newText, '2048');
  assert.equal(slice(source.split('\n'), d.fixes[0].range), '32 * 7 * 7');
});

test('a conv whose in_channels is a keyword gets the channels that arrive', () => {
  const source = [
    'import torch.nn as nn',
    '# convlens: input=(1, 3, 32, 32)',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(out_channels=8, in_channels=1, kernel_size=3)',
    '    def forward(self, x):',
    '        return self.conv(x)',
  ];
  const model = analyzeSource('/ws/net.py', source.join('\n')).models[0];
  const d = model.diagnostics.find((x) => x.code === 'channel-mismatch');
  assert.ok(d?.fixes?.length, JSON.stringify(model.diagnostics));
  assert.equal(d.fixes[0].newText, '3');
  assert.equal(slice(source, d.fixes[0].range), '1');
});

test('an argument that is a name is not rewritten (it may serve other layers); the message still says the number', () => {
  const source = [
    'import torch.nn as nn',
    'def head(n):',
    '    return nn.Linear(n, 10)',
    '# convlens: input=(1, 3, 8, 8)',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(3, 4, 3)',
    '        self.fc = head(100)',
    '    def forward(self, x):',
    '        return self.fc(self.conv(x).flatten(1))',
  ];
  const model = analyzeSource('/ws/net.py', source.join('\n')).models[0];
  const d = model.diagnostics.find((x) => x.code === 'linear-in-features');
  assert.ok(d, JSON.stringify(model.diagnostics));
  assert.equal(d.fixes, undefined);
  assert.match(d.message, /144/);
});
