// Whatever the input — truncated model files, random token soup, endless loops, absurd sizes —
// the engine returns a report: it never throws and never hangs (the step budget bounds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeSource } from '../../../engine/analyze';

const fixtures = path.join(__dirname, '../../fixtures/pytorch');
const sources = fs.readdirSync(fixtures).filter((f) => f.endsWith('.py')).sort().map((f) => fs.readFileSync(path.join(fixtures, f), 'utf8'));

const analyze = (src: string) => analyzeSource('/ws/model.py', src, { maxSteps: 100_000 });

test('truncated model files never throw', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: sources.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (i, at) => {
    const src = sources[i];
    const report = analyze(src.slice(0, Math.floor(src.length * at)));
    assert.ok(Array.isArray(report.models));
  }), { numRuns: 150 });
});

const TOKENS = ['def ', 'class ', '(', ')', ':', '\n', '    ', 'nn.Conv2d', 'nn.Sequential', 'self', '.', ',', '=', 'x', 'return ', 'for ', ' in ', 'range', '[', ']', '3', '-1', '0', '*', '**', 'if ', 'else', 'while ', 'lambda', 'import torch', 'torch.nn as nn', 'super().__init__()', 'forward', '"s"', 'None', '{', '}', '+', '@'];

test('random token soup never throws', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }), (toks) => {
    assert.ok(Array.isArray(analyze(toks.join('')).diagnostics));
  }), { numRuns: 300 });
});

test('an endless loop stops at the step budget with a warning', () => {
  const report = analyze('import torch.nn as nn\nwhile True:\n    x = 1\n');
  assert.ok(report.diagnostics.some((d) => d.code === 'step-budget'), JSON.stringify(report.diagnostics));
});

test('unbounded recursion is reported, not a crash', () => {
  const report = analyze('def f(n):\n    return f(n + 1)\nf(0)\n');
  assert.ok(report.diagnostics.some((d) => /RecursionError/.test(d.message)), JSON.stringify(report.diagnostics));
});

test('absurd sizes give diagnostics, not exceptions', () => {
  const src = 'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 10**12, 99999)\n        self.f = nn.Linear(-5, 0)\n    def forward(self, x):\n        return self.f(self.c(x))\n';
  const report = analyzeSource('/ws/m.py', src, { input: [1, 3, 8, 8] });
  assert.equal(report.models.length, 1);
  assert.ok(report.models[0].diagnostics.some((d) => d.severity === 'error'));
});
