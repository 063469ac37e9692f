// Items of nn.Sequential / nn.ModuleList / nn.ModuleDict set, deleted or inserted after the model is
// built (fine-tuning's `model.classifier[1] = nn.Linear(…)`). The exact cases are PyTorch goldens
// (fixtures 117, 119); here: what the engine does when it cannot know which item changed, and the
// errors PyTorch itself raises. Linear(16, 10) = 170 parameters, Linear(16, 4) = 68, Conv2d(3, 16, 3) = 448.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import type { ModelReport } from '../../../engine/report/types';

const analyse = (body: string): ModelReport => {
  const src = `import torch
from torch import nn
import random
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))
${body}
model(torch.randn(1, 3, 8, 8))
`;
  const r = analyzeSource('/ws/net.py', src);
  assert.equal(r.models.length, 1);
  return r.models[0];
};
const lineOf = (m: ModelReport, code: string) => m.diagnostics.filter((d) => d.code === code).map((d) => [d.line, d.message]);

test('a head replaced at a known index counts the new head (negative indices too)', () => {
  for (const at of ['4', '-1']) {
    const m = analyse(`model[${at}] = nn.Linear(16, 4)`);
    assert.deepEqual([m.totalParams, m.complete, m.outputShape], [448 + 68, true, [1, 4]]);
    assert.deepEqual(m.layers.map((r) => r.path), ['0', '1', '2', '3', '4']);
  }
});

test('an item set at an index the analysis cannot know: every item unknown, a warning, lower bounds', () => {
  const m = analyse('model[random.randint(0, 4)] = nn.Linear(16, 4)');
  assert.equal(m.complete, false);
  assert.equal(m.paramsComplete, false);
  assert.equal(m.totalParams, 0);
  assert.equal(m.outputShape, null);
  assert.ok(m.unmodelled.length >= 1);
  const w = lineOf(m, 'unmodelled');
  assert.ok(w.length >= 1 && w.every(([line]) => line === 5), JSON.stringify(w));
  assert.match(String(w[0][1]), /Sequential\[\?\] \(an item set at an index ConvLens cannot know\) is not modelled/);
});

test('del and insert at an unknown index leave the items unknown, never the old numbers', () => {
  for (const body of ['del model[random.randint(0, 4)]', 'model.insert(random.randint(0, 4), nn.ReLU())']) {
    const m = analyse(body);
    assert.deepEqual([m.complete, m.paramsComplete, m.totalParams], [false, false, 0], body);
    assert.ok(lineOf(m, 'unmodelled').length >= 1, body);
  }
});

test("PyTorch's own errors: an index out of range, a non-module item, item assignment on a layer", () => {
  const cases: Array<[string, RegExp]> = [
    ['model[5] = nn.ReLU()', /IndexError: index 5 is out of range/],
    ['model[-6] = nn.ReLU()', /IndexError: index -6 is out of range/],
    ['model[1] = 3', /TypeError: cannot assign 'int' as child module '1' \(torch.nn.Module or None expected\)/],
    ["model['x'] = nn.ReLU()", /TypeError: 'str' object cannot be interpreted as an integer/],
    ['model[0][0] = nn.ReLU()', /TypeError: 'Conv2d' object does not support item assignment/],
    ['del model[0][1]', /TypeError: 'Conv2d' object doesn't support item deletion/],
    ['model.insert(7, nn.ReLU())', /IndexError: Index out of range: 7/],
  ];
  for (const [body, message] of cases) {
    const r = analyzeSource('/ws/net.py', `import torch\nfrom torch import nn\nmodel = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))\n${body}\n`);
    const all = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
    assert.ok(all.some((d) => d.severity === 'error' && message.test(d.message) && d.line === 4),
      `${body}: ${JSON.stringify(all.map((d) => [d.line, d.message]))}`);
  }
});

test('del model.fc forgets the child (Module.__delattr__)', () => {
  const m = analyse('del model[4]\nmodel.add_module("head", nn.Linear(16, 4))\ndel model.head');
  assert.deepEqual([m.totalParams, m.complete, m.outputShape], [448, true, [1, 16]]);
});

test('children sliced by a count the analysis cannot know: an unknown item with a warning, not an empty Sequential', () => {
  const src = `import torch
from torch import nn
import nothere
base = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Conv2d(16, 16, 3))
model = nn.Sequential(*list(base.children())[:nothere.k])
model(torch.randn(1, 3, 8, 8))
`;
  const m = analyzeSource('/ws/net.py', src).models.find((x) => x.name === 'model');
  assert.ok(m);
  assert.deepEqual([m.complete, m.paramsComplete, m.outputShape], [false, false, null]);
  assert.deepEqual(m.diagnostics.filter((d) => d.code === 'unmodelled').map((d) => d.line), [5]);
});

test('a None item of nn.Sequential is called as in PyTorch: TypeError, never a silently skipped layer', () => {
  // PyTorch 1.13: nn.Sequential(nn.Conv2d(3, 4, 3), None, nn.ReLU())(x) raises TypeError: 'NoneType' object is not callable
  const src = ['import torch', 'import torch.nn as nn', 'model = nn.Sequential(nn.Conv2d(3, 4, 3), None, nn.ReLU())',
    'y = model(torch.randn(1, 3, 8, 8))'].join('\n');
  const m = analyzeSource('/ws/net.py', src).models[0];
  assert.deepEqual([m.complete, m.outputShape], [false, null]);
  assert.ok(m.diagnostics.some((d) => d.severity === 'error' && /TypeError: 'NoneType' object is not callable/.test(d.message)));
});
