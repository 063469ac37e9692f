// Internal errors and hangs the fuzzers found (mutated real files; every builtin called with odd
// arguments): each is Python's own error as a diagnostic now, or a bounded unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import type { Diagnostic, FileReport } from '../../../engine/report/types';

const HEAD = 'import math, functools, operator, os\nimport torch\nimport torch.nn as nn\nx = torch.zeros(2, 3, 8, 8)\n';
const analyze = (line: string): FileReport => analyzeSource('/ws/m.py', `${HEAD}${line}\n`, { maxSteps: 200_000 });
const all = (r: FileReport): Diagnostic[] => [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
const has = (r: FileReport, text: RegExp) => assert.ok(all(r).some((d) => text.test(d.message) && d.line === 5), JSON.stringify(all(r)));

test('a builtin called without its argument is the TypeError Python raises (a renamed super() became len())', () => {
  has(analyze('y = functools.partial()\nz = y(x)'), /TypeError: type 'partial' takes at least one argument/);
  has(analyze('y = operator.attrgetter()\nz = y(x)'), /TypeError: attrgetter expected 1 argument, got 0/);
  has(analyze("y = len(url='w.pth', num_params=3)"), /TypeError: len\(\) missing required argument/);
  for (const call of ['len()', 'abs()', 'os.path.dirname()', 'os.path.basename()', 'os.path.exists()', 'os.path.split()']) {
    has(analyze(`y = ${call}`), new RegExp(`TypeError: ${call.replace(/.*\.|\(\)/g, '')}\\(\\) missing required argument`));
  }
});

test("chunk and split by a count or size that is not positive are PyTorch 1.13's RuntimeErrors, not endless loops", () => {
  has(analyze('y = x.chunk(-1)'), /RuntimeError: chunk expects `chunks` to be greater than 0, got: -1/);
  has(analyze('y = torch.chunk(x, 0)'), /RuntimeError: chunk expects `chunks` to be greater than 0, got: 0/);
  has(analyze('y = x.split(-1)'), /RuntimeError: split expects split_size be non-negative, but got split_size=-1/);
  has(analyze('y = torch.split(x, 0)'), /RuntimeError: split_size can only be 0 if dimension size is 0, but got dimension size of 2/);
});

test('math.comb of a huge k is unknown at once, and exact where a float holds it', () => {
  const r = analyzeSource('/ws/m.py', 'import math\na = math.comb(3, 10**12)\nb = math.comb(10, 3)\nc = math.comb(10**12, 10**12 - 2)\n', { maxSteps: 200_000 });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const s = analyzeSource('/ws/m.py', 'import math\nimport torch.nn as nn\nm = nn.Linear(math.comb(10, 3), math.comb(3, 5) + 1)\n', { input: [1, 120] });
  assert.deepEqual(s.models.map((m) => m.totalParams), [121]);
});

test('a Keras op given no tensor gives an unknown shape, not an internal error', () => {
  for (const op of ['reshape(1, 2)', 'mean(1, 2)']) {
    const src = `import keras\nfrom keras.backend import ${op.split('(')[0]}\nx = keras.Input((8, 8, 3))\ny = ${op}\n`;
    assert.ok(Array.isArray(analyzeSource('/ws/m.py', src).models));
  }
});
