// The report below is the engine's own for examples/broken_linear.py (two 2×2 poolings of a 32×32
// image leave 32·8·8 = 2048 features; PyTorch: "mat1 and mat2 shapes cannot be multiplied (1x2048 and 1568x10)").
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { argumentFix, splitArguments } from '../../../extension/argumentFixes';

test('splitArguments: top-level arguments, keywords, nested brackets and strings', () => {
  const text = 'nn.Linear(f(a, b), out_features=(1, 2), name="x,)")';
  const args = splitArguments(text)!;
  assert.deepEqual(args.map((a) => [text.slice(a.start, a.end), a.keyword]), [['f(a, b)', undefined], ['(1, 2)', 'out_features'], ['"x,)"', 'name']]);
  assert.equal(splitArguments('nn.Linear(3, '), undefined);
});

test('the Linear in broken_linear.py: in_features becomes the 2048 that arrive', () => {
  const source = fs.readFileSync('examples/broken_linear.py', 'utf8');
  const lines = source.split('\n');
  const model = analyzeSource('examples/broken_linear.py', source).models[0];
  const d = model.diagnostics.find((x) => x.code === 'linear-in-features')!;
  const fix = argumentFix(d, model, (line) => lines[line - 1])!;
  assert.equal(fix.newText, '2048');
  const line = lines[fix.range.line - 1];
  assert.equal(line.slice(fix.range.col, fix.range.endCol), '32 * 7 * 7');
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
  const model = analyzeSource('net.py', source.join('\n')).models[0];
  const d = model.diagnostics.find((x) => x.code === 'channel-mismatch');
  assert.ok(d, JSON.stringify(model.diagnostics));
  const fix = argumentFix(d, model, (line) => source[line - 1])!;
  assert.equal(fix.newText, '3');
  assert.equal(source[fix.range.line - 1].slice(fix.range.col, fix.range.endCol), '1');
});
