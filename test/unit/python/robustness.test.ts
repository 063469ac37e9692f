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

// ---- deep nesting and huge repetitions (issue 10): random shapes, never a throw, always bounded ----

/** One level of nesting around `inner`, in one of the ways Python code nests (valid Python: `-not x` is not). */
const WRAPS: Array<(inner: string) => string> = [
  (x) => `(${x})`, (x) => `f(${x})`, (x) => `[${x}]`, (x) => `a[${x}]`, (x) => `${x}.b`, (x) => `(lambda: ${x})`,
  (x) => `[${x} for _ in a]`, (x) => `{1: ${x}}`, (x) => `-${x}`, (x) => `${x} + 1`, (x) => `(not ${x})`, (x) => `(1 if ${x} else 2)`,
];
const BLOCKS: Array<(body: string[]) => string[]> = [
  (b) => ['if a:', ...b.map((l) => `    ${l}`)], (b) => ['for _ in a:', ...b.map((l) => `    ${l}`)],
  (b) => ['def g():', ...b.map((l) => `    ${l}`)], (b) => ['class C:', ...b.map((l) => `    ${l}`)],
];
const HEAD = 'import torch.nn as nn\na = [1]\ndef f(x):\n    return x\n';
const TAIL = 'm = nn.Linear(4, 2)\n';
const bounded = (src: string) => {
  const t = Date.now();
  const r = analyzeSource('/ws/model.py', src, { maxSteps: 100_000, input: [1, 4] });
  assert.ok(Date.now() - t < 10_000, `took ${Date.now() - t} ms`);
  return r;
};

test('random deep nesting of expressions never throws, ends in time, and the rest of the file is analysed', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: WRAPS.length - 1 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3000 }), (kinds, depth) => {
    let e = '1';
    for (let i = 0; i < depth; i++) e = WRAPS[kinds[i % kinds.length]](e);
    const r = bounded(`${HEAD}y = ${e}\n${TAIL}`);
    assert.deepEqual(r.models.map((m) => m.outputShape), [[1, 2]]);
  }), { numRuns: 40 });
});

test('random deep nesting of blocks never throws and ends in time', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: BLOCKS.length - 1 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 300 }), (kinds, depth) => {
    let body = ['x = 1'];
    for (let i = 0; i < depth; i++) body = BLOCKS[kinds[i % kinds.length]](body);
    const r = bounded(`${HEAD}${body.join('\n')}\n${TAIL}`);
    assert.deepEqual(r.models.map((m) => m.outputShape), [[1, 2]]);
    if (depth > 100) assert.ok(r.diagnostics.some((d) => /IndentationError/.test(d.message)), JSON.stringify(r.diagnostics));
  }), { numRuns: 25 });
});

const HUGE = ['10**12', '10**9', '2**62', '-10**12', '10**6', '3_000_000'];
const BUILDS: Array<(n: string) => string> = [
  (n) => `[0] * ${n}`, (n) => `'ab' * ${n}`, (n) => `(1,) * ${n}`, (n) => `list(range(${n}))`, (n) => `[i for i in range(${n})]`,
  (n) => `''.join(['x'] * ${n})`, (n) => `sum(range(${n}))`, (n) => `sorted(range(${n}))`, (n) => `'a'.rjust(${n})`, (n) => `[[0] * ${n}] * ${n}`,
  (n) => `{i: i for i in range(${n})}`, (n) => `nn.Sequential(*[nn.ReLU() for _ in range(${n})])`, (n) => `2 ** ${n}`,
];

test('huge repetitions never throw, end in time, and a stopped analysis says so', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: BUILDS.length - 1 }), fc.constantFrom(...HUGE), (b, n) => {
    const r = bounded(`${HEAD}${TAIL}x = ${BUILDS[b](n)}\n`);
    // the model above the line is still found; the line that was cut is named
    assert.ok(r.models.some((m) => m.name === 'm'));
    if (r.diagnostics.some((d) => d.code === 'step-budget')) assert.ok(r.diagnostics.some((d) => d.code === 'step-budget' && d.line === 6), JSON.stringify(r.diagnostics));
  }), { numRuns: 40 });
});
